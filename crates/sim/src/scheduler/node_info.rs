//! What the verdict reads of each node, copied once into a compact, read-only snapshot.
//!
//! Kubernetes does not re-read Node objects for every decision either: the scheduler keeps a
//! `NodeInfo` per node in its cache (`pkg/scheduler/framework/types.go`, allocatable already
//! parsed into numbers) and filters against a snapshot of it; the DaemonSet controller reads
//! nodes from its informer's cache. Here the snapshot holds each node's labels as pairs of word
//! numbers and its allocatable as parsed numbers, all nodes side by side in a few flat vectors.
//!
//! Why: a verdict on a large cluster read every node's label map and allocatable map, each entry
//! a separate heap string; on 5,000 nodes that is more memory than the caches hold, and the
//! verdict waited on memory most of the time. A snapshot is built once per node list and serves
//! every verdict on it (the app re-plans on each DaemonSet edit against the same nodes).

use crate::api::quantity::milli_value;
use crate::scheduler::node_affinity::{labels_of, Labels, NodeLabels};
use crate::scheduler::node_resources::allocatable_map;
pub use crate::scheduler::snapshot_words::Words;
use k8s_openapi::api::core::v1::{Node, Taint};
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};

/// The status of the node's Ready condition ("True", "False", "Unknown"), or `None` when the
/// node reports none; the simulation then takes it as Ready (plan's "no conditions" note).
pub fn ready_condition(node: &Node) -> Option<&str> {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map(|c| c.status.as_str())
}

/// What a verdict reads of one node besides its allocatable, whether from the Node itself or
/// from a snapshot.
#[derive(Debug, Clone, Copy)]
pub struct NodeFacts<'a> {
    pub node: &'a Node,
    pub name: &'a str,
    /// For the words explaining a node the selectors do not match.
    pub labels: LabelsOf<'a>,
    pub taints: &'a [Taint],
    /// spec.unschedulable (cordoned).
    pub unschedulable: bool,
}

impl<'a> NodeFacts<'a> {
    pub fn of(node: &'a Node) -> Self {
        let spec = node.spec.as_ref();
        NodeFacts {
            node,
            name: node.metadata.name.as_deref().unwrap_or_default(),
            labels: LabelsOf::Map(labels_of(&node.metadata)),
            taints: spec.and_then(|s| s.taints.as_deref()).unwrap_or_default(),
            unschedulable: spec.and_then(|s| s.unschedulable) == Some(true),
        }
    }
}

/// A node's labels: its own map, or its (key, value) words in a snapshot.
#[derive(Debug, Clone, Copy)]
pub enum LabelsOf<'a> {
    Map(&'a Labels),
    Words(&'a [(u32, u32)], &'a Words),
}

impl NodeLabels for LabelsOf<'_> {
    fn label(&self, key: &str) -> Option<&str> {
        match *self {
            LabelsOf::Map(map) => map.label(key),
            LabelsOf::Words(pairs, words) => {
                let key = words.id(key)?;
                let &(_, value) = pairs.iter().find(|(k, _)| *k == key)?;
                Some(words.text(value))
            }
        }
    }
}

/// One node's place in the snapshot's flat vectors.
#[derive(Debug, Clone, Copy)]
struct NodeInfo {
    name: (u32, u32),
    labels: (u32, u32),
    taints: (u32, u32),
    unschedulable: bool,
    /// None when the node reports neither allocatable nor capacity (see `allocatable_map`).
    allocatable: Option<(u32, u32)>,
}

/// The nodes of a list, in its order, as the verdict reads them.
#[derive(Debug, Clone, Default)]
pub struct NodeSnapshot {
    words: Words,
    /// Every node's name, end to end.
    names: String,
    /// (key, value) word numbers of every node's labels, in the label map's order.
    labels: Vec<(u32, u32)>,
    /// Every distinct list of taints, copied side by side: most nodes of a pool carry the same
    /// list, so a few lists serve the whole cluster and stay in cache.
    taints: Vec<Taint>,
    /// Where each distinct list sits in `taints`, by a hash of its keys, values and effects.
    taint_lists: FxHashMap<u64, Vec<(u32, u32)>>,
    /// (resource name word, milli-value) of every node's allocatable (or capacity).
    allocatable: Vec<(u32, i128)>,
    nodes: Vec<NodeInfo>,
}

impl NodeSnapshot {
    pub fn of(nodes: &[Node]) -> Self {
        let mut s = NodeSnapshot {
            nodes: Vec::with_capacity(nodes.len()),
            ..Default::default()
        };
        for node in nodes {
            s.push(node);
        }
        s
    }

    /// Adds `node` after the others.
    fn push(&mut self, node: &Node) {
        let facts = NodeFacts::of(node);
        let start = self.names.len() as u32;
        self.names.push_str(facts.name);
        let name = (start, self.names.len() as u32);
        let taints = self.taint_list(facts.taints);
        let start = self.labels.len() as u32;
        for (k, v) in labels_of(&node.metadata) {
            let pair = (self.words.intern(k), self.words.intern(v));
            self.labels.push(pair);
        }
        let labels = (start, self.labels.len() as u32);
        let allocatable = allocatable_map(node).map(|m| {
            let start = self.allocatable.len() as u32;
            for (k, q) in m {
                let entry = (self.words.intern(k), milli_value(&q.0).unwrap_or(0));
                self.allocatable.push(entry);
            }
            (start, self.allocatable.len() as u32)
        });
        self.nodes.push(NodeInfo {
            name,
            labels,
            taints,
            unschedulable: facts.unschedulable,
            allocatable,
        });
    }

    /// Where `list` sits in `taints`, copied there if no node had the same list before.
    fn taint_list(&mut self, list: &[Taint]) -> (u32, u32) {
        if list.is_empty() {
            return (0, 0);
        }
        let mut h = rustc_hash::FxHasher::default();
        for t in list {
            (&t.key, &t.value, &t.effect).hash(&mut h);
        }
        let seen = self.taint_lists.entry(h.finish()).or_default();
        let taints = &mut self.taints;
        if let Some(&range) = seen
            .iter()
            .find(|(start, end)| taints[*start as usize..*end as usize] == *list)
        {
            return range;
        }
        let start = taints.len() as u32;
        taints.extend_from_slice(list);
        let range = (start, taints.len() as u32);
        seen.push(range);
        range
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn words(&self) -> &Words {
        &self.words
    }

    /// The facts of `nodes[i]`, where `nodes` are the nodes this snapshot was built from.
    pub fn facts<'a>(&'a self, i: usize, node: &'a Node) -> NodeFacts<'a> {
        let Some(info) = self.nodes.get(i) else {
            return NodeFacts::of(node);
        };
        NodeFacts {
            node,
            name: self
                .names
                .get(info.name.0 as usize..info.name.1 as usize)
                .unwrap_or_default(),
            labels: LabelsOf::Words(self.labels(i), &self.words),
            taints: self
                .taints
                .get(info.taints.0 as usize..info.taints.1 as usize)
                .unwrap_or_default(),
            unschedulable: info.unschedulable,
        }
    }

    /// The labels of the `i`th node as (key, value) word numbers.
    pub fn labels(&self, i: usize) -> &[(u32, u32)] {
        self.nodes
            .get(i)
            .and_then(|n| self.labels.get(n.labels.0 as usize..n.labels.1 as usize))
            .unwrap_or_default()
    }

    /// The allocatable of the `i`th node as (resource word, milli-value); None when the node
    /// reports neither allocatable nor capacity.
    pub fn allocatable(&self, i: usize) -> Option<&[(u32, i128)]> {
        let (start, end) = self.nodes.get(i)?.allocatable?;
        self.allocatable.get(start as usize..end as usize)
    }
}

/// A node list and its snapshot, built together so that they always describe the same nodes.
#[derive(Debug, Clone, Default)]
pub struct Nodes {
    list: Vec<Node>,
    snapshot: NodeSnapshot,
}

impl std::ops::Deref for Nodes {
    type Target = [Node];
    fn deref(&self) -> &[Node] {
        &self.list
    }
}

impl Nodes {
    pub fn new(list: Vec<Node>) -> Self {
        let snapshot = NodeSnapshot::of(&list);
        Nodes { list, snapshot }
    }

    pub fn list(&self) -> &[Node] {
        &self.list
    }

    pub fn into_list(self) -> Vec<Node> {
        self.list
    }

    pub fn snapshot(&self) -> &NodeSnapshot {
        &self.snapshot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::node;
    use k8s_openapi::api::core::v1::NodeStatus;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn with_status(
        mut n: Node,
        allocatable: Option<&[(&str, &str)]>,
        capacity: Option<&[(&str, &str)]>,
    ) -> Node {
        let map = |m: &[(&str, &str)]| {
            m.iter()
                .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                .collect()
        };
        n.status = Some(NodeStatus {
            allocatable: allocatable.map(map),
            capacity: capacity.map(map),
            ..Default::default()
        });
        n
    }

    #[test]
    fn labels_keep_each_nodes_pairs_and_share_words() {
        let nodes = [
            node("a", &[("zone", "x"), ("os", "linux")], vec![]),
            node("b", &[], vec![]),
            node("c", &[("os", "linux")], vec![]),
        ];
        let s = NodeSnapshot::of(&nodes);
        let text = |i: usize| -> Vec<(String, String)> {
            s.labels(i)
                .iter()
                .map(|&(k, v)| (s.words().text(k).to_string(), s.words().text(v).to_string()))
                .collect()
        };
        assert_eq!(
            text(0),
            [("os".into(), "linux".into()), ("zone".into(), "x".into())]
        );
        assert!(text(1).is_empty());
        assert_eq!(text(2), [("os".to_string(), "linux".to_string())]);
        assert_eq!(s.labels(0)[0], s.labels(2)[0], "one word, one number");
        assert!(s.labels(3).is_empty(), "past the end: no labels, no panic");
        assert_eq!(s.words().id("absent"), None);
        assert_eq!(s.words().text(999), "");
    }

    #[test]
    fn facts_keep_each_nodes_own_taints_and_cordon() {
        use crate::scheduler::taints::taint;
        let gpu = || {
            vec![
                taint("dedicated", "gpu", "NoExecute"),
                taint("nvidia.com/gpu", "", "NoSchedule"),
            ]
        };
        let mut cordoned = node("d", &[], gpu());
        cordoned.spec.get_or_insert_with(Default::default).unschedulable = Some(true);
        let mut later = taint("dedicated", "gpu", "NoExecute");
        later.time_added = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
            "2025-03-12T14:20:11Z".parse().unwrap(),
        ));
        let nodes = [
            node("a", &[], gpu()),
            node("b", &[], vec![]),
            node("c", &[], gpu()),
            cordoned,
            node("e", &[], vec![taint("dedicated", "gpu", "NoSchedule")]),
            node("f", &[], vec![later, taint("nvidia.com/gpu", "", "NoSchedule")]),
        ];
        let s = NodeSnapshot::of(&nodes);
        for (i, n) in nodes.iter().enumerate() {
            let (got, want) = (s.facts(i, n), NodeFacts::of(n));
            assert_eq!(got.name, want.name);
            assert_eq!(got.taints, want.taints, "{}", want.name);
            assert_eq!(got.unschedulable, want.unschedulable, "{}", want.name);
        }
        assert_eq!(
            s.taints.len(),
            2 + 1 + 2,
            "the same list is kept once, a different timeAdded is another list"
        );
    }

    #[test]
    fn allocatable_falls_back_to_capacity_as_the_scheduler_reads_it() {
        let bare = node("n", &[], vec![]);
        type Case<'a> = (&'a str, Node, Option<Vec<(&'a str, i128)>>);
        let cases: Vec<Case> = vec![
            (
                "no status",
                Node {
                    status: None,
                    ..bare.clone()
                },
                None,
            ),
            ("neither map", with_status(bare.clone(), None, None), None),
            (
                "allocatable",
                with_status(
                    bare.clone(),
                    Some(&[("cpu", "2"), ("pods", "110")]),
                    Some(&[("cpu", "4")]),
                ),
                Some(vec![("cpu", 2000), ("pods", 110_000)]),
            ),
            (
                "capacity when allocatable is missing",
                with_status(bare.clone(), None, Some(&[("memory", "1Ki")])),
                Some(vec![("memory", 1_024_000)]),
            ),
            (
                "an empty allocatable is no figure at all",
                with_status(bare.clone(), Some(&[]), Some(&[("cpu", "4")])),
                None,
            ),
            (
                "an unreadable quantity counts as 0",
                with_status(bare.clone(), Some(&[("cpu", "lots")]), None),
                Some(vec![("cpu", 0)]),
            ),
        ];
        for (name, n, want) in cases {
            let s = NodeSnapshot::of(std::slice::from_ref(&n));
            let got = s.allocatable(0).map(|entries| {
                entries
                    .iter()
                    .map(|&(k, v)| (s.words().text(k), v))
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, want, "{name}");
        }
    }
}
