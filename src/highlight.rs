//! Finds, in the Pod YAML text the core returns, the lines of the fields the DaemonSet controller
//! injected for a node. Which fields those are is the core's answer (`dslab_sim::injected_fields`:
//! the required node affinity in current mode, `spec.nodeName` in legacy mode); this is only
//! the text work of finding a field path's lines in the printed YAML.

use dslab_sim::api::{FieldPath, Seg};
use std::ops::Range;

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The block that starts at line `start` (a `key:` line): the line itself and every following
/// line indented deeper, plus sequence items (`- `) at the same indent as the key (YAML printers
/// often do not indent a sequence under its key).
fn block(lines: &[&str], start: usize) -> Range<usize> {
    let base = indent(lines[start]);
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        if l.trim().is_empty() {
            end += 1;
            continue;
        }
        let i = indent(l);
        if i > base || (i == base && l.trim_start().starts_with("- ")) {
            end += 1;
        } else {
            break;
        }
    }
    start..end
}

/// Line ranges (0-based, end exclusive) to highlight in a Pod YAML: the block of each field the
/// core says the controller injected (`dslab_sim::injected_fields`), found in the printed text by
/// its path, and the key lines of its parents inside the pod spec, so the eye follows the path.
pub fn injected_ranges(yaml: &str, paths: &[FieldPath]) -> Vec<Range<usize>> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut out = Vec::new();
    for path in paths {
        if let Some((parents, field)) = find(&lines, path) {
            out.extend(parents.into_iter().map(|i| i..i + 1));
            out.push(field);
        }
    }
    out
}

/// The line of each key of `path` (a path of keys from the document's root) and the block of
/// the last one; None when a key is not in the text or the path has an index.
fn find(lines: &[&str], path: &FieldPath) -> Option<(Vec<usize>, Range<usize>)> {
    let mut scope = 0..lines.len();
    let mut keys = Vec::new();
    for seg in &path.0 {
        let Seg::Key(key) = seg else { return None };
        // The keys of this mapping are the lines of the scope at its first line's indent.
        let first = scope.clone().find(|&i| !lines[i].trim().is_empty())?;
        let depth = indent(lines[first]);
        let at = scope.clone().find(|&i| {
            let l = lines[i];
            indent(l) == depth
                && l.trim_start()
                    .strip_prefix(key.as_str())
                    .is_some_and(|r| r.starts_with(':'))
        })?;
        keys.push(at);
        let b = block(lines, at);
        scope = at + 1..b.end;
    }
    let last = keys.pop()?;
    // Parents below the pod's `spec` (the first key is the top-level `spec:` itself).
    Some((keys.into_iter().skip(1).collect(), block(lines, last)))
}

/// Splits the text into lines, each with whether it is highlighted.
pub fn mark_lines(yaml: &str, ranges: &[Range<usize>]) -> Vec<(String, bool)> {
    yaml.lines()
        .enumerate()
        .map(|(i, l)| (l.to_string(), ranges.iter().any(|r| r.contains(&i))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURRENT: &str = "apiVersion: v1
kind: Pod
spec:
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference: {}
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchFields:
          - key: metadata.name
            operator: In
            values:
            - worker-1
  containers:
  - name: x
";

    fn required() -> FieldPath {
        FieldPath::parse("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
    }

    #[test]
    fn current_mode_highlights_the_required_affinity_and_its_parents() {
        let r = injected_ranges(CURRENT, &[required()]);
        assert_eq!(r, vec![3..4, 4..5, 8..15]);
    }

    #[test]
    fn legacy_mode_highlights_node_name() {
        let y = "spec:\n  nodeName: worker-1\n  containers: []\n";
        assert_eq!(
            injected_ranges(y, &[FieldPath::parse("spec.nodeName")]),
            vec![1..2]
        );
    }

    #[test]
    fn a_field_not_in_the_text_highlights_nothing() {
        let y = "spec:\n  containers: []\n  nodeNameX: a\n";
        assert!(injected_ranges(y, &[FieldPath::parse("spec.nodeName")]).is_empty());
        assert!(injected_ranges(y, &[required()]).is_empty());
        assert!(injected_ranges("", &[required()]).is_empty());
    }

    /// On the Pod the core prints, the fields the core names are found, in both modes.
    #[test]
    fn the_cores_injected_fields_are_found_in_the_cores_pod() {
        use crate::model::{daemon_pod_yaml, UiMode};
        let ds = dslab_sim::parse_daemonset(crate::examples::DAEMONSET_YAML.as_bytes(), "ds").unwrap();
        for mode in [UiMode::Current, UiMode::Legacy] {
            let yaml = daemon_pod_yaml(&ds, "worker-1", mode);
            let ranges = injected_ranges(&yaml, &dslab_sim::injected_fields(&ds, mode.core()));
            let marked: Vec<String> = mark_lines(&yaml, &ranges)
                .into_iter()
                .filter(|(_, hl)| *hl)
                .map(|(l, _)| l)
                .collect();
            assert!(
                marked.iter().any(|l| l.contains("worker-1")),
                "{mode:?}: {marked:?}"
            );
        }
    }

    #[test]
    fn mark_lines_flags_ranges() {
        let lines = std::ops::Range { start: 1, end: 2 };
        let m = mark_lines("a\nb\nc\n", &[lines]);
        assert_eq!(
            m.iter().map(|(_, h)| *h).collect::<Vec<_>>(),
            [false, true, false]
        );
    }
}
