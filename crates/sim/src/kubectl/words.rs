//! Names kubectl accepts, its age format, and the console's help.

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

/// Columns padded like kubectl's tabwriter (3 spaces between columns).
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}   ", w = widths[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
