//! What a user's command does to the cluster, as kubectl does it: cordon sets
//! `spec.unschedulable`, drain skips DaemonSet pods, `set image` changes the template, `rollout
//! undo` copies an old revision's template back (semantics §7.7, §8.3, §8.4, §8.8).

use super::scenario::{Action, Cascade, Scenario, ScenarioEvent, TemplateChange};
use crate::api::SpecOf;
use crate::cluster::{Actor, ContainerState, Controllers, KubeEvent, PodId, SimNode, SimPod, Text, World};
use crate::controller::daemonset::history::compute_hash;
use crate::controller::daemonset::revisions::rollback_target;
use crate::scheduler::taints::format_taint;
use crate::text::text;
use k8s_openapi::api::core::v1::{NodeCondition, PodSpec, Toleration};
use serde_yaml::Value;

/// The DefaultTolerationSeconds admission plugin: pods that do not tolerate not-ready /
/// unreachable NoExecute get 300 s tolerations (DaemonSet pods already tolerate them forever).
pub fn admit_default_tolerations(spec: &mut PodSpec) {
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let covered = tolerations.iter().any(|t| {
            let k = t.key.as_deref().unwrap_or("");
            let e = t.effect.as_deref().unwrap_or("");
            (k.is_empty() || k == key)
                && (e.is_empty() || e == "NoExecute")
                && t.operator.as_deref() == Some("Exists")
        });
        if !covered {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(crate::cluster::timing::DEFAULT_TOLERATION_SECONDS),
                value: None,
            });
        }
    }
}

fn user(
    w: &mut World,
    ctl: &mut dyn Controllers,
    action: &'static str,
    object: String,
    node: Option<String>,
    message: String,
) {
    w.record(
        ctl,
        Actor::User,
        action,
        object,
        node.map(Text::from),
        message,
        None,
    );
}

fn ds_index(w: &World, e: &ScenarioEvent) -> Option<usize> {
    match &e.daemonset {
        Some(n) => w.daemonsets.iter().position(|d| d.name == *n),
        None => (!w.daemonsets.is_empty()).then_some(0),
    }
}

/// The DaemonSet's live pod on a node: the oldest one not being deleted.
fn daemon_pod_on(w: &World, di: usize, node: &str) -> Option<PodId> {
    let d = &w.daemonsets[di];
    let mut pods: Vec<&SimPod> = w
        .pods_on(node)
        .into_iter()
        .filter(|p| p.owner.as_deref() == Some(&d.name) && p.deleting.is_none())
        .collect();
    crate::controller::daemonset::daemon_pods::oldest_first(&mut pods);
    pods.first().map(|p| p.id)
}

fn set_ready_condition(n: &mut SimNode, ready: bool) {
    n.ready = ready;
    n.was_ready |= ready;
    let status = n.node.status.get_or_insert_with(Default::default);
    let conds = status.conditions.get_or_insert_with(Vec::new);
    let (s, reason, message) = if ready {
        ("True", "KubeletReady", "kubelet is posting ready status")
    } else {
        ("False", "KubeletNotReady", "container runtime is down")
    };
    match conds.iter_mut().find(|c| c.type_ == "Ready") {
        Some(c) => {
            c.status = s.into();
            c.reason = Some(reason.into());
            c.message = Some(message.into());
        }
        None => conds.push(NodeCondition {
            type_: "Ready".into(),
            status: s.into(),
            reason: Some(reason.into()),
            message: Some(message.into()),
            ..Default::default()
        }),
    }
}

pub fn apply(w: &mut World, ctl: &mut dyn Controllers, _s: &Scenario, e: &ScenarioEvent) {
    let di = ds_index(w, e);
    match &e.action {
        Action::AddNode(node) => {
            let n = SimNode::new((**node).clone());
            let name = n.name().clone();
            w.gone_nodes.remove(name.as_str());
            w.add_node(ctl, n);
            user(
                w,
                ctl,
                "add-node",
                format!("node/{name}"),
                Some(name.to_string()),
                format!("Node {name} joined the cluster (its kubelet registered the Node object)"),
            );
        }
        Action::RemoveNode(name) => {
            w.remove_node(ctl, name);
            w.gone_nodes.insert(name.clone(), w.now);
            user(w, ctl, "remove-node", format!("node/{name}"), Some(name.clone()), format!("kubectl delete node {name}: the Node object is gone; pods bound to it stay until the pod garbage collector removes them"));
        }
        Action::Cordon(name) => cordon(w, ctl, name, true),
        Action::Uncordon(name) => cordon(w, ctl, name, false),
        Action::Drain { node, force } => drain(w, ctl, node, *force),
        Action::NodeNotReady(name) => {
            if let Some(n) = w.node_mut(name) {
                set_ready_condition(n, false);
            }
            user(
                w,
                ctl,
                "node-not-ready",
                format!("node/{name}"),
                Some(name.clone()),
                format!("Node {name} is NotReady: its kubelet reports Ready=False"),
            );
        }
        Action::NodeReady(name) => {
            let was_ready_before = w.node(name).is_some_and(|n| n.was_ready);
            if let Some(n) = w.node_mut(name) {
                set_ready_condition(n, true);
            }
            let again = if was_ready_before { " again" } else { "" };
            user(
                w,
                ctl,
                "node-ready",
                format!("node/{name}"),
                Some(name.clone()),
                format!("Node {name} is Ready{again}"),
            );
        }
        Action::CrashPod { node, container } => {
            let target = di.and_then(|di| daemon_pod_on(w, di, node));
            let Some(id) = target else {
                user(
                    w,
                    ctl,
                    "crash-pod",
                    format!("node/{node}"),
                    Some(node.clone()),
                    format!("No running DaemonSet container on {node} to crash"),
                );
                return;
            };
            let p = &w.pods[&id];
            let name = p.name.clone();
            // Default: the first container, as kubectl picks the default container.
            let index = match container {
                Some(c) => p.container_index(c),
                None => Some(0),
            };
            let Some(i) = index else {
                let c = container.clone().unwrap_or_default();
                user(
                    w,
                    ctl,
                    "crash-pod",
                    format!("pod/{name}"),
                    Some(node.clone()),
                    format!(
                        "Pod {name} has no container {c} (its revision's template has none): nothing crashes"
                    ),
                );
                return;
            };
            let cname = p.container_name_of(i);
            let now = w.now;
            let pm = w.pod_mut(id).expect("pod exists");
            match pm.containers.get_mut(i) {
                Some(c) if matches!(c.state, ContainerState::Running { .. }) => {
                    if let ContainerState::Running { since, .. } = c.state {
                        c.state = ContainerState::Running {
                            since,
                            crash_at: Some(now),
                        };
                    }
                    user(
                        w,
                        ctl,
                        "crash-pod",
                        format!("pod/{name}"),
                        Some(node.clone()),
                        format!("Container {cname} of pod {name} crashed (exit code 1)"),
                    );
                }
                _ => user(
                    w,
                    ctl,
                    "crash-pod",
                    format!("pod/{name}"),
                    Some(node.clone()),
                    format!("Container {cname} of pod {name} is not running: nothing to crash"),
                ),
            }
        }
        Action::DeletePod(node) => match di.and_then(|di| daemon_pod_on(w, di, node)) {
            Some(id) => {
                let name = w.pods[&id].name.clone();
                let ns = w.pods[&id].namespace.clone();
                w.begin_deletion(id);
                user(
                    w,
                    ctl,
                    "delete-pod",
                    format!("pod/{name}"),
                    Some(node.clone()),
                    format!("kubectl delete pod {name} -n {ns}"),
                );
            }
            None => user(
                w,
                ctl,
                "delete-pod",
                format!("node/{node}"),
                Some(node.clone()),
                format!("No DaemonSet pod on {node} to delete"),
            ),
        },
        Action::Taint { node, taint } => {
            let text = format_taint(taint);
            if let Some(n) = w.node_mut(node) {
                let taints = n.taints_mut();
                taints.retain(|t| !(t.key == taint.key && t.effect == taint.effect));
                taints.push(taint.clone());
            }
            user(
                w,
                ctl,
                "taint",
                format!("node/{node}"),
                Some(node.clone()),
                format!("kubectl taint nodes {node} {text}"),
            );
        }
        Action::Untaint { node, key, effect } => {
            if let Some(n) = w.node_mut(node) {
                n.taints_mut()
                    .retain(|t| !(t.key == *key && effect.as_ref().is_none_or(|e| *e == t.effect)));
            }
            let spec = match effect {
                Some(e) => format!("{key}:{e}-"),
                None => format!("{key}-"),
            };
            user(
                w,
                ctl,
                "untaint",
                format!("node/{node}"),
                Some(node.clone()),
                format!("kubectl taint nodes {node} {spec}"),
            );
        }
        Action::Label { node, labels } => {
            if let Some(n) = w.node_mut(node) {
                n.node
                    .metadata
                    .labels
                    .get_or_insert_with(Default::default)
                    .extend(labels.clone());
            }
            let text: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            user(
                w,
                ctl,
                "label",
                format!("node/{node}"),
                Some(node.clone()),
                format!("kubectl label nodes {node} {} --overwrite", text.join(" ")),
            );
        }
        Action::Unlabel { node, key } => {
            if let Some(n) = w.node_mut(node) {
                if let Some(l) = n.node.metadata.labels.as_mut() {
                    l.remove(key);
                }
            }
            user(
                w,
                ctl,
                "unlabel",
                format!("node/{node}"),
                Some(node.clone()),
                format!("kubectl label nodes {node} {key}-"),
            );
        }
        Action::UpdateTemplate { change, outcome } => {
            let Some(di) = di else { return };
            update_template(w, ctl, di, change, *outcome);
        }
        Action::SetUpdateStrategy(strategy) => {
            let Some(di) = di else { return };
            let d = &mut w.daemonsets[di];
            d.ds.spec_mut().update_strategy = Some(strategy.clone());
            bump_generation(d);
            let name = d.name.clone();
            let text = crate::api::update_strategy::strategy_text(&d.ds);
            w.touch_daemonsets();
            user(w, ctl, "set-update-strategy", format!("daemonset/{name}"), None, format!("kubectl patch daemonset/{name}: updateStrategy is now {text} (no new revision: only the pod template is versioned)"));
        }
        Action::RolloutUndo { to_revision } => {
            let Some(di) = di else { return };
            let name = w.daemonsets[di].name.clone();
            match rollback_target(w, di, *to_revision) {
                Err(msg) => user(
                    w,
                    ctl,
                    "rollout-undo",
                    format!("daemonset/{name}"),
                    None,
                    format!("kubectl rollout undo daemonset/{name}: {msg}"),
                ),
                Ok(rev) => {
                    let d = &mut w.daemonsets[di];
                    d.ds.spec_mut().template = rev.template.clone();
                    bump_generation(d);
                    w.mark_template_changed();
                    user(
                        w,
                        ctl,
                        "rollout-undo",
                        format!("daemonset/{name}"),
                        None,
                        format!("kubectl rollout undo daemonset/{name}: daemonset.apps/{name} rolled back (the template of revision {} is copied back; the controller will renumber that revision)", rev.revision),
                    );
                }
            }
        }
        Action::DeleteDaemonSet { cascade } => {
            let Some(di) = di else { return };
            let name = w.daemonsets[di].name.clone();
            w.daemonsets[di].deleted = true;
            w.touch_daemonsets();
            w.mark_template_changed();
            match cascade {
                Cascade::Background => user(w, ctl, "delete-daemonset", format!("daemonset/{name}"), None, format!("kubectl delete daemonset {name} (cascade=background): the DaemonSet is gone; the garbage collector deletes its pods")),
                Cascade::Orphan => {
                    let ids: Vec<PodId> = w.pods.values().filter(|p| p.owner.as_deref() == Some(&name)).map(|p| p.id).collect();
                    for id in &ids {
                        w.queues.orphans.insert(*id);
                        if let Some(p) = w.pod_mut(*id) {
                            p.owner = None;
                            if let Some(refs) = p.manifest_mut().metadata.owner_references.as_mut() {
                                refs.retain(|r| r.name != name);
                            }
                        }
                    }
                    for r in w.revisions.iter_mut().filter(|r| r.owner.as_deref() == Some(&name)) {
                        r.owner = None;
                    }
                    user(w, ctl, "delete-daemonset", format!("daemonset/{name}"), None, format!("kubectl delete daemonset {name} --cascade=orphan: the DaemonSet is gone; its {} pods keep running without an owner", ids.len()));
                }
            }
        }
    }
}

fn bump_generation(d: &mut crate::cluster::SimDaemonSet) {
    let g = d.generation();
    d.ds.metadata.generation = Some(g + 1);
}

fn cordon(w: &mut World, ctl: &mut dyn Controllers, name: &str, on: bool) {
    let already = w.node(name).is_some_and(|n| n.unschedulable() == on);
    if let Some(n) = w.node_mut(name) {
        n.node.spec.get_or_insert_with(Default::default).unschedulable = Some(on).filter(|b| *b);
    }
    let (cmd, state) = if on {
        ("cordon", "cordoned")
    } else {
        ("uncordon", "uncordoned")
    };
    let msg = if already {
        format!("kubectl {cmd} {name}: node/{name} already {state}")
    } else {
        format!("kubectl {cmd} {name}: node/{name} {state}")
    };
    user(w, ctl, cmd, format!("node/{name}"), Some(name.to_string()), msg);
}

/// `kubectl drain NODE --ignore-daemonsets [--force]`: cordon, skip DaemonSet pods, refuse pods
/// without a controller unless forced, evict the rest (Eviction API: PDBs would apply).
fn drain(w: &mut World, ctl: &mut dyn Controllers, node: &str, force: bool) {
    cordon(w, ctl, node, true);
    let pods: Vec<&SimPod> = w
        .pods_on(node)
        .into_iter()
        .filter(|p| p.bound.is_some() && p.deleting.is_none())
        .collect();
    let mut daemon = Vec::new();
    let mut unmanaged = Vec::new();
    let mut evict = Vec::new();
    for p in pods {
        let controller = p.controller_ref();
        let ds_alive = p
            .owner
            .as_ref()
            .is_some_and(|o| w.daemonsets.iter().any(|d| &d.name == o && !d.deleted));
        let is_ds = controller.is_some_and(|o| o.kind == "DaemonSet") || p.owner.is_some();
        if is_ds && ds_alive && !p.terminal() {
            daemon.push(format!("{}/{}", p.namespace, p.name));
        } else if controller.is_none() && !p.terminal() && !force {
            unmanaged.push(format!("{}/{}", p.namespace, p.name));
        } else {
            evict.push((p.id, format!("{}/{}", p.namespace, p.name)));
        }
    }
    if !unmanaged.is_empty() {
        user(w, ctl, "drain", format!("node/{node}"), Some(node.into()), format!("error: unable to drain node {node}: cannot delete Pods that declare no controller (use --force to override): {}", unmanaged.join(", ")));
        return;
    }
    if !daemon.is_empty() {
        user(
            w,
            ctl,
            "drain",
            format!("node/{node}"),
            Some(node.into()),
            format!(
                "Warning: ignoring DaemonSet-managed Pods: {} (they keep running on the cordoned node)",
                daemon.join(", ")
            ),
        );
    }
    for (id, name) in evict {
        w.begin_deletion(id);
        let pod_name = name.split('/').nth(1).unwrap_or_default().to_string();
        let ev = KubeEvent {
            type_: Text::new_static("Normal"),
            reason: Text::new_static("Evicted"),
            object: text!("pod/{pod_name}"),
            from: Text::new_static("kubectl drain"),
            message: text!("evicting pod {name}"),
            time: w.now,
        };
        w.record(
            ctl,
            Actor::User,
            "evict",
            format!("pod/{pod_name}"),
            Some(Text::from(node)),
            format!("evicting pod {name} (Eviction API: a PodDisruptionBudget would be respected)"),
            Some(ev),
        );
    }
    user(
        w,
        ctl,
        "drain",
        format!("node/{node}"),
        Some(node.into()),
        format!("node/{node} drained"),
    );
}

fn update_template(
    w: &mut World,
    ctl: &mut dyn Controllers,
    di: usize,
    change: &TemplateChange,
    outcome: crate::cluster::Outcome,
) {
    let name = w.daemonsets[di].name.clone();
    let old = w.daemonsets[di].ds.spec().template.clone();
    let (new, cmd) = match change {
        TemplateChange::Image { image, container } => {
            let mut t = old.clone();
            let mut cname = String::new();
            if let Some(spec) = t.spec.as_mut() {
                let c = match container {
                    Some(n) => spec.containers.iter_mut().find(|c| &c.name == n),
                    None => spec.containers.first_mut(),
                };
                match c {
                    Some(c) => {
                        c.image = Some(image.clone());
                        cname = c.name.clone();
                    }
                    None => {
                        let msg = format!(
                            "error: unable to find container named {:?}",
                            container.clone().unwrap_or_default()
                        );
                        user(
                            w,
                            ctl,
                            "update-template",
                            format!("daemonset/{name}"),
                            None,
                            format!("kubectl set image daemonset/{name}: {msg}"),
                        );
                        return;
                    }
                }
            }
            (t, format!("kubectl set image daemonset/{name} {cname}={image}"))
        }
        TemplateChange::Patch(patch) => {
            let base = serde_yaml::to_value(&old).unwrap_or(Value::Null);
            let merged = merge(base, patch);
            // The same deserializer as manifests use (one copy of the code in the wasm).
            match <k8s_openapi::api::core::v1::PodTemplateSpec as serde::Deserialize>::deserialize(&merged) {
                Ok(t) => (t, format!("kubectl patch daemonset/{name} (pod template)")),
                Err(e) => {
                    user(
                        w,
                        ctl,
                        "update-template",
                        format!("daemonset/{name}"),
                        None,
                        format!("kubectl patch daemonset/{name}: error: {e}"),
                    );
                    return;
                }
            }
        }
    };
    if new == old {
        user(
            w,
            ctl,
            "update-template",
            format!("daemonset/{name}"),
            None,
            format!("{cmd}: no change (the template is the same, so nothing rolls out)"),
        );
        return;
    }
    let collisions = w.daemonsets[di]
        .ds
        .status
        .as_ref()
        .and_then(|s| s.collision_count)
        .unwrap_or(0);
    // The outcome is how the changed container behaves: the one whose image changed (set image
    // names it; a patch: the first whose image differs), else the first.
    let changed = new
        .spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .find(|c| {
            old.spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .find(|o| o.name == c.name)
                .is_none_or(|o| o.image != c.image)
        })
        .map(|c| c.name.clone());
    let d = &mut w.daemonsets[di];
    d.outcomes
        .insert(compute_hash(&new, collisions), (outcome, changed));
    d.ds.spec_mut().template = new;
    bump_generation(d);
    w.mark_template_changed();
    let tail = match outcome {
        crate::cluster::Outcome::Healthy => String::new(),
        crate::cluster::Outcome::CrashLoop => " (this image crashes after start)".into(),
        crate::cluster::Outcome::NeverReady => " (this image never passes its readiness probe)".into(),
    };
    user(
        w,
        ctl,
        "update-template",
        format!("daemonset/{name}"),
        None,
        format!("{cmd}: the pod template changed{tail}"),
    );
}

/// Merge patch with named lists merged by `name` (as strategic merge does for containers, env,
/// volumes, volumeMounts, ports with names); `null` deletes a key.
fn merge(base: Value, patch: &Value) -> Value {
    match (base, patch) {
        (Value::Mapping(mut b), Value::Mapping(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(k);
                    continue;
                }
                let cur = b.remove(k).unwrap_or(Value::Null);
                b.insert(k.clone(), merge(cur, v));
            }
            Value::Mapping(b)
        }
        (Value::Sequence(b), Value::Sequence(p)) if named(&b) && named(p) => {
            let mut out = b;
            for item in p {
                let n = item.get("name").cloned();
                match out.iter_mut().find(|x| x.get("name") == n.as_ref()) {
                    Some(x) => *x = merge(x.clone(), item),
                    None => out.push(item.clone()),
                }
            }
            Value::Sequence(out)
        }
        (_, p) => p.clone(),
    }
}

fn named(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|i| i.get("name").is_some_and(Value::is_string))
}
