//! One quiz question: its prompt, the input its kind needs, "Check", and the feedback. Every
//! answer is graded by the core (`dslab_sim::lessons::quiz::grade`); the app holds no answer.

mod choice;
mod feedback;
mod fix_yaml;
mod order;
mod predict;

use dslab_sim::lessons::quiz::{self, Graded, Response};
use dslab_sim::lessons::{Lesson, Question, QuestionKind};
use leptos::prelude::*;

use crate::lessons::data;
use crate::markdown::{self, LinkCtx};
use crate::progress::use_progress;
use choice::{MultipleChoice, SingleChoice};
use feedback::{Feedback, YamlError};
use fix_yaml::FixYaml;
use order::OrderSteps;
use predict::Predict;

/// A question's prompt (Markdown, one paragraph), shown as the legend or label of its input.
#[derive(Clone)]
pub struct PromptText {
    pub id: String,
    pub text: String,
    pub ctx: LinkCtx,
}

impl PromptText {
    pub fn view(&self) -> Vec<AnyView> {
        markdown::inline(&self.text, &self.ctx)
    }
}

/// The kind of a question, in words.
pub fn kind_label(q: &Question) -> &'static str {
    match q.kind {
        QuestionKind::Single { .. } => "Single choice",
        QuestionKind::Multiple { .. } => "Multiple select",
        QuestionKind::TrueFalse { .. } => "True or false",
        QuestionKind::Order { .. } => "Order the steps",
        QuestionKind::Predict { .. } => "Predict the placement",
        QuestionKind::FixYaml { .. } => "Fix the YAML",
    }
}

fn kind_class(q: &Question) -> &'static str {
    match q.kind {
        QuestionKind::Single { .. } => "single",
        QuestionKind::Multiple { .. } => "multiple",
        QuestionKind::TrueFalse { .. } => "true-false",
        QuestionKind::Order { .. } => "order",
        QuestionKind::Predict { .. } => "predict",
        QuestionKind::FixYaml { .. } => "fix-yaml",
    }
}

/// A question card. `on_graded` hears whether each answer was right (the review session counts).
#[component]
pub fn QuestionCard(
    lesson: &'static Lesson,
    question: &'static Question,
    /// Its number in the list, shown before the kind.
    #[prop(optional)]
    number: Option<usize>,
    #[prop(optional)] on_graded: Option<Callback<bool>>,
    /// Practice only (Quiz me on the playground's cluster): graded, but not saved as progress.
    #[prop(optional)]
    practice: bool,
) -> impl IntoView {
    let store = use_progress();
    let q = question;
    let ctx = LinkCtx {
        lesson: lesson.id.clone(),
    };
    // What the learner has chosen so far (`None`: nothing yet), and the core's grade once checked.
    let answer: RwSignal<Option<Response>> = RwSignal::new(None);
    let result: RwSignal<Option<Graded>> = RwSignal::new(None);
    let yaml_error: RwSignal<Option<YamlError>> = RwSignal::new(None);
    // A manifest being fixed survives "Try again".
    let yaml_text = RwSignal::new(match &q.kind {
        QuestionKind::FixYaml { start, .. } => start.clone(),
        _ => String::new(),
    });
    // Bumped by "Try again": the input is built afresh.
    let attempt = RwSignal::new(0u32);
    let nudge = RwSignal::new(false);
    let locked = Signal::derive(move || result.with(Option::is_some));
    let prompt_id = format!("q-{}-prompt", q.id);
    let check = move || {
        let Some(resp) = answer.get_untracked() else {
            nudge.set(true);
            return;
        };
        nudge.set(false);
        let timeline = data::timeline(lesson);
        let graded = quiz::grade(lesson, q, timeline.as_ref().as_ref(), &resp);
        let right = graded.correct;
        yaml_error.set(match &resp {
            Response::Yaml(text) => YamlError::of(text),
            _ => None,
        });
        result.set(Some(graded));
        let ids = data::question_ids(lesson);
        if !practice {
            store.update(|p| {
                // Only the first check since the card was shown rates it for spaced review.
                p.record(
                    &q.id,
                    right,
                    attempt.get_untracked() == 0,
                    crate::progress::now_ms(),
                );
                p.update_completion(&lesson.id, &ids);
            });
        }
        if let Some(cb) = on_graded {
            cb.run(right);
        }
    };
    let retry = move || {
        result.set(None);
        answer.set(None);
        attempt.update(|a| *a += 1);
    };
    // The result of an earlier visit (hidden while this card shows its own feedback).
    let before = move || {
        if locked.get() {
            return None;
        }
        store.data.with(|p| p.answers.get(&q.id).copied()).map(|right| {
            let (icon, words) = if right {
                ("✓", "last answer right")
            } else {
                ("✗", "last answer wrong")
            };
            view! {
                <span class=if right { "last-result ok" } else { "last-result bad" }>
                    <span aria-hidden="true">{icon} " "</span>
                    {words}
                </span>
            }
        })
    };
    let input = {
        let prompt_id = prompt_id.clone();
        let ctx = ctx.clone();
        move || {
            attempt.track();
            let pid = PromptText {
                id: prompt_id.clone(),
                text: q.prompt.clone(),
                ctx: ctx.clone(),
            };
            match &q.kind {
                QuestionKind::Single { choices, .. } => {
                    let opts: Vec<(usize, String)> = data::shuffled(choices.len(), &q.id)
                        .into_iter()
                        .map(|i| (i, choices[i].clone()))
                        .collect();
                    view! {
                        <SingleChoice
                            name=q.id.clone()
                            prompt=pid
                            options=opts
                            locked=locked
                            on_pick=Callback::new(move |i: usize| answer.set(Some(Response::Choice(i))))
                        />
                    }
                    .into_any()
                }
                QuestionKind::TrueFalse { .. } => view! {
                    <SingleChoice
                        name=q.id.clone()
                        prompt=pid
                        options=vec![(1, "True".to_string()), (0, "False".to_string())]
                        locked=locked
                        on_pick=Callback::new(move |i: usize| answer.set(Some(Response::Bool(i == 1))))
                    />
                }
                .into_any(),
                QuestionKind::Multiple { choices, .. } => {
                    let opts: Vec<(usize, String)> = data::shuffled(choices.len(), &q.id)
                        .into_iter()
                        .map(|i| (i, choices[i].clone()))
                        .collect();
                    view! {
                        <MultipleChoice
                            name=q.id.clone()
                            prompt=pid
                            options=opts
                            locked=locked
                            on_change=Callback::new(move |picked: Vec<usize>| {
                                // Nothing ticked is not an answer yet (every question has a right choice).
                                answer.set((!picked.is_empty()).then_some(Response::Choices(picked)))
                            })
                        />
                    }
                    .into_any()
                }
                QuestionKind::Order { steps } => {
                    let start = data::shuffled_not_identity(steps.len(), &q.id);
                    answer.set(Some(Response::Order(start.clone())));
                    view! {
                        <OrderSteps
                            qid=q.id.clone()
                            prompt=pid
                            steps=steps.clone()
                            start=start
                            locked=locked
                            on_change=Callback::new(move |order: Vec<usize>| answer.set(Some(Response::Order(order))))
                        />
                    }
                    .into_any()
                }
                QuestionKind::Predict { .. } => view! {
                    <Predict lesson=lesson question=q prompt=pid locked=locked answer=answer/>
                }
                .into_any(),
                QuestionKind::FixYaml { start, .. } => {
                    answer.set(Some(Response::Yaml(yaml_text.get_untracked())));
                    view! {
                        <FixYaml qid=q.id.clone() prompt=pid start=start.clone() text=yaml_text locked=locked answer=answer/>
                    }
                    .into_any()
                }
            }
        }
    };
    let heading = match number {
        Some(n) => format!("Question {n} · {}", kind_label(q)),
        None => kind_label(q).to_string(),
    };
    view! {
        <section
            class=format!("question kind-{}", kind_class(q))
            class:answered=locked
            data-question=q.id.clone()
            aria-labelledby=prompt_id.clone()
        >
            <p class="question-head">
                <span class="question-kind">{heading}</span>
                {q.interview.then(|| view! { <span class="tag interview">"Interview question"</span> })}
                {before}
            </p>
            <form
                class="question-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    if !locked.get_untracked() {
                        check();
                    }
                }
            >
                {input}
                <div class="question-actions">
                    <Show
                        when=move || locked.get()
                        fallback=move || view! { <button type="submit" class="btn primary check">"Check answer"</button> }
                    >
                        <button type="button" class="btn retry" on:click=move |_| retry()>
                            "Try again"
                        </button>
                    </Show>
                    <span class="nudge" role="status">
                        {move || nudge.get().then_some("Choose an answer first.")}
                    </span>
                </div>
            </form>
            <Feedback lesson=lesson question=q result=result.read_only() yaml_error=yaml_error.read_only()/>
        </section>
    }
}
