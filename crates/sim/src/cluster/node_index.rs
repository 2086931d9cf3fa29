//! Which index of `World::nodes` a node name resolves to.
//!
//! Every actor asks it, at every step, mostly with the node's own name text: a pod's target and
//! binding share the node's text (`World::share_node_name`), and so do the views and steps made
//! from them. Such a name is found by the address of its bytes, a one-word hash, before falling
//! back to hashing and comparing the whole string.

use super::Text;
use rustc_hash::FxHashMap as HashMap;
use std::cell::Cell;

#[derive(Debug, Clone, Default)]
pub(crate) struct NodeIndex {
    by_name: HashMap<Text, usize>,
    /// Address of a node's own name text → (index its name resolves to, length of the name).
    /// Two live strings cannot start at the same address with the same length unless they are
    /// the same bytes, so a hit is that name.
    by_address: HashMap<usize, (usize, usize)>,
    /// The last name found by address, (address, length, index): an actor asks about the same
    /// node several times in a row (its pods, its kubelet, the event source).
    last: Cell<(usize, usize, usize)>,
}

fn address(name: &str) -> usize {
    name.as_ptr() as usize
}

impl NodeIndex {
    /// The index `name` resolves to, if a node has that name.
    pub fn get(&self, name: &str) -> Option<usize> {
        let (last_address, last_len, last_index) = self.last.get();
        if last_address == address(name) && last_len == name.len() {
            return Some(last_index);
        }
        match self.by_address.get(&address(name)) {
            Some(&(i, len)) if len == name.len() => {
                self.last.set((address(name), len, i));
                Some(i)
            }
            _ => self.by_name.get(name).copied(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The number of distinct names (less than the number of nodes when a name repeats).
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Makes `name` (the text of node `i`) resolve to `i`; returns the index it resolved to
    /// before, whose own text, `replaced`, no longer resolves by address.
    pub fn insert(
        &mut self,
        name: &Text,
        i: usize,
        replaced: impl FnOnce(usize) -> Option<Text>,
    ) -> Option<usize> {
        self.last.set((0, 0, 0));
        let old = self.by_name.insert(name.clone(), i);
        if let Some(text) = old.and_then(replaced) {
            self.by_address.remove(&address(&text));
        }
        self.by_address.insert(address(name), (i, name.len()));
        old
    }

    /// Built anew from the node names in index order (the last node of a repeated name wins).
    pub fn rebuild<'a>(&mut self, names: impl Iterator<Item = &'a Text>) {
        self.by_name.clear();
        self.by_address.clear();
        self.last.set((0, 0, 0));
        let names: Vec<&Text> = names.collect();
        for (i, name) in names.iter().enumerate() {
            self.insert(name, i, |old| names.get(old).map(|t| (*t).clone()));
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
    fn names_resolve_by_their_own_text_and_by_a_copy() {
        let names = [Text::from("node-1"), Text::from("node-10"), Text::from("node-2")];
        let ix = index(&names);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ix.get(n), Some(i), "own text of {n}");
            let copy: String = n.chars().collect();
            assert_eq!(ix.get(&copy), Some(i), "a copy of {n}");
        }
        assert_eq!(ix.get("node-3"), None);
        // A prefix of a node's own text starts at the same address: it is not that node.
        assert_eq!(ix.get(&names[1][..6]), Some(0));
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
        let old = ix.insert(&names[2], 2, |i| names.get(i).cloned());
        assert_eq!(old, Some(0));
        assert_eq!(
            ix.get(&names[0]),
            Some(2),
            "after insert, the first node's own text"
        );
    }

    #[test]
    fn the_last_name_found_is_forgotten_when_indices_move() {
        let names = [Text::from("a"), Text::from("b"), Text::from("c")];
        let mut ix = index(&names);
        assert_eq!(ix.get(&names[2]), Some(2));
        assert_eq!(ix.get(&names[2]), Some(2), "again, remembered");
        ix.rebuild([&names[0], &names[2]].into_iter());
        assert_eq!(ix.get(&names[2]), Some(1), "after node b went");
        assert_eq!(ix.get(&names[1]), None);
    }
}
