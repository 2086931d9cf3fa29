//! What a scenario can do at a moment: the events (`ScenarioEvent`) and their actions, as the
//! scenario file names them.

use crate::cluster::Outcome;
use k8s_openapi::api::apps::v1::DaemonSetUpdateStrategy;
use k8s_openapi::api::core::v1::{Node, Taint};
use serde_yaml::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct ScenarioEvent {
    /// 0-based position in `events`.
    pub index: usize,
    pub line: usize,
    pub at: Option<u64>,
    /// The DaemonSet it acts on (by name); the first one when not given.
    pub daemonset: Option<String>,
    pub action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cascade {
    Background,
    Orphan,
}

#[derive(Debug, Clone)]
pub enum TemplateChange {
    Image {
        image: String,
        container: Option<String>,
    },
    /// A patch merged into `spec.template`: mappings merge, lists of named items (containers,
    /// env, volumes, …) merge by `name`, other lists are replaced.
    Patch(Value),
}

#[derive(Debug, Clone)]
pub enum Action {
    AddNode(Box<Node>),
    RemoveNode(String),
    Cordon(String),
    Uncordon(String),
    Drain {
        node: String,
        force: bool,
    },
    NodeNotReady(String),
    NodeReady(String),
    /// A container of the DaemonSet pod on `node` exits: `container` names it (None: the first,
    /// as kubectl defaults to the first container).
    CrashPod {
        node: String,
        container: Option<String>,
    },
    DeletePod(String),
    Taint {
        node: String,
        taint: Taint,
    },
    Untaint {
        node: String,
        key: String,
        effect: Option<String>,
    },
    Label {
        node: String,
        labels: BTreeMap<String, String>,
    },
    Unlabel {
        node: String,
        key: String,
    },
    UpdateTemplate {
        change: TemplateChange,
        outcome: Outcome,
    },
    SetUpdateStrategy(DaemonSetUpdateStrategy),
    RolloutUndo {
        to_revision: Option<i64>,
    },
    DeleteDaemonSet {
        cascade: Cascade,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::AddNode(_) => "add-node",
            Action::RemoveNode(_) => "remove-node",
            Action::Cordon(_) => "cordon",
            Action::Uncordon(_) => "uncordon",
            Action::Drain { .. } => "drain",
            Action::NodeNotReady(_) => "node-not-ready",
            Action::NodeReady(_) => "node-ready",
            Action::CrashPod { .. } => "crash-pod",
            Action::DeletePod(_) => "delete-pod",
            Action::Taint { .. } => "taint",
            Action::Untaint { .. } => "untaint",
            Action::Label { .. } => "label",
            Action::Unlabel { .. } => "unlabel",
            Action::UpdateTemplate { .. } => "update-template",
            Action::SetUpdateStrategy(_) => "set-update-strategy",
            Action::RolloutUndo { .. } => "rollout-undo",
            Action::DeleteDaemonSet { .. } => "delete-daemonset",
        }
    }
}

pub const ACTIONS: &[&str] = &[
    "add-node",
    "remove-node",
    "cordon",
    "uncordon",
    "drain",
    "node-not-ready",
    "node-ready",
    "crash-pod",
    "delete-pod",
    "taint",
    "untaint",
    "label",
    "unlabel",
    "update-template",
    "set-update-strategy",
    "rollout-undo",
    "delete-daemonset",
];
