//! "Quiz me": questions about the cluster in the editors — which nodes run the pod, why not on a
//! given node, what a taint or a label change would do, how many pods a rolling update's first
//! wave replaces. The core makes the questions and computes every answer (`dslab_sim::lessons::
//! quiz_me`), with explanations from its verdicts; the app asks them with the lessons' question
//! cards, as practice (nothing is saved).

use dslab_sim::lessons::{quiz_me, Lesson};
use leptos::prelude::*;

use crate::lessons::quiz::QuestionCard;
use crate::state::use_lab;

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

#[component]
pub fn QuizMe() -> impl IntoView {
    let lab = use_lab();
    // The questions of the last press, and what they are about.
    let quiz: RwSignal<Option<(&'static Lesson, String)>> = RwSignal::new(None);
    let problem = RwSignal::new(None::<String>);
    let make = move |_| {
        let (Some(ds), Some((nodes, _))) = (lab.ds.get_untracked(), lab.nodes_now()) else {
            problem.set(Some("Both editors need YAML that parses first.".into()));
            return;
        };
        let mode = lab.mode.get_untracked().core();
        let questions = quiz_me::questions(&ds, nodes.list(), &[], mode);
        if questions.is_empty() {
            problem.set(Some("This cluster has no node to ask about.".into()));
            return;
        }
        problem.set(None);
        let about = format!(
            "{} question(s) about {} on these {} node(s), made and answered by the simulation from the editors as they are now. Practice only: nothing is saved. Press Quiz me again after an edit.",
            questions.len(),
            ds.metadata.name.clone().unwrap_or_default(),
            nodes.list().len()
        );
        quiz.set(Some((as_lesson(questions), about)));
        crate::lessons::focus_later("quiz-me-about".into());
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
