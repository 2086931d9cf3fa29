//! Label names, label values and label selectors (`metav1.LabelSelector`), as the API server
//! validates them and as controllers match them.
//!
//! Sources: `staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go`
//! (`IsQualifiedName`, `IsValidLabelValue`), `staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go`
//! (`LabelSelectorAsSelector`) and `pkg/labels/selector.go`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A DNS-1123 subdomain: lowercase alphanumerics, '-' and '.', at most 253 characters.
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// Why `key` is not a valid label key (`[prefix/]name`), or None when it is.
pub fn label_key_error(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if !is_dns_subdomain(p) {
            return Some(format!(
                "found {key:?}; expected the prefix before '/' to be a DNS subdomain (lowercase, digits, '-', '.')"
            ));
        }
    }
    if !is_name_part(name) {
        return Some(format!(
            "found {key:?}; expected a label key: [prefix/]name, the name at most 63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit"
        ));
    }
    None
}

/// Why `value` is not a valid label value, or None.
pub fn label_value_error(value: &str) -> Option<String> {
    if value.is_empty() || is_name_part(value) {
        None
    } else {
        Some(format!(
            "found {value:?}; expected a label value: empty, or at most 63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit"
        ))
    }
}

/// Does a label selector select these labels? matchLabels and every matchExpression must hold.
/// An empty selector selects everything (callers that must refuse it check that first).
pub fn selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    if let Some(ml) = &sel.match_labels {
        if !ml.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
    }
    sel.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let got = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => got.is_some_and(|v| values.contains(v)),
            "NotIn" => got.is_none_or(|v| !values.contains(v)),
            "Exists" => got.is_some(),
            "DoesNotExist" => got.is_none(),
            // Validation refuses other operators before we get here.
            _ => false,
        }
    })
}

/// True for `{}` (or nothing): a selector that selects every pod.
pub fn selector_is_empty(sel: &LabelSelector) -> bool {
    sel.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && sel.match_expressions.as_ref().is_none_or(|m| m.is_empty())
}

/// `kubectl get ds` NODE SELECTOR column style: `k=v,k2=v2`, or `<none>`.
pub fn format_map(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        Some(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: Some(values.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn label_keys_and_values() {
        let keys = [
            ("plain", "app", true),
            ("prefixed", "node-role.kubernetes.io/control-plane", true),
            ("uppercase name", "App_1.x", true),
            ("uppercase prefix", "Example.com/app", false),
            ("ends with dash", "app-", false),
            ("empty", "", false),
            ("two slashes", "a/b/c", false),
        ];
        for (name, key, ok) in keys {
            assert_eq!(label_key_error(key).is_none(), ok, "{name}");
        }
        assert!(label_value_error("").is_none());
        assert!(label_value_error("linux").is_none());
        assert!(label_value_error("has space").is_some());
        assert!(label_value_error(&"x".repeat(64)).is_some());
    }

    #[test]
    fn selector_matching() {
        let l = labels(&[("app", "agent"), ("tier", "node")]);
        let cases = [
            (
                "matchLabels equal",
                LabelSelector {
                    match_labels: Some(labels(&[("app", "agent")])),
                    ..Default::default()
                },
                true,
            ),
            (
                "matchLabels differ",
                LabelSelector {
                    match_labels: Some(labels(&[("app", "other")])),
                    ..Default::default()
                },
                false,
            ),
            (
                "In",
                LabelSelector {
                    match_expressions: Some(vec![expr("tier", "In", &["node", "x"])]),
                    ..Default::default()
                },
                true,
            ),
            (
                "NotIn absent key",
                LabelSelector {
                    match_expressions: Some(vec![expr("zone", "NotIn", &["a"])]),
                    ..Default::default()
                },
                true,
            ),
            (
                "Exists",
                LabelSelector {
                    match_expressions: Some(vec![expr("app", "Exists", &[])]),
                    ..Default::default()
                },
                true,
            ),
            (
                "DoesNotExist",
                LabelSelector {
                    match_expressions: Some(vec![expr("app", "DoesNotExist", &[])]),
                    ..Default::default()
                },
                false,
            ),
            (
                "labels AND expressions",
                LabelSelector {
                    match_labels: Some(labels(&[("app", "agent")])),
                    match_expressions: Some(vec![expr("tier", "NotIn", &["node"])]),
                },
                false,
            ),
        ];
        for (name, sel, want) in cases {
            assert_eq!(selector_matches(&sel, &l), want, "{name}");
        }
    }
}
