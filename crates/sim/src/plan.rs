//! The per-node verdict for a DaemonSet on a set of nodes: the controller's answers
//! (`shouldRun`, `shouldContinueRunning`) and, separately, whether the pod it would create can be
//! bound there — by the default scheduler (current mode) or by the controller itself (legacy).

use crate::api::labels::selector_matches;
use crate::api::SpecOf;
use crate::controller::daemonset::daemon_pod::namespace;
use crate::controller::daemonset::should_run::{should_run_matched, DaemonTemplate, ShouldRun};
use crate::scheduler::node_affinity::AffinityMatch;
use crate::scheduler::node_affinity::{labels_of, unparsable_terms};
use crate::scheduler::node_info::{NodeFacts, NodeSnapshot, Nodes};
use crate::scheduler::node_resources::{allocatable_for, allocatable_from, is_active, NodeAllocatable};
use crate::scheduler::{failed_scheduling_message, filter_with, preemption_victims, priority};
use crate::words::{Mode, Reason, ReasonCode};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::{Deserialize, Serialize};

/// Who binds the pod to the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binder {
    /// Current mode: the default scheduler.
    Scheduler,
    /// Legacy mode: the DaemonSet controller writes spec.nodeName.
    DaemonsetController,
    /// The template sets spec.nodeName: nobody schedules, the kubelet admits or rejects.
    TemplateNodeName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerVerdict {
    /// Whether the pod the controller creates can be bound to the node: `None` (JSON `null`,
    /// `-` in the table) where the controller creates no pod (shouldRun false), so the question
    /// does not arise.
    #[serde(default)]
    pub schedulable: Option<bool>,
    pub bound_by: Binder,
    pub reasons: Vec<Reason>,
    /// The event a real cluster would show on the pod: FailedScheduling (scheduler) or
    /// FailedPlacement (legacy controller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeVerdict {
    pub name: String,
    pub should_run: bool,
    pub should_continue_running: bool,
    pub reasons: Vec<Reason>,
    /// Non-blocking facts worth knowing (cordoned, PreferNoSchedule, tolerationSeconds loops).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<Reason>,
    pub scheduler: SchedulerVerdict,
}

impl NodeVerdict {
    /// Will a DaemonSet pod end up running on this node (created and bound)?
    pub fn runs(&self) -> bool {
        self.should_run && self.scheduler.schedulable == Some(true)
    }
    /// A pod is created for the node (shouldRun) and cannot be bound: it stays Pending.
    pub fn pending(&self) -> bool {
        self.should_run && self.scheduler.schedulable == Some(false)
    }
    /// The one-line reason a card or a table shows: the first blocking reason, controller first.
    pub fn headline(&self) -> Option<&Reason> {
        if !self.should_run {
            self.reasons.first()
        } else if self.scheduler.schedulable == Some(false) {
            self.scheduler.reasons.first()
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// `namespace/name`.
    pub daemonset: String,
    pub mode: Mode,
    pub desired_number_scheduled: usize,
    pub nodes: Vec<NodeVerdict>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<Warning>,
    /// What the verdict assumed about the nodes as a whole, said once for all of them (e.g.
    /// nodes pasted without `status.conditions`, taken as Ready).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
    pub summary: String,
}

/// Does this pod belong to the DaemonSet (same namespace, selected, not owned by another
/// controller)? Such pods are the DaemonSet's own, not "other pods" on the node.
pub fn is_daemon_pod(ds: &DaemonSet, pod: &Pod) -> bool {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    if ns != namespace(ds) {
        return false;
    }
    let owner = pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true));
    if let Some(o) = owner {
        if o.kind != "DaemonSet" || Some(&o.name) != ds.metadata.name.as_ref() {
            return false;
        }
    }
    selector_matches(
        &ds.spec().selector,
        crate::scheduler::node_affinity::labels_of(&pod.metadata),
    )
}

/// Pods of other workloads that occupy `node`.
pub fn other_pods_on<'a>(ds: &DaemonSet, pods: &'a [Pod], node: &str) -> Vec<&'a Pod> {
    pods.iter()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| is_active(p) && !is_daemon_pod(ds, p))
        .collect()
}

/// Pods of other workloads grouped by the node they are bound to (one pass over the pods).
fn other_pods_by_node<'a>(
    ds: &DaemonSet,
    pods: &'a [Pod],
) -> std::collections::HashMap<&'a str, Vec<&'a Pod>> {
    let mut by_node: std::collections::HashMap<&str, Vec<&Pod>> = std::collections::HashMap::new();
    for p in pods {
        if let Some(n) = p.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
            if is_active(p) && !is_daemon_pod(ds, p) {
                by_node.entry(n).or_default().push(p);
            }
        }
    }
    by_node
}

/// The verdict for every node. Pure and deterministic: nodes keep their input order.
pub fn plan(ds: &DaemonSet, nodes: &[Node], pods: &[Pod], mode: Mode) -> Plan {
    // One verdict reads each node once: building a snapshot first would read it twice.
    verdicts(ds, nodes, None, pods, mode)
}

/// `plan` on nodes read once (`Nodes::new`), to re-plan the same nodes for another DaemonSet
/// or mode without reading every node again.
pub fn plan_on(ds: &DaemonSet, nodes: &Nodes, pods: &[Pod], mode: Mode) -> Plan {
    verdicts(ds, nodes.list(), Some(nodes.snapshot()), pods, mode)
}

/// `plan`, reading labels and allocatable from `snapshot` (built from `nodes`) when there is one.
fn verdicts(
    ds: &DaemonSet,
    nodes: &[Node],
    snapshot: Option<&NodeSnapshot>,
    pods: &[Pod],
    mode: Mode,
) -> Plan {
    let template = DaemonTemplate::new(ds);
    let total = nodes.len();
    let by_node = other_pods_by_node(ds, pods);
    let none: Vec<&Pod> = Vec::new();
    let read = snapshot.map(|s| {
        let words = s.words();
        let wanted = template.pre.affinity.wanted_words(words);
        (s, wanted, template.pre.demand.ask_words(words))
    });
    let verdicts = verdicts_in_parallel(total, |i| {
        let node = &nodes[i];
        let affinity = &template.pre.affinity;
        let this = match &read {
            Some((s, wanted, asks)) => {
                let facts = s.facts(i, node);
                NodeRead {
                    matched: match wanted {
                        Some(w) => affinity.matches_words(facts.name, s.labels(i), s.words(), w),
                        None => affinity.matches(facts.name, labels_of(&node.metadata)),
                    },
                    alloc: s.allocatable(i).map(|a| allocatable_from(a, asks)),
                    facts,
                }
            }
            None => {
                let facts = NodeFacts::of(node);
                NodeRead {
                    matched: affinity.matches(facts.name, labels_of(&node.metadata)),
                    alloc: allocatable_for(node, &template.pre.demand),
                    facts,
                }
            }
        };
        let others = by_node.get(this.facts.name).unwrap_or(&none);
        let (facts, matched, alloc) = (&this.facts, this.matched, this.alloc.as_ref());
        let mut sr = should_run_matched(&template, facts, mode, others, matched, alloc);
        let scheduler = schedule(&template, &this, others, total, mode, &mut sr);
        NodeVerdict {
            name: facts.name.to_string(),
            should_run: sr.should_run,
            should_continue_running: sr.should_continue_running,
            reasons: sr.reasons,
            notes: sr.notes,
            scheduler,
        }
    });
    let desired = verdicts.iter().filter(|v| v.should_run).count();
    let template_affinity = ds.spec().template.spec.as_ref().and_then(|s| s.affinity.as_ref());
    let warnings = unparsable_terms(template_affinity)
        .into_iter()
        .map(|(path, message)| Warning { path, message })
        .collect();
    let summary = summarize(&verdicts, total, desired);
    let notes = no_conditions_note(nodes).into_iter().collect();
    Plan {
        daemonset: format!(
            "{}/{}",
            namespace(ds),
            ds.metadata.name.as_deref().unwrap_or_default()
        ),
        mode,
        desired_number_scheduled: desired,
        nodes: verdicts,
        warnings,
        notes,
        summary,
    }
}

/// How many of the names a plan-wide note lists before it says "…".
const NOTE_NAMES: usize = 3;

/// Nodes without a Ready condition (pasted without `status`, or a trimmed manifest): the
/// simulation takes them as Ready, as `SimNode::new` does. Said once for every such node, not on
/// each node's verdict; None when every node reports its Ready condition.
pub fn no_conditions_note(nodes: &[Node]) -> Option<String> {
    let bare: Vec<&str> = nodes
        .iter()
        .filter(|n| !has_ready_condition(n))
        .map(|n| n.metadata.name.as_deref().unwrap_or_default())
        .collect();
    let (first, rest) = bare.split_at_checked(NOTE_NAMES).unwrap_or((&bare, &[]));
    let names = match rest.len() {
        0 => first.join(", "),
        more => format!("{}, and {more} more", first.join(", ")),
    };
    let which = match bare.len() {
        0 => return None,
        1 => format!("node {names} reports"),
        n if n == nodes.len() => format!("all {n} nodes report"),
        n => format!("{n} nodes ({names}) report"),
    };
    Some(format!(
        "no conditions: taken as Ready: {which} no Ready condition in status.conditions; the simulation assumes Ready=True (a running kubelet reports it; the not-ready taints of a NotReady node are in spec.taints when it is pasted as it is)"
    ))
}

fn has_ready_condition(node: &Node) -> bool {
    crate::scheduler::node_info::ready_condition(node).is_some()
}

/// `verdict` of every node `0..len`, in node order. A node's verdict reads that node alone, so a
/// large cluster is split across the machine's cores and the answer is the same in any split;
/// the scheduler checks nodes in parallel too (`findNodesThatPassFilters` runs the filters
/// through its Parallelizer, 16 workers by default).
fn verdicts_in_parallel<F>(len: usize, verdict: F) -> Vec<NodeVerdict>
where
    F: Fn(usize) -> NodeVerdict + Sync,
{
    let workers = workers_for(len);
    if workers <= 1 {
        return (0..len).map(&verdict).collect();
    }
    let part = len.div_ceil(workers);
    std::thread::scope(|scope| {
        let others: Vec<_> = (part..len)
            .step_by(part)
            .map(|start| {
                let range = start..(start + part).min(len);
                let verdict = &verdict;
                scope.spawn(move || range.map(verdict).collect::<Vec<_>>())
            })
            .collect();
        // This thread takes the first part while the others run.
        let mut out: Vec<NodeVerdict> = Vec::with_capacity(len);
        out.extend((0..part).map(&verdict));
        for worker in others {
            match worker.join() {
                Ok(chunk) => out.extend(chunk),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// How many threads a verdict on `nodes` nodes is worth: one per core, each with at least
/// `NODES_PER_WORKER` nodes (below that, starting a thread costs more than it saves). The
/// browser build has no threads.
fn workers_for(nodes: usize) -> usize {
    const NODES_PER_WORKER: usize = 1_000;
    if cfg!(target_family = "wasm") || nodes < 2 * NODES_PER_WORKER {
        return 1;
    }
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    cores.min(nodes / NODES_PER_WORKER).max(1)
}

/// What the verdict read of one node: its facts, the template's selectors matched against it,
/// and its allocatable for the template's demand.
struct NodeRead<'a> {
    facts: NodeFacts<'a>,
    matched: AffinityMatch,
    alloc: Option<NodeAllocatable>,
}

fn schedule(
    t: &DaemonTemplate,
    node: &NodeRead,
    others: &[&Pod],
    total: usize,
    mode: Mode,
    sr: &mut ShouldRun,
) -> SchedulerVerdict {
    let spec = &t.spec;
    let NodeRead {
        facts,
        matched,
        alloc,
    } = node;
    let name = facts.name;
    let mut notes = Vec::new();
    if alloc.is_none() {
        notes.push("the node reports no status.allocatable, so CPU, memory and pod count were not checked (a real node always reports them)".to_string());
    }
    if mode == Mode::Legacy && t.template_node.is_none() && sr.should_run {
        // Legacy: the controller ran the predicates itself and writes spec.nodeName.
        let reasons = std::mem::take(&mut sr.legacy_cannot_place);
        return SchedulerVerdict {
            schedulable: Some(reasons.is_empty()),
            bound_by: Binder::DaemonsetController,
            event: reasons.first().map(|r| r.message.clone()),
            reasons,
            notes,
        };
    }
    // Current mode pins the pod to this node (§3.1); a template nodeName binds it directly.
    if !sr.should_run {
        // The controller creates no pod here (a running one may stay): nothing to bind, so no
        // scheduler verdict; the controller's reasons say why (semantics §1.4, §6.3).
        return SchedulerVerdict {
            schedulable: None,
            bound_by: binder(t, mode),
            reasons: Vec::new(),
            event: None,
            notes,
        };
    }
    let pinned = if t.template_node.is_none() {
        Some(name)
    } else {
        None
    };
    let rejections = filter_with(spec, &t.pre, *matched, facts, alloc.as_ref(), others, pinned);
    let bound_by = binder(t, mode);
    if bound_by == Binder::TemplateNodeName {
        notes.push(format!("the template sets spec.nodeName: {name}: the pod skips the scheduler and the kubelet admits or rejects it (OutOfcpu, NodePorts, …)"));
    }
    let event = rejections.first().map(|first| match bound_by {
        Binder::Scheduler => {
            let victims = preemption_victims(spec, facts.node, others, pinned);
            if let Some(v) = &victims {
                let names: Vec<_> = v.iter().map(|p| p.metadata.name.clone().unwrap_or_default()).collect();
                notes.push(format!(
                    "preemption: the pod's priority {} is higher than theirs, so the scheduler can evict {} to make room",
                    priority(spec),
                    names.join(", ")
                ));
            }
            format!("FailedScheduling: {}", failed_scheduling_message(first, total, victims.is_some()))
        }
        _ => format!(
            "FailedPlacement: failed to place pod on {name:?}: {}",
            first.reasons.first().map_or("", |r| r.message.as_str())
        ),
    });
    SchedulerVerdict {
        schedulable: Some(rejections.is_empty()),
        bound_by,
        reasons: rejections.into_iter().flat_map(|r| r.reasons).collect(),
        event,
        notes,
    }
}

/// Who binds the pod the controller creates.
fn binder(t: &DaemonTemplate, mode: Mode) -> Binder {
    if mode == Mode::Legacy {
        Binder::DaemonsetController
    } else if t.template_node.is_some() {
        Binder::TemplateNodeName
    } else {
        Binder::Scheduler
    }
}

fn summarize(verdicts: &[NodeVerdict], total: usize, desired: usize) -> String {
    let running = verdicts.iter().filter(|v| v.runs()).count();
    let pending = verdicts.iter().filter(|v| v.pending()).count();
    let mut blocked: std::collections::BTreeMap<ReasonCode, usize> = Default::default();
    for v in verdicts.iter().filter(|v| !v.should_run) {
        if let Some(r) = v.reasons.first() {
            *blocked.entry(r.code).or_default() += 1;
        }
    }
    let mut s = format!("{total} node(s): desiredNumberScheduled {desired}, {running} can run the pod");
    if pending > 0 {
        let mut codes: std::collections::BTreeMap<ReasonCode, usize> = Default::default();
        for v in verdicts.iter().filter(|v| v.pending()) {
            if let Some(r) = v.scheduler.reasons.first() {
                *codes.entry(r.code).or_default() += 1;
            }
        }
        let list: Vec<_> = codes.iter().map(|(c, n)| format!("{n} {c}")).collect();
        s.push_str(&format!(", {pending} stay Pending ({})", list.join(", ")));
    }
    if !blocked.is_empty() {
        let list: Vec<_> = blocked.iter().map(|(c, n)| format!("{n} {c}")).collect();
        s.push_str(&format!(
            ", {} not eligible ({})",
            total - desired,
            list.join(", ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn node(name: String) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn verdict_named(node: &Node) -> NodeVerdict {
        NodeVerdict {
            name: node.metadata.name.clone().unwrap_or_default(),
            should_run: true,
            should_continue_running: true,
            reasons: Vec::new(),
            notes: Vec::new(),
            scheduler: SchedulerVerdict {
                schedulable: Some(true),
                bound_by: Binder::Scheduler,
                reasons: Vec::new(),
                event: None,
                notes: Vec::new(),
            },
        }
    }

    #[test]
    fn parallel_verdicts_keep_every_node_in_input_order() {
        for count in [0, 1, 1_999, 2_000, 2_001, 4_999, 7_001] {
            let nodes: Vec<Node> = (0..count).map(|i| node(format!("n{i}"))).collect();
            let names: Vec<String> = verdicts_in_parallel(nodes.len(), |i| verdict_named(&nodes[i]))
                .into_iter()
                .map(|v| v.name)
                .collect();
            let want: Vec<String> = (0..count).map(|i| format!("n{i}")).collect();
            assert_eq!(names, want, "{count} nodes");
        }
    }

    #[test]
    fn nodes_read_once_give_the_same_plan() {
        let ds = crate::testutil::daemonset("agent", &[("os", "linux")], vec![]);
        let nodes = vec![
            crate::testutil::node("a", &[("os", "linux")], vec![]),
            crate::testutil::node("b", &[("os", "windows")], vec![]),
        ];
        let want = plan(&ds, &nodes, &[], Mode::Current);
        assert_eq!(want.desired_number_scheduled, 1);
        assert_eq!(plan_on(&ds, &Nodes::new(nodes), &[], Mode::Current), want);
    }

    /// A node pasted without `status.conditions` is taken as Ready, and that is said once for
    /// all such nodes, in the plan's notes (not on each node's verdict).
    #[test]
    fn nodes_without_a_ready_condition_are_said_once() {
        let ready = |name: &str| {
            let mut n = node(name.to_string());
            n.status = Some(k8s_openapi::api::core::v1::NodeStatus {
                conditions: Some(vec![k8s_openapi::api::core::v1::NodeCondition {
                    type_: "Ready".into(),
                    status: "True".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            });
            n
        };
        let bare = |name: &str| node(name.to_string());
        let cases: [(&str, Vec<Node>, Option<&str>); 5] = [
            ("every node reports Ready", vec![ready("a"), ready("b")], None),
            (
                "one bare node",
                vec![ready("a"), bare("b")],
                Some("node b reports no Ready condition"),
            ),
            (
                "all bare",
                vec![bare("a"), bare("b")],
                Some("all 2 nodes report no Ready condition"),
            ),
            (
                "some bare, names listed",
                vec![bare("a"), bare("b"), ready("c")],
                Some("2 nodes (a, b) report no Ready condition"),
            ),
            (
                "many bare: three names, then how many more",
                vec![bare("a"), bare("b"), bare("c"), bare("d"), bare("e"), ready("f")],
                Some("5 nodes (a, b, c, and 2 more) report"),
            ),
        ];
        let ds = crate::testutil::daemonset("agent", &[], vec![]);
        for (name, nodes, want) in cases {
            let p = plan(&ds, &nodes, &[], Mode::Current);
            match want {
                None => assert!(p.notes.is_empty(), "{name}: {:?}", p.notes),
                Some(w) => {
                    assert_eq!(p.notes.len(), 1, "{name}: once");
                    assert!(
                        p.notes[0].starts_with("no conditions: taken as Ready: "),
                        "{name}: {}",
                        p.notes[0]
                    );
                    assert!(p.notes[0].contains(w), "{name}: {}", p.notes[0]);
                }
            }
            for v in &p.nodes {
                let said = v.notes.iter().any(|r| r.message.contains("condition"))
                    || v.scheduler.notes.iter().any(|n| n.contains("condition"));
                assert!(!said, "{name}: not on node {}", v.name);
            }
        }
    }

    #[test]
    fn small_clusters_are_checked_on_one_thread() {
        let cases = [
            ("empty", 0, 1),
            ("one node", 1, 1),
            ("just under two parts", 1_999, 1),
        ];
        for (name, nodes, want) in cases {
            assert_eq!(workers_for(nodes), want, "{name}");
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(workers_for(10_000), cores.min(10), "one worker per core");
    }
}
