//! Names kubectl accepts, its age format, the `kubectl get ds` row, and the console's help.

use crate::cluster::view::DaemonSetView;
use crate::cluster::DsStatus;

pub const VERBS: &[&str] = &[
    "get", "describe", "set", "rollout", "delete", "cordon", "uncordon", "drain", "taint", "label",
];

pub const HELP: &str = "\
Commands this console understands (on the simulated cluster):
  kubectl get daemonsets [-A] [-n NAMESPACE]
  kubectl get pods [-o wide] [-l SELECTOR] [-A] [-n NAMESPACE]
  kubectl get nodes [-o wide]
  kubectl describe daemonset|pod|node NAME [-n NAMESPACE]
  kubectl set image daemonset/NAME CONTAINER=IMAGE [-n NAMESPACE]
  kubectl rollout status|history|undo daemonset/NAME [--to-revision=N] [-n NAMESPACE]
  kubectl delete daemonset NAME [--cascade=background|orphan] [-n NAMESPACE]
  kubectl delete pod NAME [-n NAMESPACE]
  kubectl cordon|uncordon NODE
  kubectl drain NODE --ignore-daemonsets
  kubectl taint nodes NODE key=value:Effect   (key:Effect- removes it)
  kubectl label nodes NODE key=value          (key- removes it)
Up arrow: history. Tab: complete names.";

pub fn is_daemonset(k: &str) -> bool {
    matches!(
        k,
        "daemonset" | "daemonsets" | "ds" | "daemonset.apps" | "daemonsets.apps"
    )
}

pub fn is_pod(k: &str) -> bool {
    matches!(k, "pod" | "pods" | "po")
}

pub fn is_node(k: &str) -> bool {
    matches!(k, "node" | "nodes" | "no")
}

/// The closest known word within two edits, for "did you mean".
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (distance(word, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The columns of `kubectl get ds` (with `-A`, NAMESPACE comes first).
pub const GET_DS_COLUMNS: [&str; 8] = [
    "NAME",
    "DESIRED",
    "CURRENT",
    "READY",
    "UP-TO-DATE",
    "AVAILABLE",
    "NODE SELECTOR",
    "AGE",
];

/// One DaemonSet's row of `kubectl get ds` at time `now`, with `status` (the view's own, or the
/// status after a given step of a timeline). The console, the step player and the text report
/// all print this row.
pub fn get_ds_row(d: &DaemonSetView, status: &DsStatus, now: u64) -> [String; 8] {
    [
        d.name.clone(),
        status.desired_number_scheduled.to_string(),
        status.current_number_scheduled.to_string(),
        status.number_ready.to_string(),
        status.updated_number_scheduled.to_string(),
        status.number_available.to_string(),
        d.node_selector.clone(),
        age(now.saturating_sub(d.created)),
    ]
}

/// kubectl's `HumanDuration`: 45s, 3m20s, 15m, 2h5m, 30h, 4d.
pub fn age(secs: u64) -> String {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86400);
    if secs < 120 {
        format!("{secs}s")
    } else if m < 10 {
        match secs % 60 {
            0 => format!("{m}m"),
            s => format!("{m}m{s}s"),
        }
    } else if m < 180 {
        format!("{m}m")
    } else if h < 8 {
        match m % 60 {
            0 => format!("{h}h"),
            mm => format!("{h}h{mm}m"),
        }
    } else if h < 48 {
        format!("{h}h")
    } else {
        format!("{d}d")
    }
}

/// kubectl's tabwriter settings (`printers.GetNewTabWriter`: minwidth 6, padding 3, spaces).
const TAB_MIN_WIDTH: usize = 6;
const TAB_PADDING: usize = 3;

/// Columns laid out as kubectl's tabwriter does: each column as wide as its widest cell plus 3
/// spaces (at least 6), whatever the cells hold (a 60-character node name widens its column, it
/// is never cut); the last cell of a row is not padded, so it takes no part in any width.
pub fn table<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (c, cell) in r.iter().enumerate().take(r.len().saturating_sub(1)) {
            let w = (cell.as_ref().chars().count() + TAB_PADDING).max(TAB_MIN_WIDTH);
            widths[c] = widths[c].max(w);
        }
    }
    let mut out = String::new();
    for r in rows {
        let start = out.len();
        for (c, cell) in r.iter().enumerate() {
            let cell = cell.as_ref();
            out.push_str(cell);
            if c + 1 < r.len() {
                let pad = widths[c].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        // An empty last cell leaves the padding before it: kubectl's lines end without spaces.
        let end = out[start..].trim_end().len();
        out.truncate(start + end);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::table;

    /// Where each column starts on each line, found from the header's words.
    fn starts(line: &str, cells: &[&str]) -> Vec<usize> {
        let mut at = 0;
        cells
            .iter()
            .map(|c| {
                let i = line[at..].find(c).map_or(usize::MAX, |i| at + i);
                at = i.saturating_add(c.len()).min(line.len());
                i
            })
            .collect()
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_like_kubectls_tabwriter() {
        let long = "n".repeat(60);
        type Case<'a> = (&'a str, Vec<Vec<&'a str>>, Vec<usize>);
        let cases: [Case; 4] = [
            (
                "short cells: 3 spaces after the widest",
                vec![vec!["NAME", "STATUS", "AGE"], vec!["a", "Ready", "5s"]],
                vec![0, 7, 16],
            ),
            (
                "a 60-character node name widens its column",
                vec![vec!["NAME", "STATUS", "AGE"], vec![&long, "Ready", "5s"]],
                vec![0, 63, 72],
            ),
            (
                "minimum width 6",
                vec![vec!["A", "B", "C"], vec!["x", "y", "z"]],
                vec![0, 6, 12],
            ),
            (
                "the last column is not padded",
                vec![vec!["NAME", "MESSAGE"], vec!["a", &long]],
                vec![0, 7],
            ),
        ];
        for (name, rows, want) in cases {
            let out = table(&rows);
            for (line, row) in out.lines().zip(&rows) {
                assert_eq!(starts(line, row), want, "{name}: {line:?}");
                assert_eq!(line, line.trim_end(), "{name}: no trailing spaces");
            }
        }
    }
}
