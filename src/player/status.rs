//! `kubectl get ds` as it would print at this step, and the events as `kubectl describe` lists
//! them.

use leptos::prelude::*;

use super::pipeline::clock;
use crate::state::use_lab;
use dslab_sim::kubectl::words::GET_DS_COLUMNS;

#[component]
pub fn StatusRow() -> impl IntoView {
    let lab = use_lab();
    let sim = lab.sim;
    // The worker computed the row with the frame: the core's rule, as the console prints it.
    let row = move || sim.frame.get()?.ds_row.clone();
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
    let events = Memo::new(move |_| match sim.frame.get() {
        Some(f) => (f.events.clone(), f.events_total, f.time),
        None => (Vec::new(), 0, 0),
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
