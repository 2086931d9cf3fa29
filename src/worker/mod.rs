//! The simulation runs in a Web Worker: the page sends what the user changed (an editor's text,
//! the DaemonSet picked, the mode, the story) and renders what comes back, so that reading a
//! 5,000-node dump or simulating a rollout over it never freezes the page.
//!
//! The worker runs this same wasm (the page's bundle, fetched once and cached): `main` sees that
//! it is in a worker and serves requests (`service`) instead of mounting the app. Messages are
//! postcard bytes, with the editors' texts beside them as JS strings. A story's timeline stays in
//! the worker: the page asks for the position on screen and gets a frame (`frames`); console
//! lines run there too, and the commands that change the cluster come back as events the worker
//! plays after the story (`StoryWire::Console`), so the page never reads the cluster itself.
//! The audit page's dump travels the same way, as the JS string the browser gave it
//! (`Update::audit_text`), and its questions come back as `Response::Audit` (`crate::audit`).
//! Where workers are missing, the same service runs on the page (`client`).

pub mod client;
pub mod frames;
pub mod service;

use serde::{Deserialize, Serialize};

use frames::{Frame, KubectlAnswer, StoryIndex};

use crate::audit::wire::{AuditAnswer, AuditAsk};

use crate::model::{EditorError, NodeCard, UiMode};
use crate::stories::StoryWire;

/// What changed on the page; `None` fields are unchanged.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Update {
    /// The page's number for this update (increasing): a story run carries the number of the
    /// update that asked for it.
    #[serde(default)]
    pub ticket: u64,
    /// Forget the cluster read so far (before reading the texts below, if any).
    #[serde(default)]
    pub reset: bool,
    /// The DaemonSet editor's new text. (The texts travel beside the payload, as they are: a 7 MB
    /// dump copied into the payload and out again would cost the page a long task.)
    #[serde(skip)]
    pub daemonsets: Option<EditorText>,
    /// The Nodes editor's new text.
    #[serde(skip)]
    pub nodes: Option<EditorText>,
    /// The choices that every verdict and story depends on (sent whole each time).
    pub choices: Option<Choices>,
    /// The player's position to draw (answered with a `Frame` of the story's current run).
    pub seek: Option<usize>,
    /// A console line to run, or to complete (Tab), on the story at a position.
    pub kubectl: Option<KubectlAsk>,
    /// Asks for the scenario on screen as a scenario file (Export, Copy link).
    #[serde(default)]
    pub scenario_file: bool,
    /// Asks for Quiz me's questions on the editors' cluster.
    #[serde(default)]
    pub quiz_me: bool,
    /// A question of the audit page (answered with `Response::Audit`).
    #[serde(default)]
    pub audit: Option<AuditAsk>,
    /// The dump to audit, beside the payload as the editors' texts are.
    #[serde(skip)]
    pub audit_text: Option<EditorText>,
    /// A file to import (its name; its text travels as `nodes`): a manifest or a dump fills the
    /// editors (answered with `Response::Imported`).
    pub import: Option<String>,
}

/// An imported manifest or dump, as the editors now hold it: its DaemonSets (as YAML) in the
/// DaemonSet editor, the file itself in the Nodes editor when it holds Nodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    pub daemonsets: Option<String>,
    pub nodes: bool,
    /// What it held ("2 DaemonSet(s), 5000 node(s), 0 pod(s); skipped …").
    pub note: String,
}

/// An editor's text on its way to the worker: as the page's Rust code holds it, or, for a big
/// paste, the JS string the browser gave. A 36 MB paste copied into the wasm's memory on the page
/// and out again to post it cost a 158 ms task; as a JS string it is copied once, by the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorText {
    Owned(String),
    Js(js_sys::JsString),
    /// A file the page picked or was dropped: read by the worker as bytes, never decoded on the
    /// page (reading 44 MB into a JS string there, and copying it into the worker's memory, cost
    /// about 250 ms before the worker could start).
    File(web_sys::Blob),
    /// A file's bytes, read on the page when no worker could be started (only a worker can read
    /// a file at once, and the service answers at once).
    Bytes(Vec<u8>),
}

impl EditorText {
    pub fn into_string(self) -> String {
        match self {
            EditorText::Owned(text) => text,
            EditorText::Js(text) => text.into(),
            EditorText::File(file) => {
                String::from_utf8_lossy(&read_file(&file).unwrap_or_default()).into_owned()
            }
            EditorText::Bytes(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The text's bytes, as the core reads them (its checks name a UTF-16 or broken file).
    pub fn into_bytes(self) -> Result<Vec<u8>, String> {
        match self {
            EditorText::File(file) => read_file(&file),
            EditorText::Bytes(bytes) => Ok(bytes),
            text => Ok(text.into_string().into_bytes()),
        }
    }
}

/// A file's bytes, read synchronously: only a worker may (`FileReaderSync`).
fn read_file(file: &web_sys::Blob) -> Result<Vec<u8>, String> {
    web_sys::FileReaderSync::new()
        .and_then(|reader| reader.read_as_array_buffer(file))
        .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
        .map_err(|e| format!("{e:?}"))
}

impl From<String> for EditorText {
    fn from(text: String) -> Self {
        EditorText::Owned(text)
    }
}

/// Quiz me's questions on the editors' cluster: the core's questions as YAML (the page reads them
/// as it reads a lesson's), and what they are about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizMeText {
    pub questions_yaml: String,
    pub daemonset: String,
    pub nodes: usize,
}

/// The scenario on screen (the editors' cluster, the story's events, then the console's) as a
/// scenario file writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioText {
    pub title: Option<String>,
    pub yaml: String,
    /// Its events alone, as a link carries them.
    pub events_yaml: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KubectlAsk {
    pub index: usize,
    pub line: String,
    /// Tab: the completions of `line`, not its run.
    pub complete: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    /// `namespace/name` of the DaemonSet picked (the first when none or gone).
    pub pick: Option<String>,
    pub mode: UiMode,
    /// The story being played, if any.
    pub story: Option<StoryWire>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Response {
    /// The worker's wasm is up: requests sent from now on are served.
    Ready,
    /// Long work started: what it is.
    Busy(String),
    /// The update is answered (every update ends with this, and only this one).
    Done,
    DaemonSets(Result<DaemonSetsRead, EditorError>),
    Nodes(Result<NodesRead, EditorError>),
    /// `None`: the editors hold no valid DaemonSet or no nodes yet.
    Verdicts(Option<Verdicts>),
    /// A run of the story (`run`: the ticket of the update that caused it) and how it went: its
    /// positions, or why it could not be built. Frames of that run follow when the page seeks.
    StoryHead {
        run: u64,
        head: Result<StoryIndex, String>,
    },
    Frame {
        run: u64,
        frame: Frame,
    },
    /// The answer to a console line (`ticket`: the update that carried it).
    Kubectl {
        ticket: u64,
        answer: KubectlAnswer,
    },
    Completions {
        ticket: u64,
        list: Vec<String>,
    },
    ScenarioFile {
        ticket: u64,
        file: Result<ScenarioText, String>,
    },
    /// `Ok(None)`: the file is not a manifest (the page reads it as a scenario file).
    Imported {
        ticket: u64,
        import: Result<Option<Imported>, String>,
    },
    QuizMe {
        ticket: u64,
        quiz: Result<QuizMeText, String>,
    },
    Audit {
        ticket: u64,
        answer: AuditAnswer,
    },
}

impl Response {
    /// Where a response carries a text beside its payload, as the editors' texts travel: the
    /// playground's nodes from the audit page (MBs for a big cluster).
    pub fn text_beside(&mut self) -> Option<&mut Option<EditorText>> {
        match self {
            Response::Audit {
                answer: AuditAnswer::Playground(Ok(texts)),
                ..
            } => Some(&mut texts.nodes),
            _ => None,
        }
    }
}

/// The DaemonSet editor's DaemonSets, each printed as YAML (small: the page reads them back for
/// the picker and the pod panel), and what was skipped.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DaemonSetsRead {
    pub docs: Vec<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodesRead {
    pub nodes: usize,
    pub pods: usize,
    pub note: Option<String>,
}

/// The verdicts on the editors' cluster, as the cards show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdicts {
    pub summary: String,
    pub notes: Vec<String>,
    pub cards: Vec<NodeCard>,
    /// Pods found in the Nodes editor, and how many of them belong to other workloads.
    pub pods: usize,
    pub other_pods: usize,
}

#[cfg(test)]
mod tests {
    use super::service::Service;
    use super::*;
    use crate::examples;

    /// Every response the service gives for the editors and a story, and the updates that asked
    /// for them, read back as they were written (postcard has no field names: a field skipped on
    /// one side only would shift every field after it).
    #[test]
    fn messages_read_back_as_written() {
        let updates = [
            Update {
                ticket: 1,
                daemonsets: Some(examples::DAEMONSET_YAML.to_string().into()),
                nodes: Some(examples::NODES_YAML.to_string().into()),
                choices: Some(Choices {
                    pick: None,
                    mode: UiMode::Legacy,
                    story: Some(StoryWire::RollingUpdate {
                        max_unavailable: "1".into(),
                        max_surge: "0".into(),
                    }),
                }),
                seek: Some(4),
                ..Update::default()
            },
            Update {
                ticket: 2,
                nodes: Some(String::from("kind: Node\nmetadata: [").into()),
                kubectl: Some(KubectlAsk {
                    index: 2,
                    line: "cordon node-a".into(),
                    complete: false,
                }),
                scenario_file: true,
                quiz_me: true,
                ..Update::default()
            },
            Update {
                ticket: 3,
                audit: Some(crate::audit::wire::AuditAsk::Read {
                    file: "audit-dump.yaml".into(),
                }),
                audit_text: Some(
                    include_str!("../../crates/cli/tests/fixtures/audit-dump.yaml")
                        .to_string()
                        .into(),
                ),
                ..Update::default()
            },
            Update {
                ticket: 4,
                audit: Some(crate::audit::wire::AuditAsk::WhatIf {
                    ds: 1,
                    settings: ["1".into(), "0".into(), "5".into()],
                }),
                ..Update::default()
            },
        ];
        let mut service = Service::default();
        let mut responses = Vec::new();
        for update in updates {
            let bytes = postcard::to_allocvec(&update).unwrap();
            let back: Update = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(
                format!("{back:?}"),
                format!(
                    "{:?}",
                    Update {
                        daemonsets: None,
                        nodes: None,
                        audit_text: None,
                        ..update.clone()
                    }
                )
            );
            service.update(update, &mut |r| responses.push(r));
        }
        for kind in [
            "DaemonSets",
            "Nodes(Ok",
            "Nodes(Err",
            "Verdicts(Some",
            "StoryHead",
            "Frame",
            "Kubectl",
            "ScenarioFile",
            "QuizMe",
            "Audit { ticket: 3, answer: Report(Ok",
            "Audit { ticket: 4, answer: WhatIf(Ok",
        ] {
            assert!(
                responses.iter().any(|r| format!("{r:?}").starts_with(kind)),
                "no {kind} among the responses"
            );
        }
        for r in responses {
            let bytes = postcard::to_allocvec(&r).unwrap();
            let back: Response = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(format!("{back:?}"), format!("{r:?}"));
        }
    }
}
