//! The playground as a scenario file (the format `dslab simulate` reads: mode, daemonset, nodes,
//! events) and back. Spelling the events is the app's job (the core has no writer); reading them
//! is the core's (`Scenario::from_yaml`), so a bad file gets the core's error with line and column.

use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::k8s_openapi::api::core::v1::Node;
use dslab_sim::simulate::{Action, Cascade, Scenario, ScenarioEvent, TemplateChange};
use dslab_sim::Mode;
use serde_yaml::{Mapping, Value};

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn val<T: serde::Serialize>(v: &T) -> Value {
    serde_yaml::to_value(v).unwrap_or(Value::Null)
}

/// One event as the scenario file spells it.
pub fn event_value(e: &ScenarioEvent) -> Value {
    let mut m = Mapping::new();
    if let Some(at) = e.at {
        m.insert(s("at"), Value::Number(at.into()));
    }
    m.insert(s("action"), s(e.action.name()));
    if let Some(d) = &e.daemonset {
        m.insert(s("daemonset"), s(d));
    }
    let mut put = |k: &str, v: Value| {
        m.insert(s(k), v);
    };
    match &e.action {
        Action::AddNode(node) => put("node", val(node.as_ref())),
        Action::RemoveNode(n)
        | Action::Cordon(n)
        | Action::Uncordon(n)
        | Action::NodeNotReady(n)
        | Action::NodeReady(n)
        | Action::DeletePod(n) => put("node", s(n)),
        Action::CrashPod { node, container } => {
            put("node", s(node));
            if let Some(c) = container {
                put("container", s(c));
            }
        }
        Action::Drain { node, force } => {
            put("node", s(node));
            if *force {
                put("force", Value::Bool(true));
            }
        }
        Action::Taint { node, taint } => {
            put("node", s(node));
            put("taint", val(taint));
        }
        Action::Untaint { node, key, effect } => {
            put("node", s(node));
            put("key", s(key));
            if let Some(effect) = effect {
                put("effect", s(effect));
            }
        }
        Action::Label { node, labels } => {
            put("node", s(node));
            put("labels", val(labels));
        }
        Action::Unlabel { node, key } => {
            put("node", s(node));
            put("key", s(key));
        }
        Action::UpdateTemplate { change, outcome } => {
            match change {
                TemplateChange::Image { image, container } => {
                    put("image", s(image));
                    if let Some(c) = container {
                        put("container", s(c));
                    }
                }
                TemplateChange::Patch(p) => put("template", p.clone()),
            }
            if *outcome != Default::default() {
                put("outcome", val(outcome));
            }
        }
        Action::SetUpdateStrategy(strategy) => put("strategy", val(strategy)),
        Action::RolloutUndo { to_revision } => {
            if let Some(r) = to_revision {
                put("toRevision", Value::Number((*r).into()));
            }
        }
        Action::DeleteDaemonSet { cascade } => put(
            "cascade",
            s(match cascade {
                Cascade::Background => "background",
                Cascade::Orphan => "orphan",
            }),
        ),
    }
    Value::Mapping(m)
}

/// The events as a YAML list ("" when there are none).
pub fn events_yaml(events: &[ScenarioEvent]) -> String {
    if events.is_empty() {
        return String::new();
    }
    serde_yaml::to_string(&Value::Sequence(events.iter().map(event_value).collect())).unwrap_or_default()
}

/// A whole scenario file: what `dslab simulate --scenario` and the app's import read.
pub fn scenario_yaml(sc: &Scenario) -> String {
    serde_yaml::to_string(&Value::Mapping(scenario_mapping(sc))).unwrap_or_default()
}

fn scenario_mapping(sc: &Scenario) -> Mapping {
    let mut m = Mapping::new();
    if let Some(t) = &sc.title {
        m.insert(s("title"), s(t));
    }
    m.insert(s("mode"), s(sc.mode.as_str()));
    match sc.daemonsets.as_slice() {
        [one] => {
            m.insert(s("daemonset"), val(one));
        }
        many => {
            m.insert(s("daemonsets"), Value::Sequence(many.iter().map(val).collect()));
        }
    }
    m.insert(s("nodes"), Value::Sequence(sc.nodes.iter().map(val).collect()));
    if !sc.pods.is_empty() {
        m.insert(s("pods"), Value::Sequence(sc.pods.iter().map(val).collect()));
    }
    if !sc.events.is_empty() {
        m.insert(
            s("events"),
            Value::Sequence(sc.events.iter().map(event_value).collect()),
        );
    }
    if let Some(u) = sc.until {
        m.insert(s("until"), Value::Number(u.into()));
    }
    m
}

/// A scenario with no events over one DaemonSet and its nodes.
pub fn bare(title: Option<String>, mode: Mode, ds: &DaemonSet, nodes: &[Node]) -> Scenario {
    Scenario {
        title,
        mode,
        daemonsets: vec![ds.clone()],
        nodes: nodes.to_vec(),
        pods: Vec::new(),
        events: Vec::new(),
        until: None,
    }
}

/// Reads the events of a link (YAML list text) against the link's cluster, with the core's parser.
pub fn read_events(
    events_yaml: &str,
    mode: Mode,
    ds: &DaemonSet,
    nodes: &[Node],
) -> Result<Vec<ScenarioEvent>, String> {
    if events_yaml.trim().is_empty() {
        return Ok(Vec::new());
    }
    let events: Value =
        serde_yaml::from_str(events_yaml).map_err(|e| format!("the events do not read back: {e}"))?;
    let mut m = scenario_mapping(&bare(None, mode, ds, nodes));
    m.insert(s("events"), events);
    let text = serde_yaml::to_string(&Value::Mapping(m)).unwrap_or_default();
    Scenario::from_yaml(text.as_bytes(), "link events")
        .map(|s| s.events)
        .map_err(|e| e.to_string())
}

/// Reads one event (as `event_value` writes it, e.g. from the console) as it would apply after
/// the events of `sc`, against `sc`'s cluster: a node an earlier event added can be named.
pub fn read_event_after(sc: &Scenario, event_yaml: &str) -> Result<ScenarioEvent, String> {
    let event: Value =
        serde_yaml::from_str(event_yaml).map_err(|e| format!("the event does not read back: {e}"))?;
    let mut events: Vec<Value> = sc.events.iter().map(event_value).collect();
    events.push(event);
    let mut m = scenario_mapping(sc);
    m.insert(s("events"), Value::Sequence(events));
    m.remove("until");
    let text = serde_yaml::to_string(&Value::Mapping(m)).unwrap_or_default();
    let read = Scenario::from_yaml(text.as_bytes(), "console event").map_err(|e| e.to_string())?;
    read.events
        .into_iter()
        .last()
        .ok_or_else(|| "the event did not read back".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UiMode;
    use crate::stories::{self, Story};

    fn cluster() -> (DaemonSet, Vec<Node>) {
        let ds = dslab_sim::api::parse_daemonset(crate::examples::DAEMONSET_YAML.as_bytes(), "d").unwrap();
        let nodes = dslab_sim::api::parse_nodes(crate::examples::NODES_YAML.as_bytes(), "n").unwrap();
        (ds, nodes)
    }

    /// What a run shows, step by step, to compare two runs.
    fn steps(sc: &Scenario) -> Vec<String> {
        dslab_sim::simulate::run(sc)
            .steps
            .iter()
            .map(|st| {
                format!(
                    "{} {:?} {} {} {}",
                    st.time, st.actor, st.action, st.object, st.message
                )
            })
            .collect()
    }

    #[test]
    fn events_round_trip_through_the_core() {
        let (ds, nodes) = cluster();
        let text = "- {at: 30, action: cordon, node: worker-1}\n- {action: update-template, image: 'x:2', outcome: crash-loop}\n- {action: rollout-undo, toRevision: 1}\n- {action: taint, node: worker-2, taint: {key: k, value: v, effect: NoSchedule}}\n- {action: untaint, node: worker-2, key: k, effect: NoSchedule}\n- {action: label, node: worker-1, labels: {a: b}}\n- {action: unlabel, node: worker-1, key: a}\n- {action: drain, node: worker-1, force: true}\n- {action: set-update-strategy, strategy: {type: OnDelete}}\n- {action: update-template, daemonset: fluent-bit, template: {spec: {containers: [{name: fluent-bit, image: 'y:3'}]}}}\n- {action: delete-daemonset, cascade: orphan}\n";
        let events = read_events(text, Mode::Legacy, &ds, &nodes).unwrap();
        assert_eq!(events.len(), 11);
        let again = events_yaml(&events);
        let events2 = read_events(&again, Mode::Legacy, &ds, &nodes).unwrap();
        assert_eq!(events_yaml(&events2), again);
        for want in [
            "at: 30",
            "outcome: crash-loop",
            "toRevision: 1",
            "force: true",
            "cascade: orphan",
            "daemonset: fluent-bit",
        ] {
            assert!(again.contains(want), "{want} in {again}");
        }
        assert_eq!(events_yaml(&[]), "");
        assert!(read_events("  ", Mode::Current, &ds, &nodes).unwrap().is_empty());
    }

    /// crash-pod keeps the container it names through an export and back.
    #[test]
    fn crash_pod_keeps_its_container() {
        let (ds, nodes) = cluster();
        let text = "- {action: crash-pod, node: worker-1, container: fluent-bit}\n- {action: crash-pod, node: worker-1}\n";
        let events = read_events(text, Mode::Current, &ds, &nodes).unwrap();
        let again = events_yaml(&events);
        assert_eq!(again.matches("container: fluent-bit").count(), 1, "{again}");
        assert_eq!(
            events_yaml(&read_events(&again, Mode::Current, &ds, &nodes).unwrap()),
            again
        );
    }

    #[test]
    fn bad_events_are_the_cores_errors() {
        let (ds, nodes) = cluster();
        let e = read_events("- {action: fly, node: worker-1}\n", Mode::Current, &ds, &nodes).unwrap_err();
        assert!(e.contains("fly"), "{e}");
        let e = read_events("- [unclosed\n", Mode::Current, &ds, &nodes).unwrap_err();
        assert!(!e.is_empty());
    }

    #[test]
    fn every_story_survives_a_scenario_file() {
        let (ds, nodes) = cluster();
        let mut all: Vec<Story> = Story::simple().to_vec();
        all.push(Story::RollingUpdate {
            max_unavailable: "1".into(),
            max_surge: "0".into(),
        });
        for mode in [UiMode::Current, UiMode::Legacy] {
            let plan = crate::model::plan(&ds, &dslab_sim::Nodes::new(nodes.clone()), &[], mode);
            for story in &all {
                let sc = stories::scenario(story, &ds, &nodes, &plan, mode).unwrap();
                let file = scenario_yaml(&sc);
                let back = Scenario::from_yaml(file.as_bytes(), "file.yaml")
                    .unwrap_or_else(|e| panic!("{}: {e}\n{file}", story.title()));
                assert_eq!(back.events.len(), sc.events.len(), "{}", story.title());
                assert_eq!(back.title, sc.title);
                assert_eq!(back.mode, sc.mode);
                assert_eq!(
                    scenario_yaml(&back),
                    file,
                    "{}: the writer is stable",
                    story.title()
                );
                assert_eq!(steps(&back), steps(&sc), "{}: the same run", story.title());
            }
        }
    }

    #[test]
    fn pods_and_until_are_kept() {
        let text = format!(
            "title: kept\nmode: legacy\nuntil: 600\ndaemonset:\n{}nodes:\n- {{apiVersion: v1, kind: Node, metadata: {{name: worker-1, labels: {{kubernetes.io/os: linux}}}}}}\npods:\n- {{apiVersion: v1, kind: Pod, metadata: {{name: web, namespace: default}}, spec: {{nodeName: worker-1, containers: [{{name: w, image: 'nginx:1'}}]}}}}\nevents:\n- {{at: 60, action: crash-pod, node: worker-1}}\n",
            crate::examples::DAEMONSET_YAML
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
        );
        let sc = Scenario::from_yaml(text.as_bytes(), "s.yaml").unwrap();
        let file = scenario_yaml(&sc);
        let back = Scenario::from_yaml(file.as_bytes(), "again.yaml").unwrap();
        assert_eq!(back.until, Some(600));
        assert_eq!(back.pods.len(), 1);
        assert_eq!(back.title.as_deref(), Some("kept"));
        assert_eq!(steps(&back), steps(&sc));
    }
}
