//! Where in a document a typed read failed.
//!
//! serde says *what* went wrong ("invalid type: string \"x\", expected i32") but not *where*.
//! `serde_path_to_error` answers by wrapping every visitor of the API types, which put a second
//! copy of their deserialization code in the wasm (39 KB gzip of the app's 900 KB budget, measured
//! with and without it). This module finds the place with the one copy the read already uses:
//! serde reads a mapping's entries and a sequence's items in order and stops at the first error,
//! so the child at fault is the first one whose prefix (the children up to it) fails the same
//! way. A binary search on the prefix length, one level at a time, re-reads the object with the
//! other children cut off; it only runs when a read has already failed. A node that fails the
//! same way with no children at all (a missing required field) is itself the place.

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use super::error::{FieldPath, Seg};

/// Reads a `T` out of `value`; on failure, the error and the field path where it arose.
pub(crate) fn deserialize_with_path<T: DeserializeOwned>(
    value: &Value,
) -> Result<T, (FieldPath, serde_yaml::Error)> {
    match T::deserialize(value) {
        Ok(object) => Ok(object),
        Err(error) => Err((error_path::<T>(value, &error.to_string()), error)),
    }
}

/// The path to the node where reading a `T` out of `value` fails with `message`.
fn error_path<T: DeserializeOwned>(value: &Value, message: &str) -> FieldPath {
    let fails_alike = |probe: &Value| matches!(T::deserialize(probe), Err(e) if e.to_string() == message);
    let mut probe = value.clone();
    // The way down as child positions (to find the node again) and as the path to report.
    let mut positions: Vec<usize> = Vec::new();
    let mut path = FieldPath::root();
    while let Some(full) = node_at(&mut probe, &positions).map(|node| node.clone()) {
        let len = children(&full);
        let mut fails_with_prefix = |n: usize| {
            if let Some(node) = node_at(&mut probe, &positions) {
                *node = prefix(&full, n);
            }
            fails_alike(&probe)
        };
        let culprit = if len == 0 || fails_with_prefix(0) {
            None
        } else {
            first_failing_prefix(len, &mut fails_with_prefix).map(|n| n - 1)
        };
        if let Some(node) = node_at(&mut probe, &positions) {
            *node = full.clone();
        }
        let Some(i) = culprit else { break };
        path.0.push(child_seg(&full, i));
        positions.push(i);
    }
    path
}

/// The smallest `n` in `1..=len` for which `fails(n)` holds, given that it holds for `len` and
/// for every length above the smallest (serde stops at the first bad child).
fn first_failing_prefix(len: usize, fails: &mut impl FnMut(usize) -> bool) -> Option<usize> {
    if !fails(len) {
        return None;
    }
    let (mut lo, mut hi) = (1, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

fn node_at<'v>(root: &'v mut Value, positions: &[usize]) -> Option<&'v mut Value> {
    positions.iter().try_fold(root, |node, &i| match node {
        Value::Mapping(m) => m.iter_mut().nth(i).map(|(_, v)| v),
        Value::Sequence(s) => s.get_mut(i),
        _ => None,
    })
}

fn children(node: &Value) -> usize {
    match node {
        Value::Mapping(m) => m.len(),
        Value::Sequence(s) => s.len(),
        _ => 0,
    }
}

/// The node with only its first `n` children.
fn prefix(node: &Value, n: usize) -> Value {
    match node {
        Value::Mapping(m) => Value::Mapping(
            m.iter()
                .take(n)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Mapping>(),
        ),
        Value::Sequence(s) => Value::Sequence(s.iter().take(n).cloned().collect()),
        other => other.clone(),
    }
}

fn child_seg(node: &Value, i: usize) -> Seg {
    match node {
        Value::Mapping(m) => Seg::Key(m.iter().nth(i).map(|(k, _)| key_text(k)).unwrap_or_default()),
        _ => Seg::Index(i),
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        _ => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DaemonSet;
    use k8s_openapi::api::core::v1::Node;

    use super::*;

    fn path_of<T: DeserializeOwned>(yaml: &str) -> Option<String> {
        let value: Value = serde_yaml::from_str(yaml).expect("test YAML");
        deserialize_with_path::<T>(&value)
            .err()
            .map(|(path, _)| path.to_string())
    }

    const TEMPLATE_HEAD: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n";

    #[test]
    fn the_path_is_where_serde_stops() {
        let cases: &[(&str, String, Option<&str>)] = &[
            ("a good DaemonSet", format!("{TEMPLATE_HEAD}      containers: [{{name: c, image: i}}]\n"), None),
            (
                "a wrong type deep down",
                format!("{TEMPLATE_HEAD}      containers: [{{name: c, image: i, ports: [{{containerPort: eighty}}]}}]\n"),
                Some("spec.template.spec.containers[0].ports[0].containerPort"),
            ),
            (
                "the first of two alike errors, in reading order",
                format!("{TEMPLATE_HEAD}      tolerations: [{{tolerationSeconds: x}}, {{tolerationSeconds: y}}]\n      containers: []\n"),
                Some("spec.template.spec.tolerations[0].tolerationSeconds"),
            ),
            (
                "a bad item after many good ones",
                format!(
                    "{TEMPLATE_HEAD}      containers:\n{}        - {{name: bad, image: i, ports: [{{containerPort: x}}]}}\n",
                    "        - {name: c, image: i}\n".repeat(40)
                ),
                Some("spec.template.spec.containers[40].ports[0].containerPort"),
            ),
            ("a wrong type at the top", "apiVersion: apps/v1\nkind: DaemonSet\nspec: 3\n".to_string(), Some("spec")),
        ];
        for (name, yaml, want) in cases {
            assert_eq!(path_of::<DaemonSet>(yaml).as_deref(), *want, "{name}");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
        port: Option<i32>,
    }

    #[test]
    fn a_missing_required_field_is_the_mapping_s() {
        // (k8s-openapi defaults its required fields, so a type of our own has one.)
        let yaml = "items: [{name: a, port: 1}, {port: 2}, {name: c}]\n";
        assert_eq!(path_of::<Outer>(yaml).as_deref(), Some("items[1]"));
        let yaml = "items: [{name: a, port: 1}, {port: 2, name: b}, {name: c, port: x}]\n";
        assert_eq!(path_of::<Outer>(yaml).as_deref(), Some("items[2].port"));
    }

    #[test]
    fn a_node_path_goes_through_sequences_and_mappings() {
        let yaml = "apiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec:\n  taints:\n    - {key: a, effect: NoSchedule}\n    - {key: b, effect: [x]}\n";
        assert_eq!(path_of::<Node>(yaml).as_deref(), Some("spec.taints[1].effect"));
    }
}
