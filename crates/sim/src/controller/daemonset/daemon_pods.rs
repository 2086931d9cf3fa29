//! The pods a DaemonSet owns, node by node, as the controller lists them before it decides
//! anything (`getDaemonPods`, `getNodesToDaemonPods`), and the order it keeps the oldest in.
//!
//! Source: `pkg/controller/daemon/daemon_controller.go`, `pkg/controller/controller_utils.go`
//! (`ActivePods`-style ordering used by `podsShouldBeOnNode` for duplicates).

use crate::cluster::{NodeId, PodId, SimDaemonSet, SimPod, World};

/// `podByCreationTimestampAndPhase`: bound pods first, then older, then by name.
pub(super) fn older(a: &SimPod, b: &SimPod) -> std::cmp::Ordering {
    b.bound
        .is_some()
        .cmp(&a.bound.is_some())
        .then(a.created.cmp(&b.created))
        .then(a.name.cmp(&b.name))
}

/// Sorts pods oldest first (`podByCreationTimestampAndPhase`).
pub fn oldest_first(pods: &mut [&SimPod]) {
    crate::sort::sort_by(pods, |a, b| older(a, b));
}

/// The DaemonSet's pods on a node as `getNodesToDaemonPods` groups them: owned, in its namespace,
/// leaving out pods that are both finished and already being deleted.
pub fn daemon_pods_on<'w>(w: &'w World, ds: &SimDaemonSet, node: &str) -> Vec<&'w SimPod> {
    w.pod_ids_on(node)
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| is_daemon_pod(p, ds))
        .collect()
}

fn is_daemon_pod(p: &SimPod, ds: &SimDaemonSet) -> bool {
    p.owner.as_ref() == Some(&ds.name)
        && p.namespace == ds.namespace
        && !(p.terminal() && p.deleting.is_some())
}

/// `daemon_pods_on` without collecting, in creation order, whether or not the node exists.
pub fn daemon_pods<'w>(
    w: &'w World,
    ds: &'w SimDaemonSet,
    node: &str,
) -> impl Iterator<Item = &'w SimPod> + Clone + 'w {
    daemon_pods_among(w, ds, w.pod_ids_on(node))
}

/// `daemon_pods` of node `at` (which exists).
pub(super) fn daemon_pods_at<'w>(
    w: &'w World,
    ds: &'w SimDaemonSet,
    at: NodeId,
) -> impl Iterator<Item = &'w SimPod> + Clone + 'w {
    daemon_pods_among(w, ds, w.pod_ids_at(at))
}

fn daemon_pods_among<'w>(
    w: &'w World,
    ds: &'w SimDaemonSet,
    ids: &'w [PodId],
) -> impl Iterator<Item = &'w SimPod> + Clone + 'w {
    ids.iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| is_daemon_pod(p, ds))
}
