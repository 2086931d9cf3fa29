//! The pod garbage collector: pods bound to a node that no longer exists are deleted after a
//! quarantine (semantics §8.2). The DaemonSet controller never deletes them.
//!
//! Source: `pkg/controller/podgc/gc_controller.go` (`gcOrphaned`, 40 s quarantine).

use crate::cluster::{timing, Actor, Controllers, PodId, Text, World};

pub fn act(w: &mut World, ctl: &mut dyn Controllers) -> bool {
    if w.gone_nodes.is_empty() {
        return false; // no node has gone: nothing to look for (the common case, every round)
    }
    let now = w.now;
    let doomed: Vec<(PodId, Text, Text)> = w
        .pods
        .values()
        .filter_map(|p| {
            let node = p.bound.as_ref()?;
            let gone = *w.gone_nodes.get(node.as_str())?;
            (w.node(node).is_none() && gone + timing::PODGC_QUARANTINE <= now)
                .then(|| (p.id, p.name.clone(), node.clone()))
        })
        .collect();
    for (id, name, node) in &doomed {
        w.remove_pod(*id);
        w.record(
            ctl,
            Actor::PodGc,
            "delete",
            format!("pod/{name}"),
            Some(node.clone()),
            format!("Found orphaned Pod {name} assigned to the Node {node}, deleting (the node has been gone {}s)", timing::PODGC_QUARANTINE),
            None,
        );
    }
    !doomed.is_empty()
}

pub fn next_wakeup(w: &World) -> Option<u64> {
    if w.gone_nodes.is_empty() {
        return None;
    }
    w.pods
        .values()
        .filter_map(|p| {
            let node = p.bound.as_ref()?;
            w.gone_nodes
                .get(node.as_str())
                .filter(|_| w.node(node).is_none())
                .map(|g| g + timing::PODGC_QUARANTINE)
        })
        .filter(|t| *t > w.now)
        .min()
}
