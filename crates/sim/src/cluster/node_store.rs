//! The nodes of the simulated cluster: a store where each node has a typed id ([`NodeId`], its
//! place in the store) and one map from name to id, asked by every actor at every step. A name
//! repeated by several nodes resolves to the last of them, as a map keyed by name would hold it.
//!
//! The store is the only writer of both: nodes come and go through `World::add_node` and
//! `World::remove_node`, and a node's name cannot change (`SimNode::name` has no setter), so the
//! map cannot drift from the nodes.

use super::{SimNode, Text};
use rustc_hash::FxHashMap as HashMap;
use std::ops::{Index, IndexMut};

/// A node inside the simulation: its place in the [`NodeStore`]. Ids are dense (0..len) so that
/// per-node state can sit in plain vectors ([`PerNode`]); removing a node moves the ids after it
/// down by one, and `World::remove_node` moves every holder of ids with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    pub(crate) fn new(i: usize) -> Self {
        NodeId(u32::try_from(i).expect("fewer than 2^32 nodes"))
    }
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, Default)]
pub struct NodeStore {
    nodes: Vec<SimNode>,
    by_name: HashMap<Text, NodeId>,
    /// Every id, by node name: the order the simulation walks nodes in.
    sorted: Vec<NodeId>,
}

impl NodeStore {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    /// The nodes in id order.
    pub fn iter(&self) -> std::slice::Iter<'_, SimNode> {
        self.nodes.iter()
    }
    /// Every id, in id order.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len()).map(NodeId::new)
    }
    /// The id `name` resolves to, if a node has that name.
    pub fn id(&self, name: &str) -> Option<NodeId> {
        self.by_name.get(name).copied()
    }
    pub fn get(&self, name: &str) -> Option<&SimNode> {
        self.id(name).map(|id| &self[id])
    }
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }
    /// Every id, by node name (the order the simulation walks nodes in where Kubernetes' is
    /// undefined).
    pub fn sorted_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.sorted.iter().copied()
    }
    /// The id node `id`'s name resolves to: `id` itself unless a later node has the same name.
    /// Per-name state (the controller's answers, status shares) sits there.
    pub fn canonical(&self, id: NodeId) -> NodeId {
        if self.by_name.len() == self.nodes.len() {
            id
        } else {
            self.id(self[id].name()).unwrap_or(id)
        }
    }

    pub(super) fn reserve(&mut self, n: usize) {
        self.nodes.reserve(n);
    }
    pub(super) fn get_mut(&mut self, id: NodeId) -> &mut SimNode {
        &mut self.nodes[id.index()]
    }
    /// Adds `node` last; its name now resolves to it. Returns its id and the id the name
    /// resolved to before, if any.
    pub(super) fn push(&mut self, node: SimNode) -> (NodeId, Option<NodeId>) {
        let id = NodeId::new(self.nodes.len());
        let old = self.by_name.insert(node.name().clone(), id);
        // Nodes mostly come in name order: then the new one goes last without a search.
        let at = match self.sorted.last() {
            Some(&l) if self[l].name() < node.name() => self.sorted.len(),
            None => 0,
            Some(_) => self.sorted.partition_point(|&i| self[i].name() < node.name()),
        };
        self.sorted.insert(at, id);
        self.nodes.push(node);
        (id, old)
    }
    /// Removes node `id`; the ids after it move down by one, and the map and the name order are
    /// built anew (the last node of a repeated name wins).
    pub(super) fn remove(&mut self, id: NodeId) -> SimNode {
        let node = self.nodes.remove(id.index());
        self.by_name.clear();
        for (i, n) in self.nodes.iter().enumerate() {
            self.by_name.insert(n.name().clone(), NodeId::new(i));
        }
        let mut order: Vec<NodeId> = self.ids().collect();
        self.sort_by_name(&mut order);
        self.sorted = order;
        node
    }
    /// Puts `ids` in the order of their nodes' names (one sort for the store and its queues: each
    /// `sort_by` closure is a copy of the sort in the wasm).
    pub fn sort_by_name(&self, ids: &mut [NodeId]) {
        ids.sort_unstable_by(|&a, &b| self[a].name().cmp(self[b].name()));
    }
}

impl Index<NodeId> for NodeStore {
    type Output = SimNode;
    fn index(&self, id: NodeId) -> &SimNode {
        &self.nodes[id.index()]
    }
}

impl<'a> IntoIterator for &'a NodeStore {
    type Item = &'a SimNode;
    type IntoIter = std::slice::Iter<'a, SimNode>;
    fn into_iter(self) -> Self::IntoIter {
        self.nodes.iter()
    }
}

/// A value per node, by [`NodeId`] (a slot may be missing past the end: `get` gives None).
#[derive(Debug, Clone)]
pub struct PerNode<T>(Vec<T>);

impl<T> Default for PerNode<T> {
    fn default() -> Self {
        PerNode(Vec::new())
    }
}

impl<T> PerNode<T> {
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, id: NodeId) -> Option<&T> {
        self.0.get(id.index())
    }
    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut T> {
        self.0.get_mut(id.index())
    }
    pub fn push(&mut self, value: T) {
        self.0.push(value);
    }
    /// Drops node `id`'s value: the values after it move down with their ids.
    pub fn remove(&mut self, id: NodeId) -> Option<T> {
        (id.index() < self.0.len()).then(|| self.0.remove(id.index()))
    }
    /// The values of ids `0..`, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &T)> + '_ {
        self.0.iter().enumerate().map(|(i, v)| (NodeId::new(i), v))
    }
}

impl<T: Clone> PerNode<T> {
    /// `value` for each of `n` nodes.
    pub fn filled(n: usize, value: T) -> Self {
        PerNode(vec![value; n])
    }
    /// Makes room up to node `id`, filling with `value`.
    pub fn grow_to(&mut self, id: NodeId, value: T) {
        if id.index() >= self.0.len() {
            self.0.resize(id.index() + 1, value);
        }
    }
}

impl<T> FromIterator<T> for PerNode<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        PerNode(iter.into_iter().collect())
    }
}

impl<T> Index<NodeId> for PerNode<T> {
    type Output = T;
    fn index(&self, id: NodeId) -> &T {
        &self.0[id.index()]
    }
}

impl<T> IndexMut<NodeId> for PerNode<T> {
    fn index_mut(&mut self, id: NodeId) -> &mut T {
        &mut self.0[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::node;

    fn store(names: &[&str]) -> NodeStore {
        let mut s = NodeStore::default();
        for n in names {
            s.push(SimNode::new(node(n, &[], vec![])));
        }
        s
    }
    fn id(i: usize) -> NodeId {
        NodeId::new(i)
    }

    #[test]
    fn names_resolve_by_their_text_and_by_a_copy() {
        let s = store(&["node-1", "node-10", "node-2"]);
        for (i, n) in s.iter().enumerate() {
            assert_eq!(s.id(n.name()), Some(id(i)), "own text of {}", n.name());
            let copy: String = n.name().chars().collect();
            assert_eq!(s.id(&copy), Some(id(i)), "a copy of {copy}");
        }
        assert_eq!(s.id("node-3"), None);
        assert_eq!(
            s.id(&s[id(1)].name()[..6]),
            Some(id(0)),
            "a prefix of node-10 is node-1"
        );
        assert_eq!(s.id("node-"), None);
        let sorted: Vec<&str> = s.sorted_ids().map(|i| s[i].name().as_str()).collect();
        assert_eq!(sorted, ["node-1", "node-10", "node-2"]);
    }

    #[test]
    fn a_repeated_name_resolves_to_the_last_node_of_that_name() {
        let mut s = store(&["a", "b"]);
        let (new, old) = s.push(SimNode::new(node("a", &[], vec![])));
        assert_eq!((new, old), (id(2), Some(id(0))));
        assert_eq!(s.id(s[id(0)].name()), Some(id(2)), "the first node's own text");
        assert_eq!(s.canonical(id(0)), id(2));
        assert_eq!(s.canonical(id(1)), id(1));
    }

    #[test]
    fn ids_move_down_when_a_node_before_them_goes() {
        let mut s = store(&["a", "b", "c"]);
        assert_eq!(s.id("c"), Some(id(2)));
        s.remove(id(1));
        assert_eq!(s.id("c"), Some(id(1)), "after node b went");
        assert_eq!(s.id("b"), None);
        let sorted: Vec<NodeId> = s.sorted_ids().collect();
        assert_eq!(sorted, [id(0), id(1)]);
    }
}
