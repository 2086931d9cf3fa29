//! The DaemonSet controller's sync (semantics §6): history, `manage` (create and delete per node),
//! then the rolling update, then status.
//!
//! Source: `pkg/controller/daemon/daemon_controller.go` (`syncDaemonSet`, `updateDaemonSet`,
//! `manage`, `podsShouldBeOnNode`, `syncNodes`, `getUnscheduledPodsWithoutNode`).

use super::caches::DaemonSetsController;
use super::daemon_pods::{daemon_pods, oldest_first};
use super::pod_control::{create_pod, delete_pod, event};
use super::should_run::ShouldRun;
use super::watch::refresh_should;
use crate::api::labels::selector_matches;
use crate::api::SpecOf;
use crate::cluster::{timing, Actor, NodeId, Phase, PodId, SimPod, Text, World};
use crate::text::text;
use crate::words::Mode;

/// The nodes `manage` must revisit this round (taken once per round, for every DaemonSet).
pub enum Dirty {
    All,
    Nodes(Vec<Text>),
}

pub fn take_dirty(w: &mut World) -> Dirty {
    if std::mem::take(&mut w.queues.manage_all_dirty) {
        w.queues.manage_dirty.clear();
        Dirty::All
    } else {
        // In name order (as a set of names gave them); nodes that are gone are skipped anyway.
        let nodes = w.queues.manage_dirty.take_sorted(&w.nodes);
        Dirty::Nodes(nodes.into_iter().map(|i| w.nodes[i].name().clone()).collect())
    }
}

/// One sync of DaemonSet `di`, with every node considered changed.
pub fn sync(w: &mut World, dsc: &mut DaemonSetsController, di: usize) -> bool {
    sync_with(w, dsc, di, &Dirty::All)
}

/// One sync of DaemonSet `di`. `manage` only revisits the nodes where something changed since
/// the last round (its decisions per node depend only on that node, its pods and the template).
/// Returns whether it changed anything.
pub fn sync_with(w: &mut World, dsc: &mut DaemonSetsController, di: usize, dirty: &Dirty) -> bool {
    if w.daemonsets[di].deleted {
        return false;
    }
    if crate::api::labels::selector_is_empty(&w.daemonsets[di].ds.spec().selector) {
        return false; // SelectingAll: validation refuses it, kept for safety
    }
    refresh_should(w, dsc);
    let mut acted = super::revisions::sync_history(w, dsc, di);
    acted |= adopt_orphans(w, dsc, di);
    if manage(w, dsc, di, dirty) {
        // Expectations: the next sync runs once the creates and deletes are observed.
        return true;
    }
    if !w.daemonsets[di].is_on_delete() {
        acted |= super::rolling_update::rolling_update(w, dsc, di);
    }
    super::revisions::cleanup_history(w, dsc, di);
    let generation = w.daemonsets[di].generation();
    if w.daemonsets[di].status.observed_generation != generation {
        w.daemonsets[di].status.observed_generation = generation;
        w.touch_daemonsets();
    }
    acted
}

/// Orphans in the namespace whose labels the selector matches are adopted (§6.2).
fn adopt_orphans(w: &mut World, dsc: &mut DaemonSetsController, di: usize) -> bool {
    let d = &w.daemonsets[di];
    let ids: Vec<PodId> = w
        .queues
        .orphans
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| p.owner.is_none() && p.namespace == d.namespace && p.deleting.is_none())
        .filter(|p| selector_matches(&d.ds.spec().selector, p.labels()))
        .map(|p| p.id)
        .collect();
    let name = d.name.clone();
    for id in &ids {
        w.queues.orphans.remove(id);
        let Some(p) = w.pod_mut(*id) else { continue };
        p.owner = Some(name.clone());
        let pod_name = p.name.clone();
        let node = p.target.clone();
        w.record(
            dsc,
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

/// What `podsShouldBeOnNode` decides for one node: create a pod there or not, and which of the
/// DaemonSet's pods there to delete (with why, in the order they are found).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NodeDecision {
    pub create: bool,
    pub delete: Vec<(PodId, &'static str)>,
    /// Failed pods being deleted now (each gets a FailedDaemonPod event and a longer back-off).
    pub failed: Vec<Text>,
    /// Legacy mode: the controller wants the node but cannot place the pod; the message of the
    /// FailedPlacement event, when it was not already recorded for this reason.
    pub failed_placement: Option<String>,
}

/// What `pods_should_be_on_node` reads besides the node's answer and pods.
#[derive(Debug, Clone, Copy)]
pub struct NodeContext<'a> {
    pub mode: Mode,
    pub now: u64,
    /// RollingUpdate with maxSurge > 0: an old and a new pod may run side by side.
    pub surge: bool,
    /// The current revision's hash.
    pub hash: &'a str,
    pub min_ready_seconds: u64,
    /// The node's Failed-pod back-off: (current delay, earliest time of the next delete).
    pub failed_backoff: Option<(u64, u64)>,
    /// The FailedPlacement message already recorded for the node (legacy mode).
    pub placement_failed: Option<&'a str>,
}

/// `podsShouldBeOnNode`: given the controller's answer for a node and the DaemonSet's pods
/// there (oldest first or not), whether to create one and which to delete. Without surge, every
/// pod past the oldest running one is a duplicate; with surge, the oldest new pod replaces the
/// oldest old one once it is available (or at once if the old one is not Ready).
pub fn pods_should_be_on_node(sr: &ShouldRun, pods: &[&SimPod], cx: &NodeContext) -> NodeDecision {
    let mut out = NodeDecision::default();
    let exists = !pods.is_empty();
    if sr.should_run && !exists {
        if cx.mode == Mode::Legacy && !sr.legacy_cannot_place.is_empty() {
            // The legacy controller does not place it and says so (FailedPlacement), once.
            let msg = &sr.legacy_cannot_place[0].message;
            if cx.placement_failed != Some(msg.as_str()) {
                out.failed_placement = Some(msg.clone());
            }
            return out;
        }
        out.create = true;
    } else if sr.should_continue_running {
        let mut running: Vec<&SimPod> = Vec::new();
        for p in pods {
            if p.deleting.is_some() {
                continue;
            }
            match p.phase {
                Phase::Failed => {
                    let (delay, next) = cx.failed_backoff.unwrap_or((0, 0));
                    if delay > 0 && cx.now < next {
                        continue; // in back-off: requeued after the delay
                    }
                    out.failed.push(p.name.clone());
                    out.delete.push((p.id, "failed"));
                }
                Phase::Succeeded => out.delete.push((p.id, "succeeded")),
                _ => running.push(p),
            }
        }
        oldest_first(&mut running);
        if !cx.surge {
            for extra in running.iter().skip(1) {
                out.delete.push((extra.id, "duplicate"));
            }
        } else if running.is_empty() {
            out.create = sr.should_run;
        } else if running.len() > 1 {
            let mut oldest_new = None;
            let mut oldest_old = None;
            for p in &running {
                let is_new = p.hash() == Some(cx.hash);
                let slot = if is_new { &mut oldest_new } else { &mut oldest_old };
                if slot.is_none() {
                    *slot = Some(*p);
                } else {
                    out.delete.push((p.id, "duplicate"));
                }
            }
            if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
                if !old.ready {
                    out.delete.push((old.id, "old-unready"));
                } else if new.available(cx.now, cx.min_ready_seconds) {
                    out.delete.push((old.id, "replaced"));
                }
            }
        }
    } else if exists {
        for p in pods {
            if p.deleting.is_none() {
                out.delete.push((p.id, "not-eligible"));
            }
        }
    }
    out
}

/// `manage`: decides node by node (`pods_should_be_on_node`), deletes the pods whose node is
/// gone before they were scheduled (`getUnscheduledPodsWithoutNode`), records the events of the
/// decisions, then creates and deletes (`sync_nodes`).
fn manage(w: &mut World, dsc: &mut DaemonSetsController, di: usize, dirty: &Dirty) -> bool {
    let mut creates: Vec<Text> = Vec::new();
    let mut deletes: Vec<(PodId, &'static str)> = Vec::new();
    let mut failed_events: Vec<(Text, Text)> = Vec::new();
    let mut placement: Vec<(Text, String)> = Vec::new();
    let surge = super::rolling_update::allows_surge(&w.daemonsets[di]);
    let hash = w.daemonsets[di].current_hash.clone();
    // Each node with the index its answer sits at.
    let names: Vec<(NodeId, Text)> = match dirty {
        Dirty::All => w
            .nodes
            .ids()
            .map(|i| (w.nodes.canonical(i), w.nodes[i].name().clone()))
            .collect(),
        Dirty::Nodes(n) => n
            .iter()
            .filter_map(|n| Some((w.nodes.id(n)?, n.clone())))
            .collect(),
    };
    // Reused from node to node: a sync visits many nodes, most with one pod.
    let mut pods = Vec::new();
    for (at, node) in &names {
        let (d, cache) = (&w.daemonsets[di], &dsc[di]);
        let Some(sr) = cache.should_at(*at) else {
            continue;
        };
        pods.clear();
        pods.extend(daemon_pods(w, d, node));
        let cx = NodeContext {
            mode: w.mode,
            now: w.now,
            surge,
            hash: &hash,
            min_ready_seconds: d.min_ready_seconds(),
            failed_backoff: cache.failed_backoff.get(node.as_str()).copied(),
            placement_failed: cache.placement_failed.get(node.as_str()).map(String::as_str),
        };
        let decision = pods_should_be_on_node(sr, &pods, &cx);
        if decision.create {
            creates.push(node.clone());
        }
        deletes.extend(decision.delete);
        failed_events.extend(decision.failed.into_iter().map(|pod| (node.clone(), pod)));
        if let Some(msg) = decision.failed_placement {
            placement.push((node.clone(), msg));
        }
    }
    // Pods never scheduled whose target node is gone (`getUnscheduledPodsWithoutNode`).
    let d = &w.daemonsets[di];
    for gone in w.vanished_targets() {
        for p in w.pods_on(gone) {
            if p.owner.as_deref() == Some(d.name.as_str()) && p.bound.is_none() && p.deleting.is_none() {
                deletes.push((p.id, "node-gone"));
            }
        }
    }
    record_failed_daemon_pods(w, dsc, di, failed_events);
    record_failed_placements(w, dsc, di, placement);
    sync_nodes(w, dsc, di, deletes, creates)
}

/// A Failed pod is deleted with a FailedDaemonPod event, and the node's back-off before the next
/// such delete doubles (1 s to 15 min), as `failedPodsBackoff` does.
fn record_failed_daemon_pods(
    w: &mut World,
    dsc: &mut DaemonSetsController,
    di: usize,
    failed: Vec<(Text, Text)>,
) {
    let now = w.now;
    for (node, pod) in failed {
        let cache = &mut dsc[di];
        let (delay, _) = cache.failed_backoff.get(node.as_str()).copied().unwrap_or((0, 0));
        let next_delay = if delay == 0 {
            timing::FAILED_POD_BACKOFF_INITIAL
        } else {
            (delay * 2).min(timing::FAILED_POD_BACKOFF_MAX)
        };
        cache
            .failed_backoff
            .insert(node.to_string(), (next_delay, now + next_delay));
        let ns = w.daemonsets[di].namespace.clone();
        let msg = text!("Found failed daemon pod {ns}/{pod} on node {node}, will try to kill it");
        let ev = event(w, di, "Warning", "FailedDaemonPod", msg.clone());
        w.record(
            dsc,
            Actor::DaemonsetController,
            "failed-daemon-pod",
            format!("pod/{pod}"),
            Some(node),
            msg,
            Some(ev),
        );
    }
}

/// Legacy mode: a FailedPlacement event per node and reason (not repeated while the reason stays).
fn record_failed_placements(
    w: &mut World,
    dsc: &mut DaemonSetsController,
    di: usize,
    placement: Vec<(Text, String)>,
) {
    for (node, msg) in placement {
        dsc[di].placement_failed.insert(node.to_string(), msg.clone());
        let text = Text::from(msg.trim_start_matches("FailedPlacement: "));
        let ev = event(w, di, "Warning", "FailedPlacement", text);
        w.record(
            dsc,
            Actor::DaemonsetController,
            "failed-placement",
            format!("node/{node}"),
            Some(node),
            msg,
            Some(ev),
        );
    }
}

/// `syncNodes`: the deletes, then the creates, at most BurstReplicas of each per sync; the rest
/// wait for the next sync, so their nodes stay marked for `manage`. Returns whether it acted.
pub fn sync_nodes(
    w: &mut World,
    dsc: &mut DaemonSetsController,
    di: usize,
    deletes: Vec<(PodId, &'static str)>,
    creates: Vec<Text>,
) -> bool {
    let acted = !creates.is_empty() || !deletes.is_empty();
    for (i, (id, why)) in deletes.into_iter().enumerate() {
        if i < timing::BURST_REPLICAS {
            delete_pod(w, dsc, di, id, why);
        } else if let Some(t) = w.pods.get(&id).and_then(|p| p.target.clone()) {
            let i = w.nodes.id(&t);
            w.queues.manage_dirty.add(i, &t);
        }
    }
    for (i, node) in creates.into_iter().enumerate() {
        if i < timing::BURST_REPLICAS {
            create_pod(w, dsc, di, &node);
        } else {
            let i = w.nodes.id(&node);
            w.queues.manage_dirty.add(i, &node);
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
pub fn record_available(w: &mut World, dsc: &mut DaemonSetsController) {
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
                let message = crate::text::concat(&["Pod ", name, " is available: ", &why]);
                w.record(
                    dsc,
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
                    dsc,
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

/// The clock moved: a Failed pod's back-off may have run out, so `manage` looks at every node
/// again (Kubernetes requeues the DaemonSet for the end of the back-off).
pub fn clock_moved(w: &mut World, dsc: &DaemonSetsController) {
    if (0..w.daemonsets.len()).any(|di| !dsc[di].failed_backoff.is_empty()) {
        w.queues.manage_all_dirty = true;
    }
}

/// The next moment the controller re-syncs by itself: a Ready pod passes minReadySeconds (it
/// becomes available), or a Failed pod's back-off ends.
pub fn next_wakeup(w: &World, dsc: &DaemonSetsController) -> Option<u64> {
    let now = w.now;
    let mut next: Option<u64> = None;
    let mut consider = |t: u64| {
        if t > now {
            next = Some(next.map_or(t, |n| n.min(t)));
        }
    };
    for (di, d) in w.daemonsets.iter().enumerate().filter(|(_, d)| !d.deleted) {
        let min_ready = d.min_ready_seconds();
        let backoff = &dsc[di].failed_backoff;
        if min_ready == 0 && backoff.is_empty() {
            continue; // neither kind of wake-up can come from this DaemonSet's pods
        }
        for p in w.pods.values().filter(|p| p.owner.as_deref() == Some(&d.name)) {
            if min_ready > 0 && p.ready {
                if let Some(s) = p.ready_since {
                    consider(s + min_ready);
                }
            }
            if p.terminal() && p.deleting.is_none() {
                if let Some((_, at)) = p.target.as_ref().and_then(|t| backoff.get(t.as_str())) {
                    consider(*at);
                }
            }
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{Reason, ReasonCode};
    use k8s_openapi::api::core::v1::Pod;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    /// A daemon pod of revision `hash`, created at `created`, bound and in `phase`.
    fn pod(id: PodId, hash: &str, created: u64, phase: Phase, ready: bool) -> SimPod {
        let manifest = Pod {
            metadata: ObjectMeta {
                name: Some(format!("agent-{id}")),
                labels: Some([("controller-revision-hash".to_string(), hash.to_string())].into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut p = SimPod::from_manifest(id, manifest, created);
        p.bound = Some(Text::from("node-1"));
        p.phase = phase;
        p.ready = ready;
        p.ready_since = ready.then_some(created);
        p
    }

    fn answer(should_run: bool, should_continue_running: bool) -> ShouldRun {
        ShouldRun {
            should_run,
            should_continue_running,
            ..Default::default()
        }
    }

    fn cx(surge: bool) -> NodeContext<'static> {
        NodeContext {
            mode: Mode::Current,
            now: 100,
            surge,
            hash: "new",
            min_ready_seconds: 10,
            failed_backoff: None,
            placement_failed: None,
        }
    }

    /// `podsShouldBeOnNode`, case by case (`TestNodeShouldRunDaemonPod`'s neighbours in
    /// daemon_controller_test.go: create where missing, delete where not wanted, duplicates,
    /// failed pods with back-off, surge replacement).
    #[test]
    fn pods_should_be_on_node_cases() {
        let running_old = pod(1, "old", 0, Phase::Running, true);
        let running_old_2 = pod(2, "old", 5, Phase::Running, true);
        let new_available = pod(3, "new", 50, Phase::Running, true);
        let new_not_yet = pod(4, "new", 95, Phase::Running, true);
        let old_unready = pod(5, "old", 0, Phase::Running, false);
        let failed = pod(6, "old", 0, Phase::Failed, false);
        let succeeded = pod(7, "old", 0, Phase::Succeeded, false);
        let mut deleting = pod(8, "old", 0, Phase::Running, true);
        deleting.deleting = Some(90);
        let backing_off = NodeContext {
            failed_backoff: Some((2, 101)),
            ..cx(false)
        };
        let legacy = NodeContext {
            mode: Mode::Legacy,
            ..cx(false)
        };
        let legacy_said_so = NodeContext {
            placement_failed: Some("FailedPlacement: no room"),
            ..legacy
        };
        let cannot_place = ShouldRun {
            legacy_cannot_place: vec![Reason::new(
                ReasonCode::InsufficientResources,
                "FailedPlacement: no room".into(),
            )],
            ..answer(true, true)
        };
        let create = || NodeDecision {
            create: true,
            ..Default::default()
        };
        let delete = |d: &[(PodId, &'static str)]| NodeDecision {
            delete: d.to_vec(),
            ..Default::default()
        };
        let cases: Vec<(&str, ShouldRun, Vec<&SimPod>, NodeContext, NodeDecision)> = vec![
            (
                "wanted, no pod: create",
                answer(true, true),
                vec![],
                cx(false),
                create(),
            ),
            (
                "wanted, one pod: nothing",
                answer(true, true),
                vec![&running_old],
                cx(false),
                NodeDecision::default(),
            ),
            (
                "not wanted, no pod: nothing",
                answer(false, false),
                vec![],
                cx(false),
                NodeDecision::default(),
            ),
            (
                "not wanted: delete every pod not already going",
                answer(false, false),
                vec![&running_old, &deleting],
                cx(false),
                delete(&[(1, "not-eligible")]),
            ),
            (
                "may stay but no new one (NoSchedule taint): keep, create none",
                answer(false, true),
                vec![],
                cx(false),
                NodeDecision::default(),
            ),
            (
                "two pods without surge: the younger is a duplicate",
                answer(true, true),
                vec![&running_old_2, &running_old],
                cx(false),
                delete(&[(2, "duplicate")]),
            ),
            (
                "failed pod: deleted, with an event",
                answer(true, true),
                vec![&failed],
                cx(false),
                NodeDecision {
                    failed: vec![Text::from("agent-6")],
                    ..delete(&[(6, "failed")])
                },
            ),
            (
                "failed pod in back-off: left for later",
                answer(true, true),
                vec![&failed],
                backing_off,
                NodeDecision::default(),
            ),
            (
                "succeeded pod: deleted (daemon pods must keep running)",
                answer(true, true),
                vec![&succeeded],
                cx(false),
                delete(&[(7, "succeeded")]),
            ),
            (
                "surge, only pod going: create the next one",
                answer(true, true),
                vec![&deleting],
                cx(true),
                create(),
            ),
            (
                "surge, new pod available: the old one goes",
                answer(true, true),
                vec![&running_old, &new_available],
                cx(true),
                delete(&[(1, "replaced")]),
            ),
            (
                "surge, new pod not available yet: both stay",
                answer(true, true),
                vec![&running_old, &new_not_yet],
                cx(true),
                NodeDecision::default(),
            ),
            (
                "surge, old pod not Ready: it goes at once",
                answer(true, true),
                vec![&old_unready, &new_not_yet],
                cx(true),
                delete(&[(5, "old-unready")]),
            ),
            (
                "surge, two old pods: the younger is a duplicate",
                answer(true, true),
                vec![&running_old, &running_old_2],
                cx(true),
                delete(&[(2, "duplicate")]),
            ),
            (
                "legacy, cannot place: FailedPlacement, no pod",
                cannot_place.clone(),
                vec![],
                legacy,
                NodeDecision {
                    failed_placement: Some("FailedPlacement: no room".into()),
                    ..Default::default()
                },
            ),
            (
                "legacy, cannot place, already said: nothing",
                cannot_place,
                vec![],
                legacy_said_so,
                NodeDecision::default(),
            ),
        ];
        for (name, sr, pods, cx, want) in cases {
            assert_eq!(pods_should_be_on_node(&sr, &pods, &cx), want, "{name}");
        }
    }
}
