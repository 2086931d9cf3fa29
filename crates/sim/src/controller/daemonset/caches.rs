//! The DaemonSet controller's own memory, kept apart from the store of API objects, as
//! Kubernetes' `DaemonSetsController` keeps its caches, its `failedPodsBackoff` and its event
//! bookkeeping beside the informers' view of the API server. The store knows nothing of it: the
//! simulation owns one `DaemonSetsController` next to the `World` and hands both to every actor.

use super::daemon_pod::DaemonPodTemplate;
use super::node_share::{Contrib, RollNode};
use super::should_run::ShouldRun;
use crate::cluster::{NodeId, PerNode, SharedTexts, SimDaemonSet, World};
use std::collections::BTreeMap;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

/// The controller's caches for every DaemonSet of the store, at the same index (`dsc[di]` goes
/// with `w.daemonsets[di]`; a scenario's DaemonSets are all there before the run starts).
#[derive(Debug, Clone, Default)]
pub struct DaemonSetsController {
    per_ds: Vec<DsCache>,
    /// A node was removed, so node ids moved: the per-node shares are rebuilt at the next
    /// refresh (the answers move with the ids at once, see `remove_node_answers`).
    pub(super) nodes_reindexed: bool,
}

/// What the controller remembers of one DaemonSet between steps.
#[derive(Debug, Clone)]
pub struct DsCache {
    /// The last answer per node (recomputed when the node or the DaemonSet changes), by node: a
    /// name's answer sits at the id the name resolves to (with a repeated name, the last node of
    /// that name), as a map keyed by name would hold it; the other slots are None. Changed only
    /// through `set_should`, which keeps `should_run_count` in step.
    should: PerNode<Option<ShouldRun>>,
    /// How many answers in `should` say shouldRun (the rolling update's desired count, without
    /// counting them on every pass).
    should_run_count: i64,
    /// The rolling update's view of each node (kept up to date with the status shares).
    pub(super) roll: PerNode<RollNode>,
    /// Each node's share of the status, and their sum (kept up to date step by step).
    pub(super) contrib: PerNode<Contrib>,
    pub(super) totals: Contrib,
    /// Per node: (current delay, earliest time of the next Failed-pod delete).
    pub(super) failed_backoff: BTreeMap<String, (u64, u64)>,
    /// Legacy mode: nodes where a FailedPlacement event was already recorded for this reason.
    pub(super) placement_failed: BTreeMap<String, String>,
    /// The texts of the last pod it created, shared with the next one.
    pub(super) created_texts: SharedTexts,
    /// The pod template its last pod was created from, shared by the pods of that revision.
    pub(super) pod_template: Option<Arc<DaemonPodTemplate>>,
}

impl DaemonSetsController {
    /// Empty caches for each DaemonSet of the store.
    pub fn new(w: &World) -> Self {
        DaemonSetsController {
            per_ds: w.daemonsets.iter().map(DsCache::new).collect(),
            nodes_reindexed: false,
        }
    }
    /// Node `at` was removed: its answers go (as from a map keyed by name) and the answers after
    /// it move down with the ids.
    pub(super) fn remove_node_answers(&mut self, at: NodeId) {
        for c in &mut self.per_ds {
            c.set_should(at, None);
            c.should.remove(at);
        }
        self.nodes_reindexed = true;
    }
    /// Node `at` was added with the name of node `replaces`: that name now resolves to `at`, and
    /// its answers move with it.
    pub(super) fn move_answers(&mut self, replaces: NodeId, at: NodeId) {
        for c in &mut self.per_ds {
            let answer = c.should.get_mut(replaces).and_then(Option::take);
            c.should_run_count -= i64::from(answer.as_ref().is_some_and(|a| a.should_run));
            c.set_should(at, answer);
        }
    }
    /// The first DaemonSet's caches, whose answers a node's view shows.
    pub(super) fn first(&self) -> Option<&DsCache> {
        self.per_ds.first()
    }
}

impl Index<usize> for DaemonSetsController {
    type Output = DsCache;
    fn index(&self, di: usize) -> &DsCache {
        &self.per_ds[di]
    }
}

impl IndexMut<usize> for DaemonSetsController {
    fn index_mut(&mut self, di: usize) -> &mut DsCache {
        &mut self.per_ds[di]
    }
}

impl DsCache {
    fn new(d: &SimDaemonSet) -> Self {
        DsCache {
            should: PerNode::default(),
            should_run_count: 0,
            roll: PerNode::default(),
            contrib: PerNode::default(),
            totals: Contrib::default(),
            failed_backoff: BTreeMap::new(),
            placement_failed: BTreeMap::new(),
            created_texts: d.pod_texts(),
            pod_template: None,
        }
    }
    /// Stores (None: drops) the answer of node `at` (the id its name resolves to). Returns
    /// whether it changed.
    pub fn set_should(&mut self, at: NodeId, answer: Option<ShouldRun>) -> bool {
        if self.should.get(at).is_none() {
            if answer.is_none() {
                return false;
            }
            self.should.grow_to(at, None);
        }
        let old = std::mem::replace(&mut self.should[at], answer);
        let count = |a: &Option<ShouldRun>| i64::from(a.as_ref().is_some_and(|a| a.should_run));
        self.should_run_count += count(&self.should[at]) - count(&old);
        old != self.should[at]
    }
    /// The answer stored for node `at` (see `should`).
    pub fn should_at(&self, at: NodeId) -> Option<&ShouldRun> {
        self.should.get(at)?.as_ref()
    }
    /// The answer for the node named `name` (None when no such node).
    pub fn should_on(&self, w: &World, name: &str) -> Option<&ShouldRun> {
        self.should_at(w.nodes().id(name)?)
    }
    /// The number of nodes whose last answer is shouldRun.
    pub fn should_run_count(&self) -> i64 {
        self.should_run_count
    }
}
