//! The actors' work queues: for each actor, the nodes or pods it must look at again, filled as the
//! store changes and drained as the actor acts, so a round looks at what changed and not at every
//! object (as each Kubernetes controller keeps a workqueue fed by its informers' events).

use super::workqueue::{NodeQueue, PodQueue};
use super::{NodeId, PodId};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub(crate) struct WorkQueues {
    /// Nodes whose status share must be recomputed at the next step; `all` after a time advance.
    pub(crate) status_dirty: NodeQueue,
    pub(crate) status_all_dirty: bool,
    /// Reused buffer for the nodes whose shares are recomputed (saves an allocation per step).
    pub(crate) status_scratch: Vec<NodeId>,
    /// Nodes whose controller answers must be recomputed; `all` after a template change.
    pub(crate) should_dirty: NodeQueue,
    pub(crate) should_all_dirty: bool,
    /// Nodes the node lifecycle controller must look at again (changed, or pods changed there).
    pub(crate) lifecycle_dirty: NodeQueue,
    pub(crate) lifecycle_all_dirty: bool,
    /// Nodes the DaemonSet controller's `manage` must look at again; all after a template change.
    pub(crate) manage_dirty: NodeQueue,
    pub(crate) manage_all_dirty: bool,
    /// Pods that may wait for the scheduler: those created unbound (a pod never becomes
    /// unbound again), pruned by the scheduler as they bind or go.
    pub(crate) unscheduled: PodQueue,
    /// Pods whose kubelet may have work: queued on every change, pruned by the kubelet while
    /// idle. Saves every round a walk over thousands of settled pods.
    pub(crate) kubelet_queue: PodQueue,
    /// Pods with an eviction scheduled (`evict_at`), so a round need not look at every pod.
    pub(crate) evictions: BTreeSet<PodId>,
    /// Every pod without an owner (and maybe some adopted since): the controller's adoption
    /// looks at these, not at every pod, each sync.
    pub(crate) orphans: BTreeSet<PodId>,
    /// The NotReady nodes, recomputed after any node changed (None: to recompute).
    pub(crate) not_ready: Option<Vec<NodeId>>,
}

impl WorkQueues {
    /// Every "all" flag set: the first round looks at everything.
    pub(crate) fn new() -> Self {
        WorkQueues {
            status_dirty: NodeQueue::default(),
            status_all_dirty: true,
            status_scratch: Vec::new(),
            should_dirty: NodeQueue::default(),
            should_all_dirty: true,
            lifecycle_dirty: NodeQueue::default(),
            lifecycle_all_dirty: true,
            manage_dirty: NodeQueue::default(),
            manage_all_dirty: true,
            unscheduled: PodQueue::default(),
            kubelet_queue: PodQueue::default(),
            evictions: BTreeSet::new(),
            orphans: BTreeSet::new(),
            not_ready: None,
        }
    }
}
