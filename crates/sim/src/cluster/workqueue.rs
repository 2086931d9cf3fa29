//! Work queues keyed by node, as Kubernetes controllers keep work queues keyed by object: the
//! nodes an actor must look at again since it last looked.
//!
//! Marking happens on every pod change, so it must be cheap: a node that exists is queued by its
//! id (no allocation, no string comparison). A name without a Node (pods can point at one that is
//! gone or never was) is queued by name.

use super::{NodeId, NodeStore, PodId, Text};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default)]
pub(crate) struct NodeQueue {
    /// Whether each node, by id, is queued.
    queued: Vec<bool>,
    /// The queued ids, in the order they were queued.
    indices: Vec<NodeId>,
    /// Queued names that have no Node.
    gone: BTreeSet<String>,
}

impl NodeQueue {
    /// Queues `name`; `id` is its id when the node exists.
    pub fn add(&mut self, id: Option<NodeId>, name: &str) {
        match id {
            Some(i) => self.add_id(i),
            None if !self.gone.contains(name) => {
                self.gone.insert(name.to_string());
            }
            None => {}
        }
    }

    pub fn add_id(&mut self, id: NodeId) {
        let i = id.index();
        if i >= self.queued.len() {
            self.queued.resize(i + 1, false);
        }
        if !self.queued[i] {
            self.queued[i] = true;
            self.indices.push(id);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty() && self.gone.is_empty()
    }

    /// Empties the queue, keeping its buffer.
    pub fn clear(&mut self) {
        for &i in &self.indices {
            self.queued[i.index()] = false;
        }
        self.indices.clear();
        self.gone.clear();
    }

    /// Takes the queue: the ids of queued nodes (in the order queued) and the queued names that
    /// have no Node.
    pub fn take(&mut self) -> (Vec<NodeId>, BTreeSet<String>) {
        for &i in &self.indices {
            self.queued[i.index()] = false;
        }
        (std::mem::take(&mut self.indices), std::mem::take(&mut self.gone))
    }

    /// Moves the queued ids (in the order queued) into `out`, and forgets the queued names that
    /// have no Node. The queue keeps `out`'s buffer, so a queue drained every step does not
    /// allocate.
    pub fn drain_ids(&mut self, out: &mut Vec<NodeId>) {
        for &i in &self.indices {
            self.queued[i.index()] = false;
        }
        out.clear();
        std::mem::swap(out, &mut self.indices);
        self.gone.clear();
    }

    /// Takes the queued nodes that exist, in name order (the order the simulation walks nodes
    /// in), one per name.
    pub fn take_sorted(&mut self, nodes: &NodeStore) -> Vec<NodeId> {
        let mut indices = Vec::new();
        self.take_sorted_into(nodes, &mut indices);
        indices
    }

    /// [`NodeQueue::take_sorted`] into `out`; the queue keeps `out`'s buffer (as
    /// `drain_ids`), so a queue taken every step does not allocate.
    pub fn take_sorted_into(&mut self, nodes: &NodeStore, out: &mut Vec<NodeId>) {
        self.drain_ids(out);
        nodes.sort_by_name(out);
        out.dedup_by(|a, b| nodes[*a].name() == nodes[*b].name());
    }

    /// Takes every queued name, existing or not, in name order.
    pub fn take_names(&mut self, nodes: &NodeStore) -> Vec<Text> {
        let (indices, gone) = self.take();
        let mut names: Vec<Text> = indices.into_iter().map(|i| nodes[i].name().clone()).collect();
        names.extend(gone.into_iter().map(Text::from));
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Node `removed` (named `name`) is about to leave the store, so the ids after it move down
    /// by one. A queued removed node stays queued, by name.
    pub fn remove_node(&mut self, removed: NodeId, name: &str) {
        let (indices, gone) = self.take();
        self.gone = gone;
        for i in indices {
            match i.cmp(&removed) {
                std::cmp::Ordering::Less => self.add_id(i),
                std::cmp::Ordering::Equal => self.add(None, name),
                std::cmp::Ordering::Greater => self.add_id(NodeId::new(i.index() - 1)),
            }
        }
        if removed.index() < self.queued.len() {
            self.queued.remove(removed.index());
        }
    }

    /// A node named `name` was added (and queued by id): it is no longer a name without a
    /// Node.
    pub fn node_added(&mut self, name: &str) {
        self.gone.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::SimNode;
    use k8s_openapi::api::core::v1::Node;

    fn nodes(names: &[&str]) -> NodeStore {
        let mut store = NodeStore::default();
        for n in names {
            let mut node = Node::default();
            node.metadata.name = Some(n.to_string());
            store.push(SimNode::new(node));
        }
        store
    }
    fn id(i: usize) -> Option<NodeId> {
        Some(NodeId::new(i))
    }

    #[test]
    fn queues_each_node_once_and_takes_them_by_name() {
        let ns = nodes(&["c", "a", "b"]);
        let mut q = NodeQueue::default();
        q.add(id(0), "c");
        q.add(id(2), "b");
        q.add(id(0), "c");
        q.add(None, "gone");
        q.add(None, "gone");
        assert!(!q.is_empty());
        assert_eq!(q.take_names(&ns), vec!["b", "c", "gone"]);
        assert!(q.is_empty());
        q.add(id(0), "c");
        q.add(id(1), "a");
        assert_eq!(q.take_sorted(&ns), vec![NodeId::new(1), NodeId::new(0)]);
    }

    #[test]
    fn a_removed_node_stays_queued_by_name_and_later_indices_shift() {
        let mut ns = nodes(&["a", "b", "c"]);
        let mut q = NodeQueue::default();
        q.add(id(1), "b");
        q.add(id(2), "c");
        q.remove_node(NodeId::new(1), "b");
        ns.remove(NodeId::new(1));
        let (indices, gone) = q.take();
        assert_eq!(indices, vec![NodeId::new(1)]);
        assert_eq!(ns[NodeId::new(1)].name(), "c");
        assert_eq!(gone.into_iter().collect::<Vec<_>>(), vec!["b"]);
    }
}

/// A set of pods an actor must look at again, walked in id order. Queued on every pod change, so
/// adding is a flag and a push (a tree set rebalanced on every change); order and duplicates are
/// sorted out when the queue is walked.
#[derive(Debug, Clone, Default)]
pub(crate) struct PodQueue {
    /// Whether each pod, by id, is queued.
    queued: Vec<bool>,
    /// Queued ids; may hold ids removed since (flag off), duplicates, or be out of order until
    /// the next `sorted`.
    ids: Vec<PodId>,
    in_order: bool,
}

impl PodQueue {
    pub fn insert(&mut self, id: PodId) {
        let i = slot(id);
        if i >= self.queued.len() {
            self.queued.resize(i + 1, false);
        }
        if !self.queued[i] {
            self.queued[i] = true;
            if self.ids.last().is_some_and(|&last| last > id) {
                self.in_order = false;
            }
            self.ids.push(id);
        }
    }

    pub fn remove(&mut self, id: &PodId) {
        if let Some(q) = self.queued.get_mut(slot(*id)) {
            *q = false;
        }
    }

    /// The queued ids, in increasing order, each once.
    pub fn sorted(&mut self) -> &[PodId] {
        let queued = &self.queued;
        self.ids.retain(|&id| queued[slot(id)]);
        if !std::mem::replace(&mut self.in_order, true) {
            self.ids.sort_unstable();
        }
        self.ids.dedup();
        &self.ids
    }

    /// Keeps the queued ids for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&PodId) -> bool) {
        self.sorted();
        let queued = &mut self.queued;
        self.ids.retain(|id| {
            let k = keep(id);
            if !k {
                queued[slot(*id)] = false;
            }
            k
        });
    }

    /// The queued ids, in no particular order (duplicates possible): for questions such as the
    /// earliest time, where order does not matter.
    pub fn iter(&self) -> impl Iterator<Item = &PodId> + '_ {
        self.ids.iter().filter(|&&id| self.queued[slot(id)])
    }
}

fn slot(id: PodId) -> usize {
    usize::try_from(id).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod pod_queue_tests {
    use super::PodQueue;

    #[test]
    fn pod_queue_walks_each_queued_pod_once_in_id_order() {
        let mut q = PodQueue::default();
        for id in [5, 2, 9, 2, 5] {
            q.insert(id);
        }
        q.remove(&9);
        q.insert(7);
        q.remove(&7);
        q.insert(7);
        assert_eq!(q.sorted(), &[2, 5, 7]);
        q.retain(|&id| id != 5);
        assert_eq!(q.sorted(), &[2, 7]);
        q.insert(5);
        assert_eq!(q.sorted(), &[2, 5, 7]);
    }
}
