//! "Fix the YAML": a text area holding the DaemonSet; the core judges the edit (`quiz::grade`,
//! which plans it against the lesson scenario's nodes). A manifest that does not parse is shown
//! with the core's line and column.

use dslab_sim::lessons::quiz::Response;
use leptos::prelude::*;

use super::PromptText;

#[component]
pub fn FixYaml(
    qid: String,
    prompt: PromptText,
    start: String,
    /// The text being edited (kept by the question card across "Try again").
    text: RwSignal<String>,
    locked: Signal<bool>,
    answer: RwSignal<Option<Response>>,
) -> impl IntoView {
    let area_id = format!("{qid}-yaml");
    let start = StoredValue::new(start);
    view! {
        <div class="fix-yaml">
            <label class="question-prompt" id=prompt.id.clone() for=area_id.clone()>{prompt.view()}</label>
            <p class="hint">"Edit the manifest below, then check: the simulation decides where its pods would run."</p>
            <textarea
                id=area_id
                class="yaml-area"
                rows=move || text.with(|t| t.lines().count().clamp(6, 30) + 1)
                wrap="off"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                readonly=locked
                prop:value=move || text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    answer.set(Some(Response::Yaml(v.clone())));
                    text.set(v);
                }
            ></textarea>
            <button
                type="button"
                class="btn small"
                disabled=locked
                on:click=move |_| {
                    let s = start.get_value();
                    answer.set(Some(Response::Yaml(s.clone())));
                    text.set(s);
                }
            >
                "Reset to the starting YAML"
            </button>
        </div>
    }
}
