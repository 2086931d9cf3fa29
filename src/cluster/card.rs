//! One node card: name, labels, taints, state, and its DaemonSet pod (or why there is none).
//! The card stays in place while its content follows the step or the verdict.

use leptos::prelude::*;

use crate::model::{phase_look, NodeCard, PodChip, PodSlot, Readiness};
use crate::state::use_lab;

/// Labels shown before "+N more".
const LABELS_SHOWN: usize = 4;

#[component]
pub fn NodeCardView(name: String) -> impl IntoView {
    let lab = use_lab();
    let card = lab.card(name.clone());
    let selected = {
        let name = name.clone();
        Memo::new(move |_| lab.selected.with(|s| s.as_deref() == Some(name.as_str())))
    };
    let has = move |f: fn(&NodeCard) -> bool| card.with(|c| c.as_ref().is_some_and(f));
    let name_for_sel = name.clone();
    view! {
        <li
            class=move || format!("node-card {}", card.with(|c| c.as_ref().map_or("", |c| c.slot.class())))
            class:selected=selected
            class:cordoned=move || has(|c| c.cordoned)
            class:not-ready=move || has(|c| c.readiness == Readiness::NotReady)
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
            {move || card.get().map(card_body)}
        </li>
    }
}

fn card_body(card: NodeCard) -> impl IntoView {
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
        {state.map(|s| view! { <p class="node-state"><span aria-hidden="true">"⚠ "</span>{s}</p> })}
        <ul class="chips" aria-label="Labels" title=all_labels>
            {labels}
            {(more > 0).then(|| view! { <li class="chip more">{format!("+{more} more")}</li> })}
        </ul>
        {(!card.taints.is_empty()).then(|| view! { <ul class="chips" aria-label="Taints">{taints}</ul> })}
        {match &slot {
            PodSlot::Sim { pods, .. } if !pods.is_empty() => {
                view! {
                    <ul class="pod-chips" aria-label="Pods on this node">
                        {pods.iter().cloned().map(pod_chip).collect::<Vec<_>>()}
                    </ul>
                }
                    .into_any()
            }
            _ => {
                view! {
                    <div class="pod-slot">
                        <span class="slot-icon" aria-hidden="true">{slot.icon()}</span>
                        <span class="slot-label">{slot.label()}</span>
                        {slot.why().map(|w| view! { <p class="slot-why">{w.to_string()}</p> })}
                    </div>
                }
                    .into_any()
            }
        }}
        {card
            .notes
            .iter()
            .map(|n| view! { <p class="node-note"><span aria-hidden="true">"ℹ "</span>{n.clone()}</p> })
            .collect::<Vec<_>>()}
    }
}

fn pod_chip(pod: PodChip) -> impl IntoView {
    let (class, icon) = phase_look(&pod.phase, pod.ready);
    let ready = if pod.ready { "ready" } else { "not ready" };
    let mut facts = vec![ready.to_string()];
    if let Some(r) = pod.revision {
        facts.push(format!("rev {r}"));
    }
    if pod.restarts > 0 {
        facts.push(format!("{} restarts", pod.restarts));
    }
    if !pod.bound {
        facts.push("not bound".to_string());
    }
    if pod.owner.is_none() {
        facts.push("orphan".to_string());
    }
    view! {
        <li class=format!("pod-chip {class}") data-pod=pod.name.clone() data-phase=pod.phase.clone()>
            <span class="pod-icon" aria-hidden="true">{icon}</span>
            <span class="pod-phase">{pod.phase.clone()}</span>
            <span class="pod-name">{pod.name.clone()}</span>
            <span class="pod-facts">{facts.join(" · ")}</span>
            {pod.message.clone().map(|m| view! { <span class="pod-message">{m}</span> })}
        </li>
    }
}
