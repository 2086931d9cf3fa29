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

/// The node names drawn: they follow the cards' names one chunk per animation frame. A big
/// cluster then appears over a few dozen frames, and a new cluster replaces the tiles of the old
/// one a chunk at a time (dropping 2,000 tiles at once and drawing them again was a 183 ms task).
/// Also returns whether they are still catching up (the view is then busy).
fn drawn_names(names: Memo<Vec<String>>) -> (RwSignal<Vec<String>>, RwSignal<bool>) {
    let drawn = RwSignal::new(Vec::new());
    let catching_up = RwSignal::new(false);
    Effect::new(move |_| {
        names.track();
        if !catching_up.get_untracked() {
            catching_up.set(true);
            catch_up(drawn, names, catching_up);
        }
    });
    (drawn, catching_up)
}

fn catch_up(drawn: RwSignal<Vec<String>>, names: Memo<Vec<String>>, catching_up: RwSignal<bool>) {
    // Called again at the next frame, when the view may be gone (the reader went to another page
    // or lesson): its signals are then disposed, and reading one panicked.
    let Some(mut next) = drawn.try_get_untracked() else {
        return;
    };
    match names.try_with_untracked(|target| next_chunk(&mut next, target)) {
        Some(true) => {
            drawn.try_set(next);
            request_animation_frame(move || catch_up(drawn, names, catching_up));
        }
        Some(false) => {
            catching_up.try_set(false);
        }
        None => {}
    }
}

/// Moves `drawn` one chunk towards `target`; false when they are equal. The first chunk that
/// differs takes the target's names, unless that would shift the chunks after it (the target's
/// last chunk is shorter): then the last chunk drawn goes first. Either way only one chunk
/// changes, and the chunks drawn after it keep their names.
fn next_chunk(drawn: &mut Vec<String>, target: &[String]) -> bool {
    let part = |v: &[String], k: usize| -> std::ops::Range<usize> {
        (k * CHUNK).min(v.len())..((k + 1) * CHUNK).min(v.len())
    };
    let chunks = drawn.len().max(target.len()).div_ceil(CHUNK);
    let Some(k) = (0..chunks).find(|&k| drawn[part(drawn, k)] != target[part(target, k)]) else {
        return false;
    };
    let end = (k + 1) * CHUNK;
    if target.len() >= end || drawn.len() <= end {
        let (from, to) = (part(drawn, k), part(target, k));
        drawn.splice(from, target[to].iter().cloned());
    } else {
        drawn.truncate(end.max((drawn.len() - 1) / CHUNK * CHUNK));
    }
    true
}

/// The names of chunk `k`.
fn chunk(names: RwSignal<Vec<String>>, k: usize) -> Vec<String> {
    names.with(|n| {
        n.get(k * CHUNK..n.len().min((k + 1) * CHUNK))
            .unwrap_or_default()
            .to_vec()
    })
}

#[component]
pub fn ClusterView() -> impl IntoView {
    let lab = use_lab();
    let (names, catching_up) = drawn_names(lab.names);
    let chunks = move || (0..names.with(Vec::len).div_ceil(CHUNK)).collect::<Vec<_>>();
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
    // cards are of the step before (or, while the tiles catch up with a new node list, of the
    // cluster before).
    let drawing = move || {
        if lab.cells_pending.get() || catching_up.get() || lab.sim.redrawing() {
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

#[cfg(test)]
mod tests {
    use super::{next_chunk, CHUNK};

    fn names(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}-{i}")).collect()
    }

    #[test]
    fn the_drawn_names_reach_the_cards_one_chunk_at_a_time() {
        let cases = [
            ("a first big cluster", names("a", 0), names("a", 5000), 53),
            ("the same", names("a", 300), names("a", 300), 0),
            ("other names, as many", names("a", 2000), names("b", 2000), 21),
            ("a smaller cluster", names("a", 1000), names("b", 150), 1 + 9 + 1),
            ("no nodes left", names("a", 1000), names("b", 0), 11),
            (
                "a bigger one, same first names",
                names("a", 150),
                names("a", 1000),
                10,
            ),
            (
                "one node more, in the middle",
                names("a", 500),
                [names("a", 250), vec!["x".into()], names("a", 500)[250..].to_vec()].concat(),
                4,
            ),
        ];
        for (name, start, target, steps) in cases {
            let mut drawn = start;
            let mut taken = 0;
            loop {
                let before = drawn.clone();
                if !next_chunk(&mut drawn, &target) {
                    break;
                }
                taken += 1;
                assert!(taken <= steps, "{name}: more than {steps} steps");
                // One chunk changed; the others kept their names.
                let chunks = before.len().max(drawn.len()).div_ceil(CHUNK);
                let part = |v: &Vec<String>, k: usize| {
                    v[(k * CHUNK).min(v.len())..((k + 1) * CHUNK).min(v.len())].to_vec()
                };
                let changed = (0..chunks)
                    .filter(|&k| part(&before, k) != part(&drawn, k))
                    .count();
                assert_eq!(changed, 1, "{name}: step {taken} changed {changed} chunks");
            }
            assert_eq!(drawn, target, "{name}");
            assert_eq!(taken, steps, "{name}");
        }
    }
}
