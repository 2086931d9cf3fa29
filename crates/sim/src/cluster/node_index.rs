//! Which index of `World::nodes` a node name resolves to: one map from name to index, asked by
//! every actor at every step. A name repeated by several nodes resolves to the last of them, as
//! a map keyed by name would hold it.

use super::Text;
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Default)]
pub(crate) struct NodeIndex {
    by_name: HashMap<Text, usize>,
}

impl NodeIndex {
    /// The index `name` resolves to, if a node has that name.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The number of distinct names (less than the number of nodes when a name repeats).
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Makes `name` (the name of node `i`) resolve to `i`; returns the index it resolved to before.
    pub fn insert(&mut self, name: &Text, i: usize) -> Option<usize> {
        self.by_name.insert(name.clone(), i)
    }

    /// Built anew from the node names in index order (the last node of a repeated name wins).
    pub fn rebuild<'a>(&mut self, names: impl Iterator<Item = &'a Text>) {
        self.by_name.clear();
        for (i, name) in names.enumerate() {
            self.by_name.insert(name.clone(), i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[Text]) -> NodeIndex {
        let mut ix = NodeIndex::default();
        ix.rebuild(names.iter());
        ix
    }

    #[test]
    fn names_resolve_by_their_text_and_by_a_copy() {
        let names = [Text::from("node-1"), Text::from("node-10"), Text::from("node-2")];
        let ix = index(&names);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ix.get(n), Some(i), "own text of {n}");
            let copy: String = n.chars().collect();
            assert_eq!(ix.get(&copy), Some(i), "a copy of {n}");
        }
        assert_eq!(ix.get("node-3"), None);
        assert_eq!(ix.get(&names[1][..6]), Some(0), "a prefix of node-10 is node-1");
        assert_eq!(ix.get(&names[1][..5]), None);
    }

    #[test]
    fn a_repeated_name_resolves_to_the_last_node_of_that_name() {
        let names = [Text::from("a"), Text::from("b"), Text::from("a")];
        let ix = index(&names);
        assert_eq!(ix.get(&names[0]), Some(2), "the first node's own text");
        assert_eq!(ix.get(&names[2]), Some(2));
        assert_eq!(ix.len(), 2);

        let mut ix = index(&names[..2]);
        let old = ix.insert(&names[2], 2);
        assert_eq!(old, Some(0));
        assert_eq!(
            ix.get(&names[0]),
            Some(2),
            "after insert, the first node's own text"
        );
    }

    #[test]
    fn names_resolve_to_their_new_index_when_indices_move() {
        let names = [Text::from("a"), Text::from("b"), Text::from("c")];
        let mut ix = index(&names);
        assert_eq!(ix.get(&names[2]), Some(2));
        ix.rebuild([&names[0], &names[2]].into_iter());
        assert_eq!(ix.get(&names[2]), Some(1), "after node b went");
        assert_eq!(ix.get(&names[1]), None);
    }
}
