//! Where a DaemonSet's rollout stands: the strategy and its budget resolved against desired
//! (§7.1, §7.2), what would stall it (§7.4, §7.5), and the simulated time to finish it; and the
//! what-if: the same rollout under another maxUnavailable, maxSurge or minReadySeconds, as a
//! time series of updated, unavailable and surge pods.
//!
//! Sources: `pkg/controller/daemon/update.go` (`rollingUpdate`, `updatedDesiredNodeCounts`),
//! `pkg/controller/daemon/util/daemonset_util.go` (`SurgeCount`, `UnavailableCount`),
//! `pkg/apis/apps/validation/validation.go` (`ValidateRollingUpdateDaemonSet`).

use super::pods::{is_ready, is_terminal, is_terminating, pod_key};
use super::revision::{is_updated, CurrentRevision};
use super::status::StatusCounts;
use crate::api::SpecOf;
// The core's public entry points (kept together: re-pathing is mechanical).
use crate::cluster::{timing, Change};
use crate::controller::daemonset::daemon_pod::{add_daemon_tolerations, template_spec, REVISION_HASH_LABEL};
use crate::controller::daemonset::history::template_hash;
use crate::controller::daemonset::rolling_update::scaled;
use crate::plan::{is_daemon_pod, NodeVerdict};
use crate::scheduler::node_resources::{allocatable, host_ports, shortfalls};
use crate::simulate::{run, Action, Scenario, ScenarioEvent};
use crate::words::Mode;
use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::api::core::v1::{Node, NodeCondition, NodeStatus, Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// How long a simulated rollout may take before it is called unfinished (30 days).
const HORIZON: u64 = 30 * 24 * 3600;
/// When the simulated rollout starts, before minReadySeconds (`rollout_start`).
const START: u64 = 1;
/// Marks the images of old pods in a simulated rollout, so that new pods pull theirs.
const OLD_IMAGE: &str = "-previous";
/// How many node names a stall message lists.
const NAMES: usize = 3;

/// A budget as written and as the controller resolves it against desired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    /// As written (`1`, `"10%"`), or the default.
    pub value: String,
    pub resolved: i64,
}

/// Something that stops the rollout from finishing on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stall {
    /// `on-delete`, `surge-with-host-port`, `max-unavailable-zero-with-unavailable-pods`,
    /// `unavailable-budget-used-up`, `no-room-for-surge`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    /// `RollingUpdate` or `OnDelete`.
    pub strategy: String,
    /// None for OnDelete.
    pub max_unavailable: Option<Budget>,
    pub max_surge: Option<Budget>,
    pub min_ready_seconds: i64,
    pub revision: CurrentRevision,
    /// Desired nodes whose oldest pod is on the current template; None when it cannot be told.
    pub updated: Option<i64>,
    pub outdated: usize,
    /// Desired nodes without an available pod (ready, when minReadySeconds is set).
    pub unavailable: i64,
    /// Every pod is on the current template and nothing is unavailable.
    pub complete: bool,
    pub stalls: Vec<Stall>,
    /// The rest of the rollout, simulated (only when pods are outdated and the strategy rolls,
    /// [`Rollout::to_simulate`]), without its time series.
    pub simulated: Option<RolloutSeries>,
    /// The same rollout under the strategy asked for (`--what-if`).
    pub what_if: Option<RolloutSeries>,
}

/// A change of the rolling-update strategy to try (`--what-if maxSurge=1,maxUnavailable=0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrategyOverride {
    pub max_unavailable: Option<IntOrString>,
    pub max_surge: Option<IntOrString>,
    pub min_ready_seconds: Option<i32>,
}

/// One moment of a simulated rollout (after every step at that second).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeriesPoint {
    /// Seconds since the rollout started.
    pub time: u64,
    /// `updatedNumberScheduled`.
    pub updated: i64,
    /// `numberUnavailable`.
    pub unavailable: i64,
    /// Pods beyond one per node (an old and a new pod side by side).
    pub surge: i64,
}

/// A simulated rollout.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutSeries {
    pub max_unavailable: Budget,
    pub max_surge: Budget,
    pub min_ready_seconds: i64,
    /// Pods on an old template when it starts.
    pub pods_to_replace: usize,
    /// desiredNumberScheduled in the simulation, and updatedNumberScheduled when it ends.
    pub desired: i64,
    pub updated_at_end: i64,
    /// When the counters last changed.
    pub last_change_at: u64,
    /// Every desired node ends with an available pod of the current template.
    pub finished: bool,
    /// When the last pod turned available; None when it never finishes.
    pub duration_seconds: Option<u64>,
    pub peak_unavailable: i64,
    pub peak_surge: i64,
    /// What the simulation takes for granted (pull and start times, ...).
    pub assumptions: Vec<String>,
    /// What stops this strategy, as the audit finds it for the DaemonSet's own (what-if only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stalls: Vec<Stall>,
    /// The time series (empty in the audit's own estimate; the what-if keeps it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<SeriesPoint>,
}

/// One node's verdict and the DaemonSet's pods for it, oldest first.
pub(crate) struct NodePods<'a> {
    pub verdict: &'a NodeVerdict,
    pub pods: &'a [&'a Pod],
}

/// `maxUnavailable=1,maxSurge=10%,minReadySeconds=30` (names as in the DaemonSet spec).
pub fn parse_strategy(text: &str) -> Result<StrategyOverride, String> {
    let mut o = StrategyOverride::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!(
                "found {part:?}; expected NAME=VALUE, e.g. maxSurge=1,maxUnavailable=0"
            ));
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "maxUnavailable" => o.max_unavailable = Some(int_or_percent(key, value)?),
            "maxSurge" => o.max_surge = Some(int_or_percent(key, value)?),
            "minReadySeconds" => {
                let v: i32 = value.parse().ok().filter(|v| *v >= 0).ok_or_else(|| {
                    format!("minReadySeconds {value:?}: expected a whole number of seconds, 0 or more")
                })?;
                o.min_ready_seconds = Some(v);
            }
            other => {
                return Err(format!(
                    "found {other:?}; expected maxUnavailable, maxSurge or minReadySeconds"
                ))
            }
        }
    }
    if o == StrategyOverride::default() {
        return Err("expected at least one of maxUnavailable, maxSurge, minReadySeconds (e.g. maxSurge=1,maxUnavailable=0)".into());
    }
    Ok(o)
}

/// An integer ≥ 0 or a percentage up to 100% (§7.1).
fn int_or_percent(key: &str, value: &str) -> Result<IntOrString, String> {
    if let Some(pct) = value.strip_suffix('%') {
        return match pct.parse::<u32>() {
            Ok(p) if p <= 100 => Ok(IntOrString::String(value.to_string())),
            _ => Err(format!("{key} {value:?}: expected a percentage from 0% to 100%")),
        };
    }
    value
        .parse::<i32>()
        .ok()
        .filter(|v| *v >= 0)
        .map(IntOrString::Int)
        .ok_or_else(|| {
            format!("{key} {value:?}: expected a whole number (0 or more) or a percentage such as 10%")
        })
}

fn written(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

fn is_zero(v: &IntOrString) -> bool {
    match v {
        IntOrString::Int(i) => *i == 0,
        IntOrString::String(s) => s.trim_end_matches('%').parse::<i64>() == Ok(0),
    }
}

fn is_on_delete(ds: &DaemonSet) -> bool {
    ds.spec()
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        == Some("OnDelete")
}

/// (maxUnavailable, maxSurge) as written, with the apps/v1 defaults 1 and 0 (§7.1).
fn written_budget(ds: &DaemonSet) -> (IntOrString, IntOrString) {
    let ru = ds
        .spec()
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref());
    (
        ru.and_then(|r| r.max_unavailable.clone())
            .unwrap_or(IntOrString::Int(1)),
        ru.and_then(|r| r.max_surge.clone())
            .unwrap_or(IntOrString::Int(0)),
    )
}

/// `updatedDesiredNodeCounts`: both scaled against desired, rounding up; both 0 with
/// desired > 0 gives maxUnavailable 1 (§7.2).
fn resolve(ds: &DaemonSet, desired: i64) -> (Budget, Budget) {
    let (u, s) = written_budget(ds);
    let (mut ru, rs) = if desired == 0 {
        (0, 0)
    } else {
        (scaled(&u, desired), scaled(&s, desired))
    };
    if desired > 0 && ru == 0 && rs == 0 {
        ru = 1;
    }
    (
        Budget {
            value: written(&u),
            resolved: ru,
        },
        Budget {
            value: written(&s),
            resolved: rs,
        },
    )
}

/// The rollout part of a DaemonSet's audit.
pub(crate) fn assess(
    ds: &DaemonSet,
    computed: &StatusCounts,
    revision: &CurrentRevision,
    nodes_pods: &[NodePods],
    nodes: &[Node],
    pods: &[Pod],
    outdated: usize,
) -> Rollout {
    let desired = computed.desired_number_scheduled;
    let available = computed.number_available.unwrap_or(computed.number_ready);
    let unavailable = desired - available;
    let on_delete = is_on_delete(ds);
    let (max_unavailable, max_surge) = resolve(ds, desired);
    let stalls = stalls(ds, computed, revision, nodes_pods, nodes, pods, outdated);
    let updated = computed.updated_number_scheduled;
    let complete = outdated == 0 && unavailable == 0 && updated.is_none_or(|u| u == desired);
    Rollout {
        strategy: if on_delete { "OnDelete" } else { "RollingUpdate" }.into(),
        max_unavailable: (!on_delete).then_some(max_unavailable),
        max_surge: (!on_delete).then_some(max_surge),
        min_ready_seconds: i64::from(ds.spec().min_ready_seconds.unwrap_or(0)),
        revision: revision.clone(),
        updated,
        outdated,
        unavailable,
        complete,
        stalls,
        simulated: None,
        what_if: None,
    }
}

impl Rollout {
    /// Whether the audit simulates the rest of this rollout: pods are outdated and the strategy
    /// rolls (under OnDelete nothing moves until someone deletes a pod).
    pub fn to_simulate(&self) -> bool {
        self.outdated > 0 && self.strategy != "OnDelete"
    }
}

/// What stops the rollout of `ds` (its strategy as it is, or a what-if's) from finishing on its
/// own.
pub(crate) fn stalls(
    ds: &DaemonSet,
    computed: &StatusCounts,
    revision: &CurrentRevision,
    nodes_pods: &[NodePods],
    nodes: &[Node],
    pods: &[Pod],
    outdated: usize,
) -> Vec<Stall> {
    let on_delete = is_on_delete(ds);
    let (max_unavailable, max_surge) = resolve(ds, computed.desired_number_scheduled);
    let mut stalls = Vec::new();
    if on_delete && outdated > 0 {
        stalls.push(Stall {
            code: "on-delete".into(),
            message: format!("updateStrategy OnDelete: the {outdated} outdated pod(s) are replaced only when someone deletes them (§7.6)"),
        });
    }
    if !on_delete {
        stalls.extend(surge_stalls(
            ds,
            &max_unavailable,
            &max_surge,
            revision,
            nodes_pods,
            nodes,
            pods,
            outdated,
        ));
        if max_surge.resolved == 0 && outdated > 0 && revision.known() {
            stalls.extend(budget_stall(&max_unavailable, revision, nodes_pods));
        }
    }
    stalls
}

/// Without surge (§7.4, `rollingUpdate`): every node with pods, and every desired node without
/// one, is walked; a node counts as unavailable when it has no pod, an old and a new pod, or only
/// a pod that is not available; old available pods are replaced only while fewer nodes than
/// maxUnavailable are unavailable. Nodes whose pod stays unavailable (Pending, a NotReady node
/// — also one where no pod should run any more) hold the budget for good.
fn budget_stall(
    max_unavailable: &Budget,
    revision: &CurrentRevision,
    nodes_pods: &[NodePods],
) -> Option<Stall> {
    let mut unavailable: Vec<String> = Vec::new();
    let mut candidates = 0usize;
    for n in nodes_pods {
        let live: Vec<&&Pod> = n.pods.iter().filter(|p| !is_terminating(p)).collect();
        let (new, old): (Vec<&&Pod>, Vec<&&Pod>) = live.iter().partition(|p| is_updated(revision, p));
        match (new.as_slice(), old.as_slice()) {
            ([], []) if n.verdict.should_run => unavailable.push(n.verdict.name.clone()),
            ([], []) => {}
            ([p], []) if is_ready(p) => {}
            ([], [p]) if is_ready(p) => candidates += 1,
            // A lone pod that is not available (an old one is deleted at once, and its node
            // counts as unavailable until the new pod is), or two pods on one node.
            _ => unavailable.push(n.verdict.name.clone()),
        }
    }
    if candidates == 0 || (unavailable.len() as i64) < max_unavailable.resolved {
        return None;
    }
    Some(Stall {
        code: "unavailable-budget-used-up".into(),
        message: format!("{} node(s) have no available pod ({}), which uses up maxUnavailable {} ({}): the {candidates} available old pod(s) are not replaced until those nodes have an available pod again; nodes that stay NotReady or Pending stop the rollout (§7.4)", unavailable.len(), some_names(&unavailable), max_unavailable.resolved, max_unavailable.value),
    })
}

/// "a, b, c and 4 more".
fn some_names(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES).map(String::as_str).collect();
    match names.len().saturating_sub(NAMES) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The causes that stop a surge rollout (§7.5): the new pod cannot run beside the old one, or
/// new pods that are not available hold the whole surge budget.
#[allow(clippy::too_many_arguments)]
fn surge_stalls(
    ds: &DaemonSet,
    max_unavailable: &Budget,
    max_surge: &Budget,
    revision: &CurrentRevision,
    nodes_pods: &[NodePods],
    nodes: &[Node],
    pods: &[Pod],
    outdated: usize,
) -> Vec<Stall> {
    let mut out = Vec::new();
    if max_surge.resolved == 0 {
        return out;
    }
    let spec = template_spec(ds);
    let ports = host_ports(&spec);
    if let Some(p) = ports.first() {
        out.push(Stall {
            code: "surge-with-host-port".into(),
            message: format!("maxSurge {} with host port {}/{}: the surge pod needs the port the old pod on the same node holds, so it stays Pending and the old pod is never replaced; the rollout stops after maxSurge node(s) (use maxUnavailable instead, §7.5, §9.1 NodePorts)", max_surge.value, p.port, p.protocol),
        });
    }
    // New pods that are not available hold the surge budget (numSurge); with maxUnavailable 0
    // nothing else moves the rollout on.
    if max_unavailable.resolved == 0 && outdated > 0 {
        let waiting: Vec<String> = nodes_pods
            .iter()
            .filter(|n| n.verdict.should_run)
            .filter(|n| {
                n.pods
                    .iter()
                    .any(|p| revision.known() && is_updated(revision, p) && !is_ready(p))
            })
            .map(|n| n.verdict.name.clone())
            .collect();
        if !waiting.is_empty() && waiting.len() as i64 >= max_surge.resolved {
            out.push(Stall {
                code: "max-unavailable-zero-with-unavailable-pods".into(),
                message: format!("maxUnavailable 0 and {} node(s) have a new pod that is not available ({}): they hold the whole surge budget of {}, so no old pod is replaced until they turn available (§7.5)", waiting.len(), some_names(&waiting), max_surge.resolved),
            });
        }
    }
    // Room for a second pod beside the old one: requests and pod count, with the old pod
    // counted (host ports are the cause above).
    let index: HashMap<&str, &Node> = nodes
        .iter()
        .filter_map(|n| n.metadata.name.as_deref().map(|name| (name, n)))
        .collect();
    let candidates: Vec<&NodePods> = nodes_pods
        .iter()
        .filter(|n| n.verdict.should_run && !n.pods.is_empty())
        .filter(|n| {
            outdated == 0
                || n.pods
                    .iter()
                    .any(|p| revision.known() && !is_updated(revision, p))
        })
        .collect();
    if candidates.is_empty() {
        return out;
    }
    let wanted: HashSet<&str> = candidates.iter().map(|n| n.verdict.name.as_str()).collect();
    let mut others: HashMap<&str, Vec<&Pod>> = HashMap::new();
    for p in pods {
        let node = p.spec.as_ref().and_then(|s| s.node_name.as_deref());
        if let Some(n) = node.filter(|n| wanted.contains(n)) {
            if !is_terminal(p) && !is_daemon_pod(ds, p) {
                others.entry(n).or_default().push(p);
            }
        }
    }
    let mut full: Vec<(String, String)> = Vec::new();
    for n in candidates {
        let name = n.verdict.name.as_str();
        let Some(alloc) = index.get(name).and_then(|node| allocatable(node)) else {
            continue;
        };
        let mut on: Vec<&Pod> = others.get(name).cloned().unwrap_or_default();
        on.extend(n.pods.iter().copied().filter(|p| !is_terminating(p)));
        if let Some(s) = shortfalls(&spec, &alloc, &on).first() {
            full.push((name.to_string(), format!("{} ({})", s.reason, s.detail)));
        }
    }
    crate::sort::sort(&mut full);
    if let Some((first, why)) = full.first() {
        let names: Vec<String> = full.iter().map(|(n, _)| n.clone()).collect();
        out.push(Stall {
            code: "no-room-for-surge".into(),
            message: format!("{} node(s) have no room for a surge pod beside the old one ({}; {first}: {why}): those surge pods stay Pending and hold the surge budget of {}, so the rollout stops there (§7.5, §9.1)", full.len(), some_names(&names), max_surge.resolved),
        });
    }
    out
}

/// `ds` with the strategy changed by `o` (an OnDelete DaemonSet becomes RollingUpdate), and what
/// that assumed; an error for a strategy the API server rejects (§7.1: exactly one of
/// maxUnavailable and maxSurge is non-zero).
pub fn with_strategy(ds: &DaemonSet, o: &StrategyOverride) -> Result<(DaemonSet, Vec<String>), String> {
    let mut d = ds.clone();
    let mut assumptions = Vec::new();
    if is_on_delete(&d) {
        assumptions.push("the DaemonSet uses OnDelete; the what-if switches it to RollingUpdate".into());
    }
    let (u, s) = written_budget(&d);
    let u = o.max_unavailable.clone().unwrap_or(u);
    let s = o.max_surge.clone().unwrap_or(s);
    if is_zero(&u) == is_zero(&s) {
        return Err(format!(
            "maxUnavailable {} with maxSurge {}: exactly one of them must be non-zero (the API server rejects {}, §7.1); e.g. maxSurge=1,maxUnavailable=0",
            written(&u),
            written(&s),
            if is_zero(&u) { "both zero" } else { "both non-zero" }
        ));
    }
    d.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(u),
            max_surge: Some(s),
        }),
    });
    if let Some(m) = o.min_ready_seconds {
        d.spec_mut().min_ready_seconds = Some(m);
    }
    Ok((d, assumptions))
}

/// The parts of a node the simulation reads (name, labels, spec, allocatable, conditions):
/// a dumped node also carries its images, addresses and annotations, costly to copy 5,000 times.
fn lean_node(n: &Node) -> Node {
    Node {
        metadata: ObjectMeta {
            name: n.metadata.name.clone(),
            labels: n.metadata.labels.clone(),
            ..Default::default()
        },
        spec: n.spec.clone(),
        status: n.status.as_ref().map(|s| NodeStatus {
            allocatable: s.allocatable.clone(),
            capacity: s.capacity.clone(),
            conditions: s.conditions.as_ref().map(|c| {
                c.iter()
                    .map(|c| NodeCondition {
                        type_: c.type_.clone(),
                        status: c.status.clone(),
                        ..Default::default()
                    })
                    .collect()
            }),
            ..Default::default()
        }),
    }
}

/// The parts of a pod the simulation reads: no annotations or managedFields, of its status only
/// the phase.
fn lean_pod(p: &Pod) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: p.metadata.name.clone(),
            namespace: p.metadata.namespace.clone(),
            labels: p.metadata.labels.clone(),
            owner_references: p.metadata.owner_references.clone(),
            ..Default::default()
        },
        spec: p.spec.clone(),
        status: p.status.as_ref().map(|s| PodStatus {
            phase: s.phase.clone(),
            ..Default::default()
        }),
    }
}

/// When the rollout starts: once the dumped pods (Ready from 0) are available, Ready for
/// minReadySeconds (§7.4), as a running cluster's pods are when a rollout starts.
fn rollout_start(d: &DaemonSet) -> u64 {
    START + u64::try_from(d.spec().min_ready_seconds.unwrap_or(0)).unwrap_or(0)
}

/// Simulates the rollout of `ds` on `nodes` with `pods` (the cluster as dumped), with the
/// strategy changed by `over` (None: as it is). Pods the audit finds outdated are the old ones;
/// when none is, every pod is taken as old, as right after a template change. The series ends
/// when the cluster settles (or after 30 simulated days).
pub fn simulate_rollout(
    ds: &DaemonSet,
    nodes: &[Node],
    pods: &[Pod],
    over: Option<&StrategyOverride>,
) -> Result<RolloutSeries, String> {
    let (mut d, mut assumptions) = match over {
        Some(o) => with_strategy(ds, o)?,
        None => (ds.clone(), Vec::new()),
    };
    d.status = None;
    let own: Vec<&Pod> = pods
        .iter()
        .filter(|p| is_daemon_pod(ds, p) && !is_terminal(p) && !is_terminating(p))
        .collect();
    let revision = CurrentRevision::of(ds, &own);
    let old: HashSet<String> = own
        .iter()
        .filter(|p| revision.known() && !is_updated(&revision, p))
        .map(|p| pod_key(p))
        .collect();
    let everything = old.is_empty();
    if everything {
        assumptions.push("no pod is outdated: every pod is replaced, as after a template change".into());
    }
    let hash = template_hash(&d);
    let name = d.metadata.name.clone().unwrap_or_default();
    let mut scenario_pods = Vec::with_capacity(pods.len());
    for p in pods.iter().filter(|p| !is_terminal(p) && !is_terminating(p)) {
        let mut p = lean_pod(p);
        let daemon = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|o| o.controller == Some(true) && o.kind == "DaemonSet");
        // A DaemonSet's pod carries the tolerations its controller gave it (§2), so a NotReady
        // node does not evict it (a dump has them; a hand-written pod may not).
        if let (true, Some(spec)) = (daemon, p.spec.as_mut()) {
            add_daemon_tolerations(spec);
        }
        if is_daemon_pod(ds, &p) {
            let old_one = everything || old.contains(&pod_key(&p));
            let label = if old_one {
                format!("{hash}-old")
            } else {
                hash.clone()
            };
            if old_one {
                // The old template's images: the node pulls the new ones (a rollout is most
                // often a new image; a dump's old pods often have them already).
                for c in p.spec.iter_mut().flat_map(|s| s.containers.iter_mut()) {
                    if let Some(i) = c.image.as_mut() {
                        i.push_str(OLD_IMAGE);
                    }
                }
            }
            p.metadata
                .labels
                .get_or_insert_with(Default::default)
                .insert(REVISION_HASH_LABEL.into(), label);
            p.metadata.owner_references = Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "DaemonSet".into(),
                name: name.clone(),
                uid: d.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]);
        } else {
            // Another workload's pod: it holds resources and ports, nothing else (no owner to
            // garbage-collect it for, no labels to be adopted by).
            p.metadata.owner_references = None;
            p.metadata.labels = None;
        }
        scenario_pods.push(p);
    }
    let pods_to_replace = if everything { own.len() } else { old.len() };
    // The cluster settles first under OnDelete (a node without a pod gets one, NotReady nodes
    // mark their pods), then the strategy is set at `rolls_at`: the new pods are then younger than
    // the dumped ones, as they are in a real cluster (the status counts the oldest pod, §6.6).
    let on_delete = is_on_delete(&d);
    if on_delete {
        assumptions.push("updateStrategy OnDelete: no pod is replaced until someone deletes it".into());
    }
    let rolling = d.spec().update_strategy.clone().unwrap_or_default();
    let rolls_at = rollout_start(&d);
    let mut start = d.clone();
    start.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some("OnDelete".into()),
        rolling_update: None,
    });
    let scenario = Scenario {
        title: None,
        mode: Mode::Current,
        daemonsets: vec![start],
        nodes: nodes.iter().map(lean_node).collect(),
        pods: scenario_pods,
        // OnDelete (and no what-if): nothing rolls; the series says so.
        events: (!on_delete)
            .then(|| ScenarioEvent {
                index: 0,
                line: 0,
                at: Some(rolls_at),
                daemonset: None,
                action: Action::SetUpdateStrategy(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    ..rolling
                }),
            })
            .into_iter()
            .collect(),
        until: Some(rolls_at + HORIZON),
    };
    let timeline = run(&scenario);
    // Pods of the DaemonSet per node, to count the surge (two pods on one node).
    let mut node_of: HashMap<String, String> = HashMap::new();
    let mut per_node: HashMap<String, i64> = HashMap::new();
    let mut surge = 0i64;
    let mut add = |node_of: &mut HashMap<String, String>,
                   per_node: &mut HashMap<String, i64>,
                   pod: &str,
                   node: Option<&str>| {
        if let Some(prev) = node_of.remove(pod) {
            let c = per_node.entry(prev).or_default();
            if *c > 1 {
                surge -= 1;
            }
            *c -= 1;
        }
        if let Some(n) = node {
            let c = per_node.entry(n.to_string()).or_default();
            if *c >= 1 {
                surge += 1;
            }
            *c += 1;
            node_of.insert(pod.to_string(), n.to_string());
        }
        surge
    };
    for p in timeline
        .initial
        .pods
        .iter()
        .filter(|p| p.owner.as_deref() == Some(name.as_str()))
    {
        add(&mut node_of, &mut per_node, &p.name, p.node.as_deref());
    }
    let first = timeline.initial.daemonsets.first().map(|d| d.status.clone());
    let mut points: Vec<SeriesPoint> = Vec::new();
    let mut current = SeriesPoint {
        time: 0,
        updated: first.as_ref().map_or(0, |s| s.updated_number_scheduled),
        unavailable: first.as_ref().map_or(0, |s| s.number_unavailable),
        surge: add(&mut node_of, &mut per_node, "", None),
    };
    // Peaks over every step of the rollout (several happen in one second); one point per
    // second, but for the first: the state when it starts, then after its first second.
    let (mut peak_unavailable, mut peak_surge) = (0, 0);
    let push = |points: &mut Vec<SeriesPoint>, p: SeriesPoint| {
        let n = points.len();
        match points.last_mut() {
            Some(last)
                if (last.updated, last.unavailable, last.surge) == (p.updated, p.unavailable, p.surge) => {}
            Some(last) if last.time == p.time && n > 1 => *last = p,
            _ => points.push(p),
        }
    };
    let mut started = false;
    for step in &timeline.steps {
        if step.time >= rolls_at && !started {
            started = true;
            peak_unavailable = current.unavailable;
            peak_surge = current.surge;
            current.time = 0;
            points.push(current);
        }
        for c in &step.changes {
            match c {
                Change::Pod(p) if p.owner.as_deref() == Some(name.as_str()) => {
                    // A terminating pod is on its way out: not a surge pod.
                    let node = p.node.as_deref().filter(|_| &*p.phase != "Terminating");
                    current.surge = add(&mut node_of, &mut per_node, &p.name, node);
                }
                Change::PodRemoved(p) => {
                    current.surge = add(&mut node_of, &mut per_node, p, None);
                }
                _ => {}
            }
        }
        if let Some(s) = &step.status {
            current.updated = s.updated_number_scheduled;
            current.unavailable = s.number_unavailable;
        }
        if started {
            current.time = step.time - rolls_at;
            peak_unavailable = peak_unavailable.max(current.unavailable);
            peak_surge = peak_surge.max(current.surge);
            push(&mut points, current);
        }
    }
    if !started {
        current.time = 0;
        points.push(current);
    }
    let last = timeline.final_view.daemonsets.first().map(|d| d.status.clone());
    let desired = last.as_ref().map_or(0, |s| s.desired_number_scheduled);
    let finished = last
        .as_ref()
        .is_some_and(|s| s.updated_number_scheduled == desired && s.number_unavailable == 0);
    // The moment the last counter reached its final value.
    let duration_seconds = finished.then(|| {
        points
            .iter()
            .rev()
            .find(|p| p.updated != desired || p.unavailable != 0)
            .and_then(|before| points.iter().find(|p| p.time > before.time))
            .map_or(0, |p| p.time)
    });
    let (max_unavailable, max_surge) = resolve(&d, desired);
    assumptions.extend([
        format!("every node that runs an old pod pulls the new image ({} s); containers start at once and turn Ready after their readiness probe's initialDelaySeconds (0 without a probe)", timing::IMAGE_PULL),
        format!("a deleted pod is gone {} s later; the controller, scheduler and kubelet act at once", timing::TERMINATION),
        "pods running in the dump are taken as Running, and Ready for longer than minReadySeconds (available), at the start; nodes are walked by name (Kubernetes' order is random)".into(),
    ]);
    if timeline.truncated || !timeline.settled && !finished {
        assumptions.push("the simulation stopped before the cluster settled (step or time limit)".into());
    }
    Ok(RolloutSeries {
        max_unavailable,
        max_surge,
        min_ready_seconds: i64::from(d.spec().min_ready_seconds.unwrap_or(0)),
        pods_to_replace,
        desired,
        updated_at_end: last.as_ref().map_or(0, |s| s.updated_number_scheduled),
        last_change_at: points.last().map_or(0, |p| p.time),
        finished,
        duration_seconds,
        peak_unavailable,
        peak_surge,
        assumptions,
        stalls: Vec::new(),
        points,
    })
}
