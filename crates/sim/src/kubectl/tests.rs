//! Every console command on a small played scenario: output in kubectl's words, changes as events.

use super::*;
use crate::simulate::{run, Scenario};

const SCENARIO: &str = r#"
daemonset:
  apiVersion: apps/v1
  kind: DaemonSet
  metadata: {name: kube-proxy, namespace: kube-system}
  spec:
    selector: {matchLabels: {k8s-app: kube-proxy}}
    template:
      metadata: {labels: {k8s-app: kube-proxy}}
      spec:
        priorityClassName: system-node-critical
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{operator: Exists}]
        containers: [{name: kube-proxy, image: "registry.k8s.io/kube-proxy:v1.31.2"}]
nodes:
- {apiVersion: v1, kind: Node, metadata: {name: control-plane, labels: {kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ""}}, spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}, status: {nodeInfo: {kubeletVersion: v1.31.2, architecture: amd64, bootID: "", containerRuntimeVersion: "", kernelVersion: "", kubeProxyVersion: "", machineID: "", operatingSystem: linux, osImage: "", systemUUID: ""}}}
- {apiVersion: v1, kind: Node, metadata: {name: worker-1, labels: {kubernetes.io/os: linux}}}
- {apiVersion: v1, kind: Node, metadata: {name: worker-2, labels: {kubernetes.io/os: linux}}}
events:
- {at: 300, action: update-template, image: "registry.k8s.io/kube-proxy:v1.31.3"}
"#;

fn view() -> ClusterView {
    let s = Scenario::from_yaml(SCENARIO.as_bytes(), "s.yaml").unwrap();
    let t = run(&s);
    t.cluster_at(t.steps.len().checked_sub(1))
}

fn out(line: &str, v: &ClusterView) -> String {
    match execute(line, v) {
        Outcome::Output(s) => s,
        Outcome::Change { output, .. } => output,
        Outcome::Error { message, .. } => format!("ERROR {message}"),
    }
}

#[test]
fn get_commands_print_kubectl_tables() {
    let v = view();
    let cases = [
        (
            "get ds in the default namespace finds nothing",
            "kubectl get ds",
            "No resources found in default namespace.",
        ),
        (
            "get ds -n",
            "kubectl get daemonsets -n kube-system",
            "kube-proxy   3         3         3       3            3           kubernetes.io/os=linux",
        ),
        (
            "get ds -A has NAMESPACE",
            "get ds -A",
            "NAMESPACE     NAME         DESIRED",
        ),
        (
            "get pods -o wide shows NODE",
            "get pods -n kube-system -o wide",
            "NOMINATED NODE",
        ),
        (
            "label selector",
            "get pods -A -l k8s-app=kube-proxy",
            "kube-proxy-",
        ),
        (
            "selector that matches nothing",
            "get pods -A -l k8s-app=other",
            "No resources found",
        ),
        (
            "get nodes",
            "get nodes",
            "control-plane   Ready    control-plane   ",
        ),
        (
            "rollout status",
            "rollout status daemonset/kube-proxy -n kube-system",
            "daemon set \"kube-proxy\" successfully rolled out",
        ),
        (
            "rollout history",
            "rollout history ds/kube-proxy -n kube-system",
            "REVISION   CHANGE-CAUSE\n1          <none>\n2          <none>",
        ),
        (
            "describe ds",
            "describe ds kube-proxy -n kube-system",
            "Desired Number of Nodes Scheduled: 3",
        ),
        (
            "describe ds events",
            "describe daemonset/kube-proxy -n kube-system",
            "SuccessfulCreate",
        ),
        (
            "describe node taints",
            "describe node control-plane",
            "Taints:           node-role.kubernetes.io/control-plane:NoSchedule",
        ),
    ];
    for (name, line, want) in cases {
        let got = out(line, &v);
        assert!(got.contains(want), "{name}: {line}\n---\n{got}");
    }
    let pod = v
        .pods
        .iter()
        .find(|p| p.node.as_deref() == Some("worker-1"))
        .unwrap()
        .name
        .clone();
    let got = out(&format!("describe pod {pod} -n kube-system"), &v);
    assert!(got.contains("Controlled By:    DaemonSet/kube-proxy"), "{got}");
    assert!(
        got.contains("node.kubernetes.io/unschedulable:NoSchedule op=Exists"),
        "{got}"
    );
}

#[test]
fn changes_become_events() {
    let v = view();
    let cases: Vec<(&str, &str, &str)> = vec![
        ("cordon", "kubectl cordon worker-1", "cordon"),
        ("uncordon", "uncordon worker-1", "uncordon"),
        (
            "drain with --ignore-daemonsets",
            "drain worker-1 --ignore-daemonsets",
            "drain",
        ),
        ("taint", "taint nodes worker-1 dedicated=db:NoExecute", "taint"),
        (
            "untaint",
            "taint nodes control-plane node-role.kubernetes.io/control-plane:NoSchedule-",
            "untaint",
        ),
        ("label", "label nodes worker-1 disktype=ssd", "label"),
        ("unlabel", "label nodes worker-1 kubernetes.io/os-", "unlabel"),
        (
            "set image",
            "set image daemonset/kube-proxy kube-proxy=registry.k8s.io/kube-proxy:v1.32.0 -n kube-system",
            "update-template",
        ),
        (
            "rollout undo",
            "rollout undo daemonset/kube-proxy -n kube-system --to-revision=1",
            "rollout-undo",
        ),
        (
            "delete ds orphan",
            "delete daemonset kube-proxy -n kube-system --cascade=orphan",
            "delete-daemonset",
        ),
    ];
    for (name, line, action) in cases {
        match execute(line, &v) {
            Outcome::Change { action: a, .. } => assert_eq!(a.name(), action, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    let pod = v
        .pods
        .iter()
        .find(|p| p.node.as_deref() == Some("worker-2"))
        .unwrap()
        .name
        .clone();
    match execute(&format!("delete pod {pod} -n kube-system"), &v) {
        Outcome::Change {
            action: Action::DeletePod(node),
            output,
            ..
        } => {
            assert_eq!(node, "worker-2");
            assert_eq!(output, format!("pod \"{pod}\" deleted"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn errors_in_kubectls_words_with_hints() {
    let v = view();
    let cases = [
        (
            "unknown verb with a suggestion",
            "kubectl gte pods",
            "unknown command \"gte\" for \"kubectl\"",
            Some("did you mean \"get\""),
        ),
        (
            "unknown flag",
            "get pods --colour",
            "unknown flag: --colour",
            None,
        ),
        (
            "wrong namespace",
            "describe ds kube-proxy",
            "daemonsets.apps \"kube-proxy\" not found",
            Some("add -n kube-system"),
        ),
        (
            "drain without --ignore-daemonsets",
            "drain worker-1",
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
            None,
        ),
        (
            "unknown node",
            "cordon worker-9",
            "nodes \"worker-9\" not found",
            None,
        ),
        (
            "bad effect",
            "taint nodes worker-1 a=b:Sometimes",
            "invalid taint effect",
            None,
        ),
        (
            "unknown container",
            "set image ds/kube-proxy proxy=x:1 -n kube-system",
            "unable to find container named \"proxy\"",
            None,
        ),
        (
            "unknown revision",
            "rollout undo ds/kube-proxy -n kube-system --to-revision=9",
            "unable to find specified revision 9",
            None,
        ),
        (
            "label exists without --overwrite",
            "label nodes worker-1 kubernetes.io/os=windows",
            "--overwrite is false",
            None,
        ),
        (
            "unterminated quote",
            "get pods -l 'a=b",
            "unterminated quote",
            None,
        ),
    ];
    for (name, line, want, hint_want) in cases {
        match execute(line, &v) {
            Outcome::Error { message, hint } => {
                assert!(message.contains(want), "{name}: {message}");
                if let Some(h) = hint_want {
                    assert!(
                        hint.as_deref().unwrap_or_default().contains(h),
                        "{name}: hint {hint:?}"
                    );
                }
            }
            other => panic!("{name}: expected an error, got {other:?}"),
        }
    }
}

#[test]
fn completes_verbs_kinds_and_names() {
    let v = view();
    assert_eq!(complete("kubectl cor", &v), ["cordon"]);
    assert_eq!(complete("cordon wor", &v), ["worker-1", "worker-2"]);
    assert_eq!(complete("get ", &v), ["daemonsets", "nodes", "pods"]);
    assert_eq!(complete("rollout status ", &v), ["daemonset/kube-proxy"]);
    assert!(complete("describe pod kube-proxy-", &v).len() == 3);
}

#[test]
fn ages_like_kubectl() {
    let cases = [
        (45, "45s"),
        (119, "119s"),
        (200, "3m20s"),
        (600, "10m"),
        (7500, "125m"),
        (4 * 3600 + 300, "4h5m"),
        (30 * 3600, "30h"),
        (5 * 86400, "5d"),
    ];
    for (secs, want) in cases {
        assert_eq!(words::age(secs), want);
    }
}

#[test]
#[ignore = "prints the console's output for a person to read"]
fn show() {
    let v = view();
    for line in [
        "get ds -A",
        "get pods -A -o wide",
        "get nodes -o wide",
        "describe ds kube-proxy -n kube-system",
        "rollout history ds/kube-proxy -n kube-system --revision=2",
    ] {
        println!("$ kubectl {line}\n{}", out(line, &v));
    }
    let pod = v.pods[0].name.clone();
    println!("{}", out(&format!("describe pod {pod} -n kube-system"), &v));
}
