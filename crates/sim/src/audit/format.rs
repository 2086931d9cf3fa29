//! The audit for people (a table, as kubectl lays columns out, or Markdown for a ticket) and for
//! tools (JSON, documented in the README). Table and Markdown say the same: the counters, each
//! finding, the rollout. Long lists stop after [`ROWS`] rows and say how many more there are
//! (the JSON lists all).

use super::{DaemonSetAudit, Report, RolloutSeries, StatusCounts};
// The core's public entry points (kept together: re-pathing is mechanical).
use crate::kubectl::words::table as kubectl_table;
use crate::words::Reason;
use std::collections::BTreeMap;

/// Rows shown per list before "… and N more".
pub const ROWS: usize = 50;
/// Node names shown per group of missed nodes.
const NAMES: usize = 8;

/// The JSON report, pretty-printed, with a final newline.
pub fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r)
        .map(|s| s + "\n")
        .unwrap_or_default()
}

/// `1h 02m 03s`, `4m 10s`, `12s`.
pub fn duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s:02}s"),
        _ => format!("{h}h {m:02}m {s:02}s"),
    }
}

fn num(v: Option<i64>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

/// The `kubectl get ds` columns of a status, plus MISSCHEDULED.
fn counter_row(label: &str, c: &StatusCounts) -> Vec<String> {
    vec![
        label.into(),
        c.desired_number_scheduled.to_string(),
        c.current_number_scheduled.to_string(),
        c.number_ready.to_string(),
        num(c.updated_number_scheduled),
        num(c.number_available),
        c.number_misscheduled.to_string(),
    ]
}

const COUNTER_HEADER: [&str; 7] = [
    "",
    "DESIRED",
    "CURRENT",
    "READY",
    "UP-TO-DATE",
    "AVAILABLE",
    "MISSCHEDULED",
];

/// Missed nodes grouped by their first reason (code and message), largest group first.
fn missed_groups(a: &DaemonSetAudit) -> Vec<(String, Vec<&str>)> {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for m in &a.missed {
        let key = m.reasons.first().map_or("(no reason given)".into(), |r| {
            format!("{}: {}", r.code, r.message)
        });
        groups.entry(key).or_default().push(&m.node);
    }
    let mut out: Vec<(String, Vec<&str>)> = groups.into_iter().collect();
    crate::sort::sort_by(&mut out, |a, b| {
        b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0))
    });
    out
}

/// The counters that differ, said once ("desiredNumberScheduled 277 (status 300), …: why"),
/// and an unobserved generation on its own line.
fn difference_lines(a: &DaemonSetAudit) -> Vec<String> {
    let (generation, counters): (Vec<_>, Vec<_>) = a
        .status_differences
        .iter()
        .partition(|d| d.field == "observedGeneration");
    let mut out = Vec::new();
    if !counters.is_empty() {
        let list: Vec<String> = counters
            .iter()
            .map(|d| format!("{} {} (status {})", d.field, d.computed, d.reported))
            .collect();
        out.push(format!(
            "{}: the controller has not caught up with the nodes and pods, or the dump was taken while they changed",
            list.join(", ")
        ));
    }
    out.extend(generation.iter().map(|d| d.message.clone()));
    out
}

fn names(list: &[&str]) -> String {
    let shown = list.iter().take(NAMES).copied().collect::<Vec<_>>().join(", ");
    match list.len().saturating_sub(NAMES) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// The assumptions of the simulated rollout, then those of the what-if it does not share.
fn assumptions(a: &DaemonSetAudit) -> Vec<&String> {
    let mut all: Vec<&String> = Vec::new();
    let series = [&a.rollout.simulated, &a.rollout.what_if];
    for x in series.into_iter().flatten().flat_map(|s| &s.assumptions) {
        if !all.contains(&x) {
            all.push(x);
        }
    }
    all
}

fn reasons_text(r: &[Reason]) -> String {
    r.iter()
        .map(|r| format!("{}: {}", r.code, r.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn strategy_line(a: &DaemonSetAudit) -> String {
    let r = &a.rollout;
    let mut s = match (&r.max_unavailable, &r.max_surge) {
        (Some(u), Some(su)) => format!(
            "{}, maxUnavailable {} → {}, maxSurge {} → {} (of desired {}), minReadySeconds {}",
            r.strategy,
            u.value,
            u.resolved,
            su.value,
            su.resolved,
            a.desired_number_scheduled,
            r.min_ready_seconds
        ),
        _ => format!("{}, minReadySeconds {}", r.strategy, r.min_ready_seconds),
    };
    let updated = r.updated.map_or("?".into(), |u| u.to_string());
    s.push_str(&format!(
        "; {updated}/{} updated, {} outdated pod(s), {} unavailable; {}",
        a.desired_number_scheduled,
        r.outdated,
        r.unavailable,
        if r.complete { "complete" } else { "in progress" }
    ));
    s
}

fn revision_line(a: &DaemonSetAudit) -> String {
    let rev = &a.rollout.revision;
    format!(
        "current template: generation {}, controller-revision-hash {} ({})",
        rev.template_generation
            .map_or("unknown".into(), |g| g.to_string()),
        rev.hash.as_deref().unwrap_or("unknown"),
        rev.hash_source
    )
}

/// "finishes in 4m 10s (250 s), peak unavailable 1, peak surge 0".
pub fn series_line(s: &RolloutSeries) -> String {
    let end = match s.duration_seconds {
        Some(d) if s.finished && d < 60 => format!("finishes in {d}s"),
        Some(d) if s.finished => format!("finishes in {} ({d} s)", duration(d)),
        _ => format!(
            "does not finish ({}/{} updated, no change after {})",
            s.updated_at_end,
            s.desired,
            duration(s.last_change_at)
        ),
    };
    format!(
        "maxUnavailable {} → {}, maxSurge {} → {}, minReadySeconds {}: {} pod(s) to replace, {end}, peak unavailable {}, peak surge {}",
        s.max_unavailable.value,
        s.max_unavailable.resolved,
        s.max_surge.value,
        s.max_surge.resolved,
        s.min_ready_seconds,
        s.pods_to_replace,
        s.peak_unavailable,
        s.peak_surge
    )
}

/// Lines of rows, stopping after ROWS with a count of the rest.
fn capped<T>(items: &[T], row: impl Fn(&T) -> Vec<String>) -> (Vec<Vec<String>>, usize) {
    let rows = items.iter().take(ROWS).map(row).collect();
    (rows, items.len().saturating_sub(ROWS))
}

fn more_line(more: usize) -> String {
    format!("… and {more} more (--output json lists all)\n")
}

/// The audit as text: one block per DaemonSet.
pub fn table(r: &Report) -> String {
    let mut s = String::new();
    for a in &r.daemonsets {
        s.push_str(&format!("=== DaemonSet {} ===\n", a.daemonset));
        let mut rows = vec![COUNTER_HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        rows.push(counter_row("computed", &a.computed));
        if let Some(rep) = &a.reported {
            rows.push(counter_row("status", rep));
        }
        s.push_str(&kubectl_table(&rows));
        for line in difference_lines(a) {
            s.push_str(&format!("status differs: {line}\n"));
        }
        if !a.missed.is_empty() {
            let counts: Vec<String> = a
                .missed_by_reason
                .iter()
                .map(|c| format!("{} {}", c.count, c.code))
                .collect();
            s.push_str(&format!(
                "\nmissed: {} node(s) get no pod ({})\n",
                a.missed.len(),
                counts.join(", ")
            ));
            for (reason, nodes) in missed_groups(a) {
                s.push_str(&format!(
                    "  {:>5}  {reason}\n         {}\n",
                    nodes.len(),
                    names(&nodes)
                ));
            }
        }
        if !a.pending.is_empty() {
            s.push_str(&format!(
                "\npending: {} node(s) should run a pod that cannot be bound\n",
                a.pending.len()
            ));
            let (body, more) = capped(&a.pending, |p| vec![p.node.clone(), reasons_text(&p.reasons)]);
            let mut rows = vec![vec!["NODE".to_string(), "REASON".into()]];
            rows.extend(body);
            s.push_str(&kubectl_table(&rows));
            if more > 0 {
                s.push_str(&more_line(more));
            }
        }
        if !a.missing.is_empty() {
            s.push_str(&format!(
                "\nmissing: {} node(s) should run a pod and have none\n",
                a.missing.len()
            ));
            let (body, more) = capped(&a.missing, |m| vec![m.node.clone()]);
            let mut rows = vec![vec!["NODE".to_string()]];
            rows.extend(body);
            s.push_str(&kubectl_table(&rows));
            if more > 0 {
                s.push_str(&more_line(more));
            }
        }
        if !a.misscheduled.is_empty() {
            s.push_str(&format!(
                "\nmisscheduled: {} pod(s) on nodes where none should run\n",
                a.misscheduled.len()
            ));
            let (body, more) = capped(&a.misscheduled, |m| {
                vec![
                    m.pod.clone(),
                    m.node.clone(),
                    if m.will_be_deleted { "yes" } else { "no (stays)" }.into(),
                ]
            });
            let mut rows = vec![vec!["POD".to_string(), "NODE".into(), "WILL BE DELETED".into()]];
            rows.extend(body);
            s.push_str(&kubectl_table(&rows));
            if more > 0 {
                s.push_str(&more_line(more));
            }
        }
        if !a.outdated.is_empty() {
            s.push_str(&format!(
                "\noutdated: {} pod(s) not on the current template\n",
                a.outdated.len()
            ));
            let (body, more) = capped(&a.outdated, |o| vec![o.pod.clone(), o.node.clone()]);
            let mut rows = vec![vec!["POD".to_string(), "NODE".into()]];
            rows.extend(body);
            s.push_str(&kubectl_table(&rows));
            if more > 0 {
                s.push_str(&more_line(more));
            }
        }
        s.push_str(&format!("\nrollout: {}\n", strategy_line(a)));
        s.push_str(&format!("  {}\n", revision_line(a)));
        for st in &a.rollout.stalls {
            s.push_str(&format!("  stall: {}: {}\n", st.code, st.message));
        }
        if let Some(sim) = &a.rollout.simulated {
            s.push_str(&format!("  simulated: {}\n", series_line(sim)));
        }
        if let Some(w) = &a.rollout.what_if {
            s.push_str(&format!("  what-if:   {}\n", series_line(w)));
            for st in &w.stalls {
                s.push_str(&format!("  what-if stall: {}: {}\n", st.code, st.message));
            }
        }
        for x in assumptions(a) {
            s.push_str(&format!("  assumes: {x}\n"));
        }
        for n in &a.notes {
            s.push_str(&format!("note: {n}\n"));
        }
        s.push('\n');
    }
    for n in &r.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s.push_str(&format!("{}\n", r.summary));
    s
}

/// A Markdown cell: pipes escaped, one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn md_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len()));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s
}

/// The audit as Markdown: a section per DaemonSet.
pub fn markdown(r: &Report) -> String {
    let mut s = format!("# DaemonSet audit\n\n{}\n", r.summary);
    for a in &r.daemonsets {
        s.push_str(&format!("\n## {}\n\n", a.daemonset));
        let mut rows = vec![counter_row("computed", &a.computed)];
        if let Some(rep) = &a.reported {
            rows.push(counter_row("status", rep));
        }
        s.push_str(&md_table(&COUNTER_HEADER, &rows));
        if !a.status_differences.is_empty() {
            s.push_str("\n**Status differs**\n\n");
            for line in difference_lines(a) {
                s.push_str(&format!("- {line}\n"));
            }
        }
        if !a.missed.is_empty() {
            let counts: Vec<String> = a
                .missed_by_reason
                .iter()
                .map(|c| format!("{} {}", c.count, c.code))
                .collect();
            s.push_str(&format!(
                "\n### Missed: {} node(s) get no pod ({})\n\n",
                a.missed.len(),
                counts.join(", ")
            ));
            let rows: Vec<Vec<String>> = missed_groups(a)
                .into_iter()
                .map(|(reason, nodes)| vec![nodes.len().to_string(), reason, names(&nodes)])
                .collect();
            s.push_str(&md_table(&["Count", "Reason", "Nodes"], &rows));
        }
        let mut list = |title: String, header: &[&str], rows: Vec<Vec<String>>, more: usize| {
            s.push_str(&format!("\n### {title}\n\n"));
            s.push_str(&md_table(header, &rows));
            if more > 0 {
                s.push_str(&format!("\n{}", more_line(more)));
            }
        };
        if !a.pending.is_empty() {
            let (rows, more) = capped(&a.pending, |p| vec![p.node.clone(), reasons_text(&p.reasons)]);
            list(
                format!(
                    "Pending: {} node(s) should run a pod that cannot be bound",
                    a.pending.len()
                ),
                &["Node", "Reason"],
                rows,
                more,
            );
        }
        if !a.missing.is_empty() {
            let (rows, more) = capped(&a.missing, |m| vec![m.node.clone()]);
            list(
                format!(
                    "Missing: {} node(s) should run a pod and have none",
                    a.missing.len()
                ),
                &["Node"],
                rows,
                more,
            );
        }
        if !a.misscheduled.is_empty() {
            let (rows, more) = capped(&a.misscheduled, |m| {
                vec![
                    m.pod.clone(),
                    m.node.clone(),
                    if m.will_be_deleted { "yes" } else { "no (stays)" }.into(),
                ]
            });
            list(
                format!(
                    "Misscheduled: {} pod(s) on nodes where none should run",
                    a.misscheduled.len()
                ),
                &["Pod", "Node", "Will be deleted"],
                rows,
                more,
            );
        }
        if !a.outdated.is_empty() {
            let (rows, more) = capped(&a.outdated, |o| vec![o.pod.clone(), o.node.clone()]);
            list(
                format!(
                    "Outdated: {} pod(s) not on the current template",
                    a.outdated.len()
                ),
                &["Pod", "Node"],
                rows,
                more,
            );
        }
        s.push_str("\n### Rollout\n\n");
        s.push_str(&format!("- {}\n- {}\n", strategy_line(a), revision_line(a)));
        for st in &a.rollout.stalls {
            s.push_str(&format!("- **Stall** `{}`: {}\n", st.code, st.message));
        }
        if let Some(sim) = &a.rollout.simulated {
            s.push_str(&format!("- Simulated: {}\n", series_line(sim)));
        }
        if let Some(w) = &a.rollout.what_if {
            s.push_str(&format!("- What-if: {}\n", series_line(w)));
            for st in &w.stalls {
                s.push_str(&format!("- **What-if stall** `{}`: {}\n", st.code, st.message));
            }
        }
        for x in assumptions(a) {
            s.push_str(&format!("- Assumes: {x}\n"));
        }
        for n in &a.notes {
            s.push_str(&format!("- Note: {n}\n"));
        }
    }
    if !r.notes.is_empty() {
        s.push_str("\n## Notes\n\n");
        for n in &r.notes {
            s.push_str(&format!("- {n}\n"));
        }
    }
    s
}
