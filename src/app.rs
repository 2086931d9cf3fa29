//! The page: header with the mode switch, the editors, the cluster, the Pod YAML panel.

use leptos::prelude::*;

use crate::cluster::ClusterView;
use crate::console::ConsolePanel;
use crate::mode_switch::ModeSwitch;
use crate::player::PlayerPanel;
use crate::playground::Editors;
use crate::pod_panel::PodPanel;
use crate::presentation::{PresentBar, SpeakerNotes};
use crate::route::{Route, Router};
use crate::share::ShareBar;
use crate::state::Lab;

#[component]
pub fn App() -> impl IntoView {
    let lab = Lab::new();
    lab.sim.player.install_keys();
    provide_context(lab);
    let router = Router::install();
    let page = move || match router.route.get() {
        Route::Playground | Route::Lessons | Route::Lesson { .. } | Route::Review => {
            view! { <Playground/> }.into_any()
        }
        Route::Notes => view! { <SpeakerNotes/> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#cluster-title">"Skip to the cluster"</a>
        <header class="top">
            <h1>
                <span class="logo" aria-hidden="true">"⎈"</span>
                " DaemonSet Lab"
            </h1>
            <p class="tagline">"Paste a DaemonSet and your nodes: see, node by node, whether its pod runs there and why not."</p>
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
            </div>
        </main>
    }
}
