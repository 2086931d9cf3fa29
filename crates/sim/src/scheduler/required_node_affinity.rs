//! A pod's nodeSelector and required node affinity, read once and then matched against many
//! nodes (semantics §4). Kubernetes does the same: `GetRequiredNodeAffinity` parses the pod's
//! selectors into a `RequiredNodeAffinity` once, and the NodeAffinity plugin's PreFilter keeps it
//! for every node it filters.
//!
//! Matching here answers only yes or no; the words for a node that does not match come from
//! `node_affinity` (`node_selector_mismatch`, `term_mismatch`), which follow the same rules on
//! their own. The tests below hold the two to the same answers.
//!
//! Why a separate form: on a large cluster the verdict is dominated by label lookups. Searching a
//! node's label map once per requirement compares each wanted key with most of the node's keys,
//! and every comparison reads another heap string. Here each node's labels are walked once, and a
//! key's text is compared only with wanted keys of the same length.

use crate::scheduler::node_affinity::{required_terms, Labels};
use crate::scheduler::node_info::Words;
use k8s_openapi::api::core::v1::{Affinity, NodeSelectorRequirement, PodSpec};

/// The most label keys resolved in one pass without the interpreted fallback.
const MAX_KEYS: usize = 16;

/// One `matchExpressions` requirement, parsed (`nodeSelectorRequirementsAsSelector`).
#[derive(Debug, Clone)]
enum Expression {
    In(usize, Vec<String>),
    NotIn(usize, Vec<String>),
    Exists(usize),
    DoesNotExist(usize),
    Gt(usize, i64),
    Lt(usize, i64),
    /// A requirement Kubernetes cannot parse (unknown operator, Gt/Lt without exactly one integer
    /// value): its term matches no node.
    Never,
}

/// One `matchFields` requirement (`nodeSelectorRequirementsAsFieldSelector`): only
/// `metadata.name` with In/NotIn and exactly one value is valid.
#[derive(Debug, Clone)]
enum Field {
    NameIn(String),
    NameNotIn(String),
    Never,
}

#[derive(Debug, Clone)]
struct Term {
    expressions: Vec<Expression>,
    fields: Vec<Field>,
}

/// The pod's nodeSelector AND its required node affinity terms (ORed), with the label keys they
/// read gathered in one list.
#[derive(Debug, Clone, Default)]
pub struct RequiredNodeAffinity {
    /// Every label key the selector and the terms read, without repeats.
    keys: Vec<String>,
    /// The keys by length, so a node's label is compared only with the few wanted keys of its
    /// length: bit i of `by_length[n % 32]` is set when `keys[i]` is n bytes long. Filled only
    /// when `keys` has at most `MAX_KEYS` entries.
    by_length: [u16; 32],
    /// nodeSelector entries: (key index, the exact value).
    selector: Vec<(usize, String)>,
    /// None: no required node affinity (no constraint). Some(empty): matches no node.
    terms: Option<Vec<Term>>,
}

/// The two answers for one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AffinityMatch {
    pub node_selector: bool,
    pub required_affinity: bool,
}

impl AffinityMatch {
    pub fn both(self) -> bool {
        self.node_selector && self.required_affinity
    }
}

impl RequiredNodeAffinity {
    pub fn new(spec: &PodSpec) -> Self {
        Self::from_parts(spec.node_selector.as_ref(), spec.affinity.as_ref())
    }

    pub fn from_parts(node_selector: Option<&Labels>, affinity: Option<&Affinity>) -> Self {
        let mut keys: Vec<String> = Vec::new();
        let mut key_index = |k: &str| match keys.iter().position(|have| have == k) {
            Some(i) => i,
            None => {
                keys.push(k.to_string());
                keys.len() - 1
            }
        };
        let selector = node_selector
            .into_iter()
            .flatten()
            .map(|(k, v)| (key_index(k), v.clone()))
            .collect();
        let terms = required_terms(affinity).map(|terms| {
            terms
                .iter()
                .map(|t| Term {
                    expressions: t
                        .match_expressions
                        .iter()
                        .flatten()
                        .map(|r| expression(r, &mut key_index))
                        .collect(),
                    fields: t.match_fields.iter().flatten().map(field).collect(),
                })
                .collect()
        });
        let by_length = index_by_length(&keys);
        RequiredNodeAffinity {
            keys,
            by_length,
            selector,
            terms,
        }
    }

    /// Does the node match the nodeSelector, and the required node affinity?
    pub fn matches(&self, node_name: &str, labels: &Labels) -> AffinityMatch {
        if self.keys.len() > MAX_KEYS {
            return self.matches_interpreted(node_name, labels);
        }
        let mut got: [Option<&str>; MAX_KEYS] = [None; MAX_KEYS];
        for (k, v) in labels {
            // Lengths sit next to the pointers: most keys are told apart without reading text.
            let mut same_length = self.by_length[k.len() % 32];
            while same_length != 0 {
                let i = same_length.trailing_zeros() as usize;
                same_length &= same_length - 1;
                if self.keys[i] == *k {
                    got[i] = Some(v.as_str());
                }
            }
        }
        self.answer(node_name, &got)
    }

    /// The same answers through the map lookups of `node_affinity`, for selectors with more keys
    /// than one pass keeps.
    fn matches_interpreted(&self, node_name: &str, labels: &Labels) -> AffinityMatch {
        let got: Vec<Option<&str>> = self
            .keys
            .iter()
            .map(|k| labels.get(k).map(String::as_str))
            .collect();
        self.answer(node_name, &got)
    }

    /// The wanted keys as words of a node snapshot, resolved once for all its nodes; None when
    /// there are more keys than one pass keeps (then match the node's label map instead).
    pub fn wanted_words(&self, words: &Words) -> Option<WantedWords> {
        if self.keys.len() > MAX_KEYS {
            return None;
        }
        let keys = self
            .keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| words.id(k).map(|w| (w, i)))
            .collect();
        Some(WantedWords { keys })
    }

    /// `matches` for a node of a snapshot: its labels as (key, value) words. A key no node has
    /// has no word, so it is simply absent here, as it is from every node's labels.
    pub fn matches_words(
        &self,
        node_name: &str,
        labels: &[(u32, u32)],
        words: &Words,
        wanted: &WantedWords,
    ) -> AffinityMatch {
        let mut got: [Option<&str>; MAX_KEYS] = [None; MAX_KEYS];
        for &(key, value) in labels {
            if let Some(&(_, i)) = wanted.keys.iter().find(|(w, _)| *w == key) {
                got[i] = Some(words.text(value));
            }
        }
        self.answer(node_name, &got)
    }

    /// The answers, given the node's value of each wanted key (`got[i]` for `keys[i]`).
    fn answer(&self, node_name: &str, got: &[Option<&str>]) -> AffinityMatch {
        AffinityMatch {
            node_selector: self.selector.iter().all(|(i, v)| got[*i] == Some(v)),
            required_affinity: match &self.terms {
                None => true,
                Some(terms) => terms.iter().any(|t| t.matches(node_name, got)),
            },
        }
    }
}

/// `RequiredNodeAffinity::keys` as words of one node snapshot: (word, key index).
#[derive(Debug, Clone)]
pub struct WantedWords {
    keys: Vec<(u32, usize)>,
}

/// `by_length` of `RequiredNodeAffinity` for `keys` (empty when there are too many keys for one
/// pass: `matches` then looks keys up one by one).
fn index_by_length(keys: &[String]) -> [u16; 32] {
    let mut by_length = [0u16; 32];
    if keys.len() <= MAX_KEYS {
        for (i, k) in keys.iter().enumerate() {
            by_length[k.len() % 32] |= 1 << i;
        }
    }
    by_length
}

fn expression(r: &NodeSelectorRequirement, key_index: &mut impl FnMut(&str) -> usize) -> Expression {
    let values = r.values.clone().unwrap_or_default();
    let bound = || match values.as_slice() {
        [v] => v.parse::<i64>().ok(),
        _ => None,
    };
    match r.operator.as_str() {
        "In" => Expression::In(key_index(&r.key), values),
        "NotIn" => Expression::NotIn(key_index(&r.key), values),
        "Exists" => Expression::Exists(key_index(&r.key)),
        "DoesNotExist" => Expression::DoesNotExist(key_index(&r.key)),
        "Gt" => bound().map_or(Expression::Never, |b| Expression::Gt(key_index(&r.key), b)),
        "Lt" => bound().map_or(Expression::Never, |b| Expression::Lt(key_index(&r.key), b)),
        _ => Expression::Never,
    }
}

fn field(r: &NodeSelectorRequirement) -> Field {
    match (r.key.as_str(), r.operator.as_str(), r.values.as_deref()) {
        ("metadata.name", "In", Some([v])) => Field::NameIn(v.clone()),
        ("metadata.name", "NotIn", Some([v])) => Field::NameNotIn(v.clone()),
        _ => Field::Never,
    }
}

impl Term {
    /// Expressions and fields ANDed; an empty term matches nothing.
    fn matches(&self, node_name: &str, got: &[Option<&str>]) -> bool {
        if self.expressions.is_empty() && self.fields.is_empty() {
            return false;
        }
        self.expressions.iter().all(|e| e.matches(got))
            && self.fields.iter().all(|f| match f {
                Field::NameIn(v) => v == node_name,
                Field::NameNotIn(v) => v != node_name,
                Field::Never => false,
            })
    }
}

impl Expression {
    fn matches(&self, got: &[Option<&str>]) -> bool {
        let int = |i: &usize| got[*i].and_then(|v| v.parse::<i64>().ok());
        match self {
            Expression::In(i, values) => got[*i].is_some_and(|v| values.iter().any(|w| w == v)),
            Expression::NotIn(i, values) => got[*i].is_none_or(|v| !values.iter().any(|w| w == v)),
            Expression::Exists(i) => got[*i].is_some(),
            Expression::DoesNotExist(i) => got[*i].is_none(),
            Expression::Gt(i, b) => int(i).is_some_and(|n| n > *b),
            Expression::Lt(i, b) => int(i).is_some_and(|n| n < *b),
            Expression::Never => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::node_affinity::{node_selector_mismatch, required_terms, term_mismatch};
    use crate::testutil::{map as labels, required_affinity, requirement as req, term};

    type Terms = Vec<(Vec<NodeSelectorRequirement>, Vec<NodeSelectorRequirement>)>;

    fn spec(selector: &[(&str, &str)], terms: Option<Terms>) -> PodSpec {
        PodSpec {
            node_selector: (!selector.is_empty()).then(|| labels(selector)),
            affinity: terms
                .map(|terms| required_affinity(terms.into_iter().map(|(e, f)| term(e, f)).collect())),
            ..Default::default()
        }
    }

    /// Every case gives the same answer here as the words of `node_affinity` (no words = matches),
    /// on every node of a small set.
    #[test]
    fn matches_as_node_affinity_words_do() {
        let nodes = [
            (
                "node-1",
                labels(&[
                    ("zone", "a"),
                    ("disk", "ssd"),
                    ("cores", "4"),
                    ("kubernetes.io/os", "linux"),
                ]),
            ),
            (
                "node-2",
                labels(&[("zone", "b"), ("cores", "x"), ("kubernetes.io/os", "windows")]),
            ),
            ("node-3", labels(&[])),
            (
                "node-4",
                labels(&[("zone", ""), ("disk", "hdd"), ("cores", "-2")]),
            ),
        ];
        let cases: Vec<(&str, PodSpec)> = vec![
            ("nothing set", spec(&[], None)),
            (
                "nodeSelector one key",
                spec(&[("kubernetes.io/os", "linux")], None),
            ),
            (
                "nodeSelector two keys",
                spec(&[("kubernetes.io/os", "linux"), ("disk", "ssd")], None),
            ),
            ("nodeSelector empty value", spec(&[("zone", "")], None)),
            ("no terms matches nothing", spec(&[], Some(vec![]))),
            ("empty term", spec(&[], Some(vec![(vec![], vec![])]))),
            (
                "In",
                spec(&[], Some(vec![(vec![req("zone", "In", &["a", "b"])], vec![])])),
            ),
            (
                "NotIn",
                spec(&[], Some(vec![(vec![req("zone", "NotIn", &["a"])], vec![])])),
            ),
            (
                "Exists",
                spec(&[], Some(vec![(vec![req("disk", "Exists", &[])], vec![])])),
            ),
            (
                "DoesNotExist",
                spec(&[], Some(vec![(vec![req("disk", "DoesNotExist", &[])], vec![])])),
            ),
            (
                "Gt",
                spec(&[], Some(vec![(vec![req("cores", "Gt", &["3"])], vec![])])),
            ),
            (
                "Lt",
                spec(&[], Some(vec![(vec![req("cores", "Lt", &["0"])], vec![])])),
            ),
            (
                "Gt bound not an integer",
                spec(&[], Some(vec![(vec![req("cores", "Gt", &["three"])], vec![])])),
            ),
            (
                "Gt two values",
                spec(&[], Some(vec![(vec![req("cores", "Gt", &["1", "2"])], vec![])])),
            ),
            (
                "unknown operator",
                spec(&[], Some(vec![(vec![req("zone", "Matches", &["a"])], vec![])])),
            ),
            (
                "expressions ANDed",
                spec(
                    &[],
                    Some(vec![(
                        vec![req("zone", "In", &["a"]), req("disk", "In", &["hdd"])],
                        vec![],
                    )]),
                ),
            ),
            (
                "terms ORed",
                spec(
                    &[],
                    Some(vec![
                        (vec![req("zone", "In", &["b"])], vec![]),
                        (vec![req("disk", "Exists", &[])], vec![]),
                    ]),
                ),
            ),
            (
                "matchFields In",
                spec(
                    &[],
                    Some(vec![(vec![], vec![req("metadata.name", "In", &["node-2"])])]),
                ),
            ),
            (
                "matchFields NotIn",
                spec(
                    &[],
                    Some(vec![(vec![], vec![req("metadata.name", "NotIn", &["node-2"])])]),
                ),
            ),
            (
                "matchFields two values",
                spec(
                    &[],
                    Some(vec![(
                        vec![],
                        vec![req("metadata.name", "In", &["node-1", "node-2"])],
                    )]),
                ),
            ),
            (
                "matchFields other key",
                spec(
                    &[],
                    Some(vec![(vec![], vec![req("metadata.uid", "In", &["node-1"])])]),
                ),
            ),
            (
                "matchFields AND expressions",
                spec(
                    &[],
                    Some(vec![(
                        vec![req("zone", "In", &["a"])],
                        vec![req("metadata.name", "In", &["node-1"])],
                    )]),
                ),
            ),
            (
                "selector AND affinity, same key",
                spec(
                    &[("zone", "a")],
                    Some(vec![(vec![req("zone", "NotIn", &["a"])], vec![])]),
                ),
            ),
        ];
        // The same nodes as a snapshot, for the word-number path.
        let as_nodes: Vec<_> = nodes
            .iter()
            .map(|(n, l)| {
                let pairs: Vec<(&str, &str)> = l.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                crate::testutil::node(n, &pairs, vec![])
            })
            .collect();
        let snapshot = crate::scheduler::node_info::NodeSnapshot::of(&as_nodes);
        for (name, spec) in &cases {
            let compiled = RequiredNodeAffinity::new(spec);
            let wanted = compiled.wanted_words(snapshot.words()).expect("few keys");
            for (i, (node, l)) in nodes.iter().enumerate() {
                let got = compiled.matches(node, l);
                assert_eq!(
                    compiled.matches_words(node, snapshot.labels(i), snapshot.words(), &wanted),
                    got,
                    "{name} on {node}: snapshot"
                );
                let want_sel = node_selector_mismatch(spec.node_selector.as_ref(), l).is_none();
                // Terms ORed, as the words see them: some term without a reason to fail.
                let want_aff = required_terms(spec.affinity.as_ref())
                    .is_none_or(|terms| terms.iter().any(|t| term_mismatch(t, node, l).is_none()));
                assert_eq!(got.node_selector, want_sel, "{name} on {node}: nodeSelector");
                assert_eq!(got.required_affinity, want_aff, "{name} on {node}: affinity");
                assert_eq!(
                    compiled.matches_interpreted(node, l),
                    got,
                    "{name} on {node}: fallback"
                );
            }
        }
    }

    #[test]
    fn keys_whose_lengths_share_a_bucket_are_told_apart() {
        let short = "k2";
        let long = format!("k{}", "x".repeat(33)); // 34 bytes: the same bucket as 2 bytes
        let wanted = [(short, "a"), (long.as_str(), "b")];
        let compiled = RequiredNodeAffinity::new(&spec(&wanted, None));
        let cases = [
            (
                "both keys with their values",
                vec![(short, "a"), (long.as_str(), "b")],
                true,
            ),
            ("values swapped", vec![(short, "b"), (long.as_str(), "a")], false),
            ("only the long key", vec![(long.as_str(), "b")], false),
            ("only the short key", vec![(short, "a")], false),
        ];
        for (name, node_labels, want) in cases {
            let got = compiled.matches("n", &labels(&node_labels)).node_selector;
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn more_keys_than_one_pass_keeps_falls_back() {
        let keys: Vec<(String, String)> = (0..MAX_KEYS + 3)
            .map(|i| (format!("k{i}"), "v".to_string()))
            .collect();
        let pairs: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let s = spec(&pairs, None);
        let compiled = RequiredNodeAffinity::new(&s);
        assert!(compiled.matches("n", &labels(&pairs)).both());
        assert!(!compiled.matches("n", &labels(&pairs[1..])).node_selector);
    }
}
