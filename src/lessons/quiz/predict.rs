//! "Predict the placement": the learner marks the nodes (nodes running a pod, nodes the controller
//! wants a pod on, nodes on the current revision) or picks the state or revision of the pod on one
//! node. The options come from the core (`quiz::predict_options` over the lesson's run), and so
//! does the grade.

use dslab_sim::lessons::quiz::{self, Response};
use dslab_sim::lessons::{Lesson, PredictAsk, Question, QuestionKind};
use leptos::prelude::*;

use super::PromptText;
use crate::lessons::data;

#[component]
pub fn Predict(
    lesson: &'static Lesson,
    question: &'static Question,
    prompt: PromptText,
    locked: Signal<bool>,
    answer: RwSignal<Option<Response>>,
) -> impl IntoView {
    let QuestionKind::Predict { after, ask, node } = &question.kind else {
        return ().into_any();
    };
    let timeline = data::timeline(lesson);
    let Some(t) = timeline.as_ref() else {
        return view! { <p class="question-error">"This lesson's scenario did not run, so this question cannot be asked."</p> }
            .into_any();
    };
    let options = quiz::predict_options(t, question);
    let moment = if *after == 0 {
        "once the cluster has settled, before the first event".to_string()
    } else {
        format!("once event {after} of the scenario has settled")
    };
    let name = question.id.clone();
    match ask {
        PredictAsk::PodState | PredictAsk::PodRevision => {
            let node = node.clone().unwrap_or_default();
            let hint = if *ask == PredictAsk::PodState {
                format!("Pick the state of the DaemonSet's pod on {node}, {moment}.")
            } else {
                format!("Pick the revision of the DaemonSet's pod on {node}, {moment}.")
            };
            let items = options
                .into_iter()
                .map(|opt| {
                    let o = opt.clone();
                    view! {
                        <li>
                            <label class="choice">
                                <input
                                    type="radio"
                                    name=name.clone()
                                    value=opt.clone()
                                    disabled=locked
                                    on:change=move |_| answer.set(Some(Response::State(o.clone())))
                                />
                                <span class="choice-text">{opt}</span>
                            </label>
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <fieldset class="choices predict">
                    <legend class="question-prompt" id=prompt.id.clone()>{prompt.view()}</legend>
                    <p class="hint">{hint}</p>
                    <ul class="choice-list">{items}</ul>
                </fieldset>
            }
            .into_any()
        }
        _ => {
            answer.set(Some(Response::Nodes(Vec::new())));
            let what = match ask {
                PredictAsk::ShouldRun => {
                    "Mark every node the DaemonSet controller wants a pod on (shouldRun)"
                }
                PredictAsk::NodesUpdated => {
                    "Mark every node whose pod is of the DaemonSet's current revision"
                }
                PredictAsk::NodesPending => "Mark every node that has a Pending pod of the DaemonSet",
                PredictAsk::NodesMisscheduled => {
                    "Mark every node that has a pod of the DaemonSet although the controller does not want one there (misscheduled)"
                }
                _ => "Mark every node that has a Running pod of the DaemonSet",
            };
            let hint = format!("{what}, {moment}. Mark none if no node does.");
            let picked = RwSignal::new(Vec::<String>::new());
            let items = options
                .into_iter()
                .map(|n| {
                    let n2 = n.clone();
                    view! {
                        <li>
                            <label class="choice node-choice">
                                <input
                                    type="checkbox"
                                    name=name.clone()
                                    value=n.clone()
                                    data-node-option=n.clone()
                                    disabled=locked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.update(|p| {
                                            p.retain(|x| *x != n2);
                                            if on {
                                                p.push(n2.clone());
                                            }
                                        });
                                        answer.set(Some(Response::Nodes(picked.get_untracked())));
                                    }
                                />
                                <span class="choice-text">{n}</span>
                            </label>
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <fieldset class="choices predict">
                    <legend class="question-prompt" id=prompt.id.clone()>{prompt.view()}</legend>
                    <p class="hint">{hint}</p>
                    <ul class="choice-list nodes">{items}</ul>
                </fieldset>
            }
            .into_any()
        }
    }
}
