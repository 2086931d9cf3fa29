//! The review session (`#/review`): the questions missed before come first (the review queue, see
//! `progress`), then a few answered right before, one at a time. A round is fixed when it starts;
//! answers move questions in the queue as they are given.

use leptos::prelude::*;

use super::quiz::QuestionCard;
use super::{data, focus_later, SavingNote};
use crate::progress::use_progress;
use crate::route::Route;

/// Questions answered right before that join a round after the missed ones.
const REFRESHERS: usize = 3;

fn all_ids() -> Vec<String> {
    data::all()
        .iter()
        .flat_map(|l| l.questions.iter().map(|q| q.id.clone()))
        .collect()
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let store = use_progress();
    let make_round = move || {
        store
            .data
            .with_untracked(|p| p.review_session(&all_ids(), REFRESHERS))
    };
    let missed_at_start = move || {
        store
            .data
            .with_untracked(|p| p.review.iter().map(|r| r.q.clone()).collect::<Vec<_>>())
    };
    let round = RwSignal::new(make_round());
    let missed = RwSignal::new(missed_at_start());
    let pos = RwSignal::new(0usize);
    let answered = RwSignal::new(false);
    let right = RwSignal::new(0usize);
    let restart = move || {
        round.set(make_round());
        missed.set(missed_at_start());
        pos.set(0);
        answered.set(false);
        right.set(0);
        focus_later("review-pos".into());
    };
    let next = move || {
        pos.update(|p| *p += 1);
        answered.set(false);
        focus_later("review-pos".into());
    };
    let on_graded = Callback::new(move |ok: bool| {
        if !answered.get_untracked() {
            answered.set(true);
            if ok {
                right.update(|r| *r += 1);
            }
        }
    });
    let current = move || {
        let ids = round.get();
        let i = pos.get();
        if ids.is_empty() {
            return view! {
                <div class="review-empty">
                    <p>"Nothing to review yet. Questions you miss in the lessons come back here first, until you answer them right twice."</p>
                    <p><a href=Route::Lessons.href()>"Go to the lessons"</a></p>
                </div>
            }
            .into_any();
        }
        let Some((lesson, q)) = ids.get(i).and_then(|id| data::question(id)) else {
            let waiting = store.data.with_untracked(|p| p.review.len());
            return view! {
                <div class="review-done">
                    <h3 id="review-pos" tabindex="-1">"Round finished"</h3>
                    <p>{format!("{} of {} right on the first try.", right.get_untracked(), ids.len())}</p>
                    <p>
                        {match waiting {
                            0 => "No missed questions are waiting.".to_string(),
                            1 => "1 missed question is still waiting.".to_string(),
                            n => format!("{n} missed questions are still waiting."),
                        }}
                    </p>
                    <button class="btn primary" on:click=move |_| restart()>"Start another round"</button>
                    " "
                    <a href=Route::Lessons.href()>"Back to the lessons"</a>
                </div>
            }
            .into_any();
        };
        let was_missed = missed.with_untracked(|m| m.contains(&q.id));
        let lesson_href = Route::Lesson {
            id: lesson.id.clone(),
            anchor: None,
        }
        .href();
        view! {
            <div class="review-item">
                <p class="review-pos" id="review-pos" tabindex="-1">
                    {format!("Question {} of {}", i + 1, ids.len())}
                    {if was_missed {
                        view! { <span class="tag missed">"Missed before"</span> }.into_any()
                    } else {
                        view! { <span class="tag refresher">"Answered right before"</span> }.into_any()
                    }}
                </p>
                <p class="review-from">"From the lesson: " <a href=lesson_href>{lesson.title.clone()}</a></p>
                <QuestionCard lesson=lesson question=q on_graded=on_graded/>
                <div class="review-actions">
                    <button class="btn next-question" class:primary=move || answered.get() on:click=move |_| next()>
                        {move || if answered.get() { "Next question" } else { "Skip" }}
                    </button>
                </div>
            </div>
        }
        .into_any()
    };
    view! {
        <main class="review-page" id="main">
            <p class="crumbs"><a href=Route::Lessons.href()>"← All lessons"</a></p>
            <h2>"Review"</h2>
            <p class="muted">"Missed questions first; a question leaves the queue once you answer it right twice."</p>
            <SavingNote/>
            {current}
        </main>
    }
}
