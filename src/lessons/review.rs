//! The review session (`#/review`): the questions due today by their FSRS cards (see `progress`
//! and `spaced`), the earliest due first — missed questions are due at once, questions answered
//! right come back after days, then weeks. A round is fixed when it starts; each first answer
//! reschedules its card as it is given.

use leptos::prelude::*;

use super::quiz::QuestionCard;
use super::{data, focus_later, with_lesson, SavingNote};
use crate::progress::{end_of_today_ms, now_ms, use_progress};
use crate::route::Route;
use crate::spaced::DAY_MS;

/// A due date in words, seen from today (`end_of_today`: the last millisecond of today).
pub fn when(at: i64, end_of_today: i64) -> String {
    if at <= end_of_today {
        return "today".to_string();
    }
    match (at - end_of_today - 1) / DAY_MS + 1 {
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let store = use_progress();
    let all = StoredValue::new(data::all_question_ids());
    let make_round = move || {
        let until = end_of_today_ms();
        store
            .data
            .with_untracked(|p| all.with_value(|all| p.due(all, until)))
    };
    let round = RwSignal::new(make_round());
    let pos = RwSignal::new(0usize);
    let answered = RwSignal::new(false);
    let right = RwSignal::new(0usize);
    let restart = move || {
        round.set(make_round());
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
    let next_words = move || {
        let today = end_of_today_ms();
        let (due, next) = store.data.with_untracked(|p| {
            all.with_value(|all| (p.due(all, today).len(), p.next_due_after(all, today)))
        });
        match (due, next) {
            (0, None) => "Nothing else is due.".to_string(),
            (0, Some(at)) => format!("Nothing else is due today. Next review: {}.", when(at, today)),
            (1, _) => "1 question is still due today.".to_string(),
            (n, _) => format!("{n} questions are still due today."),
        }
    };
    let current = move || {
        let ids = round.get();
        let i = pos.get();
        if ids.is_empty() {
            let words = next_words();
            return view! {
                <div class="review-empty">
                    <p>"Nothing is due for review today. Every question you answer in the lessons comes back here when it is due: a missed one at once, one you got right after a few days, then less and less often."</p>
                    <p>{words}</p>
                    <p><a href=Route::Lessons.href()>"Go to the lessons"</a></p>
                </div>
            }
            .into_any();
        }
        let Some(id) = ids.get(i).cloned() else {
            let words = next_words();
            return view! {
                <div class="review-done">
                    <h3 id="review-pos" tabindex="-1">"Round finished"</h3>
                    <p>{format!("{} of {} right on the first try.", right.get_untracked(), ids.len())}</p>
                    <p>{words}</p>
                    <button class="btn primary" on:click=move |_| restart()>"Start another round"</button>
                    " "
                    <a href=Route::Lessons.href()>"Back to the lessons"</a>
                </div>
            }
            .into_any();
        };
        let Some(entry) = data::entry_of_question(&id) else {
            // Skipped by `due` already; kept for safety.
            return view! { <p class="review-item">"This question is no longer in any lesson."</p> }
                .into_any();
        };
        let was_missed = store.data.with_untracked(|p| p.answers.get(&id) == Some(&false));
        let overdue_days = store
            .data
            .with_untracked(|p| p.cards.get(&id).map(|c| (now_ms() - c.due) / DAY_MS).unwrap_or(0));
        let lesson_href = Route::Lesson {
            id: entry.id.to_string(),
            anchor: None,
        }
        .href();
        let card = with_lesson(
            entry,
            || view! { <p class="lesson-loading muted" role="status">"Loading the question…"</p> }.into_any(),
            |why| view! { <p class="lesson-load-error" role="alert">{why}</p> }.into_any(),
            move |lesson| match lesson.questions.iter().find(|q| q.id == id) {
                Some(q) => view! { <QuestionCard lesson=lesson question=q on_graded=on_graded/> }.into_any(),
                None => view! { <p>"This question is no longer in the lesson."</p> }.into_any(),
            },
        );
        view! {
            <div class="review-item">
                <p class="review-pos" id="review-pos" tabindex="-1">
                    {format!("Question {} of {}", i + 1, ids.len())}
                    {if was_missed {
                        view! { <span class="tag missed">"Missed last time"</span> }.into_any()
                    } else if overdue_days > 0 {
                        view! { <span class="tag refresher">{format!("Due {overdue_days} days ago")}</span> }.into_any()
                    } else {
                        view! { <span class="tag refresher">"Due today"</span> }.into_any()
                    }}
                </p>
                <p class="review-from">"From the lesson: " <a href=lesson_href>{entry.title}</a></p>
                {card}
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
            <p class="muted">"The questions due today, the earliest first. A wrong answer brings a question back at once; a right one sends it away for days, then weeks (FSRS spaced repetition)."</p>
            <SavingNote/>
            {current}
        </main>
    }
}
