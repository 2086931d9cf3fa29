//! `spec.nodeSelector` and required node affinity, matched against a node (semantics §4): the
//! NodeAffinity filter plugin's one matcher, which answers yes or no for many nodes and gives the
//! words for a node that does not match.
//!
//! Source: `staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`
//! (`GetRequiredNodeAffinity`, `RequiredNodeAffinity.Match`, `nodeSelectorRequirementsAsSelector`,
//! `nodeSelectorRequirementsAsFieldSelector`). nodeSelector AND affinity; terms ORed; inside a term,
//! expressions and fields ANDed; an empty term matches nothing; a term that fails to parse matches
//! nothing and the others are still tried.
//!
//! Kubernetes parses the pod's selectors once (`GetRequiredNodeAffinity`) and the plugin's
//! PreFilter keeps the result for every node it filters; so does [`RequiredNodeAffinity`]. A node
//! is matched in two moves: its value of each label key the selectors read is looked up (from its
//! label map, or from a node snapshot's word numbers), then [`RequiredNodeAffinity::answer`]
//! decides on those values. The words for a node that fails are written from the same decisions
//! (`explain_*`), so the answer and its explanation cannot disagree.

use crate::scheduler::snapshot_words::Words;
use k8s_openapi::api::core::v1::{Affinity, NodeSelectorRequirement, NodeSelectorTerm, PodSpec};
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

/// A node's labels, looked up by key: its label map, or the node's entry in a snapshot.
pub trait NodeLabels {
    fn label(&self, key: &str) -> Option<&str>;
}

impl NodeLabels for Labels {
    fn label(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

/// A node's labels without copying them.
pub fn labels_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &Labels {
    static EMPTY: Labels = BTreeMap::new();
    meta.labels.as_ref().unwrap_or(&EMPTY)
}

/// The user's required node affinity terms, if any.
pub fn required_terms(affinity: Option<&Affinity>) -> Option<&[NodeSelectorTerm]> {
    affinity?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()
        .map(|r| r.node_selector_terms.as_slice())
}

/// The most label keys a node's labels are matched against in one pass over them; a pod whose
/// selectors read more keys has them looked up one by one.
const MAX_KEYS: usize = 16;

/// What one `matchExpressions` requirement tests, parsed (`nodeSelectorRequirementsAsSelector`).
#[derive(Debug, Clone)]
enum Test {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    Gt(i64),
    Lt(i64),
    /// A requirement Kubernetes cannot parse (unknown operator, Gt/Lt without exactly one integer
    /// value): its term matches no node.
    Never,
}

/// One `matchExpressions` requirement: the label key it reads (an index into
/// `RequiredNodeAffinity::keys`), its test, and the requirement as written (for its words).
#[derive(Debug, Clone)]
struct Expression {
    key: usize,
    test: Test,
    written: NodeSelectorRequirement,
}

/// What one `matchFields` requirement tests (`nodeSelectorRequirementsAsFieldSelector`): only
/// `metadata.name` with In/NotIn and exactly one value is valid.
#[derive(Debug, Clone)]
enum FieldTest {
    NameIn(String),
    NameNotIn(String),
    Never,
}

#[derive(Debug, Clone)]
struct Field {
    test: FieldTest,
    written: NodeSelectorRequirement,
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

/// `RequiredNodeAffinity::keys` as words of one node snapshot: (word, key index).
#[derive(Debug, Clone)]
pub struct WantedWords {
    keys: Vec<(u32, usize)>,
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
                        .map(|r| Expression {
                            key: key_index(&r.key),
                            test: test(r),
                            written: r.clone(),
                        })
                        .collect(),
                    fields: t
                        .match_fields
                        .iter()
                        .flatten()
                        .map(|r| Field {
                            test: field_test(r),
                            written: r.clone(),
                        })
                        .collect(),
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
            return self.answer(node_name, &self.looked_up(labels));
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

    /// The node's value of each wanted key, looked up one by one.
    fn looked_up<'l, L: NodeLabels + ?Sized>(&self, labels: &'l L) -> Vec<Option<&'l str>> {
        self.keys.iter().map(|k| labels.label(k)).collect()
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

    /// The matcher: the answers, given the node's value of each wanted key (`got[i]` for
    /// `keys[i]`).
    fn answer(&self, node_name: &str, got: &[Option<&str>]) -> AffinityMatch {
        AffinityMatch {
            node_selector: self.selector.iter().all(|(i, v)| got[*i] == Some(v)),
            required_affinity: match &self.terms {
                None => true,
                Some(terms) => terms.iter().any(|t| t.matches(node_name, got)),
            },
        }
    }

    /// Why the nodeSelector does not match (every entry the node lacks, `; `-separated),
    /// appended to `out`; false (and nothing written) when it matches.
    pub fn explain_node_selector<L: NodeLabels + ?Sized>(&self, out: &mut String, labels: &L) -> bool {
        let mut first = true;
        for (i, want) in &self.selector {
            let key = self.keys[*i].as_str();
            let have = labels.label(key);
            if have == Some(want.as_str()) {
                continue;
            }
            if !first {
                out.push_str("; ");
            }
            first = false;
            push_all(out, &["nodeSelector ", key, "=", want, " but the node has "]);
            match have {
                Some(have) => push_all(out, &[key, "=", have]),
                None => push_all(out, &["no label ", key]),
            }
        }
        !first
    }

    /// Why no required term matches the node, term by term (the first requirement that fails in
    /// each), appended to `out`. For a node that matches, nothing is written.
    pub fn explain_required_affinity<L: NodeLabels + ?Sized>(
        &self,
        out: &mut String,
        node_name: &str,
        labels: &L,
    ) {
        let Some(terms) = &self.terms else { return };
        let got = self.looked_up(labels);
        if terms.iter().any(|t| t.matches(node_name, &got)) {
            return;
        }
        if terms.is_empty() {
            out.push_str("no nodeSelectorTerms (matches no node)");
        }
        for (i, term) in terms.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            if terms.len() > 1 {
                out.push_str("term ");
                out.push_str(&(i + 1).to_string());
                out.push_str(": ");
            }
            term.explain(out, node_name, &got);
        }
    }
}

/// Why the nodeSelector does not match, or None when every entry is on the node.
pub fn node_selector_mismatch<L: NodeLabels + ?Sized>(
    selector: Option<&Labels>,
    labels: &L,
) -> Option<String> {
    let mut why = String::new();
    RequiredNodeAffinity::from_parts(selector, None)
        .explain_node_selector(&mut why, labels)
        .then_some(why)
}

/// Why the required node affinity does not match, or None when some term matches (or none is set).
pub fn required_affinity_mismatch<L: NodeLabels + ?Sized>(
    affinity: Option<&Affinity>,
    node_name: &str,
    labels: &L,
) -> Option<String> {
    let mut why = String::new();
    RequiredNodeAffinity::from_parts(None, affinity).explain_required_affinity(&mut why, node_name, labels);
    (!why.is_empty()).then_some(why)
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

fn test(r: &NodeSelectorRequirement) -> Test {
    let values = r.values.clone().unwrap_or_default();
    let bound = || match values.as_slice() {
        [v] => v.parse::<i64>().ok(),
        _ => None,
    };
    match r.operator.as_str() {
        "In" => Test::In(values),
        "NotIn" => Test::NotIn(values),
        "Exists" => Test::Exists,
        "DoesNotExist" => Test::DoesNotExist,
        "Gt" => bound().map_or(Test::Never, Test::Gt),
        "Lt" => bound().map_or(Test::Never, Test::Lt),
        _ => Test::Never,
    }
}

fn field_test(r: &NodeSelectorRequirement) -> FieldTest {
    match (r.key.as_str(), r.operator.as_str(), r.values.as_deref()) {
        ("metadata.name", "In", Some([v])) => FieldTest::NameIn(v.clone()),
        ("metadata.name", "NotIn", Some([v])) => FieldTest::NameNotIn(v.clone()),
        _ => FieldTest::Never,
    }
}

impl Term {
    /// Expressions and fields ANDed; an empty term matches nothing.
    fn matches(&self, node_name: &str, got: &[Option<&str>]) -> bool {
        if self.expressions.is_empty() && self.fields.is_empty() {
            return false;
        }
        self.expressions.iter().all(|e| e.matches(got)) && self.fields.iter().all(|f| f.matches(node_name))
    }

    /// The first requirement of the term that fails, in words (expressions before fields).
    fn explain(&self, out: &mut String, node_name: &str, got: &[Option<&str>]) {
        if self.expressions.is_empty() && self.fields.is_empty() {
            out.push_str("an empty term matches no node");
        } else if let Some(e) = self.expressions.iter().find(|e| !e.matches(got)) {
            e.explain(out, got[e.key]);
        } else if let Some(f) = self.fields.iter().find(|f| !f.matches(node_name)) {
            f.explain(out, node_name);
        }
    }
}

impl Expression {
    fn matches(&self, got: &[Option<&str>]) -> bool {
        let value = got[self.key];
        let int = || value.and_then(|v| v.parse::<i64>().ok());
        match &self.test {
            Test::In(values) => value.is_some_and(|v| values.iter().any(|w| w == v)),
            Test::NotIn(values) => value.is_none_or(|v| !values.iter().any(|w| w == v)),
            Test::Exists => value.is_some(),
            Test::DoesNotExist => value.is_none(),
            Test::Gt(b) => int().is_some_and(|n| n > *b),
            Test::Lt(b) => int().is_some_and(|n| n < *b),
            Test::Never => false,
        }
    }

    /// The words for this requirement failing on a node whose value of its key is `value`.
    fn explain(&self, out: &mut String, value: Option<&str>) {
        let r = &self.written;
        let (k, op) = (r.key.as_str(), r.operator.as_str());
        let values = r.values.as_deref().unwrap_or_default();
        match (&self.test, op) {
            (Test::Never, "Gt" | "Lt") => match values {
                [bound] => out.push_str(&format!(
                    "{k} {op} {bound:?}: the value is not an integer, so Kubernetes cannot parse this term and it matches no node (the API server accepts it)"
                )),
                _ => push_all(out, &[k, " ", op, " needs exactly one value: the term matches no node"]),
            },
            (Test::Never, _) => push_all(out, &["unknown operator ", op, ": the term matches no node"]),
            (Test::Gt(bound) | Test::Lt(bound), _) if value.is_some_and(|v| v.parse::<i64>().is_err()) => {
                push_all(out, &[k, " ", op, " ", &bound.to_string(), ": "]);
                node_has(out, k, value);
                out.push_str(" is not an integer");
            }
            _ => {
                push_all(out, &[k, " ", op, " ["]);
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(v);
                }
                out.push_str("]: ");
                node_has(out, k, value);
            }
        }
    }
}

impl Field {
    fn matches(&self, node_name: &str) -> bool {
        match &self.test {
            FieldTest::NameIn(v) => v == node_name,
            FieldTest::NameNotIn(v) => v != node_name,
            FieldTest::Never => false,
        }
    }

    /// The words for this requirement failing on node `node_name`.
    fn explain(&self, out: &mut String, node_name: &str) {
        let r = &self.written;
        let values = r.values.as_deref().unwrap_or_default();
        if r.key != "metadata.name" {
            push_all(
                out,
                &[
                    "matchFields key ",
                    &r.key,
                    " is not supported (only metadata.name)",
                ],
            );
        } else if values.len() != 1 {
            out.push_str("matchFields metadata.name needs exactly one value");
        } else if !matches!(r.operator.as_str(), "In" | "NotIn") {
            push_all(
                out,
                &[
                    "matchFields operator ",
                    &r.operator,
                    " is not supported (only In, NotIn)",
                ],
            );
        } else {
            push_all(
                out,
                &[
                    "metadata.name ",
                    &r.operator,
                    " [",
                    &values[0],
                    "]: the node is ",
                    node_name,
                ],
            );
        }
    }
}

/// "the node has k=v" or "the node has no label k".
fn node_has(out: &mut String, k: &str, value: Option<&str>) {
    match value {
        Some(v) => push_all(out, &["the node has ", k, "=", v]),
        None => push_all(out, &["the node has no label ", k]),
    }
}

fn push_all(out: &mut String, parts: &[&str]) {
    for p in parts {
        out.push_str(p);
    }
}

/// A Gt/Lt value that is not an integer: accepted by the API server, but it silently disables the
/// term. Returned as warnings (field path, message) so tools can point at it.
pub fn unparsable_terms(affinity: Option<&Affinity>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, term) in required_terms(affinity).unwrap_or_default().iter().enumerate() {
        for (j, r) in term.match_expressions.iter().flatten().enumerate() {
            if matches!(r.operator.as_str(), "Gt" | "Lt") {
                if let [v] = r.values.as_deref().unwrap_or_default() {
                    if v.parse::<i64>().is_err() {
                        out.push((
                            format!("spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{i}].matchExpressions[{j}].values[0]"),
                            format!("{v:?} is not an integer: the API server accepts it, but Kubernetes cannot parse the term, so it matches no node"),
                        ));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
