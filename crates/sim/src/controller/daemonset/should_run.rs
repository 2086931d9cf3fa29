//! `NodeShouldRunDaemonPod`: the DaemonSet controller's two answers for a node (semantics §1),
//! and the legacy (before v1.12) variant that also ran resource and host-port predicates (§3.2).
//!
//! Source: `pkg/controller/daemon/daemon_controller.go` (`NodeShouldRunDaemonPod`, `predicates`);
//! legacy: the v1.11 `nodeShouldRunDaemonPod` / `Predicates` of the same file.

use crate::scheduler::node_affinity::{labels_of, AffinityMatch};
use crate::scheduler::node_info::NodeFacts;

const DIDNT_MATCH: &str = "node(s) didn't match Pod's node affinity/selector: ";

/// A message buffer sized for the usual reason, so the words after the prefix rarely regrow it.
fn with_prefix(prefix: &str) -> String {
    let mut s = String::with_capacity(256);
    s.push_str(prefix);
    s
}
use crate::scheduler::node_resources::{allocatable_for, NodeAllocatable};
use crate::scheduler::taints::{format_taint, tolerated_by, toleration_seconds};
use crate::scheduler::PreFilter;
use crate::words::{Mode, Reason, ReasonCode};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod, PodSpec, Taint};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShouldRun {
    pub should_run: bool,
    pub should_continue_running: bool,
    /// Legacy mode only: the controller wants the node but cannot place the pod (resources).
    pub legacy_cannot_place: Vec<Reason>,
    /// Why not (blocking reasons).
    pub reasons: Vec<Reason>,
    /// What a learner should know though it does not block (cordon, PreferNoSchedule, …).
    pub notes: Vec<Reason>,
}

/// The controller's decision for one node. `others` are the non-DaemonSet pods on the node; they
/// matter only in legacy mode (the current controller leaves resources to the scheduler).
pub fn node_should_run_daemon_pod(ds: &DaemonSet, node: &Node, mode: Mode, others: &[&Pod]) -> ShouldRun {
    should_run_with(&DaemonTemplate::new(ds), node, mode, others)
}

/// What the controller derives once per DaemonSet to test nodes with (§1.1): the template's pod
/// spec with the automatic tolerations, and the template's own `spec.nodeName`.
pub struct DaemonTemplate {
    pub spec: PodSpec,
    pub template_node: Option<String>,
    /// Requests, host ports and the parsed node selectors, computed once.
    pub pre: PreFilter,
}

impl DaemonTemplate {
    pub fn new(ds: &DaemonSet) -> Self {
        let mut spec = crate::controller::daemonset::daemon_pod::template_spec(ds);
        crate::controller::daemonset::daemon_pod::add_daemon_tolerations(&mut spec);
        let template_node = spec.node_name.clone().filter(|n| !n.is_empty());
        let pre = PreFilter::of(&spec);
        DaemonTemplate {
            spec,
            template_node,
            pre,
        }
    }
}

/// `node_should_run_daemon_pod` with the template prepared once, for many nodes.
pub fn should_run_with(t: &DaemonTemplate, node: &Node, mode: Mode, others: &[&Pod]) -> ShouldRun {
    let facts = NodeFacts::of(node);
    let matched = t.pre.affinity.matches(facts.name, labels_of(&node.metadata));
    let alloc = match mode {
        Mode::Legacy => allocatable_for(node, &t.pre.demand),
        Mode::Current => None,
    };
    should_run_matched(t, &facts, mode, others, matched, alloc.as_ref())
}

/// `should_run_with` for a node already matched against the template's node selectors (the
/// verdict reuses that answer for the scheduler's NodeAffinity filter). `alloc` is the node's
/// allocatable for the template's demand; only the legacy controller reads it.
pub fn should_run_matched(
    t: &DaemonTemplate,
    facts: &NodeFacts,
    mode: Mode,
    others: &[&Pod],
    matched: AffinityMatch,
    alloc: Option<&NodeAllocatable>,
) -> ShouldRun {
    let name = facts.name;
    let spec = &t.spec;
    let template_node = &t.template_node;
    let mut out = ShouldRun {
        should_run: true,
        should_continue_running: true,
        ..Default::default()
    };
    let stop = |out: &mut ShouldRun, code, message: String| {
        out.should_run = false;
        out.should_continue_running = false;
        out.reasons.push(Reason::new(code, message));
    };

    // 1. The template names another node.
    if let Some(t) = &template_node {
        if t != name {
            stop(
                &mut out,
                ReasonCode::NodeNameMismatch,
                format!("the pod template sets spec.nodeName: {t}, so the DaemonSet runs only on {t}"),
            );
            return out;
        }
    }
    // 3. nodeSelector and required node affinity (both, ANDed).
    // The parsed selectors answer yes or no; the words are built only for a node that fails.
    if !matched.both() {
        let labels = &facts.labels;
        if !matched.node_selector {
            let mut why = with_prefix(DIDNT_MATCH);
            t.pre.affinity.explain_node_selector(&mut why, labels);
            stop(&mut out, ReasonCode::NodeSelector, why);
        }
        if !matched.required_affinity {
            let mut why = with_prefix(DIDNT_MATCH);
            t.pre.affinity.explain_required_affinity(&mut why, name, labels);
            stop(&mut out, ReasonCode::NodeAffinity, why);
        }
        return out;
    }
    // Legacy: host ports were part of GeneralPredicates, and a conflict meant "do not run" at all.
    if mode == Mode::Legacy {
        for (port, pod) in crate::scheduler::node_resources::port_conflicts_for(&t.pre.demand.ports, others) {
            stop(&mut out, ReasonCode::HostPortConflict, format!("host port {}/{} is already used by pod {pod} (legacy controller: the pod is not created)", port.port, port.protocol));
        }
        if !out.reasons.is_empty() {
            return out;
        }
    }
    // 4. Taints, in one pass (most nodes have none or one): NoSchedule and NoExecute count, and
    // an untolerated NoExecute also ends running pods; PreferNoSchedule is only a note; so is a
    // NoExecute tolerated for a limited time. Notes keep that order: soft taints, then timers.
    let taints = facts.taints;
    let tolerations = spec.tolerations.as_deref().unwrap_or_default();
    let mut timers = Vec::new();
    for t in taints {
        let effect = t.effect.as_str();
        let hard = matches!(effect, "NoSchedule" | "NoExecute");
        if (hard || effect == "PreferNoSchedule") && !tolerated_by(tolerations, t) {
            if hard {
                out.reasons.push(untolerated_taint_reason(t));
                out.should_run = false;
                if effect == "NoExecute" {
                    out.should_continue_running = false;
                }
            } else {
                out.notes.push(Reason::new(
                    ReasonCode::UntoleratedTaint,
                    format!(
                        "taint {} is PreferNoSchedule: a soft preference the DaemonSet controller ignores",
                        format_taint(t)
                    ),
                ));
            }
        }
        if effect == "NoExecute" {
            if let Some(secs) = toleration_seconds(tolerations, t) {
                timers.push(Reason::new(
                    ReasonCode::UntoleratedTaint,
                    format!("taint {} is tolerated for only {secs}s: the taint-eviction controller deletes the pod after {secs}s and the DaemonSet controller creates a new one, an evict/recreate loop", format_taint(t)),
                ));
            }
        }
    }
    out.notes.append(&mut timers);
    if facts.unschedulable {
        out.notes.push(Reason::new(
            ReasonCode::Unschedulable,
            "node is cordoned (spec.unschedulable): DaemonSet pods tolerate node.kubernetes.io/unschedulable:NoSchedule, so the pod still runs here".to_string(),
        ));
    }
    // Legacy: insufficient resources kept the node desired but the controller did not place the pod.
    if mode == Mode::Legacy && out.should_run {
        if let Some(alloc) = alloc {
            for s in crate::scheduler::node_resources::shortfalls_for(&t.pre.demand, alloc, others) {
                out.legacy_cannot_place.push(Reason::new(
                    ReasonCode::InsufficientResources,
                    format!(
                        "FailedPlacement: failed to place pod on {name:?}: {} ({})",
                        s.reason, s.detail
                    ),
                ));
            }
        }
    }
    out
}

/// The controller's words for a NoSchedule or NoExecute taint the pod does not tolerate.
fn untolerated_taint_reason(t: &Taint) -> Reason {
    let effect_note = if t.effect == "NoExecute" {
        "no new pod, and a running pod is evicted"
    } else {
        "no new pod; a pod already running there stays"
    };
    Reason::new(
        ReasonCode::UntoleratedTaint,
        format!(
            "node(s) had untolerated taint {{{}: {}}} ({}): {effect_note}",
            t.key,
            t.value.as_deref().unwrap_or(""),
            format_taint(t)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SpecOf;
    use crate::scheduler::taints::{taint, toleration};
    use crate::testutil::{daemonset, node};
    use k8s_openapi::api::core::v1::{Taint, Toleration};

    /// The outcome table of semantics §1.2 and the cases of `TestNodeShouldRunDaemonPod`.
    #[test]
    fn node_should_run_daemon_pod_cases() {
        struct Case {
            name: &'static str,
            node_selector: &'static [(&'static str, &'static str)],
            template_node: Option<&'static str>,
            tolerations: Vec<Toleration>,
            labels: &'static [(&'static str, &'static str)],
            taints: Vec<Taint>,
            unschedulable: bool,
            want: (bool, bool),
            code: Option<ReasonCode>,
        }
        let base = || Case {
            name: "",
            node_selector: &[],
            template_node: None,
            tolerations: vec![],
            labels: &[],
            taints: vec![],
            unschedulable: false,
            want: (true, true),
            code: None,
        };
        let cases = vec![
            Case {
                name: "everything passes",
                ..base()
            },
            Case {
                name: "template nodeName names another node",
                template_node: Some("other"),
                want: (false, false),
                code: Some(ReasonCode::NodeNameMismatch),
                ..base()
            },
            Case {
                name: "template nodeName names this node",
                template_node: Some("node-1"),
                ..base()
            },
            Case {
                name: "nodeSelector mismatch",
                node_selector: &[("disktype", "ssd")],
                labels: &[("disktype", "hdd")],
                want: (false, false),
                code: Some(ReasonCode::NodeSelector),
                ..base()
            },
            Case {
                name: "nodeSelector match",
                node_selector: &[("disktype", "ssd")],
                labels: &[("disktype", "ssd")],
                ..base()
            },
            Case {
                name: "untolerated NoSchedule: keep running",
                taints: vec![taint("dedicated", "db", "NoSchedule")],
                want: (false, true),
                code: Some(ReasonCode::UntoleratedTaint),
                ..base()
            },
            Case {
                name: "untolerated NoExecute: stop",
                taints: vec![taint("dedicated", "db", "NoExecute")],
                want: (false, false),
                code: Some(ReasonCode::UntoleratedTaint),
                ..base()
            },
            Case {
                name: "tolerated NoExecute",
                taints: vec![taint("dedicated", "db", "NoExecute")],
                tolerations: vec![toleration("dedicated", "Equal", "db", "NoExecute")],
                ..base()
            },
            Case {
                name: "only PreferNoSchedule untolerated",
                taints: vec![taint("soft", "", "PreferNoSchedule")],
                ..base()
            },
            Case {
                name: "cordoned node still runs the pod (ShouldRunDaemonPodOnUnschedulableNode)",
                unschedulable: true,
                taints: vec![taint("node.kubernetes.io/unschedulable", "", "NoSchedule")],
                ..base()
            },
            Case {
                name: "not-ready NoSchedule is not tolerated automatically",
                taints: vec![
                    taint("node.kubernetes.io/not-ready", "", "NoSchedule"),
                    taint("node.kubernetes.io/not-ready", "", "NoExecute"),
                ],
                want: (false, true),
                code: Some(ReasonCode::UntoleratedTaint),
                ..base()
            },
            Case {
                name: "network-unavailable blocks a non-hostNetwork pod",
                taints: vec![taint("node.kubernetes.io/network-unavailable", "", "NoSchedule")],
                want: (false, true),
                code: Some(ReasonCode::UntoleratedTaint),
                ..base()
            },
            Case {
                name: "operator Exists with empty key tolerates all",
                taints: vec![taint("a", "", "NoExecute"), taint("b", "x", "NoSchedule")],
                tolerations: vec![toleration("", "Exists", "", "")],
                ..base()
            },
            Case {
                name: "memory-pressure taint tolerated automatically",
                taints: vec![taint("node.kubernetes.io/memory-pressure", "", "NoSchedule")],
                ..base()
            },
        ];
        for c in cases {
            let mut ds = daemonset("agent", c.node_selector, c.tolerations.clone());
            if let Some(n) = c.template_node {
                ds.spec_mut().template.spec.as_mut().unwrap().node_name = Some(n.into());
            }
            let mut n = node("node-1", c.labels, c.taints.clone());
            if c.unschedulable {
                n.spec.get_or_insert_with(Default::default).unschedulable = Some(true);
            }
            let got = node_should_run_daemon_pod(&ds, &n, Mode::Current, &[]);
            assert_eq!(
                (got.should_run, got.should_continue_running),
                c.want,
                "{}",
                c.name
            );
            assert_eq!(got.reasons.first().map(|r| r.code), c.code, "{}", c.name);
        }
    }

    #[test]
    fn cordon_and_tolerated_for_seconds_are_noted() {
        let mut n = node("node-1", &[], vec![taint("dedicated", "db", "NoExecute")]);
        n.spec.get_or_insert_with(Default::default).unschedulable = Some(true);
        let mut t = toleration("dedicated", "Exists", "", "NoExecute");
        t.toleration_seconds = Some(60);
        let got = node_should_run_daemon_pod(&daemonset("agent", &[], vec![t]), &n, Mode::Current, &[]);
        assert!(got.should_run && got.should_continue_running);
        let codes: Vec<_> = got.notes.iter().map(|r| r.code).collect();
        assert_eq!(codes, [ReasonCode::UntoleratedTaint, ReasonCode::Unschedulable]);
        assert!(got.notes[0].message.contains("evict/recreate loop"));
    }
}
