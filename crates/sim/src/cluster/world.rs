//! The store of API objects ([`World`]): nodes, pods, DaemonSets and revisions with their
//! indices, the actors' work queues fed by its changes, and the steps recorded so far. The
//! controllers' own caches are not here: the store reaches them through [`Controllers`].

use super::node_store::{NodeId, NodeStore, PerNode};
use super::pod_store::PodStore;
use super::recorder::Recorder;
use super::sim_pod::{PodId, SimPod};
use super::view::{self, Change, Changes, ClusterView, KubeEvent};
use super::work_queues::WorkQueues;
use super::workqueue::NodeQueue;
use super::{Actor, Revision, SimDaemonSet, SimNode, Step};
use crate::controller::daemonset::should_run::ShouldRun;
use crate::text::Text;
use crate::words::Mode;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The controllers with caches of their own, as far as the store must reach them. The store
/// knows no controller; the simulation hands every actor this along with the store, as each
/// Kubernetes controller's informers tell it of every change:
/// - nodes coming and going: caches kept by node id follow the ids at once;
/// - before each step is recorded: the controllers catch up with the store (their answers per
///   node, the status they write back), so that the step shows them as of that moment;
/// - a node's view shows the first DaemonSet's answer for it.
pub trait Controllers {
    /// Node `at` was added; `replaces`: the node whose name it repeats (that name now resolves
    /// to `at`).
    fn node_added(&mut self, at: NodeId, replaces: Option<NodeId>);
    /// Node `at` was removed: the ids after it move down.
    fn node_removed(&mut self, at: NodeId);
    /// Brings the caches a step shows up to date with the store.
    fn catch_up(&mut self, w: &mut World);
    /// The first DaemonSet's last answer for node `at` (the id a name resolves to).
    fn node_answer(&self, at: NodeId) -> Option<&ShouldRun>;
}

/// The world the actors act on: the store of API objects (nodes, pods, DaemonSets, revisions)
/// with its indices by node, and, kept apart, the actors' work queues (`queues`) and the step
/// recorder's bookkeeping (`recorder`). It knows no controller: the controllers keep their own
/// caches, and the store reaches them only through [`Controllers`].
#[derive(Debug, Clone)]
pub struct World {
    pub now: u64,
    pub mode: Mode,
    /// Written only through `add_node`, `node_mut` and `remove_node`, which keep the work queues
    /// and the per-node lists in step with it (read it through `nodes()` outside the crate).
    pub(crate) nodes: NodeStore,
    pub daemonsets: Vec<SimDaemonSet>,
    pub pods: PodStore,
    pub revisions: Vec<Revision>,
    /// When each removed node disappeared (for PodGC).
    pub gone_nodes: BTreeMap<String, u64>,
    pub steps: Vec<Step>,
    next_id: PodId,
    name_seed: u64,
    pub(crate) names: HashSet<Text>,
    /// Ids of the pods whose target is a node's name, in creation order, at the id that name
    /// resolves to.
    pods_at: PerNode<Vec<PodId>>,
    /// The same for targets without a Node (removed nodes, names that never existed).
    by_target: HashMap<Text, Vec<PodId>>,
    /// The actors' work queues: what each must look at again.
    pub(crate) queues: WorkQueues,
    /// What changed since the last step, for the step that records it.
    recorder: Recorder,
}

const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl World {
    pub fn new(mode: Mode) -> Self {
        World {
            now: 0,
            mode,
            nodes: NodeStore::default(),
            daemonsets: Vec::new(),
            pods: PodStore::default(),
            revisions: Vec::new(),
            gone_nodes: BTreeMap::new(),
            steps: Vec::new(),
            next_id: 1,
            name_seed: 0x9e37_79b9_7f4a_7c15,
            names: HashSet::default(),
            pods_at: PerNode::default(),
            by_target: HashMap::default(),
            queues: WorkQueues::new(),
            recorder: Recorder::default(),
        }
    }

    /// A message that does not name the pod ("Pulling image …", "Stopping container …"): the
    /// kubelet says it for every pod of a rollout, so all those steps share one text instead
    /// of each allocating its own copy.
    pub fn phrase(&mut self, parts: &[&str]) -> Text {
        self.recorder.phrase_buf.clear();
        for p in parts {
            self.recorder.phrase_buf.push_str(p);
        }
        if let Some(t) = self.recorder.phrases.get(self.recorder.phrase_buf.as_str()) {
            return t.clone();
        }
        let t = Text::from(self.recorder.phrase_buf.as_str());
        self.recorder.phrases.insert(t.clone());
        t
    }

    /// The nodes, in id order.
    pub fn nodes(&self) -> &NodeStore {
        &self.nodes
    }
    pub fn node(&self, name: &str) -> Option<&SimNode> {
        self.nodes.get(name)
    }
    /// Room for `n` more nodes at once: a node is large, and growing the store node by node
    /// would copy them all again and again.
    pub fn reserve_nodes(&mut self, n: usize) {
        self.nodes.reserve(n);
    }
    pub fn node_mut(&mut self, name: &str) -> Option<&mut SimNode> {
        let i = self.nodes.id(name);
        self.queues.not_ready = None;
        self.recorder.dirty_nodes.add(i, name);
        self.queues.status_dirty.add(i, name);
        self.queues.should_dirty.add(i, name);
        self.queues.lifecycle_dirty.add(i, name);
        self.queues.manage_dirty.add(i, name);
        Some(self.nodes.get_mut(i?))
    }
    /// Records that `node` has pulled `image`. Nothing else changes: no controller decision,
    /// status share or taint depends on the images a node holds, and a node's view does not
    /// show them.
    pub fn add_image(&mut self, node: &str, image: Text) {
        let Some(i) = self.nodes.id(node) else {
            return;
        };
        self.nodes.get_mut(i).images.insert(image);
    }
    /// The node a pod is bound to, or else the node it is meant for.
    pub fn pod_node(&self, p: &SimPod) -> Option<&SimNode> {
        self.node(p.bound.as_deref().or(p.target.as_deref())?)
    }
    /// The node a pod is meant for (see `pod_node`).
    pub fn target_node(&self, p: &SimPod) -> Option<&SimNode> {
        self.node(p.target.as_deref()?)
    }
    pub fn pod(&self, id: PodId) -> Option<&SimPod> {
        self.pods.get(&id)
    }
    pub fn pod_mut(&mut self, id: PodId) -> Option<&mut SimPod> {
        self.recorder.dirty_pods.push(id);
        self.queues.kubelet_queue.insert(id);
        let p = self.pods.get_mut(&id)?;
        if let Some(t) = &p.target {
            let i = self.nodes.id(t);
            self.queues.status_dirty.add(i, t);
            self.queues.lifecycle_dirty.add(i, t);
            self.queues.manage_dirty.add(i, t);
        }
        Some(p)
    }
    /// The node's own name when it exists (shared), else a copy of `name`.
    pub fn node_text(&self, name: &str) -> Text {
        match self.nodes.get(name) {
            Some(n) => n.name().clone(),
            None => Text::from(name),
        }
    }
    /// The NotReady nodes (looked at every round by the node lifecycle controller; nodes change
    /// only through `node_mut`, `add_node` and `remove_node`).
    pub(crate) fn not_ready_nodes(&mut self) -> &[NodeId] {
        let nodes = &self.nodes;
        self.queues
            .not_ready
            .get_or_insert_with(|| nodes.ids().filter(|&i| !nodes[i].ready).collect())
    }
    /// After the clock moves, availability (minReadySeconds) may change anywhere. (Of the
    /// store, only availability depends on the clock itself; the DaemonSet controller's own
    /// timers, its Failed-pod back-off, it requeues itself: `daemon_controller::clock_moved`.)
    pub fn mark_time_advanced(&mut self) {
        if self.daemonsets.iter().any(|d| d.min_ready_seconds() > 0) {
            self.queues.status_all_dirty = true;
            self.queues.manage_all_dirty = true;
        }
    }
    /// The controller's answers changed for some nodes: recompute their status shares.
    pub fn mark_node_status_dirty(&mut self, node: &str) {
        let i = self.nodes.id(node);
        self.queues.status_dirty.add(i, node);
    }
    pub fn touch_daemonsets(&mut self) {
        self.recorder.dirty_ds = true;
    }
    /// A DaemonSet's template or selector changed: every node's answers may change.
    pub fn mark_template_changed(&mut self) {
        self.recorder.dirty_ds = true;
        self.queues.should_all_dirty = true;
        self.queues.status_all_dirty = true;
        self.queues.manage_all_dirty = true;
    }

    /// Pod names as the API server makes them from generateName: five characters of the same
    /// safe alphabet, here from a seeded generator so runs are reproducible.
    pub fn generate_name(&mut self, prefix: &str) -> Text {
        loop {
            let mut suffix = [0u8; 5];
            for c in &mut suffix {
                // xorshift64*
                self.name_seed ^= self.name_seed >> 12;
                self.name_seed ^= self.name_seed << 25;
                self.name_seed ^= self.name_seed >> 27;
                let r = self.name_seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
                *c = SAFE[(r >> 33) as usize % SAFE.len()];
            }
            let suffix = std::str::from_utf8(&suffix).expect("SAFE is ASCII");
            let name = crate::text::concat(&[prefix, suffix]);
            if !self.names.contains(&name) {
                return name;
            }
        }
    }

    pub fn add_pod(&mut self, mut pod: SimPod) -> PodId {
        let id = self.next_id;
        self.next_id += 1;
        pod.id = id;
        self.names.insert(pod.name.clone());
        self.share_node_name(&mut pod);
        if let Some(t) = &pod.target {
            let i = self.nodes.id(t);
            match i.and_then(|i| self.pods_at.get_mut(i)) {
                Some(ids) => ids.push(id),
                None => self.by_target.entry(t.clone()).or_default().push(id),
            }
            self.queues.status_dirty.add(i, t);
            self.queues.lifecycle_dirty.add(i, t);
            self.queues.manage_dirty.add(i, t);
            if self.mode == Mode::Legacy {
                // The legacy controller's answers depend on the other pods (resources, ports).
                self.queues.should_dirty.add(i, t);
            }
        }
        if pod.bound.is_none() {
            self.queues.unscheduled.insert(id);
        }
        if pod.owner.is_none() {
            self.queues.orphans.insert(id);
        }
        self.queues.kubelet_queue.insert(id);
        self.pods.insert(id, pod);
        self.recorder.dirty_pods.push(id);
        id
    }
    /// Points the pod's target and binding at the node's own name: every view and step of the
    /// pod then clones that one shared text.
    fn share_node_name(&self, pod: &mut SimPod) {
        for slot in [&mut pod.target, &mut pod.bound] {
            if let Some(n) = slot.as_deref().and_then(|t| self.nodes.get(t)) {
                *slot = Some(n.name().clone());
            }
        }
    }
    /// Node `name` (`at`, if it exists) looks different in the next step's view (the
    /// controller's answer for it changed).
    pub(crate) fn node_view_changed(&mut self, at: Option<NodeId>, name: &str) {
        self.recorder.dirty_nodes.add(at, name);
    }
    /// A DELETE of a pod, as the API server takes it: an unbound pod goes at once; a bound one
    /// gets its deletion timestamp and is terminated by its kubelet within the grace period (if
    /// the kubelet is there to do it). Every actor that deletes a pod goes through here.
    pub fn begin_deletion(&mut self, id: PodId) {
        let now = self.now;
        let Some(p) = self.pod_mut(id) else { return };
        if p.deleting.is_some() {
            return;
        }
        if p.bound.is_none() {
            self.remove_pod(id);
            return;
        }
        p.deleting = Some(now);
        p.ready = false;
    }

    pub fn remove_pod(&mut self, id: PodId) -> Option<SimPod> {
        let p = self.pods.remove(&id)?;
        self.queues.evictions.remove(&id);
        self.queues.orphans.remove(&id);
        self.queues.unscheduled.remove(&id);
        self.queues.kubelet_queue.remove(&id);
        self.names.remove(&p.name);
        if let Some(t) = &p.target {
            let i = self.nodes.id(t);
            let ids = match i {
                Some(i) => self.pods_at.get_mut(i),
                None => self.by_target.get_mut(t),
            };
            if let Some(ids) = ids {
                ids.retain(|x| *x != id);
            }
            self.queues.status_dirty.add(i, t);
            self.queues.manage_dirty.add(i, t);
            if self.mode == Mode::Legacy {
                self.queues.should_dirty.add(i, t);
            }
        }
        // (Still listed in dirty_pods: a step shows only pods that exist.)
        self.recorder.removed_pods.push(p.name.clone());
        Some(p)
    }
    /// Removes node `name`; the controllers hear of it at once (`ctl`), as their per-node caches
    /// follow the node ids.
    pub fn remove_node(&mut self, ctl: &mut dyn Controllers, name: &str) -> Option<SimNode> {
        let i = self.nodes.id(name)?;
        // The controller's answers are per existing node: a deleted Node no longer counts toward
        // the desired number, which is also the base of a percentage maxUnavailable/maxSurge.
        ctl.node_removed(i);
        self.queues.not_ready = None;
        self.recorder.removed_nodes.push(name.to_string());
        self.queues.status_dirty.add_id(i);
        // Ids after `i` move down: every queue follows. A removed node stays queued by name
        // (its status share must go); queues that only look at existing nodes skip it.
        for q in self.queues_mut() {
            q.remove_node(i, name);
        }
        // The node's pods keep their target: their list goes by name until a node of that name
        // exists again. Every list moves with the ids.
        let lists = std::mem::take(&mut self.pods_at);
        for (node, (_, ids)) in self.nodes.iter().zip(lists.iter()) {
            if !ids.is_empty() {
                self.by_target.entry(node.name().clone()).or_default().extend(ids);
            }
        }
        let n = self.nodes.remove(i);
        self.pods_at = PerNode::filled(self.nodes.len(), Vec::new());
        for (j, node) in self.nodes.iter().enumerate() {
            let j = NodeId::new(j);
            if self.nodes.id(node.name()) == Some(j) {
                if let Some(ids) = self.by_target.remove(node.name().as_str()) {
                    self.pods_at[j] = ids;
                }
            }
        }
        Some(n)
    }
    fn queues_mut(&mut self) -> [&mut NodeQueue; 5] {
        [
            &mut self.recorder.dirty_nodes,
            &mut self.queues.status_dirty,
            &mut self.queues.should_dirty,
            &mut self.queues.lifecycle_dirty,
            &mut self.queues.manage_dirty,
        ]
    }
    /// Adds a node; the controllers hear of it at once (`ctl`), see `remove_node`.
    pub fn add_node(&mut self, ctl: &mut dyn Controllers, mut node: SimNode) {
        node.joined = self.now;
        self.queues.not_ready = None;
        let name = node.name().clone();
        let (i, old) = self.nodes.push(node);
        for q in self.queues_mut() {
            q.node_added(&name);
            q.add_id(i);
        }
        // The pods meant for this name: those of the node it resolved to, or of no node yet.
        let ids = match old {
            Some(old) => self.pods_at.get_mut(old).map(std::mem::take),
            None => self.by_target.remove(name.as_str()),
        };
        self.pods_at.push(ids.unwrap_or_default());
        // A repeated name now resolves to the new node.
        ctl.node_added(i, old);
    }

    /// Ids of the pods whose target is `node`, in creation order.
    pub fn pod_ids_on(&self, node: &str) -> &[PodId] {
        let ids = match self.nodes.id(node) {
            Some(i) => self.pods_at.get(i),
            None => self.by_target.get(node),
        };
        ids.map(Vec::as_slice).unwrap_or_default()
    }
    /// Ids of the pods whose target is the name node `at` resolves to, in creation order.
    pub fn pod_ids_at(&self, at: NodeId) -> &[PodId] {
        self.pods_at.get(at).map(Vec::as_slice).unwrap_or_default()
    }
    /// Nodes that pods still point at although the Node object is gone.
    pub fn vanished_targets(&self) -> Vec<&str> {
        // gone_nodes holds every name pods point at without a Node: removed nodes, and targets
        // that never existed (recorded when the scenario is loaded). BTreeMap: already sorted.
        self.gone_nodes
            .keys()
            .filter(|n| !self.nodes.contains(n))
            .filter(|n| self.by_target.get(n.as_str()).is_some_and(|ids| !ids.is_empty()))
            .map(String::as_str)
            .collect()
    }
    /// Pods whose target is `node`, in creation order.
    pub fn pods_on(&self, node: &str) -> Vec<&SimPod> {
        self.pod_ids_on(node)
            .iter()
            .filter_map(|id| self.pods.get(id))
            .collect()
    }

    /// Records one step: the actor, what it did, and what changed since the last step. The
    /// controllers catch up with the store first (`ctl`), so that the answers and statuses the
    /// step shows are those of this very moment. (The arguments are the fields of the step,
    /// each named where it is recorded.)
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        ctl: &mut dyn Controllers,
        actor: Actor,
        action: &'static str,
        object: impl Into<Text>,
        node: Option<Text>,
        message: impl Into<Text>,
        event: Option<KubeEvent>,
    ) {
        // Node answers follow node and template changes at once, so every step's views agree.
        ctl.catch_up(self);
        let changes = self.take_changes(ctl);
        let status = self
            .daemonsets
            .first()
            .filter(|d| !d.deleted)
            .map(|d| d.status.clone());
        self.steps.push(Step {
            time: self.now,
            actor,
            action: Text::new_static(action),
            object: object.into(),
            node,
            message: message.into(),
            status,
            event,
            changes,
        });
    }

    fn take_changes(&mut self, ctl: &dyn Controllers) -> Changes {
        let ds_changed = std::mem::take(&mut self.recorder.dirty_ds);
        let mut dirty_nodes = std::mem::take(&mut self.recorder.node_scratch);
        self.recorder
            .dirty_nodes
            .take_sorted_into(&self.nodes, &mut dirty_nodes);
        let mut dirty_pods = std::mem::take(&mut self.recorder.dirty_pods);
        dirty_pods.sort_unstable();
        dirty_pods.dedup();
        let mut changes = std::mem::take(&mut self.recorder.change_scratch);
        for name in std::mem::take(&mut self.recorder.removed_nodes) {
            changes.push(Change::NodeRemoved(name));
        }
        // A DaemonSet change alone changes no node view: what a node view shows of the first
        // DaemonSet, its answers, queues the nodes whose answers changed (`refresh_should`).
        for &i in &dirty_nodes {
            // Through the name, as a name-keyed set did: with a repeated node name, the last
            // node of that name.
            let at = self.nodes.canonical(i);
            changes.push(Change::Node(view::node_view(self, at, ctl.node_answer(at))));
        }
        self.recorder.node_scratch = dirty_nodes; // its buffer serves the next step
        changes.extend(self.recorder.removed_pods.drain(..).map(Change::PodRemoved));
        for &id in &dirty_pods {
            if let Some(p) = self.pods.get(&id) {
                changes.push(Change::Pod(view::pod_view(self, p)));
            }
        }
        dirty_pods.clear();
        self.recorder.dirty_pods = dirty_pods; // keeps its capacity for the next step
        let same_count = self.recorder.shown_status.len() == self.daemonsets.len();
        // Compared in place: most steps leave the statuses as they were shown.
        let changed = |skip: usize| {
            self.daemonsets
                .iter()
                .zip(&self.recorder.shown_status)
                .skip(skip)
                .any(|(d, s)| d.status != *s)
        };
        let first_changed = same_count && changed(0);
        // The step itself carries the first DaemonSet's status (`Step::status`, unless deleted).
        let others_changed = changed(1)
            || self
                .daemonsets
                .first()
                .is_some_and(|d| d.deleted && first_changed);
        if ds_changed || !same_count {
            changes.push(Change::DaemonSets(view::daemonset_views(self)));
        } else if others_changed {
            changes.push(Change::Status(
                self.daemonsets.iter().map(|d| d.status.clone()).collect(),
            ));
        }
        if !same_count || first_changed || others_changed {
            // Refilled in place: the buffer is kept from step to step.
            self.recorder.shown_status.clear();
            self.recorder
                .shown_status
                .extend(self.daemonsets.iter().map(|d| d.status.clone()));
        }
        let taken = Changes::take_from(&mut changes);
        self.recorder.change_scratch = changes;
        taken
    }

    /// The whole cluster as the views show it, once the controllers caught up (`ctl`).
    pub fn view(&mut self, ctl: &mut dyn Controllers) -> ClusterView {
        ctl.catch_up(self);
        let view = ClusterView {
            time: self.now,
            nodes: self
                .nodes
                .ids()
                .map(|i| view::node_view(self, i, ctl.node_answer(i)))
                .collect(),
            pods: self.pods.values().map(|p| view::pod_view(self, p)).collect(),
            daemonsets: view::daemonset_views(self),
            events: Vec::new(),
        };
        self.mark_shown();
        view
    }

    /// A whole view shows everything: the next step lists only what changes after it (the
    /// first step would otherwise repeat every node and pod of the initial view).
    fn mark_shown(&mut self) {
        self.recorder.dirty_ds = false;
        self.recorder.dirty_nodes.clear();
        self.recorder.dirty_pods.clear();
        self.recorder.removed_pods.clear();
        self.recorder.removed_nodes.clear();
        self.recorder.shown_status.clear();
        self.recorder
            .shown_status
            .extend(self.daemonsets.iter().map(|d| d.status.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::node;

    /// No controller: nothing to catch up with.
    struct NoControllers;
    impl Controllers for NoControllers {
        fn node_added(&mut self, _: NodeId, _: Option<NodeId>) {}
        fn node_removed(&mut self, _: NodeId) {}
        fn catch_up(&mut self, _: &mut World) {}
        fn node_answer(&self, _: NodeId) -> Option<&ShouldRun> {
            None
        }
    }
    use k8s_openapi::api::core::v1::{Pod, PodSpec};

    fn pod_on(name: &str, node_name: &str) -> SimPod {
        let pod = Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some(node_name.into()),
                ..Default::default()
            }),
            status: None,
        };
        SimPod::from_manifest(0, pod, 0)
    }

    /// A pod finds its node through the index recorded when it was added; after a node before
    /// it goes (indices move) or its own node goes and comes back, it still finds the right one.
    #[test]
    fn pods_find_their_node_after_nodes_come_and_go() {
        let mut w = World::new(Mode::Current);
        for n in ["a", "b", "c"] {
            w.add_node(&mut NoControllers, SimNode::new(node(n, &[], vec![])));
        }
        let on_c = w.add_pod(pod_on("p", "c"));
        let name = |w: &World| {
            w.pod(on_c)
                .and_then(|p| w.pod_node(p))
                .map(|n| n.name().to_string())
        };
        assert_eq!(name(&w).as_deref(), Some("c"));
        assert_eq!(w.pod_ids_on("c"), [on_c]);

        w.remove_node(&mut NoControllers, "a");
        assert_eq!(name(&w).as_deref(), Some("c"), "after a node before it went");
        assert_eq!(w.pod_ids_on("c"), [on_c]);

        w.remove_node(&mut NoControllers, "c");
        assert_eq!(name(&w), None, "its node is gone");
        assert_eq!(w.pod_ids_on("c"), [on_c], "still meant for c");

        w.add_node(&mut NoControllers, SimNode::new(node("c", &[], vec![])));
        assert_eq!(name(&w).as_deref(), Some("c"), "c is back");
        assert_eq!(w.pod_ids_on("c"), [on_c]);
        assert!(w.pod_ids_on("b").is_empty());
    }
}
