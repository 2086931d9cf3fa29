//! One node's part in a DaemonSet's status and in its rolling update, both read from the same
//! daemon pods of that node: the share of the status counters it contributes
//! (`updateDaemonSetStatus` counts node by node) and what `findUpdatedPodsOnNode` finds there.
//! The controller keeps both per node and recomputes them only where something changed.

use super::daemon_pods::{daemon_pods_at, older};
use crate::cluster::{DsStatus, NodeId, PodId, SimDaemonSet, SimPod, World};
use std::ops::{AddAssign, SubAssign};

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

impl Contrib {
    /// The counters, summed over the nodes, as DaemonSetStatus publishes them.
    pub fn status(self, observed_generation: i64) -> DsStatus {
        DsStatus {
            desired_number_scheduled: self.desired,
            current_number_scheduled: self.current,
            number_ready: self.ready,
            updated_number_scheduled: self.updated,
            number_available: self.available,
            number_unavailable: self.desired - self.available,
            number_misscheduled: self.misscheduled,
            observed_generation,
        }
    }
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
/// from the same pods; `should_run`: the controller's last answer for the node.
pub(super) fn node_share(w: &World, ds: &SimDaemonSet, at: NodeId, should_run: bool) -> (Contrib, RollNode) {
    let mut c = Contrib::default();
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

/// What `findUpdatedPodsOnNode` finds on a node, with whether the pods found are available:
/// all a rolling update pass needs of the node. Kept per node next to its status share (both
/// depend on the same things: the node's daemon pods, the answer, the hash and the clock), so a
/// pass reads one small value per node instead of re-walking every node's pods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RollNode {
    pub should_run: bool,
    pub found: Found,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Found {
    /// No daemon pod at all (not even a terminating one).
    #[default]
    Nothing,
    /// Two new or two old non-terminating pods: `findUpdatedPodsOnNode` says not ok.
    Duplicates,
    /// The new pod (whether available) and the old pod (its id, whether available), if any.
    Pair {
        new: Option<bool>,
        old: Option<(PodId, bool)>,
    },
}

/// The rolling update's view of a node for `d` (see [`RollNode`]), from its daemon pods.
pub fn roll_node<'a>(
    w: &World,
    d: &SimDaemonSet,
    pods: impl Iterator<Item = &'a SimPod>,
    should_run: bool,
) -> RollNode {
    let (now, min_ready) = (w.now, d.min_ready_seconds());
    let (mut any, mut ok) = (false, true);
    let (mut new, mut old): (Option<&SimPod>, Option<&SimPod>) = (None, None);
    for p in pods {
        any = true;
        if p.deleting.is_some() || !ok {
            continue;
        }
        let slot = if p.hash() == Some(d.current_hash.as_str()) {
            &mut new
        } else {
            &mut old
        };
        if slot.is_some() {
            ok = false;
        }
        *slot = Some(p);
    }
    let found = match (any, ok) {
        (false, _) => Found::Nothing,
        (true, false) => Found::Duplicates,
        (true, true) => Found::Pair {
            new: new.map(|n| n.available(now, min_ready)),
            old: old.map(|o| (o.id, o.available(now, min_ready))),
        },
    };
    RollNode { should_run, found }
}
