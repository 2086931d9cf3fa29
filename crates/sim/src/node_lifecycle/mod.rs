//! The node lifecycle controller and its taint-eviction part: taints that follow node conditions
//! and cordon, pods marked NotReady, and NoExecute evictions after tolerationSeconds
//! (semantics §2, §5, §8.3, §8.5).
//!
//! Sources: `pkg/controller/nodelifecycle/node_lifecycle_controller.go`
//! (`nodeConditionToTaintKeyStatusMap`, `NotReadyTaintTemplate`, `MarkPodsNotReady`),
//! `pkg/controller/tainteviction/taint_eviction.go` (`getMinTolerationTime`).
//! [sim] Taints follow a condition change at once; a real controller takes up to its monitor period.

use crate::cluster::{Actor, Controllers, KubeEvent, PodId, Text, World};
use crate::scheduler::taints::{format_taint, toleration_seconds, untolerated};
use crate::text::text;
use k8s_openapi::api::core::v1::Taint;

/// Taint keys this controller owns, and whether each should be on the node now.
fn wanted(n: &crate::cluster::SimNode) -> [(&'static str, &'static str, bool); 7] {
    let cond = |t: &str| {
        n.node
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == t))
            .is_some_and(|c| c.status == "True")
    };
    [
        ("node.kubernetes.io/not-ready", "NoSchedule", !n.ready),
        ("node.kubernetes.io/not-ready", "NoExecute", !n.ready),
        (
            "node.kubernetes.io/unschedulable",
            "NoSchedule",
            n.unschedulable(),
        ),
        (
            "node.kubernetes.io/memory-pressure",
            "NoSchedule",
            cond("MemoryPressure"),
        ),
        (
            "node.kubernetes.io/disk-pressure",
            "NoSchedule",
            cond("DiskPressure"),
        ),
        (
            "node.kubernetes.io/pid-pressure",
            "NoSchedule",
            cond("PIDPressure"),
        ),
        (
            "node.kubernetes.io/network-unavailable",
            "NoSchedule",
            cond("NetworkUnavailable"),
        ),
    ]
}

fn node_event(w: &World, node: &str, reason: &'static str, message: Text) -> KubeEvent {
    KubeEvent {
        type_: Text::new_static("Normal"),
        reason: Text::new_static(reason),
        object: text!("node/{node}"),
        from: Text::new_static("node-lifecycle-controller"),
        message,
        time: w.now,
    }
}

pub fn act(w: &mut World, ctl: &mut dyn Controllers) -> bool {
    let mut acted = false;
    let now = w.now;
    // Only nodes where something changed, NotReady nodes, and nodes with an eviction due.
    let mut names: Vec<Text> = if std::mem::take(&mut w.queues.lifecycle_all_dirty) {
        w.queues.lifecycle_dirty.clear();
        w.nodes.iter().map(|n| n.name().clone()).collect()
    } else {
        w.queues.lifecycle_dirty.take_names(&w.nodes)
    };
    let not_ready = w.not_ready_nodes().to_vec();
    names.extend(not_ready.into_iter().map(|i| w.nodes[i].name().clone()));
    names.extend(
        w.queues
            .evictions
            .iter()
            .filter_map(|id| w.pods.get(id))
            .filter(|p| p.deleting.is_none() && p.evict_at.is_some_and(|t| t <= now))
            .filter_map(|p| p.bound.clone()),
    );
    // In name order, each once.
    crate::sort::sort(&mut names);
    names.dedup();
    for node in &names {
        match w.node(node) {
            None => continue,
            Some(n) if quiet(w, n) => continue,
            Some(_) => {}
        }
        acted |= sync_taints(w, ctl, node);
        acted |= mark_pods_not_ready(w, ctl, node);
        acted |= evict(w, ctl, node);
    }
    acted
}

/// A Ready node without taints, whose conditions call for none, and whose pods have no eviction
/// pending: none of the three steps below would change anything (the common case, looked at
/// once instead of three times).
fn quiet(w: &World, n: &crate::cluster::SimNode) -> bool {
    n.ready
        && n.taints().is_empty()
        && wanted(n).iter().all(|(_, _, want)| !want)
        && w.pod_ids_on(n.name())
            .iter()
            .filter_map(|id| w.pods.get(id))
            .all(|p| p.evict_at.is_none() || p.bound.is_none() || p.deleting.is_some() || p.terminal())
}

fn sync_taints(w: &mut World, ctl: &mut dyn Controllers, node: &str) -> bool {
    let mut acted = false;
    // The taints to add or remove, found with one look at the node (each owned taint is a
    // distinct key and effect, so changing one does not change the answer for another).
    let Some(n) = w.node(node) else { return false };
    let has = |key: &str, effect: &str| n.taints().iter().any(|t| t.key == key && t.effect == effect);
    let changes: Vec<(&str, &str, bool)> = wanted(n)
        .into_iter()
        .filter(|(key, effect, want)| has(key, effect) != *want)
        .collect();
    for (key, effect, want) in changes {
        let taint = Taint {
            key: key.into(),
            effect: effect.into(),
            value: None,
            time_added: None,
        };
        let text = format_taint(&taint);
        let Some(n) = w.node_mut(node) else { continue };
        let why = if key.ends_with("not-ready") {
            "the node's Ready condition is not True"
        } else if key.ends_with("unschedulable") {
            "the node is cordoned (spec.unschedulable)"
        } else {
            "a node condition"
        };
        if want {
            n.taints_mut().push(taint);
            let msg = text!("Added taint {text} to node {node}: {why}");
            let ev = node_event(w, node, "TaintAdded", msg.clone());
            w.record(
                ctl,
                Actor::NodeLifecycle,
                "taint",
                format!("node/{node}"),
                Some(w.node_text(node)),
                msg,
                Some(ev),
            );
        } else {
            n.taints_mut().retain(|t| !(t.key == key && t.effect == effect));
            let msg = text!("Removed taint {text} from node {node}");
            let ev = node_event(w, node, "TaintRemoved", msg.clone());
            w.record(
                ctl,
                Actor::NodeLifecycle,
                "untaint",
                format!("node/{node}"),
                Some(w.node_text(node)),
                msg,
                Some(ev),
            );
        }
        acted = true;
    }
    acted
}

fn mark_pods_not_ready(w: &mut World, ctl: &mut dyn Controllers, node: &str) -> bool {
    if w.node(node).is_none_or(|n| n.ready) {
        return false;
    }
    let ids: Vec<PodId> = w
        .pods_on(node)
        .into_iter()
        .filter(|p| p.bound.is_some() && p.ready)
        .map(|p| p.id)
        .collect();
    for id in &ids {
        let pm = w.pod_mut(*id).expect("pod exists");
        pm.ready = false;
        pm.ready_since = None;
        // Its containers too: the kubelet reports each ready again once the node is back.
        for c in pm.containers.iter_mut() {
            c.ready = false;
        }
        let name = pm.name.clone();
        w.record(
            ctl,
            Actor::NodeLifecycle,
            "mark-not-ready",
            format!("pod/{name}"),
            Some(w.node_text(node)),
            format!("Marked pod {name} NotReady: its node {node} is NotReady (the pod object stays, nothing is recreated elsewhere)"),
            None,
        );
    }
    !ids.is_empty()
}

/// Taint-based eviction: untolerated NoExecute taints evict at once; tolerated ones with
/// tolerationSeconds evict when that time is up.
fn evict(w: &mut World, ctl: &mut dyn Controllers, node: &str) -> bool {
    let Some(n) = w.node(node) else { return false };
    let no_execute: Vec<Taint> = n
        .taints()
        .iter()
        .filter(|t| t.effect == "NoExecute")
        .cloned()
        .collect();
    let now = w.now;
    let mut plan: Vec<(PodId, Option<u64>, String)> = Vec::new();
    for p in w.pod_ids_on(node).iter().filter_map(|id| w.pods.get(id)) {
        if p.bound.is_none() || p.deleting.is_some() || p.terminal() {
            continue;
        }
        if no_execute.is_empty() {
            // No NoExecute taint: nothing to evict; only a pending eviction is called off.
            if p.evict_at.is_some() {
                plan.push((p.id, None, String::new()));
            }
            continue;
        }
        let tolerations = p
            .spec()
            .and_then(|s| s.tolerations.as_deref())
            .unwrap_or_default();
        if let Some(t) = untolerated(&no_execute, tolerations, &["NoExecute"]).first() {
            plan.push((p.id, Some(now), format_taint(t)));
            continue;
        }
        let limit = no_execute
            .iter()
            .filter_map(|t| toleration_seconds(tolerations, t).map(|s| (s, t)))
            .min_by_key(|(s, _)| *s);
        match limit {
            Some((secs, t)) => {
                let at = p.evict_at.unwrap_or(now + secs as u64);
                plan.push((
                    p.id,
                    Some(at),
                    format!("{} (tolerated for {secs}s)", format_taint(t)),
                ));
            }
            None if p.evict_at.is_some() => plan.push((p.id, None, String::new())),
            None => {}
        }
    }
    let mut acted = false;
    for (id, at, why) in plan {
        match at {
            Some(at) if at <= now => {
                let (name, object) = (w.pods[&id].name.clone(), w.pods[&id].object());
                let ns = w.pods[&id].namespace.clone();
                w.begin_deletion(id);
                let msg = text!("Marking for deletion Pod {ns}/{name}");
                let ev = KubeEvent {
                    type_: Text::new_static("Normal"),
                    reason: Text::new_static("TaintManagerEviction"),
                    object: object.clone(),
                    from: Text::new_static("taint-eviction-controller"),
                    message: msg.clone(),
                    time: now,
                };
                w.record(
                    ctl,
                    Actor::NodeLifecycle,
                    "evict",
                    object,
                    Some(w.node_text(node)),
                    format!("{msg}: NoExecute taint {why}"),
                    Some(ev),
                );
                acted = true;
            }
            other => {
                if w.pods[&id].evict_at != other {
                    w.pods.get_mut(&id).expect("pod exists").evict_at = other;
                    match other {
                        Some(_) => w.queues.evictions.insert(id),
                        None => w.queues.evictions.remove(&id),
                    };
                }
            }
        }
    }
    acted
}

pub fn next_wakeup(w: &World) -> Option<u64> {
    w.queues
        .evictions
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| p.deleting.is_none())
        .filter_map(|p| p.evict_at)
        .filter(|t| *t > w.now)
        .min()
}
