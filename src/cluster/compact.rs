//! A compact tile per node, for big clusters: icon, name, and the one-line summary as a tooltip
//! and as the accessible name.

use leptos::prelude::*;

use crate::model::{NodeCard, Readiness};
use crate::state::use_lab;

#[component]
pub fn NodeTile(card: NodeCard) -> impl IntoView {
    let lab = use_lab();
    let name = card.name.clone();
    let selected = {
        let name = name.clone();
        Memo::new(move |_| lab.selected.with(|s| s.as_deref() == Some(name.as_str())))
    };
    let summary = card.summary();
    let name_for_sel = name.clone();
    view! {
        <li
            class=format!("tile {}", card.slot.class())
            class:selected=selected
            class:cordoned=card.cordoned
            class:not-ready=card.readiness == Readiness::NotReady
            data-node=name.clone()
        >
            <button title=summary.clone() aria-label=summary on:click=move |_| lab.selected.set(Some(name_for_sel.clone()))>
                <span aria-hidden="true">{card.slot.icon()}</span>
                <span class="tile-name">{name.clone()}</span>
            </button>
        </li>
    }
}
