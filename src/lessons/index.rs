//! The lesson list: every lesson in order with its summary, completion and score; the review
//! entry (how many missed questions wait); "Reset progress" behind a confirmation.

use leptos::prelude::*;

use super::{data, score_words, SavingNote};
use crate::progress::use_progress;
use crate::route::Route;

#[component]
pub fn LessonsIndex() -> impl IntoView {
    let store = use_progress();
    let lessons = data::index();
    let all = StoredValue::new(data::all_question_ids());
    // How many questions are due today, and when the next one is due after today.
    let today = StoredValue::new(crate::progress::end_of_today_ms());
    let due_today = move || {
        store
            .data
            .with(|p| all.with_value(|all| p.due(all, today.get_value()).len()))
    };
    let next_due = move || {
        store
            .data
            .with(|p| all.with_value(|all| p.next_due_after(all, today.get_value())))
    };
    let items = lessons
        .iter()
        .map(|l| {
            let ids: Vec<String> = l.questions.iter().map(|q| q.to_string()).collect();
            let total = ids.len();
            let ids = StoredValue::new(ids);
            let score = move || store.data.with(|p| ids.with_value(|ids| p.score(ids)));
            let done = move || store.data.with(|p| p.completed.contains(l.id));
            let status = move || {
                let (answered, _) = score();
                if done() {
                    ("done", "✓", "Completed")
                } else if answered > 0 {
                    ("started", "◐", "In progress")
                } else {
                    ("new", "○", "Not started")
                }
            };
            let href = Route::Lesson {
                id: l.id.to_string(),
                anchor: None,
            }
            .href();
            view! {
                <li class="lesson-item" data-lesson=l.id class:done=done>
                    <span class="lesson-no" aria-hidden="true">{l.order}</span>
                    <div class="lesson-text">
                        <h3 class="lesson-title"><a href=href>{l.title}</a></h3>
                        <p class="lesson-summary">{l.summary}</p>
                        <p class="lesson-meta">
                            <span class=move || format!("lesson-status {}", status().0)>
                                <span aria-hidden="true">{move || status().1} " "</span>
                                {move || status().2}
                            </span>
                            <span class="lesson-score">
                                {move || {
                                    let (a, r) = score();
                                    if a == 0 && total > 0 { format!("{total} questions") } else { score_words(a, r, total) }
                                }}
                            </span>
                        </p>
                    </div>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let confirming = RwSignal::new(false);
    let reset_said = RwSignal::new(String::new());
    view! {
        <main class="lessons-page" id="main">
            <div class="lessons-head">
                <h2>"Lessons"</h2>
                <p class="muted">
                    {format!(
                        "{} short lessons on how DaemonSet pods are scheduled, each with a scenario to play and a quiz graded by the simulation.",
                        lessons.len(),
                    )}
                </p>
                <SavingNote/>
            </div>
            <section class="review-entry" aria-labelledby="review-entry-title">
                <h3 id="review-entry-title">"Review"</h3>
                <p class="review-count">
                    {move || match (due_today(), next_due()) {
                        (0, None) => "Nothing is due for review. Every question you answer comes back here when it is due: a missed one at once, one you got right in a few days, then less and less often.".to_string(),
                        (0, Some(at)) => format!("Nothing is due today. Next review: {}.", super::review::when(at, today.get_value())),
                        (1, _) => "1 question is due today.".to_string(),
                        (n, _) => format!("{n} questions are due today."),
                    }}
                </p>
                <a class="btn primary review-link" href=Route::Review.href()>"Start a review"</a>
            </section>
            <ol class="lesson-list" aria-label="Lessons in order">{items}</ol>
            <section class="reset" aria-labelledby="reset-title">
                <h3 id="reset-title" class="visually-hidden">"Reset progress"</h3>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button class="btn reset-progress" on:click=move |_| {
                            confirming.set(true);
                            reset_said.set(String::new());
                            super::focus_later("reset-cancel".into());
                        }>
                            "Reset progress…"
                        </button>
                    }
                >
                    <div class="confirm" role="group" aria-labelledby="confirm-q">
                        <p id="confirm-q">"Erase every answer, score and the review queue? This cannot be undone."</p>
                        <button class="btn danger" on:click=move |_| {
                            store.reset();
                            confirming.set(false);
                            reset_said.set("Progress erased.".to_string());
                        }>"Yes, erase my progress"</button>
                        " "
                        <button class="btn" id="reset-cancel" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </Show>
                <p class="reset-said" role="status">{move || reset_said.get()}</p>
            </section>
        </main>
    }
}
