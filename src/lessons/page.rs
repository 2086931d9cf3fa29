//! A lesson: its Markdown body (headings carry their anchors, so `#/lesson/ID#anchor` scrolls
//! there), its scenario playing in the app's one player beside it (with the cluster cards), a
//! "Try it in the playground" button, and the quiz.

use dslab_sim::lessons::Lesson;
use leptos::prelude::*;

use super::quiz::QuestionCard;
use super::{data, score_words, with_lesson, SavingNote};
use crate::cluster::ClusterView;
use crate::markdown::{self, LinkCtx};
use crate::player::controls::PlayerControls;
use crate::player::{EventsList, Pipeline, StatusRow};
use crate::progress::use_progress;
use crate::route::{use_router, Route};
use crate::state::{use_lab, Lab};
use crate::stories::Story;

/// The scenario's `description`, read from the lesson's scenario text.
fn description(lesson: &Lesson) -> Option<String> {
    let yaml = lesson.scenario_yaml.as_deref()?;
    let v: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    v.get("description")?.as_str().map(|s| s.trim().to_string())
}

fn scenario_title(lesson: &Lesson) -> String {
    lesson
        .scenario
        .as_ref()
        .and_then(|s| s.title.clone())
        .unwrap_or_else(|| lesson.title.clone())
}

/// Puts the lesson's scenario in the player (from the start), with the lesson as speaker notes.
fn load(lab: Lab, lesson: &'static Lesson) {
    if let Some(sc) = &lesson.scenario {
        lab.load_scenario(lesson.id.as_str(), scenario_title(lesson), sc.clone());
        lab.notes.set(Some(lesson.body.clone()));
    }
}

/// Scrolls to the fragment's anchor once the page is drawn, or to the top without one.
fn scroll_to(anchor: Option<String>) {
    request_animation_frame(move || match anchor {
        Some(a) => {
            if let Some(el) = document().get_element_by_id(&a) {
                el.scroll_into_view();
            }
        }
        None => window().scroll_to_with_x_and_y(0.0, 0.0),
    });
}

#[component]
pub fn LessonPage(id: String) -> impl IntoView {
    let Some(entry) = data::entry(&id) else {
        return view! {
            <main class="lesson-page" id="main">
                <h2>"No such lesson"</h2>
                <p>{format!("There is no lesson called “{id}”. ")}<a href=Route::Lessons.href()>"See all lessons"</a></p>
            </main>
        }
        .into_any();
    };
    let loading = move || {
        view! {
            <main class="lesson-page" id="main" data-lesson=entry.id>
                <p class="crumbs"><a href=Route::Lessons.href()>"← All lessons"</a></p>
                <h2>{entry.title}</h2>
                <p class="lesson-loading muted" role="status">"Loading the lesson…"</p>
            </main>
        }
        .into_any()
    };
    let failed = move |why: String| {
        view! {
            <main class="lesson-page" id="main" data-lesson=entry.id>
                <p class="crumbs"><a href=Route::Lessons.href()>"← All lessons"</a></p>
                <h2>{entry.title}</h2>
                <p class="lesson-load-error" role="alert">{why}</p>
            </main>
        }
        .into_any()
    };
    with_lesson(entry, loading, failed, lesson_view).into_any()
}

/// The lesson page once its file is loaded.
fn lesson_view(lesson: &'static Lesson) -> AnyView {
    let lab = use_lab();
    let router = use_router();
    let store = use_progress();
    if lesson.scenario.is_some() {
        let on = lab.sim.story.with_untracked(
            |s| matches!(s, Some(Story::Scenario { slug, .. }) if *slug == lesson.id.as_str()),
        );
        if on {
            lab.notes.set(Some(lesson.body.clone()));
        } else {
            load(lab, lesson);
        }
    }
    Effect::new(move |_| {
        if let Route::Lesson { anchor, .. } = router.route.get() {
            scroll_to(anchor);
        }
    });
    let ctx = LinkCtx {
        lesson: lesson.id.clone(),
    };
    let mut body = Vec::new();
    if !lesson.body.trim_start().starts_with("# ") {
        body.push(view! { <h2>{lesson.title.clone()}</h2> }.into_any());
    }
    body.extend(markdown::render(&lesson.body, &ctx, 1));
    let ids = data::question_ids(lesson);
    let total = ids.len();
    let score = move || {
        let (a, r) = store.data.with(|p| p.score(&ids));
        score_words(a, r, total)
    };
    let questions = lesson
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| view! { <QuestionCard lesson=lesson question=q number=i + 1/> })
        .collect::<Vec<_>>();
    let lessons = data::index();
    let at = lessons.iter().position(|l| l.id == lesson.id).unwrap_or(0);
    let link = |l: &'static data::LessonEntry, rel: &'static str| {
        let href = Route::Lesson {
            id: l.id.to_string(),
            anchor: None,
        }
        .href();
        view! { <a href=href rel=rel>{l.title}</a> }
    };
    let prev = at.checked_sub(1).and_then(|i| lessons.get(i)).map(|l| {
        view! { <p class="prev">"Previous: " {link(l, "prev")}</p> }
    });
    let next = lessons
        .get(at + 1)
        .map(|l| view! { <p class="next">"Next: " {link(l, "next")}</p> });
    let live = lesson.scenario.is_some().then(|| {
        let sim = lab.sim;
        let error = move || sim.error();
        view! {
            <aside class="lesson-live" aria-labelledby="live-title">
                <div class="live-head">
                    <h2 id="live-title">"Play the scenario"</h2>
                    <p class="live-title">{scenario_title(lesson)}</p>
                    {description(lesson).map(|d| view! { <p class="muted live-desc">{d}</p> })}
                </div>
                {move || error().map(|e| view! { <p class="player-error" role="alert">"The scenario could not be built: " {e}</p> })}
                <div class="player-bar">
                    <PlayerControls player=sim.player/>
                    <button
                        class="btn try-playground"
                        on:click=move |_| {
                            load(lab, lesson);
                            router.go(Route::Playground);
                        }
                    >
                        "Try it in the playground"
                    </button>
                </div>
                <Pipeline/>
                <StatusRow/>
                <EventsList/>
                <ClusterView/>
            </aside>
        }
    });
    view! {
        <main class="lesson-page" class:with-live=lesson.scenario.is_some() id="main" data-lesson=lesson.id.clone()>
            <p class="crumbs">
                <a href=Route::Lessons.href()>"← All lessons"</a>
                <span class="muted">{format!(" · Lesson {} of {}", at + 1, lessons.len())}</span>
            </p>
            <div class="lesson-layout">
                <div class="lesson-main">
                    <article class="lesson-body">{body}</article>
                    <section class="quiz" aria-labelledby="quiz-title">
                        <div class="quiz-head">
                            <h2 id="quiz-title">"Quiz"</h2>
                            <p class="quiz-score" aria-live="polite">{score}</p>
                        </div>
                        <SavingNote/>
                        {questions}
                    </section>
                    <nav class="lesson-next" aria-label="Other lessons">{prev}{next}</nav>
                </div>
                {live}
            </div>
        </main>
    }
    .into_any()
}
