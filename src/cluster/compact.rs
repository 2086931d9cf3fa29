//! A compact tile per node, for big clusters: icon, name, and the one-line summary as a tooltip
//! and as the accessible name.

use leptos::prelude::*;

use crate::model::Readiness;
use crate::state::use_lab;

#[component]
pub fn NodeTile(name: String) -> impl IntoView {
    let lab = use_lab();
    let card = lab.card(name.clone());
    let selected = {
        let name = name.clone();
        Memo::new(move |_| lab.selected.with(|s| s.as_deref() == Some(name.as_str())))
    };
    let summary = move || card.with(|c| c.as_ref().map(|c| c.summary()).unwrap_or_default());
    let name_for_sel = name.clone();
    view! {
        <li
            class=move || format!("tile {}", card.with(|c| c.as_ref().map_or("", |c| c.slot.class())))
            class:selected=selected
            class:cordoned=move || card.with(|c| c.as_ref().is_some_and(|c| c.cordoned))
            class:not-ready=move || card.with(|c| c.as_ref().is_some_and(|c| c.readiness == Readiness::NotReady))
            data-node=name.clone()
        >
            <button title=summary aria-label=summary on:click=move |_| lab.selected.set(Some(name_for_sel.clone()))>
                <span aria-hidden="true">{move || card.with(|c| c.as_ref().map_or("", |c| c.slot.icon()))}</span>
                <span class="tile-name">{name.clone()}</span>
            </button>
        </li>
    }
}
