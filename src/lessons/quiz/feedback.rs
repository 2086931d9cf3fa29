//! What a question shows once answered: right or wrong (icon and words), the right answer when
//! wrong, the core's verdict for an edited manifest (or where it fails to parse), the explanation,
//! the myth it tests, and a link to the lesson section. Announced politely to screen readers.

use dslab_sim::lessons::quiz::Graded;
use dslab_sim::lessons::{Lesson, Question, QuestionKind};
use leptos::prelude::*;

use crate::lessons::data;
use crate::markdown::{self, LinkCtx};
use crate::route::Route;

/// Where an edited manifest failed to parse (from the core's error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub path: String,
    pub message: String,
}

impl YamlError {
    /// The core's parse error for a manifest, if it has one.
    pub fn of(text: &str) -> Option<YamlError> {
        dslab_sim::parse_daemonset(text.as_bytes(), "your DaemonSet")
            .err()
            .map(|e| YamlError {
                line: e.line,
                column: e.column,
                path: e.path.clone(),
                message: e.message.clone(),
            })
    }

    pub fn place(&self) -> String {
        let mut s = if self.line > 0 {
            format!("line {}, column {}", self.line, self.column)
        } else {
            "the manifest".to_string()
        };
        if !self.path.is_empty() {
            s.push_str(&format!(" (at {})", self.path));
        }
        s
    }
}

#[component]
pub fn Feedback(
    lesson: &'static Lesson,
    question: &'static Question,
    result: ReadSignal<Option<Graded>>,
    yaml_error: ReadSignal<Option<YamlError>>,
) -> impl IntoView {
    let q = question;
    let ctx = LinkCtx {
        lesson: lesson.id.clone(),
    };
    let is_fix = matches!(q.kind, QuestionKind::FixYaml { .. });
    // A section of this lesson, or "lesson-id#anchor" (the questions Quiz me makes point into the
    // lessons).
    let (section_href, section_title) = match q.section.split_once('#') {
        Some((other, anchor)) => (
            Route::Lesson {
                id: other.to_string(),
                anchor: Some(anchor.to_string()),
            }
            .href(),
            data::entry(other).map_or_else(|| anchor.to_string(), |e| format!("{} (lesson)", e.title)),
        ),
        None => (
            Route::Lesson {
                id: lesson.id.clone(),
                anchor: Some(q.section.clone()),
            }
            .href(),
            data::section_title(lesson, &q.section),
        ),
    };
    let body = move || {
        let g = result.get()?;
        let (class, icon, words) = if g.correct {
            ("feedback ok", "✓", "Right.")
        } else {
            ("feedback bad", "✗", "Not quite.")
        };
        let expected = (!g.correct && !is_fix).then(|| {
            view! {
                <p class="expected">
                    <strong>"The right answer: "</strong>
                    <span class="expected-text">{g.expected.clone()}</span>
                </p>
            }
        });
        let verdict = is_fix.then(|| match yaml_error.get() {
            Some(e) => view! {
                <p class="yaml-error">
                    <strong>{format!("Your YAML does not parse — {}: ", e.place())}</strong>
                    {e.message}
                </p>
            }
            .into_any(),
            None => view! {
                <p class="fix-verdict">
                    <strong>"The simulation says: "</strong>
                    {g.detail.clone().unwrap_or_default()}
                    {(!g.correct).then(|| format!("; wanted {}.", g.expected))}
                </p>
            }
            .into_any(),
        });
        let myth = q.myth.clone().map(|m| {
            view! {
                <p class="myth-note">
                    <strong class="myth-label"><span aria-hidden="true">"✗ "</span>"Myth this question tests: "</strong>
                    {m}
                </p>
            }
        });
        Some(view! {
            <div class=class>
                <p class="verdict">
                    <span class="verdict-icon" aria-hidden="true">{icon}</span>
                    " "
                    <strong class="verdict-words">{words}</strong>
                </p>
                {expected}
                {verdict}
                <div class="explanation">{markdown::render(&q.explanation, &ctx, 3)}</div>
                {myth}
                <p class="section-link">
                    <a href=section_href.clone()>{format!("Read the section: {section_title}")}</a>
                </p>
            </div>
        })
    };
    view! { <div class="feedback-live" aria-live="polite">{body}</div> }
}
