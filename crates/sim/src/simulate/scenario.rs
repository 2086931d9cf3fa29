//! The scenario file: a cluster (one or more DaemonSets, nodes, other pods), a mode, and the events
//! to apply. Every problem is an [`InputError`] naming the event by index and line.

use crate::api::validation::{self, TAINT_EFFECTS};
use crate::api::{describe, read_one, FieldPath, InputError, Source};
use crate::cluster::Outcome;
use crate::words::Mode;
use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy};
use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct Scenario {
    pub title: Option<String>,
    pub mode: Mode,
    pub daemonsets: Vec<DaemonSet>,
    pub nodes: Vec<Node>,
    pub pods: Vec<Pod>,
    pub events: Vec<ScenarioEvent>,
    pub until: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ScenarioEvent {
    /// 0-based position in `events`.
    pub index: usize,
    pub line: usize,
    pub at: Option<u64>,
    /// The DaemonSet it acts on (by name); the first one when not given.
    pub daemonset: Option<String>,
    pub action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cascade {
    Background,
    Orphan,
}

#[derive(Debug, Clone)]
pub enum TemplateChange {
    Image {
        image: String,
        container: Option<String>,
    },
    /// A patch merged into `spec.template`: mappings merge, lists of named items (containers,
    /// env, volumes, …) merge by `name`, other lists are replaced.
    Patch(Value),
}

#[derive(Debug, Clone)]
pub enum Action {
    AddNode(Box<Node>),
    RemoveNode(String),
    Cordon(String),
    Uncordon(String),
    Drain {
        node: String,
        force: bool,
    },
    NodeNotReady(String),
    NodeReady(String),
    /// A container of the DaemonSet pod on `node` exits: `container` names it (None: the first,
    /// as kubectl defaults to the first container).
    CrashPod {
        node: String,
        container: Option<String>,
    },
    DeletePod(String),
    Taint {
        node: String,
        taint: Taint,
    },
    Untaint {
        node: String,
        key: String,
        effect: Option<String>,
    },
    Label {
        node: String,
        labels: BTreeMap<String, String>,
    },
    Unlabel {
        node: String,
        key: String,
    },
    UpdateTemplate {
        change: TemplateChange,
        outcome: Outcome,
    },
    SetUpdateStrategy(DaemonSetUpdateStrategy),
    RolloutUndo {
        to_revision: Option<i64>,
    },
    DeleteDaemonSet {
        cascade: Cascade,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::AddNode(_) => "add-node",
            Action::RemoveNode(_) => "remove-node",
            Action::Cordon(_) => "cordon",
            Action::Uncordon(_) => "uncordon",
            Action::Drain { .. } => "drain",
            Action::NodeNotReady(_) => "node-not-ready",
            Action::NodeReady(_) => "node-ready",
            Action::CrashPod { .. } => "crash-pod",
            Action::DeletePod(_) => "delete-pod",
            Action::Taint { .. } => "taint",
            Action::Untaint { .. } => "untaint",
            Action::Label { .. } => "label",
            Action::Unlabel { .. } => "unlabel",
            Action::UpdateTemplate { .. } => "update-template",
            Action::SetUpdateStrategy(_) => "set-update-strategy",
            Action::RolloutUndo { .. } => "rollout-undo",
            Action::DeleteDaemonSet { .. } => "delete-daemonset",
        }
    }
}

pub const ACTIONS: &[&str] = &[
    "add-node",
    "remove-node",
    "cordon",
    "uncordon",
    "drain",
    "node-not-ready",
    "node-ready",
    "crash-pod",
    "delete-pod",
    "taint",
    "untaint",
    "label",
    "unlabel",
    "update-template",
    "set-update-strategy",
    "rollout-undo",
    "delete-daemonset",
];

const TOP_KEYS: &[&str] = &[
    "title",
    "description",
    "mode",
    "daemonset",
    "daemonsets",
    "nodes",
    "pods",
    "events",
    "until",
];

struct Ctx<'a> {
    src: Source<'a>,
}

impl Ctx<'_> {
    fn err(&self, path: &FieldPath, msg: impl Into<String>) -> InputError {
        self.src.error_at(1, path, msg)
    }
}

impl Scenario {
    /// Parses a scenario file (one YAML document).
    pub fn from_yaml(bytes: &[u8], file: &str) -> Result<Scenario, InputError> {
        let src = Source::decode(bytes, file)?;
        let docs = src.documents()?;
        let ctx = Ctx { src };
        let (doc, root) = docs
            .into_iter()
            .next()
            .ok_or_else(|| InputError::whole(file, "is empty; expected a scenario"))?;
        if doc != 1 {
            return Err(ctx.src.error_at(
                doc,
                &FieldPath::root(),
                "found a scenario after an empty document; expected it first",
            ));
        }
        let Some(map) = root.as_mapping() else {
            return Err(ctx.err(
                &FieldPath::root(),
                format!(
                    "found {}; expected a scenario mapping with daemonset, nodes and events",
                    describe(&root)
                ),
            ));
        };
        let top = FieldPath::root();
        for k in map.keys() {
            let key = k.as_str().unwrap_or_default();
            if !TOP_KEYS.contains(&key) {
                return Err(ctx.err(
                    &top.key(key),
                    format!(
                        "found unknown key {key:?}; expected one of {}",
                        TOP_KEYS.join(", ")
                    ),
                ));
            }
        }
        let mode = match root.get("mode") {
            None => Mode::Current,
            Some(v) => v.as_str().and_then(Mode::parse).ok_or_else(|| {
                ctx.err(
                    &top.key("mode"),
                    format!("found {}; expected current or legacy", describe(v)),
                )
            })?,
        };
        let title = root.get("title").and_then(Value::as_str).map(str::to_string);
        let mut daemonsets = Vec::new();
        match (root.get("daemonset"), root.get("daemonsets")) {
            (Some(_), Some(_)) => {
                return Err(ctx.err(
                    &top.key("daemonsets"),
                    "found both daemonset and daemonsets; expected one of them",
                ))
            }
            (Some(v), None) => daemonsets.push(read_checked::<DaemonSet>(
                &ctx,
                top.key("daemonset"),
                v,
                validation::daemonset,
            )?),
            (None, Some(v)) => {
                for (i, item) in seq(&ctx, &top.key("daemonsets"), v)?.iter().enumerate() {
                    daemonsets.push(read_checked::<DaemonSet>(
                        &ctx,
                        top.key("daemonsets").index(i),
                        item,
                        validation::daemonset,
                    )?);
                }
            }
            (None, None) => {
                return Err(ctx.err(
                    &top,
                    "found no daemonset; expected daemonset: <a DaemonSet manifest>",
                ))
            }
        }
        let mut ds_names = BTreeSet::new();
        for (i, d) in daemonsets.iter().enumerate() {
            let n = d.metadata.name.clone().unwrap_or_default();
            if !ds_names.insert(n.clone()) {
                return Err(ctx.err(
                    &top.key("daemonsets").index(i),
                    format!("found a second DaemonSet named {n:?}; expected unique names"),
                ));
            }
        }
        let mut nodes = Vec::new();
        let mut names = BTreeSet::new();
        if let Some(v) = root.get("nodes") {
            for (i, item) in seq(&ctx, &top.key("nodes"), v)?.iter().enumerate() {
                let node = read_checked::<Node>(&ctx, top.key("nodes").index(i), item, validation::node)?;
                let name = node.metadata.name.clone().unwrap_or_default();
                if !names.insert(name.clone()) {
                    return Err(ctx.err(
                        &top.key("nodes").index(i).key("metadata").key("name"),
                        format!("found a second node named {name:?}; expected unique node names"),
                    ));
                }
                nodes.push(node);
            }
        }
        let mut pods = Vec::new();
        if let Some(v) = root.get("pods") {
            for (i, item) in seq(&ctx, &top.key("pods"), v)?.iter().enumerate() {
                pods.push(read_checked::<Pod>(
                    &ctx,
                    top.key("pods").index(i),
                    item,
                    validation::pod,
                )?);
            }
        }
        let until = match root.get("until") {
            None => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| {
                ctx.err(
                    &top.key("until"),
                    format!("found {}; expected a number of seconds", describe(v)),
                )
            })?),
        };
        let mut events = Vec::new();
        // Each DaemonSet's container names, in scenario order (the first is the default), for
        // crash-pod's `container`; update-template events add the containers they bring.
        let mut containers: Vec<(String, BTreeSet<String>)> = daemonsets
            .iter()
            .map(|d| {
                let names = d.spec.template.spec.iter().flat_map(|s| s.containers.iter());
                (
                    d.metadata.name.clone().unwrap_or_default(),
                    names.map(|c| c.name.clone()).collect(),
                )
            })
            .collect();
        if let Some(v) = root.get("events") {
            let mut last_at = 0;
            for (i, item) in seq(&ctx, &top.key("events"), v)?.iter().enumerate() {
                let e = parse_event(&ctx, i, item, &mut names, &ds_names, &mut containers)?;
                if let Some(at) = e.at {
                    if at < last_at {
                        return Err(ctx.err(
                            &top.key("events").index(i).key("at"),
                            format!("event {} ({}): found at: {at}, before the previous event's at: {last_at}; expected times that never go backwards", i + 1, e.action.name()),
                        ));
                    }
                    last_at = at;
                }
                events.push(e);
            }
        }
        Ok(Scenario {
            title,
            mode,
            daemonsets,
            nodes,
            pods,
            events,
            until,
        })
    }
}

/// A minimal valid DaemonSet, to validate an update strategy on its own.
fn probe_daemonset() -> DaemonSet {
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
    let labels: BTreeMap<String, String> = [("app".to_string(), "probe".to_string())].into();
    let mut ds = DaemonSet::default();
    ds.metadata.name = Some("probe".into());
    ds.spec.selector = LabelSelector {
        match_labels: Some(labels.clone()),
        ..Default::default()
    };
    ds.spec.template = PodTemplateSpec {
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

fn seq<'v>(ctx: &Ctx, path: &FieldPath, v: &'v Value) -> Result<&'v Vec<Value>, InputError> {
    v.as_sequence()
        .ok_or_else(|| ctx.err(path, format!("found {}; expected a list", describe(v))))
}

fn read_checked<T: crate::api::Kind>(
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

fn parse_event(
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
            probe.spec.update_strategy = Some(strategy.clone());
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

/// A typed value out of YAML, through the same deserializer the input files use
/// (`serde_path_to_error` over `&serde_yaml::Value`), so the wasm carries one copy of the API
/// types' deserialization code. The error is the inner YAML error, as `serde_yaml::from_value`
/// gives it.
fn typed<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, serde_yaml::Error> {
    serde_path_to_error::deserialize(v).map_err(serde_path_to_error::Error::into_inner)
}
