//! Regression scenarios for behaviour found wrong while writing the lessons.

use super::*;
use crate::cluster::Change;

fn play(yaml: &str) -> Timeline {
    run(&Scenario::from_yaml(yaml.as_bytes(), "t.yaml").expect("scenario parses"))
}

const NODE_NO_CNI: &str = r#"
  - apiVersion: v1
    kind: Node
    metadata: {name: new-node}
    status:
      conditions:
      - {type: Ready, status: "False", reason: KubeletNotReady, message: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"}
"#;

fn ds(name: &str, host_network: bool) -> String {
    format!(
        r#"
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {{name: {name}, namespace: kube-system}}
    spec:
      selector: {{matchLabels: {{app: {name}}}}}
      template:
        metadata: {{labels: {{app: {name}}}}}
        spec:
          hostNetwork: {host_network}
          tolerations: [{{operator: Exists}}]
          containers: [{{name: {name}, image: "{name}:1"}}]
"#
    )
}

/// Regression (lesson 11): a node NotReady only because its CNI is missing still runs
/// hostNetwork pods (that is how calico-node brings it up); other pods wait.
#[test]
fn network_not_ready_node_runs_host_network_pods_only() {
    let yaml = format!(
        "daemonsets:{}{}nodes:{NODE_NO_CNI}",
        ds("calico-node", true),
        ds("app-agent", false)
    );
    let t = play(&yaml);
    let phase = |owner: &str| {
        t.final_view
            .pods
            .iter()
            .find(|p| p.owner.as_deref() == Some(owner))
            .map(|p| p.phase.clone())
    };
    assert_eq!(phase("calico-node").as_deref(), Some("Running"));
    assert_eq!(phase("app-agent").as_deref(), Some("Pending"));
}

/// Regression (lesson 08): a surge delete of an old pod that is not Ready said "the new pod is
/// available" although the new one had not started.
#[test]
fn surge_delete_of_an_unready_old_pod_says_why() {
    let yaml = r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: agent}
  spec:
    selector: {matchLabels: {app: agent}}
    updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
    template:
      metadata: {labels: {app: agent}}
      spec: {containers: [{name: agent, image: "agent:1"}]}
nodes:
- {apiVersion: v1, kind: Node, metadata: {name: n1}}
events:
- {action: update-template, image: "agent:2", outcome: never-ready}
- {at: 60, action: node-not-ready, node: n1}
"#;
    let t = play(yaml);
    let deletes: Vec<&str> = t
        .steps
        .iter()
        .filter(|s| s.action == "delete")
        .map(|s| s.message.as_str())
        .collect();
    assert!(
        deletes.iter().any(|m| m.contains("the old pod is not Ready")),
        "{deletes:#?}"
    );
    assert!(
        !deletes.iter().any(|m| m.contains("the new pod is available")),
        "{deletes:#?}"
    );
}

/// Regression (lesson 02): a node that was never Ready is "Ready", not "Ready again".
#[test]
fn first_ready_is_not_ready_again() {
    let yaml = format!(
        "daemonsets:{}nodes:{NODE_NO_CNI}events:\n- {{action: node-ready, node: new-node}}\n",
        ds("agent", false)
    );
    let t = play(&yaml);
    let msg = t
        .steps
        .iter()
        .find(|s| s.action == "node-ready")
        .map(|s| s.message.clone())
        .unwrap_or_default();
    assert_eq!(msg, "Node new-node is Ready");
}

/// Regression: with more than BurstReplicas (250) pods to create, the nodes left for the next
/// sync were forgotten once `manage` only revisited changed nodes.
#[test]
fn more_nodes_than_one_burst_all_get_a_pod() {
    let mut yaml = format!("daemonsets:{}nodes:\n", ds("agent", false));
    for i in 0..600 {
        yaml.push_str(&format!(
            "  - {{apiVersion: v1, kind: Node, metadata: {{name: n{i:03}}}}}\n"
        ));
    }
    let t = play(&yaml);
    let s = &t.final_view.daemonsets[0].status;
    assert_eq!((s.desired_number_scheduled, s.number_available), (600, 600));
    let creates = t.steps.iter().filter(|s| s.action == "create").count();
    assert_eq!(creates, 600);
}

/// `cluster_at` through checkpoints gives exactly what a replay from the start gives.
#[test]
fn checkpoints_agree_with_a_full_replay() {
    let mut yaml = format!("daemonsets:{}nodes:\n", ds("agent", false));
    for i in 0..60 {
        yaml.push_str(&format!(
            "  - {{apiVersion: v1, kind: Node, metadata: {{name: n{i:02}}}}}\n"
        ));
    }
    yaml.push_str("events:\n- {action: update-template, image: \"agent:2\"}\n");
    let t = play(&yaml);
    assert!(
        t.steps.len() > 300,
        "long enough to need checkpoints: {}",
        t.steps.len()
    );
    let mut view = t.initial.clone();
    for (i, step) in t.steps.iter().enumerate() {
        view.apply_step(step);
        if let Some(e) = &step.event {
            view.events.push(e.clone());
        }
        view.time = step.time;
        if i % 37 == 0 || i + 1 == t.steps.len() {
            assert_eq!(t.cluster_at(Some(i)), view, "step {i}");
        }
    }
}

/// A step's changes list only what the step changed: the first step does not repeat the nodes
/// and pods of the initial view, and pulling an image (which no node view shows) changes no
/// node. (Both once listed every time, and a 5,000-node rollout stored 15,000 node views that
/// were the same as before.)
#[test]
fn steps_list_only_what_changed() {
    let pod = r#"
  - apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: default}
    spec: {nodeName: n1, containers: [{name: web, image: "web:1"}]}
"#;
    let yaml = format!(
        "daemonsets:{}nodes:\n  - {{apiVersion: v1, kind: Node, metadata: {{name: n1}}}}\n  - {{apiVersion: v1, kind: Node, metadata: {{name: n2}}}}\npods:{pod}",
        ds("agent", false)
    );
    let t = play(&yaml);
    let first = &t.steps[0];
    assert_eq!(first.action.as_str(), "create-revision");
    assert!(
        first
            .changes
            .iter()
            .all(|c| !matches!(c, Change::Node(_) | Change::Pod(_))),
        "the first step repeats the initial view: {:?}",
        first.changes
    );
    let pulled: Vec<&Step> = t.steps.iter().filter(|s| s.action.as_str() == "pulled").collect();
    assert_eq!(pulled.len(), 2);
    for s in pulled {
        assert!(
            s.changes.iter().all(|c| !matches!(c, Change::Node(_))),
            "a pull changed a node view: {:?}",
            s.changes
        );
    }
    // Still, every step's view is the initial view with the changes so far applied.
    let mut view = t.initial.clone();
    for step in &t.steps {
        view.apply_step(step);
    }
    // One DaemonSet: its status rides on each step, never in the changes.
    assert!(t
        .steps
        .iter()
        .all(|s| s.changes.iter().all(|c| !matches!(c, Change::Status(_)))));
    let sorted = |mut v: ClusterView| {
        v.pods.sort_by(|a, b| a.name.cmp(&b.name));
        (v.nodes, v.pods, v.daemonsets)
    };
    assert_eq!(sorted(view), sorted(t.final_view.clone()));
}

/// Where each header word starts, and whether every row has a cell starting exactly there
/// (after a space): the columns line up as kubectl's tabwriter lines them up.
fn aligned(table: &str) -> Result<(), String> {
    let mut lines = table.lines();
    let header = lines.next().unwrap_or_default();
    let starts: Vec<usize> = header
        .char_indices()
        .filter(|&(i, c)| c != ' ' && (i == 0 || header.as_bytes()[i - 1] == b' '))
        .filter(|&(i, _)| i == 0 || header[..i].ends_with("   "))
        .map(|(i, _)| i)
        .collect();
    for line in lines {
        for &at in &starts[1..] {
            let ok = line.len() > at && line.as_bytes()[at - 1] == b' ' && line.as_bytes()[at] != b' ';
            if !ok {
                return Err(format!("column at {at} broken in {line:?}\n{table}"));
            }
        }
    }
    Ok(())
}

/// kubectl-style tables keep their columns with 60-character node, DaemonSet and pod names:
/// the text report's `get ds` and `get pods` tables, and the console's `get pods -o wide`,
/// `get nodes` and `get ds`.
#[test]
fn tables_keep_their_columns_with_60_character_names() {
    let node = format!("{}-1", "n".repeat(58));
    let ds_name = "d".repeat(50);
    let yaml = format!(
        r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {{name: {ds_name}, namespace: a-rather-long-namespace-name}}
  spec:
    selector: {{matchLabels: {{app: agent}}}}
    template:
      metadata: {{labels: {{app: agent}}}}
      spec: {{containers: [{{name: agent, image: "agent:1"}}]}}
nodes:
- {{apiVersion: v1, kind: Node, metadata: {{name: {node}}}}}
- {{apiVersion: v1, kind: Node, metadata: {{name: short}}}}
"#
    );
    let t = play(&yaml);
    let text = report::text(&t);
    let blocks: Vec<&str> = text.split("\n\n").collect();
    let ds_table = blocks
        .iter()
        .find(|b| b.starts_with("NAMESPACE"))
        .expect("get ds table");
    let pods_table = blocks
        .iter()
        .find(|b| b.starts_with("NAME "))
        .expect("get pods table");
    let cases = [
        ("text report: get ds", ds_table.to_string()),
        ("text report: get pods", pods_table.to_string()),
    ];
    let view = t.final_view.clone();
    let console = |cmd: &str| match crate::kubectl::execute(cmd, &view) {
        crate::kubectl::Outcome::Output(s) => s,
        other => panic!("{cmd}: {other:?}"),
    };
    let more = [
        (
            "kubectl get pods -A -o wide",
            console("kubectl get pods -A -o wide"),
        ),
        ("kubectl get nodes -o wide", console("kubectl get nodes -o wide")),
        ("kubectl get ds -A", console("kubectl get ds -A")),
    ];
    for (name, table) in cases.into_iter().chain(more) {
        assert!(
            table.contains(&node) || table.contains(&ds_name),
            "{name}: {table}"
        );
        if let Err(e) = aligned(&table) {
            panic!("{name}: {e}");
        }
    }
}

/// minReadySeconds (semantics §7.3, §6.5): the moment each pod turns available is a step of its
/// own, the timeline ends only after the last one, and the final status is the last step's.
#[test]
fn a_pod_turning_available_is_a_step_of_its_own() {
    let scenario = |min_ready: u64, events: &str| {
        format!(
            r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {{name: agent}}
  spec:
    minReadySeconds: {min_ready}
    selector: {{matchLabels: {{app: agent}}}}
    template:
      metadata: {{labels: {{app: agent}}}}
      spec: {{containers: [{{name: agent, image: "agent:1"}}]}}
nodes:
- {{apiVersion: v1, kind: Node, metadata: {{name: n1}}}}
- {{apiVersion: v1, kind: Node, metadata: {{name: n2}}}}
{events}"#
        )
    };
    // (name, scenario, available steps expected, numberAvailable at the end)
    let cases = [
        ("no minReadySeconds: no such step", scenario(0, ""), 0, 2),
        (
            "minReadySeconds 10: both pods at once, one step",
            scenario(10, ""),
            1,
            2,
        ),
        (
            "minReadySeconds longer than the run's tail (2000 s > 1800 s): still shown",
            scenario(2000, ""),
            1,
            2,
        ),
        (
            "a rolling update (maxUnavailable 1): each new pod in turn",
            scenario(10, "events:\n- {action: update-template, image: \"agent:2\"}\n"),
            3,
            2,
        ),
    ];
    for (name, yaml, want_steps, want_available) in cases {
        let t = play(&yaml);
        let available: Vec<&Step> = t.steps.iter().filter(|s| s.action == "available").collect();
        assert_eq!(available.len(), want_steps, "{name}");
        for s in &available {
            let status = s.status.as_ref().expect("status");
            let before = t.steps[..t.steps.iter().position(|x| std::ptr::eq(x, *s)).unwrap()]
                .last()
                .and_then(|p| p.status.as_ref())
                .map_or(0, |p| p.number_available);
            assert!(
                status.number_available > before,
                "{name}: {} counts the pod: {before} -> {status:?}",
                s.message
            );
        }
        for s in &available {
            assert!(
                s.message.len() < 400,
                "{name}: a few names, not all: {}",
                s.message
            );
        }
        let last = t.steps.last().expect("steps");
        if want_steps > 0 {
            assert_eq!(
                last.action, "available",
                "{name}: the timeline ends with the last pod turning available"
            );
        }
        let final_status = &t.final_view.daemonsets[0].status;
        assert_eq!(
            last.status.as_ref(),
            Some(final_status),
            "{name}: final status is the last step's"
        );
        assert_eq!(final_status.number_available, want_available, "{name}");
        assert_eq!(t.final_view.time, last.time, "{name}");
    }
}

/// Every example scenario: the final status is the last step's (nothing changes after the
/// last step, e.g. a pod turning available unseen).
#[test]
fn example_scenarios_end_on_their_final_status() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let bytes = std::fs::read(&f).expect("read");
        let t = run(&Scenario::from_yaml(&bytes, &f.display().to_string()).expect("parses"));
        let last = t.steps.last().expect("steps");
        let final_status = t
            .final_view
            .daemonsets
            .first()
            .filter(|d| !d.deleted)
            .map(|d| &d.status);
        assert_eq!(last.status.as_ref(), final_status, "{}", f.display());
    }
}

/// A pod with two containers, as kube-prometheus ships node-exporter (with kube-rbac-proxy in
/// front of it): the proxy has a readiness probe.
fn two_containers(events: &str) -> String {
    format!(
        r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {{name: node-exporter, namespace: monitoring}}
  spec:
    selector: {{matchLabels: {{app: node-exporter}}}}
    template:
      metadata: {{labels: {{app: node-exporter}}}}
      spec:
        containers:
        - {{name: node-exporter, image: "quay.io/prometheus/node-exporter:v1.8.2"}}
        - name: kube-rbac-proxy
          image: "quay.io/brancz/kube-rbac-proxy:v0.18.1"
          readinessProbe: {{tcpSocket: {{port: 9100}}, initialDelaySeconds: 2}}
nodes:
- {{apiVersion: v1, kind: Node, metadata: {{name: n1}}}}
{events}"#
    )
}

/// Semantics §8.6 and the kubelet's SyncPod: each container's image is pulled and the
/// container started, in spec order; READY counts containers (kubectl's `2/2`); a crash names
/// its container and restarts only that one.
#[test]
fn pods_with_several_containers() {
    let kubelet = |t: &Timeline| -> Vec<String> {
        t.steps
            .iter()
            .filter(|s| s.actor == crate::cluster::Actor::Kubelet)
            .map(|s| format!("t={} {}: {}", s.time, s.action, s.message))
            .collect()
    };
    let ready_col = |t: &Timeline| {
        t.final_view
            .pods
            .iter()
            .map(|p| p.ready_text())
            .collect::<Vec<_>>()
    };
    // (name, events, kubelet steps that must appear in this order, crash messages, READY at the end)
    type Case<'a> = (&'a str, &'a str, Vec<&'a str>, Vec<&'a str>, &'a str);
    let cases: [Case; 3] = [
        (
            "both images pulled, both containers started in order, Ready when both are",
            "",
            vec![
                "t=0 pull: Pulling image \"quay.io/prometheus/node-exporter:v1.8.2\"",
                "t=3 pulled: Successfully pulled image \"quay.io/prometheus/node-exporter:v1.8.2\" in 3s",
                "t=3 start: Created and started container node-exporter; no readiness probe, so it is ready at once (the pod is Ready when every container is)",
                "t=3 pull: Pulling image \"quay.io/brancz/kube-rbac-proxy:v0.18.1\"",
                "t=6 pulled: Successfully pulled image \"quay.io/brancz/kube-rbac-proxy:v0.18.1\" in 3s",
                "t=6 start: Created and started container kube-rbac-proxy",
                "t=8 ready: Container kube-rbac-proxy of pod",
            ],
            vec![],
            "2/2",
        ),
        (
            "a crash of the named container restarts that one",
            "events:\n- {at: 20, action: crash-pod, node: n1, container: kube-rbac-proxy}\n",
            vec![
                "t=20 crash: Container kube-rbac-proxy exited with an error",
                "t=20 restart: Restarted container kube-rbac-proxy in place (restart count 1)",
                "t=22 ready: Container kube-rbac-proxy of pod",
            ],
            vec!["Container kube-rbac-proxy of pod"],
            "2/2",
        ),
        (
            "without a container, the first crashes",
            "events:\n- {at: 20, action: crash-pod, node: n1}\n",
            vec!["t=20 crash: Container node-exporter exited with an error"],
            vec!["Container node-exporter of pod"],
            "2/2",
        ),
    ];
    for (name, events, want, crashes, ready) in cases {
        let t = play(&two_containers(events));
        let got = kubelet(&t);
        let mut at = 0;
        for w in &want {
            match got[at..].iter().position(|g| g.starts_with(w)) {
                Some(i) => at += i + 1,
                None => panic!("{name}: no {w:?} after step {at} in\n{}", got.join("\n")),
            }
        }
        let said: Vec<&str> = t
            .steps
            .iter()
            .filter(|s| s.action == "crash-pod")
            .map(|s| s.message.as_str())
            .collect();
        assert_eq!(said.len(), crashes.len(), "{name}: {said:?}");
        for (s, c) in said.iter().zip(&crashes) {
            assert!(
                s.starts_with(c) && s.ends_with("crashed (exit code 1)"),
                "{name}: {s}"
            );
        }
        assert_eq!(ready_col(&t), [ready], "{name}");
        let pod = &t.final_view.pods[0];
        assert_eq!(pod.containers.len(), 2, "{name}");
        let restarts: Vec<u32> = pod.containers.iter().map(|c| c.restarts).collect();
        assert_eq!(
            pod.restarts,
            restarts.iter().sum::<u32>(),
            "{name}: RESTARTS sums them"
        );
    }
}

/// READY shows containers while they come up, in every view: `1/2` once the first runs
/// without a probe, and the pod counts as Ready (numberReady) only at `2/2`.
#[test]
fn ready_counts_containers_while_they_start() {
    let t = play(&two_containers(""));
    let after_first_start = t
        .steps
        .iter()
        .position(|s| s.action == "start")
        .expect("a start step");
    let view = t.cluster_at(Some(after_first_start));
    assert_eq!(view.pods[0].ready_text(), "1/2");
    assert!(!view.pods[0].ready);
    assert_eq!(
        view.pods[0].phase, "ContainerCreating",
        "the second is still being pulled"
    );
    assert_eq!(
        t.steps[after_first_start].status.as_ref().map(|s| s.number_ready),
        Some(0)
    );
    let get = match crate::kubectl::execute("kubectl get pods -n monitoring", &view) {
        crate::kubectl::Outcome::Output(s) => s,
        other => panic!("{other:?}"),
    };
    assert!(
        get.lines()
            .nth(1)
            .is_some_and(|l| l.split_whitespace().nth(1) == Some("1/2")),
        "{get}"
    );
    let text = report::text(&t);
    let pods = text
        .split("\n\n")
        .find(|b| b.starts_with("NAME "))
        .unwrap_or_default();
    assert_eq!(
        pods.lines().nth(1).and_then(|l| l.split_whitespace().nth(1)),
        Some("2/2"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&report::json(&t)).expect("json");
    let p = &json["final"]["pods"][0];
    assert_eq!(
        (p["readyContainers"].as_u64(), p["containers"].as_u64()),
        (Some(2), Some(2)),
        "{p}"
    );
    let describe = match crate::kubectl::execute(
        &format!("kubectl describe pod {} -n monitoring", t.final_view.pods[0].name),
        &t.final_view,
    ) {
        crate::kubectl::Outcome::Output(s) => s,
        other => panic!("{other:?}"),
    };
    for c in [
        "  node-exporter:\n    Image:          quay.io/prometheus/node-exporter:v1.8.2",
        "  kube-rbac-proxy:\n    Image:          quay.io/brancz/kube-rbac-proxy:v0.18.1",
    ] {
        assert!(describe.contains(c), "{describe}");
    }
}

/// The text timeline's actor column stays in place when the clock passes 99999 s.
#[test]
fn the_timeline_keeps_its_actor_column_past_a_day() {
    let yaml = r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: agent}
  spec:
    selector: {matchLabels: {app: agent}}
    template:
      metadata: {labels: {app: agent}}
      spec: {containers: [{name: agent, image: "agent:1"}]}
nodes:
- {apiVersion: v1, kind: Node, metadata: {name: n1}}
events:
- {at: 150000, action: cordon, node: n1}
"#;
    let text = report::text(&play(yaml));
    let starts: std::collections::BTreeSet<usize> = text
        .lines()
        .filter(|l| l.starts_with("t="))
        .map(|l| {
            let gap = l.find(' ').unwrap_or(0);
            gap + l[gap..].len() - l[gap..].trim_start().len()
        })
        .collect();
    assert_eq!(starts.len(), 1, "{text}");
}

/// update-template's outcome is how the changed container behaves: a node-exporter image that
/// never passes its probe leaves the new pod at READY 1/2 (the proxy is ready), said once (the
/// proxy starting later does not make the kubelet say it again).
#[test]
fn an_outcome_applies_to_the_changed_container() {
    let yaml = two_containers(
        // Both images change (a patch): the outcome is the first changed container's; the
        // proxy's image is pulled after node-exporter has started and failed its probe.
        "events:\n- {at: 20, action: update-template, outcome: never-ready, template: {spec: {containers: [{name: node-exporter, image: \"quay.io/prometheus/node-exporter:v1.9.0\"}, {name: kube-rbac-proxy, image: \"quay.io/brancz/kube-rbac-proxy:v0.19.0\"}]}}}\n",
    );
    let t = play(&yaml.replace(
        "- {name: node-exporter, image: \"quay.io/prometheus/node-exporter:v1.8.2\"}",
        "- {name: node-exporter, image: \"quay.io/prometheus/node-exporter:v1.8.2\", readinessProbe: {httpGet: {path: /, port: 9100}}}",
    ));
    let new = t
        .final_view
        .pods
        .iter()
        .find(|p| p.containers.first().is_some_and(|c| c.image.ends_with("v1.9.0")))
        .expect("the new pod");
    assert_eq!(new.ready_text(), "1/2");
    let ready: Vec<(&str, bool)> = new
        .containers
        .iter()
        .map(|c| (c.name.as_str(), c.ready))
        .collect();
    assert_eq!(ready, [("node-exporter", false), ("kube-rbac-proxy", true)]);
    let unready: Vec<&str> = t
        .steps
        .iter()
        .filter(|s| s.action == "unready")
        .map(|s| s.message.as_str())
        .collect();
    assert_eq!(
        unready,
        ["Readiness probe failed: container node-exporter is not ready"]
    );
}

/// Forty pods turning available together: one step, naming a few of them and how many more.
#[test]
fn many_pods_turning_available_together_are_one_step() {
    let nodes: String = (1..=40)
        .map(|i| format!("- {{apiVersion: v1, kind: Node, metadata: {{name: n{i:02}}}}}\n"))
        .collect();
    let yaml = format!(
        r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {{name: agent}}
  spec:
    minReadySeconds: 10
    selector: {{matchLabels: {{app: agent}}}}
    template:
      metadata: {{labels: {{app: agent}}}}
      spec: {{containers: [{{name: agent, image: "agent:1"}}]}}
nodes:
{nodes}"#
    );
    let t = play(&yaml);
    let available: Vec<&str> = t
        .steps
        .iter()
        .filter(|s| s.action == "available")
        .map(|s| s.message.as_str())
        .collect();
    assert_eq!(available.len(), 1, "{available:?}");
    assert!(
        available[0].starts_with("40 pods are available (agent-"),
        "{}",
        available[0]
    );
    assert!(
        available[0].contains(" and 35 more): Ready since t=3s"),
        "{}",
        available[0]
    );
    assert_eq!(
        t.steps
            .last()
            .and_then(|s| s.status.as_ref())
            .map(|s| s.number_available),
        Some(40)
    );
}
