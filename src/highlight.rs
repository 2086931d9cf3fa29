//! Finds, in the Pod YAML text the core returns, the lines the DaemonSet controller injected for a
//! node: the required node affinity (current mode) or `spec.nodeName` (legacy mode). Pure text
//! work on the printed YAML; the decisions themselves are the core's.

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

/// Line ranges (0-based, end exclusive) to highlight in a Pod YAML for `node`.
pub fn injected_ranges(yaml: &str, node: &str) -> Vec<Range<usize>> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t == "nodeAffinity:" {
            // Highlight the node affinity line and its required part (the injected term).
            out.push(i..i + 1);
            let b = block(&lines, i);
            let mut j = i + 1;
            while j < b.end {
                if lines[j]
                    .trim_start()
                    .starts_with("requiredDuringSchedulingIgnoredDuringExecution:")
                {
                    let r = block(&lines, j);
                    j = r.end;
                    out.push(r);
                } else {
                    j += 1;
                }
            }
        } else if let Some(rest) = t.strip_prefix("nodeName:") {
            let v = rest.trim().trim_matches(|c| c == '"' || c == '\'');
            if v == node {
                out.push(i..i + 1);
            }
        }
    }
    out
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

    #[test]
    fn current_mode_highlights_the_required_affinity_only() {
        let r = injected_ranges(CURRENT, "worker-1");
        assert_eq!(r, vec![4..5, 8..15]);
    }

    #[test]
    fn legacy_mode_highlights_node_name() {
        let y = "spec:\n  nodeName: worker-1\n  containers: []\n";
        assert_eq!(injected_ranges(y, "worker-1"), vec![1..2]);
        assert!(injected_ranges(y, "worker-2").is_empty());
    }

    #[test]
    fn mark_lines_flags_ranges() {
        let m = mark_lines("a\nb\nc\n", &[1..2]);
        assert_eq!(
            m.iter().map(|(_, h)| *h).collect::<Vec<_>>(),
            [false, true, false]
        );
    }
}
