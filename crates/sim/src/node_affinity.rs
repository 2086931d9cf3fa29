//! `spec.nodeSelector` and required node affinity, matched against a node (semantics §4).
//!
//! Source: `staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`
//! (`GetRequiredNodeAffinity`, `RequiredNodeAffinity.Match`, `nodeSelectorRequirementsAsSelector`,
//! `nodeSelectorRequirementsAsFieldSelector`). nodeSelector AND affinity; terms ORed; inside a term,
//! expressions and fields ANDed; an empty term matches nothing; a term that fails to parse matches
//! nothing and the others are still tried.

use k8s_openapi::api::core::v1::{Affinity, NodeSelectorRequirement, NodeSelectorTerm};
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

/// A node's labels without copying them.
pub fn labels_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &Labels {
    static EMPTY: Labels = BTreeMap::new();
    meta.labels.as_ref().unwrap_or(&EMPTY)
}

/// Why the nodeSelector does not match, or None when every entry is on the node.
pub fn node_selector_mismatch(selector: Option<&Labels>, labels: &Labels) -> Option<String> {
    let selector = selector?;
    // Fast path: on most nodes every entry matches, and no words need building.
    if selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        return None;
    }
    let missing: Vec<String> = selector
        .iter()
        .filter(|(k, v)| labels.get(*k) != Some(v))
        .map(|(k, v)| match labels.get(k) {
            Some(have) => format!("nodeSelector {k}={v} but the node has {k}={have}"),
            None => format!("nodeSelector {k}={v} but the node has no label {k}"),
        })
        .collect();
    (!missing.is_empty()).then(|| missing.join("; "))
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
    let terms = required_terms(affinity)?;
    // Fast path: most nodes match some term; words are only built for a node that matches none.
    if terms.iter().any(|t| term_matches(t, node_name, labels)) {
        return None;
    }
    let mut why = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        match term_mismatch(term, node_name, labels) {
            None => return None,
            Some(w) => why.push(if terms.len() > 1 {
                format!("term {}: {w}", i + 1)
            } else {
                w
            }),
        }
    }
    if terms.is_empty() {
        why.push("no nodeSelectorTerms (matches no node)".into());
    }
    Some(why.join("; "))
}

/// Does one term match the node? (The same rules as `term_mismatch`, without the words.)
pub fn term_matches(term: &NodeSelectorTerm, node_name: &str, labels: &Labels) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs.iter().all(|r| expression_matches(r, labels))
        && fields.iter().all(|r| field_mismatch(r, node_name).is_none())
}

/// Does a `matchExpressions` requirement hold? (A requirement that cannot be parsed does not.)
pub fn expression_matches(r: &NodeSelectorRequirement, labels: &Labels) -> bool {
    let values = r.values.as_deref().unwrap_or_default();
    let got = labels.get(&r.key);
    match r.operator.as_str() {
        "In" => got.is_some_and(|v| values.contains(v)),
        "NotIn" => got.is_none_or(|v| !values.contains(v)),
        "Exists" => got.is_some(),
        "DoesNotExist" => got.is_none(),
        op @ ("Gt" | "Lt") => match (values, got.map(|v| v.parse::<i64>())) {
            ([bound], Some(Ok(n))) => match bound.parse::<i64>() {
                Ok(b) => {
                    if op == "Gt" {
                        n > b
                    } else {
                        n < b
                    }
                }
                Err(_) => false,
            },
            _ => false,
        },
        _ => false,
    }
}

/// Why one term does not match the node, or None when it does.
pub fn term_mismatch(term: &NodeSelectorTerm, node_name: &str, labels: &Labels) -> Option<String> {
    let exprs = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return Some("an empty term matches no node".into());
    }
    for r in exprs {
        if let Some(w) = expression_mismatch(r, labels) {
            return Some(w);
        }
    }
    for r in fields {
        if let Some(w) = field_mismatch(r, node_name) {
            return Some(w);
        }
    }
    None
}

fn values_text(r: &NodeSelectorRequirement) -> String {
    r.values.as_deref().unwrap_or_default().join(", ")
}

/// Why a `matchExpressions` requirement fails on these labels (or cannot be parsed), or None.
pub fn expression_mismatch(r: &NodeSelectorRequirement, labels: &Labels) -> Option<String> {
    let values = r.values.as_deref().unwrap_or_default();
    let got = labels.get(&r.key);
    let k = &r.key;
    let have = || match got {
        Some(v) => format!("the node has {k}={v}"),
        None => format!("the node has no label {k}"),
    };
    let ok = match r.operator.as_str() {
        "In" => got.is_some_and(|v| values.contains(v)),
        "NotIn" => got.is_none_or(|v| !values.contains(v)),
        "Exists" => got.is_some(),
        "DoesNotExist" => got.is_none(),
        op @ ("Gt" | "Lt") => {
            let [bound] = values else {
                return Some(format!(
                    "{k} {op} needs exactly one value: the term matches no node"
                ));
            };
            let Ok(bound) = bound.parse::<i64>() else {
                return Some(format!(
                    "{k} {op} {bound:?}: the value is not an integer, so Kubernetes cannot parse this term and it matches no node (the API server accepts it)"
                ));
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
                    return Some(format!("{k} {op} {bound}: {} is not an integer", have()));
                }
                None => false,
            }
        }
        op => return Some(format!("unknown operator {op}: the term matches no node")),
    };
    (!ok).then(|| format!("{k} {} [{}]: {}", r.operator, values_text(r), have()))
}

/// Why a `matchFields` requirement fails for this node name, or None. Only `metadata.name` with
/// In/NotIn and one value is valid; anything else makes the term match nothing.
pub fn field_mismatch(r: &NodeSelectorRequirement, node_name: &str) -> Option<String> {
    let values = r.values.as_deref().unwrap_or_default();
    if r.key != "metadata.name" {
        return Some(format!(
            "matchFields key {} is not supported (only metadata.name)",
            r.key
        ));
    }
    let [v] = values else {
        return Some("matchFields metadata.name needs exactly one value".into());
    };
    let ok = match r.operator.as_str() {
        "In" => v == node_name,
        "NotIn" => v != node_name,
        op => {
            return Some(format!(
                "matchFields operator {op} is not supported (only In, NotIn)"
            ))
        }
    };
    (!ok).then(|| format!("metadata.name {} [{v}]: the node is {node_name}", r.operator))
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
    use k8s_openapi::api::core::v1::{NodeAffinity, NodeSelector};

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
    fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: (!values.is_empty()).then(|| values.iter().map(|s| s.to_string()).collect()),
        }
    }
    fn term(exprs: Vec<NodeSelectorRequirement>, fields: Vec<NodeSelectorRequirement>) -> NodeSelectorTerm {
        NodeSelectorTerm {
            match_expressions: (!exprs.is_empty()).then_some(exprs),
            match_fields: (!fields.is_empty()).then_some(fields),
        }
    }
    fn affinity(terms: Vec<NodeSelectorTerm>) -> Affinity {
        Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: terms,
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

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
