//! The findings of one DaemonSet: its pods claimed and mapped to their nodes (§6.2, §3.1), each
//! node's verdict turned into missed / pending / missing / misscheduled, the pods on an old
//! template (§7.3), and the status counters computed as the controller computes them (§6.6).

use super::pods::{is_ready, is_terminal, is_terminating, pod_key};
use super::revision::{is_updated, CurrentRevision};
use super::rollout::{self, NodePods};
use super::status::StatusCounts;
use super::DaemonSetAudit;
use crate::api::SpecOf;
// The core's public entry points (kept together: re-pathing is mechanical).
use crate::controller::daemonset::daemon_pod::target_node_name_ref;
use crate::plan::{is_daemon_pod, Plan};
use crate::words::{Reason, ReasonCode};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A node with the reasons behind its verdict (`missed`, `pending`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeReasons {
    pub node: String,
    pub reasons: Vec<Reason>,
}

/// How many missed nodes share a first reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    pub code: ReasonCode,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingNode {
    pub node: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Misscheduled {
    /// `NAMESPACE/NAME`.
    pub pod: String,
    pub node: String,
    /// The controller deletes it: shouldContinueRunning is false there (a selector, affinity or
    /// template nodeName that no longer matches, or an untolerated NoExecute taint, §6.3).
    /// False: it stays (only NoSchedule taints are untolerated) and keeps counting as
    /// misscheduled.
    pub will_be_deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outdated {
    /// `NAMESPACE/NAME`.
    pub pod: String,
    pub node: String,
}

/// One counter the dump's status reports differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusDifference {
    /// The status field, e.g. `desiredNumberScheduled`.
    pub field: String,
    pub computed: i64,
    pub reported: i64,
    pub message: String,
}

/// The controller's "oldest first" (§6.3): pods bound to a node first, then by
/// creationTimestamp, then by name.
fn oldest_first(a: &&Pod, b: &&Pod) -> std::cmp::Ordering {
    let bound = |p: &Pod| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none();
    let created = |p: &Pod| p.metadata.creation_timestamp.as_ref().map(|t| t.0);
    bound(a)
        .cmp(&bound(b))
        .then_with(|| created(a).cmp(&created(b)))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// The findings of `ds`; with `what_if` (`ds` under another strategy), also the stalls of that
/// strategy.
pub(crate) fn audit_one(
    ds: &DaemonSet,
    plan: &Plan,
    nodes: &[Node],
    pods: &[Pod],
    what_if: Option<&DaemonSet>,
) -> (DaemonSetAudit, Vec<rollout::Stall>) {
    let mut notes = Vec::new();
    // Claimed pods (§6.2), left out: terminal pods already being deleted.
    let own: Vec<&Pod> = pods
        .iter()
        .filter(|p| is_daemon_pod(ds, p) && !(is_terminal(p) && is_terminating(p)))
        .collect();
    let revision = CurrentRevision::of(ds, &own);
    notes.extend(revision.note.clone());
    let known: HashMap<&str, usize> = plan
        .nodes
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.as_str(), i))
        .collect();
    let mut by_node: Vec<Vec<&Pod>> = vec![Vec::new(); plan.nodes.len()];
    let mut no_target = Vec::new();
    let mut gone: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in &own {
        match target_node_name_ref(p) {
            None => no_target.push(pod_key(p)),
            Some(t) => match known.get(t) {
                Some(i) => by_node[*i].push(p),
                None => gone.entry(t).or_default().push(pod_key(p)),
            },
        }
    }
    if !no_target.is_empty() {
        crate::sort::sort(&mut no_target);
        notes.push(format!("{} pod(s) name no node ({}): neither spec.nodeName nor a matchFields metadata.name term; the controller ignores them (GetTargetNodeName, §3.1)", no_target.len(), no_target.join(", ")));
    }
    for (node, mut names) in gone {
        crate::sort::sort(&mut names);
        notes.push(format!("pod(s) {} are for node {node}, which is not in the dump: a removed node (the pod garbage collector deletes them, §8.2) or a partial dump", names.join(", ")));
    }
    for list in &mut by_node {
        crate::sort::sort_by(list, oldest_first);
    }

    let (mut missed, mut pending, mut missing, mut misscheduled, mut outdated) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut counts: BTreeMap<ReasonCode, usize> = BTreeMap::new();
    let min_ready = ds.spec().min_ready_seconds.unwrap_or(0);
    let mut computed = StatusCounts {
        desired_number_scheduled: 0,
        current_number_scheduled: 0,
        number_misscheduled: 0,
        number_ready: 0,
        updated_number_scheduled: revision.known().then_some(0),
        number_available: (min_ready == 0).then_some(0),
        observed_generation: None,
    };
    for (v, on) in plan.nodes.iter().zip(&by_node) {
        let live: Vec<&&Pod> = on.iter().filter(|p| !is_terminating(p)).collect();
        if revision.known() {
            for p in &live {
                if !is_updated(&revision, p) {
                    outdated.push(Outdated {
                        pod: pod_key(p),
                        node: v.name.clone(),
                    });
                }
            }
        }
        if !v.should_run {
            if let Some(first) = v.reasons.first() {
                *counts.entry(first.code).or_default() += 1;
            }
            missed.push(NodeReasons {
                node: v.name.clone(),
                reasons: v.reasons.clone(),
            });
            if !on.is_empty() {
                computed.number_misscheduled += 1;
            }
            for p in on {
                misscheduled.push(Misscheduled {
                    pod: pod_key(p),
                    node: v.name.clone(),
                    will_be_deleted: !v.should_continue_running,
                });
            }
            continue;
        }
        computed.desired_number_scheduled += 1;
        if let Some(oldest) = on.first() {
            computed.current_number_scheduled += 1;
            if is_ready(oldest) {
                computed.number_ready += 1;
                if let Some(a) = computed.number_available.as_mut() {
                    *a += 1;
                }
            }
            if let Some(u) = computed.updated_number_scheduled.as_mut() {
                if is_updated(&revision, oldest) {
                    *u += 1;
                }
            }
        } else {
            missing.push(MissingNode { node: v.name.clone() });
        }
        let bound = on
            .iter()
            .any(|p| !is_terminal(p) && p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some());
        if !bound && v.pending() {
            pending.push(NodeReasons {
                node: v.name.clone(),
                reasons: v.scheduler.reasons.clone(),
            });
        }
    }
    crate::sort::sort_by(&mut missed, |a, b| a.node.cmp(&b.node));
    crate::sort::sort_by(&mut pending, |a, b| a.node.cmp(&b.node));
    crate::sort::sort_by(&mut missing, |a, b| a.node.cmp(&b.node));
    crate::sort::sort_by(&mut misscheduled, |a, b| {
        a.pod.cmp(&b.pod).then_with(|| a.node.cmp(&b.node))
    });
    crate::sort::sort_by(&mut outdated, |a, b| {
        a.pod.cmp(&b.pod).then_with(|| a.node.cmp(&b.node))
    });

    let reported = reported_counts(ds);
    let status_differences = reported
        .as_ref()
        .map(|r| differences(ds, &computed, r))
        .unwrap_or_default();
    if reported.is_none() {
        notes.push("the DaemonSet has no status in the dump: the computed counters are not compared".into());
    }
    let node_pods: Vec<NodePods> = plan
        .nodes
        .iter()
        .zip(&by_node)
        .map(|(v, on)| NodePods {
            verdict: v,
            pods: on.as_slice(),
        })
        .collect();
    let rollout = rollout::assess(ds, &computed, &revision, &node_pods, nodes, pods, outdated.len());
    let what_if_stalls = what_if
        .map(|w| rollout::stalls(w, &computed, &revision, &node_pods, nodes, pods, outdated.len()))
        .unwrap_or_default();
    let audit = DaemonSetAudit {
        daemonset: plan.daemonset.clone(),
        desired_number_scheduled: plan.desired_number_scheduled,
        computed,
        reported,
        status_differences,
        missed_by_reason: counts
            .into_iter()
            .map(|(code, count)| ReasonCount { code, count })
            .collect(),
        missed,
        pending,
        missing,
        misscheduled,
        outdated,
        rollout,
        notes,
    };
    (audit, what_if_stalls)
}

fn reported_counts(ds: &DaemonSet) -> Option<StatusCounts> {
    let s = ds.status.as_ref()?;
    Some(StatusCounts {
        desired_number_scheduled: i64::from(s.desired_number_scheduled),
        current_number_scheduled: i64::from(s.current_number_scheduled),
        number_misscheduled: i64::from(s.number_misscheduled),
        number_ready: i64::from(s.number_ready),
        updated_number_scheduled: s.updated_number_scheduled.map(i64::from),
        number_available: s.number_available.map(i64::from),
        observed_generation: s.observed_generation,
    })
}

/// Each counter the status reports differently, plus an unobserved generation (§6.1: the
/// controller sets `observedGeneration` when it has acted on the current spec).
fn differences(ds: &DaemonSet, c: &StatusCounts, r: &StatusCounts) -> Vec<StatusDifference> {
    let mut out = Vec::new();
    let pairs = [
        (
            "desiredNumberScheduled",
            Some(c.desired_number_scheduled),
            Some(r.desired_number_scheduled),
        ),
        (
            "currentNumberScheduled",
            Some(c.current_number_scheduled),
            Some(r.current_number_scheduled),
        ),
        (
            "numberMisscheduled",
            Some(c.number_misscheduled),
            Some(r.number_misscheduled),
        ),
        ("numberReady", Some(c.number_ready), Some(r.number_ready)),
        (
            "updatedNumberScheduled",
            c.updated_number_scheduled,
            r.updated_number_scheduled,
        ),
        ("numberAvailable", c.number_available, r.number_available),
    ];
    for (field, computed, reported) in pairs {
        if let (Some(computed), Some(reported)) = (computed, reported) {
            if computed != reported {
                out.push(StatusDifference {
                    field: field.into(),
                    computed,
                    reported,
                    message: format!("the rules give {field} {computed}, the DaemonSet's status says {reported}: the controller has not caught up with the nodes and pods, or the dump was taken while they changed"),
                });
            }
        }
    }
    if let (Some(generation), Some(observed)) = (ds.metadata.generation, r.observed_generation) {
        if observed < generation {
            out.push(StatusDifference {
                field: "observedGeneration".into(),
                computed: generation,
                reported: observed,
                message: format!("the controller has not acted on generation {generation} of the spec yet (observedGeneration {observed}): its status is for an older spec"),
            });
        }
    }
    out
}
