//! Single choice and true/false (radio buttons), multiple select (checkboxes): a fieldset whose
//! legend is the prompt. Options are (index in the lesson file, text), in the order shown.

use leptos::prelude::*;

use super::PromptText;
use crate::markdown;

#[component]
pub fn SingleChoice(
    name: String,
    prompt: PromptText,
    options: Vec<(usize, String)>,
    locked: Signal<bool>,
    on_pick: Callback<usize>,
) -> impl IntoView {
    let ctx = prompt.ctx.clone();
    let items = options
        .into_iter()
        .map(|(i, text)| {
            view! {
                <li>
                    <label class="choice">
                        <input
                            type="radio"
                            name=name.clone()
                            value=i.to_string()
                            disabled=locked
                            on:change=move |_| on_pick.run(i)
                        />
                        <span class="choice-text">{markdown::inline(&text, &ctx)}</span>
                    </label>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <fieldset class="choices">
            <legend class="question-prompt" id=prompt.id.clone()>{prompt.view()}</legend>
            <ul class="choice-list">{items}</ul>
        </fieldset>
    }
}

#[component]
pub fn MultipleChoice(
    name: String,
    prompt: PromptText,
    options: Vec<(usize, String)>,
    locked: Signal<bool>,
    on_change: Callback<Vec<usize>>,
) -> impl IntoView {
    let ctx = prompt.ctx.clone();
    let picked = RwSignal::new(Vec::<usize>::new());
    let items = options
        .into_iter()
        .map(|(i, text)| {
            view! {
                <li>
                    <label class="choice">
                        <input
                            type="checkbox"
                            name=name.clone()
                            value=i.to_string()
                            disabled=locked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                picked.update(|p| {
                                    p.retain(|x| *x != i);
                                    if on {
                                        p.push(i);
                                    }
                                    dslab_sim::sort::sort(p);
                                });
                                on_change.run(picked.get_untracked());
                            }
                        />
                        <span class="choice-text">{markdown::inline(&text, &ctx)}</span>
                    </label>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <fieldset class="choices">
            <legend class="question-prompt" id=prompt.id.clone()>{prompt.view()}</legend>
            <p class="hint">"Select every answer that is right."</p>
            <ul class="choice-list">{items}</ul>
        </fieldset>
    }
}
