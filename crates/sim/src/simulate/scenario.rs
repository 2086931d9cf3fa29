//! The scenario file: a cluster (one or more DaemonSets, nodes, other pods), a mode, and the events
//! to apply. Every problem is an [`InputError`] naming the event by index and line.

pub use super::action::{Action, Cascade, ScenarioEvent, TemplateChange, ACTIONS};
use super::scenario_event::{parse_event, read_checked, seq, Ctx};
use crate::api::validation::{self};
use crate::api::SpecOf;
use crate::api::{describe, FieldPath, InputError, Source};
use crate::words::Mode;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde_yaml::Value;
use std::collections::BTreeSet;

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
                let names = d.spec().template.spec.iter().flat_map(|s| s.containers.iter());
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
