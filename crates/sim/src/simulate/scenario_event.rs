//! One event of a scenario file, read and checked: its `at`, its action and the action's fields,
//! with every problem placed at the event's index and line.

use super::action::{Action, Cascade, ScenarioEvent, TemplateChange, ACTIONS};
use crate::api::validation::{self, TAINT_EFFECTS};
use crate::api::SpecOf;
use crate::api::{describe, read_one, FieldPath, InputError, Source};
use crate::cluster::Outcome;
use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy};
use k8s_openapi::api::core::v1::{Node, Taint};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn seq<'v>(ctx: &Ctx, path: &FieldPath, v: &'v Value) -> Result<&'v Vec<Value>, InputError> {
    v.as_sequence()
        .ok_or_else(|| ctx.err(path, format!("found {}; expected a list", describe(v))))
}

pub(super) fn read_checked<T: crate::api::Kind>(
    ctx: &Ctx,
    base: FieldPath,
    v: &Value,
    check: impl Fn(&T) -> Vec<crate::api::Problem>,
) -> Result<T, InputError> {
    let located = read_one::<T>(&ctx.src, 1, base, v, false)?;
    if let Some(p) = check(&located.object).into_iter().next() {
        return Err(ctx.err(&located.base.join(&p.path), p.message));
    }
    Ok(located.object)
}

pub(super) fn parse_event(
    ctx: &Ctx,
    i: usize,
    v: &Value,
    nodes: &mut BTreeSet<String>,
    daemonsets: &BTreeSet<String>,
    containers: &mut [(String, BTreeSet<String>)],
) -> Result<ScenarioEvent, InputError> {
    let path = FieldPath::root().key("events").index(i);
    let line = crate::api::locate_line(&ctx.src, &path);
    let label = |action: &str| format!("event {} ({action})", i + 1);
    let Some(map) = v.as_mapping() else {
        return Err(ctx.err(
            &path,
            format!(
                "event {}: found {}; expected a mapping such as {{at: 60, action: cordon, node: worker-1}}",
                i + 1,
                describe(v)
            ),
        ));
    };
    let action = match v.get("action") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(ctx.err(
                &path.key("action"),
                format!(
                    "event {}: found {}; expected an action name",
                    i + 1,
                    describe(other)
                ),
            ))
        }
        None => {
            return Err(ctx.err(
                &path,
                format!(
                    "event {}: found no action; expected action: one of {}",
                    i + 1,
                    ACTIONS.join(", ")
                ),
            ))
        }
    };
    if !ACTIONS.contains(&action.as_str()) {
        return Err(ctx.err(
            &path.key("action"),
            format!(
                "event {}: found unknown action {action:?}; expected one of {}",
                i + 1,
                ACTIONS.join(", ")
            ),
        ));
    }
    let allowed: &[&str] = match action.as_str() {
        "add-node" => &["node"],
        "drain" => &["node", "force"],
        "taint" => &["node", "taint"],
        "untaint" => &["node", "key", "effect"],
        "label" => &["node", "labels"],
        "unlabel" => &["node", "key"],
        "crash-pod" => &["node", "container"],
        "update-template" => &["image", "container", "template", "outcome"],
        "set-update-strategy" => &["strategy"],
        "rollout-undo" => &["toRevision"],
        "delete-daemonset" => &["cascade"],
        _ => &["node"],
    };
    for k in map.keys() {
        let key = k.as_str().unwrap_or_default();
        if !["at", "action", "daemonset"].contains(&key) && !allowed.contains(&key) {
            return Err(ctx.err(
                &path.key(key),
                format!(
                    "{}: found unknown argument {key:?}; expected {}",
                    label(&action),
                    allowed.join(", ")
                ),
            ));
        }
    }
    let at = match v.get("at") {
        None => None,
        Some(a) => Some(a.as_u64().ok_or_else(|| {
            ctx.err(
                &path.key("at"),
                format!(
                    "{}: found {}; expected seconds (0 or more)",
                    label(&action),
                    describe(a)
                ),
            )
        })?),
    };
    let daemonset = match v.get("daemonset") {
        None => None,
        Some(Value::String(s)) if daemonsets.contains(s) => Some(s.clone()),
        Some(other) => {
            return Err(ctx.err(
                &path.key("daemonset"),
                format!(
                    "{}: found {}; expected the name of a DaemonSet in the scenario ({})",
                    label(&action),
                    describe(other),
                    daemonsets.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    };
    let text = |key: &str| -> Result<String, InputError> {
        match v.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(other) => Err(ctx.err(
                &path.key(key),
                format!("{}: found {}; expected text", label(&action), describe(other)),
            )),
            None => Err(ctx.err(&path, format!("{}: missing argument `{key}`", label(&action)))),
        }
    };
    let existing_node = |nodes: &BTreeSet<String>| -> Result<String, InputError> {
        let n = text("node")?;
        if !nodes.contains(&n) {
            return Err(ctx.err(
                &path.key("node"),
                format!(
                    "{}: found unknown node {n:?}; expected one of the nodes at that point ({})",
                    label(&action),
                    nodes.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        Ok(n)
    };
    let act = match action.as_str() {
        "add-node" => {
            let nv = v.get("node").ok_or_else(|| {
                ctx.err(
                    &path,
                    format!("{}: missing argument `node` (a Node manifest)", label(&action)),
                )
            })?;
            let node = read_checked::<Node>(ctx, path.key("node"), nv, validation::node)?;
            let name = node.metadata.name.clone().unwrap_or_default();
            if !nodes.insert(name.clone()) {
                return Err(ctx.err(
                    &path.key("node").key("metadata").key("name"),
                    format!(
                        "{}: found node {name:?}, which already exists; expected a new node name",
                        label(&action)
                    ),
                ));
            }
            Action::AddNode(Box::new(node))
        }
        "remove-node" => {
            let n = existing_node(nodes)?;
            nodes.remove(&n);
            Action::RemoveNode(n)
        }
        "cordon" => Action::Cordon(existing_node(nodes)?),
        "uncordon" => Action::Uncordon(existing_node(nodes)?),
        "drain" => Action::Drain {
            node: existing_node(nodes)?,
            force: v.get("force").and_then(Value::as_bool).unwrap_or(false),
        },
        "node-not-ready" => Action::NodeNotReady(existing_node(nodes)?),
        "node-ready" => Action::NodeReady(existing_node(nodes)?),
        "crash-pod" => {
            let node = existing_node(nodes)?;
            let container = match v.get("container") {
                None => None,
                Some(_) => {
                    let c = text("container")?;
                    // The containers the DaemonSet's pods can have by then (its template's, and
                    // those earlier update-template events brought).
                    let known = containers_of(containers, daemonset.as_deref());
                    if !known.is_some_and(|k| k.contains(&c)) {
                        return Err(ctx.err(
                            &path.key("container"),
                            format!(
                                "{}: found unknown container {c:?}; expected a container of the DaemonSet's pods ({})",
                                label(&action),
                                known.map(|k| k.iter().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default()
                            ),
                        ));
                    }
                    Some(c)
                }
            };
            Action::CrashPod { node, container }
        }
        "delete-pod" => Action::DeletePod(existing_node(nodes)?),
        "taint" => {
            let node = existing_node(nodes)?;
            let tv = v.get("taint").ok_or_else(|| {
                ctx.err(
                    &path,
                    format!(
                        "{}: missing argument `taint` ({{key, value, effect}})",
                        label(&action)
                    ),
                )
            })?;
            let taint: Taint = typed(tv).map_err(|e| {
                ctx.err(
                    &path.key("taint"),
                    format!("{}: {e}; expected {{key, value, effect}}", label(&action)),
                )
            })?;
            let mut check = k8s_openapi::api::core::v1::Node::default();
            check.metadata.name = Some(node.clone());
            check.spec = Some(k8s_openapi::api::core::v1::NodeSpec {
                taints: Some(vec![taint.clone()]),
                ..Default::default()
            });
            if let Some(p) = validation::node(&check).into_iter().next() {
                let field = p.path.0.last().cloned().map(|s| match s {
                    crate::api::Seg::Key(k) => k,
                    crate::api::Seg::Index(_) => String::new(),
                });
                return Err(ctx.err(
                    &path.key("taint").key(&field.unwrap_or_default()),
                    format!("{}: {}", label(&action), p.message),
                ));
            }
            Action::Taint { node, taint }
        }
        "untaint" => {
            let node = existing_node(nodes)?;
            let key = text("key")?;
            let effect = match v.get("effect") {
                None => None,
                Some(Value::String(e)) if TAINT_EFFECTS.contains(&e.as_str()) => Some(e.clone()),
                Some(other) => {
                    return Err(ctx.err(
                        &path.key("effect"),
                        format!(
                            "{}: found {}; expected NoSchedule, PreferNoSchedule or NoExecute",
                            label(&action),
                            describe(other)
                        ),
                    ))
                }
            };
            Action::Untaint { node, key, effect }
        }
        "label" => {
            let node = existing_node(nodes)?;
            let lv = v.get("labels").ok_or_else(|| {
                ctx.err(
                    &path,
                    format!("{}: missing argument `labels` ({{key: value}})", label(&action)),
                )
            })?;
            let labels: BTreeMap<String, String> = typed(lv).map_err(|e| {
                ctx.err(
                    &path.key("labels"),
                    format!(
                        "{}: {e}; expected a mapping of label keys to text values",
                        label(&action)
                    ),
                )
            })?;
            for (k, val) in &labels {
                if let Some(e) = crate::api::labels::label_key_error(k)
                    .or_else(|| crate::api::labels::label_value_error(val))
                {
                    return Err(ctx.err(&path.key("labels").key(k), format!("{}: {e}", label(&action))));
                }
            }
            Action::Label { node, labels }
        }
        "unlabel" => Action::Unlabel {
            node: existing_node(nodes)?,
            key: text("key")?,
        },
        "update-template" => {
            let outcome = match v.get("outcome") {
                None => Outcome::Healthy,
                Some(o) => serde_yaml::from_value(o.clone()).map_err(|_| {
                    ctx.err(
                        &path.key("outcome"),
                        format!(
                            "{}: found {}; expected healthy, crash-loop or never-ready",
                            label(&action),
                            describe(o)
                        ),
                    )
                })?,
            };
            let change = match (v.get("image"), v.get("template")) {
                (Some(_), Some(_)) => {
                    return Err(ctx.err(
                        &path.key("template"),
                        format!(
                            "{}: found both image and template; expected one of them",
                            label(&action)
                        ),
                    ))
                }
                (Some(_), None) => TemplateChange::Image {
                    image: text("image")?,
                    container: v.get("container").map(|_| text("container")).transpose()?,
                },
                (None, Some(t)) if t.is_mapping() => TemplateChange::Patch(t.clone()),
                (None, Some(t)) => {
                    return Err(ctx.err(
                        &path.key("template"),
                        format!(
                            "{}: found {}; expected a pod template patch (a mapping)",
                            label(&action),
                            describe(t)
                        ),
                    ))
                }
                (None, None) => {
                    return Err(ctx.err(
                        &path,
                        format!("{}: missing argument `image` (or `template`)", label(&action)),
                    ))
                }
            };
            // A patch may bring new containers (lists of named items merge by name).
            let added: Vec<String> = match &change {
                TemplateChange::Patch(p) => p
                    .get("spec")
                    .and_then(|s| s.get("containers"))
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
                    .collect(),
                TemplateChange::Image { .. } => Vec::new(),
            };
            if let Some(known) = containers_of_mut(containers, daemonset.as_deref()) {
                known.extend(added);
            }
            Action::UpdateTemplate { change, outcome }
        }
        "set-update-strategy" => {
            let sv = v.get("strategy").ok_or_else(|| {
                ctx.err(
                    &path,
                    format!(
                        "{}: missing argument `strategy` (an updateStrategy)",
                        label(&action)
                    ),
                )
            })?;
            let strategy: DaemonSetUpdateStrategy = typed(sv)
                .map_err(|e| ctx.err(&path.key("strategy"), format!("{}: {e}; expected {{type: RollingUpdate, rollingUpdate: {{maxUnavailable, maxSurge}}}} or {{type: OnDelete}}", label(&action))))?;
            let mut probe = probe_daemonset();
            probe.spec_mut().update_strategy = Some(strategy.clone());
            if let Some(p) = validation::daemonset(&probe)
                .into_iter()
                .find(|p| p.path.to_string().starts_with("spec.updateStrategy"))
            {
                let rest = FieldPath(p.path.0.into_iter().skip(2).collect());
                return Err(ctx.err(
                    &path.key("strategy").join(&rest),
                    format!("{}: {}", label(&action), p.message),
                ));
            }
            Action::SetUpdateStrategy(strategy)
        }
        "rollout-undo" => {
            let to_revision = match v.get("toRevision") {
                None => None,
                Some(r) => Some(r.as_i64().filter(|n| *n >= 0).ok_or_else(|| {
                    ctx.err(
                        &path.key("toRevision"),
                        format!(
                            "{}: found {}; expected a revision number",
                            label(&action),
                            describe(r)
                        ),
                    )
                })?),
            };
            Action::RolloutUndo { to_revision }
        }
        "delete-daemonset" => {
            let cascade = match v.get("cascade").map(|c| c.as_str()) {
                None | Some(Some("background")) => Cascade::Background,
                Some(Some("orphan")) => Cascade::Orphan,
                Some(_) => {
                    return Err(ctx.err(
                        &path.key("cascade"),
                        format!(
                            "{}: found {}; expected background or orphan",
                            label(&action),
                            v.get("cascade").map(describe).unwrap_or_default()
                        ),
                    ))
                }
            };
            Action::DeleteDaemonSet { cascade }
        }
        other => {
            return Err(ctx.err(
                &path.key("action"),
                format!("event {}: found unknown action {other:?}", i + 1),
            ))
        }
    };
    Ok(ScenarioEvent {
        index: i,
        line,
        at,
        daemonset,
        action: act,
    })
}

/// The container names of the DaemonSet named `ds` (None: the first).
fn containers_of<'c>(
    containers: &'c [(String, BTreeSet<String>)],
    ds: Option<&str>,
) -> Option<&'c BTreeSet<String>> {
    match ds {
        Some(d) => containers.iter().find(|(n, _)| n == d),
        None => containers.first(),
    }
    .map(|(_, c)| c)
}

fn containers_of_mut<'c>(
    containers: &'c mut [(String, BTreeSet<String>)],
    ds: Option<&str>,
) -> Option<&'c mut BTreeSet<String>> {
    match ds {
        Some(d) => containers.iter_mut().find(|(n, _)| n == d),
        None => containers.first_mut(),
    }
    .map(|(_, c)| c)
}

/// A typed value out of YAML, through the same deserializer the input files use (`&Value`), so
/// the wasm carries one copy of the API types' deserialization code.
fn typed<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, serde_yaml::Error> {
    T::deserialize(v)
}

pub(super) struct Ctx<'a> {
    pub(super) src: Source<'a>,
}

impl Ctx<'_> {
    pub(super) fn err(&self, path: &FieldPath, msg: impl Into<String>) -> InputError {
        self.src.error_at(1, path, msg)
    }
}

/// A minimal valid DaemonSet, to validate an update strategy on its own.
fn probe_daemonset() -> DaemonSet {
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
    let labels: BTreeMap<String, String> = [("app".to_string(), "probe".to_string())].into();
    let mut ds = DaemonSet::default();
    ds.metadata.name = Some("probe".into());
    ds.spec_mut().selector = LabelSelector {
        match_labels: Some(labels.clone()),
        ..Default::default()
    };
    ds.spec_mut().template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels),
            ..Default::default()
        }),
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "c".into(),
                image: Some("c".into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
    };
    ds
}
