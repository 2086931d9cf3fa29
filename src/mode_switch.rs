//! The scheduling mode switch: current (v1.12+) or legacy (before v1.12).

use leptos::prelude::*;

use crate::model::UiMode;
use crate::state::use_lab;

#[component]
pub fn ModeSwitch() -> impl IntoView {
    let lab = use_lab();
    let option = move |mode: UiMode, note: &'static str| {
        view! {
            <label class="mode-option" class:active=move || lab.mode.get() == mode>
                <input
                    type="radio"
                    name="mode"
                    prop:checked=move || lab.mode.get() == mode
                    on:change=move |_| lab.mode.set(mode)
                />
                <span class="mode-title">{mode.title()}</span>
                <span class="mode-note">{note}</span>
            </label>
        }
    };
    view! {
        <fieldset class="mode-switch">
            <legend>"Scheduling mode"</legend>
            {option(UiMode::Current, "controller adds a node affinity, the scheduler binds")}
            {option(UiMode::Legacy, "controller sets spec.nodeName, no scheduler")}
        </fieldset>
    }
}
