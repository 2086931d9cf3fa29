//! The two printed forms of a timeline: a readable text timeline and stable JSON.

use super::Timeline;
use crate::cluster::DsStatus;
use crate::kubectl::words::{get_ds_row, table, GET_DS_COLUMNS};
use serde::Serialize;

/// `t=12s  scheduler             Successfully assigned kube-system/kube-proxy-x2f9 to node-3`
pub fn text(t: &Timeline) -> String {
    let mut s = String::new();
    if let Some(title) = &t.title {
        s.push_str(&format!("# {title} ({} mode)\n", t.mode.as_str()));
    }
    // The time column as wide as its widest cell (at least 6), so long runs stay aligned.
    let last = t.steps.iter().map(|s| s.time).max().unwrap_or(0);
    let tw = (last.to_string().len() + 1).max(6);
    for step in &t.steps {
        s.push_str(&format!(
            "t={:<tw$} {:<20} {}\n",
            format!("{}s", step.time),
            step.actor.as_str(),
            step.message
        ));
    }
    s.push('\n');
    // `kubectl get ds -A` and `kubectl get pods -o wide`-like tables, laid out by the same
    // tabwriter rules as the console's (columns as wide as their widest cell).
    // The columns and row of `kubectl get ds -A`, without AGE (a report has no "now").
    let columns = &GET_DS_COLUMNS[..GET_DS_COLUMNS.len() - 1];
    let mut ds_rows = vec![std::iter::once("NAMESPACE")
        .chain(columns.iter().copied())
        .map(String::from)
        .collect::<Vec<_>>()];
    for d in &t.final_view.daemonsets {
        let mut row = vec![d.namespace.clone()];
        row.extend(
            get_ds_row(d, &d.status, t.final_view.time)
                .into_iter()
                .take(columns.len()),
        );
        if d.deleted {
            if let Some(selector) = row.last_mut() {
                selector.push_str("   (deleted)");
            }
        }
        ds_rows.push(row);
    }
    if ds_rows.len() > 1 {
        s.push_str(&table(&ds_rows));
        s.push('\n');
    }
    let mut pod_rows = vec![
        vec!["NAME", "READY", "STATUS", "RESTARTS", "NODE", "REVISION", "IMAGE"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>(),
    ];
    for p in &t.final_view.pods {
        pod_rows.push(vec![
            p.name.to_string(),
            p.ready_text(),
            p.phase.to_string(),
            p.restarts.to_string(),
            p.node.as_deref().unwrap_or("<none>").to_string(),
            p.revision.map_or("-".into(), |r| r.to_string()),
            // Every container's image (a pod with several: comma-separated, as `kubectl get ds
            // -o wide` lists a template's).
            match p.containers.as_slice() {
                [] => p.image.to_string(),
                all => all.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(","),
            },
        ]);
    }
    s.push_str(&table(&pod_rows));
    let end = t.steps.last().map_or(0, |s| s.time);
    let state = if t.truncated {
        "stopped at the step limit"
    } else if t.settled {
        "settled"
    } else {
        "still changing (a loop, or the until time)"
    };
    s.push_str(&format!("\n{} steps, t={end}s, {state}\n", t.steps.len()));
    s
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FinalPod<'a> {
    name: &'a str,
    node: Option<&'a str>,
    phase: &'a str,
    ready: bool,
    /// The READY column's two numbers: ready containers, containers.
    ready_containers: usize,
    containers: usize,
    restarts: u32,
    revision: Option<i64>,
    image: &'a str,
    owner: Option<&'a str>,
}

#[derive(Serialize)]
struct FinalRevision<'a> {
    revision: i64,
    hash: &'a str,
    name: &'a str,
    image: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Final<'a> {
    time: u64,
    pods: Vec<FinalPod<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a DsStatus>,
    revisions: Vec<FinalRevision<'a>>,
}

#[derive(Serialize)]
struct Report<'a> {
    mode: &'a str,
    settled: bool,
    steps: &'a [crate::cluster::Step],
    #[serde(rename = "final")]
    final_: Final<'a>,
}

/// `{"mode":…,"settled":…,"steps":[…],"final":{"pods":[…],"status":{…},"revisions":[…]}}`
pub fn json(t: &Timeline) -> String {
    let mut revisions: Vec<FinalRevision> = t
        .revisions
        .iter()
        .map(|r| FinalRevision {
            revision: r.revision,
            hash: &r.hash,
            name: &r.name,
            image: &r.image,
        })
        .collect();
    crate::sort::sort_by_key(&mut revisions, |r| r.revision);
    let report = Report {
        mode: t.mode.as_str(),
        settled: t.settled,
        steps: &t.steps,
        final_: Final {
            time: t.final_view.time,
            pods: t
                .final_view
                .pods
                .iter()
                .map(|p| FinalPod {
                    name: &p.name,
                    node: p.node.as_deref(),
                    phase: &p.phase,
                    ready: p.ready,
                    ready_containers: p.ready_count().0,
                    containers: p.ready_count().1,
                    restarts: p.restarts,
                    revision: p.revision,
                    image: &p.image,
                    owner: p.owner.as_deref(),
                })
                .collect(),
            status: t
                .final_view
                .daemonsets
                .first()
                .filter(|d| !d.deleted)
                .map(|d| &d.status),
            revisions,
        },
    };
    serde_json::to_string(&report).unwrap_or_default() + "\n"
}
