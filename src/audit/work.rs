//! The worker's side of the audit page: reads a dump, runs the core's audit on it, and turns the
//! core's report into the page's display data. Every finding, number and word comes from
//! `dslab_sim::audit`; here they are only grouped and capped for the screen.

use dslab_sim::api::SpecOf;
use std::collections::HashMap;

use dslab_sim::audit::{self, format, DaemonSetAudit, Report, RolloutSeries};
use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::k8s_openapi::api::core::v1::{Node, Pod};

use super::wire::{
    AuditAnswer, AuditAsk, AuditView, DsView, Group, PlaygroundTexts, SeriesView, Verdict, WhatIfView,
};

/// The dump last audited, kept for the what-if, the exports and "Open in the playground".
pub struct Audited {
    /// Sorted as the report sorts them.
    daemonsets: Vec<DaemonSet>,
    nodes: Vec<Node>,
    pods: Vec<Pod>,
    report: Report,
    /// Each DaemonSet's rollout as it is, with its time series (simulated once, when first asked).
    current: Vec<Option<Result<SeriesView, String>>>,
    /// The report's rollouts are simulated (`simulate`).
    simulated: bool,
}

/// Answers `ask`; `text` is the dump that came with a `Read` (or why its file could not be read).
pub fn answer(
    kept: &mut Option<Audited>,
    ask: AuditAsk,
    text: Option<Result<Vec<u8>, String>>,
) -> AuditAnswer {
    match ask {
        AuditAsk::Read { file } => {
            let read = match text.unwrap_or(Ok(Vec::new())) {
                Ok(bytes) => read(&bytes, &file),
                Err(e) => Err(format!("{file}: could not be read ({e})")),
            };
            let view = read.as_ref().map(view).map_err(Clone::clone);
            // A dump that cannot be audited leaves the last one in place (and on screen).
            if let Ok(a) = read {
                *kept = Some(a);
            }
            AuditAnswer::Report(view)
        }
        AuditAsk::Export { markdown } => AuditAnswer::Export(
            kept.as_mut()
                .map(|a| {
                    a.simulate();
                    if markdown {
                        format::markdown(&a.report)
                    } else {
                        format::json(&a.report)
                    }
                })
                .ok_or_else(nothing),
        ),
        AuditAsk::WhatIf { ds, settings } => AuditAnswer::WhatIf(
            kept.as_mut()
                .ok_or_else(nothing)
                .and_then(|a| a.what_if(ds, &settings)),
        ),
        AuditAsk::Playground { ds } => {
            AuditAnswer::Playground(kept.as_ref().ok_or_else(nothing).and_then(|a| a.playground(ds)))
        }
        AuditAsk::Simulate => {
            AuditAnswer::Simulated(kept.as_mut().map(Audited::simulate).unwrap_or_default())
        }
        AuditAsk::WarmUp { piece } => {
            // Read and audited as a dump is, then dropped: the report on screen stays.
            let _ = read(warm_up_dump(piece).as_bytes(), "warm-up");
            AuditAnswer::WarmedUp
        }
    }
}

/// Nodes in each made-up dump of the warm-up (about 100 KB of YAML; five of them warm it up).
const WARM_UP_NODES: usize = 60;

/// A made-up dump in kubectl's shape, for the warm-up: two DaemonSets (one on a node pool, one on
/// the host network tolerating every taint), nodes with labels, a taint on some, the blocks the
/// reader skips (managedFields, images), and the DaemonSets' pods, some on an old template.
fn warm_up_dump(piece: usize) -> String {
    let ds = |name: &str, extra: &str| {
        format!(
            "- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata:\n    annotations:\n      deprecated.daemonset.template.generation: '2'\n    generation: 2\n    name: {name}\n    namespace: kube-system\n    uid: uid-{name}\n  spec:\n    selector:\n      matchLabels:\n        app: {name}\n    template:\n      metadata:\n        labels:\n          app: {name}\n      spec:\n{extra}        containers:\n        - image: registry.example.com/{name}:2\n          name: {name}\n          resources:\n            requests:\n              cpu: 50m\n              memory: 64Mi\n    updateStrategy:\n      rollingUpdate:\n        maxUnavailable: 10%\n      type: RollingUpdate\n  status:\n    desiredNumberScheduled: {WARM_UP_NODES}\n"
        )
    };
    let mut out = String::from("apiVersion: v1\nkind: List\nitems:\n");
    out.push_str(&ds(
        "warm-logs",
        "        nodeSelector:\n          pool: general\n",
    ));
    out.push_str(&ds(
        "warm-net",
        "        tolerations:\n        - operator: Exists\n        hostNetwork: true\n",
    ));
    for i in 0..WARM_UP_NODES {
        let name = format!("warm-{piece}-{i}");
        let pool = if i % 4 == 0 { "gpu" } else { "general" };
        let taint = if i % 4 == 0 {
            "  spec:\n    taints:\n    - effect: NoSchedule\n      key: gpu\n      value: 'true'\n"
        } else {
            ""
        };
        out.push_str(&format!(
            "- apiVersion: v1\n  kind: Node\n  metadata:\n    labels:\n      kubernetes.io/hostname: {name}\n      pool: {pool}\n      topology.kubernetes.io/zone: zone-{}\n    managedFields:\n    - apiVersion: v1\n      fieldsType: FieldsV1\n      fieldsV1:\n        f:metadata:\n          f:labels:\n            f:pool: {{}}\n      manager: kubelet\n    name: {name}\n{taint}  status:\n    allocatable:\n      cpu: 3920m\n      memory: 15Gi\n      pods: '110'\n    capacity:\n      cpu: '4'\n      memory: 16Gi\n      pods: '110'\n    conditions:\n    - status: 'True'\n      type: Ready\n    images:\n    - names:\n      - registry.example.com/warm-net:2\n      sizeBytes: 52428800\n",
            i % 3
        ));
        for (ds, generation) in [("warm-logs", 2), ("warm-net", if i % 5 == 0 { 1 } else { 2 })] {
            if ds == "warm-logs" && pool == "gpu" {
                continue;
            }
            out.push_str(&format!(
                "- apiVersion: v1\n  kind: Pod\n  metadata:\n    labels:\n      app: {ds}\n      controller-revision-hash: hash-{generation}\n      pod-template-generation: '{generation}'\n    name: {ds}-{name}\n    namespace: kube-system\n    ownerReferences:\n    - apiVersion: apps/v1\n      controller: true\n      kind: DaemonSet\n      name: {ds}\n      uid: uid-{ds}\n  spec:\n    containers:\n    - image: registry.example.com/{ds}:2\n      name: {ds}\n    nodeName: {name}\n  status:\n    conditions:\n    - status: 'True'\n      type: Ready\n    phase: Running\n"
            ));
        }
    }
    out
}

fn nothing() -> String {
    "no dump has been audited yet".into()
}

/// Reads and audits `text`: the core's message (file, line, column, field path) when it cannot.
pub fn read(text: &[u8], file: &str) -> Result<Audited, String> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(format!(
            "{file}: empty; expected a cluster dump (kubectl get ds,nodes,pods -A -o yaml)"
        ));
    }
    let m = dslab_sim::api::parse_manifests(text, file).map_err(|e| e.to_string())?;
    // The findings first; the rollouts are simulated when the page asks (`Simulate`).
    let (report, m) = audit::audit_unsimulated(m).map_err(|e| format!("{file}: {e}"))?;
    // In the report's order (looked up, not sorted again: a sort is code of its own in the wasm).
    let daemonsets = report
        .daemonsets
        .iter()
        .filter_map(|a| {
            m.daemonsets
                .iter()
                .find(|d| dslab_sim::api::daemonset_key(d) == a.daemonset)
                .cloned()
        })
        .collect();
    Ok(Audited {
        daemonsets,
        nodes: m.nodes,
        pods: m.pods,
        report,
        current: Vec::new(),
        simulated: false,
    })
}

fn view(a: &Audited) -> AuditView {
    let r = &a.report;
    let names: Vec<String> = a
        .nodes
        .iter()
        .map(|n| n.metadata.name.clone().unwrap_or_default())
        .collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut notes = Vec::new();
    if !r.skipped.is_empty() {
        let kinds: Vec<String> = r.skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
        notes.push(format!("skipped other kinds: {}", kinds.join(", ")));
    }
    notes.extend(r.notes.iter().cloned());
    AuditView {
        file: String::new(),
        summary: r.summary.clone(),
        notes,
        daemonsets: r
            .daemonsets
            .iter()
            .zip(&a.daemonsets)
            .map(|(d, ds)| ds_view(d, ds, &index, names.len()))
            .collect(),
        nodes: names,
    }
}

fn num(v: Option<i64>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

fn ds_view(a: &DaemonSetAudit, ds: &DaemonSet, index: &HashMap<&str, usize>, nodes: usize) -> DsView {
    let c = &a.computed;
    let reported = a.reported.as_ref();
    let counts = vec![
        (
            c.desired_number_scheduled.to_string(),
            reported.map(|r| r.desired_number_scheduled.to_string()),
        ),
        (
            c.current_number_scheduled.to_string(),
            reported.map(|r| r.current_number_scheduled.to_string()),
        ),
        (
            c.number_ready.to_string(),
            reported.map(|r| r.number_ready.to_string()),
        ),
        (
            num(c.updated_number_scheduled),
            reported.map(|r| num(r.updated_number_scheduled)),
        ),
        (num(c.number_available), reported.map(|r| num(r.number_available))),
    ];
    let ro = &a.rollout;
    let strategy = [
        ro.max_unavailable
            .as_ref()
            .map_or("1".into(), |b| b.value.clone()),
        ro.max_surge.as_ref().map_or("0".into(), |b| b.value.clone()),
        ro.min_ready_seconds.to_string(),
    ];
    DsView {
        key: a.daemonset.clone(),
        counts,
        node_selector: dslab_sim::api::labels::format_map(
            ds.spec()
                .template
                .spec
                .as_ref()
                .and_then(|s| s.node_selector.as_ref()),
        ),
        headline: a.headline(),
        groups: groups(a),
        rollout: rollout_lines(a),
        simulating: a.rollout.to_simulate(),
        strategy,
        cells: cells(a, index, nodes),
    }
}

/// The rows of `items` up to the core's `ROWS`, and how many are left out.
fn capped<T>(title: String, items: &[T], row: impl Fn(&T) -> String) -> Group {
    Group {
        title,
        rows: items.iter().take(format::ROWS).map(row).collect(),
        more: items.len().saturating_sub(format::ROWS),
    }
}

fn reasons(r: &[dslab_sim::Reason]) -> String {
    let all: Vec<String> = r.iter().map(|r| format!("{}: {}", r.code, r.message)).collect();
    all.join("; ")
}

/// The nodes grouped by reason: missed by first reason (in the order of their first node),
/// pending with the numbers, missing, misscheduled, outdated; then the status differences and
/// the notes.
pub fn groups(a: &DaemonSetAudit) -> Vec<Group> {
    let mut out = Vec::new();
    let mut missed: Vec<(String, Vec<String>)> = Vec::new();
    for m in &a.missed {
        let key = m.reasons.first().map_or("(no reason given)".into(), |r| {
            format!("{}: {}", r.code, r.message)
        });
        match missed.iter_mut().find(|(k, _)| *k == key) {
            Some((_, nodes)) => nodes.push(m.node.clone()),
            None => missed.push((key, vec![m.node.clone()])),
        }
    }
    for (reason, nodes) in missed {
        let title = format!("Missed, {} node(s): {reason}", nodes.len());
        out.push(capped(title, &nodes, Clone::clone));
    }
    if !a.pending.is_empty() {
        let title = format!(
            "Pending, {} node(s): a pod should run but the scheduler cannot bind it",
            a.pending.len()
        );
        out.push(capped(title, &a.pending, |p| {
            format!("{}: {}", p.node, reasons(&p.reasons))
        }));
    }
    if !a.missing.is_empty() {
        let title = format!(
            "Missing, {} node(s): a pod should run and there is none",
            a.missing.len()
        );
        out.push(capped(title, &a.missing, |m| m.node.clone()));
    }
    if !a.misscheduled.is_empty() {
        let title = format!(
            "Misscheduled, {} pod(s) on nodes where none should run",
            a.misscheduled.len()
        );
        out.push(capped(title, &a.misscheduled, |m| {
            let fate = if m.will_be_deleted {
                "will be deleted (willBeDeleted true)"
            } else {
                "stays: only NoSchedule taints are untolerated (willBeDeleted false)"
            };
            format!("{} on {}: {fate}", m.pod, m.node)
        }));
    }
    if !a.outdated.is_empty() {
        let title = format!(
            "Outdated, {} pod(s) not on the current template",
            a.outdated.len()
        );
        out.push(capped(title, &a.outdated, |o| format!("{} on {}", o.pod, o.node)));
    }
    if !a.status_differences.is_empty() {
        let title = "The DaemonSet's status differs from the rules".to_string();
        out.push(capped(title, &a.status_differences, |d| d.message.clone()));
    }
    if !a.notes.is_empty() {
        out.push(capped("Notes".into(), &a.notes, Clone::clone));
    }
    out
}

fn rollout_lines(a: &DaemonSetAudit) -> Vec<String> {
    let r = &a.rollout;
    let mut out = vec![match (&r.max_unavailable, &r.max_surge) {
        (Some(u), Some(s)) => format!(
            "{}: maxUnavailable {} → {}, maxSurge {} → {} (of desired {}), minReadySeconds {}",
            r.strategy,
            u.value,
            u.resolved,
            s.value,
            s.resolved,
            a.desired_number_scheduled,
            r.min_ready_seconds
        ),
        _ => format!("{}, minReadySeconds {}", r.strategy, r.min_ready_seconds),
    }];
    out.push(format!(
        "{}/{} updated, {} outdated pod(s), {} unavailable: {}",
        num(r.updated),
        a.desired_number_scheduled,
        r.outdated,
        r.unavailable,
        if r.complete { "complete" } else { "in progress" }
    ));
    for s in &r.stalls {
        out.push(format!("stall: {}: {}", s.code, s.message));
    }
    out
}

/// Each node's verdict, in `index` order. A node in several lists shows the one that asks most
/// for attention: misscheduled, then pending, missing, outdated; a missed node its first reason.
pub fn cells(a: &DaemonSetAudit, index: &HashMap<&str, usize>, nodes: usize) -> Vec<u8> {
    use dslab_sim::ReasonCode as C;
    let mut cells = vec![Verdict::Runs as u8; nodes];
    let mut set = |node: &str, v: Verdict| {
        if let Some(i) = index.get(node) {
            cells[*i] = v as u8;
        }
    };
    for m in &a.missed {
        let v = match m.reasons.first().map(|r| r.code) {
            Some(C::NodeNameMismatch) => Verdict::MissedName,
            Some(C::NodeSelector) => Verdict::MissedSelector,
            Some(C::NodeAffinity) => Verdict::MissedAffinity,
            Some(C::UntoleratedTaint) => Verdict::MissedTaint,
            _ => Verdict::MissedOther,
        };
        set(&m.node, v);
    }
    for o in &a.outdated {
        set(&o.node, Verdict::Outdated);
    }
    for m in &a.missing {
        set(&m.node, Verdict::Missing);
    }
    for p in &a.pending {
        set(&p.node, Verdict::Pending);
    }
    for m in &a.misscheduled {
        set(&m.node, Verdict::Misscheduled);
    }
    cells
}

fn series(s: RolloutSeries) -> SeriesView {
    SeriesView {
        budget: format!(
            "maxUnavailable {} → {}, maxSurge {} → {}, minReadySeconds {}",
            s.max_unavailable.value,
            s.max_unavailable.resolved,
            s.max_surge.value,
            s.max_surge.resolved,
            s.min_ready_seconds
        ),
        points: s
            .points
            .iter()
            .map(|p| (p.time, p.updated, p.unavailable, p.surge))
            .collect(),
        desired: s.desired,
        duration: s.duration_seconds.filter(|_| s.finished),
        last_change: s.last_change_at,
        updated_at_end: s.updated_at_end,
        peak_unavailable: s.peak_unavailable,
        peak_surge: s.peak_surge,
        stalls: s
            .stalls
            .iter()
            .map(|s| format!("{}: {}", s.code, s.message))
            .collect(),
    }
}

/// `maxUnavailable=…,maxSurge=…,minReadySeconds=…` of the fields the user filled.
pub fn strategy_text(settings: &[String; 3]) -> String {
    let parts: Vec<String> = ["maxUnavailable", "maxSurge", "minReadySeconds"]
        .iter()
        .zip(settings)
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", v.trim()))
        .collect();
    parts.join(",")
}

impl Audited {
    /// Simulates the rollouts the report left to simulate (`Rollout::to_simulate`); the what-if
    /// chart keeps their time series, so it need not run them again. Each DaemonSet's line.
    fn simulate(&mut self) -> Vec<Option<String>> {
        if !self.simulated {
            self.simulated = true;
            self.current.resize(self.daemonsets.len(), None);
            let (nodes, pods) = (&self.nodes, &self.pods);
            let rollouts = self.report.daemonsets.iter_mut().map(|a| &mut a.rollout);
            for ((rollout, ds), current) in rollouts.zip(&self.daemonsets).zip(&mut self.current) {
                if rollout.to_simulate() {
                    let run = audit::simulate_rollout(ds, nodes, pods, None);
                    rollout.simulated = run.as_ref().ok().map(|s| RolloutSeries {
                        points: Vec::new(),
                        ..s.clone()
                    });
                    *current = Some(run.map(series));
                }
            }
        }
        let line = |a: &DaemonSetAudit| {
            let s = a.rollout.simulated.as_ref()?;
            Some(format!("simulated: {}", format::series_line(s)))
        };
        self.report.daemonsets.iter().map(line).collect()
    }

    fn what_if(&mut self, i: usize, settings: &[String; 3]) -> Result<WhatIfView, String> {
        let ds = self.daemonsets.get(i).ok_or("no such DaemonSet")?;
        let over = audit::parse_strategy(&strategy_text(settings))?;
        let asked = audit::simulate_rollout(ds, &self.nodes, &self.pods, Some(&over))?;
        let asked = series(asked);
        let (nodes, pods) = (&self.nodes, &self.pods);
        if self.current.len() <= i {
            self.current.resize(i + 1, None);
        }
        let current = self.current[i]
            .get_or_insert_with(|| audit::simulate_rollout(ds, nodes, pods, None).map(series))
            .clone();
        Ok(WhatIfView {
            ds: i,
            current,
            what_if: asked,
        })
    }

    fn playground(&self, i: usize) -> Result<PlaygroundTexts, String> {
        let ds = self.daemonsets.get(i).ok_or("no such DaemonSet")?;
        let mut docs: Vec<String> = self.nodes.iter().map(dslab_sim::to_yaml).collect();
        docs.extend(
            self.pods
                .iter()
                .filter(|p| !dslab_sim::plan::is_daemon_pod(ds, p))
                .map(dslab_sim::to_yaml),
        );
        Ok(PlaygroundTexts {
            daemonset: dslab_sim::to_yaml(ds),
            nodes: Some(docs.join("---\n").into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI's audit fixture: two DaemonSets on seven nodes (see crates/cli/tests/audit.rs for
    /// what each node holds).
    const DUMP: &str = include_str!("../../crates/cli/tests/fixtures/audit-dump.yaml");

    fn audited() -> Audited {
        read(DUMP.as_bytes(), "audit-dump.yaml").expect("the fixture audits")
    }

    /// The fixture's report as `dslab audit` makes it (its rollouts simulated).
    fn cli_report() -> audit::Report {
        let m = dslab_sim::api::parse_manifests(DUMP.as_bytes(), "audit-dump.yaml").expect("parses");
        audit::audit(m).expect("audits")
    }

    fn letters(cells: &[u8]) -> String {
        cells.iter().map(|c| super::super::wire::look(*c).1).collect()
    }

    #[test]
    fn each_node_gets_the_verdict_that_asks_most_for_attention() {
        let a = audited();
        let v = view(&a);
        assert_eq!(
            v.nodes,
            ["node-a", "node-b", "node-c", "node-d", "node-e", "node-f", "node-g"]
        );
        for (name, ds, want) in [
            // a runs; b outdated; c node-selector; d misscheduled (stays); e pending (and
            // missing: pending wins); f missing; g misscheduled (deleted).
            ("node-agent", 0, "✓OSXPMX"),
            // exporter tolerates everything: d's pod is outdated by hash; e, f, g have none.
            ("exporter", 1, "✓✓✓OMMM"),
        ] {
            assert_eq!(letters(&v.daemonsets[ds].cells), want, "{name}");
        }
    }

    #[test]
    fn cells_of_overlapping_findings() {
        use dslab_sim::audit::{MissingNode, NodeReasons, Outdated};
        let mut a = audited().report.daemonsets[0].clone();
        let index: HashMap<&str, usize> = [("x", 0), ("y", 1), ("z", 2)].into_iter().collect();
        a.missed = vec![NodeReasons {
            node: "x".into(),
            reasons: vec![],
        }];
        a.pending = vec![];
        a.misscheduled = vec![];
        a.missing = vec![MissingNode { node: "y".into() }];
        a.outdated = vec![
            Outdated {
                pod: "p".into(),
                node: "y".into(),
            },
            Outdated {
                pod: "q".into(),
                node: "not-a-node".into(),
            },
        ];
        for (name, i, want) in [
            ("a missed node without a reason", 0, Verdict::MissedOther),
            ("missing beats outdated", 1, Verdict::Missing),
            ("in no list: runs", 2, Verdict::Runs),
        ] {
            assert_eq!(cells(&a, &index, 3)[i], want as u8, "{name}");
        }
    }

    #[test]
    fn the_row_shows_computed_and_reported_counts() {
        let v = view(&audited());
        let agent = &v.daemonsets[0];
        assert_eq!(agent.key, "kube-system/node-agent");
        assert_eq!(
            agent.counts[0],
            ("4".to_string(), Some("5".to_string())),
            "DESIRED"
        );
        assert_eq!(
            agent.counts[1],
            ("3".to_string(), Some("5".to_string())),
            "CURRENT"
        );
        let titles: Vec<&str> = agent.groups.iter().map(|g| g.title.as_str()).collect();
        for want in [
            // One group per reason: two taints, two groups.
            "Missed, 1 node(s): untolerated-taint: node(s) had untolerated taint {dedicated: gpu}",
            "Missed, 1 node(s): untolerated-taint: node(s) had untolerated taint {maintenance: }",
            "Missed, 1 node(s): node-selector",
            "Pending, 1 node(s)",
            "Missing, 1 node(s)",
            "Misscheduled, 2 pod(s)",
            "Outdated, 1 pod(s)",
            "The DaemonSet's status differs",
        ] {
            assert!(titles.iter().any(|t| t.starts_with(want)), "{want} in {titles:?}");
        }
        let mis = agent
            .groups
            .iter()
            .find(|g| g.title.starts_with("Misscheduled"))
            .unwrap();
        assert!(mis
            .rows
            .iter()
            .any(|r| r.contains("node-g") && r.contains("will be deleted")));
        assert!(mis
            .rows
            .iter()
            .any(|r| r.contains("node-d") && r.contains("stays")));
        assert!(
            v.notes.iter().any(|n| n.starts_with("unknown owner")),
            "{:?}",
            v.notes
        );
    }

    #[test]
    fn bad_input_says_where_and_what() {
        for (name, text, want) in [
            ("empty", "  \n", "dump.yaml: empty; expected a cluster dump"),
            ("invalid YAML", "kind: List\nitems: [\n", "dump.yaml:"),
            (
                "no nodes",
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n",
                "found no Node",
            ),
        ] {
            let e = read(text.as_bytes(), "dump.yaml")
                .err()
                .unwrap_or_else(|| panic!("{name}: no error"));
            assert!(e.contains(want), "{name}: {e}");
        }
        let mut kept = Some(audited());
        let answer = answer(
            &mut kept,
            AuditAsk::Read { file: "x".into() },
            Some(Ok(b"kind: [".to_vec())),
        );
        assert!(matches!(answer, AuditAnswer::Report(Err(_))));
        assert!(kept.is_some(), "a bad dump keeps the last one");
    }

    #[test]
    fn a_warm_up_audits_a_made_up_dump_and_keeps_the_report() {
        for piece in 0..2 {
            let a = read(warm_up_dump(piece).as_bytes(), "warm-up").expect("the warm-up dump audits");
            assert_eq!(a.nodes.len(), WARM_UP_NODES);
            let outline: Vec<&str> = a.report.daemonsets.iter().map(|d| d.daemonset.as_str()).collect();
            assert_eq!(outline, ["kube-system/warm-logs", "kube-system/warm-net"]);
            // Findings of more than one kind, so the audit's paths run: nodes the selector
            // misses, outdated pods.
            let logs = &a.report.daemonsets[0];
            assert!(!logs.missed.is_empty(), "{}", a.report.summary);
            assert!(
                !a.report.daemonsets[1].outdated.is_empty(),
                "{}",
                a.report.summary
            );
        }
        let mut kept = Some(audited());
        let answer = answer(&mut kept, AuditAsk::WarmUp { piece: 0 }, None);
        assert_eq!(answer, AuditAnswer::WarmedUp);
        assert_eq!(kept.map(|a| a.nodes.len()), Some(7), "the fixture's report stays");
    }

    #[test]
    fn what_if_simulates_both_strategies() {
        let mut kept = Some(audited());
        let settings = ["0".to_string(), "1".to_string(), String::new()];
        assert_eq!(strategy_text(&settings), "maxUnavailable=0,maxSurge=1");
        let AuditAnswer::WhatIf(Ok(w)) = answer(&mut kept, AuditAsk::WhatIf { ds: 0, settings }, None) else {
            panic!("a what-if");
        };
        assert!(
            w.what_if
                .budget
                .starts_with("maxUnavailable 0 → 0, maxSurge 1 → 1"),
            "{}",
            w.what_if.budget
        );
        assert!(!w.what_if.points.is_empty());
        let now = w.current.expect("as it is");
        assert!(now.budget.starts_with("maxUnavailable 1"), "{}", now.budget);
        let bad = ["0".to_string(), "0".to_string(), String::new()];
        let AuditAnswer::WhatIf(Err(e)) = answer(&mut kept, AuditAsk::WhatIf { ds: 0, settings: bad }, None)
        else {
            panic!("both zero is refused");
        };
        assert!(e.contains("exactly one of them must be non-zero"), "{e}");
    }

    #[test]
    fn the_report_comes_first_and_its_simulations_after() {
        let mut kept = Some(audited());
        let AuditAnswer::Report(Ok(view)) = answer(
            &mut kept,
            AuditAsk::Read { file: "x".into() },
            Some(Ok(DUMP.as_bytes().to_vec())),
        ) else {
            panic!("a report");
        };
        let simulating: Vec<bool> = view.daemonsets.iter().map(|d| d.simulating).collect();
        assert!(
            simulating.contains(&true),
            "the fixture has an outdated DaemonSet"
        );
        assert!(view
            .daemonsets
            .iter()
            .all(|d| !d.rollout.iter().any(|l| l.starts_with("simulated"))));
        let AuditAnswer::Simulated(lines) = answer(&mut kept, AuditAsk::Simulate, None) else {
            panic!("simulated lines");
        };
        let has_line: Vec<bool> = lines.iter().map(Option::is_some).collect();
        assert_eq!(has_line, simulating);
        let full = cli_report();
        for (line, a) in lines.iter().zip(&full.daemonsets) {
            let want = a
                .rollout
                .simulated
                .as_ref()
                .map(|s| format!("simulated: {}", format::series_line(s)));
            assert_eq!(*line, want, "{}", a.daemonset);
        }
        // The what-if chart's "as it is" is that same run, kept with its time series.
        let i = simulating.iter().position(|s| *s).unwrap_or_default();
        assert!(kept.as_ref().unwrap().current[i]
            .as_ref()
            .is_some_and(|c| c.as_ref().is_ok_and(|c| !c.points.is_empty())));
    }

    #[test]
    fn exports_and_the_playground_texts() {
        let mut kept = Some(audited());
        let AuditAnswer::Export(Ok(md)) = answer(&mut kept, AuditAsk::Export { markdown: true }, None) else {
            panic!("markdown");
        };
        let AuditAnswer::Export(Ok(json)) = answer(&mut kept, AuditAsk::Export { markdown: false }, None)
        else {
            panic!("json");
        };
        // The report was read without its simulations: the exports are the CLI's, simulations in.
        let full = cli_report();
        assert_eq!(md, format::markdown(&full));
        assert_eq!(json, format::json(&full));
        let AuditAnswer::Playground(Ok(PlaygroundTexts {
            daemonset: ds,
            nodes: Some(nodes),
        })) = answer(&mut kept, AuditAsk::Playground { ds: 0 }, None)
        else {
            panic!("playground");
        };
        let nodes = nodes.into_string();
        assert!(ds.contains("name: node-agent"), "{ds}");
        assert_eq!(nodes.matches("kind: Node").count(), 7);
        // Its own pods stay out (the playground creates them); other workloads' pods come along.
        assert!(!nodes.contains("node-agent-"), "own pods left out");
        assert!(nodes.contains("kind: Pod"));
        let mut none = None;
        assert!(matches!(
            answer(&mut none, AuditAsk::Playground { ds: 0 }, None),
            AuditAnswer::Playground(Err(_))
        ));
    }
}
