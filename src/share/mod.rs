//! Sharing a scenario: a link that holds the whole playground in its fragment (`#v1.…`, the
//! core's `share` format, so a static host needs no server), and a scenario YAML file to export
//! and import. The app only gathers the state and puts it back; encoding, decoding and reading a
//! scenario file are the core's.

pub mod offline;
pub mod scenario_file;

use std::time::Duration;

use dslab_sim::share;
use dslab_sim::simulate::Scenario;
use dslab_sim::Mode;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::model::{Shared, UiMode};
use crate::state::{use_lab, Lab};
use crate::stories::Story;
use crate::worker::{EditorText, Response, ScenarioText, Update};

/// The playground as a link's content, with the events of the scenario on screen.
pub fn snapshot(lab: &Lab, events_yaml: String) -> share::Shared {
    let lesson = lab.sim.story.with_untracked(|s| match s {
        Some(Story::Scenario { slug, .. }) => slug.strip_prefix("lesson:").map(str::to_string),
        _ => None,
    });
    let (daemonset_yaml, nodes_yaml) = lab.texts();
    share::Shared {
        daemonset_yaml,
        nodes_yaml,
        events_yaml,
        mode: lab.mode.get_untracked().core().as_str().to_string(),
        step: lab
            .sim
            .story
            .with_untracked(Option::is_some)
            .then(|| lab.sim.player.index.get_untracked()),
        lesson,
    }
}

/// Reads an imported file that is not a manifest as a scenario file (they are small: read on the
/// page, as a link's scenario is).
fn import_scenario(
    lab: Lab,
    name: &str,
    text: &str,
    note: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
) {
    match Scenario::from_yaml(text.as_bytes(), name) {
        Ok(sc) => {
            let title = sc.title.clone().unwrap_or_else(|| name.to_string());
            lab.load_scenario("import", title, sc);
            note.set(Some(format!("Imported {name}.")));
        }
        Err(e) => problem.set(Some(format!("This scenario file cannot be imported: {e}"))),
    }
}

/// The page's address without its fragment.
fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// An empty playground (after a link that cannot be read): no YAML, no cards, no story.
fn empty(lab: &Lab) {
    lab.sim.stop();
    lab.set_ds_text(String::new());
    lab.set_nodes_text(String::new());
    lab.forget_cluster();
    lab.ds_error.set(None);
    lab.nodes_error.set(None);
    lab.selected.set(None);
}

/// Puts a link's playground on screen: the editors' texts as they were, the mode, the events and
/// the step.
pub fn open_link(lab: &Lab, link: share::Shared) -> Result<(), String> {
    lab.sim.stop();
    lab.selected.set(None);
    let mode = Mode::parse(&link.mode).ok_or_else(|| {
        format!(
            "This link names an unknown scheduling mode {:?}; expected current or legacy.",
            link.mode
        )
    })?;
    lab.mode.set(match mode {
        Mode::Current => UiMode::Current,
        Mode::Legacy => UiMode::Legacy,
    });
    // What failed to parse shows in its editor, and no older cluster stays on screen.
    lab.forget_cluster();
    lab.set_ds_text(link.daemonset_yaml);
    lab.set_nodes_text(link.nodes_yaml);
    lab.reparse_daemonset();
    lab.reparse_nodes();
    let Some(step) = link.step else {
        return Ok(());
    };
    // A link's YAML is small (it fits in an address): read here at once, for its events.
    let cluster = (
        crate::model::parse_daemonsets(&lab.ds_text.get_untracked()),
        crate::model::parse_nodes(&lab.nodes_text.get_untracked()),
    );
    let (Ok(ds), Ok(nodes)) = cluster else {
        return Err(
            "The link's YAML has an error (shown in its editor): its scenario cannot be played.".into(),
        );
    };
    let Some(ds) = ds.all.into_iter().next() else {
        return Err("The link holds no DaemonSet.".into());
    };
    let nodes = nodes.nodes;
    if link.events_yaml.trim().is_empty() {
        lab.sim.start(Story::Rollout);
    } else {
        let events = scenario_file::read_events(&link.events_yaml, mode, &ds, &nodes)
            .map_err(|e| format!("The link's events cannot be read: {e}"))?;
        let title = match &link.lesson {
            Some(l) => format!("Shared from lesson {l}"),
            None => "Shared scenario".to_string(),
        };
        let mut sc = scenario_file::bare(Some(title.clone()), mode, &ds, &nodes);
        sc.events = events;
        lab.sim.start(Story::Scenario {
            slug: "link",
            title,
            scenario: Shared::new(sc),
        });
    }
    lab.sim.seek_when_ready(step);
    Ok(())
}

/// Is this fragment meant as a share link (`v1.…`, `s=…`, or another version's `vN.…`)? Page
/// routes (`#/…`) and in-page anchors are not.
pub fn looks_like_link(fragment: &str) -> bool {
    let f = fragment.trim_start_matches('#');
    if f.starts_with("s=") {
        return true;
    }
    match f.strip_prefix('v').and_then(|r| r.split_once('.')) {
        Some((n, _)) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

/// Reads the link in the page's fragment, if there is one and it is not the one read last (going
/// back to it in the history keeps the work done since). `Err`: the message to show.
fn read_link_in_url(lab: &Lab, last: StoredValue<String>) -> Result<bool, String> {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if !looks_like_link(&hash) || last.with_value(|l| *l == hash) {
        return Ok(false);
    }
    last.set_value(hash.clone());
    match share::decode(&hash) {
        Ok(link) => open_link(lab, link).map(|_| true),
        Err(e) => {
            empty(lab);
            Err(e.to_string())
        }
    }
}

/// Calls `navigator.clipboard.writeText(text)` when the browser has it (not on plain http, not
/// in every embedded browser): never fails, says whether it could try.
fn clipboard_write(text: &str) -> Option<js_sys::Promise> {
    let nav = web_sys::window()?.navigator();
    let clip = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")).ok()?;
    if clip.is_undefined() || clip.is_null() {
        return None;
    }
    let write: js_sys::Function = js_sys::Reflect::get(&clip, &JsValue::from_str("writeText"))
        .ok()?
        .dyn_into()
        .ok()?;
    write
        .call1(&clip, &JsValue::from_str(text))
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}

/// Offers `text` as a file download (a Blob of type `mime` behind an object URL).
pub(crate) fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    if let Some(body) = document.body() {
        body.append_child(&a)?;
    }
    a.click();
    a.remove();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(30),
    );
    Ok(())
}

/// A file name from a title: lower case words joined by dashes.
fn file_name(title: Option<&str>) -> String {
    let words: Vec<String> = title
        .unwrap_or("scenario")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let stem = if words.is_empty() {
        "scenario".to_string()
    } else {
        words.join("-")
    };
    format!("{stem}.yaml")
}

#[derive(Clone, PartialEq)]
enum Copied {
    Trying,
    Yes,
    No,
}

/// The header's sharing buttons: Copy link (with the "Scenario link" box), Export and Import a
/// scenario file, and the offline state. Reads a link in the page's address when the page opens
/// and when the address's fragment changes to a link.
#[component]
pub fn ShareBar() -> impl IntoView {
    let lab = use_lab();
    let link: RwSignal<Option<String>> = RwSignal::new(None);
    let copied = RwSignal::new(Copied::No);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let note: RwSignal<Option<String>> = RwSignal::new(None);

    let last_link = StoredValue::new(String::new());
    let read_url = move || match read_link_in_url(&lab, last_link) {
        Ok(true) => {
            problem.set(None);
            note.set(Some("Opened the scenario of the link.".into()));
        }
        Ok(false) => {}
        Err(e) => problem.set(Some(e)),
    };
    read_url();
    let _ = window_event_listener(leptos::ev::hashchange, move |_| read_url());

    // Copy link and Export ask the worker for the scenario on screen (it holds the cluster).
    let scenario_file = move |then: Box<dyn FnOnce(Result<ScenarioText, String>)>| {
        problem.set(None);
        note.set(None);
        let ask = Update {
            scenario_file: true,
            ..Update::default()
        };
        lab.ask(ask, move |response| match response {
            Response::ScenarioFile { file, .. } => then(file),
            _ => then(Err("the simulation did not answer".into())),
        });
    };
    let copy = move |_| {
        // Texts a link could not even carry inflated are refused before being copied out of a
        // big paste (36 MB: a long task for nothing).
        if lab.texts_len() > share::MAX_INFLATED {
            link.set(None);
            problem.set(Some(share::ShareError::TooBig.to_string()));
            return;
        }
        scenario_file(Box::new(move |file| {
            let state = match file {
                Ok(file) => snapshot(&lab, file.events_yaml),
                Err(e) => {
                    problem.set(Some(format!("No link: {e}.")));
                    return;
                }
            };
            let fragment = match share::encode(&state) {
                Ok(fragment) => fragment,
                Err(e) => {
                    link.set(None);
                    problem.set(Some(e.to_string()));
                    return;
                }
            };
            let url = format!("{}#{fragment}", page_address());
            link.set(Some(url.clone()));
            match clipboard_write(&url) {
                None => copied.set(Copied::No),
                Some(p) => {
                    copied.set(Copied::Trying);
                    leptos::task::spawn_local(async move {
                        let ok = JsFuture::from(p).await.is_ok();
                        copied.set(if ok { Copied::Yes } else { Copied::No });
                    });
                }
            }
        }))
    };

    let export = move |_| {
        scenario_file(Box::new(move |file| match file {
            Ok(file) => {
                let name = file_name(file.title.as_deref());
                match download(&name, &file.yaml, "application/yaml") {
                    Ok(()) => note.set(Some(format!("Exported {name}."))),
                    Err(_) => problem.set(Some("The browser refused the download.".into())),
                }
            }
            Err(e) => problem.set(Some(format!("Nothing to export: {e}."))),
        }))
    };

    let import = move |ev: leptos::ev::Event| {
        problem.set(None);
        note.set(None);
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // The same file can be chosen again.
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            // The file's text stays a JS string: the worker reads it (a 36 MB dump copied into
            // the page's memory, parsed and printed again there froze the page for seconds).
            let Some(text) = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.dyn_into::<js_sys::JsString>().ok())
            else {
                problem.set(Some(format!("The file {name} could not be read.")));
                return;
            };
            let ask = Update {
                import: Some(name.clone()),
                nodes: Some(EditorText::Js(text.clone())),
                ..Update::default()
            };
            lab.ask(ask, move |response| {
                let Response::Imported { import, .. } = response else {
                    return;
                };
                match import {
                    // A manifest or a cluster dump: the worker read it into the editors.
                    Ok(Some(import)) => {
                        lab.show_import(&import, text);
                        note.set(Some(format!("Imported {name}: {}", import.note)));
                    }
                    // Anything else is read as a scenario file.
                    Ok(None) => import_scenario(lab, &name, &String::from(text), note, problem),
                    Err(e) => problem.set(Some(e)),
                }
            });
        });
    };

    view! {
        <div class="share-bar" role="group" aria-label="Share">
            <button class="btn" on:click=copy>"Copy link"</button>
            <button class="btn" on:click=export title="Download the scenario on screen as a YAML file (the format dslab simulate reads)">
                "Export YAML"
            </button>
            <label class="btn file-btn">
                <span aria-hidden="true">"Import YAML"</span>
                <input
                    type="file"
                    class="visually-hidden-file"
                    accept=".yaml,.yml,.json,application/yaml,text/yaml,application/json,text/plain"
                    aria-label="Import a scenario file, a manifest or a cluster dump (YAML or JSON)"
                    on:change=import
                />
            </label>
            <offline::OfflineStatus/>
        </div>
        <Show when=move || link.with(Option::is_some) || problem.with(Option::is_some) || note.with(Option::is_some)>
            <div class="share-panel">
                {move || {
                    link.get()
                        .map(|url| {
                            view! {
                                <label class="share-link">
                                    <span>"Scenario link"</span>
                                    <input
                                        type="text"
                                        readonly
                                        prop:value=url
                                        on:focus=move |ev| {
                                            let input: web_sys::HtmlInputElement = event_target(&ev);
                                            input.select();
                                        }
                                    />
                                </label>
                                <span class="share-copied" role="status">
                                    {move || match copied.get() {
                                        Copied::Trying => "Copying…",
                                        Copied::Yes => "Copied to the clipboard.",
                                        Copied::No => "Select the link and copy it (the clipboard is not available here).",
                                    }}
                                </span>
                            }
                        })
                }}
                {move || problem.get().map(|p| view! { <p class="share-problem" role="alert">{p}</p> })}
                {move || note.get().map(|n| view! { <p class="share-note" role="status">{n}</p> })}
                <button
                    class="btn share-close"
                    on:click=move |_| {
                        link.set(None);
                        problem.set(None);
                        note.set(None);
                    }
                >
                    "Close"
                </button>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_told_apart_from_routes_and_anchors() {
        for yes in ["#v1.abc", "v1.", "#v2.AAAA", "#s=v1.x", "v10.x"] {
            assert!(looks_like_link(yes), "{yes}");
        }
        for no in ["", "#", "#/", "#/lessons", "#cluster-title", "#v", "#va.b", "#vx"] {
            assert!(!looks_like_link(no), "{no}");
        }
    }

    #[test]
    fn file_names_from_titles() {
        assert_eq!(
            file_name(Some("Initial rollout + kubectl")),
            "initial-rollout-kubectl.yaml"
        );
        assert_eq!(file_name(None), "scenario.yaml");
        assert_eq!(file_name(Some("…")), "scenario.yaml");
    }
}
