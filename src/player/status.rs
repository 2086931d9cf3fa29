//! `kubectl get ds` as it would print at this step, and the events as `kubectl describe` lists
//! them.

use leptos::prelude::*;

use super::pipeline::clock;
use crate::state::use_lab;
// The row and the ages as the console prints them: one rule, the core's.
use dslab_sim::kubectl::words::{age, get_ds_row, GET_DS_COLUMNS};

const EVENTS_SHOWN: usize = 40;

#[component]
pub fn StatusRow() -> impl IntoView {
    let lab = use_lab();
    let sim = lab.sim;
    let row = move || {
        let view = sim.view.get()?;
        let d = view.daemonsets.first()?;
        // The status after this step, as the core computed it with the step; before the first
        // step, the view's.
        let index = sim.player.index.get();
        let status = sim.replay.with(|r| match r {
            Some(Ok(r)) => r.step(index).map(|s| s.status.clone()),
            _ => None,
        });
        let status = match status {
            Some(Some(s)) => s,
            Some(None) => return None,
            None => d.status.clone(),
        };
        Some(get_ds_row(d, &status, view.time))
    };
    view! {
        <div class="kubectl">
            <p class="kubectl-cmd"><code>"$ kubectl get ds"</code></p>
            <table class="ds-status">
                <thead>
                    <tr>
                        {GET_DS_COLUMNS
                            .into_iter()
                            .map(|h| view! { <th scope="col">{h}</th> })
                            .collect::<Vec<_>>()}
                    </tr>
                </thead>
                <tbody>
                    {move || match row() {
                        Some(cells) => view! { <tr>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect::<Vec<_>>()}</tr> }.into_any(),
                        None => view! { <tr><td colspan="8">"No resources found (the DaemonSet is deleted)."</td></tr> }.into_any(),
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn EventsList() -> impl IntoView {
    let lab = use_lab();
    let sim = lab.sim;
    let events = Memo::new(move |_| {
        let index = sim.player.index.get();
        sim.replay.with(|r| match r {
            Some(Ok(r)) => {
                let (list, total) = r.events_until(index, EVENTS_SHOWN);
                let now = r.step(index).map(|s| s.time).unwrap_or(0);
                let rows: Vec<[String; 5]> = list
                    .into_iter()
                    .map(|e| {
                        [
                            e.type_.to_string(),
                            e.reason.to_string(),
                            age(now.saturating_sub(e.time)),
                            e.from.to_string(),
                            format!("{}: {}", e.object, e.message),
                        ]
                    })
                    .collect();
                (rows, total, now)
            }
            _ => (Vec::new(), 0, 0),
        })
    });
    // Keep the newest event in sight.
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        events.track();
        if let Some(el) = scroller.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });
    view! {
        <div class="kubectl events">
            <p class="kubectl-cmd">
                <code>"$ kubectl describe …  Events:"</code>
                <span class="muted">{move || events.with(|(_, total, now)| format!(" {total} so far, at {}", clock(*now)))}</span>
            </p>
            <div class="events-scroll" tabindex="0" aria-label="Events" node_ref=scroller>
                <table class="events-table">
                    <thead>
                        <tr>
                            {["Type", "Reason", "Age", "From", "Message"].into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect::<Vec<_>>()}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            events
                                .get()
                                .0
                                .into_iter()
                                .map(|[t, r, a, f, m]| {
                                    let warn = t == "Warning";
                                    view! {
                                        <tr class:warning=warn>
                                            <td>{if warn { "⚠ " } else { "" }}{t}</td>
                                            <td>{r}</td>
                                            <td>{a}</td>
                                            <td>{f}</td>
                                            <td>{m}</td>
                                        </tr>
                                    }
                                })
                                .collect::<Vec<_>>()
                        }}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
