//! The entry points: every DaemonSet, Node and Pod of a text, or the one kind a caller wants.

use super::error::InputError;
use super::manifests::{self, daemonset_key, Manifests};
use super::read::Source;
use super::{guard, list_items};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};

/// Every DaemonSet, Node and Pod in the text, and a count of the other kinds.
pub fn parse_manifests(bytes: &[u8], file: &str) -> Result<Manifests, InputError> {
    let src = Source::decode(bytes, file)?;
    read_manifests(&src).map_err(|e| with_hints(&src, e))
}

fn read_manifests(src: &Source) -> Result<Manifests, InputError> {
    if let Some(list) = list_items::split(src.text) {
        // Item by item. An item that is not valid YAML on its own is the one case where the
        // split itself may be wrong: the whole text is then read as one document instead.
        let mut found = manifests::Found::default();
        let mut split_ok = true;
        for (i, item) in list.items.iter().enumerate() {
            match found.list_item(src, &list.kind, i, item) {
                Ok(()) => {}
                Err(manifests::ItemError::Input(e)) => return Err(e),
                Err(manifests::ItemError::Syntax) => {
                    split_ok = false;
                    break;
                }
            }
        }
        if split_ok {
            return Ok(found.finish());
        }
    }
    let mut found = manifests::Found::default();
    for (doc, value) in src.documents()? {
        found.document(src, doc, &value)?;
    }
    Ok(found.finish())
}

/// An error in a file that is still a template says so: the fix is to render it, not to edit it.
fn with_hints(src: &Source, mut e: InputError) -> InputError {
    if let Some(line) = guard::template_line(src.text) {
        e.message.push_str(&guard::template_hint(line));
    }
    e
}

/// "found no DaemonSet …" for an input that holds none of the kind its caller reads (`kept[0]`).
pub fn none_of(file: &str, m: &Manifests, kept: &[&str], expected: &str) -> InputError {
    let kind = kept.first().copied().unwrap_or("object");
    let found = match m.skipped_besides(kept).note() {
        Some(note) => format!("found no {kind} ({note})"),
        None => format!("found no {kind}"),
    };
    InputError::whole(file, format!("{found}; expected {expected}"))
}

/// Every DaemonSet in the text (other kinds are skipped); at least one.
pub fn parse_daemonsets(bytes: &[u8], file: &str) -> Result<Vec<DaemonSet>, InputError> {
    let m = parse_manifests(bytes, file)?;
    if m.daemonsets.is_empty() {
        return Err(none_of(file, &m, &["DaemonSet"], "a DaemonSet (apps/v1)"));
    }
    Ok(m.daemonsets)
}

/// Exactly one DaemonSet (other kinds are skipped).
pub fn parse_daemonset(bytes: &[u8], file: &str) -> Result<DaemonSet, InputError> {
    let mut all = parse_daemonsets(bytes, file)?;
    if all.len() > 1 {
        let names: Vec<String> = all.iter().map(daemonset_key).collect();
        return Err(InputError::whole(
            file,
            format!(
                "found {} DaemonSets ({}); expected exactly one here",
                all.len(),
                names.join(", ")
            ),
        ));
    }
    Ok(all.remove(0))
}

/// The nodes of a cluster (other kinds are skipped). Names must be unique, as they are in a real
/// cluster. An empty `List` is an empty cluster; a file of other kinds only is a mistake.
pub fn parse_nodes(bytes: &[u8], file: &str) -> Result<Vec<Node>, InputError> {
    let m = parse_manifests(bytes, file)?;
    if m.nodes.is_empty() && !m.skipped_besides(&["Node"]).is_empty() {
        return Err(none_of(
            file,
            &m,
            &["Node"],
            "Node manifests (kubectl get nodes -o yaml)",
        ));
    }
    Ok(m.nodes)
}

/// Pods of other workloads already on the nodes (they use resources and host ports); other
/// kinds are skipped.
pub fn parse_pods(bytes: &[u8], file: &str) -> Result<Vec<Pod>, InputError> {
    let m = parse_manifests(bytes, file)?;
    if m.pods.is_empty() && !m.skipped_besides(&["Pod"]).is_empty() {
        return Err(none_of(
            file,
            &m,
            &["Pod"],
            "Pod manifests (kubectl get pods -A -o yaml)",
        ));
    }
    Ok(m.pods)
}
