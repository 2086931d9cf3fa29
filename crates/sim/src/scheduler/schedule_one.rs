//! The default scheduler as an actor: it binds each pending pod through its filters, or records
//! FailedScheduling once per distinct reason, and preempts lower-priority pods when that helps
//! (semantics §9). Legacy-mode and template-nodeName pods never reach it: they are born bound.

use crate::cluster::{Actor, Controllers, KubeEvent, PodId, Text, World};
use crate::scheduler::{failed_scheduling_message, filter, preemption_victims};
use crate::text::text;
use k8s_openapi::api::core::v1::{Pod, PodSpec};
use std::borrow::Cow;

/// The pods bound to `node` that hold resources, as whole Pods (controller-made ones are built).
fn others_on<'w>(w: &'w World, node: &str, me: PodId) -> Vec<Cow<'w, Pod>> {
    w.pods_on(node)
        .into_iter()
        .filter(|p| p.id != me && p.bound.is_some() && !p.terminal())
        .map(|p| p.manifest())
        .collect()
}

fn scheduler_event(
    w: &World,
    id: PodId,
    type_: &'static str,
    reason: &'static str,
    message: Text,
) -> KubeEvent {
    KubeEvent {
        type_: Text::new_static(type_),
        reason: Text::new_static(reason),
        object: w.pods[&id].object(),
        from: Text::new_static("default-scheduler"),
        message,
        time: w.now,
    }
}

pub fn act(w: &mut World, ctl: &mut dyn Controllers) -> bool {
    // Pending pods are among those created unbound; the others can never be pending again.
    let pods = &w.pods;
    let pending: Vec<PodId> = w
        .queues
        .unscheduled
        .sorted()
        .iter()
        .filter_map(|id| pods.get(id))
        .filter(|p| p.bound.is_none() && p.deleting.is_none() && !p.terminal())
        .map(|p| p.id)
        .collect();
    w.queues
        .unscheduled
        .retain(|id| pending.binary_search(id).is_ok());
    let mut acted = false;
    for id in pending {
        acted |= schedule_one(w, ctl, id);
    }
    acted
}

fn schedule_one(w: &mut World, ctl: &mut dyn Controllers, id: PodId) -> bool {
    let p = &w.pods[&id];
    let total = w.nodes.len();
    // Borrowed, not cloned: every bind would otherwise copy the whole pod spec.
    let no_spec;
    let spec = match p.spec() {
        Some(s) => s,
        None => {
            no_spec = PodSpec::default();
            &no_spec
        }
    };
    // NAMESPACE/NAME, written straight into the messages (no string of its own per bind).
    let (ns, name) = (p.namespace.clone(), p.name.clone());
    let node = w.target_node(p);
    let Some(node) = node else {
        let msg = format!(
            "0/{total} nodes are available: {total} node(s) didn't match Pod's node affinity/selector. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
        );
        return failed(w, ctl, id, msg);
    };
    let node_name = node.name().clone();
    let others = others_on(w, &node_name, id);
    let others: Vec<&Pod> = others.iter().map(|o| &**o).collect();
    // A controller-made pod's required node affinity is the single `matchFields metadata.name
    // In [target]` term: `pinned_to` tests exactly that term (its spec does not hold it).
    let pinned_to = p.pinned_to();
    let rejections = filter(spec, &node.node, &others, pinned_to);
    let Some(first) = rejections.first() else {
        let pm = w.pod_mut(id).expect("pod exists");
        pm.bind(node_name.clone());
        pm.last_failed_scheduling = None;
        let msg = crate::text::concat(&["Successfully assigned ", &ns, "/", &name, " to ", &node_name]);
        let ev = scheduler_event(w, id, "Normal", "Scheduled", msg.clone());
        let object = w.pods[&id].object();
        w.record(
            ctl,
            Actor::Scheduler,
            "bind",
            object,
            Some(node_name),
            msg,
            Some(ev),
        );
        return true;
    };
    let victims: Option<Vec<(PodId, String)>> =
        preemption_victims(spec, &node.node, &others, pinned_to).map(|v| {
            v.iter()
                .filter_map(|vp| {
                    let vname = vp.metadata.name.clone().unwrap_or_default();
                    w.pods.values().find(|x| x.name == vname).map(|x| (x.id, vname))
                })
                .collect()
        });
    let msg = failed_scheduling_message(first, total, victims.is_some());
    let acted = failed(w, ctl, id, msg);
    if let Some(victims) = victims {
        for (vid, vname) in victims {
            if w.pods.get(&vid).is_some_and(|v| v.deleting.is_none()) {
                w.begin_deletion(vid);
                let msg = text!("Preempted by pod {ns}/{name} on node {node_name}");
                let ev = KubeEvent {
                    type_: Text::new_static("Normal"),
                    reason: Text::new_static("Preempted"),
                    object: text!("pod/{vname}"),
                    from: Text::new_static("default-scheduler"),
                    message: msg.clone(),
                    time: w.now,
                };
                w.record(
                    ctl,
                    Actor::Scheduler,
                    "preempt",
                    format!("pod/{vname}"),
                    Some(node_name.clone()),
                    msg,
                    Some(ev),
                );
            }
        }
        return true;
    }
    acted
}

fn failed(w: &mut World, ctl: &mut dyn Controllers, id: PodId, msg: String) -> bool {
    if w.pods[&id].last_failed_scheduling.as_deref() == Some(msg.as_str()) {
        return false;
    }
    let pm = w.pod_mut(id).expect("pod exists");
    pm.last_failed_scheduling = Some(msg.clone());
    let (name, node) = (pm.name.clone(), pm.target.clone());
    let ev = scheduler_event(w, id, "Warning", "FailedScheduling", msg.clone().into());
    w.record(
        ctl,
        Actor::Scheduler,
        "failed-scheduling",
        format!("pod/{name}"),
        node,
        msg,
        Some(ev),
    );
    true
}
