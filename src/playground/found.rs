//! Beside the editors: the picker for a file of several DaemonSets, and the one-line note of
//! what an editor skipped.

use leptos::prelude::*;

use crate::model::daemonset_key;
use crate::state::use_lab;

/// Lists the DaemonSets the editor holds (namespace/name) when there is more than one; the one
/// picked is the one the verdicts and stories use.
#[component]
pub fn DaemonSetPicker() -> impl IntoView {
    let lab = use_lab();
    let keys = Memo::new(move |_| {
        lab.ds_all
            .with(|all| all.iter().map(daemonset_key).collect::<Vec<_>>())
    });
    let picked = Memo::new(move |_| lab.ds.with(|d| d.as_ref().map(|d| daemonset_key(d))));
    move || {
        let keys = keys.get();
        (keys.len() > 1).then(|| {
            let count = keys.len();
            let options = keys
                .into_iter()
                .map(|k| {
                    let selected = picked.get().as_deref() == Some(k.as_str());
                    let (namespace, name) = k.split_once('/').unwrap_or(("default", k.as_str()));
                    let label = format!("{name} (namespace {namespace})");
                    view! { <option value=k.clone() selected=selected>{label}</option> }
                })
                .collect_view();
            view! {
                <div class="ds-picker">
                    <label for="ds-pick">{format!("The file holds {count} DaemonSets; simulate:")}</label>
                    <select
                        id="ds-pick"
                        on:change=move |ev| lab.pick_daemonset(event_target_value(&ev))
                    >
                        {options}
                    </select>
                </div>
            }
        })
    }
}

/// "skipped 7 other objects: 1 Namespace, …", when the editor skipped any.
#[component]
pub fn FoundNote(id: &'static str, note: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        note.get().map(|text| {
            view! { <p class="editor-found" id=id role="status">{text}</p> }
        })
    }
}
