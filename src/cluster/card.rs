//! One node card: name, labels, taints, state, and its DaemonSet pod (or why there is none).

use leptos::prelude::*;

use crate::model::{NodeCard, Readiness};
use crate::state::use_lab;

/// Labels shown before "+N more".
const LABELS_SHOWN: usize = 4;

#[component]
pub fn NodeCardView(card: NodeCard) -> impl IntoView {
    let lab = use_lab();
    let name = card.name.clone();
    let name_for_sel = name.clone();
    let selected = {
        let name = name.clone();
        Memo::new(move |_| lab.selected.with(|s| s.as_deref() == Some(name.as_str())))
    };
    let slot = card.slot.clone();
    let more = card.labels.len().saturating_sub(LABELS_SHOWN);
    let all_labels = card.labels.join("\n");
    let labels: Vec<_> = card
        .labels
        .iter()
        .take(LABELS_SHOWN)
        .map(|l| view! { <li class="chip label">{l.clone()}</li> })
        .collect();
    let taints: Vec<_> = card
        .taints
        .iter()
        .map(|t| view! { <li class="chip taint"><span aria-hidden="true">"☢ "</span>{t.clone()}</li> })
        .collect();
    let state = match (card.cordoned, card.readiness) {
        (true, Readiness::NotReady) => Some("Cordoned, NotReady"),
        (true, _) => Some("Cordoned"),
        (false, Readiness::NotReady) => Some("NotReady"),
        (false, Readiness::Unknown) => Some("Ready: unknown"),
        (false, Readiness::Ready) => None,
    };
    view! {
        <li
            class=format!("node-card {}", slot.class())
            class:selected=selected
            class:cordoned=card.cordoned
            class:not-ready=card.readiness == Readiness::NotReady
            data-node=name.clone()
        >
            <button
                class="node-name"
                aria-pressed=move || if selected.get() { "true" } else { "false" }
                title="Show the Pod YAML the controller creates for this node"
                on:click=move |_| lab.selected.set(Some(name_for_sel.clone()))
            >
                <span class="node-icon" aria-hidden="true">"▤ "</span>
                {name.clone()}
            </button>
            {state.map(|s| view! { <p class="node-state"><span aria-hidden="true">"⚠ "</span>{s}</p> })}
            <ul class="chips" aria-label="Labels" title=all_labels>
                {labels}
                {(more > 0).then(|| view! { <li class="chip more">{format!("+{more} more")}</li> })}
            </ul>
            {(!card.taints.is_empty()).then(|| view! { <ul class="chips" aria-label="Taints">{taints}</ul> })}
            <div class="pod-slot">
                <span class="slot-icon" aria-hidden="true">{slot.icon()}</span>
                <span class="slot-label">{slot.label()}</span>
                {slot.why().map(|w| view! { <p class="slot-why">{w.to_string()}</p> })}
            </div>
            {card
                .notes
                .iter()
                .map(|n| view! { <p class="node-note"><span aria-hidden="true">"ℹ "</span>{n.clone()}</p> })
                .collect::<Vec<_>>()}
        </li>
    }
}
