//! The picture of the whole cluster for one DaemonSet: a cell per node, coloured by its verdict
//! and marked with a letter, with its words on focus and on hover.
//!
//! 5,000 cells are made as plain elements (no reactive closure per cell), for a few ms per
//! animation frame, in chunks the browser lays out only while in view (content-visibility, as
//! the cluster view's tiles). One roving tab stop: Tab enters the picture at one cell, the arrow
//! keys move, Home and End jump; the events are handled once, on the picture.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::wire::{counts, look, VERDICTS};

/// Cells per chunk: 240 fills whole rows at most column counts.
pub const CHUNK: usize = 240;

thread_local! {
    /// Pictures begun so far: a chunk of an older one is not drawn.
    static RUNS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A cell's width and the gap after it (style/audit.css).
const CELL_PX: usize = 20;

/// The most columns up to `fit` that divide a chunk into whole rows.
pub fn grid_columns(fit: usize) -> usize {
    (1..=fit.min(CHUNK))
        .rev()
        .find(|c| CHUNK.is_multiple_of(*c))
        .unwrap_or(1)
}

/// Which cell the arrow keys go to from `at`, in a picture of `len` cells with `cols` per row.
pub fn step(key: &str, at: usize, len: usize, cols: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    let cols = cols.max(1);
    let to = match key {
        "ArrowRight" => (at + 1).min(last),
        "ArrowLeft" => at.saturating_sub(1),
        "ArrowDown" => (at + cols).min(last),
        "ArrowUp" => at.checked_sub(cols).unwrap_or(at),
        "Home" => 0,
        "End" => last,
        "PageDown" => (at + cols * 10).min(last),
        "PageUp" => at.saturating_sub(cols * 10),
        _ => return None,
    };
    Some(to)
}

/// A cell's words: its node and its verdict.
pub fn cell_words(node: &str, v: u8) -> String {
    format!("{node}: {}", look(v).2)
}

fn cell_index(target: Option<web_sys::EventTarget>) -> Option<(web_sys::Element, usize)> {
    let el: web_sys::Element = target?.dyn_into().ok()?;
    let cell = el.closest("[data-i]").ok().flatten()?;
    let i = cell.get_attribute("data-i")?.parse().ok()?;
    Some((cell, i))
}

#[component]
pub fn Picture(
    /// Node names, in the dump's order.
    nodes: Arc<Vec<String>>,
    /// Each node's verdict.
    cells: Arc<Vec<u8>>,
    /// `NAMESPACE/NAME` of the DaemonSet drawn.
    daemonset: String,
) -> impl IntoView {
    let box_ref = NodeRef::<leptos::html::Div>::new();
    let words = RwSignal::new(None::<String>);
    // Cells drawn so far (drawing stops when the picture is dropped: a new dump or DaemonSet).
    let drawn = RwSignal::new(0usize);
    let total = nodes.len();
    // The page asks for its simulations once the cells are drawn.
    let page = use_context::<super::AuditState>();
    // A plain value: the cleanup may run after the component's signals are gone.
    let my_run = Arc::new(AtomicU64::new(0));
    let run_at_cleanup = my_run.clone();
    on_cleanup(move || {
        // Gone before its last cell (a new dump or DaemonSet, another page): drawing stops. What
        // waits for a picture runs after the next one.
        if run_at_cleanup.load(Ordering::Relaxed) == RUNS.with(|r| r.get()) {
            RUNS.with(|r| r.set(r.get() + 1));
        }
    });
    {
        let (nodes, cells) = (nodes.clone(), cells.clone());
        Effect::new(move |_| {
            if let Some(el) = box_ref.get() {
                // Leptos may keep the element of the picture before (same view, rebuilt in
                // place): its cells go, and its drawing stops at its next chunk.
                el.set_text_content(None);
                // Whole rows per chunk: as many columns as fit, among the divisors of CHUNK (so
                // that the rows of one chunk continue those of the one before, and the arrow
                // keys go straight up and down).
                let fit = (el.client_width().max(0) as usize / CELL_PX).max(1);
                let cols = grid_columns(fit);
                let _ = web_sys::HtmlElement::style(&el).set_property("--cols", &cols.to_string());
                let run = RUNS.with(|r| {
                    r.set(r.get() + 1);
                    r.get()
                });
                my_run.store(run, Ordering::Relaxed);
                if let Some(page) = page {
                    page.picture_begins();
                }
                let done = move || {
                    if let Some(page) = page {
                        page.picture_done();
                    }
                };
                draw_chunk(el.into(), nodes.clone(), cells.clone(), 0, drawn, run, done);
            }
        });
    }
    let say = {
        let (nodes, cells) = (nodes.clone(), cells.clone());
        move |i: usize| {
            if let (Some(n), Some(v)) = (nodes.get(i), cells.get(i)) {
                words.set(Some(cell_words(n, *v)));
            }
        }
    };
    let say_focus = say.clone();
    let say_hover = say.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some((cell, at)) = cell_index(ev.target()) else {
            return;
        };
        let cols = columns(&cell);
        let Some(to) = step(&ev.key(), at, drawn.get_untracked().min(total), cols) else {
            return;
        };
        ev.prevent_default();
        move_focus(box_ref, &cell, to);
    };
    let legend = counts(&cells)
        .into_iter()
        .zip(VERDICTS)
        .filter(|(n, _)| *n > 0)
        .map(|(n, (class, letter, words))| {
            view! {
                <li>
                    <span class=format!("cell {class}") aria-hidden="true">{letter}</span>
                    {format!(" {words}: {n}")}
                </li>
            }
        })
        .collect_view();
    let label = format!("Nodes for DaemonSet {daemonset}: one cell per node");
    view! {
        <ul class="cell-legend" aria-label="Legend">{legend}</ul>
        <p class="cell-words" role="status" aria-live="polite">
            {move || {
                words
                    .get()
                    .unwrap_or_else(|| {
                        "Focus a cell (Tab, then the arrow keys), point at it or click it to read its node's verdict."
                            .into()
                    })
            }}
        </p>
        <p class="cell-progress" aria-live="off">
            {move || {
                let n = drawn.get().min(total);
                if n < total { format!("Drawing {n} of {total} nodes…") } else { format!("{total} nodes.") }
            }}
        </p>
        <div
            class="cells"
            role="group"
            aria-label=label
            node_ref=box_ref
            on:keydown=on_key
            on:focusin=move |ev| {
                if let Some((_, i)) = cell_index(ev.target()) {
                    say_focus(i)
                }
            }
            on:mouseover=move |ev| {
                if let Some((_, i)) = cell_index(ev.target()) {
                    say_hover(i)
                }
            }
            on:click=move |ev| {
                if let Some((cell, i)) = cell_index(ev.target()) {
                    move_focus(box_ref, &cell, i);
                    say(i)
                }
            }
        ></div>
    }
}

/// How many cells a row holds: those level with the first of the cell's chunk.
fn columns(cell: &web_sys::Element) -> usize {
    let Some(chunk) = cell.parent_element() else {
        return 1;
    };
    let kids = chunk.children();
    let top = |i: u32| {
        kids.item(i)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|e| e.offset_top())
    };
    let first = top(0);
    let mut n = 1;
    while n < kids.length() && top(n) == first {
        n += 1;
    }
    n as usize
}

/// Moves the single tab stop to cell `to` and focuses it.
fn move_focus(box_ref: NodeRef<leptos::html::Div>, from: &web_sys::Element, to: usize) {
    let Some(el) = box_ref.get_untracked() else {
        return;
    };
    let Ok(Some(next)) = el.query_selector(&format!("[data-i=\"{to}\"]")) else {
        return;
    };
    if let Ok(Some(old)) = el.query_selector("[tabindex=\"0\"]") {
        let _ = old.set_attribute("tabindex", "-1");
    }
    let _ = from.set_attribute("tabindex", "-1");
    let _ = next.set_attribute("tabindex", "0");
    if let Some(next) = next.dyn_ref::<web_sys::HtmlElement>() {
        let _ = next.focus();
    }
}

/// Draws chunks from cell `from` for about `FRAME_MS`, then goes on at the next animation frame:
/// a chunk a frame took 21 frames (350 ms) for 5,000 cells, most of it waiting for frames.
/// `done` once the last cell is in (or nothing more can be drawn), unless a newer picture began.
fn draw_chunk(
    el: web_sys::HtmlElement,
    nodes: Arc<Vec<String>>,
    cells: Arc<Vec<u8>>,
    from: usize,
    drawn: RwSignal<usize>,
    run: u64,
    done: impl Fn() + Copy + 'static,
) {
    if RUNS.with(|r| r.get()) != run {
        return; // a newer picture draws (and says when it is done)
    }
    let window = web_sys::window();
    let page = window.as_ref().and_then(|w| w.document().zip(w.performance()));
    let (Some((doc, clock)), true) = (page, from < nodes.len()) else {
        done();
        return;
    };
    let start = clock.now();
    // One chunk in the frame the picture appears in (the report around it is laid out then too);
    // in later frames, chunks for up to FRAME_MS.
    let budget = if from == 0 { 0.0 } else { FRAME_MS };
    let mut at = from;
    loop {
        let Some(chunk) = draw_cells(&doc, &nodes, &cells, at) else {
            done();
            return;
        };
        let _ = el.append_child(&chunk);
        at = (at + CHUNK).min(nodes.len());
        if at >= nodes.len() || clock.now() - start >= budget {
            break;
        }
    }
    drawn.try_set(at);
    if at < nodes.len() {
        request_animation_frame(move || draw_chunk(el, nodes, cells, at, drawn, run, done));
    } else {
        done();
    }
}

/// Time given to drawing cells in one frame, in ms (the browser then lays them out and paints).
const FRAME_MS: f64 = 8.0;

/// The chunk of cells from `from`: up to `CHUNK` buttons in a div.
fn draw_cells(
    doc: &web_sys::Document,
    nodes: &[String],
    cells: &[u8],
    from: usize,
) -> Option<web_sys::Element> {
    let end = (from + CHUNK).min(nodes.len());
    let chunk = doc.create_element("div").ok()?;
    chunk.set_class_name("cell-chunk");
    // Each cell is a copy of one made here with what all cells share: fewer calls into the page
    // per cell (they are most of a chunk's time).
    let blank = doc.create_element("button").ok()?;
    let _ = blank.set_attribute("type", "button");
    let _ = blank.set_attribute("tabindex", "-1");
    for (i, node) in nodes.iter().enumerate().take(end).skip(from) {
        let v = cells.get(i).copied().unwrap_or(0);
        let (class, letter, _) = look(v);
        let b: web_sys::Element = blank.clone_node().ok()?.dyn_into().ok()?;
        b.set_class_name(&format!("cell {class}"));
        let words = cell_words(node, v);
        let _ = b.set_attribute("data-i", &i.to_string());
        if i == 0 {
            let _ = b.set_attribute("tabindex", "0");
        }
        let _ = b.set_attribute("title", &words);
        let _ = b.set_attribute("aria-label", &words);
        b.set_text_content(Some(letter));
        let _ = chunk.append_child(&b);
    }
    Some(chunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_move_within_the_picture() {
        // 10 cells, 4 per row.
        for (name, key, at, want) in [
            ("right", "ArrowRight", 0, Some(1)),
            ("right at the end stays", "ArrowRight", 9, Some(9)),
            ("left at the start stays", "ArrowLeft", 0, Some(0)),
            ("down a row", "ArrowDown", 1, Some(5)),
            ("down past the end: the last cell", "ArrowDown", 7, Some(9)),
            ("up a row", "ArrowUp", 5, Some(1)),
            ("up from the first row stays", "ArrowUp", 2, Some(2)),
            ("home", "Home", 6, Some(0)),
            ("end", "End", 2, Some(9)),
            ("page down: ten rows, or the last", "PageDown", 0, Some(9)),
            ("another key is not ours", "a", 3, None),
        ] {
            assert_eq!(step(key, at, 10, 4), want, "{name}");
        }
        assert_eq!(step("ArrowRight", 0, 0, 4), None, "no cells");
    }

    #[test]
    fn chunks_are_whole_rows() {
        for (fit, want) in [(0, 1), (1, 1), (7, 6), (67, 60), (100, 80), (500, 240)] {
            assert_eq!(grid_columns(fit), want, "{fit} fit");
        }
    }

    #[test]
    fn a_cell_says_its_node_and_verdict() {
        for (v, want) in [
            (0, "n1: runs its pod"),
            (4, "n1: missed: untolerated-taint"),
            (6, "n1: pending: the scheduler cannot bind its pod"),
            (8, "n1: misscheduled: runs a pod where none should run"),
            (200, "n1: missed: another reason"),
        ] {
            assert_eq!(cell_words("n1", v), want);
        }
    }
}
