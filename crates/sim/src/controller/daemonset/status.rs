//! DaemonSet status, computed as `updateDaemonSetStatus` computes it (semantics §6.6), and kept
//! up to date step by step: each node contributes a share, recomputed only when something on
//! that node changed (or the clock moved, for minReadySeconds).

use super::daemon_pods::{daemon_pods, daemon_pods_at, older};
use super::rolling_update::{roll_node, RollNode};
use crate::cluster::{NodeId, PerNode, SimDaemonSet, World};
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

/// The share of the status of node `at` (which exists), and the rolling update's view of it,
/// from the same pods.
fn node_share(w: &World, ds: &SimDaemonSet, at: NodeId) -> (Contrib, RollNode) {
    let mut c = Contrib::default();
    let should_run = ds.should_at(at).is_some_and(|s| s.should_run);
    let pods = daemon_pods_at(w, ds, at);
    let roll = roll_node(w, ds, pods.clone(), should_run);
    // The oldest pod (the first of equals, as a stable sort puts it).
    let Some(oldest) = pods.reduce(|a, b| if older(b, a).is_lt() { b } else { a }) else {
        c.desired = i64::from(should_run);
        return (c, roll);
    };
    if !should_run {
        c.misscheduled = 1;
        return (c, roll);
    }
    c.desired = 1;
    c.current = 1;
    if oldest.ready {
        c.ready = 1;
        if oldest.available(w.now, ds.min_ready_seconds()) {
            c.available = 1;
        }
    }
    if oldest.hash() == Some(ds.current_hash.as_str()) {
        c.updated = 1;
    }
    (c, roll)
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
    let all = std::mem::take(&mut w.queues.status_all_dirty);
    // Node indices shift when a node is removed: the per-index shares are then rebuilt.
    let reindexed = std::mem::take(&mut w.nodes_reindexed);
    let sized = w
        .daemonsets
        .iter()
        .all(|d| d.deleted || d.roll.len() == w.nodes.len());
    if !all && !reindexed && sized && w.queues.status_dirty.is_empty() {
        return; // nothing changed since the last call (most steps after the first of a burst)
    }
    // Names queued without a Node have no share (a share needs the node): only indices matter.
    let mut dirty = std::mem::take(&mut w.queues.status_scratch);
    w.queues.status_dirty.drain_ids(&mut dirty);
    for di in 0..w.daemonsets.len() {
        if w.daemonsets[di].deleted {
            continue;
        }
        if all || reindexed || w.daemonsets[di].roll.len() != w.nodes.len() {
            rebuild_shares(w, di, all);
        } else {
            for &k in &dirty {
                update_share(w, di, k);
            }
        }
    }
    w.queues.status_scratch = dirty;
}

/// Recomputes node `k`'s share in place and corrects the totals.
fn update_share(w: &mut World, di: usize, k: NodeId) {
    // Through the name, as shares keyed by name were: with a repeated node name, the last node
    // of that name holds the share. (With every name distinct, that is node `k` itself.)
    let at = w.nodes.canonical(k);
    let (c, roll) = node_share(w, &w.daemonsets[di], at);
    let ds = &mut w.daemonsets[di];
    ds.totals -= ds.contrib[at];
    ds.contrib[at] = c;
    ds.totals += c;
    ds.roll[at] = roll;
}

/// Every node's share anew (after a time advance with minReadySeconds, a template change, or
/// when nodes came or went and the indices moved).
fn rebuild_shares(w: &mut World, di: usize, all: bool) {
    let n = w.nodes.len();
    let ds = &w.daemonsets[di];
    // As before shares were kept by node id: a full refresh starts the views empty, a refresh after
    // nodes moved starts from each node's own pods.
    let rolls: PerNode<RollNode> = if all {
        PerNode::filled(n, RollNode::default())
    } else {
        w.nodes
            .iter()
            .map(|node| {
                let should_run = w.should(ds, node.name()).is_some_and(|s| s.should_run);
                roll_node(w, ds, daemon_pods(w, ds, node.name()), should_run)
            })
            .collect()
    };
    let ds = &mut w.daemonsets[di];
    ds.roll = rolls;
    ds.contrib = PerNode::filled(n, Contrib::default());
    ds.totals = Contrib::default();
    for k in (0..n).map(NodeId::new) {
        update_share(w, di, k);
    }
}
