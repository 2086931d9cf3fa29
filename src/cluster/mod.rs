//! The cluster view: one card per node (or a compact grid of tiles for big clusters).

mod card;
mod compact;

use leptos::prelude::*;

use crate::state::use_lab;
use card::NodeCardView;
use compact::NodeTile;

/// Nodes drawn per animation frame: a big cluster appears over a few dozen frames, none of them
/// long. Nodes are drawn in chunks of this many: a frame adds one chunk, and the chunks already
/// drawn are not compared again. A chunk is a grid of its own in the compact view: 96 fills the
/// last row of a chunk at 2, 3, 4, 6, 8 or 12 columns.
const CHUNK: usize = 96;

/// How many chunks to draw: one when the node list changes, then one more on each animation
/// frame until all are drawn.
fn chunks_so_far(names: Memo<Vec<String>>) -> RwSignal<usize> {
    let chunks = RwSignal::new(1);
    Effect::new(move |_| {
        names.track();
        chunks.set(1);
        draw_more(chunks, names);
    });
    chunks
}

fn draw_more(chunks: RwSignal<usize>, names: Memo<Vec<String>>) {
    if chunks.get_untracked() * CHUNK >= names.with_untracked(Vec::len) {
        return;
    }
    request_animation_frame(move || {
        chunks.update(|c| *c += 1);
        draw_more(chunks, names);
    });
}

/// The names of chunk `k`.
fn chunk(names: Memo<Vec<String>>, k: usize) -> Vec<String> {
    names.with(|n| {
        n.get(k * CHUNK..n.len().min((k + 1) * CHUNK))
            .unwrap_or_default()
            .to_vec()
    })
}

#[component]
pub fn ClusterView() -> impl IntoView {
    let lab = use_lab();
    let names = lab.names;
    let drawn = chunks_so_far(names);
    let chunks = move || {
        let all = names.with(Vec::len).div_ceil(CHUNK);
        (0..drawn.get().min(all)).collect::<Vec<_>>()
    };
    let summary = move || {
        if let Some(frame) = lab.sim.frame.get() {
            let story = lab
                .sim
                .story
                .with(|s| s.as_ref().map(|s| s.title().to_string()).unwrap_or_default());
            return format!(
                "Simulated cluster, “{story}”, at {}.",
                crate::player::clock(frame.time)
            );
        }
        lab.verdicts
            .with(|v| v.as_ref().map(|v| v.summary.clone()))
            .unwrap_or_else(|| "No cluster yet: fix the YAML on the left.".to_string())
    };
    // Cluster-wide notes of the verdict (e.g. nodes pasted without conditions, taken as Ready),
    // said once here rather than on every card.
    let plan_notes = move || {
        if lab.sim.active() {
            return Vec::new();
        }
        lab.verdicts
            .with(|v| v.as_ref().map(|v| v.notes.clone()).unwrap_or_default())
    };
    // What the worker is doing, while it takes long (a big paste, a story over many nodes).
    let busy = move || {
        let waiting_story = lab.sim.active() && lab.sim.run.with(Option::is_none);
        lab.busy
            .get()
            .or_else(|| waiting_story.then(|| "Simulating the story…".to_string()))
    };
    // While the worker draws the player's position, or the page sets the cards it sent, some
    // cards are of the step before.
    let drawing = move || {
        let index = lab.sim.player.index.get();
        let drawn = lab
            .sim
            .frame
            .with(|f| f.as_ref().is_some_and(|f| f.index == index));
        if lab.cells_pending.get() || (lab.sim.active() && !drawn && lab.sim.error().is_none()) {
            "true"
        } else {
            "false"
        }
    };
    let count = move || lab.names.with(Vec::len);
    // A memo: the list below is rebuilt only when the view switches, not on every change of
    // the cards the switch depends on (their number).
    let compact = Memo::new(move |_| lab.is_compact());
    view! {
        <section class="cluster" aria-labelledby="cluster-title" aria-busy=drawing>
            <div class="cluster-head">
                <h2 id="cluster-title">"Cluster"</h2>
                <p class="cluster-summary" role="status">{summary}</p>
                <p class="cluster-busy" role="status" aria-live="polite">
                    {move || {
                        busy()
                            .map(|b| {
                                view! {
                                    <span class="busy-mark" aria-hidden="true"></span>
                                    {b}
                                }
                            })
                    }}
                </p>
                {move || {
                    plan_notes()
                        .into_iter()
                        .map(|n| view! { <p class="cluster-note"><span aria-hidden="true">"ℹ "</span>{n}</p> })
                        .collect_view()
                }}
                <label class="compact-toggle">
                    <input
                        type="checkbox"
                        prop:checked=compact
                        on:change=move |ev| lab.compact.set(Some(event_target_checked(&ev)))
                    />
                    " Compact view"
                    <span class="muted">{move || format!(" ({} nodes)", count())}</span>
                </label>
            </div>
            <Legend/>
            {move || {
                if compact.get() {
                    // A grid per chunk, each laid out only while in view: a change to a few
                    // hundred tiles then costs the browser their chunks' layout, not all 5,000
                    // tiles' (per animation frame, ~19 ms instead of ~45 ms on this machine).
                    view! {
                        <div class="tiles" role="list" aria-label="Nodes (compact)">
                            <For each=chunks key=|k| *k let:k>
                                <ul class="tile-chunk" role="none">
                                    <For each=move || chunk(names, k) key=|n| n.clone() let:n>
                                        <NodeTile name=n/>
                                    </For>
                                </ul>
                            </For>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="cards" aria-label="Nodes">
                            <For each=chunks key=|k| *k let:k>
                                <For each=move || chunk(names, k) key=|n| n.clone() let:n>
                                    <NodeCardView name=n/>
                                </For>
                            </For>
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="Legend">
            <li class="slot-runs"><span aria-hidden="true">"✓"</span>" pod runs"</li>
            <li class="slot-pending"><span aria-hidden="true">"◷"</span>" created, Pending"</li>
            <li class="slot-keeps"><span aria-hidden="true">"◐"</span>" no new pod (a running one stays)"</li>
            <li class="slot-none"><span aria-hidden="true">"✕"</span>" no pod"</li>
        </ul>
    }
}
