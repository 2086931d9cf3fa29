//! The words of a node snapshot (`node_info::NodeSnapshot`): every label key, label value and
//! resource name its nodes use, each stored once and numbered, so that a node's labels are pairs
//! of numbers and the filters compare numbers, not strings.

use rustc_hash::FxHashMap;

/// Every label key, label value and resource name of a snapshot, each stored once and numbered.
#[derive(Debug, Clone, Default)]
pub struct Words {
    index: FxHashMap<Box<str>, u32>,
    /// All the words' text, end to end; `spans[id]` is where word `id` sits.
    text: String,
    spans: Vec<(u32, u32)>,
}

impl Words {
    pub(super) fn intern(&mut self, word: &str) -> u32 {
        if let Some(id) = self.index.get(word) {
            return *id;
        }
        let id = self.spans.len() as u32;
        let start = self.text.len() as u32;
        self.text.push_str(word);
        self.spans.push((start, self.text.len() as u32));
        self.index.insert(word.into(), id);
        id
    }

    /// The number of `word`, if any node of the snapshot uses it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.index.get(word).copied()
    }

    /// The text of word `id` (empty for a number this snapshot never gave out).
    pub fn text(&self, id: u32) -> &str {
        self.spans
            .get(id as usize)
            .and_then(|&(start, end)| self.text.get(start as usize..end as usize))
            .unwrap_or_default()
    }
}
