//! RollingUpdate (semantics §7.2–§7.5): the budgets, then which old pods to delete (without
//! surge) or which nodes get a new pod next to the old one (with surge).
//!
//! Sources: `pkg/controller/daemon/update.go` (`rollingUpdate`, `findUpdatedPodsOnNode`,
//! `updatedDesiredNodeCounts`), `pkg/controller/daemon/util/daemonset_util.go` (`SurgeCount`,
//! `UnavailableCount`, `AllowsSurge`), `intstr.GetScaledValueFromIntOrPercent` (rounds up).
//!
//! [sim] Kubernetes walks nodes in Go map order, which is random; we walk them by name so a
//! scenario replays the same way every time. The UI says so.

use super::caches::DaemonSetsController;
use super::daemon_pods::daemon_pods;
use super::node_share::{roll_node, Found, RollNode};
use super::pod_control::{create_pod, delete_pod};
use crate::api::update_strategy::rolling_params;
use crate::cluster::{NodeId, SimDaemonSet, World};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// `intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true)`, as the controller resolves
/// maxUnavailable and maxSurge (§7.2). Also used by the lessons' "Quiz me".
pub(crate) fn scaled(v: &IntOrString, total: i64) -> i64 {
    match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => {
            let pct: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            // ceil(pct * total / 100)
            (pct.saturating_mul(total) + 99) / 100
        }
    }
}

/// (maxSurge, maxUnavailable) for `desired` nodes, as `updatedDesiredNodeCounts` resolves them.
pub fn max_numbers(d: &SimDaemonSet, desired: i64) -> (i64, i64) {
    if desired == 0 {
        return (0, 0);
    }
    let (surge, unavailable) = rolling_params(&d.ds);
    let s = scaled(&surge, desired);
    let u = scaled(&unavailable, desired);
    if s == 0 && u == 0 {
        return (0, 1);
    }
    (s, u)
}

/// `AllowsSurge`: maxSurge resolved against one node is not zero.
pub fn allows_surge(d: &SimDaemonSet) -> bool {
    if d.is_on_delete() {
        return false;
    }
    scaled(&rolling_params(&d.ds).0, 1) != 0
}

/// A node a pass looks at: an existing node by id, or a vanished one by name.
#[derive(Clone, Copy)]
enum Target<'a> {
    Node(NodeId),
    Vanished(&'a str),
}

impl<'a> Target<'a> {
    fn name(self, w: &'a World) -> &'a str {
        match self {
            Target::Node(i) => w.nodes[i].name().as_str(),
            Target::Vanished(n) => n,
        }
    }
}

/// One pass of the rolling update. Returns whether it created or deleted anything.
pub fn rolling_update(w: &mut World, dsc: &mut DaemonSetsController, di: usize) -> bool {
    // The per-node views must reflect every change so far (the status itself is left as it is:
    // a step shows the status computed when it is recorded).
    super::status::refresh_shares(w, dsc);
    let d = &w.daemonsets[di];
    let cache = &dsc[di];
    // Every node (those without a daemon pod that should run one count as unavailable) plus the
    // nodes that vanished while their pods remain, in name order [sim].
    let vanished: Vec<(&str, RollNode)> = w
        .vanished_targets()
        .into_iter()
        .map(|n| {
            let should_run = cache.should_on(w, n).is_some_and(|s| s.should_run);
            (n, roll_node(w, d, daemon_pods(w, d, n), should_run))
        })
        .collect();
    // A node's name is read only where a pass needs it (a surge create): the pass walks every
    // node, and each SimNode is large.
    let nodes = w
        .nodes
        .sorted_ids()
        .map(|i| (Target::Node(i), cache.roll[i]))
        .chain(vanished.iter().map(|&(n, r)| (Target::Vanished(n), r)));
    let desired = cache.should_run_count();
    let (max_surge, max_unavailable) = max_numbers(d, desired);

    let mut deletes = Vec::new();
    let mut creates = Vec::new();
    if max_surge == 0 {
        let mut num_unavailable = 0;
        let mut allowed = Vec::new();
        let mut candidates = Vec::new();
        for (_, r) in nodes {
            let (new, old) = match r.found {
                Found::Nothing if !r.should_run => continue, // not part of the update
                Found::Nothing => (None, None),
                Found::Duplicates => {
                    num_unavailable += 1;
                    continue;
                }
                Found::Pair { new, old } => (new, old),
            };
            match (new, old) {
                (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                (Some(available), None) => {
                    if !available {
                        num_unavailable += 1;
                    }
                }
                (None, Some((id, available))) => {
                    if !available {
                        allowed.push(id);
                        num_unavailable += 1;
                    } else if num_unavailable < max_unavailable {
                        candidates.push(id);
                    }
                }
            }
        }
        let remaining = (max_unavailable - num_unavailable).clamp(0, candidates.len() as i64) as usize;
        deletes.extend(allowed);
        deletes.extend(candidates.into_iter().take(remaining));
    } else {
        let mut num_surge = 0;
        let mut allowed_new = Vec::new();
        let mut candidate_new = Vec::new();
        let mut not_running_old = Vec::new();
        for (node, r) in nodes {
            let should_run = r.should_run;
            let (new, old) = match r.found {
                Found::Nothing if !should_run => continue, // not part of the update
                Found::Nothing => (None, None),
                Found::Duplicates => {
                    num_surge += 1;
                    continue;
                }
                Found::Pair { new, old } => (new, old),
            };
            match (new, old) {
                (_, None) => {}
                (None, Some((id, available))) => {
                    if !available {
                        if should_run {
                            allowed_new.push(node.name(w));
                        } else {
                            deletes.push(id);
                        }
                    } else if num_surge >= max_surge {
                        continue;
                    } else if !should_run {
                        not_running_old.push(id);
                    } else {
                        candidate_new.push(node.name(w));
                    }
                }
                (Some(new_available), Some((id, _))) => {
                    if !new_available {
                        num_surge += 1;
                    } else {
                        deletes.push(id);
                    }
                }
            }
        }
        let remaining = (max_surge - num_surge).clamp(0, candidate_new.len() as i64) as usize;
        creates.extend(allowed_new);
        creates.extend(candidate_new.into_iter().take(remaining));
        // Old pods on nodes that should no longer run one go only while capacity stays above
        // the desired count, so availability never drops.
        let surplus = (d.status.number_available - desired).max(0) as usize;
        deletes.extend(not_running_old.into_iter().take(surplus));
    }
    let creates: Vec<String> = creates.into_iter().map(str::to_string).collect();
    let acted = !deletes.is_empty() || !creates.is_empty();
    for id in deletes {
        delete_pod(w, dsc, di, id, "rolling-update");
    }
    for node in creates {
        create_pod(w, dsc, di, &node);
    }
    acted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SpecOf;
    use k8s_openapi::api::apps::v1::{DaemonSetUpdateStrategy, RollingUpdateDaemonSet};

    fn ds(surge: IntOrString, unavailable: IntOrString) -> SimDaemonSet {
        let mut d = crate::testutil::daemonset("agent", &[], vec![]);
        d.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDaemonSet {
                max_surge: Some(surge),
                max_unavailable: Some(unavailable),
            }),
        });
        SimDaemonSet::new(d)
    }

    /// `TestGetUnavailableNumbers`: percentages round UP for both fields.
    #[test]
    fn budgets_round_up() {
        use IntOrString::{Int, String as S};
        let cases = [
            ("2 nodes, 50% unavailable", ds(Int(0), S("50%".into())), 2, (0, 1)),
            (
                "3 nodes, 50% unavailable rounds up",
                ds(Int(0), S("50%".into())),
                3,
                (0, 2),
            ),
            ("2 nodes, surge 50%", ds(S("50%".into()), Int(0)), 2, (1, 0)),
            ("surge 100% of 2", ds(S("100%".into()), Int(0)), 2, (2, 0)),
            (
                "both zero falls back to 1 unavailable",
                ds(Int(0), Int(0)),
                5,
                (0, 1),
            ),
            ("no nodes", ds(Int(0), Int(3)), 0, (0, 0)),
            (
                "integer not capped by node count",
                ds(Int(0), Int(10)),
                3,
                (0, 10),
            ),
            ("25% of 5000", ds(Int(0), S("25%".into())), 5000, (0, 1250)),
            ("10% of 7 rounds up to 1", ds(S("10%".into()), Int(0)), 7, (1, 0)),
        ];
        for (name, d, desired, want) in cases {
            assert_eq!(max_numbers(&d, desired), want, "{name}");
        }
    }
}
