//! The Audit page (`#/audit`): a whole cluster dump (`kubectl get ds,nodes,pods -A -o yaml`),
//! pasted, picked or dropped, audited by the core in the worker (`dslab_sim::audit`): one row
//! per DaemonSet as `kubectl get ds` shows it, the nodes of each grouped by reason, a picture of
//! the cluster, the rollout's what-if, and the report exported by the core's formatters.
//!
//! The page holds no rule: it sends the dump (as the JS string the browser gave it, never copied
//! into the page's memory) and renders the words and numbers the worker sends back.

pub mod chart;
mod picture;
pub mod wire;
pub mod work;

use std::sync::Arc;
use std::time::Duration;

use js_sys::JsString;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::Shared;
use crate::playground::editor::clipboard_text;
use crate::route::{use_router, Route};
use crate::state::{use_lab, Lab};
use crate::worker::{EditorText, Response, Update as Ask};
use wire::{AuditAnswer, AuditAsk, AuditView, DsView, WhatIfView};

/// Above this many UTF-16 units a pasted dump is read but not put in the text box (laying out
/// megabytes of text is what holds a page).
const SHOW_LIMIT: u32 = 1 << 20;
/// How long typing must pause before the box is audited.
const TYPING_MS: u64 = 400;
/// How long a what-if field must rest before the rollout is simulated again.
const WHAT_IF_MS: u64 = 120;
/// Made-up dumps the worker audits while the page waits for one (`AuditAsk::WarmUp`): with them
/// the first audit of the 44 MB, 5,000-node dump, picked 1.5 s after the page opened, is about
/// 0.4 s quicker.
const WARM_UP_PIECES: usize = 5;

/// The page's state, kept while the user visits other pages.
#[derive(Clone, Copy)]
pub struct AuditState {
    report: RwSignal<Option<Shared<AuditView>>>,
    /// The report's node names, shared with every picture drawn.
    names: RwSignal<Arc<Vec<String>>>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<Option<String>>,
    /// The DaemonSet in the picture and the what-if (its index in the report).
    pick: RwSignal<usize>,
    settings: RwSignal<[String; 3]>,
    what_if: RwSignal<Option<Shared<WhatIfView>>>,
    what_if_error: RwSignal<Option<String>>,
    /// The last what-if asked (older answers are dropped).
    what_if_seq: StoredValue<u64>,
    note: RwSignal<Option<String>>,
    /// Each DaemonSet's simulated rollout line, once the worker has run them (None: running).
    simulated: RwSignal<Option<Vec<Option<String>>>>,
    /// Warm-up pieces asked so far (`WARM_UP_PIECES` once done, or once a dump was sent).
    warmed: StoredValue<usize>,
    /// A picture is being drawn: the simulations are asked once it has its last cell. Asked
    /// with the report, the worker simulated while the page drew (two cores for both, and the
    /// browser's own work) and their answers were rendered between the picture's frames: tasks of
    /// 50-100 ms, and the last of 5,000 cells 200 ms later.
    picture_drawing: StoredValue<bool>,
    held: StoredValue<Vec<Box<dyn FnOnce()>>, LocalStorage>,
}

impl AuditState {
    pub fn new() -> Self {
        AuditState {
            report: RwSignal::new(None),
            names: RwSignal::new(Arc::new(Vec::new())),
            error: RwSignal::new(None),
            busy: RwSignal::new(None),
            pick: RwSignal::new(0),
            settings: RwSignal::new(Default::default()),
            what_if: RwSignal::new(None),
            what_if_error: RwSignal::new(None),
            what_if_seq: StoredValue::new(0),
            note: RwSignal::new(None),
            simulated: RwSignal::new(None),
            warmed: StoredValue::new(0),
            picture_drawing: StoredValue::new(false),
            held: StoredValue::new_local(Vec::new()),
        }
    }

    /// Runs `then` now, or once the picture being drawn has its last cell.
    fn after_picture(&self, then: impl FnOnce() + 'static) {
        if self.picture_drawing.get_value() {
            self.held.update_value(|h| h.push(Box::new(then)));
        } else {
            then();
        }
    }

    fn picture_begins(&self) {
        self.picture_drawing.set_value(true);
    }

    /// The picture has its last cell: what waited for it runs. (A picture dropped before that,
    /// for a new dump or DaemonSet or another page, leaves it to the next one drawn.)
    fn picture_done(&self) {
        self.picture_drawing.set_value(false);
        for then in self.held.try_update_value(std::mem::take).unwrap_or_default() {
            then();
        }
    }

    /// Starts warming the worker's audit up, once, when it runs in a worker (on the page it would
    /// hold the page).
    fn start_warm_up(&self, lab: Lab) {
        if self.warmed.get_value() == 0 && crate::worker::client::has_worker() {
            self.warm_up(lab);
        }
    }

    /// Asks for the next warm-up piece, then the next: one at a time, so that a dump sent
    /// meanwhile waits for one piece at most.
    fn warm_up(&self, lab: Lab) {
        let s = *self;
        let piece = s.warmed.get_value();
        if piece >= WARM_UP_PIECES {
            return;
        }
        s.warmed.set_value(piece + 1);
        s.ask(lab, AuditAsk::WarmUp { piece }, None, move |_| s.warm_up(lab));
    }

    fn ask(
        &self,
        lab: Lab,
        ask: AuditAsk,
        text: Option<EditorText>,
        then: impl FnOnce(AuditAnswer) + 'static,
    ) {
        let update = Ask {
            audit: Some(ask),
            audit_text: text,
            ..Ask::default()
        };
        lab.ask(update, move |r| {
            if let Response::Audit { answer, .. } = r {
                then(answer)
            }
        });
    }

    /// Sends `text` (a JS string) to be audited.
    fn read(&self, lab: Lab, text: JsString, file: String) {
        let size = text.length();
        self.audit(lab, EditorText::Js(text), size, file);
    }

    /// Sends a picked or dropped file to be audited: the worker reads it.
    fn read_file(&self, lab: Lab, file: web_sys::File) {
        // A float cast saturates: a file over 4 GB reads as 4 GB (the core refuses it anyway).
        let size = file.size() as u32;
        let name = file.name();
        self.audit(lab, EditorText::File(file.into()), size, name);
    }

    /// Sends `text` (of `size` characters or bytes) to be audited, under the name `file`.
    fn audit(&self, lab: Lab, text: EditorText, size: u32, file: String) {
        let s = *self;
        s.warmed.set_value(WARM_UP_PIECES);
        s.busy
            .set(Some(format!("Auditing {file} ({})…", size_words(size))));
        let ask = AuditAsk::Read { file: file.clone() };
        s.ask(lab, ask, Some(text), move |answer| {
            s.busy.set(None);
            let AuditAnswer::Report(report) = answer else {
                return;
            };
            match report {
                Ok(mut view) => {
                    view.file = file;
                    s.names.set(Arc::new(std::mem::take(&mut view.nodes)));
                    if s.pick.get_untracked() >= view.daemonsets.len() {
                        s.pick.set(0);
                    }
                    s.error.set(None);
                    s.note.set(None);
                    s.simulated.set(None);
                    s.report.set(Some(Shared::new(view)));
                    // The picture is drawn first: simulating meanwhile, the worker took the
                    // second core from the page.
                    s.picture_begins();
                    s.after_picture(move || {
                        s.ask(lab, AuditAsk::Simulate, None, move |answer| {
                            if let AuditAnswer::Simulated(lines) = answer {
                                s.simulated.set(Some(lines));
                            }
                        })
                    });
                }
                Err(e) => s.error.set(Some(e)),
            }
        });
    }

    /// Simulates the picked DaemonSet's rollout with the settings on screen.
    fn what_if_now(&self, lab: Lab) {
        let s = *self;
        let seq = s.what_if_seq.get_value() + 1;
        s.what_if_seq.set_value(seq);
        let ask = AuditAsk::WhatIf {
            ds: s.pick.get_untracked(),
            settings: s.settings.get_untracked(),
        };
        let answered = move |answer| {
            if s.what_if_seq.get_value() != seq {
                return;
            }
            if let AuditAnswer::WhatIf(w) = answer {
                match w {
                    Ok(w) => {
                        s.what_if_error.set(None);
                        s.what_if.set(Some(Shared::new(w)));
                    }
                    Err(e) => s.what_if_error.set(Some(e)),
                }
            }
        };
        s.after_picture(move || s.ask(lab, ask, None, answered));
    }
}

impl Default for AuditState {
    fn default() -> Self {
        Self::new()
    }
}

/// "7.5 MB", "12 KB" (of a text's UTF-16 length: near enough for ASCII YAML).
pub fn size_words(units: u32) -> String {
    match units {
        n if n >= 1_000_000 => format!("{:.1} MB", f64::from(n) / 1e6),
        n if n >= 1_000 => format!("{} KB", n / 1_000),
        n => format!("{n} bytes"),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lab = use_lab();
    let state = expect_context::<AuditState>();
    state.start_warm_up(lab);
    // A new report or DaemonSet: the what-if starts from that DaemonSet's own settings.
    Effect::new(move |_| {
        let pick = state.pick.get();
        let own = state.report.with(|r| {
            r.as_ref()
                .and_then(|r| r.daemonsets.get(pick).map(|d| d.strategy.clone()))
        });
        if let Some(own) = own {
            state.settings.set(own);
            state.what_if.set(None);
            state.what_if_error.set(None);
            state.what_if_now(lab);
        }
    });
    view! {
        <main class="audit" id="audit-main" tabindex="-1">
            <h2 class="audit-title">"Audit a cluster"</h2>
            <DumpInput/>
            {move || {
                state
                    .report
                    .get()
                    .map(|r| {
                        // The picture and the what-if are made in a task of their own, after the
                        // table's: made with it, the task in which a big report appears sometimes
                        // took over 100 ms on a fresh page.
                        let rest = RwSignal::new(false);
                        set_timeout(
                            move || {
                                let _ = rest.try_set(true);
                            },
                            Duration::ZERO,
                        );
                        view! {
                            <Report report=r.clone()/>
                            <Show when=move || rest.get()>
                            <section class="audit-picture" aria-labelledby="audit-picture-title">
                                <h2 id="audit-picture-title">"The cluster, node by node"</h2>
                                <PickDs report=r.clone()/>
                                {move || {
                                    let r = state.report.get()?;
                                    let ds = r.daemonsets.get(state.pick.get())?;
                                    Some(
                                        view! {
                                            <picture::Picture
                                                nodes=state.names.get()
                                                cells=Arc::new(ds.cells.clone())
                                                daemonset=ds.key.clone()
                                            />
                                        },
                                    )
                                }}
                            </section>
                            <WhatIf/>
                            </Show>
                        }
                    })
            }}
        </main>
    }
}

#[component]
fn DumpInput() -> impl IntoView {
    let lab = use_lab();
    let state = expect_context::<AuditState>();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let hidden_text = RwSignal::new(None::<String>);
    // A read still waiting when the page goes would run on its disposed values.
    on_cleanup(move || {
        if let Some(Some(h)) = pending.try_get_value() {
            h.clear();
        }
    });
    let read_box = move || {
        if let Some(a) = area.get_untracked() {
            // The box's text as the JS string it is.
            let text = js_sys::Reflect::get(&a, &"value".into())
                .ok()
                .and_then(|v| v.dyn_into::<JsString>().ok());
            if let Some(text) = text.filter(|t| t.trim().length() > 0) {
                hidden_text.set(None);
                state.read(lab, text, "pasted text".into());
            }
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let whole = ev
            .dyn_ref::<web_sys::InputEvent>()
            .is_some_and(|e| matches!(e.input_type().as_str(), "insertFromPaste" | "insertFromDrop"));
        let wait = if whole { 0 } else { TYPING_MS };
        pending.set_value(set_timeout_with_handle(read_box, Duration::from_millis(wait)).ok());
    };
    // A big paste never enters the box: it goes to the worker as the browser gave it.
    let on_paste = move |ev: web_sys::ClipboardEvent| {
        let Some(text) = ev.clipboard_data().map(|d| clipboard_text(&d)) else {
            return;
        };
        let len = text.length();
        if len <= SHOW_LIMIT {
            return;
        }
        ev.prevent_default();
        if let Some(a) = area.get_untracked() {
            a.set_value("");
        }
        hidden_text.set(Some(format!(
            "Pasted {}: read as it is, not shown in the box (laying out that much text would hold the page).",
            size_words(len)
        )));
        state.read(lab, text, "pasted text".into());
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            // The same file can be picked again.
            input.set_value("");
            hidden_text.set(None);
            state.read_file(lab, file);
        }
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let Some(dt) = ev.data_transfer() else {
            return;
        };
        if let Some(file) = dt.files().and_then(|f| f.get(0)) {
            hidden_text.set(None);
            state.read_file(lab, file);
        } else {
            let text = clipboard_text(&dt);
            if text.length() > 0 {
                hidden_text.set(None);
                state.read(lab, text, "dropped text".into());
            }
        }
    };
    let status = move || {
        if let Some(b) = state.busy.get() {
            return b;
        }
        state
            .report
            .with(|r| r.as_ref().map(|r| format!("Audited {}: {}", r.file, r.summary)))
            .unwrap_or_else(|| "No dump audited yet.".into())
    };
    view! {
        <section
            class="audit-input"
            class:dragging=dragging
            aria-labelledby="audit-input-title"
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2 id="audit-input-title">"The dump"</h2>
            <p class="muted" id="audit-hint">
                "Paste, pick or drop the output of "
                <code>"kubectl get ds,nodes,pods -A -o yaml"</code>
                " (or -o json). It is read in your browser: nothing is uploaded."
            </p>
            <label class="audit-label" for="audit-text">"Cluster dump (YAML or JSON)"</label>
            <textarea
                id="audit-text"
                class="audit-text"
                node_ref=area
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                aria-describedby="audit-hint audit-error"
                aria-invalid=move || if state.error.with(Option::is_some) { "true" } else { "false" }
                on:input=on_input
                on:paste=on_paste
            ></textarea>
            {move || hidden_text.get().map(|t| view! { <p class="audit-hidden-note">{t}</p> })}
            <p class="audit-file">
                <label class="btn" for="audit-file">"Pick a file…"</label>
                <input
                    id="audit-file"
                    class="audit-file-input"
                    type="file"
                    accept=".yaml,.yml,.json,.txt,application/json,application/yaml,text/yaml"
                    on:change=on_file
                />
                <span class="muted">" or drop one here."</span>
            </p>
            <div class="audit-error" id="audit-error" role="alert">
                {move || {
                    state
                        .error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error-line">
                                    <span aria-hidden="true">"⚠ "</span>
                                    <strong>"Cannot audit this input. "</strong>
                                    {e}
                                </p>
                                <p class="error-keep">
                                    {move || {
                                        if state.report.with(Option::is_some) {
                                            "The audit below is of the last dump that could be read."
                                        } else {
                                            "Nothing was audited."
                                        }
                                    }}
                                </p>
                            }
                        })
                }}
            </div>
            <p class="audit-status" role="status" aria-live="polite">
                {move || state.busy.with(Option::is_some).then(|| view! { <span class="busy-mark" aria-hidden="true"></span> })}
                {status}
            </p>
            <ul class="audit-notes">
                {move || {
                    state.report.with(|r| r.as_ref().map(|r| items(&r.notes)))
                }}
            </ul>
        </section>
    }
}

#[component]
fn Report(report: Shared<AuditView>) -> impl IntoView {
    let lab = use_lab();
    let state = expect_context::<AuditState>();
    let export = move |markdown: bool| {
        state.note.set(None);
        state.ask(lab, AuditAsk::Export { markdown }, None, move |answer| {
            let AuditAnswer::Export(text) = answer else {
                return;
            };
            let (name, mime) = if markdown {
                ("audit.md", "text/markdown")
            } else {
                ("audit.json", "application/json")
            };
            let said = match text.map(|t| crate::share::download(name, &t, mime)) {
                Ok(Ok(())) => format!("Exported {name}."),
                Ok(Err(_)) => "The browser refused the download.".into(),
                Err(e) => format!("Nothing to export: {e}."),
            };
            state.note.set(Some(said));
        });
    };
    let columns = &dslab_sim::kubectl::words::GET_DS_COLUMNS;
    let rows = report
        .daemonsets
        .iter()
        .enumerate()
        .map(|(i, ds)| ds_rows(i, ds.clone()))
        .collect_view();
    view! {
        <section class="audit-report" aria-labelledby="audit-report-title">
            <h2 id="audit-report-title">"DaemonSets"</h2>
            <div class="audit-export">
                <button class="btn" type="button" on:click=move |_| export(true)>"Export Markdown"</button>
                <button class="btn" type="button" on:click=move |_| export(false)>"Export JSON"</button>
                <span class="audit-note" role="status">{move || state.note.get()}</span>
            </div>
            <div class="audit-table-wrap">
                <table class="audit-table">
                    <caption>
                        "As kubectl get ds -A shows them: each number as the rules compute it from the dump's nodes and pods, with the DaemonSet's own status beside it. Expand a row for its nodes, grouped by reason."
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"NAMESPACE"</th>
                            <th scope="col">{columns[0]}</th>
                            {columns[1..6].iter().map(|c| view! { <th scope="col" class="num">{*c}</th> }).collect_view()}
                            <th scope="col">{columns[6]}</th>
                            <th scope="col">"FINDINGS"</th>
                        </tr>
                    </thead>
                    {rows}
                </table>
            </div>
        </section>
    }
}

/// A DaemonSet's row, and the row that opens under it.
fn ds_rows(i: usize, ds: DsView) -> impl IntoView {
    let lab = use_lab();
    let state = expect_context::<AuditState>();
    let router = use_router();
    let open = RwSignal::new(false);
    let detail = format!("audit-ds-{i}");
    let (namespace, name) = ds.key.split_once('/').unwrap_or(("", &ds.key));
    let (namespace, name) = (namespace.to_string(), name.to_string());
    let mut differ = Vec::new();
    let counts = ds
        .counts
        .iter()
        .zip(&dslab_sim::kubectl::words::GET_DS_COLUMNS[1..6])
        .map(|((computed, reported), column)| {
            let differs = computed != "-" && reported.as_ref().is_some_and(|r| r != "-" && r != computed);
            if differs {
                differ.push(*column);
            }
            let reported = reported
                .as_ref()
                .map_or(String::new(), |r| format!(" (status {r})"));
            view! {
                <td class=if differs { "num differs" } else { "num" }>
                    {computed.clone()}
                    <span class="reported">{reported}</span>
                    <span class="flag">{if differs { " differs" } else { "" }}</span>
                </td>
            }
        })
        .collect_view();
    let differ_words = (!differ.is_empty()).then(|| {
        view! { <p class="flag">{format!("Status differs from the rules: {}.", differ.join(", "))}</p> }
    });
    let to_playground = move |_| {
        state.note.set(None);
        state.ask(
            lab,
            AuditAsk::Playground { ds: i },
            None,
            move |answer| match answer {
                AuditAnswer::Playground(Ok(texts)) => {
                    lab.sim.stop();
                    lab.ds_pick.set(None);
                    lab.set_ds_text(texts.daemonset);
                    match texts.nodes {
                        Some(EditorText::Js(nodes)) => lab.set_nodes_js(nodes),
                        other => lab.set_nodes_text(other.map(EditorText::into_string).unwrap_or_default()),
                    }
                    lab.reparse_daemonset();
                    lab.reparse_nodes();
                    router.go(Route::Playground);
                }
                AuditAnswer::Playground(Err(e)) => state.note.set(Some(e)),
                _ => {}
            },
        );
    };
    let groups = ds
        .groups
        .iter()
        .map(|g| {
            view! {
                <section class="finding">
                    <h3>{g.title.clone()}</h3>
                    <ul>{items(&g.rows)}</ul>
                    {(g.more > 0)
                        .then(|| view! { <p class="muted">{format!("… and {} more (the JSON export lists all).", g.more)}</p> })}
                </section>
            }
        })
        .collect_view();
    let rollout = items(&ds.rollout);
    let simulated = ds.simulating.then(|| {
        let line = move || {
            state.simulated.with(|lines| match lines {
                None => Some("simulated: the rest of the rollout is being simulated…".to_string()),
                Some(lines) => lines.get(i).cloned().flatten(),
            })
        };
        move || line().map(|l| view! { <li>{l}</li> })
    });
    view! {
        <tbody class="ds-body">
            <tr>
                <td>{namespace}</td>
                <th scope="row">
                    <button
                        class="expand"
                        type="button"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=detail.clone()
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        <span aria-hidden="true">{move || if open.get() { "▾ " } else { "▸ " }}</span>
                        {name}
                    </button>
                </th>
                {counts}
                <td class="selector">{ds.node_selector.clone()}</td>
                <td>{ds.headline.clone()} {differ_words}</td>
            </tr>
            <tr id=detail class="ds-detail" prop:hidden=move || !open.get()>
                <td colspan="9">
                    <div class="ds-actions">
                        <button class="btn" type="button" on:click=to_playground>"Open in the playground"</button>
                        <button class="btn" type="button" on:click=move |_| state.pick.set(i)>
                            "Show in the picture and the what-if"
                        </button>
                    </div>
                    {groups}
                    <section class="finding">
                        <h3>"Rollout"</h3>
                        <ul>{rollout} {simulated}</ul>
                    </section>
                </td>
            </tr>
        </tbody>
    }
}

/// Lines of text as list items (one helper, so the wasm holds one copy of this view).
pub fn items(rows: &[String]) -> impl IntoView {
    rows.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()
}

/// The DaemonSet shown in the picture and the what-if.
#[component]
fn PickDs(report: Shared<AuditView>) -> impl IntoView {
    let state = expect_context::<AuditState>();
    let options = report
        .daemonsets
        .iter()
        .enumerate()
        .map(|(i, d)| view! { <option value=i.to_string() selected=move || state.pick.get() == i>{d.key.clone()}</option> })
        .collect_view();
    view! {
        <p class="audit-pick">
            <label for="audit-pick">"DaemonSet "</label>
            <select
                id="audit-pick"
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse() {
                        state.pick.set(i)
                    }
                }
            >
                {options}
            </select>
        </p>
    }
}

#[component]
fn WhatIf() -> impl IntoView {
    let lab = use_lab();
    let state = expect_context::<AuditState>();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let field = move |k: usize, id: &'static str, label: &'static str, hint: &'static str| {
        let on_input = move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            state.settings.update(|s| s[k] = v);
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let later = move || state.what_if_now(lab);
            pending.set_value(set_timeout_with_handle(later, Duration::from_millis(WHAT_IF_MS)).ok());
        };
        let hint_id = format!("{id}-hint");
        view! {
            <p class="whatif-field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="text"
                    inputmode=if k == 2 { "numeric" } else { "text" }
                    autocomplete="off"
                    aria-describedby=hint_id.clone()
                    prop:value=move || state.settings.with(|s| s[k].clone())
                    on:input=on_input
                />
                <span class="muted small" id=hint_id>{hint}</span>
            </p>
        }
    };
    let key = move || {
        state.report.with(|r| {
            r.as_ref()
                .and_then(|r| r.daemonsets.get(state.pick.get()).map(|d| d.key.clone()))
                .unwrap_or_default()
        })
    };
    let charts = move || {
        state.what_if.get().map(|w| {
            let all: Vec<&wire::SeriesView> = w.current.iter().chain([&w.what_if]).collect();
            let scale = chart::scale(&all);
            let now = match &w.current {
                Ok(s) => chart::chart("As it is", "chart-now", s, scale).into_any(),
                Err(e) => view! { <p class="chart-error">{format!("As it is: {e}")}</p> }.into_any(),
            };
            let tables = view! {
                {w.current.as_ref().ok().map(|s| chart::table("As it is", s))}
                {chart::table("What if", &w.what_if)}
            };
            view! {
                <div class="charts">
                    {now}
                    {chart::chart("What if", "chart-whatif", &w.what_if, scale)}
                </div>
                <details class="chart-tables">
                    <summary>"The charts as tables"</summary>
                    {tables}
                </details>
            }
        })
    };
    view! {
        <section class="audit-whatif" aria-labelledby="whatif-title">
            <h2 id="whatif-title">{move || format!("What if: the rollout of {}", key())}</h2>
            <p class="muted">
                "The core simulates the rest of the rollout (every outdated pod replaced; when none is outdated, every pod, as after a template change) as the DaemonSet is, and with the settings below, on one time scale. Pull 3 s, start at once, nodes walked by name."
            </p>
            <div class="whatif-fields">
                {field(0, "whatif-max-unavailable", "maxUnavailable", "a number or a percentage, e.g. 1 or 10%")}
                {field(1, "whatif-max-surge", "maxSurge", "a number or a percentage; exactly one of the two non-zero")}
                {field(2, "whatif-min-ready", "minReadySeconds", "seconds, 0 or more")}
            </div>
            <p class="whatif-error" role="alert">{move || state.what_if_error.get()}</p>
            {chart::key()}
            {charts}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{size_words, AuditState};

    #[test]
    fn sizes_read_in_words() {
        for (n, want) in [
            (0, "0 bytes"),
            (999, "999 bytes"),
            (12_345, "12 KB"),
            (7_512_000, "7.5 MB"),
        ] {
            assert_eq!(size_words(n), want);
        }
    }

    #[test]
    fn simulations_wait_for_the_picture() {
        use std::cell::RefCell;
        use std::rc::Rc;
        let state = AuditState::new();
        let ran = Rc::new(RefCell::new(Vec::new()));
        let log = |name: &'static str| {
            let ran = ran.clone();
            move || ran.borrow_mut().push(name)
        };
        state.after_picture(log("no picture: at once"));
        state.picture_begins();
        state.after_picture(log("simulate"));
        state.after_picture(log("what-if"));
        assert_eq!(
            *ran.borrow(),
            ["no picture: at once"],
            "held while the cells are drawn"
        );
        state.picture_done();
        assert_eq!(
            *ran.borrow(),
            ["no picture: at once", "simulate", "what-if"],
            "in order"
        );
        state.after_picture(log("an edit"));
        assert_eq!(ran.borrow().last(), Some(&"an edit"), "once drawn, at once");
    }
}
