//! Big dumps item by item. `kubectl get nodes,pods -A -o yaml` of a large cluster is one YAML
//! document of tens of megabytes, and the YAML parser holds a whole document's events in memory
//! before it gives the first value: 1.3 GB for a 72 MB dump. kubectl prints a List in one fixed
//! shape (`items:` at column 0, each item starting with `- ` at column 0, its fields indented),
//! so the items can be found in the text and read one at a time; `-o json` is read the same way
//! with serde_json. Anything not in that shape is read whole, as before.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// One item of a List, as text of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemText<'a> {
    pub text: &'a str,
    /// 1-based line and column of the item's first character in the whole text.
    pub line: usize,
    pub column: usize,
    /// YAML: the text is `- item`, a sequence of one; JSON: the item's object itself.
    pub in_sequence: bool,
}

/// A List's kind (`List`, `NodeList`, …) and its items, when the text is in kubectl's shape.
pub struct ListItems<'a> {
    pub kind: String,
    pub items: Vec<ItemText<'a>>,
}

/// The items of a List printed by kubectl, in YAML or JSON; `None` when the text has another
/// shape (several documents, a single object, flow style, …) and must be read whole.
pub fn split(text: &str) -> Option<ListItems<'_>> {
    if text.trim_start().starts_with('{') {
        json_items(text)
    } else {
        yaml_items(text)
    }
}

fn yaml_items(text: &str) -> Option<ListItems<'_>> {
    let mut head = String::new();
    let mut items: Vec<ItemText> = Vec::new();
    let mut in_items = false;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if line.starts_with([' ', '#']) {
            continue; // inside an item, or a comment (most lines: checked before any trimming)
        }
        let bare = line.trim_end_matches(['\n', '\r']);
        if i > 0 && (bare.starts_with("---") || bare.starts_with("...")) {
            return None; // several documents
        }
        if bare.is_empty() || bare.starts_with([' ', '#']) || (i == 0 && bare == "---") {
            continue; // inside an item, or nothing
        }
        if bare == "-" || bare.starts_with("- ") {
            if !in_items {
                return None;
            }
            if let Some(last) = items.last_mut() {
                last.text = &text[text_offset(text, last.text)..start];
            }
            items.push(ItemText {
                text: &text[start..],
                line: i + 1,
                column: 1,
                in_sequence: true,
            });
            continue;
        }
        // A key of the List itself.
        if let Some(last) = items.last_mut().filter(|_| in_items) {
            last.text = &text[text_offset(text, last.text)..start];
        }
        in_items = bare.trim_end() == "items:";
        if !in_items {
            head.push_str(bare);
            head.push('\n');
        } else if !items.is_empty() {
            return None; // a second `items:`
        }
    }
    let kind = list_kind(serde_yaml::from_str::<Head>(&head).ok()?.kind)?;
    // One item is not worth splitting; zero means `items:` was missing or empty.
    (items.len() > 1).then_some(ListItems { kind, items })
}

/// Where `part` (a slice of `text`) starts in `text`.
fn text_offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

#[derive(Deserialize)]
struct Head {
    kind: Option<String>,
}

fn list_kind(kind: Option<String>) -> Option<String> {
    kind.filter(|k| k.ends_with("List"))
}

#[derive(Deserialize)]
struct JsonList<'a> {
    kind: Option<String>,
    #[serde(borrow)]
    items: Option<Vec<&'a RawValue>>,
}

fn json_items(text: &str) -> Option<ListItems<'_>> {
    let list: JsonList = serde_json::from_str(text).ok()?;
    let kind = list_kind(list.kind)?;
    let raw = list.items?;
    if raw.len() < 2 {
        return None;
    }
    // Lines counted once, front to back: items come in text order.
    let (mut line, mut line_start, mut counted) = (1, 0, 0);
    let mut items = Vec::with_capacity(raw.len());
    for r in raw {
        let item = r.get();
        let at = text_offset(text, item);
        for (i, b) in text.as_bytes()[counted..at].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = counted + i + 1;
            }
        }
        counted = at;
        items.push(ItemText {
            text: item,
            line,
            column: text[line_start..at].chars().count() + 1,
            in_sequence: false,
        });
    }
    Some(ListItems { kind, items })
}

/// The kind an item names, read from its text without parsing it: kubectl prints `kind` among
/// the first fields of every item. `None` when it cannot tell (the item is then parsed whole).
pub fn peek_kind(item: &ItemText) -> Option<String> {
    if !item.in_sequence {
        #[derive(Deserialize)]
        struct Kind<'a> {
            #[serde(borrow)]
            kind: Option<Cow<'a, str>>,
        }
        return serde_json::from_str::<Kind>(item.text)
            .ok()?
            .kind
            .map(|k| k.into_owned());
    }
    item.text.lines().find_map(|l| {
        let rest = l.strip_prefix("- kind:").or_else(|| l.strip_prefix("  kind:"))?;
        let value = rest.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        let plain = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric());
        plain.then(|| value.to_string())
    })
}

/// Blocks of an item the lab never reads and the parser need not scan, as `(the kinds they are
/// unread in, every kind when empty; field of the item; its key)`:
/// - the API server's field ownership records (a third of a Node as kubectl prints it with
///   `--show-managed-fields`, or as tools that keep them dump it);
/// - the images a node holds (up to 50 names and sizes a node, a quarter of it; the simulated
///   kubelet starts each node without images, so pull times are those of a first pull);
/// - a pod's container statuses (image IDs, states, restart counts: the simulated kubelet keeps
///   its own, and the audit reads readiness from the pod's conditions);
/// - a node's or a pod's annotations (a DaemonSet's are read: its revision and generation), a
///   node's addresses, kubelet endpoint, attached volumes and config source, a pod's volumes:
///   nothing the controller, the scheduler's filters or the kubelet simulated here looks at.
const UNREAD: [(&[&str], &str, &str); 13] = [
    (&[], "metadata", "    managedFields:"),
    (&[], "status", "    images:"),
    (&[], "status", "    containerStatuses:"),
    (&[], "status", "    initContainerStatuses:"),
    (&[], "status", "    ephemeralContainerStatuses:"),
    (&["Node", "Pod"], "metadata", "    annotations:"),
    (&["Node"], "status", "    addresses:"),
    (&["Node"], "status", "    daemonEndpoints:"),
    (&["Node"], "status", "    volumesAttached:"),
    (&["Node"], "status", "    volumesInUse:"),
    (&["Node"], "status", "    config:"),
    (&["Pod"], "spec", "    volumes:"),
    (&["Pod"], "status", "    podIPs:"),
];

/// Whether the block `key` under `field` of an item of `kind` is one of `UNREAD`.
fn is_unread(kind: Option<&str>, field: &str, key: &str) -> bool {
    UNREAD.iter().any(|(kinds, f, k)| {
        *f == field && *k == key && (kinds.is_empty() || kind.is_some_and(|kind| kinds.contains(&kind)))
    })
}

/// The keys of `UNREAD` for an item of `kind` read as a value (JSON), by field.
pub fn unread_keys(kind: Option<&str>) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    UNREAD
        .iter()
        .filter(move |(kinds, _, _)| kinds.is_empty() || kind.is_some_and(|kind| kinds.contains(&kind)))
        .map(|(_, field, key)| (*field, key.trim_start().trim_end_matches(':')))
}

/// A YAML item's text (of `kind`, when known) with the lines of its unread blocks (`UNREAD`) left
/// blank. Blank lines keep every other line where it was, so positions in errors still point into
/// the file; each key stays, with no value (null, as if absent). Borrowed unchanged when the item has no such block
/// in kubectl's shape (the key alone on its line under its field, its entries indented below it
/// or as `- ` at its own column).
pub fn without_unread_blocks<'a>(item: &'a str, kind: Option<&str>) -> Cow<'a, str> {
    let mut out = String::new();
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    let mut field = "";
    let mut blanking = false;
    let mut offset = 0;
    for line in item.split_inclusive('\n') {
        offset += line.len();
        if line.starts_with("     ") && !blanking {
            continue; // deeper than any field of the item and its keys (most lines)
        }
        let bare = line.trim_end_matches(['\n', '\r']);
        if blanking {
            let inside =
                bare.is_empty() || bare.starts_with("     ") || bare.starts_with("    - ") || bare == "    -";
            if inside {
                out.push('\n');
                copied = offset;
                continue;
            }
            blanking = false;
        }
        if let Some(key) = bare
            .strip_prefix("- ")
            .or_else(|| bare.strip_prefix("  ").filter(|k| !k.starts_with(' ')))
        {
            // A field of the item itself.
            field = key.strip_suffix(':').unwrap_or("");
        } else if is_unread(kind, field, bare) {
            out.reserve(item.len());
            out.push_str(&item[copied..offset]);
            copied = offset;
            blanking = true;
        }
    }
    if out.is_empty() {
        return Cow::Borrowed(item);
    }
    out.push_str(&item[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBECTL: &str = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";

    #[test]
    fn kubectl_yaml_is_split_into_items() {
        let list = split(KUBECTL).expect("kubectl's shape");
        assert_eq!(list.kind, "List");
        let got: Vec<(usize, &str)> = list.items.iter().map(|i| (i.line, i.text)).collect();
        assert_eq!(
            got,
            [
                (3, "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a\n"),
                (7, "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n"),
            ]
        );
        let kinds: Vec<Option<String>> = list.items.iter().map(peek_kind).collect();
        assert_eq!(kinds, [Some("Node".to_string()), Some("Pod".to_string())]);
    }

    #[test]
    fn other_shapes_are_read_whole() {
        let cases: &[(&str, &str)] = &[
            (
                "several documents",
                "kind: List\nitems:\n- a: 1\n- b: 2\n---\nkind: Node\n",
            ),
            (
                "a single object",
                "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n",
            ),
            ("not a List", "kind: Node\nitems:\n- a: 1\n- b: 2\n"),
            ("flow items", "kind: List\nitems: [{a: 1}, {b: 2}]\n"),
            ("one item", "kind: List\nitems:\n- a: 1\n"),
            ("a sequence at the top", "- a: 1\n- b: 2\n"),
            (
                "json object",
                "{\"kind\": \"Node\", \"metadata\": {\"name\": \"a\"}}",
            ),
        ];
        for (name, text) in cases {
            assert!(split(text).is_none(), "{name}");
        }
    }

    #[test]
    fn kubectl_json_is_split_into_items_with_their_positions() {
        let text = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"kind\": \"Node\"\n        },\n        {\"kind\": \"Pod\"}\n    ],\n    \"kind\": \"List\"\n}\n";
        let list = split(text).expect("kubectl's shape");
        let got: Vec<(usize, usize, &str)> = list.items.iter().map(|i| (i.line, i.column, i.text)).collect();
        assert_eq!(
            got,
            [
                (4, 9, "{\n            \"kind\": \"Node\"\n        }"),
                (7, 9, "{\"kind\": \"Pod\"}"),
            ]
        );
        assert_eq!(peek_kind(&list.items[1]).as_deref(), Some("Pod"));
    }

    #[test]
    fn unread_blocks_are_blanked_and_lines_kept() {
        let node = "- apiVersion: v1\n  kind: Node\n  metadata:\n    labels:\n      a: b\n    managedFields:\n    - apiVersion: v1\n      fieldsV1:\n        f:metadata: {}\n\n    - manager: kubelet\n    name: n1\n  spec: {}\n";
        let cases: &[(&str, &str, &str)] = &[
            (
                "kubectl's shape: the entries go, the key and every line stay",
                node,
                "- apiVersion: v1\n  kind: Node\n  metadata:\n    labels:\n      a: b\n    managedFields:\n\n\n\n\n\n    name: n1\n  spec: {}\n",
            ),
            (
                "entries indented under the key",
                "- kind: Node\n  metadata:\n    managedFields:\n      - manager: x\n    name: n\n",
                "- kind: Node\n  metadata:\n    managedFields:\n\n    name: n\n",
            ),
            (
                "the last field of the item, with CRLF",
                "- kind: Node\r\n  metadata:\r\n    name: n\r\n    managedFields:\r\n    - manager: x\r\n",
                "- kind: Node\r\n  metadata:\r\n    name: n\r\n    managedFields:\r\n\n",
            ),
            (
                "managedFields outside metadata stays",
                "- kind: Node\n  spec:\n    managedFields:\n    - a\n",
                "- kind: Node\n  spec:\n    managedFields:\n    - a\n",
            ),
            (
                "a flow value stays",
                "- kind: Node\n  metadata:\n    managedFields: []\n    name: n\n",
                "- kind: Node\n  metadata:\n    managedFields: []\n    name: n\n",
            ),
            ("no managedFields", "- kind: Pod\n  metadata:\n    name: p\n", "- kind: Pod\n  metadata:\n    name: p\n"),
            (
                "a node's images go, and its managedFields, its conditions stay",
                "- kind: Node\n  metadata:\n    managedFields:\n    - manager: x\n    name: n\n  status:\n    conditions:\n    - type: Ready\n    images:\n    - names:\n      - registry.k8s.io/pause:3.9\n      sizeBytes: 1\n    nodeInfo:\n      kernelVersion: '6'\n",
                "- kind: Node\n  metadata:\n    managedFields:\n\n    name: n\n  status:\n    conditions:\n    - type: Ready\n    images:\n\n\n\n    nodeInfo:\n      kernelVersion: '6'\n",
            ),
            (
                "a pod's container statuses go, its conditions and phase stay",
                "- kind: Pod\n  status:\n    conditions:\n    - type: Ready\n    containerStatuses:\n    - image: a\n      ready: true\n    initContainerStatuses:\n    - image: b\n    phase: Running\n",
                "- kind: Pod\n  status:\n    conditions:\n    - type: Ready\n    containerStatuses:\n\n\n    initContainerStatuses:\n\n    phase: Running\n",
            ),
            (
                "a node's annotations, addresses and kubelet endpoint go, its labels and nodeInfo stay",
                "- kind: Node\n  metadata:\n    annotations:\n      a: b\n    labels:\n      a: b\n  status:\n    addresses:\n    - address: 10.0.0.1\n      type: InternalIP\n    daemonEndpoints:\n      kubeletEndpoint:\n        Port: 10250\n    nodeInfo:\n      kubeletVersion: v1.34.1\n",
                "- kind: Node\n  metadata:\n    annotations:\n\n    labels:\n      a: b\n  status:\n    addresses:\n\n\n    daemonEndpoints:\n\n\n    nodeInfo:\n      kubeletVersion: v1.34.1\n",
            ),
            (
                "a pod's annotations, volumes and IPs go, its containers stay",
                "- kind: Pod\n  metadata:\n    annotations:\n      a: |\n        long\n  spec:\n    containers:\n    - name: c\n    volumes:\n    - name: v\n      emptyDir: {}\n  status:\n    podIPs:\n    - ip: 10.1.0.1\n    phase: Running\n",
                "- kind: Pod\n  metadata:\n    annotations:\n\n\n  spec:\n    containers:\n    - name: c\n    volumes:\n\n\n  status:\n    podIPs:\n\n    phase: Running\n",
            ),
            (
                "a DaemonSet's annotations stay (its revision is read from them)",
                "- kind: DaemonSet\n  metadata:\n    annotations:\n      deprecated.daemonset.template.generation: \"2\"\n",
                "- kind: DaemonSet\n  metadata:\n    annotations:\n      deprecated.daemonset.template.generation: \"2\"\n",
            ),
            (
                "an item of unknown kind keeps what only some kinds leave unread",
                "- metadata:\n    annotations:\n      a: b\n    managedFields:\n    - manager: x\n",
                "- metadata:\n    annotations:\n      a: b\n    managedFields:\n\n",
            ),
            (
                "images elsewhere stay",
                "- kind: Pod\n  spec:\n    images:\n    - a\n",
                "- kind: Pod\n  spec:\n    images:\n    - a\n",
            ),
        ];
        for (name, item, want) in cases {
            let kind = peek_kind(&ItemText {
                text: item,
                line: 1,
                column: 1,
                in_sequence: true,
            });
            assert_eq!(without_unread_blocks(item, kind.as_deref()), *want, "{name}");
        }
        let read: serde_yaml::Value =
            serde_yaml::from_str(&without_unread_blocks(node, Some("Node"))).expect("still YAML");
        assert_eq!(read[0]["metadata"]["managedFields"], serde_yaml::Value::Null);
        assert_eq!(read[0]["metadata"]["name"].as_str(), Some("n1"));
    }
}
