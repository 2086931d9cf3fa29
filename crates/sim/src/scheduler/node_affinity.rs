//! `spec.nodeSelector` and required node affinity, matched against a node (semantics §4).
//!
//! Source: `staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`
//! (`GetRequiredNodeAffinity`, `RequiredNodeAffinity.Match`, `nodeSelectorRequirementsAsSelector`,
//! `nodeSelectorRequirementsAsFieldSelector`). nodeSelector AND affinity; terms ORed; inside a term,
//! expressions and fields ANDed; an empty term matches nothing; a term that fails to parse matches
//! nothing and the others are still tried.

use crate::scheduler::required_node_affinity::RequiredNodeAffinity;
use k8s_openapi::api::core::v1::{Affinity, NodeSelectorRequirement, NodeSelectorTerm};
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

/// Why the nodeSelector does not match, or None when every entry is on the node.
pub fn node_selector_mismatch<L: NodeLabels + ?Sized>(
    selector: Option<&Labels>,
    labels: &L,
) -> Option<String> {
    let mut why = String::new();
    node_selector_mismatch_into(&mut why, selector, labels).then_some(why)
}

/// `node_selector_mismatch` appended to `out`; false (and nothing written) when it matches.
/// One buffer for the whole message: on a large cluster, thousands of nodes need these words.
pub fn node_selector_mismatch_into<L: NodeLabels + ?Sized>(
    out: &mut String,
    selector: Option<&Labels>,
    labels: &L,
) -> bool {
    let Some(selector) = selector else {
        return false;
    };
    let mut first = true;
    for (k, v) in selector {
        let have = labels.label(k);
        if have == Some(v.as_str()) {
            continue;
        }
        if !first {
            out.push_str("; ");
        }
        first = false;
        push_all(out, &["nodeSelector ", k, "=", v, " but the node has "]);
        match have {
            Some(have) => push_all(out, &[k, "=", have]),
            None => push_all(out, &["no label ", k]),
        }
    }
    !first
}

fn push_all(out: &mut String, parts: &[&str]) {
    for p in parts {
        out.push_str(p);
    }
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

/// Why the required node affinity does not match, or None when some term matches (or none is set).
pub fn required_affinity_mismatch(
    affinity: Option<&Affinity>,
    node_name: &str,
    labels: &Labels,
) -> Option<String> {
    let parsed = RequiredNodeAffinity::from_parts(None, affinity);
    if parsed.matches(node_name, labels).required_affinity {
        return None;
    }
    let mut why = String::new();
    explain_required_affinity(&mut why, affinity, node_name, labels);
    Some(why)
}

/// The words for a node known to match none of the required terms (the caller matched it with
/// `RequiredNodeAffinity`): why each term fails.
pub fn explain_required_affinity<L: NodeLabels + ?Sized>(
    out: &mut String,
    affinity: Option<&Affinity>,
    node_name: &str,
    labels: &L,
) {
    explain_terms(
        out,
        required_terms(affinity).unwrap_or_default(),
        node_name,
        labels,
    );
}

fn explain_terms<L: NodeLabels + ?Sized>(
    out: &mut String,
    terms: &[NodeSelectorTerm],
    node_name: &str,
    labels: &L,
) {
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
        term_mismatch_into(out, term, node_name, labels);
    }
}

/// Why one term does not match the node, or None when it does.
pub fn term_mismatch(term: &NodeSelectorTerm, node_name: &str, labels: &Labels) -> Option<String> {
    let mut why = String::new();
    term_mismatch_into(&mut why, term, node_name, labels).then_some(why)
}

/// The first reason one term fails, appended to `out`; false (nothing written) when it matches.
fn term_mismatch_into<L: NodeLabels + ?Sized>(
    out: &mut String,
    term: &NodeSelectorTerm,
    node_name: &str,
    labels: &L,
) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        out.push_str("an empty term matches no node");
        return true;
    }
    exprs.iter().any(|r| expression_mismatch_into(out, r, labels))
        || fields.iter().any(|r| field_mismatch_into(out, r, node_name))
}

/// Why a `matchExpressions` requirement fails on these labels (or cannot be parsed), or None.
pub fn expression_mismatch(r: &NodeSelectorRequirement, labels: &Labels) -> Option<String> {
    let mut why = String::new();
    expression_mismatch_into(&mut why, r, labels).then_some(why)
}

fn expression_mismatch_into<L: NodeLabels + ?Sized>(
    out: &mut String,
    r: &NodeSelectorRequirement,
    labels: &L,
) -> bool {
    let values = r.values.as_deref().unwrap_or_default();
    let got = labels.label(&r.key);
    let k = r.key.as_str();
    let op = r.operator.as_str();
    let have = |out: &mut String| match got {
        Some(v) => push_all(out, &["the node has ", k, "=", v]),
        None => push_all(out, &["the node has no label ", k]),
    };
    let ok = match op {
        "In" => got.is_some_and(|v| values.iter().any(|w| w == v)),
        "NotIn" => got.is_none_or(|v| !values.iter().any(|w| w == v)),
        "Exists" => got.is_some(),
        "DoesNotExist" => got.is_none(),
        "Gt" | "Lt" => {
            let [bound] = values else {
                push_all(
                    out,
                    &[k, " ", op, " needs exactly one value: the term matches no node"],
                );
                return true;
            };
            let Ok(bound) = bound.parse::<i64>() else {
                out.push_str(&format!(
                    "{k} {op} {bound:?}: the value is not an integer, so Kubernetes cannot parse this term and it matches no node (the API server accepts it)"
                ));
                return true;
            };
            match got.map(|v| v.parse::<i64>()) {
                Some(Ok(n)) => {
                    if op == "Gt" {
                        n > bound
                    } else {
                        n < bound
                    }
                }
                Some(Err(_)) => {
                    push_all(out, &[k, " ", op, " ", &bound.to_string(), ": "]);
                    have(out);
                    out.push_str(" is not an integer");
                    return true;
                }
                None => false,
            }
        }
        _ => {
            push_all(out, &["unknown operator ", op, ": the term matches no node"]);
            return true;
        }
    };
    if !ok {
        push_all(out, &[k, " ", op, " ["]);
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(v);
        }
        out.push_str("]: ");
        have(out);
    }
    !ok
}

/// Why a `matchFields` requirement fails for this node name, or None. Only `metadata.name` with
/// In/NotIn and one value is valid; anything else makes the term match nothing.
pub fn field_mismatch(r: &NodeSelectorRequirement, node_name: &str) -> Option<String> {
    let mut why = String::new();
    field_mismatch_into(&mut why, r, node_name).then_some(why)
}

fn field_mismatch_into(out: &mut String, r: &NodeSelectorRequirement, node_name: &str) -> bool {
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
        return true;
    }
    let [v] = values else {
        out.push_str("matchFields metadata.name needs exactly one value");
        return true;
    };
    let ok = match r.operator.as_str() {
        "In" => v == node_name,
        "NotIn" => v != node_name,
        op => {
            push_all(
                out,
                &["matchFields operator ", op, " is not supported (only In, NotIn)"],
            );
            return true;
        }
    };
    if !ok {
        push_all(
            out,
            &[
                "metadata.name ",
                &r.operator,
                " [",
                v,
                "]: the node is ",
                node_name,
            ],
        );
    }
    !ok
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
mod tests {
    use super::*;
    use crate::testutil::{map as labels, required_affinity as affinity, requirement as req, term};

    /// Operators as in `TestNodeSelectorRequirementsAsSelector` / labels.Requirement.Matches.
    #[test]
    fn match_expressions_operators() {
        let node = labels(&[
            ("zone", "a"),
            ("gpu-count", "4"),
            ("bad-int", "4.0"),
            ("empty", ""),
        ]);
        let cases = [
            ("In: value listed", req("zone", "In", &["a", "b"]), true),
            ("In: value not listed", req("zone", "In", &["b"]), false),
            ("In: label absent", req("rack", "In", &["1"]), false),
            ("NotIn: value not listed", req("zone", "NotIn", &["b"]), true),
            ("NotIn: value listed", req("zone", "NotIn", &["a"]), false),
            ("NotIn: label absent matches", req("rack", "NotIn", &["1"]), true),
            ("Exists: present", req("zone", "Exists", &[]), true),
            (
                "Exists: empty value still exists",
                req("empty", "Exists", &[]),
                true,
            ),
            ("Exists: absent", req("rack", "Exists", &[]), false),
            ("DoesNotExist: absent", req("rack", "DoesNotExist", &[]), true),
            ("DoesNotExist: present", req("zone", "DoesNotExist", &[]), false),
            ("Gt: greater", req("gpu-count", "Gt", &["3"]), true),
            ("Gt: equal is not greater", req("gpu-count", "Gt", &["4"]), false),
            ("Lt: smaller", req("gpu-count", "Lt", &["08"]), true),
            ("Lt: negative bound", req("gpu-count", "Lt", &["-3"]), false),
            (
                "Gt: node label not an integer",
                req("bad-int", "Gt", &["1"]),
                false,
            ),
            ("Gt: label absent", req("rack", "Gt", &["1"]), false),
            (
                "Gt: bound not an integer matches nothing",
                req("gpu-count", "Gt", &["abc"]),
                false,
            ),
        ];
        for (name, r, want) in cases {
            assert_eq!(expression_mismatch(&r, &node).is_none(), want, "{name}");
        }
    }

    #[test]
    fn terms_are_ored_and_requirements_anded() {
        let node = labels(&[("zone", "a"), ("disk", "ssd")]);
        let cases = [
            (
                "one term, both expressions hold",
                vec![term(
                    vec![req("zone", "In", &["a"]), req("disk", "In", &["ssd"])],
                    vec![],
                )],
                true,
            ),
            (
                "one term, one expression fails: AND",
                vec![term(
                    vec![req("zone", "In", &["a"]), req("disk", "In", &["hdd"])],
                    vec![],
                )],
                false,
            ),
            (
                "second term matches: OR",
                vec![
                    term(vec![req("zone", "In", &["b"])], vec![]),
                    term(vec![req("disk", "Exists", &[])], vec![]),
                ],
                true,
            ),
            ("empty term matches nothing", vec![term(vec![], vec![])], false),
            (
                "empty term skipped, next matches",
                vec![
                    term(vec![], vec![]),
                    term(vec![req("zone", "Exists", &[])], vec![]),
                ],
                true,
            ),
            (
                "unparsable term skipped, next matches",
                vec![
                    term(vec![req("zone", "Gt", &["x"])], vec![]),
                    term(vec![req("zone", "Exists", &[])], vec![]),
                ],
                true,
            ),
            (
                "matchFields In this node",
                vec![term(vec![], vec![req("metadata.name", "In", &["node-1"])])],
                true,
            ),
            (
                "matchFields In another node",
                vec![term(vec![], vec![req("metadata.name", "In", &["node-2"])])],
                false,
            ),
            (
                "matchFields NotIn another node",
                vec![term(vec![], vec![req("metadata.name", "NotIn", &["node-2"])])],
                true,
            ),
            (
                "matchFields with two values matches nothing",
                vec![term(
                    vec![],
                    vec![req("metadata.name", "In", &["node-1", "node-2"])],
                )],
                false,
            ),
            (
                "matchFields AND expressions",
                vec![term(
                    vec![req("zone", "In", &["b"])],
                    vec![req("metadata.name", "In", &["node-1"])],
                )],
                false,
            ),
        ];
        for (name, terms, want) in cases {
            let a = affinity(terms);
            assert_eq!(
                required_affinity_mismatch(Some(&a), "node-1", &node).is_none(),
                want,
                "{name}"
            );
        }
        assert!(
            required_affinity_mismatch(None, "node-1", &node).is_none(),
            "no affinity: no constraint"
        );
    }

    #[test]
    fn node_selector_is_anded_with_exact_values() {
        let node = labels(&[("kubernetes.io/os", "linux"), ("disktype", "hdd")]);
        let sel = labels(&[("kubernetes.io/os", "linux")]);
        assert!(node_selector_mismatch(Some(&sel), &node).is_none());
        let sel = labels(&[("kubernetes.io/os", "linux"), ("disktype", "ssd")]);
        let why = node_selector_mismatch(Some(&sel), &node).unwrap();
        assert_eq!(why, "nodeSelector disktype=ssd but the node has disktype=hdd");
        let sel = labels(&[("region", "us-west")]);
        assert_eq!(
            node_selector_mismatch(Some(&sel), &node).unwrap(),
            "nodeSelector region=us-west but the node has no label region"
        );
        assert!(node_selector_mismatch(None, &node).is_none());
        assert!(node_selector_mismatch(Some(&Labels::new()), &node).is_none());
    }

    #[test]
    fn warns_about_unparsable_gt_values() {
        let a = affinity(vec![term(vec![req("cores", "Gt", &["four"])], vec![])]);
        let w = unparsable_terms(Some(&a));
        assert_eq!(w.len(), 1);
        assert!(w[0]
            .0
            .ends_with("nodeSelectorTerms[0].matchExpressions[0].values[0]"));
        assert!(w[0].1.contains("not an integer"));
    }
}
