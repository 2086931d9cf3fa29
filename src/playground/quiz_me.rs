//! "Quiz me": questions about the cluster in the editors — which nodes run the pod, why not on a
//! given node, what a taint or a label change would do, how many pods a rolling update's first
//! wave replaces. The core makes the questions and computes every answer (`dslab_sim::lessons::
//! quiz_me`), with explanations from its verdicts; the app asks them with the lessons' question
//! cards, as practice (nothing is saved).

use dslab_sim::lessons::{Lesson, Question};
use leptos::prelude::*;

use crate::lessons::quiz::QuestionCard;
use crate::state::use_lab;
use crate::worker::{Response, Update};

/// A lesson holding the questions, kept for the rest of the visit (the cards borrow it; one per
/// press of the button).
fn as_lesson(questions: Vec<dslab_sim::lessons::Question>) -> &'static Lesson {
    Box::leak(Box::new(Lesson {
        file: "quiz-me".into(),
        id: "quiz-me".into(),
        title: "Quiz me".into(),
        order: 0,
        summary: String::new(),
        body: String::new(),
        body_line: 1,
        sections: Vec::new(),
        scenario_yaml: None,
        scenario: None,
        questions,
    }))
}

/// The questions as the worker wrote them.
pub(crate) fn read_questions(yaml: &str) -> Result<Vec<Question>, String> {
    let unreadable = |e: serde_yaml::Error| format!("the questions could not be read: {e}");
    let list: Vec<serde_yaml::Value> = serde_yaml::from_str(yaml).map_err(unreadable)?;
    list.into_iter()
        .map(|q| serde_yaml::from_value(q).map_err(unreadable))
        .collect()
}

#[component]
pub fn QuizMe() -> impl IntoView {
    let lab = use_lab();
    // The questions of the last press, and what they are about.
    let quiz: RwSignal<Option<(&'static Lesson, String)>> = RwSignal::new(None);
    let problem = RwSignal::new(None::<String>);
    let make = move |_| {
        let ask = Update {
            quiz_me: true,
            ..Update::default()
        };
        // The worker holds the cluster: it makes the questions, the page reads them as a lesson's.
        lab.ask(ask, move |response| {
            let Response::QuizMe { quiz: made, .. } = response else {
                return;
            };
            let read = made.and_then(|q| {
                let questions = read_questions(&q.questions_yaml)?;
                Ok((questions, q))
            });
            match read {
                Ok((questions, q)) => {
                    problem.set(None);
                    let about = format!(
                        "{} question(s) about {} on these {} node(s), made and answered by the simulation from the editors as they are now. Practice only: nothing is saved. Press Quiz me again after an edit.",
                        questions.len(),
                        q.daemonset,
                        q.nodes
                    );
                    quiz.set(Some((as_lesson(questions), about)));
                    crate::lessons::focus_later("quiz-me-about".into());
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    view! {
        <section class="quiz quiz-me" aria-labelledby="quiz-me-title">
            <div class="quiz-head">
                <h2 id="quiz-me-title">"Quiz me on this cluster"</h2>
                <button class="btn primary quiz-me-button" on:click=make>"Quiz me"</button>
            </div>
            {move || problem.get().map(|p| view! { <p class="question-error" role="alert">{p}</p> })}
            {move || {
                quiz.get().map(|(lesson, about)| {
                    let cards = lesson
                        .questions
                        .iter()
                        .enumerate()
                        .map(|(i, q)| view! { <QuestionCard lesson=lesson question=q number=i + 1 practice=true/> })
                        .collect::<Vec<_>>();
                    view! {
                        <p class="muted quiz-me-about" id="quiz-me-about" tabindex="-1">{about}</p>
                        {cards}
                    }
                })
            }}
        </section>
    }
}
