//! The default scheduler's view of a DaemonSet pod (semantics §9): its filters in default order,
//! and the FailedScheduling message.
//!
//! Sources: `pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,
//! nodeaffinity,nodeports,noderesources}`, `pkg/scheduler/apis/config/v1/default_plugins.go`,
//! `pkg/scheduler/framework/types.go` (`FitError.Error`).

use crate::scheduler::node_affinity::{AffinityMatch, RequiredNodeAffinity};
use crate::scheduler::node_info::NodeFacts;
use crate::scheduler::node_resources::{
    allocatable_for, port_conflicts_for, shortfalls_for, Demand, NodeAllocatable,
};
use crate::scheduler::taints::{scheduler_taint, tolerated_by, untolerated_iter};
use crate::words::{Reason, ReasonCode};
use k8s_openapi::api::core::v1::{Node, Pod, PodSpec, Taint};
use std::collections::BTreeMap;

/// The outcome of one filter plugin that rejected the node: its name and its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub plugin: &'static str,
    pub reasons: Vec<Reason>,
}

/// Runs the default filters for `spec` on `node`, in order, and returns every plugin that rejects
/// it (the scheduler itself stops at the first; we keep the rest to explain more).
/// `pinned_to`: evaluate the required node affinity as the controller's single
/// `matchFields metadata.name In [node]` term instead of the spec's own terms (§3.1), so a verdict
/// can test the pod the controller would create without building it for every node.
pub fn filter(spec: &PodSpec, node: &Node, others: &[&Pod], pinned_to: Option<&str>) -> Vec<Rejection> {
    let pre = PreFilter::of(spec);
    let facts = NodeFacts::of(node);
    let matched = pre.affinity.matches(
        facts.name,
        crate::scheduler::node_affinity::labels_of(&node.metadata),
    );
    filter_with(
        spec,
        &pre,
        matched,
        &facts,
        allocatable_for(node, &pre.demand).as_ref(),
        others,
        pinned_to,
    )
}

/// What the filters read from the pod, computed once for many nodes, as the plugins' PreFilter
/// steps do: NodeResourcesFit the requests, NodePorts the host ports, NodeAffinity the parsed
/// nodeSelector and required node affinity.
pub struct PreFilter {
    pub demand: Demand,
    pub affinity: RequiredNodeAffinity,
}

impl PreFilter {
    pub fn of(spec: &PodSpec) -> Self {
        PreFilter {
            demand: Demand::of(spec),
            affinity: RequiredNodeAffinity::new(spec),
        }
    }
}

/// `filter` with the pod's PreFilter state, its node selectors matched against the node, and the
/// node's allocatable, computed by the caller (once for many nodes).
pub fn filter_with(
    spec: &PodSpec,
    pre: &PreFilter,
    matched: AffinityMatch,
    facts: &NodeFacts,
    alloc: Option<&NodeAllocatable>,
    others: &[&Pod],
    pinned_to: Option<&str>,
) -> Vec<Rejection> {
    let name = facts.name;
    let tolerations = spec.tolerations.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    let mut reject = |plugin, reasons: Vec<Reason>| {
        if !reasons.is_empty() {
            out.push(Rejection { plugin, reasons });
        }
    };
    let taints = facts.taints;
    if facts.unschedulable {
        let taint = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            effect: "NoSchedule".into(),
            value: None,
            time_added: None,
        };
        if !tolerated_by(tolerations, &taint) {
            reject(
                "NodeUnschedulable",
                vec![Reason::new(
                    ReasonCode::Unschedulable,
                    "node(s) were unschedulable".into(),
                )],
            );
        }
    }
    if let Some(n) = spec.node_name.as_ref().filter(|n| !n.is_empty() && *n != name) {
        reject(
            "NodeName",
            vec![Reason::new(
                ReasonCode::NodeNameMismatch,
                format!("node(s) didn't match the requested node name ({n})"),
            )],
        );
    }
    // The plugin reports the first untolerated taint.
    if let Some(t) = untolerated_iter(taints, tolerations, &["NoSchedule", "NoExecute"]).next() {
        reject(
            "TaintToleration",
            vec![Reason::new(
                ReasonCode::UntoleratedTaint,
                format!("node(s) had untolerated taint {}", scheduler_taint(t)),
            )],
        );
    }
    let labels = &facts.labels;
    let mut aff = Vec::new();
    let mut why = String::new();
    if !matched.node_selector && pre.affinity.explain_node_selector(&mut why, labels) {
        aff.push(Reason::new(
            ReasonCode::NodeSelector,
            format!("node(s) didn't match Pod's node affinity/selector ({why})"),
        ));
    }
    let affinity_mismatch = match pinned_to {
        Some(target) if target == name => None,
        Some(target) => Some(format!("metadata.name In [{target}]: the node is {name}")),
        None if matched.required_affinity => None,
        None => {
            let mut why = String::new();
            pre.affinity.explain_required_affinity(&mut why, name, labels);
            Some(why)
        }
    };
    if let Some(why) = affinity_mismatch {
        aff.push(Reason::new(
            ReasonCode::NodeAffinity,
            format!("node(s) didn't match Pod's node affinity/selector ({why})"),
        ));
    }
    reject("NodeAffinity", aff);
    let ports: Vec<Reason> = port_conflicts_for(&pre.demand.ports, others)
        .into_iter()
        .take(1)
        .map(|(p, pod)| Reason::new(ReasonCode::HostPortConflict, format!("node(s) didn't have free ports for the requested pod ports (host port {}/{} is used by pod {pod})", p.port, p.protocol)))
        .collect();
    reject("NodePorts", ports);
    if let Some(alloc) = alloc {
        let fit: Vec<Reason> = shortfalls_for(&pre.demand, alloc, others)
            .into_iter()
            .map(|s| {
                Reason::new(
                    ReasonCode::InsufficientResources,
                    format!("{} ({})", s.reason, s.detail),
                )
            })
            .collect();
        reject("NodeResourcesFit", fit);
    }
    out
}

/// The histogram text of one rejection, as `FitError` counts it: the part before " (".
fn short(reason: &Reason) -> String {
    match reason.message.find(" (") {
        Some(i) => reason.message[..i].to_string(),
        None => reason.message.clone(),
    }
}

/// The FailedScheduling message for a DaemonSet pod pinned to one node of `total` nodes: the
/// other nodes are removed by NodeAffinity's PreFilter; only the first rejecting plugin counts on
/// the target node; entries are sorted as strings, as Kubernetes sorts them.
pub fn failed_scheduling_message(target: &Rejection, total: usize, preemption_possible: bool) -> String {
    let mut hist: BTreeMap<String, usize> = BTreeMap::new();
    for r in &target.reasons {
        *hist.entry(short(r)).or_insert(0) += 1;
    }
    if total > 1 {
        hist.insert(
            "node(s) didn't satisfy plugin(s) [NodeAffinity]".into(),
            total - 1,
        );
    }
    let mut parts: Vec<String> = hist.iter().map(|(k, v)| format!("{v} {k}")).collect();
    crate::sort::sort(&mut parts);
    let mut msg = format!("0/{total} nodes are available: {}.", parts.join(", "));
    // DefaultPreemption (PostFilter) runs after every failure; only resources and ports can be
    // resolved by evicting someone.
    let resolvable = matches!(target.plugin, "NodeResourcesFit" | "NodePorts");
    let others = total.saturating_sub(1);
    let pre = if resolvable && !preemption_possible {
        let mut p = vec!["1 No preemption victims found for incoming pod".to_string()];
        if others > 0 {
            p.push(format!("{others} Preemption is not helpful for scheduling"));
        }
        Some(p.join(", "))
    } else if !resolvable {
        Some(format!("{total} Preemption is not helpful for scheduling"))
    } else {
        None
    };
    if let Some(p) = pre {
        msg.push_str(&format!(" preemption: 0/{total} nodes are available: {p}."));
    }
    msg
}

/// Priority of a pod as the Priority admission plugin would set it: `spec.priority`, else the
/// built-in classes, else 0 (user PriorityClasses are not modelled).
pub fn priority(spec: &PodSpec) -> i32 {
    if let Some(p) = spec.priority {
        return p;
    }
    match spec.priority_class_name.as_deref() {
        Some("system-node-critical") => 2_000_001_000,
        Some("system-cluster-critical") => 2_000_000_000,
        _ => 0,
    }
}

/// Lower-priority pods whose eviction would let the pod fit (resources and ports only), or None.
pub fn preemption_victims<'a>(
    spec: &PodSpec,
    node: &Node,
    others: &[&'a Pod],
    pinned_to: Option<&str>,
) -> Option<Vec<&'a Pod>> {
    let mine = priority(spec);
    let (victims, keep): (Vec<&Pod>, Vec<&Pod>) = others
        .iter()
        .partition(|p| p.spec.as_ref().is_some_and(|s| priority(s) < mine));
    if victims.is_empty() || spec.preemption_policy.as_deref() == Some("Never") {
        return None;
    }
    let fits = |on_node: &[&Pod]| {
        filter(spec, node, on_node, pinned_to)
            .iter()
            .all(|r| !matches!(r.plugin, "NodeResourcesFit" | "NodePorts"))
    };
    if !fits(&keep) {
        return None;
    }
    // `selectVictimsOnNode`: remove every lower-priority pod, then reprieve as many as still
    // fit, most important first; only the rest are evicted.
    let mut candidates = victims;
    crate::sort::sort_by_key(&mut candidates, |p| {
        std::cmp::Reverse(p.spec.as_ref().map_or(0, priority))
    });
    let mut on_node = keep;
    let mut evicted = Vec::new();
    for p in candidates {
        on_node.push(p);
        if !fits(&on_node) {
            on_node.pop();
            evicted.push(p);
        }
    }
    Some(evicted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_scheduling_message_like_kubernetes() {
        let cpu = Rejection {
            plugin: "NodeResourcesFit",
            reasons: vec![Reason::new(
                ReasonCode::InsufficientResources,
                "Insufficient cpu (requested 1)".into(),
            )],
        };
        assert_eq!(
            failed_scheduling_message(&cpu, 3, false),
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
        );
        let taint = Rejection {
            plugin: "TaintToleration",
            reasons: vec![Reason::new(
                ReasonCode::UntoleratedTaint,
                "node(s) had untolerated taint {dedicated: db}".into(),
            )],
        };
        assert_eq!(
            failed_scheduling_message(&taint, 1, false),
            "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn priority_of_system_classes() {
        let spec = |class: &str| PodSpec {
            priority_class_name: Some(class.into()),
            ..Default::default()
        };
        assert_eq!(priority(&spec("system-node-critical")), 2_000_001_000);
        assert_eq!(priority(&spec("system-cluster-critical")), 2_000_000_000);
        assert_eq!(priority(&spec("my-class")), 0);
    }
}

#[cfg(test)]
mod preemption_tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, NodeStatus};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn pod(name: &str, priority: i32) -> Pod {
        Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                priority: Some(priority),
                containers: vec![Container {
                    name: "c".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: None,
        }
    }

    /// Regression (lesson 07): the scheduler evicted every lower-priority pod; `selectVictimsOnNode`
    /// reprieves the most important ones that still fit, so only one goes here.
    #[test]
    fn preemption_evicts_only_what_is_needed() {
        let mut node = crate::testutil::node("edge-1", &[], vec![]);
        node.status = Some(NodeStatus {
            allocatable: Some([("pods".to_string(), Quantity("2".into()))].into()),
            ..Default::default()
        });
        let (low, lower) = (pod("batch", 100), pod("scratch", 10));
        let agent = PodSpec {
            priority: Some(2_000_001_000),
            containers: vec![Container {
                name: "a".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let victims =
            preemption_victims(&agent, &node, &[&low, &lower], Some("edge-1")).expect("preemption helps");
        let names: Vec<_> = victims
            .iter()
            .map(|p| p.metadata.name.clone().unwrap_or_default())
            .collect();
        assert_eq!(names, ["scratch"], "only the least important pod goes");
    }
}
