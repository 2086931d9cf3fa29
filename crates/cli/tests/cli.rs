//! The `dslab` binary on realistic kubectl output (fixtures/): table, JSON, YAML, `dslab pod` in
//! both modes, standard input, exit codes with their stderr text, and --help.

mod support;

use serde_json::Value;
use std::process::Output;
use support::{dslab, dslab_stdin, fixture, stderr, stdout};

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "dslab failed: stderr:\n{}", stderr(o));
    assert!(stderr(o).is_empty(), "stderr not empty: {}", stderr(o));
    stdout(o)
}

fn plan_args<'a>(ds: &'a str, nodes: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["plan", "--daemonset", ds, "--nodes", nodes];
    v.extend_from_slice(extra);
    v
}

// ---------------------------------------------------------------------------------------------
// dslab plan: table
// ---------------------------------------------------------------------------------------------

#[test]
fn plan_table_on_kubectl_output() {
    let (ds, nodes, pods) = (
        fixture("daemonset.yaml"),
        fixture("nodes.yaml"),
        fixture("pods.yaml"),
    );
    let out = ok(&dslab(&plan_args(&ds, &nodes, &["--pods", &pods])));
    let lines: Vec<&str> = out.lines().collect();
    // Header, like kubectl: upper-case columns in this order.
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["NODE", "RUN", "SCHEDULABLE", "REASON"], "{out}");
    // Columns line up: every row starts its RUN cell where the header's RUN starts.
    let run_col = lines[0].find("RUN").unwrap();
    let sched_col = lines[0].find("SCHEDULABLE").unwrap();
    let reason_col = lines[0].find("REASON").unwrap();
    let rows: Vec<(&str, &str, &str, &str)> = lines[1..5]
        .iter()
        .map(|l| {
            (
                l[..run_col].trim_end(),
                l[run_col..sched_col].trim_end(),
                l[sched_col..reason_col].trim_end(),
                &l[reason_col..],
            )
        })
        .collect();
    let expect = [
        // tainted control plane: no new pod, a running one stays (§1.2); no pod to bind: -
        ("cp-1", "keep", "-", "untolerated-taint: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
        // another pod holds host port 9100: created, but Pending (§1.3, §9.1)
        ("worker-1", "yes", "no", "host-port-conflict: node(s) didn't have free ports for the requested pod ports (host port 9100/TCP is used by pod legacy-exporter-7c9f8)"),
        // NotReady: not-ready:NoSchedule is not tolerated automatically (§2)
        ("worker-2", "keep", "-", "untolerated-taint: node(s) had untolerated taint {node.kubernetes.io/not-ready: } (node.kubernetes.io/not-ready:NoSchedule)"),
        // cordoned: DaemonSet pods still run (§8.3, §10 item 1); the DS's own pod holds no port against it
        ("worker-3", "yes", "yes", "(note) node is cordoned (spec.unschedulable)"),
    ];
    for (row, want) in rows.iter().zip(expect) {
        assert_eq!((row.0, row.1, row.2), (want.0, want.1, want.2), "{out}");
        assert!(row.3.starts_with(want.3), "row {row:?}, want reason {:?}", want.3);
    }
    assert_eq!(lines[5], "", "blank line before the summary:\n{out}");
    assert_eq!(
        lines[6],
        "monitoring/node-exporter (current mode): 4 node(s): desiredNumberScheduled 2, 1 can run the pod, 1 stay Pending (1 host-port-conflict), 2 not eligible (2 untolerated-taint)"
    );
    assert_eq!(lines.len(), 7, "{out}");
}

/// Nodes as pasted by hand: long names (cloud node names run to 60 characters and more), no
/// `status` at all, one of them tainted so that no pod is created there.
fn bare_long_nodes() -> (String, String) {
    let long = |i: usize| {
        format!(
            "{}-{i}",
            "ip-10-0-0-1.eu-west-1.compute.internal-pool-general-purp"
        )
        .chars()
        .take(58)
        .collect::<String>()
            + &format!("-{i}")
    };
    let (a, b) = (long(1), long(2));
    assert_eq!(a.len(), 60);
    let yaml = format!(
        "apiVersion: v1\nkind: NodeList\nitems:\n- {{apiVersion: v1, kind: Node, metadata: {{name: {a}, labels: {{kubernetes.io/os: linux}}}}}}\n- {{apiVersion: v1, kind: Node, metadata: {{name: {b}, labels: {{kubernetes.io/os: linux}}}}, spec: {{taints: [{{key: dedicated, value: db, effect: NoExecute}}]}}}}\n- {{apiVersion: v1, kind: Node, metadata: {{name: w, labels: {{kubernetes.io/os: linux}}}}}}\n"
    );
    (a, yaml)
}

#[test]
fn plan_table_keeps_its_columns_with_60_character_node_names() {
    let (long, nodes) = bare_long_nodes();
    let ds = fixture("daemonset.yaml");
    let out = ok(&dslab_stdin(
        &["plan", "--daemonset", &ds, "--nodes", "-"],
        Some(nodes.as_bytes()),
    ));
    let lines: Vec<&str> = out.lines().collect();
    let col = |name: &str| lines[0].find(name).unwrap();
    // kubectl's tabwriter: the NODE column is as wide as its widest cell plus 3 spaces.
    assert_eq!(col("RUN"), long.len() + 3, "{out}");
    for row in &lines[1..4] {
        for c in ["RUN", "SCHEDULABLE", "REASON"] {
            let at = col(c);
            assert!(
                row.len() > at && &row[at - 1..at] == " " && &row[at..at + 1] != " ",
                "{c} column of {row:?} in\n{out}"
            );
        }
    }
    let sched: Vec<&str> = lines[1..4]
        .iter()
        .map(|l| l[col("SCHEDULABLE")..].split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        sched,
        ["yes", "-", "yes"],
        "no pod is created on the NoExecute-tainted node: -\n{out}"
    );
}

#[test]
fn nodes_without_conditions_are_said_once_to_be_taken_as_ready() {
    let (_, nodes) = bare_long_nodes();
    let ds = fixture("daemonset.yaml");
    let out = ok(&dslab_stdin(
        &["plan", "--daemonset", &ds, "--nodes", "-"],
        Some(nodes.as_bytes()),
    ));
    let notes: Vec<&str> = out.lines().filter(|l| l.contains("no conditions")).collect();
    assert_eq!(notes.len(), 1, "said once, not per node:\n{out}");
    assert!(
        notes[0].starts_with("note: no conditions: taken as Ready: all 3 nodes report no Ready condition"),
        "{out}"
    );
    let j: Value = serde_json::from_str(&ok(&dslab_stdin(
        &["plan", "--daemonset", &ds, "--nodes", "-", "-o", "json"],
        Some(nodes.as_bytes()),
    )))
    .unwrap();
    assert_eq!(j["notes"].as_array().map(Vec::len), Some(1), "{j}");
    for n in j["nodes"].as_array().unwrap() {
        assert!(!n.to_string().contains("no conditions"), "not on each node: {n}");
    }
    // Real nodes (with their Ready condition): no such note, and no `notes` key at all.
    let real = plan_json(&["--output", "json"]);
    assert!(real.get("notes").is_none(), "{real}");
}

#[test]
fn plan_table_legacy_mode() {
    let (ds, nodes, pods) = (
        fixture("daemonset.yaml"),
        fixture("nodes.yaml"),
        fixture("pods.yaml"),
    );
    let out = ok(&dslab(&plan_args(
        &ds,
        &nodes,
        &["--pods", &pods, "--mode", "legacy"],
    )));
    // Legacy (§3.2): a host-port conflict meant the controller did not create the pod at all.
    let w1 = out.lines().find(|l| l.starts_with("worker-1")).unwrap();
    let cells: Vec<&str> = w1.split_whitespace().take(3).collect();
    assert_eq!(cells, ["worker-1", "no", "-"], "{out}");
    assert!(w1.contains("host-port-conflict: host port 9100/TCP is already used by pod legacy-exporter-7c9f8 (legacy controller: the pod is not created)"), "{w1}");
    assert!(out.ends_with("monitoring/node-exporter (legacy mode): 4 node(s): desiredNumberScheduled 1, 1 can run the pod, 3 not eligible (2 untolerated-taint, 1 host-port-conflict)\n"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// dslab plan: JSON and YAML
// ---------------------------------------------------------------------------------------------

fn plan_json(extra: &[&str]) -> Value {
    let (ds, nodes, pods) = (
        fixture("daemonset.yaml"),
        fixture("nodes.yaml"),
        fixture("pods.yaml"),
    );
    let mut e = vec!["--pods", pods.as_str()];
    e.extend_from_slice(extra);
    let out = ok(&dslab(&plan_args(&ds, &nodes, &e)));
    serde_json::from_str(&out).unwrap_or_else(|err| panic!("not JSON: {err}\n{out}"))
}

#[test]
fn plan_json_has_the_documented_shape() {
    let j = plan_json(&["--output", "json"]);
    assert_eq!(j["daemonset"], "monitoring/node-exporter");
    assert_eq!(j["mode"], "current");
    assert_eq!(j["desiredNumberScheduled"], 2);
    let nodes = j["nodes"].as_array().unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["cp-1", "worker-1", "worker-2", "worker-3"]);
    for n in nodes {
        assert!(n["shouldRun"].is_boolean(), "{n}");
        assert!(n["shouldContinueRunning"].is_boolean(), "{n}");
        // true/false where the controller creates a pod, null where it creates none.
        let sched = &n["scheduler"]["schedulable"];
        assert_eq!(sched.is_boolean(), n["shouldRun"] == true, "{n}");
        assert_eq!(sched.is_null(), n["shouldRun"] == false, "{n}");
        for r in n["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .chain(n["scheduler"]["reasons"].as_array().unwrap())
        {
            assert!(r["code"].is_string() && r["message"].is_string(), "{r}");
            assert_eq!(
                r.as_object().unwrap().len(),
                2,
                "reason is {{code, message}}: {r}"
            );
        }
    }
    let verdict = |i: usize| {
        (
            nodes[i]["shouldRun"].as_bool().unwrap(),
            nodes[i]["shouldContinueRunning"].as_bool().unwrap(),
            nodes[i]["scheduler"]["schedulable"].as_bool(),
        )
    };
    assert_eq!(verdict(0), (false, true, None));
    assert_eq!(verdict(1), (true, true, Some(false)));
    assert_eq!(verdict(2), (false, true, None));
    assert_eq!(verdict(3), (true, true, Some(true)));
    assert_eq!(nodes[0]["reasons"][0]["code"], "untolerated-taint");
    assert_eq!(nodes[1]["reasons"], Value::Array(vec![]));
    assert_eq!(nodes[1]["scheduler"]["reasons"][0]["code"], "host-port-conflict");
    assert_eq!(
        nodes[1]["scheduler"]["event"],
        "FailedScheduling: 0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."
    );
    assert_eq!(nodes[2]["reasons"][0]["code"], "untolerated-taint");
    assert!(nodes[2]["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("node.kubernetes.io/not-ready:NoSchedule"));
    assert_eq!(nodes[3]["scheduler"]["reasons"], Value::Array(vec![]));
    // -o is the short form
    assert_eq!(plan_json(&["-o", "json"]), j);
}

#[test]
fn plan_yaml_is_the_same_document_as_json() {
    let (ds, nodes, pods) = (
        fixture("daemonset.yaml"),
        fixture("nodes.yaml"),
        fixture("pods.yaml"),
    );
    let out = ok(&dslab(&plan_args(
        &ds,
        &nodes,
        &["--pods", &pods, "--output", "yaml"],
    )));
    assert!(
        out.starts_with(
            "daemonset: monitoring/node-exporter\nmode: current\ndesiredNumberScheduled: 2\nnodes:\n"
        ),
        "{out}"
    );
    let y: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
    let as_json = serde_json::to_value(y).unwrap();
    assert_eq!(as_json, plan_json(&["--output", "json"]));
}

// ---------------------------------------------------------------------------------------------
// dslab pod
// ---------------------------------------------------------------------------------------------

const DS_WITH_AFFINITY: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 50
            preference:
              matchExpressions:
              - {key: node.kubernetes.io/instance-type, operator: In, values: [m6i.large]}
      tolerations:
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
      containers:
      - name: agent
        image: example.com/agent:1.0
";

fn pod_yaml(out: &str) -> serde_yaml::Value {
    serde_yaml::from_str(out).unwrap_or_else(|e| panic!("not YAML: {e}\n{out}"))
}

#[test]
fn pod_current_mode_is_pinned_by_match_fields() {
    let ds = fixture("daemonset.yaml");
    let out = ok(&dslab(&["pod", "--daemonset", &ds, "--node", "worker-1"]));
    assert!(
        out.starts_with("# The Pod the DaemonSet controller creates for node worker-1 (v1.12+)"),
        "{out}"
    );
    let p = pod_yaml(&out);
    assert_eq!(p["apiVersion"], "v1");
    assert_eq!(p["kind"], "Pod");
    assert_eq!(p["metadata"]["generateName"], "node-exporter-");
    assert_eq!(p["metadata"]["namespace"], "monitoring");
    assert_eq!(p["metadata"]["ownerReferences"][0]["kind"], "DaemonSet");
    assert_eq!(p["metadata"]["ownerReferences"][0]["controller"], true);
    assert!(p["metadata"]["labels"]["controller-revision-hash"].is_string());
    let spec = &p["spec"];
    assert!(
        spec.get("nodeName").is_none(),
        "current mode leaves nodeName empty (§3.1)"
    );
    let terms = &spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        ["nodeSelectorTerms"];
    let want: serde_yaml::Value = serde_yaml::from_str(
        "- matchFields:\n  - key: metadata.name\n    operator: In\n    values:\n    - worker-1\n",
    )
    .unwrap();
    assert_eq!(terms, &want);
    assert_eq!(
        spec["nodeSelector"]["kubernetes.io/os"], "linux",
        "nodeSelector untouched"
    );
    // §2: six automatic tolerations + network-unavailable for this hostNetwork pod.
    let tol = spec["tolerations"].as_sequence().unwrap();
    let keys: Vec<String> = tol
        .iter()
        .map(|t| format!("{}:{}", t["key"].as_str().unwrap(), t["effect"].as_str().unwrap()))
        .collect();
    assert_eq!(
        keys,
        [
            "node.kubernetes.io/not-ready:NoExecute",
            "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/disk-pressure:NoSchedule",
            "node.kubernetes.io/memory-pressure:NoSchedule",
            "node.kubernetes.io/pid-pressure:NoSchedule",
            "node.kubernetes.io/unschedulable:NoSchedule",
            "node.kubernetes.io/network-unavailable:NoSchedule",
        ]
    );
    assert!(tol.iter().all(|t| t["operator"] == "Exists"));
}

#[test]
fn pod_current_mode_replaces_user_required_terms_keeps_preferred() {
    let out = ok(&dslab_stdin(
        &["pod", "--daemonset", "-", "--node", "n7"],
        Some(DS_WITH_AFFINITY.as_bytes()),
    ));
    let p = pod_yaml(&out);
    let na = &p["spec"]["affinity"]["nodeAffinity"];
    let terms = na["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        .as_sequence()
        .unwrap();
    assert_eq!(terms.len(), 1, "{out}");
    assert!(
        terms[0].get("matchExpressions").is_none(),
        "user terms dropped (§3.1): {out}"
    );
    assert_eq!(terms[0]["matchFields"][0]["values"][0], "n7");
    assert_eq!(
        na["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"], 50,
        "preferred terms kept"
    );
    // The user's not-ready toleration is replaced by the automatic one: its seconds are gone
    // (kubernetes/kubernetes#92960, §2).
    let tol = p["spec"]["tolerations"].as_sequence().unwrap();
    assert_eq!(tol.len(), 6, "{out}");
    assert!(tol.iter().all(|t| t.get("tolerationSeconds").is_none()), "{out}");
}

#[test]
fn pod_legacy_mode_sets_node_name_and_keeps_user_affinity() {
    let out = ok(&dslab_stdin(
        &["pod", "--daemonset", "-", "--node", "n7", "--mode", "legacy"],
        Some(DS_WITH_AFFINITY.as_bytes()),
    ));
    assert!(
        out.starts_with("# The Pod the DaemonSet controller created for node n7 before v1.12"),
        "{out}"
    );
    let p = pod_yaml(&out);
    assert_eq!(p["spec"]["nodeName"], "n7");
    let terms = p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        ["nodeSelectorTerms"]
        .as_sequence()
        .unwrap();
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0]["matchExpressions"][0]["key"], "kubernetes.io/arch");
    assert!(
        terms[0].get("matchFields").is_none(),
        "no injected matchFields in legacy mode"
    );
}

// ---------------------------------------------------------------------------------------------
// Standard input
// ---------------------------------------------------------------------------------------------

#[test]
fn dash_reads_standard_input() {
    let nodes = std::fs::read(fixture("nodes.yaml")).unwrap();
    let ds = fixture("daemonset.yaml");
    let out = ok(&dslab_stdin(
        &["plan", "--daemonset", &ds, "--nodes", "-", "-o", "json"],
        Some(&nodes),
    ));
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["nodes"].as_array().unwrap().len(), 4);
    // Without --pods the host port on worker-1 is free.
    assert_eq!(j["nodes"][1]["scheduler"]["schedulable"], true);
    // Errors in standard input are reported as "-".
    let bad = dslab_stdin(
        &["plan", "--daemonset", &ds, "--nodes", "-"],
        Some(b"apiVersion: v1\nkind: Node\nmetadata:\n  name: a\nspec:\n  taints:\n  - key: k\n    effect: Sometimes\n"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        stderr(&bad),
        "error: -:8:13: document 1, spec.taints[0].effect: found \"Sometimes\"; expected NoSchedule, PreferNoSchedule or NoExecute\n"
    );
    assert!(stdout(&bad).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Exit codes and messages
// ---------------------------------------------------------------------------------------------

#[test]
fn input_errors_exit_1_with_located_message() {
    let nodes = fixture("nodes.yaml");
    let ds = fixture("daemonset.yaml");
    // The nodes file given as the DaemonSet: it holds nodes only.
    let o = dslab(&plan_args(&nodes, &nodes, &[]));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!("error: {nodes}: found no DaemonSet (it holds 4 Node); expected a DaemonSet (apps/v1)\n")
    );
    assert!(stdout(&o).is_empty());
    // A file that does not exist.
    let o = dslab(&plan_args(&ds, "/nonexistent/nodes.yaml", &[]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: /nonexistent/nodes.yaml: cannot read: "),
        "{}",
        stderr(&o)
    );
    // A Deployment on standard input, for dslab pod.
    let deployment = DS_WITH_AFFINITY.replace("kind: DaemonSet", "kind: Deployment");
    let o = dslab_stdin(
        &["pod", "--daemonset", "-", "--node", "n1"],
        Some(deployment.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: -: found no DaemonSet (it holds 1 Deployment); expected a DaemonSet (apps/v1)\n"
    );
    // Invalid UTF-8 in the pods file.
    let o = dslab_stdin(
        &plan_args(&ds, &nodes, &["--pods", "-"]),
        Some(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: -:4:9: found invalid UTF-8 (byte 0xFF at offset 43); expected UTF-8 text\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let ds = fixture("daemonset.yaml");
    let nodes = fixture("nodes.yaml");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![], "error: no command given"),
        // (the list of commands grows: plan, pod, simulate, …; only its start is pinned)
        (vec!["frobnicate"], "error: unknown command \"frobnicate\"; expected plan, pod"),
        (vec!["plan", "--nodes", &nodes], "error: missing --daemonset FILE (the DaemonSet manifest)"),
        (vec!["plan", "--daemonset", &ds], "error: missing --nodes FILE (the Node manifests, e.g. kubectl get nodes -o yaml)"),
        (plan_args(&ds, &nodes, &["--mode", "v1.11"]), "error: --mode \"v1.11\" is not one of current, legacy"),
        (plan_args(&ds, &nodes, &["--output", "wide"]), "error: --output \"wide\" is not one of table, json, yaml"),
        (plan_args(&ds, &nodes, &["--output", "json", "-o", "yaml"]), "error: give --output or -o, not both"),
        (plan_args(&ds, &nodes, &["--verbose"]), "error: unknown flag --verbose; this command takes --daemonset, --nodes, --pods, --name, --mode, --output, -o"),
        (plan_args(&ds, &nodes, &["--mode"]), "error: flag --mode needs a value"),
        (plan_args(&ds, &nodes, &["--nodes", &nodes]), "error: flag --nodes is given twice"),
        (plan_args(&ds, &nodes, &["extra.yaml"]), "error: unexpected argument \"extra.yaml\""),
        (vec!["pod", "--daemonset", &ds], "error: missing --node NAME (the node to build the pod for)"),
        (vec!["pod", "--daemonset", &ds, "--node="], "error: --node needs a node name"),
    ];
    for (args, want) in cases {
        let o = dslab_stdin(&args, Some(b""));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        let exact = format!("{want}\n\nRun 'dslab --help' for usage.\n");
        if args.first() == Some(&"frobnicate") {
            assert!(err.starts_with(want), "{args:?}: {err}");
            assert!(
                err.ends_with("\n\nRun 'dslab --help' for usage.\n"),
                "{args:?}: {err}"
            );
        } else {
            assert_eq!(err, exact, "{args:?}");
        }
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

#[test]
fn help_and_version() {
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["plan", "--help"],
        vec!["pod", "-h"],
    ] {
        let out = ok(&dslab(&args));
        assert!(
            out.starts_with("dslab - see why a DaemonSet pod does or does not run on each node\n"),
            "{args:?}"
        );
        for must in [
            "dslab plan --daemonset FILE --nodes FILE [--pods FILE] [--name [NAMESPACE/]NAME]\n             [--mode current|legacy] [--output table|json|yaml]",
            "dslab pod  --daemonset FILE --node NAME [--name [NAMESPACE/]NAME] [--mode current|legacy]",
            "Use - to read from standard input.",
            "--name        pick one DaemonSet of a file that holds several",
            "RUN          yes",
            "keep  no new pod, but a running one stays",
            "Exit status: 0 done, 1 the input is wrong",
            "2 the command line is wrong",
            "kubectl get nodes -o yaml | dslab plan --daemonset ds.yaml --nodes - --output json",
        ] {
            assert!(out.contains(must), "{args:?}: help lacks {must:?}");
        }
    }
    let v = ok(&dslab(&["--version"]));
    assert_eq!(v, format!("dslab {}\n", env!("CARGO_PKG_VERSION")));
}
