//! The audit of a whole cluster dump (`kubectl get ds,nodes,pods -A -o yaml`): for every
//! DaemonSet, the nodes its controller skips and why, the pods that cannot be bound, the nodes
//! that lack a pod, the pods on nodes where none should run, the pods on an old template, and
//! where its rollout stands.
//!
//! Rules and their sources (`shared/k8s-daemonset-semantics.md`):
//! - which nodes get a pod: §1 (`NodeShouldRunDaemonPod`), through [`plan_on`];
//! - which pods belong to a DaemonSet and which node each is for: §6.2, §3.1
//!   (`GetTargetNodeName`);
//! - the status counters the findings are compared with: §6.6 (`updateDaemonSetStatus`);
//! - outdated pods: §7.3 (`IsPodUpdated`, `GetTemplateGeneration` in
//!   `pkg/controller/daemon/util/daemonset_util.go`);
//! - the rollout budget and its stalls: §7.2, §7.4, §7.5 (`update.go`).
//!
//! Deterministic: every list is sorted by name, and the same dump gives the same report.

mod findings;
pub mod format;
mod pods;
mod revision;
pub mod rollout;
mod status;
#[cfg(test)]
mod tests;

pub use findings::{Misscheduled, MissingNode, NodeReasons, Outdated, ReasonCount, StatusDifference};
pub use revision::CurrentRevision;
pub use rollout::{
    parse_strategy, simulate_rollout, Budget, Rollout, RolloutSeries, SeriesPoint, Stall, StrategyOverride,
};
pub use status::StatusCounts;

// The core's public entry points this module builds on (kept together: re-pathing is mechanical).
use crate::api::{daemonset_key, Manifests};
use crate::plan::{no_conditions_note, plan_on};
use crate::scheduler::node_info::Nodes;
use crate::words::Mode;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Pod;
use serde::Serialize;
use std::collections::BTreeMap;

/// The report of one dump. JSON: documented in the README (`dslab audit`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// One audit per DaemonSet, sorted by `NAMESPACE/NAME`.
    pub daemonsets: Vec<DaemonSetAudit>,
    /// Objects of other kinds, by kind (sorted), as the other commands skip them.
    pub skipped: BTreeMap<String, usize>,
    pub summary: String,
    /// How many Nodes and Pods the dump holds.
    pub nodes: usize,
    pub pods: usize,
    /// What the audit could not place or had to assume, for the whole dump (pods of
    /// DaemonSets that are not in the dump, a dump without pods, nodes without conditions).
    pub notes: Vec<String>,
}

/// The findings for one DaemonSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetAudit {
    /// `NAMESPACE/NAME`.
    pub daemonset: String,
    /// Nodes where the controller wants a pod (shouldRun, §1), as the rules compute it.
    pub desired_number_scheduled: usize,
    /// Nodes where the controller creates no pod (shouldRun false), with every reason.
    pub missed: Vec<NodeReasons>,
    /// Nodes where a pod should run but cannot be bound (resources with the numbers, host ports
    /// with the pod holding them): it stays Pending (§1.3, §9.3).
    pub pending: Vec<NodeReasons>,
    /// Nodes where a pod should run and the dump has none for them.
    pub missing: Vec<MissingNode>,
    /// Pods on nodes where none should run (§1.4), and whether the controller deletes them
    /// (shouldContinueRunning false, §6.3).
    pub misscheduled: Vec<Misscheduled>,
    /// Pods not on the current template (§7.3).
    pub outdated: Vec<Outdated>,
    pub rollout: Rollout,
    /// The counters as the rules compute them from the dump's nodes and pods (§6.6).
    pub computed: StatusCounts,
    /// The DaemonSet's own `status` in the dump; None when it has none.
    pub reported: Option<StatusCounts>,
    /// Where `computed` and `reported` disagree: the controller is behind, or the dump is stale.
    pub status_differences: Vec<StatusDifference>,
    /// `missed` counted by the first reason of each node, codes in order.
    pub missed_by_reason: Vec<ReasonCount>,
    /// What this DaemonSet's audit assumed or could not decide.
    pub notes: Vec<String>,
}

/// Why a dump cannot be audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditError {
    NoNodes,
    NoDaemonSets,
    /// The what-if strategy is not one the API server accepts for this DaemonSet.
    WhatIf(String),
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AuditError::WhatIf(m) => m,
            AuditError::NoNodes => "found no Node; expected the cluster's Nodes beside its DaemonSets and Pods (kubectl get ds,nodes,pods -A -o yaml): without nodes no DaemonSet can be audited",
            AuditError::NoDaemonSets => "found no DaemonSet; expected DaemonSets (apps/v1) beside the Nodes and Pods (kubectl get ds,nodes,pods -A -o yaml)",
        })
    }
}

/// Audits every DaemonSet of `m` against its Nodes and Pods (other kinds are only counted).
/// Current scheduling mode (v1.12+, the default scheduler binds DaemonSet pods), as every
/// supported cluster runs.
pub fn audit(m: Manifests) -> Result<Report, AuditError> {
    audit_with(m, None)
}

/// [`audit`], and for every DaemonSet its rollout simulated as it is and under `what_if`
/// (both with their time series): an outdated DaemonSet's remaining rollout, an up-to-date one's
/// next rollout (every pod replaced, as after a template change).
pub fn audit_with(m: Manifests, what_if: Option<&StrategyOverride>) -> Result<Report, AuditError> {
    audit_all(m, what_if, true).map(|(report, _)| report)
}

/// [`audit`] without the rollouts' simulations (one whole-cluster simulation per outdated
/// DaemonSet: most of the audit's time on a big dump), for a page that shows the findings first
/// and fills `rollout.simulated` with [`simulate_rollout`] where [`Rollout::to_simulate`] says.
/// The objects come back with the report, for those simulations (a copy of a 5,000-node dump's
/// objects took 30 ms in the browser).
pub fn audit_unsimulated(m: Manifests) -> Result<(Report, Manifests), AuditError> {
    audit_all(m, None, false)
}

fn audit_all(
    mut m: Manifests,
    what_if: Option<&StrategyOverride>,
    simulate: bool,
) -> Result<(Report, Manifests), AuditError> {
    if m.nodes.is_empty() {
        return Err(AuditError::NoNodes);
    }
    if m.daemonsets.is_empty() {
        return Err(AuditError::NoDaemonSets);
    }
    let mut skipped = BTreeMap::new();
    for (kind, n) in &m.skipped.0 {
        *skipped.entry(kind.clone()).or_default() += n;
    }
    let mut daemonsets: Vec<&DaemonSet> = m.daemonsets.iter().collect();
    crate::sort::sort_by_key(&mut daemonsets, |d| daemonset_key(d));
    let nodes = Nodes::new(std::mem::take(&mut m.nodes));
    let pods = &m.pods;
    let mut notes = unknown_owner_notes(&daemonsets, pods);
    if pods.is_empty() {
        notes.push("the dump holds no Pod: every node where a pod should run is listed as missing (dump the pods too: kubectl get ds,nodes,pods -A -o yaml)".into());
    }
    if let Some(n) = no_conditions_note(nodes.list()) {
        notes.push(n);
    }
    let audits: Vec<DaemonSetAudit> = daemonsets
        .iter()
        .map(|ds| {
            let plan = plan_on(ds, &nodes, pods, Mode::Current);
            let changed = what_if
                .map(|o| rollout::with_strategy(ds, o))
                .transpose()
                .map_err(|e| {
                    AuditError::WhatIf(format!("--what-if for DaemonSet {}: {e}", daemonset_key(ds)))
                })?;
            let (mut a, stalls) =
                findings::audit_one(ds, &plan, nodes.list(), pods, changed.as_ref().map(|c| &c.0));
            if let Some(o) = what_if {
                let mut asked =
                    simulate_rollout(ds, nodes.list(), pods, Some(o)).map_err(AuditError::WhatIf)?;
                asked.stalls = stalls;
                a.rollout.simulated = simulate_rollout(ds, nodes.list(), pods, None).ok();
                a.rollout.what_if = Some(asked);
            } else if simulate && a.rollout.to_simulate() {
                a.rollout.simulated = simulate_rollout(ds, nodes.list(), pods, None).ok().map(|mut s| {
                    s.points.clear();
                    s
                });
            }
            Ok(a)
        })
        .collect::<Result<_, AuditError>>()?;
    let summary = summarize(&audits, nodes.list().len(), pods.len());
    let report = Report {
        daemonsets: audits,
        skipped,
        summary,
        nodes: nodes.list().len(),
        pods: pods.len(),
        notes,
    };
    let m = Manifests {
        nodes: nodes.into_list(),
        ..m
    };
    Ok((report, m))
}

/// Pods whose controller is a DaemonSet the dump does not hold: they are not audited (their
/// resources and host ports still count on their nodes).
fn unknown_owner_notes(daemonsets: &[&DaemonSet], pods: &[Pod]) -> Vec<String> {
    let known: std::collections::HashSet<(&str, &str)> = daemonsets
        .iter()
        .map(|d| {
            (
                d.metadata.namespace.as_deref().unwrap_or("default"),
                d.metadata.name.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let mut unknown: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pods {
        let ns = p.metadata.namespace.as_deref().unwrap_or("default");
        let owner = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true) && o.kind == "DaemonSet");
        if let Some(o) = owner {
            if !known.contains(&(ns, o.name.as_str())) {
                let pod = format!("{ns}/{}", p.metadata.name.as_deref().unwrap_or_default());
                unknown.entry(format!("{ns}/{}", o.name)).or_default().push(pod);
            }
        }
    }
    unknown
        .into_iter()
        .map(|(owner, mut pods)| {
            crate::sort::sort(&mut pods);
            let first = pods.first().cloned().unwrap_or_default();
            let more = match pods.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            format!(
                "unknown owner: {} pod(s) ({first}{more}) belong to DaemonSet {owner}, which is not in the dump: not audited (their resources and host ports still count on their nodes); dump every namespace with -A",
                pods.len()
            )
        })
        .collect()
}

fn summarize(audits: &[DaemonSetAudit], nodes: usize, pods: usize) -> String {
    let with_findings = audits.iter().filter(|a| a.has_findings()).count();
    let parts: Vec<String> = audits
        .iter()
        .map(|a| format!("{}: {}", a.daemonset, a.headline()))
        .collect();
    format!(
        "{} DaemonSet(s) on {nodes} node(s) and {pods} pod(s), {with_findings} with findings; {}",
        audits.len(),
        parts.join("; ")
    )
}

impl DaemonSetAudit {
    /// Anything a person should look at (a missed node alone is by design, not a finding).
    pub fn has_findings(&self) -> bool {
        !(self.status_differences.is_empty()
            && self.pending.is_empty()
            && self.missing.is_empty()
            && self.misscheduled.is_empty()
            && self.outdated.is_empty()
            && self.rollout.stalls.is_empty())
    }

    /// One line: desired, and the count of each non-empty finding.
    pub fn headline(&self) -> String {
        let mut s = format!("desired {}", self.desired_number_scheduled);
        if let Some(r) = &self.reported {
            if r.desired_number_scheduled != self.desired_number_scheduled as i64 {
                s.push_str(&format!(" (status says {})", r.desired_number_scheduled));
            }
        }
        for (n, what) in [
            (self.missed.len(), "missed"),
            (self.pending.len(), "pending"),
            (self.missing.len(), "missing"),
            (self.misscheduled.len(), "misscheduled"),
            (self.outdated.len(), "outdated"),
            (self.rollout.stalls.len(), "rollout stall(s)"),
        ] {
            if n > 0 {
                s.push_str(&format!(", {n} {what}"));
            }
        }
        s
    }
}
