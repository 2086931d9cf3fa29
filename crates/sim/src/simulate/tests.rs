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
