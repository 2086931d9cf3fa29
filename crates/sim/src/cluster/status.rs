//! DaemonSet status, computed as `updateDaemonSetStatus` computes it (semantics §6.6), and kept
//! up to date step by step: each node contributes a share, recomputed only when something on
//! that node changed (or the clock moved, for minReadySeconds).

use super::rolling_update::{roll_node, RollNode};
use super::{SimDaemonSet, SimPod, World};
use serde::{Deserialize, Serialize};
use std::ops::{AddAssign, SubAssign};

/// The status fields of apps/v1 DaemonSetStatus that `kubectl get ds` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DsStatus {
    pub desired_number_scheduled: i64,
    pub current_number_scheduled: i64,
    pub number_ready: i64,
    pub updated_number_scheduled: i64,
    pub number_available: i64,
    pub number_unavailable: i64,
    pub number_misscheduled: i64,
    pub observed_generation: i64,
}

/// One node's share of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contrib {
    desired: i64,
    current: i64,
    misscheduled: i64,
    ready: i64,
    available: i64,
    updated: i64,
}

impl AddAssign for Contrib {
    fn add_assign(&mut self, o: Self) {
        self.desired += o.desired;
        self.current += o.current;
        self.misscheduled += o.misscheduled;
        self.ready += o.ready;
        self.available += o.available;
        self.updated += o.updated;
    }
}
impl SubAssign for Contrib {
    fn sub_assign(&mut self, o: Self) {
        self.desired -= o.desired;
        self.current -= o.current;
        self.misscheduled -= o.misscheduled;
        self.ready -= o.ready;
        self.available -= o.available;
        self.updated -= o.updated;
    }
}

/// `podByCreationTimestampAndPhase`: bound pods first, then older, then by name.
pub fn oldest_first(pods: &mut [&SimPod]) {
    pods.sort_by(|a, b| {
        b.bound
            .is_some()
            .cmp(&a.bound.is_some())
            .then(a.created.cmp(&b.created))
            .then(a.name.cmp(&b.name))
    });
}

/// The DaemonSet's pods on a node as `getNodesToDaemonPods` groups them: owned, in its namespace,
/// leaving out pods that are both finished and already being deleted.
pub fn daemon_pods_on<'w>(w: &'w World, ds: &SimDaemonSet, node: &str) -> Vec<&'w SimPod> {
    w.pod_ids_on(node)
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| p.owner.as_deref() == Some(ds.name.as_str()) && p.namespace == ds.namespace)
        .filter(|p| !(p.terminal() && p.deleting.is_some()))
        .collect()
}

/// A node's share of the status, and the rolling update's view of it (from the same pods).
fn node_share(w: &World, ds: &SimDaemonSet, node: &str) -> (Contrib, Option<RollNode>) {
    let mut c = Contrib::default();
    if w.node(node).is_none() {
        return (c, None);
    }
    let should_run = ds.should.get(node).is_some_and(|s| s.should_run);
    let mut pods = daemon_pods_on(w, ds, node);
    let roll = roll_node(w, ds, pods.iter().copied(), node);
    if !should_run {
        c.misscheduled = i64::from(!pods.is_empty());
        return (c, Some(roll));
    }
    c.desired = 1;
    if pods.is_empty() {
        return (c, Some(roll));
    }
    c.current = 1;
    oldest_first(&mut pods);
    let oldest = pods[0];
    if oldest.ready {
        c.ready = 1;
        if oldest.available(w.now, ds.min_ready_seconds()) {
            c.available = 1;
        }
    }
    if oldest.hash() == Some(ds.current_hash.as_str()) {
        c.updated = 1;
    }
    (c, Some(roll))
}

/// Brings every DaemonSet's status up to date with what changed since the last call.
pub fn refresh(w: &mut World) {
    refresh_shares(w);
    for ds in w.daemonsets.iter_mut().filter(|d| !d.deleted) {
        let t = ds.totals;
        ds.status = DsStatus {
            desired_number_scheduled: t.desired,
            current_number_scheduled: t.current,
            number_ready: t.ready,
            updated_number_scheduled: t.updated,
            number_available: t.available,
            number_unavailable: t.desired - t.available,
            number_misscheduled: t.misscheduled,
            observed_generation: ds.status.observed_generation,
        };
    }
}

/// Recomputes the shares (and rolling update views) of the nodes that changed since the last
/// call, without touching the published status: the rolling update reads the views between
/// steps, while a step shows the status as computed when it is recorded.
pub fn refresh_shares(w: &mut World) {
    let all = std::mem::take(&mut w.status_all_dirty);
    // Node indices shift when a node is removed: the per-index views are then rebuilt.
    let reindexed = std::mem::take(&mut w.nodes_reindexed);
    let dirty: Vec<String> = if all {
        w.status_dirty.clear();
        w.nodes.iter().map(|n| n.name.clone()).collect()
    } else {
        std::mem::take(&mut w.status_dirty).into_iter().collect()
    };
    for i in 0..w.daemonsets.len() {
        if w.daemonsets[i].deleted {
            continue;
        }
        let ds = &w.daemonsets[i];
        let rebuild = all || reindexed || ds.roll.len() != w.nodes.len();
        let updates: Vec<(String, Contrib, Option<RollNode>)> = dirty
            .iter()
            .map(|n| {
                let (c, r) = node_share(w, ds, n);
                (n.clone(), c, r)
            })
            .collect();
        let rolls: Vec<RollNode> = if rebuild && !all {
            w.nodes
                .iter()
                .map(|n| roll_node(w, ds, daemon_pods_on(w, ds, &n.name).into_iter(), &n.name))
                .collect()
        } else {
            Vec::new()
        };
        let indices: Vec<Option<usize>> = updates.iter().map(|(n, ..)| w.node_index.get(n).copied()).collect();
        let node_count = w.nodes.len();
        let ds = &mut w.daemonsets[i];
        if all {
            ds.contrib.clear();
            ds.totals = Contrib::default();
        }
        if rebuild {
            ds.roll = rolls;
            ds.roll.resize(node_count, RollNode::default());
        }
        for ((node, c, r), at) in updates.into_iter().zip(indices) {
            if let (Some(r), Some(at)) = (r, at) {
                ds.roll[at] = r;
            }
            if let Some(old) = ds.contrib.insert(node, c) {
                ds.totals -= old;
            }
            ds.totals += c;
        }
    }
}
