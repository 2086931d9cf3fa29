//! The two printed forms of a timeline: a readable text timeline and stable JSON.

use super::Timeline;
use crate::cluster::DsStatus;
use serde::Serialize;

/// `t=12s  scheduler             Successfully assigned kube-system/kube-proxy-x2f9 to node-3`
pub fn text(t: &Timeline) -> String {
    let mut s = String::new();
    if let Some(title) = &t.title {
        s.push_str(&format!("# {title} ({} mode)\n", t.mode.as_str()));
    }
    for step in &t.steps {
        s.push_str(&format!(
            "t={:<6} {:<20} {}\n",
            format!("{}s", step.time),
            step.actor.as_str(),
            step.message
        ));
    }
    s.push('\n');
    for d in &t.final_view.daemonsets {
        let st = &d.status;
        s.push_str("NAMESPACE     NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR\n");
        s.push_str(&format!(
            "{:<13} {:<13} {:<9} {:<9} {:<7} {:<12} {:<11} {}{}\n",
            d.namespace,
            d.name,
            st.desired_number_scheduled,
            st.current_number_scheduled,
            st.number_ready,
            st.updated_number_scheduled,
            st.number_available,
            d.node_selector,
            if d.deleted { "   (deleted)" } else { "" }
        ));
    }
    s.push_str("\nNAME                      READY   STATUS               RESTARTS   NODE          REVISION   IMAGE\n");
    for p in &t.final_view.pods {
        s.push_str(&format!(
            "{:<25} {:<7} {:<20} {:<10} {:<13} {:<10} {}\n",
            p.name,
            if p.ready { "1/1" } else { "0/1" },
            p.phase,
            p.restarts,
            p.node.clone().unwrap_or_else(|| "<none>".into()),
            p.revision.map_or("-".into(), |r| r.to_string()),
            p.image
        ));
    }
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
    revisions.sort_by_key(|r| r.revision);
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
