//! Lessons and quizzes: the lesson list (`#/lessons`), a lesson with its live scenario and quiz
//! (`#/lesson/ID`), and the review session (`#/review`). The lesson list comes from an index built
//! in; each lesson file is fetched when it is needed (`data`); every answer is graded by the core.

pub mod data;
mod index;
mod page;
pub mod quiz;
pub mod review;

use leptos::prelude::*;

use crate::progress::{use_progress, Saving};
pub use index::LessonsIndex;
pub use page::LessonPage;
pub use review::ReviewPage;

/// A discreet line when progress cannot be saved (storage missing, disabled, full or corrupted).
#[component]
pub fn SavingNote() -> impl IntoView {
    let store = use_progress();
    view! {
        <p class="saving-note" role="status">
            {move || match store.saving.get() {
                Saving::Saved => None,
                Saving::MemoryOnly(why) => Some(view! {
                    <span aria-hidden="true">"ℹ "</span>
                    {format!("Your progress is kept for this visit only: {why}.")}
                }),
            }}
        </p>
    }
}

/// Shows `ready(lesson)` once the lesson's file has been fetched and parsed (at once when it was
/// loaded before in this visit), `loading()` meanwhile, and `failed(why)` if it cannot be had.
pub fn with_lesson(
    entry: &'static data::LessonEntry,
    loading: impl Fn() -> AnyView + Send + 'static,
    failed: impl Fn(String) -> AnyView + Send + 'static,
    ready: impl Fn(&'static dslab_sim::lessons::Lesson) -> AnyView + Send + 'static,
) -> impl IntoView {
    let state = RwSignal::new_local(data::loaded(entry));
    if state.with_untracked(Option::is_none) {
        leptos::task::spawn_local(async move {
            let result = data::load(entry).await;
            state.try_set(Some(result));
        });
    }
    move || match state.get() {
        None => loading(),
        Some(Err(why)) => failed(why),
        Some(Ok(lesson)) => ready(lesson),
    }
}

/// "3 of 7 answered · 2 right", or "Not started".
pub fn score_words(answered: usize, right: usize, total: usize) -> String {
    if total == 0 {
        "No quiz".to_string()
    } else if answered == 0 {
        format!("Not started · {total} questions")
    } else {
        format!("{answered} of {total} answered · {right} right")
    }
}

/// Moves the focus to an element once the page has been drawn (after a view change).
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}
