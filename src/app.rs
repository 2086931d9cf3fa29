//! The page: header with the mode switch, the editors, the cluster, the Pod YAML panel.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::audit::AuditPage;
use crate::cluster::ClusterView;
use crate::console::ConsolePanel;
use crate::lessons::{LessonPage, LessonsIndex, ReviewPage};
use crate::mode_switch::ModeSwitch;
use crate::player::PlayerPanel;
use crate::playground::{Editors, QuizMe};
use crate::pod_panel::PodPanel;
use crate::presentation::{PresentBar, SpeakerNotes};
use crate::progress::ProgressStore;
use crate::route::{Route, Router};
use crate::share::ShareBar;
use crate::state::Lab;

#[component]
pub fn App() -> impl IntoView {
    let lab = Lab::new();
    lab.sim.player.install_keys();
    provide_context(lab);
    provide_context(ProgressStore::load());
    provide_context(crate::audit::AuditState::new());
    let router = Router::install();
    // The page changes with the route, but not with the anchor inside a lesson (the lesson page
    // scrolls to it itself, keeping its player and quiz).
    let page_key = Memo::new(move |_| match router.route.get() {
        Route::Lesson { id, .. } => Route::Lesson { id, anchor: None },
        r => r,
    });
    let page = move || match page_key.get() {
        Route::Playground => view! { <Playground/> }.into_any(),
        Route::Lessons => view! { <LessonsIndex/> }.into_any(),
        Route::Lesson { id, .. } => view! { <LessonPage id=id/> }.into_any(),
        Route::Review => view! { <ReviewPage/> }.into_any(),
        Route::Notes => view! { <SpeakerNotes/> }.into_any(),
        Route::Audit => view! { <AuditPage/> }.into_any(),
    };
    let current = move |r: Route| {
        let on = match (page_key.get(), &r) {
            (Route::Lesson { .. } | Route::Review, Route::Lessons) => true,
            (a, b) => &a == b,
        };
        on.then_some("page")
    };
    // The skip link moves the focus without touching the URL: the fragment is the router's, and
    // `#cluster-title` read as a route took a lesson's reader to the playground.
    let skip_to = move || match page_key.get() {
        Route::Playground => ("cluster-title", "Skip to the cluster"),
        Route::Audit => ("audit-main", "Skip to the audit"),
        _ => ("main", "Skip to the content"),
    };
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_target(skip_to().0);
    };
    view! {
        <a class="skip-link" href=move || format!("#{}", skip_to().0) on:click=skip>{move || skip_to().1}</a>
        <header class="top">
            <h1>
                <span class="logo" aria-hidden="true">"⎈"</span>
                " DaemonSet Lab"
            </h1>
            <p class="tagline">"Paste a DaemonSet and your nodes: see, node by node, whether its pod runs there and why not."</p>
            <nav class="site-nav" aria-label="Site">
                <a href=Route::Playground.href() aria-current=move || current(Route::Playground)>"Playground"</a>
                <a href=Route::Lessons.href() aria-current=move || current(Route::Lessons)>"Lessons"</a>
                <a href=Route::Audit.href() aria-current=move || current(Route::Audit)>"Audit"</a>
            </nav>
            <ModeSwitch/>
            <ShareBar/>
            <PresentBar/>
        </header>
        <ErrorBoundary fallback=|errors| {
            view! {
                <div class="fatal" role="alert">
                    <strong>"Part of DaemonSet Lab failed to render: "</strong>
                    <ul>
                        {move || {
                            errors
                                .get()
                                .into_iter()
                                .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                                .collect::<Vec<_>>()
                        }}
                    </ul>
                </div>
            }
        }>
            {page}
        </ErrorBoundary>
        <footer class="foot">
            <p>"Everything runs in your browser: no YAML leaves this page. The verdicts come from DaemonSet Lab's simulation core, which follows the Kubernetes DaemonSet controller and default scheduler."</p>
        </footer>
    }
}

/// The playground page: the editors, the player, the cluster and the Pod YAML.
#[component]
fn Playground() -> impl IntoView {
    view! {
        <main class="layout">
            <Editors/>
            <div class="main-col">
                <PlayerPanel/>
                <ClusterView/>
                <ConsolePanel/>
                <PodPanel/>
                <QuizMe/>
            </div>
        </main>
    }
}

/// Focuses the element `id` (made focusable from script only, if it is not) and brings it into
/// view.
fn focus_target(id: &str) {
    let Some(target) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    if !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    let _ = target.focus();
    target.scroll_into_view();
}
