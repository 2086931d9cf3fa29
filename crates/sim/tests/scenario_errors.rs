//! Bad scenarios are clear errors: each names the event by index (1-based, as a person counts)
//! and its action, the line and column, the field path, and what was found versus expected.

use dslab_sim::{InputError, Scenario};

/// Lines 1–15; the event under test is on line 16 (`events[1]`, "event 2").
const BASE: &str = r#"daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: agent}
  spec:
    selector: {matchLabels: {app: agent}}
    template:
      metadata: {labels: {app: agent}}
      spec:
        containers:
        - {name: agent, image: "agent:1"}
nodes:
- {apiVersion: v1, kind: Node, metadata: {name: worker-1}}
events:
- {at: 5, action: cordon, node: worker-1}
"#;

fn parse(yaml: &str) -> Result<Scenario, InputError> {
    Scenario::from_yaml(yaml.as_bytes(), "bad.yaml")
}

fn err_with(events: &str) -> InputError {
    let yaml = format!("{BASE}{events}\n");
    match parse(&yaml) {
        Ok(_) => panic!("accepted:\n{yaml}"),
        Err(e) => e,
    }
}

#[track_caller]
fn check(e: &InputError, line: usize, column: usize, path: &str, message: &str) {
    assert_eq!(e.file, "bad.yaml", "{e}");
    assert_eq!(e.document, 1, "{e}");
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert_eq!(e.path, path, "{e}");
    assert_eq!(e.message, message, "{e}");
    assert_eq!(
        e.to_string(),
        format!("bad.yaml:{line}:{column}: document 1, {path}: {message}")
    );
}

#[test]
fn the_base_scenario_is_valid() {
    let s = parse(BASE).unwrap();
    assert_eq!(s.events.len(), 1);
    assert_eq!(
        (s.events[0].index, s.events[0].line, s.events[0].at),
        (0, 15, Some(5))
    );
}

#[test]
fn unknown_action() {
    let e = err_with("- {at: 10, action: reboot, node: worker-1}");
    check(
        &e,
        16,
        20,
        "events[1].action",
        "event 2: found unknown action \"reboot\"; expected one of add-node, remove-node, cordon, uncordon, drain, node-not-ready, node-ready, crash-pod, delete-pod, taint, untaint, label, unlabel, update-template, set-update-strategy, rollout-undo, delete-daemonset",
    );
}

#[test]
fn missing_action() {
    let e = err_with("- {at: 10, node: worker-1}");
    assert_eq!((e.line, e.path.as_str()), (16, "events[1]"), "{e}");
    assert!(
        e.message
            .starts_with("event 2: found no action; expected action: one of add-node,"),
        "{e}"
    );
}

#[test]
fn unknown_node() {
    let e = err_with("- {at: 10, action: cordon, node: worker-9}");
    check(
        &e,
        16,
        34,
        "events[1].node",
        "event 2 (cordon): found unknown node \"worker-9\"; expected one of the nodes at that point (worker-1)",
    );
}

#[test]
fn node_removed_by_an_earlier_event_is_unknown_later() {
    let e = err_with("- {action: remove-node, node: worker-1}\n- {action: cordon, node: worker-1}");
    check(
        &e,
        17,
        26,
        "events[2].node",
        "event 3 (cordon): found unknown node \"worker-1\"; expected one of the nodes at that point ()",
    );
}

#[test]
fn added_node_is_known_later_and_cannot_be_added_twice() {
    let ok = format!(
        "{BASE}- {{action: add-node, node: {{apiVersion: v1, kind: Node, metadata: {{name: worker-2}}}}}}\n- {{action: drain, node: worker-2}}\n"
    );
    assert!(parse(&ok).is_ok());
    let e = err_with("- {action: add-node, node: {apiVersion: v1, kind: Node, metadata: {name: worker-1}}}");
    assert_eq!(
        (e.line, e.path.as_str()),
        (16, "events[1].node.metadata.name"),
        "{e}"
    );
    assert_eq!(
        e.message,
        "event 2 (add-node): found node \"worker-1\", which already exists; expected a new node name"
    );
}

#[test]
fn missing_argument() {
    let e = err_with("- {at: 10, action: cordon}");
    check(
        &e,
        16,
        3,
        "events[1]",
        "event 2 (cordon): missing argument `node`",
    );
    let e = err_with("- {action: update-template}");
    check(
        &e,
        16,
        3,
        "events[1]",
        "event 2 (update-template): missing argument `image` (or `template`)",
    );
    let e = err_with("- {action: taint, node: worker-1}");
    check(
        &e,
        16,
        3,
        "events[1]",
        "event 2 (taint): missing argument `taint` ({key, value, effect})",
    );
    let e = err_with("- {action: add-node}");
    check(
        &e,
        16,
        3,
        "events[1]",
        "event 2 (add-node): missing argument `node` (a Node manifest)",
    );
}

#[test]
fn time_going_backwards() {
    let e = err_with("- {at: 3, action: uncordon, node: worker-1}");
    check(
        &e,
        16,
        8,
        "events[1].at",
        "event 2 (uncordon): found at: 3, before the previous event's at: 5; expected times that never go backwards",
    );
}

#[test]
fn negative_time() {
    let e = err_with("- {at: -1, action: uncordon, node: worker-1}");
    assert_eq!((e.line, e.path.as_str()), (16, "events[1].at"), "{e}");
    assert!(e.message.starts_with("event 2 (uncordon): found "), "{e}");
    assert!(e.message.ends_with("expected seconds (0 or more)"), "{e}");
}

#[test]
fn unknown_argument() {
    let e = err_with("- {at: 10, action: cordon, node: worker-1, force: true}");
    check(
        &e,
        16,
        51,
        "events[1].force",
        "event 2 (cordon): found unknown argument \"force\"; expected node",
    );
}

#[test]
fn bad_taint_effect() {
    let e = err_with("- {at: 10, action: taint, node: worker-1, taint: {key: a, value: b, effect: NoRun}}");
    check(
        &e,
        16,
        77,
        "events[1].taint.effect",
        "event 2 (taint): found \"NoRun\"; expected NoSchedule, PreferNoSchedule or NoExecute",
    );
}

#[test]
fn bad_untaint_effect() {
    let e = err_with("- {action: untaint, node: worker-1, key: a, effect: Never}");
    assert_eq!((e.line, e.path.as_str()), (16, "events[1].effect"), "{e}");
    assert!(
        e.message.starts_with("event 2 (untaint): found ")
            && e.message
                .ends_with("expected NoSchedule, PreferNoSchedule or NoExecute"),
        "{e}"
    );
}

#[test]
fn bad_strategy_in_an_event() {
    let e = err_with(
        "- {at: 10, action: set-update-strategy, strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}}",
    );
    check(
        &e,
        16,
        118,
        "events[1].strategy.rollingUpdate.maxSurge",
        "event 2 (set-update-strategy): found both maxSurge and maxUnavailable non-zero; expected maxUnavailable: 0 when maxSurge is set (maxUnavailable defaults to 1: write maxUnavailable: 0 explicitly)",
    );
}

#[test]
fn bad_strategy_in_the_daemonset() {
    let yaml = BASE.replace(
        "    selector: {matchLabels: {app: agent}}\n",
        "    selector: {matchLabels: {app: agent}}\n    updateStrategy: {rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}\n",
    );
    let e = parse(&yaml).unwrap_err();
    check(
        &e,
        7,
        67,
        "daemonset.spec.updateStrategy.rollingUpdate.maxSurge",
        "found both maxSurge and maxUnavailable non-zero; expected maxUnavailable: 0 when maxSurge is set (maxUnavailable defaults to 1: write maxUnavailable: 0 explicitly)",
    );
}

#[test]
fn a_deployment_as_the_daemonset() {
    let yaml = BASE.replace("kind: DaemonSet", "kind: Deployment");
    let e = parse(&yaml).unwrap_err();
    check(
        &e,
        3,
        9,
        "daemonset.kind",
        "found a Deployment (apps/v1); expected a DaemonSet (apps/v1)",
    );
}

#[test]
fn bad_cascade_and_outcome_and_revision() {
    let e = err_with("- {action: delete-daemonset, cascade: foreground}");
    check(
        &e,
        16,
        39,
        "events[1].cascade",
        "event 2 (delete-daemonset): found the text \"foreground\"; expected background or orphan",
    );
    let e = err_with("- {action: update-template, image: \"agent:2\", outcome: flaky}");
    assert_eq!(e.path, "events[1].outcome", "{e}");
    assert!(
        e.message.ends_with("expected healthy, crash-loop or never-ready"),
        "{e}"
    );
    let e = err_with("- {action: rollout-undo, toRevision: two}");
    assert_eq!(e.path, "events[1].toRevision", "{e}");
    assert!(e.message.ends_with("expected a revision number"), "{e}");
    let e = err_with("- {action: update-template, image: \"agent:2\", template: {}}");
    assert_eq!(e.path, "events[1].template", "{e}");
    assert!(e.message.contains("found both image and template"), "{e}");
}

#[test]
fn an_event_that_is_not_a_mapping() {
    let e = err_with("- cordon worker-1");
    assert_eq!((e.line, e.path.as_str()), (16, "events[1]"), "{e}");
    assert!(e.message.starts_with("event 2: found "), "{e}");
    assert!(
        e.message
            .contains("expected a mapping such as {at: 60, action: cordon, node: worker-1}"),
        "{e}"
    );
}

#[test]
fn unknown_daemonset_in_an_event() {
    let e = err_with("- {action: rollout-undo, daemonset: other}");
    assert_eq!(e.path, "events[1].daemonset", "{e}");
    assert!(
        e.message
            .contains("expected the name of a DaemonSet in the scenario (agent)"),
        "{e}"
    );
}

#[test]
fn scenario_level_errors() {
    let e = parse("nodes: []\nevents: []\n").unwrap_err();
    assert!(
        e.message
            .contains("found no daemonset; expected daemonset: <a DaemonSet manifest>"),
        "{e}"
    );
    let e = parse(&format!("{BASE}speed: fast\n")).unwrap_err();
    assert_eq!((e.line, e.path.as_str()), (16, "speed"), "{e}");
    assert!(
        e.message
            .starts_with("found unknown key \"speed\"; expected one of title,"),
        "{e}"
    );
    let e = parse(&format!("mode: ancient\n{BASE}")).unwrap_err();
    assert_eq!((e.line, e.path.as_str()), (1, "mode"), "{e}");
    assert!(e.message.ends_with("expected current or legacy"), "{e}");
    let e = parse("- just a list\n").unwrap_err();
    assert!(e.message.contains("expected a scenario mapping"), "{e}");
    let e = parse("").unwrap_err();
    assert!(e.to_string().contains("bad.yaml"), "{e}");
}

/// crash-pod's `container` must name a container of the DaemonSet's pods (its template's, or
/// one an earlier update-template brought); without it the first container crashes.
#[test]
fn crash_pod_container_must_exist() {
    /// (line, column, field path, message) of the error.
    type Error<'a> = Option<(usize, usize, &'a str, &'a str)>;
    let cases: [(&str, &str, Error); 4] = [
        ("no container: the first", "- {action: crash-pod, node: worker-1}", None),
        ("the template's container", "- {action: crash-pod, node: worker-1, container: agent}", None),
        (
            "a container a template patch added",
            "- {action: update-template, template: {spec: {containers: [{name: proxy, image: 'proxy:1'}]}}}\n- {action: crash-pod, node: worker-1, container: proxy}",
            None,
        ),
        (
            "an unknown container",
            "- {action: crash-pod, node: worker-1, container: sidecar}",
            Some((
                16,
                50,
                "events[1].container",
                "event 2 (crash-pod): found unknown container \"sidecar\"; expected a container of the DaemonSet's pods (agent)",
            )),
        ),
    ];
    for (name, events, want) in cases {
        let yaml = format!("{BASE}{events}\n");
        match (parse(&yaml), want) {
            (Ok(_), None) => {}
            (Err(e), Some((line, column, path, message))) => check(&e, line, column, path, message),
            (Ok(_), Some(_)) => panic!("{name}: accepted"),
            (Err(e), None) => panic!("{name}: {e}"),
        }
    }
}
