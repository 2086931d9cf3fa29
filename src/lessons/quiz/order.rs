//! "Put the steps in order": a list the learner rearranges by dragging, or from the keyboard with
//! each step's "Move up" / "Move down" buttons (focus follows the step; the move is announced).

use leptos::prelude::*;

use super::PromptText;
use crate::lessons::focus_later;
use crate::markdown;

#[component]
pub fn OrderSteps(
    qid: String,
    prompt: PromptText,
    /// The steps in the right order (the lesson file's order).
    steps: Vec<String>,
    /// The order shown first (indexes into `steps`).
    start: Vec<usize>,
    locked: Signal<bool>,
    on_change: Callback<Vec<usize>>,
) -> impl IntoView {
    let ctx = prompt.ctx.clone();
    let order = RwSignal::new(start);
    let said = RwSignal::new(String::new());
    let dragging = RwSignal::new(None::<usize>);
    let over = RwSignal::new(None::<usize>);
    let n = steps.len();
    let qid = StoredValue::new(qid);
    let steps = StoredValue::new(steps);
    let short = move |step: usize| steps.with_value(|s| s[step].clone());
    // Moves a step to a position; says so; keeps the focus on the button pressed when it can.
    let move_to = move |step: usize, to: usize, focus: Option<&'static str>| {
        let mut list = order.get_untracked();
        let Some(from) = list.iter().position(|s| *s == step) else {
            return;
        };
        let to = to.min(n - 1);
        if from == to {
            return;
        }
        list.remove(from);
        list.insert(to, step);
        order.set(list.clone());
        on_change.run(list);
        said.set(format!("“{}” moved to position {} of {n}.", short(step), to + 1));
        if let Some(dir) = focus {
            let dir = match (dir, to) {
                ("up", 0) => "down",
                ("down", t) if t + 1 == n => "up",
                (d, _) => d,
            };
            focus_later(format!("{}-step{step}-{dir}", qid.get_value()));
        }
    };
    let item = move |step: usize| {
        let text = short(step);
        let pos = move || order.with(|o| o.iter().position(|s| *s == step).unwrap_or(0));
        let up_id = format!("{}-step{step}-up", qid.get_value());
        let down_id = format!("{}-step{step}-down", qid.get_value());
        view! {
            <li
                class="order-item"
                class:dragging=move || dragging.get() == Some(step)
                class:drop-target=move || over.get() == Some(step) && dragging.get() != Some(step)
                draggable=move || if locked.get() { "false" } else { "true" }
                on:dragstart=move |ev: web_sys::DragEvent| {
                    if locked.get_untracked() {
                        ev.prevent_default();
                        return;
                    }
                    if let Some(dt) = ev.data_transfer() {
                        let _ = dt.set_data("text/plain", &short(step));
                        dt.set_effect_allowed("move");
                    }
                    dragging.set(Some(step));
                }
                on:dragover=move |ev: web_sys::DragEvent| {
                    if dragging.get_untracked().is_some() {
                        ev.prevent_default();
                        over.set(Some(step));
                    }
                }
                on:dragleave=move |_| {
                    if over.get_untracked() == Some(step) {
                        over.set(None);
                    }
                }
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    if let Some(d) = dragging.get_untracked() {
                        move_to(d, pos(), None);
                    }
                    dragging.set(None);
                    over.set(None);
                }
                on:dragend=move |_| {
                    dragging.set(None);
                    over.set(None);
                }
            >
                <span class="order-pos" aria-hidden="true">{move || format!("{}.", pos() + 1)}</span>
                <span class="grip" aria-hidden="true">"⠿"</span>
                <span class="order-text">{markdown::inline(&text, &ctx)}</span>
                <span class="order-buttons">
                    <button
                        type="button"
                        class="btn small"
                        id=up_id
                        aria-label=format!("Move up: {text}")
                        title="Move up"
                        disabled=move || locked.get() || pos() == 0
                        on:click=move |_| move_to(step, pos().saturating_sub(1), Some("up"))
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="btn small"
                        id=down_id
                        aria-label=format!("Move down: {text}")
                        title="Move down"
                        disabled=move || { locked.get() || pos() + 1 >= n }
                        on:click=move |_| move_to(step, pos() + 1, Some("down"))
                    >
                        "↓"
                    </button>
                </span>
            </li>
        }
    };
    view! {
        <fieldset class="order">
            <legend class="question-prompt" id=prompt.id.clone()>{prompt.view()}</legend>
            <p class="hint">"Drag the steps, or use each step's Move up and Move down buttons, then check."</p>
            <ol class="order-list">
                <For each=move || order.get() key=|s| *s children=item/>
            </ol>
            <p class="visually-hidden" aria-live="polite">{move || said.get()}</p>
        </fieldset>
    }
}
