//! The garbage collector for a deleted DaemonSet: with background propagation it deletes the
//! pods and ControllerRevisions that the DaemonSet owned (semantics §8.8). Orphan propagation is
//! done at deletion time (owner references removed) and leaves the pods running.
//!
//! Source: `pkg/controller/garbagecollector`.

use crate::cluster::{Actor, Controllers, PodId, Text, World};

pub fn act(w: &mut World, ctl: &mut dyn Controllers) -> bool {
    let gone: Vec<Text> = w
        .daemonsets
        .iter()
        .filter(|d| d.deleted)
        .map(|d| d.name.clone())
        .collect();
    if gone.is_empty() {
        return false;
    }
    let dependents: Vec<(PodId, Text, Option<Text>)> = w
        .pods
        .values()
        .filter(|p| p.deleting.is_none() && p.owner.as_ref().is_some_and(|o| gone.contains(o)))
        .map(|p| (p.id, p.name.clone(), p.target.clone()))
        .collect();
    for (id, name, node) in &dependents {
        let owner = w.pods[id].owner.clone().unwrap_or_default();
        w.begin_deletion(*id);
        w.record(
            ctl,
            Actor::GarbageCollector,
            "delete",
            format!("pod/{name}"),
            node.clone(),
            format!("Deleting pod {name}: its owner daemonset/{owner} is gone (cascade=background)"),
            None,
        );
    }
    let before = w.revisions.len();
    let revs: Vec<String> = w
        .revisions
        .iter()
        .filter(|r| r.owner.as_deref().is_some_and(|o| gone.iter().any(|g| g == o)))
        .map(|r| r.name.clone())
        .collect();
    w.revisions
        .retain(|r| !r.owner.as_deref().is_some_and(|o| gone.iter().any(|g| g == o)));
    for r in &revs {
        w.record(
            ctl,
            Actor::GarbageCollector,
            "delete",
            format!("controllerrevision/{r}"),
            None,
            format!("Deleting ControllerRevision {r}: its owner DaemonSet is gone"),
            None,
        );
    }
    !dependents.is_empty() || w.revisions.len() != before
}
