//! What a screen or a report shows of the cluster: plain data, computed by the core, so the app
//! and the CLI only render it. A timeline stores the first view and, per step, only what changed.

use super::{NodeId, SimPod, World};
use crate::api::labels::format_map;
use crate::api::SpecOf;
use crate::controller::daemonset::should_run::ShouldRun;
use crate::scheduler::taints::format_taint;
use crate::text::Text;
use crate::words::Reason;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    pub name: Text,
    pub labels: Vec<(String, String)>,
    /// `key=value:Effect`.
    pub taints: Vec<String>,
    pub unschedulable: bool,
    pub ready: bool,
    /// The first DaemonSet's answers for this node.
    pub should_run: bool,
    pub should_continue_running: bool,
    /// Why it does not run the pod (blocking reasons), then notes.
    pub reasons: Vec<Reason>,
    pub notes: Vec<Reason>,
    /// kubelet version from status.nodeInfo, when the manifest has it.
    pub version: String,
    /// When the node joined the simulated cluster (seconds).
    pub joined: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodView {
    pub name: Text,
    pub namespace: Text,
    /// The node it is bound to, or the node it is meant for while Pending.
    pub node: Option<Text>,
    pub bound: bool,
    /// `kubectl get pods` STATUS: Pending, ContainerCreating, Running, CrashLoopBackOff,
    /// Terminating, Completed, OutOfcpu, Evicted, …
    pub phase: Text,
    pub ready: bool,
    pub restarts: u32,
    /// ControllerRevision number of its template, when known.
    pub revision: Option<i64>,
    pub hash: Option<Text>,
    pub image: Text,
    /// Owning DaemonSet, or None for other workloads and orphans.
    pub owner: Option<Text>,
    /// Why it waits (FailedScheduling text, back-off).
    pub message: Option<String>,
    pub created: u64,
    /// Each container, for a pod with several (node-exporter + kube-rbac-proxy); empty for a
    /// pod with one, whose `image`, `ready`, `restarts` and `phase` are its container's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<ContainerView>,
}

/// One container of a pod with several, as `kubectl describe pod` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerView {
    pub name: Text,
    pub image: Text,
    /// `Running`, `Waiting` or `Terminated`.
    pub state: Text,
    /// The waiting reason: `ContainerCreating`, `CrashLoopBackOff`.
    pub reason: Option<Text>,
    pub ready: bool,
    pub restarts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetView {
    pub name: String,
    pub namespace: String,
    pub status: super::DsStatus,
    /// NODE SELECTOR column of `kubectl get ds`.
    pub node_selector: String,
    pub generation: i64,
    pub update_strategy: String,
    pub current_revision: Option<i64>,
    pub created: u64,
    pub deleted: bool,
    /// `k=v,…` of spec.selector.matchLabels (and expressions as text).
    pub selector: String,
    pub template_labels: String,
    /// (container name, image) of the pod template.
    pub containers: Vec<(String, String)>,
    /// The tolerations a pod of this DaemonSet carries (the template's plus the automatic ones),
    /// as `kubectl describe` prints them.
    pub tolerations: Vec<String>,
    pub host_network: bool,
    pub priority_class: Option<String>,
    pub min_ready_seconds: u64,
    /// ControllerRevisions: (revision, hash, first image), oldest first.
    pub history: Vec<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeEvent {
    /// Normal or Warning.
    #[serde(rename = "type")]
    pub type_: Text,
    pub reason: Text,
    /// `pod/NAME`, `daemonset/NAME`, `node/NAME`.
    pub object: Text,
    /// The component that reports it: `daemonset-controller`, `default-scheduler`, `kubelet`, …
    pub from: Text,
    pub message: Text,
    pub time: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Node(NodeView),
    NodeRemoved(String),
    Pod(PodView),
    PodRemoved(Text),
    DaemonSets(Vec<DaemonSetView>),
    /// Only the status of each DaemonSet changed (the common case, kept small).
    Status(Vec<super::DsStatus>),
}

/// What one step changed (most steps change one thing: the pod an actor acted on).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes(Vec<Change>);

impl Changes {
    /// Takes the changes out of `list` (left empty, its buffer kept for the next step), into a
    /// list sized to fit: the buffer, grown for the largest step so far, stays behind.
    pub fn take_from(list: &mut Vec<Change>) -> Self {
        let mut taken = Vec::with_capacity(list.len());
        taken.append(list);
        Changes(taken)
    }
}

impl std::ops::Deref for Changes {
    type Target = [Change];
    fn deref(&self) -> &[Change] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Changes {
    type Item = &'a Change;
    type IntoIter = std::slice::Iter<'a, Change>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClusterView {
    pub time: u64,
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    pub daemonsets: Vec<DaemonSetView>,
    /// Events so far, oldest first (filled by `Timeline::cluster_at`).
    pub events: Vec<KubeEvent>,
}

impl PodView {
    /// The READY column of `kubectl get pods`: ready containers / containers.
    pub fn ready_text(&self) -> String {
        let (ready, total) = self.ready_count();
        format!("{ready}/{total}")
    }
    /// (ready containers, containers).
    pub fn ready_count(&self) -> (usize, usize) {
        match self.containers.len() {
            0 => (usize::from(self.ready), 1),
            n => (self.containers.iter().filter(|c| c.ready).count(), n),
        }
    }
}

impl ClusterView {
    pub fn apply(&mut self, change: &Change) {
        match change {
            Change::Node(n) => match self.nodes.iter_mut().find(|x| x.name == n.name) {
                Some(x) => *x = n.clone(),
                None => self.nodes.push(n.clone()),
            },
            Change::NodeRemoved(name) => self.nodes.retain(|x| x.name != *name),
            Change::Pod(p) => match self.pods.iter_mut().find(|x| x.name == p.name) {
                Some(x) => *x = p.clone(),
                None => self.pods.push(p.clone()),
            },
            Change::PodRemoved(name) => self.pods.retain(|x| &x.name != name),
            Change::DaemonSets(d) => self.daemonsets = d.clone(),
            Change::Status(s) => {
                for (d, s) in self.daemonsets.iter_mut().zip(s) {
                    d.status = s.clone();
                }
            }
        }
    }
    /// The view after `step`: its changes, and the first DaemonSet's status, which a step
    /// carries itself (its changes list the statuses only when another DaemonSet's changed).
    pub fn apply_step(&mut self, step: &super::Step) {
        for c in &step.changes {
            self.apply(c);
        }
        if let (Some(s), Some(d)) = (&step.status, self.daemonsets.first_mut()) {
            if d.status != *s {
                d.status = s.clone();
            }
        }
    }
    /// Pods meant for a node, oldest first.
    pub fn pods_on(&self, node: &str) -> Vec<&PodView> {
        self.pods
            .iter()
            .filter(|p| p.node.as_deref() == Some(node))
            .collect()
    }
}

/// The view of node `at` (the id its name resolves to), with the first DaemonSet's answer for it
/// (`sr`, which the DaemonSet controller keeps).
pub fn node_view(w: &World, at: NodeId, sr: Option<&ShouldRun>) -> NodeView {
    let n = &w.nodes[at];
    NodeView {
        name: n.name().clone(),
        labels: n
            .node
            .metadata
            .labels
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        taints: n.taints().iter().map(format_taint).collect(),
        unschedulable: n.unschedulable(),
        ready: n.ready,
        should_run: sr.is_some_and(|s| s.should_run),
        should_continue_running: sr.is_some_and(|s| s.should_continue_running),
        reasons: sr.map(|s| s.reasons.clone()).unwrap_or_default(),
        notes: sr.map(|s| s.notes.clone()).unwrap_or_default(),
        version: n
            .node
            .status
            .as_ref()
            .and_then(|s| s.node_info.as_ref())
            .map(|i| i.kubelet_version.clone())
            .unwrap_or_default(),
        joined: n.joined,
    }
}

pub fn pod_view(w: &World, p: &SimPod) -> PodView {
    let hash = p.hash_text().cloned();
    let revision = hash
        .as_deref()
        .and_then(|h| w.revisions.iter().find(|r| r.hash == h))
        .map(|r| r.revision);
    let backoff = p.containers.iter().enumerate().find_map(|(i, c)| match c.state {
        super::ContainerState::BackOff { until } => Some((i, until)),
        _ => None,
    });
    let message = match (backoff, &p.last_failed_scheduling) {
        (_, Some(m)) if p.bound.is_none() => Some(m.clone()),
        (Some((i, until)), _) if p.containers.len() > 1 => Some(format!(
            "Back-off restarting failed container {} until t={until}s",
            p.container_name_of(i)
        )),
        (Some((_, until)), _) => Some(format!("Back-off restarting failed container until t={until}s")),
        _ => p.reason.clone(),
    };
    let containers = match p.containers.len() {
        1 => Vec::new(),
        _ => p
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (state, reason) = match c.state {
                    super::ContainerState::Running { .. } => ("Running", None),
                    super::ContainerState::Pulling { .. } => ("Waiting", Some("ContainerCreating")),
                    super::ContainerState::NotStarted if p.bound.is_some() => {
                        ("Waiting", Some("ContainerCreating"))
                    }
                    super::ContainerState::NotStarted => ("Waiting", None),
                    super::ContainerState::BackOff { .. } => ("Waiting", Some("CrashLoopBackOff")),
                    super::ContainerState::Terminated => ("Terminated", None),
                };
                ContainerView {
                    name: p.container_name_of(i),
                    image: p.image_of(i),
                    state: Text::new_static(state),
                    reason: reason.map(Text::new_static),
                    ready: c.ready,
                    restarts: c.restarts,
                }
            })
            .collect(),
    };
    PodView {
        name: p.name.clone(),
        namespace: p.namespace.clone(),
        node: p.target.clone(),
        bound: p.bound.is_some(),
        phase: p.status_text(),
        ready: p.ready,
        restarts: p.restarts(),
        revision,
        hash,
        image: p.image(),
        owner: p.owner.clone(),
        message,
        created: p.created,
        containers,
    }
}

pub fn daemonset_views(w: &World) -> Vec<DaemonSetView> {
    w.daemonsets
        .iter()
        .map(|d| {
            let spec = d.ds.spec();
            DaemonSetView {
                name: d.name.to_string(),
                namespace: d.namespace.to_string(),
                status: d.status.clone(),
                node_selector: format_map(spec.template.spec.as_ref().and_then(|s| s.node_selector.as_ref())),
                generation: d.generation(),
                update_strategy: crate::api::update_strategy::strategy_text(&d.ds),
                current_revision: w
                    .revisions
                    .iter()
                    .find(|r| r.hash == d.current_hash && r.owner.as_deref() == Some(&d.name))
                    .map(|r| r.revision),
                created: 0,
                deleted: d.deleted,
                selector: selector_text(&spec.selector),
                template_labels: format_map(spec.template.metadata.as_ref().and_then(|m| m.labels.as_ref())),
                containers: spec
                    .template
                    .spec
                    .iter()
                    .flat_map(|s| s.containers.iter())
                    .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
                    .collect(),
                tolerations: crate::controller::daemonset::daemon_pod::simulated_pod_spec(&d.ds, "")
                    .tolerations
                    .iter()
                    .flatten()
                    .map(toleration_text)
                    .collect(),
                host_network: spec.template.spec.as_ref().and_then(|s| s.host_network) == Some(true),
                priority_class: spec
                    .template
                    .spec
                    .as_ref()
                    .and_then(|s| s.priority_class_name.clone()),
                min_ready_seconds: d.min_ready_seconds(),
                history: {
                    let mut h: Vec<(i64, String, String)> = w
                        .revisions
                        .iter()
                        .filter(|r| r.owner.as_deref() == Some(&d.name))
                        .map(|r| {
                            let image = r
                                .template
                                .spec
                                .as_ref()
                                .and_then(|s| s.containers.first())
                                .and_then(|c| c.image.clone())
                                .unwrap_or_default();
                            (r.revision, r.hash.clone(), image)
                        })
                        .collect();
                    crate::sort::sort(&mut h);
                    h
                },
            }
        })
        .collect()
}

/// `app=x,tier in (a,b)` as kubectl prints a label selector.
pub fn selector_text(sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let vals = e.values.as_deref().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({vals})", e.key),
            "NotIn" => format!("{} notin ({vals})", e.key),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        });
    }
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

/// `node.kubernetes.io/not-ready:NoExecute op=Exists`, `dedicated=db:NoSchedule for 60s`.
pub fn toleration_text(t: &k8s_openapi::api::core::v1::Toleration) -> String {
    let key = t.key.clone().unwrap_or_default();
    let op = t.operator.as_deref().unwrap_or("Equal");
    let mut s = if op == "Exists" {
        if key.is_empty() {
            "op=Exists".to_string()
        } else {
            format!("{key} op=Exists")
        }
    } else {
        format!("{key}={}", t.value.clone().unwrap_or_default())
    };
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        s = match s.split_once(' ') {
            Some((k, rest)) => format!("{k}:{e} {rest}"),
            None => format!("{s}:{e}"),
        };
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_keeps_one_change_inline_and_more_in_a_list() {
        let removed = |n: &str| Change::PodRemoved(Text::from(n));
        let cases: [(&str, Vec<Change>); 3] = [
            ("none", vec![]),
            ("one", vec![removed("a")]),
            ("three", vec![removed("a"), removed("b"), removed("c")]),
        ];
        for (name, list) in cases {
            let mut buf = list.clone();
            let changes = Changes::take_from(&mut buf);
            assert_eq!(&*changes, list.as_slice(), "{name}");
            assert_eq!(changes.iter().count(), list.len(), "{name}");
            assert!(buf.is_empty(), "{name}: the buffer is emptied");
        }
    }
}
