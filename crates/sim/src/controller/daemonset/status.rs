//! DaemonSet status, computed as `updateDaemonSetStatus` computes it (semantics §6.6), and kept
//! up to date step by step: each node contributes a share, recomputed only when something on
//! that node changed (or the clock moved, for minReadySeconds).

use super::caches::DaemonSetsController;
use super::daemon_pods::daemon_pods;
use super::node_share::{node_share, roll_node, Contrib, RollNode};
use crate::cluster::{NodeId, PerNode, World};

/// Brings every DaemonSet's status up to date with what changed since the last call: the
/// controller's shares, then the status it writes back to the store.
pub fn refresh(w: &mut World, dsc: &mut DaemonSetsController) {
    refresh_shares(w, dsc);
    for (di, ds) in w.daemonsets.iter_mut().enumerate().filter(|(_, d)| !d.deleted) {
        ds.status = dsc[di].totals.status(ds.status.observed_generation);
    }
}

/// Recomputes the shares (and rolling update views) of the nodes that changed since the last
/// call, without touching the published status: the rolling update reads the views between
/// steps, while a step shows the status as computed when it is recorded.
pub fn refresh_shares(w: &mut World, dsc: &mut DaemonSetsController) {
    let all = std::mem::take(&mut w.queues.status_all_dirty);
    // Node indices shift when a node is removed: the per-index shares are then rebuilt.
    let reindexed = std::mem::take(&mut dsc.nodes_reindexed);
    let sized =
        (0..w.daemonsets.len()).all(|di| w.daemonsets[di].deleted || dsc[di].roll.len() == w.nodes.len());
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
        if all || reindexed || dsc[di].roll.len() != w.nodes.len() {
            rebuild_shares(w, dsc, di, all);
        } else {
            for &k in &dirty {
                update_share(w, dsc, di, k);
            }
        }
    }
    w.queues.status_scratch = dirty;
}

/// Recomputes node `k`'s share in place and corrects the totals.
fn update_share(w: &World, dsc: &mut DaemonSetsController, di: usize, k: NodeId) {
    // Through the name, as shares keyed by name were: with a repeated node name, the last node
    // of that name holds the share. (With every name distinct, that is node `k` itself.)
    let at = w.nodes.canonical(k);
    let cache = &mut dsc[di];
    let should_run = cache.should_at(at).is_some_and(|s| s.should_run);
    let (c, roll) = node_share(w, &w.daemonsets[di], at, should_run);
    cache.totals -= cache.contrib[at];
    cache.contrib[at] = c;
    cache.totals += c;
    cache.roll[at] = roll;
}

/// Every node's share anew (after a time advance with minReadySeconds, a template change, or
/// when nodes came or went and the indices moved).
fn rebuild_shares(w: &World, dsc: &mut DaemonSetsController, di: usize, all: bool) {
    let n = w.nodes.len();
    let ds = &w.daemonsets[di];
    let cache = &mut dsc[di];
    // As before shares were kept by node id: a full refresh starts the views empty, a refresh after
    // nodes moved starts from each node's own pods.
    let rolls: PerNode<RollNode> = if all {
        PerNode::filled(n, RollNode::default())
    } else {
        w.nodes
            .iter()
            .map(|node| {
                let should_run = cache.should_on(w, node.name()).is_some_and(|s| s.should_run);
                roll_node(w, ds, daemon_pods(w, ds, node.name()), should_run)
            })
            .collect()
    };
    cache.roll = rolls;
    cache.contrib = PerNode::filled(n, Contrib::default());
    cache.totals = Contrib::default();
    for k in (0..n).map(NodeId::new) {
        update_share(w, dsc, di, k);
    }
}
