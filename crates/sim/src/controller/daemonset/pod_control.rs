//! Creating and deleting daemon pods, with the events the controller records for them: what
//! `syncNodes` does through `PodControl.CreatePods` / `DeletePod` (semantics §6.4). Both the
//! sync of nodes and the rolling update go through here.
//!
//! Source: `pkg/controller/daemon/daemon_controller.go` (`syncNodes`),
//! `pkg/controller/controller_utils.go` (`RealPodControl`).

use super::caches::{DaemonSetsController, DsCache};
use crate::cluster::{
    Actor, ContainerState, Controllers, KubeEvent, Outcome, Phase, PodId, SharedTexts, SimPod, Text, World,
};
use crate::controller::daemonset::daemon_pod::DaemonPodTemplate;
use std::sync::Arc;

/// An event on DaemonSet `di`, as the controller's event recorder writes it.
pub(super) fn event(
    w: &World,
    di: usize,
    type_: &'static str,
    reason: &'static str,
    message: Text,
) -> KubeEvent {
    KubeEvent {
        type_: Text::new_static(type_),
        reason: Text::new_static(reason),
        object: w.daemonsets[di].object.clone(),
        from: Text::new_static("daemonset-controller"),
        message,
        time: w.now,
    }
}

/// Creates the pod for `node` from the current template (`syncNodes`).
pub fn create_pod(w: &mut World, dsc: &mut DaemonSetsController, di: usize, node: &str) -> PodId {
    let template = pod_template(w, &mut dsc[di], di);
    let d = &w.daemonsets[di];
    let (outcome, outcome_container) = d.outcomes.get(&d.current_hash).cloned().unwrap_or_default();
    let ds_name = d.name.clone();
    let prefix = d.pod_prefix.clone();
    let name = w.generate_name(&prefix);
    // The words this pod shares with the node, its DaemonSet and the pods created before it.
    let node_text = w.node_text(node);
    let shared = SharedTexts {
        name: Some(name.clone()),
        target: Some(node_text.clone()),
        owner: Some(ds_name.clone()),
        ..dsc[di].created_texts.clone()
    };
    let mut sp = SimPod::from_template(0, template, name.clone(), node_text, w.now, &shared);
    sp.phase = Phase::Pending;
    sp.containers.set_all(ContainerState::NotStarted);
    sp.ready = false;
    sp.ready_since = None;
    if outcome != Outcome::Healthy {
        let i = outcome_container
            .and_then(|c| sp.container_index(&c))
            .unwrap_or(0);
        if let Some(c) = sp.containers.get_mut(i) {
            c.outcome = outcome;
        }
    }
    sp.owner = Some(ds_name);
    dsc[di].created_texts = SharedTexts::of(&sp);
    let id = w.add_pod(sp);
    let msg = crate::text::concat(&["Created pod: ", &name]);
    let message = match w.pods[&id].bound.is_some() {
        true => crate::text::concat(&[&msg, " with spec.nodeName: ", node, " (bypasses the scheduler)"]),
        false => crate::text::concat(&[
            &msg,
            " for node ",
            node,
            " (required node affinity: metadata.name In [",
            node,
            "])",
        ]),
    };
    let ev = event(w, di, "Normal", "SuccessfulCreate", msg);
    let object = w.pods[&id].object();
    let node = w.node_text(node);
    w.record(
        dsc,
        Actor::DaemonsetController,
        "create",
        object,
        Some(node),
        message,
        Some(ev),
    );
    id
}

/// The pod template of DaemonSet `di`'s current revision, built when the template, hash or mode
/// changed since the last create.
fn pod_template(w: &World, cache: &mut DsCache, di: usize) -> Arc<DaemonPodTemplate> {
    let d = &w.daemonsets[di];
    match &cache.pod_template {
        Some(t) if t.built_from(&d.ds, w.mode, &d.current_hash) => t.clone(),
        _ => {
            let t = Arc::new(DaemonPodTemplate::new(&d.ds, w.mode, &d.current_hash));
            cache.pod_template = Some(t.clone());
            t
        }
    }
}

/// A plain DELETE (never an eviction: PodDisruptionBudgets are not consulted, §6.4).
pub fn delete_pod(w: &mut World, ctl: &mut dyn Controllers, di: usize, id: PodId, why: &str) {
    let Some(p) = w.pods.get(&id) else { return };
    let (name, object) = (p.name.clone(), p.object());
    let node = p.target.clone();
    let why_text = match why {
        "failed" => " (the pod failed; a new one is created when it is gone)",
        "succeeded" => " (the pod exited; DaemonSet pods must keep running)",
        "duplicate" => " (more than one daemon pod on the node: the oldest is kept)",
        "replaced" => " (surge: the new pod is available, so the old one goes)",
        "old-unready" => " (surge: the old pod is not Ready, so it goes without waiting for the new one)",
        "not-eligible" => {
            " (the node no longer qualifies: selector, affinity or an untolerated NoExecute taint)"
        }
        "node-gone" => " (never scheduled, and its node no longer exists)",
        "rolling-update" => " (rolling update: replaced by the current template)",
        _ => "",
    };
    w.begin_deletion(id);
    let msg = crate::text::concat(&["Deleted pod: ", &name]);
    let ev = event(w, di, "Normal", "SuccessfulDelete", msg.clone());
    w.record(
        ctl,
        Actor::DaemonsetController,
        "delete",
        object,
        node,
        crate::text::concat(&[&msg, why_text]),
        Some(ev),
    );
}
