//! Files as projects publish them and clusters dump them: DaemonSets, Nodes and Pods among
//! Namespaces, RBAC, ConfigMaps and CRDs, in several documents or in a `List` of mixed kinds
//! (`kubectl get ds,nodes,pods -A -o yaml`). The three kinds the lab reads are read and checked;
//! every other kind is counted, so a caller can say in one line what it skipped.

use super::error::{FieldPath, InputError, Problem};
use super::list_items::{self, ItemText};
use super::read::{describe, read_one, ItemOrigin, Kind, Source};
use crate::api::validation;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_yaml::Value;
use std::collections::HashMap;

/// The objects of one input, by kind, in file order.
#[derive(Debug, Clone, Default)]
pub struct Manifests {
    pub daemonsets: Vec<DaemonSet>,
    pub nodes: Vec<Node>,
    pub pods: Vec<Pod>,
    /// Objects of the other kinds.
    pub skipped: Skipped,
}

/// How many objects of each kind were left out, kinds in the order they first appear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Skipped(pub Vec<(String, usize)>);

impl Skipped {
    pub fn add(&mut self, kind: &str, count: usize) {
        if count == 0 {
            return;
        }
        match self.0.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += count,
            None => self.0.push((kind.to_string(), count)),
        }
    }
    pub fn total(&self) -> usize {
        self.0.iter().map(|(_, n)| n).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `1 Namespace, 3 ServiceAccount, 23 CustomResourceDefinition`.
    pub fn listing(&self) -> String {
        let kinds: Vec<String> = self.0.iter().map(|(k, n)| format!("{n} {k}")).collect();
        kinds.join(", ")
    }
    /// `skipped 27 other objects: 1 Namespace, 3 ServiceAccount, 23 CustomResourceDefinition`.
    pub fn note(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let total = self.total();
        let objects = if total == 1 { "object" } else { "objects" };
        Some(format!("skipped {total} other {objects}: {}", self.listing()))
    }
}

impl Manifests {
    /// What this input holds besides `kept`: the other kinds, plus the lab's own kinds that the
    /// caller does not take from this input (a Node in the DaemonSet editor, say).
    pub fn skipped_besides(&self, kept: &[&str]) -> Skipped {
        let mut s = Skipped::default();
        for (kind, n) in [
            ("DaemonSet", self.daemonsets.len()),
            ("Node", self.nodes.len()),
            ("Pod", self.pods.len()),
        ] {
            if !kept.contains(&kind) {
                s.add(kind, n);
            }
        }
        for (kind, n) in &self.skipped.0 {
            s.add(kind, *n);
        }
        s
    }
}

/// The objects read so far, each checked as it is read (so the first error is the first in the
/// text), and the node names seen, for the one check across objects.
#[derive(Default)]
pub(crate) struct Found {
    daemonsets: Vec<DaemonSet>,
    nodes: Vec<Node>,
    pods: Vec<Pod>,
    skipped: Skipped,
    node_names: HashMap<String, usize>,
}

/// Why an item of a List read on its own failed.
pub(crate) enum ItemError {
    /// Not valid YAML on its own: read the whole text instead.
    Syntax,
    /// A located error in a well-formed item.
    Input(InputError),
}

/// The lab's kinds: read, checked by the API's rules, kept.
trait LabKind: Kind + Sized {
    fn check(&self) -> Vec<Problem>;
    fn meta(&mut self) -> &mut ObjectMeta;
    fn keep(self, found: &mut Found, src: &Source, doc: usize, base: &FieldPath) -> Result<(), InputError>;
}

impl LabKind for DaemonSet {
    fn check(&self) -> Vec<Problem> {
        validation::daemonset(self)
    }
    fn meta(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn keep(self, found: &mut Found, _: &Source, _: usize, _: &FieldPath) -> Result<(), InputError> {
        found.daemonsets.push(self);
        Ok(())
    }
}

impl LabKind for Node {
    fn check(&self) -> Vec<Problem> {
        validation::node(self)
    }
    fn meta(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    /// Node names are unique in a real cluster; a second one is a paste mistake.
    fn keep(self, found: &mut Found, src: &Source, doc: usize, base: &FieldPath) -> Result<(), InputError> {
        let name = self.metadata.name.clone().unwrap_or_default();
        if let Some(first) = found.node_names.get(&name) {
            return Err(src.error_at(
                doc,
                &base.key("metadata").key("name"),
                format!(
                    "found a second node named {name:?} (the first is in document {first}); expected unique node names"
                ),
            ));
        }
        found.node_names.insert(name, doc);
        found.nodes.push(self);
        Ok(())
    }
}

impl LabKind for Pod {
    fn check(&self) -> Vec<Problem> {
        validation::pod(self)
    }
    fn meta(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
    fn keep(self, found: &mut Found, _: &Source, _: usize, _: &FieldPath) -> Result<(), InputError> {
        found.pods.push(self);
        Ok(())
    }
}

impl Found {
    /// One YAML document: an object, or a `List` / `<Kind>List` of them.
    pub(crate) fn document(&mut self, src: &Source, doc: usize, value: &Value) -> Result<(), InputError> {
        let root = FieldPath::root();
        if !value.is_mapping() {
            return Err(not_a_manifest(src, doc, &root, value));
        }
        let kind = value.get("kind").and_then(Value::as_str);
        let Some(list_kind) = kind.filter(|k| k.ends_with("List")) else {
            return self.object(src, doc, root, value, None);
        };
        let items = value.get("items");
        let Some(items) = items.and_then(Value::as_sequence) else {
            return Err(src.error_at(
                doc,
                &root.key("items"),
                format!(
                    "a {list_kind} needs `items`, a list of objects; found {}",
                    items.map_or("nothing".to_string(), describe)
                ),
            ));
        };
        let implied = implied_kind(list_kind);
        for (i, item) in items.iter().enumerate() {
            self.object(src, doc, root.key("items").index(i), item, implied)?;
        }
        Ok(())
    }

    /// One object: read when it is a DaemonSet, Node or Pod, counted otherwise.
    pub(crate) fn object(
        &mut self,
        src: &Source,
        doc: usize,
        base: FieldPath,
        value: &Value,
        implied: Option<&str>,
    ) -> Result<(), InputError> {
        if !value.is_mapping() {
            return Err(not_a_manifest(src, doc, &base, value));
        }
        let kind = match value.get("kind") {
            None | Some(Value::Null) => implied,
            Some(k) => Some(k.as_str().ok_or_else(|| {
                src.error_at(
                    doc,
                    &base.key("kind"),
                    format!("found {}; expected a kind such as DaemonSet", describe(k)),
                )
            })?),
        };
        let implied = implied.is_some() && value.get("kind").is_none();
        match kind {
            Some("DaemonSet") => self.read::<DaemonSet>(src, doc, base, value, implied),
            Some("Node") => self.read::<Node>(src, doc, base, value, implied),
            Some("Pod") => self.read::<Pod>(src, doc, base, value, implied),
            Some(other) => {
                self.skipped.add(other, 1);
                Ok(())
            }
            None => Err(src.error_at(
                doc,
                &base,
                "missing field `kind`; expected a Kubernetes manifest with a kind (DaemonSet, Node, Pod, …)",
            )),
        }
    }

    fn read<T: LabKind>(
        &mut self,
        src: &Source,
        doc: usize,
        base: FieldPath,
        value: &Value,
        implied: bool,
    ) -> Result<(), InputError> {
        let object = read_one::<T>(src, doc, base.clone(), value, implied)?.object;
        self.checked(src, doc, &base, object)
    }

    fn checked<T: LabKind>(
        &mut self,
        src: &Source,
        doc: usize,
        base: &FieldPath,
        mut object: T,
    ) -> Result<(), InputError> {
        if let Some(p) = object.check().into_iter().next() {
            return Err(src.error_at(doc, &base.join(&p.path), p.message));
        }
        // The API server's field ownership records: never read here, and half of a dump.
        object.meta().managed_fields = None;
        object.keep(self, src, doc, base)
    }

    /// Item `index` of a List (of kind `list_kind`) from its own text, read as a whole document
    /// would be, its errors placed in the whole file. Items of other kinds are only checked to
    /// be YAML.
    pub(crate) fn list_item(
        &mut self,
        whole: &Source,
        list_kind: &str,
        index: usize,
        item: &ItemText,
    ) -> Result<(), ItemError> {
        let src = Source {
            file: whole.file,
            text: item.text,
            item: Some(ItemOrigin {
                line: item.line,
                column: item.column,
                in_sequence: item.in_sequence,
            }),
        };
        let kind = list_items::peek_kind(item).or_else(|| implied_kind(list_kind).map(String::from));
        if let Some(other) = kind.as_ref().filter(|k| !is_lab_kind(k)) {
            if serde_yaml::from_str::<serde::de::IgnoredAny>(item.text).is_err() {
                return Err(ItemError::Syntax);
            }
            self.skipped.add(other, 1);
            return Ok(());
        }
        // One YAML value per item: the wasm keeps a single deserializer for the API types, the
        // value one, and the value is small. JSON is YAML, but serde_json reads it several times
        // faster than the YAML parser.
        let read = if item.in_sequence {
            match serde_yaml::from_str::<Value>(&list_items::without_unread_blocks(
                item.text,
                kind.as_deref(),
            )) {
                Ok(Value::Sequence(mut one)) if one.len() == 1 => Ok(one.remove(0)),
                _ => Err(ItemError::Syntax),
            }
        } else {
            serde_json::from_str::<Value>(item.text).map_err(|_| ItemError::Syntax)
        };
        let mut value = read?;
        // Blocks never read (managedFields are half of a dump) are not turned into typed values,
        // from JSON as from YAML (whose text had them blanked, unless not in kubectl's shape).
        for (field, key) in list_items::unread_keys(kind.as_deref()) {
            if let Some(block) = value.get_mut(field).and_then(Value::as_mapping_mut) {
                block.remove(key);
            }
        }
        let base = FieldPath::root().key("items").index(index);
        self.object(&src, 1, base, &value, implied_kind(list_kind))
            .map_err(ItemError::Input)
    }

    /// The objects, once every one has been read and checked.
    pub(crate) fn finish(self) -> Manifests {
        Manifests {
            daemonsets: self.daemonsets,
            nodes: self.nodes,
            pods: self.pods,
            skipped: self.skipped,
        }
    }
}

fn is_lab_kind(kind: &str) -> bool {
    matches!(kind, "DaemonSet" | "Node" | "Pod")
}

/// A typed list (`NodeList`) may leave kind out of its items; kubectl prints it on each.
fn implied_kind(list_kind: &str) -> Option<&str> {
    list_kind.strip_suffix("List").filter(|k| !k.is_empty())
}

fn not_a_manifest(src: &Source, doc: usize, at: &FieldPath, value: &Value) -> InputError {
    src.error_at(
        doc,
        at,
        format!(
            "found {}; expected a Kubernetes manifest (a mapping with apiVersion, kind, metadata)",
            describe(value)
        ),
    )
}

/// `namespace/name` of a DaemonSet, as kubectl and the plan name it.
pub fn daemonset_key(ds: &DaemonSet) -> String {
    format!(
        "{}/{}",
        ds.metadata.namespace.as_deref().unwrap_or("default"),
        ds.metadata.name.as_deref().unwrap_or_default()
    )
}

/// The DaemonSet `wanted` names, `NAME` or `NAMESPACE/NAME`, among `all`.
pub fn pick_daemonset<'a>(all: &'a [DaemonSet], wanted: &str) -> Result<&'a DaemonSet, String> {
    let names = || all.iter().map(daemonset_key).collect::<Vec<_>>().join(", ");
    let matches: Vec<&DaemonSet> = all
        .iter()
        .filter(|d| match wanted.split_once('/') {
            Some(_) => daemonset_key(d) == wanted,
            None => d.metadata.name.as_deref() == Some(wanted),
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "found no DaemonSet named {wanted:?}; expected one of {}",
            names()
        )),
        several => Err(format!(
            "found {} DaemonSets named {wanted:?} ({}); expected NAMESPACE/NAME to pick one",
            several.len(),
            several
                .iter()
                .map(|d| daemonset_key(d))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parse_manifests;

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, namespace: ns}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: c, image: i}]}\n";
    const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n";
    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n1, containers: [{name: c, image: i}]}\n";

    #[test]
    fn kinds_filter() {
        let list = |items: &[&str]| {
            let items: Vec<String> = items
                .iter()
                .map(|i| format!("- {}", i.trim_end().replace('\n', "\n  ")))
                .collect();
            format!("apiVersion: v1\nkind: List\nitems:\n{}\n", items.join("\n"))
        };
        // (name, input, daemonsets, nodes, pods, note)
        type Case<'a> = (&'a str, String, usize, usize, usize, Option<&'a str>);
        let cases: Vec<Case> = vec![
            ("one DaemonSet", DS.into(), 1, 0, 0, None),
            (
                "a published manifest",
                format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: ns}}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: sa}}\n---\n{DS}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: sb}}\n"),
                1, 0, 0,
                Some("skipped 3 other objects: 1 Namespace, 2 ServiceAccount"),
            ),
            ("a List of mixed kinds", list(&[DS, NODE, POD, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}"]), 1, 1, 1, Some("skipped 1 other object: 1 ConfigMap")),
            ("a typed list leaves kind out", "apiVersion: v1\nkind: NodeList\nitems:\n- metadata: {name: n1}\n- metadata: {name: n2}\n".into(), 0, 2, 0, None),
            ("a list of other kinds", "apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: c}\n".into(), 0, 0, 0, Some("skipped 1 other object: 1 ConfigMap")),
            ("an empty List", "apiVersion: v1\nkind: List\nitems: []\n".into(), 0, 0, 0, None),
            ("JSON", r#"{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}]}"#.into(), 0, 1, 0, Some("skipped 1 other object: 1 Secret")),
        ];
        for (name, input, ds, nodes, pods, note) in cases {
            let m = parse_manifests(input.as_bytes(), "f.yaml").unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                (m.daemonsets.len(), m.nodes.len(), m.pods.len()),
                (ds, nodes, pods),
                "{name}"
            );
            assert_eq!(m.skipped.note().as_deref(), note, "{name}");
        }
    }

    #[test]
    fn skipped_besides_counts_the_lab_kinds_a_caller_leaves() {
        let m = parse_manifests(format!("{DS}---\n{NODE}---\n{POD}").as_bytes(), "f").unwrap();
        assert_eq!(
            m.skipped_besides(&["DaemonSet"]).note().as_deref(),
            Some("skipped 2 other objects: 1 Node, 1 Pod")
        );
        assert_eq!(m.skipped_besides(&["DaemonSet", "Node", "Pod"]).note(), None);
    }

    #[test]
    fn picking_a_daemonset_by_name() {
        let two = |ns2: &str| {
            let text = format!(
                "{DS}---\n{}",
                DS.replace("namespace: ns", &format!("namespace: {ns2}"))
            );
            parse_manifests(text.as_bytes(), "f").unwrap().daemonsets
        };
        let apart = two("other");
        let key = |r: Result<&DaemonSet, String>| r.map(daemonset_key);
        assert_eq!(key(pick_daemonset(&apart, "ns/a")), Ok("ns/a".into()));
        assert_eq!(key(pick_daemonset(&apart, "other/a")), Ok("other/a".into()));
        assert_eq!(
            key(pick_daemonset(&apart, "a")),
            Err("found 2 DaemonSets named \"a\" (ns/a, other/a); expected NAMESPACE/NAME to pick one".into())
        );
        assert_eq!(
            key(pick_daemonset(&apart, "b")),
            Err("found no DaemonSet named \"b\"; expected one of ns/a, other/a".into())
        );
    }
}
