//! The kubelet on each node: admission, image pull, container start, readiness, crash restarts
//! with CrashLoopBackOff, and termination (semantics §3.2, §8.6).
//!
//! Sources: `pkg/kubelet/lifecycle/predicate.go` (admission), `pkg/kubelet/kuberuntime/
//! kuberuntime_manager.go` (`doBackOff`), `pkg/kubelet/kubelet.go` (back-off constants),
//! `staging/src/k8s.io/client-go/util/flowcontrol/backoff.go` (expiry after 2 × max).

use crate::cluster::{
    timing, Actor, ContainerState, Controllers, KubeEvent, Outcome, Phase, PodId, Text, World,
};
use crate::scheduler::node_resources::{allocatable, port_conflicts, shortfalls};
use crate::scheduler::taints::untolerated;
use crate::text::text;
use k8s_openapi::api::core::v1::Pod;

fn pod_event(w: &World, id: PodId, type_: &'static str, reason: Text, message: Text) -> KubeEvent {
    let p = &w.pods[&id];
    let node = p.bound.as_deref().unwrap_or_default();
    KubeEvent {
        type_: Text::new_static(type_),
        reason,
        object: p.object(),
        from: match w.pod_node(p).filter(|_| p.bound.is_some()) {
            Some(n) => n.kubelet_source(),
            None => text!("kubelet, {node}"),
        },
        message,
        time: w.now,
    }
}

/// `timing::IMAGE_PULL` as the kubelet's message prints it.
const IMAGE_PULL_SECONDS: &str = "3";

/// A fixed event reason or action word (no allocation).
const fn word(s: &'static str) -> Text {
    Text::new_static(s)
}

fn say(
    w: &mut World,
    ctl: &mut dyn Controllers,
    id: PodId,
    action: &'static str,
    message: Text,
    ev: Option<(&'static str, Text, Text)>,
) {
    let ev = ev.map(|(t, r, m)| pod_event(w, id, t, r, m));
    let p = &w.pods[&id];
    let (obj, node) = (p.object(), p.bound.clone());
    w.record(ctl, Actor::Kubelet, action, obj, node, message, ev);
}

/// Readiness delay of container `i`: its readiness probe's initialDelaySeconds (at least 1 s
/// when a probe is set: the first probe has to run); no probe means ready as soon as it starts.
fn readiness_delay(pod: &crate::cluster::SimPod, i: usize) -> Option<u64> {
    let c = pod.spec()?.containers.get(i)?;
    c.readiness_probe
        .as_ref()
        .map(|p| p.initial_delay_seconds.unwrap_or(0).max(1) as u64)
}

/// The moment running, not-yet-ready container `i` becomes ready, if it will.
fn container_ready_at(p: &crate::cluster::SimPod, i: usize) -> Option<u64> {
    let c = p.containers.get(i)?;
    match (&c.state, c.ready, c.outcome, p.deleting) {
        (ContainerState::Running { since, .. }, false, Outcome::Healthy, None) => {
            Some(since + readiness_delay(p, i).unwrap_or(0))
        }
        _ => None,
    }
}

/// The next container the kubelet starts, in `spec.containers` order (`SyncPod` starts them one
/// after the other, pulling each image first): the first not started, unless one is being pulled.
fn next_to_start(p: &crate::cluster::SimPod) -> Option<usize> {
    let mut next = None;
    for (i, c) in p.containers.iter().enumerate() {
        match c.state {
            ContainerState::Pulling { .. } => return None,
            ContainerState::NotStarted if next.is_none() => next = Some(i),
            _ => {}
        }
    }
    next
}

/// Sets the pod's Ready condition from its containers (Ready when every one is ready).
/// Returns true when the pod just turned Ready.
fn update_pod_ready(p: &mut crate::cluster::SimPod, now: u64) -> bool {
    let all = p.deleting.is_none() && p.containers.iter().all(|c| c.ready);
    let turned = all && !p.ready;
    if turned {
        p.ready_since = Some(now);
    } else if !all {
        p.ready_since = None;
    }
    p.ready = all;
    turned
}

/// Why the kubelet would reject this pod at admission (pods that skipped the scheduler: legacy
/// mode or a template nodeName). `generalFilter` reasons: OutOfcpu, NodePorts, TaintToleration, …
fn admission_failure(w: &World, id: PodId) -> Option<(String, String)> {
    let p = &w.pods[&id];
    let node_name = p.bound.as_deref()?;
    let node = w.node(node_name)?;
    let spec = p.spec()?;
    // Whole Pods (controller-made ones are built): resources and ports are weighed against them.
    let others: Vec<std::borrow::Cow<'_, Pod>> = w
        .pods_on(node_name)
        .into_iter()
        .filter(|o| o.id != id && o.bound.is_some() && !o.terminal() && o.started())
        .map(|o| o.manifest())
        .collect();
    let others: Vec<&Pod> = others.iter().map(|o| &**o).collect();
    if let Some(alloc) = allocatable(&node.node) {
        if let Some(s) = shortfalls(spec, &alloc, &others).into_iter().next() {
            let reason = if s.resource == "pods" {
                "OutOfpods".to_string()
            } else {
                format!("Outof{}", s.resource)
            };
            return Some((
                reason,
                format!(
                    "Pod was rejected: Node didn't have enough resource: {}, {}",
                    s.resource, s.detail
                ),
            ));
        }
    }
    if let Some((port, pod)) = port_conflicts(spec, &others).into_iter().next() {
        return Some((
            "NodePorts".into(),
            format!(
                "Pod was rejected: host port {}/{} is already used by pod {pod}",
                port.port, port.protocol
            ),
        ));
    }
    let tolerations = spec.tolerations.as_deref().unwrap_or_default();
    if let Some(t) = untolerated(node.taints(), tolerations, &["NoExecute"]).first() {
        return Some((
            "TaintToleration".into(),
            format!(
                "Pod was rejected: Predicate TaintToleration failed: node has untolerated taint {}",
                crate::scheduler::taints::format_taint(t)
            ),
        ));
    }
    None
}

/// One pass over the pods of every working kubelet. Returns whether anything happened.
pub fn act(w: &mut World, ctl: &mut dyn Controllers) -> bool {
    let now = w.now;
    // Idle pods leave the queue; any change to them queues them again.
    let pods = &w.pods;
    w.queues
        .kubelet_queue
        .retain(|id| pods.get(id).is_some_and(|p| !idle(p)));
    // In id order: `retain` left the queue sorted.
    let ids: Vec<PodId> = w
        .queues
        .kubelet_queue
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| has_work(p, now))
        .filter(|p| p.bound.is_some() && w.pod_node(p).is_some_and(|n| n.kubelet_runs(p)))
        .map(|p| p.id)
        .collect();
    let mut acted = false;
    for id in ids {
        acted |= act_on(w, ctl, id, now);
    }
    acted
}

/// A pod its kubelet has nothing to do for until the pod changes, whatever the time: unbound,
/// finished (and not being deleted), or running and Ready with no crash coming.
fn idle(p: &crate::cluster::SimPod) -> bool {
    if p.bound.is_none() {
        return true;
    }
    if p.deleting.is_some() {
        return false;
    }
    p.terminal()
        || (p.ready
            && p.containers
                .iter()
                .all(|c| matches!(c.state, ContainerState::Running { crash_at: None, .. })))
}

/// Whether the kubelet has anything to do for this pod now (checked before any work is done, so a
/// large settled cluster costs little per round).
fn has_work(p: &crate::cluster::SimPod, now: u64) -> bool {
    if p.bound.is_none() {
        return false;
    }
    if p.deleting.is_some() {
        return p.gone_at.is_none_or(|g| g <= now);
    }
    if p.terminal() {
        return false;
    }
    next_to_start(p).is_some()
        || (0..p.containers.len()).any(|i| container_due(p, i).is_some_and(|t| t <= now))
}

/// When container `i` (started) next needs its kubelet, if ever.
fn container_due(p: &crate::cluster::SimPod, i: usize) -> Option<u64> {
    let c = p.containers.get(i)?;
    match c.state {
        ContainerState::Pulling { until } | ContainerState::BackOff { until } => Some(until),
        ContainerState::Running {
            crash_at: Some(t), ..
        } => Some(t),
        ContainerState::Running { since, .. } if !c.ready => match c.outcome {
            Outcome::NeverReady if p.reason.is_none() => Some(since + readiness_delay(p, i).unwrap_or(1)),
            Outcome::NeverReady => None,
            _ => container_ready_at(p, i),
        },
        _ => None,
    }
}

fn act_on(w: &mut World, ctl: &mut dyn Controllers, id: PodId, now: u64) -> bool {
    let Some(p) = w.pods.get(&id) else { return false };
    if p.deleting.is_some() {
        return terminate(w, ctl, id, now);
    }
    if p.terminal() {
        return false;
    }
    let (first_start, containers) = (!p.started() && next_to_start(p) == Some(0), p.containers.len());
    if first_start && reject_at_admission(w, ctl, id) {
        return true;
    }
    // The containers that are due, one action each, in spec order.
    for i in 0..containers {
        if act_on_container(w, ctl, id, i, now) {
            return true;
        }
    }
    start_next_container(w, ctl, id, now)
}

/// A pod being deleted: its running containers are stopped (a Killing event each), and once the
/// grace period is over the pod object is removed.
fn terminate(w: &mut World, ctl: &mut dyn Controllers, id: PodId, now: u64) -> bool {
    let Some(p) = w.pods.get(&id) else { return false };
    if let Some(gone) = p.gone_at {
        if gone <= now {
            let (name, object) = (p.name.clone(), p.object());
            let node = p.bound.clone();
            w.remove_pod(id);
            w.record(
                ctl,
                Actor::Kubelet,
                "removed",
                object,
                node,
                crate::text::concat(&["Pod ", &name, " terminated; the API object is removed"]),
                None,
            );
            return true;
        }
        return false;
    }
    // Each running container is stopped (a Killing event each).
    let running: Vec<Text> = (0..p.containers.len())
        .filter(|&i| {
            p.containers.get(i).is_some_and(|c| {
                matches!(
                    c.state,
                    ContainerState::Running { .. } | ContainerState::BackOff { .. }
                )
            })
        })
        .map(|i| p.container_name_of(i))
        .collect();
    let pm = w.pod_mut(id).expect("pod exists");
    pm.containers.set_all(ContainerState::Terminated);
    pm.ready = false;
    if running.is_empty() {
        pm.gone_at = Some(now);
        return terminate(w, ctl, id, now);
    }
    pm.gone_at = Some(now + timing::TERMINATION);
    for cname in running {
        let msg = w.phrase(&["Stopping container ", &cname]);
        say(
            w,
            ctl,
            id,
            "kill",
            msg.clone(),
            Some(("Normal", word("Killing"), msg)),
        );
    }
    true
}

/// Admission, once, before the first container starts: the kubelet re-checks what the scheduler
/// would have (it matters when the scheduler was bypassed) and fails the pod if it does not fit.
/// Returns whether it rejected the pod.
fn reject_at_admission(w: &mut World, ctl: &mut dyn Controllers, id: PodId) -> bool {
    if let Some((reason, msg)) = admission_failure(w, id) {
        let pm = w.pod_mut(id).expect("pod exists");
        pm.phase = Phase::Failed;
        pm.reason = Some(reason.clone());
        pm.containers.set_all(ContainerState::Terminated);
        say(
            w,
            ctl,
            id,
            "reject",
            text!("{reason}: {msg}"),
            Some(("Warning", Text::from(reason), msg.into())),
        );
        return true;
    }
    false
}

/// What is due for container `i` now, if anything: its image pulled (then it starts), a crash,
/// the end of a back-off (a restart), its readiness (or a failing readiness probe). Returns
/// whether it acted.
fn act_on_container(w: &mut World, ctl: &mut dyn Controllers, id: PodId, i: usize, now: u64) -> bool {
    let p = &w.pods[&id];
    let Some(c) = p.containers.get(i) else {
        return false;
    };
    let cname = p.container_name_of(i);
    match c.state.clone() {
        ContainerState::Pulling { until } if until <= now => {
            let image = p.image_of(i);
            let node = p.bound.clone().unwrap_or_default();
            w.add_image(&node, image.clone());
            let msg = w.phrase(&[
                "Successfully pulled image \"",
                &image,
                "\" in ",
                IMAGE_PULL_SECONDS,
                "s",
            ]);
            say(
                w,
                ctl,
                id,
                "pulled",
                msg.clone(),
                Some(("Normal", word("Pulled"), msg)),
            );
            start(w, ctl, id, i, now, &cname);
            return true;
        }
        ContainerState::Running {
            crash_at: Some(t), ..
        } if t <= now => {
            crash(w, ctl, id, i, now, &cname);
            return true;
        }
        ContainerState::BackOff { until } if until <= now => {
            restart(w, ctl, id, i, now, &cname);
            return true;
        }
        ContainerState::Running { since, .. } if !c.ready => match c.outcome {
            Outcome::NeverReady => {
                let due = since + readiness_delay(p, i).unwrap_or(1);
                if due <= now && p.reason.is_none() {
                    w.pod_mut(id).expect("pod exists").reason = Some("readiness probe failing".into());
                    let msg = text!("Readiness probe failed: container {cname} is not ready");
                    say(
                        w,
                        ctl,
                        id,
                        "unready",
                        msg.clone(),
                        Some(("Warning", word("Unhealthy"), msg)),
                    );
                    return true;
                }
            }
            _ => {
                if container_ready_at(p, i).is_some_and(|t| t <= now) {
                    let pm = w.pod_mut(id).expect("pod exists");
                    if let Some(c) = pm.containers.get_mut(i) {
                        c.ready = true;
                    }
                    let pod_ready = update_pod_ready(pm, now);
                    let (name, total) = (pm.name.clone(), pm.containers.len());
                    let ready = pm.ready_containers();
                    let message = if total == 1 {
                        crate::text::concat(&["Pod ", &name, " is Ready (condition Ready=True)"])
                    } else if pod_ready {
                        text!("Container {cname} of pod {name} is ready: all {total} containers are, so the pod is Ready (condition Ready=True, {total}/{total})")
                    } else {
                        text!("Container {cname} of pod {name} is ready ({ready}/{total}); the pod is Ready only when every container is")
                    };
                    say(w, ctl, id, "ready", message, None);
                    return true;
                }
            }
        },
        _ => {}
    }
    false
}

/// The next container to start: its image first (pulled, or already on the node). Returns
/// whether there was one.
fn start_next_container(w: &mut World, ctl: &mut dyn Controllers, id: PodId, now: u64) -> bool {
    let p = &w.pods[&id];
    let Some(i) = next_to_start(p) else { return false };
    let (cname, image) = (p.container_name_of(i), p.image_of(i));
    let cached = p.bound.is_some() && w.pod_node(p).is_some_and(|n| n.images.contains(image.as_str()));
    if cached {
        let msg = w.phrase(&["Container image \"", &image, "\" already present on machine"]);
        say(
            w,
            ctl,
            id,
            "pulled",
            msg.clone(),
            Some(("Normal", word("Pulled"), msg)),
        );
        start(w, ctl, id, i, now, &cname);
    } else {
        if let Some(c) = w.pod_mut(id).expect("pod exists").containers.get_mut(i) {
            c.state = ContainerState::Pulling {
                until: now + timing::IMAGE_PULL,
            };
        }
        let msg = w.phrase(&["Pulling image \"", &image, "\""]);
        say(
            w,
            ctl,
            id,
            "pull",
            msg.clone(),
            Some(("Normal", word("Pulling"), msg)),
        );
    }
    true
}

/// Creates and starts container `i`.
fn start(w: &mut World, ctl: &mut dyn Controllers, id: PodId, i: usize, now: u64, cname: &str) {
    let pm = w.pod_mut(id).expect("pod exists");
    pm.phase = Phase::Running;
    if i == 0 {
        // A fresh start; a later container's start keeps what an earlier one reported (its
        // failing readiness probe).
        pm.reason = None;
    }
    let no_probe = readiness_delay(pm, i).is_none();
    let total = pm.containers.len();
    let Some(c) = pm.containers.get_mut(i) else { return };
    let crash_at = (c.outcome == Outcome::CrashLoop).then_some(now + timing::CRASH_AFTER);
    c.state = ContainerState::Running { since: now, crash_at };
    let immediate = no_probe && c.outcome == Outcome::Healthy;
    c.ready = immediate;
    let pod_ready = update_pod_ready(pm, now);
    let tail: &str = match (immediate, pod_ready, total) {
        (false, ..) => "",
        (true, _, 1) => "; no readiness probe, so the pod is Ready at once",
        (true, true, _) => {
            "; no readiness probe, so it is ready at once, and with it every container: the pod is Ready"
        }
        (true, false, _) => {
            "; no readiness probe, so it is ready at once (the pod is Ready when every container is)"
        }
    };
    let message = w.phrase(&["Created and started container ", cname, tail]);
    let started = w.phrase(&["Started container ", cname]);
    say(
        w,
        ctl,
        id,
        "start",
        message,
        Some(("Normal", word("Started"), started)),
    );
}

/// Container `i` exited: restart at once the first time, else wait out the back-off.
pub fn crash(w: &mut World, ctl: &mut dyn Controllers, id: PodId, i: usize, now: u64, cname: &str) {
    let pm = w.pod_mut(id).expect("pod exists");
    let name = pm.name.clone();
    let Some(c) = pm.containers.get_mut(i) else { return };
    c.ready = false;
    let fresh = c
        .backoff
        .is_none_or(|(_, last)| now.saturating_sub(last) > timing::BACKOFF_RESET);
    let delay = c.backoff.map_or(timing::BACKOFF_INITIAL, |(d, _)| d);
    if fresh {
        c.state = ContainerState::Terminated;
        c.backoff = Some((timing::BACKOFF_INITIAL, now));
    } else {
        c.state = ContainerState::BackOff { until: now + delay };
    }
    update_pod_ready(pm, now);
    if fresh {
        say(w, ctl, id, "crash", text!("Container {cname} exited with an error; restarting it at once (first restart has no back-off)"), None);
        restart_now(w, ctl, id, i, now, cname);
    } else {
        let msg = text!("Back-off restarting failed container {cname} in pod {name}");
        say(
            w,
            ctl,
            id,
            "backoff",
            text!("{msg} (CrashLoopBackOff: waiting {delay}s)"),
            Some(("Warning", word("BackOff"), msg)),
        );
    }
}

fn restart(w: &mut World, ctl: &mut dyn Controllers, id: PodId, i: usize, now: u64, cname: &str) {
    let pm = w.pod_mut(id).expect("pod exists");
    if let Some(c) = pm.containers.get_mut(i) {
        let (delay, _) = c.backoff.unwrap_or((timing::BACKOFF_INITIAL, now));
        c.backoff = Some(((delay * 2).min(timing::BACKOFF_MAX), now));
    }
    restart_now(w, ctl, id, i, now, cname);
}

fn restart_now(w: &mut World, ctl: &mut dyn Controllers, id: PodId, i: usize, now: u64, cname: &str) {
    let pm = w.pod_mut(id).expect("pod exists");
    let no_probe = readiness_delay(pm, i).is_none();
    let Some(c) = pm.containers.get_mut(i) else { return };
    c.restarts += 1;
    let crash_at = (c.outcome == Outcome::CrashLoop).then_some(now + timing::CRASH_AFTER);
    c.state = ContainerState::Running { since: now, crash_at };
    c.ready = no_probe && c.outcome == Outcome::Healthy;
    let n = c.restarts;
    update_pod_ready(pm, now);
    say(
        w,
        ctl,
        id,
        "restart",
        text!("Restarted container {cname} in place (restart count {n}); same pod, same node"),
        Some(("Normal", word("Started"), text!("Started container {cname}"))),
    );
}

/// The next moment the kubelet has something to do.
pub fn next_wakeup(w: &World) -> Option<u64> {
    let now = w.now;
    // Only queued pods can have a time (idle ones have none); the pod's own time first: the
    // node lookup is only needed for pods that have one.
    w.queues
        .kubelet_queue
        .iter()
        .filter_map(|id| w.pods.get(id))
        .filter(|p| p.bound.is_some())
        .filter_map(|p| {
            let due = if p.deleting.is_some() {
                p.gone_at
            } else {
                wake_time(p)
            };
            due.filter(|t| *t > now)
                .filter(|_| w.pod_node(p).is_some_and(|n| n.kubelet_runs(p)))
        })
        .min()
}

/// When a pod that is not being deleted next needs its kubelet, if ever.
fn wake_time(p: &crate::cluster::SimPod) -> Option<u64> {
    (0..p.containers.len()).filter_map(|i| container_due(p, i)).min()
}

#[cfg(test)]
mod tests {
    #[test]
    fn pull_message_prints_the_pull_time() {
        assert_eq!(
            super::IMAGE_PULL_SECONDS,
            crate::cluster::timing::IMAGE_PULL.to_string()
        );
    }

    /// One container, one state: what the kubelet does when it looks at the pod at t=100
    /// (`act_on_container`), named after the state change, as the step's action says it.
    #[test]
    fn one_step_per_container_state() {
        use crate::cluster::{ContainerState, Phase, SimNode, SimPod, World};
        use crate::controller::daemonset::caches::DaemonSetsController;
        use crate::words::Mode;
        use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

        let cases: Vec<(&str, ContainerState, Option<&str>)> = vec![
            (
                "image pulled: then it starts",
                ContainerState::Pulling { until: 100 },
                Some("pulled"),
            ),
            (
                "still pulling: nothing",
                ContainerState::Pulling { until: 101 },
                None,
            ),
            (
                "crash due: it crashes",
                ContainerState::Running {
                    since: 90,
                    crash_at: Some(100),
                },
                Some("crash"),
            ),
            (
                "back-off over: it restarts",
                ContainerState::BackOff { until: 100 },
                Some("restart"),
            ),
            (
                "in back-off: nothing",
                ContainerState::BackOff { until: 200 },
                None,
            ),
            ("terminated: nothing", ContainerState::Terminated, None),
        ];
        for (name, state, want) in cases {
            let mut w = World::new(Mode::Current);
            let mut dsc = DaemonSetsController::new(&w);
            w.add_node(
                &mut dsc,
                SimNode::new(crate::testutil::node("node-1", &[], vec![])),
            );
            let pod = Pod {
                metadata: ObjectMeta {
                    name: Some("p".into()),
                    ..Default::default()
                },
                spec: Some(PodSpec {
                    node_name: Some("node-1".into()),
                    containers: vec![Container {
                        name: "c".into(),
                        image: Some("img".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                status: None,
            };
            let mut sp = SimPod::from_manifest(0, pod, 0);
            sp.phase = Phase::Running;
            if let Some(c) = sp.containers.get_mut(0) {
                c.state = state;
            }
            let id = w.add_pod(sp);
            let before = w.steps.len();
            let acted = super::act_on_container(&mut w, &mut dsc, id, 0, 100);
            let actions: Vec<&str> = w.steps[before..].iter().map(|s| s.action.as_str()).collect();
            assert_eq!(acted, want.is_some(), "{name}: {actions:?}");
            assert_eq!(actions.first().copied(), want, "{name}");
        }
    }
}
