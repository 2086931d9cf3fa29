//! A compact tile per node, for big clusters: icon, name, and the one-line summary as a tooltip
//! and as the accessible name.

use leptos::prelude::*;

use crate::model::Readiness;
use crate::state::use_lab;

#[component]
pub fn NodeTile(name: String) -> impl IntoView {
    let lab = use_lab();
    let card = lab.card(name.clone());
    // Everything the tile shows, in one memo: a big cluster has thousands of tiles, each reacting
    // to its own card only.
    let look = Memo::new(move |_| {
        card.with(|c| {
            c.as_ref().map_or_else(Default::default, |c| {
                let mut class = format!("tile {}", c.slot.class());
                if c.cordoned {
                    class.push_str(" cordoned");
                }
                if c.readiness == Readiness::NotReady {
                    class.push_str(" not-ready");
                }
                (class, c.summary(), c.slot.icon())
            })
        })
    });
    let selected = {
        let name = name.clone();
        Memo::new(move |_| lab.selected.with(|s| s.as_deref() == Some(name.as_str())))
    };
    let summary = move || look.with(|l| l.1.clone());
    let name_for_sel = name.clone();
    view! {
        // An explicit listitem: the chunk's list around it is presentational.
        <li role="listitem" class=move || look.with(|l| l.0.clone()) class:selected=selected data-node=name.clone()>
            <button title=summary aria-label=summary on:click=move |_| lab.selected.set(Some(name_for_sel.clone()))>
                <span aria-hidden="true">{move || look.with(|l| l.2)}</span>
                <span class="tile-name">{name.clone()}</span>
            </button>
        </li>
    }
}
