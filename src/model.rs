//! The app's only door to the simulation core. Everything here either calls `dslab_sim` or turns
//! its answers into plain display data (strings, flags). No scheduling rule lives here.

use std::collections::HashMap;
use std::sync::Arc;

use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::k8s_openapi::api::core::v1::{Node, Pod};
use dslab_sim::plan::{NodeVerdict, Plan};
use dslab_sim::{Mode, Nodes};
use serde::{Deserialize, Serialize};

/// An `Arc` compared by identity, so that big parsed objects can sit in memos cheaply.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

/// The two scheduling modes the app can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UiMode {
    Current,
    Legacy,
}

impl UiMode {
    pub fn core(self) -> Mode {
        match self {
            UiMode::Current => Mode::Current,
            UiMode::Legacy => Mode::Legacy,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            UiMode::Current => "Current (v1.12+)",
            UiMode::Legacy => "Legacy (before v1.12)",
        }
    }
}

/// A parse error, as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorError {
    /// 1-based; 0 when the core could not tell.
    pub line: usize,
    /// 1-based; 0 when the core could not tell.
    pub column: usize,
    /// The field path, e.g. `spec.template.spec.tolerations[1].effect` (may be empty).
    pub path: String,
    pub message: String,
}

impl EditorError {
    fn from_core(e: dslab_sim::api::InputError) -> Self {
        EditorError {
            line: e.line,
            column: e.column,
            path: e.path.clone(),
            message: e.message.clone(),
        }
    }

    /// "Line 4, column 7: spec.x: message"
    pub fn headline(&self) -> String {
        let mut s = String::new();
        if self.line > 0 {
            s.push_str(&format!("Line {}", self.line));
            if self.column > 0 {
                s.push_str(&format!(", column {}", self.column));
            }
            s.push_str(": ");
        }
        if !self.path.is_empty() {
            s.push_str(&self.path);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        s
    }
}

/// What the DaemonSet editor holds: its DaemonSets (at least one) and what it left out.
pub struct DaemonSetsFound {
    pub all: Vec<DaemonSet>,
    pub note: Option<String>,
}

/// What the Nodes editor holds: the nodes, read once for every plan made on them, the other
/// workloads' pods of a `kubectl get nodes,pods -A` dump, and what it left out.
pub struct NodesFound {
    pub nodes: Nodes,
    pub pods: Vec<Pod>,
    pub note: Option<String>,
}

pub fn parse_daemonsets(text: &str) -> Result<DaemonSetsFound, EditorError> {
    let file = "daemonset.yaml";
    let m = manifests(text, file)?;
    if m.daemonsets.is_empty() {
        let e = dslab_sim::api::none_of(file, &m, &["DaemonSet"], "a DaemonSet (apps/v1)");
        return Err(EditorError::from_core(e));
    }
    let mut note = m.skipped_besides(&["DaemonSet"]).note();
    if let Some(n) = note
        .as_mut()
        .filter(|_| !m.nodes.is_empty() || !m.pods.is_empty())
    {
        n.push_str(" (Nodes and Pods are read from the Nodes editor)");
    }
    Ok(DaemonSetsFound {
        all: m.daemonsets,
        note,
    })
}

pub fn parse_nodes(text: &str) -> Result<NodesFound, EditorError> {
    let file = "nodes.yaml";
    nodes_found(manifests(text, file)?, file)
}

/// The Nodes and Pods of `m`, as the Nodes editor reads them (`file`: the name errors give).
pub fn nodes_found(m: dslab_sim::api::Manifests, file: &str) -> Result<NodesFound, EditorError> {
    let skipped = m.skipped_besides(&["Node", "Pod"]);
    if m.nodes.is_empty() && !skipped.is_empty() {
        let e = dslab_sim::api::none_of(
            file,
            &m,
            &["Node", "Pod"],
            "Node manifests (kubectl get nodes -o yaml)",
        );
        return Err(EditorError::from_core(e));
    }
    let mut note = skipped.note();
    if let Some(n) = note.as_mut().filter(|_| !m.daemonsets.is_empty()) {
        n.push_str(" (DaemonSets are read from the DaemonSet editor)");
    }
    Ok(NodesFound {
        nodes: Nodes::new(m.nodes),
        pods: m.pods,
        note,
    })
}

/// What an imported manifest or dump held, for the import note.
pub fn import_note(m: &dslab_sim::api::Manifests) -> String {
    let mut said = format!(
        "{} DaemonSet(s), {} node(s), {} pod(s)",
        m.daemonsets.len(),
        m.nodes.len(),
        m.pods.len()
    );
    if let Some(note) = m.skipped.note() {
        said.push_str("; ");
        said.push_str(&note);
    }
    said.push('.');
    said
}

/// A Kubernetes manifest or dump has `kind:` at the top level of its first document; a scenario
/// file has `daemonset:` and `events:` instead.
pub fn looks_like_manifest(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("kind:")) || text.trim_start().starts_with('{')
}

fn manifests(text: &str, file: &str) -> Result<dslab_sim::api::Manifests, EditorError> {
    dslab_sim::api::parse_manifests(text.as_bytes(), file).map_err(EditorError::from_core)
}

/// How many of `pods` belong to other workloads, as the core tells a DaemonSet's own pods apart
/// (same namespace, selected, not owned by another controller).
pub fn other_workload_pods(ds: &DaemonSet, pods: &[Pod]) -> usize {
    pods.iter()
        .filter(|p| !dslab_sim::plan::is_daemon_pod(ds, p))
        .count()
}

/// `namespace/name`, as the picker lists a DaemonSet.
pub fn daemonset_key(ds: &DaemonSet) -> String {
    dslab_sim::api::daemonset_key(ds)
}

pub fn plan(ds: &DaemonSet, nodes: &Nodes, pods: &[Pod], mode: UiMode) -> Plan {
    dslab_sim::plan::plan_on(ds, nodes, pods, mode.core())
}

/// The Pod the controller would create for `node`, as YAML text.
pub fn daemon_pod_yaml(ds: &DaemonSet, node: &str, mode: UiMode) -> String {
    let pod = dslab_sim::new_daemon_pod(ds, node, mode.core());
    // Printed through a YAML value: the core already turns pod templates into YAML values (template
    // patches), so this reuses that code instead of adding a second serializer for every Pod type
    // to the wasm. Same text: the value keeps the fields in order.
    match serde_yaml::to_value(&pod) {
        Ok(value) => dslab_sim::to_yaml(&value),
        Err(e) => format!("# cannot print: {e}\n"),
    }
}

/// Readiness of a node as its Ready condition says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Readiness {
    Ready,
    NotReady,
    Unknown,
}

/// What a node card shows in its pod slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PodSlot {
    /// The controller wants a pod here and the scheduler can place it.
    Runs,
    /// The controller creates a pod here but the scheduler cannot bind it.
    Pending { why: String },
    /// No new pod, but an existing one would keep running.
    Keeps { why: String },
    /// No pod here.
    NoPod { why: String },
    /// A simulated cluster: the pods meant for this node right now (maybe none, then why).
    Sim {
        pods: Vec<PodChip>,
        why: Option<String>,
        wanted: bool,
    },
}

/// A pod on a node card during a simulation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PodChip {
    pub name: String,
    /// As `kubectl get pods` prints it: Pending, ContainerCreating, Running, CrashLoopBackOff, ...
    pub phase: String,
    pub ready: bool,
    pub bound: bool,
    pub revision: Option<i64>,
    pub restarts: u32,
    pub message: Option<String>,
    /// The DaemonSet that owns it; None for an orphan or another workload's pod.
    pub owner: Option<String>,
}

/// How a pod phase looks: a class and an icon (shape, not only colour).
pub fn phase_look(phase: &str, ready: bool) -> (&'static str, &'static str) {
    match phase {
        "Running" if ready => ("pod-running", "✓"),
        "Running" => ("pod-notready", "◔"),
        "Pending" => ("pod-pending", "◷"),
        "ContainerCreating" | "PodInitializing" => ("pod-creating", "◌"),
        "Terminating" => ("pod-terminating", "⊖"),
        "Completed" | "Succeeded" => ("pod-terminating", "■"),
        _ => ("pod-failed", "✕"),
    }
}

impl PodSlot {
    pub fn class(&self) -> &'static str {
        match self {
            PodSlot::Runs => "slot-runs",
            PodSlot::Pending { .. } => "slot-pending",
            PodSlot::Keeps { .. } => "slot-keeps",
            PodSlot::NoPod { .. } => "slot-none",
            PodSlot::Sim { pods, wanted, .. } => match pods.first() {
                None if *wanted => "slot-pending",
                None => "slot-none",
                Some(p) => match phase_look(&p.phase, p.ready).0 {
                    "pod-running" => "slot-runs",
                    "pod-failed" => "slot-bad",
                    "pod-terminating" => "slot-none",
                    _ => "slot-pending",
                },
            },
        }
    }

    pub fn icon(&self) -> &'static str {
        match self {
            PodSlot::Runs => "✓",
            PodSlot::Pending { .. } => "◷",
            PodSlot::Keeps { .. } => "◐",
            PodSlot::NoPod { .. } => "✕",
            PodSlot::Sim { pods, wanted, .. } => match pods.first() {
                Some(p) => phase_look(&p.phase, p.ready).1,
                None if *wanted => "◷",
                None => "✕",
            },
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            PodSlot::Runs => "Pod runs here",
            PodSlot::Pending { .. } => "Pod created, stays Pending",
            PodSlot::Keeps { .. } => "No new pod",
            PodSlot::NoPod { .. } => "No pod",
            PodSlot::Sim { pods, wanted, .. } => match (pods.len(), wanted) {
                (0, true) => "No pod yet",
                (0, false) => "No pod",
                (1, _) => "1 pod",
                _ => "2+ pods",
            },
        }
    }

    pub fn why(&self) -> Option<&str> {
        match self {
            PodSlot::Runs => None,
            PodSlot::Pending { why } | PodSlot::Keeps { why } | PodSlot::NoPod { why } => Some(why),
            PodSlot::Sim { why, .. } => why.as_deref(),
        }
    }
}

/// Everything a node card shows, as plain data (compared whole to decide re-rendering).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NodeCard {
    pub name: String,
    pub labels: Vec<String>,
    pub taints: Vec<String>,
    pub cordoned: bool,
    pub readiness: Readiness,
    pub slot: PodSlot,
    /// Non-blocking facts from the core (cordoned, PreferNoSchedule, ...).
    pub notes: Vec<String>,
}

impl NodeCard {
    /// One line for tooltips and the compact view.
    pub fn summary(&self) -> String {
        let mut s = format!("{}: {}", self.name, self.slot.label());
        if let PodSlot::Sim { pods, .. } = &self.slot {
            for p in pods {
                s.push_str(&format!(", {} {}", p.name, p.phase));
            }
        }
        if let Some(why) = self.slot.why() {
            s.push_str(" — ");
            s.push_str(why);
        }
        if self.cordoned {
            s.push_str(" (cordoned)");
        }
        if self.readiness == Readiness::NotReady {
            s.push_str(" (NotReady)");
        }
        s
    }
}

/// Turns the core's verdict on a node into the card's pod slot; the one-line reason is the core's
/// headline for the node.
pub fn slot_from_verdict(v: &NodeVerdict) -> PodSlot {
    let why = v.headline().map(|r| r.message.clone()).unwrap_or_default();
    if v.should_run {
        if v.scheduler.schedulable == Some(true) {
            PodSlot::Runs
        } else {
            PodSlot::Pending { why }
        }
    } else if v.should_continue_running {
        PodSlot::Keeps { why }
    } else {
        PodSlot::NoPod { why }
    }
}

pub fn node_labels(node: &Node) -> Vec<String> {
    node.metadata
        .labels
        .iter()
        .flatten()
        .map(|(k, v)| {
            if v.is_empty() {
                k.clone()
            } else {
                format!("{k}={v}")
            }
        })
        .collect()
}

pub fn node_taints(node: &Node) -> Vec<String> {
    node.spec
        .iter()
        .flat_map(|s| s.taints.iter().flatten())
        .map(|t| match t.value.as_deref() {
            Some(v) if !v.is_empty() => format!("{}={}:{}", t.key, v, t.effect),
            _ => format!("{}:{}", t.key, t.effect),
        })
        .collect()
}

pub fn node_cordoned(node: &Node) -> bool {
    node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false)
}

pub fn node_readiness(node: &Node) -> Readiness {
    // No Ready condition at all: the core takes the node as Ready and says so once in the plan's
    // notes ("no conditions: taken as Ready"), shown above the cards.
    match dslab_sim::scheduler::node_info::ready_condition(node) {
        None | Some("True") => Readiness::Ready,
        Some("False") => Readiness::NotReady,
        Some(_) => Readiness::Unknown,
    }
}

/// The cards for a planned cluster: one per node, in the order of the nodes.
pub fn cards_from_plan(nodes: &[Node], plan: &Plan) -> Vec<NodeCard> {
    let verdicts: HashMap<&str, &NodeVerdict> = plan.nodes.iter().map(|v| (v.name.as_str(), v)).collect();
    nodes
        .iter()
        .map(|node| {
            let name = node.metadata.name.clone().unwrap_or_default();
            let verdict = verdicts.get(name.as_str());
            let slot = verdict.map(|v| slot_from_verdict(v)).unwrap_or(PodSlot::NoPod {
                why: "the core gave no verdict for this node".to_string(),
            });
            let notes = verdict
                .map(|v| v.notes.iter().map(|n| n.message.clone()).collect())
                .unwrap_or_default();
            NodeCard {
                notes,
                labels: node_labels(node),
                taints: node_taints(node),
                cordoned: node_cordoned(node),
                readiness: node_readiness(node),
                slot,
                name,
            }
        })
        .collect()
}

/// The cards for a simulated cluster at one step.
pub fn cards_from_view(view: &dslab_sim::cluster::ClusterView) -> Vec<NodeCard> {
    let mut pods_on: HashMap<&str, Vec<PodChip>> = HashMap::new();
    for p in &view.pods {
        if let Some(node) = p.node.as_deref() {
            pods_on.entry(node).or_default().push(PodChip {
                name: p.name.to_string(),
                phase: p.phase.to_string(),
                ready: p.ready,
                bound: p.bound,
                revision: p.revision,
                restarts: p.restarts,
                message: p.message.clone(),
                owner: p.owner.as_deref().map(str::to_string),
            });
        }
    }
    view.nodes
        .iter()
        .map(|n| {
            let pods = pods_on.remove(n.name.as_str()).unwrap_or_default();
            let why = if n.should_run {
                None
            } else {
                n.reasons.first().map(|r| r.message.clone())
            };
            NodeCard {
                name: n.name.to_string(),
                labels: n
                    .labels
                    .iter()
                    .map(|(k, v)| {
                        if v.is_empty() {
                            k.clone()
                        } else {
                            format!("{k}={v}")
                        }
                    })
                    .collect(),
                taints: n.taints.clone(),
                cordoned: n.unschedulable,
                readiness: if n.ready {
                    Readiness::Ready
                } else {
                    Readiness::NotReady
                },
                slot: PodSlot::Sim {
                    pods,
                    why,
                    wanted: n.should_run,
                },
                notes: n.notes.iter().map(|r| r.message.clone()).collect(),
            }
        })
        .collect()
}
