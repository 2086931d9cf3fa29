//! The DaemonSet controller's sync (semantics §6): history, `manage` (create and delete per node),
//! then the rolling update, then status.
//!
//! Source: `pkg/controller/daemon/daemon_controller.go` (`syncDaemonSet`, `updateDaemonSet`,
//! `manage`, `podsShouldBeOnNode`, `syncNodes`, `getUnscheduledPodsWithoutNode`).

use super::daemon_pods::{daemon_pods, oldest_first};
use super::pod_control::{create_pod, delete_pod, event};
use crate::api::labels::selector_matches;
use crate::cluster::{timing, Actor, Phase, PodId, Text, World};
use crate::controller::daemonset::should_run::{should_run_with, DaemonTemplate};
use crate::text::text;
use crate::words::Mode;
use k8s_openapi::api::core::v1::Pod;
use std::borrow::Cow;

/// Recomputes the controller's answers where a node or the template changed.
pub fn refresh_should(w: &mut World) {
    if !w.should_all_dirty && w.should_dirty.is_empty() {
        return; // nothing changed (called at every step)
    }
    let all = std::mem::take(&mut w.should_all_dirty);
    let dirty: Vec<Text> = if all {
        w.should_dirty.clear();
        w.nodes.iter().map(|n| n.name.clone()).collect()
    } else {
        w.should_dirty.take_names(&w.nodes)
    };
    if dirty.is_empty() {
        return;
    }
    for di in 0..w.daemonsets.len() {
        if w.daemonsets[di].deleted {
            continue;
        }
        let template = DaemonTemplate::new(&w.daemonsets[di].ds);
        let mut answers = Vec::new();
        for name in &dirty {
            let Some(node) = w.node(name) else {
                answers.push((name.clone(), None));
                continue;
            };
            let others = if w.mode == Mode::Legacy {
                other_pods_on(w, &w.daemonsets[di].name, name)
            } else {
                Vec::new()
            };
            let others: Vec<&Pod> = others.iter().map(|p| &**p).collect();
            answers.push((
                name.clone(),
                Some(should_run_with(&template, &node.node, w.mode, &others)),
            ));
        }
        for (name, answer) in answers {
            let i = w.node_at(&name);
            // A name without a Node has no answer (dropped when the node went).
            if i.is_some_and(|i| w.daemonsets[di].set_should(i, answer)) {
                w.dirty_nodes.add(i, &name);
                w.manage_dirty.add(i, &name);
                w.status_dirty.add(i, &name);
            }
        }
    }
}

/// Pods of other workloads bound to `node` and still holding resources.
fn other_pods_on<'w>(w: &'w World, ds: &str, node: &str) -> Vec<Cow<'w, Pod>> {
    w.pods_on(node)
        .into_iter()
        .filter(|p| p.bound.is_some() && !p.terminal() && p.owner.as_deref() != Some(ds))
        .map(|p| p.manifest())
        .collect()
}

/// The nodes `manage` must revisit this round (taken once per round, for every DaemonSet).
pub enum Dirty {
    All,
    Nodes(Vec<Text>),
}

pub fn take_dirty(w: &mut World) -> Dirty {
    if std::mem::take(&mut w.manage_all_dirty) {
        w.manage_dirty.clear();
        Dirty::All
    } else {
        // In name order (as a set of names gave them); nodes that are gone are skipped anyway.
        let nodes = w.manage_dirty.take_sorted(&w.nodes);
        Dirty::Nodes(nodes.into_iter().map(|i| w.nodes[i].name.clone()).collect())
    }
}

/// One sync of DaemonSet `di`, with every node considered changed.
pub fn sync(w: &mut World, di: usize) -> bool {
    sync_with(w, di, &Dirty::All)
}

/// One sync of DaemonSet `di`. `manage` only revisits the nodes where something changed since
/// the last round (its decisions per node depend only on that node, its pods and the template).
/// Returns whether it changed anything.
pub fn sync_with(w: &mut World, di: usize, dirty: &Dirty) -> bool {
    if w.daemonsets[di].deleted {
        return false;
    }
    if crate::api::labels::selector_is_empty(&w.daemonsets[di].ds.spec.selector) {
        return false; // SelectingAll: validation refuses it, kept for safety
    }
    refresh_should(w);
    let mut acted = super::revisions::sync_history(w, di);
    acted |= adopt_orphans(w, di);
    if manage(w, di, dirty) {
        // Expectations: the next sync runs once the creates and deletes are observed.
        return true;
    }
    if !w.daemonsets[di].is_on_delete() {
        acted |= super::rolling_update::rolling_update(w, di);
    }
    super::revisions::cleanup_history(w, di);
    let generation = w.daemonsets[di].generation();
    if w.daemonsets[di].status.observed_generation != generation {
        w.daemonsets[di].status.observed_generation = generation;
        w.touch_daemonsets();
    }
    acted
}

/// Orphans in the namespace whose labels the selector matches are adopted (§6.2).
fn adopt_orphans(w: &mut World, di: usize) -> bool {
    let d = &w.daemonsets[di];
    let ids: Vec<PodId> = w
        .orphans
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| p.owner.is_none() && p.namespace == d.namespace && p.deleting.is_none())
        .filter(|p| selector_matches(&d.ds.spec.selector, p.labels()))
        .map(|p| p.id)
        .collect();
    let name = d.name.clone();
    for id in &ids {
        w.orphans.remove(id);
        let Some(p) = w.pod_mut(*id) else { continue };
        p.owner = Some(name.clone());
        let pod_name = p.name.clone();
        let node = p.target.clone();
        w.record(
            Actor::DaemonsetController,
            "adopt",
            format!("pod/{pod_name}"),
            node,
            format!("Adopted pod {pod_name}: it has no controller and its labels match the selector of daemonset {name}"),
            None,
        );
    }
    !ids.is_empty()
}

/// `manage`: per node, create the missing pod or delete the ones that must go. Returns whether
/// it issued any create or delete.
fn manage(w: &mut World, di: usize, dirty: &Dirty) -> bool {
    let mut creates: Vec<Text> = Vec::new();
    let mut deletes: Vec<(PodId, String)> = Vec::new(); // pod, why
    let mut failed_events: Vec<(Text, Text)> = Vec::new();
    let mut placement: Vec<(Text, String)> = Vec::new();
    let surge = super::rolling_update::allows_surge(&w.daemonsets[di]);
    let hash = w.daemonsets[di].current_hash.clone();
    let now = w.now;
    // Each node with the index its answer sits at.
    let names: Vec<(usize, Text)> = match dirty {
        Dirty::All => (0..w.nodes.len())
            .map(|i| (w.canonical(i), w.nodes[i].name.clone()))
            .collect(),
        Dirty::Nodes(n) => n
            .iter()
            .filter_map(|n| Some((w.node_at(n)?, n.clone())))
            .collect(),
    };
    // Reused from node to node: a sync visits many nodes, most with one pod.
    let mut pods = Vec::new();
    let mut running = Vec::new();
    for (at, node) in &names {
        let d = &w.daemonsets[di];
        let Some(sr) = d.should_at(*at) else {
            continue;
        };
        pods.clear();
        pods.extend(daemon_pods(w, d, node));
        let exists = !pods.is_empty();
        if sr.should_run && !exists {
            if w.mode == Mode::Legacy && !sr.legacy_cannot_place.is_empty() {
                // The legacy controller does not place it and says so (FailedPlacement).
                let msg = sr.legacy_cannot_place[0].message.clone();
                if d.placement_failed.get(node.as_str()) != Some(&msg) {
                    placement.push((node.clone(), msg));
                }
                continue;
            }
            creates.push(node.clone());
        } else if sr.should_continue_running {
            running.clear();
            for p in pods.drain(..) {
                if p.deleting.is_some() {
                    continue;
                }
                match p.phase {
                    Phase::Failed => {
                        let (delay, next) = d.failed_backoff.get(node.as_str()).copied().unwrap_or((0, 0));
                        if delay > 0 && now < next {
                            continue; // in back-off: requeued after the delay
                        }
                        failed_events.push((node.clone(), p.name.clone()));
                        deletes.push((p.id, "failed".into()));
                    }
                    Phase::Succeeded => deletes.push((p.id, "succeeded".into())),
                    _ => running.push(p),
                }
            }
            oldest_first(&mut running);
            if !surge {
                for extra in running.iter().skip(1) {
                    deletes.push((extra.id, "duplicate".into()));
                }
            } else if running.is_empty() {
                if sr.should_run {
                    creates.push(node.clone());
                }
            } else if running.len() > 1 {
                let mut oldest_new = None;
                let mut oldest_old = None;
                for p in &running {
                    let is_new = p.hash() == Some(hash.as_str());
                    let slot = if is_new { &mut oldest_new } else { &mut oldest_old };
                    if slot.is_none() {
                        *slot = Some(*p);
                    } else {
                        deletes.push((p.id, "duplicate".into()));
                    }
                }
                if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
                    if !old.ready {
                        deletes.push((old.id, "old-unready".into()));
                    } else if new.available(now, d.min_ready_seconds()) {
                        deletes.push((old.id, "replaced".into()));
                    }
                }
            }
        } else if exists {
            for p in &pods {
                if p.deleting.is_none() {
                    deletes.push((p.id, "not-eligible".into()));
                }
            }
        }
    }
    // Pods never scheduled whose target node is gone (`getUnscheduledPodsWithoutNode`).
    let d = &w.daemonsets[di];
    for gone in w.vanished_targets() {
        for p in w.pods_on(gone) {
            if p.owner.as_deref() == Some(d.name.as_str()) && p.bound.is_none() && p.deleting.is_none() {
                deletes.push((p.id, "node-gone".into()));
            }
        }
    }
    for (node, pod) in failed_events {
        let d = &mut w.daemonsets[di];
        let (delay, _) = d.failed_backoff.get(node.as_str()).copied().unwrap_or((0, 0));
        let next_delay = if delay == 0 {
            timing::FAILED_POD_BACKOFF_INITIAL
        } else {
            (delay * 2).min(timing::FAILED_POD_BACKOFF_MAX)
        };
        d.failed_backoff
            .insert(node.to_string(), (next_delay, now + next_delay));
        let ns = d.namespace.clone();
        let msg = text!("Found failed daemon pod {ns}/{pod} on node {node}, will try to kill it");
        let ev = event(w, di, "Warning", "FailedDaemonPod", msg.clone());
        w.record(
            Actor::DaemonsetController,
            "failed-daemon-pod",
            format!("pod/{pod}"),
            Some(node),
            msg,
            Some(ev),
        );
    }
    for (node, msg) in placement {
        w.daemonsets[di]
            .placement_failed
            .insert(node.to_string(), msg.clone());
        let text = Text::from(msg.trim_start_matches("FailedPlacement: "));
        let ev = event(w, di, "Warning", "FailedPlacement", text);
        w.record(
            Actor::DaemonsetController,
            "failed-placement",
            format!("node/{node}"),
            Some(node),
            msg,
            Some(ev),
        );
    }
    let acted = !creates.is_empty() || !deletes.is_empty();
    // At most BurstReplicas creates and deletes per sync; the rest wait for the next sync, so
    // their nodes stay marked for `manage`.
    for (i, (id, why)) in deletes.into_iter().enumerate() {
        if i < timing::BURST_REPLICAS {
            delete_pod(w, di, id, &why);
        } else if let Some(t) = w.pods.get(&id).and_then(|p| p.target.clone()) {
            let i = w.node_at(&t);
            w.manage_dirty.add(i, &t);
        }
    }
    for (i, node) in creates.into_iter().enumerate() {
        if i < timing::BURST_REPLICAS {
            create_pod(w, di, &node);
        } else {
            let i = w.node_at(&node);
            w.manage_dirty.add(i, &node);
        }
    }
    acted
}

/// A pod turns available `minReadySeconds` after it turned Ready (`IsPodAvailable`, semantics
/// §7.3); the controller re-queues the DaemonSet for that moment and its status update counts the
/// pod from then on (§6.5, §6.6). That moment is a step of its own (called once each time the
/// clock moves), one per DaemonSet naming the pods that turn available together (one status
/// update counts them all), so `numberAvailable` changes on a step that says why, and the
/// timeline goes on until the last such moment.
pub fn record_available(w: &mut World) {
    let now = w.now;
    for di in 0..w.daemonsets.len() {
        let d = &w.daemonsets[di];
        let min_ready = d.min_ready_seconds();
        if d.deleted || min_ready == 0 {
            continue;
        }
        let due: Vec<(Text, Text, Option<Text>)> = w
            .pods
            .values()
            .filter(|p| p.owner.as_deref() == Some(&d.name) && p.namespace == d.namespace)
            .filter(|p| p.ready && p.deleting.is_none())
            .filter(|p| p.ready_since.is_some_and(|s| s + min_ready == now))
            .map(|p| (p.name.clone(), p.object(), p.bound.clone()))
            .collect();
        if due.is_empty() {
            continue;
        }
        for (_, _, node) in &due {
            if let Some(n) = node {
                w.mark_node_status_dirty(n);
            }
        }
        let ready_at = now.saturating_sub(min_ready);
        let why = text!("Ready since t={ready_at}s and minReadySeconds ({min_ready}s) have passed: counted in numberAvailable from now");
        match due.as_slice() {
            [] => {}
            [(name, object, node)] => {
                let message = Text::concat(&["Pod ", name, " is available: ", &why]);
                w.record(
                    Actor::DaemonsetController,
                    "available",
                    object.clone(),
                    node.clone(),
                    message,
                    None,
                );
            }
            many => {
                // A few names, not thousands (a big cluster's pods often turn available together).
                const NAMES: usize = 5;
                let names: Vec<&str> = many.iter().take(NAMES).map(|(n, _, _)| n.as_str()).collect();
                let more = match many.len().saturating_sub(NAMES) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                let message = text!(
                    "{} pods are available ({}{more}): {why}",
                    many.len(),
                    names.join(", ")
                );
                let object = w.daemonsets[di].object.clone();
                w.record(
                    Actor::DaemonsetController,
                    "available",
                    object,
                    None,
                    message,
                    None,
                );
            }
        }
    }
}
