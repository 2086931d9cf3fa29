//! `dslab audit` on a cluster dump in the shape `kubectl get ds,nodes,pods -A -o yaml` prints
//! (fixtures/audit-dump.yaml, and the same objects as `-o json` in audit-dump.json): a List with
//! two DaemonSets with status, seven Nodes, their Pods with ownerReferences and the
//! controller-revision-hash / pod-template-generation labels, another workload's pod, a pod of a
//! DaemonSet that is not in the dump, and a Service.
//!
//! What the dump holds, node by node (kube-system/node-agent: linux nodes, cpu 200m, template
//! generation 3; monitoring/exporter: tolerates everything, hostPort 9100, maxSurge 1):
//! - node-a, node-b: plain; node-agent's pod on node-b is generation 2 (outdated);
//! - node-c: windows (node-agent misses it: node-selector); exporter's pod there has no
//!   generation label but the current hash (up to date);
//! - node-d: dedicated=gpu:NoSchedule (node-agent misses it, its pod stays: misscheduled, not
//!   deleted); exporter's pod there carries an old hash (outdated by hash);
//! - node-e: 1 cpu, 900m used by a web pod: node-agent's pod is Pending (insufficient cpu);
//! - node-f: no pod at all (missing for both);
//! - node-g: maintenance:NoExecute (node-agent's pod there is deleted).

mod support;

use serde_json::Value;
use support::{dslab, dslab_stdin, fixture, stderr, stdout};

fn audit_json(file: &str) -> Value {
    let o = dslab(&["audit", &fixture(file), "-o", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON")
}

fn names(v: &Value, key: &str, field: &str) -> Vec<String> {
    v[key]
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x[field].as_str().expect("text").to_string())
        .collect()
}

#[test]
fn every_finding_of_the_yaml_dump_in_json() {
    let r = audit_json("audit-dump.yaml");
    let ds = r["daemonsets"].as_array().expect("daemonsets");
    let keys: Vec<&str> = ds.iter().map(|d| d["daemonset"].as_str().unwrap()).collect();
    assert_eq!(keys, ["kube-system/node-agent", "monitoring/exporter"], "sorted");

    let agent = &ds[0];
    assert_eq!(agent["desiredNumberScheduled"], 4);
    assert_eq!(agent["reported"]["desiredNumberScheduled"], 5);
    let diffs: Vec<(String, i64, i64)> = agent["statusDifferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().to_string(),
                d["computed"].as_i64().unwrap(),
                d["reported"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        diffs,
        [
            ("desiredNumberScheduled".to_string(), 4, 5),
            ("currentNumberScheduled".to_string(), 3, 5)
        ]
    );
    assert_eq!(names(agent, "missed", "node"), ["node-c", "node-d", "node-g"]);
    let codes: Vec<&str> = agent["missed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reasons"][0]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["node-selector", "untolerated-taint", "untolerated-taint"]);
    assert_eq!(
        agent["missedByReason"],
        serde_json::json!([{"code": "node-selector", "count": 1}, {"code": "untolerated-taint", "count": 2}])
    );
    assert!(agent["missed"][1]["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("dedicated=gpu:NoSchedule"));
    assert_eq!(names(agent, "pending", "node"), ["node-e"]);
    let pending = agent["pending"][0]["reasons"][0]["message"].as_str().unwrap();
    assert!(
        pending.contains("Insufficient cpu") && pending.contains("200m") && pending.contains("900m"),
        "{pending}"
    );
    assert_eq!(names(agent, "missing", "node"), ["node-f"]);
    assert_eq!(
        agent["misscheduled"],
        serde_json::json!([
            {"pod": "kube-system/node-agent-g5h6j", "node": "node-d", "willBeDeleted": false},
            {"pod": "kube-system/node-agent-n9p2q", "node": "node-g", "willBeDeleted": true}
        ])
    );
    assert_eq!(
        agent["outdated"],
        serde_json::json!([{"pod": "kube-system/node-agent-d3e4f", "node": "node-b"}])
    );
    let rollout = &agent["rollout"];
    assert_eq!(rollout["strategy"], "RollingUpdate");
    assert_eq!(
        rollout["maxUnavailable"],
        serde_json::json!({"value": "1", "resolved": 1})
    );
    assert_eq!(rollout["revision"]["templateGeneration"], 3);
    assert_eq!(rollout["revision"]["hash"], "6f7c9b8d4d");
    assert_eq!(rollout["stalls"][0]["code"], "unavailable-budget-used-up");
    let sim = &rollout["simulated"];
    assert_eq!(sim["podsToReplace"], 1);
    assert!(sim["assumptions"][0].as_str().unwrap().contains("3 s"));

    let exporter = &ds[1];
    assert_eq!(exporter["desiredNumberScheduled"], 7);
    assert!(exporter["missed"].as_array().unwrap().is_empty());
    assert_eq!(names(exporter, "missing", "node"), ["node-e", "node-f", "node-g"]);
    assert_eq!(
        exporter["outdated"],
        serde_json::json!([{"pod": "monitoring/exporter-9q3zx", "node": "node-d"}]),
        "by hash: no generation label, an old controller-revision-hash"
    );
    assert_eq!(exporter["rollout"]["maxSurge"]["resolved"], 1);
    assert_eq!(exporter["rollout"]["stalls"][0]["code"], "surge-with-host-port");

    assert_eq!(r["skipped"], serde_json::json!({"Service": 1}));
    assert_eq!((r["nodes"].as_i64(), r["pods"].as_i64()), (Some(7), Some(11)));
    let notes = r["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("logging/old-shipper")),
        "unknown owner: {notes:?}"
    );
    assert!(r["summary"]
        .as_str()
        .unwrap()
        .starts_with("2 DaemonSet(s) on 7 node(s)"));
}

#[test]
fn the_json_dump_gives_the_same_report_byte_for_byte() {
    let run = |f: &str| {
        let o = dslab(&["audit", &fixture(f), "--output", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let yaml = run("audit-dump.yaml");
    assert_eq!(yaml, run("audit-dump.json"));
    assert_eq!(yaml, run("audit-dump.yaml"), "deterministic");
}

#[test]
fn table_and_markdown_say_the_same_for_people() {
    let dump = fixture("audit-dump.yaml");
    let table = dslab(&["audit", &dump]);
    let md = dslab(&["audit", &dump, "-o", "markdown"]);
    for o in [&table, &md] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
        assert_eq!(
            stderr(o),
            format!("note: {dump}: skipped 1 other object: 1 Service\n")
        );
        let out = stdout(o);
        for says in [
            "kube-system/node-agent",
            "monitoring/exporter",
            "1 node-selector, 2 untolerated-taint",
            "Insufficient cpu (requested 200m",
            "node-f",
            "kube-system/node-agent-g5h6j",
            "kube-system/node-agent-d3e4f",
            "monitoring/exporter-9q3zx",
            "unavailable-budget-used-up",
            "surge-with-host-port",
            "pulls the new image (3 s)",
            "desiredNumberScheduled 4 (status 5)",
            "logging/old-shipper",
        ] {
            assert!(out.contains(says), "{says:?} in\n{out}");
        }
    }
    let t = stdout(&table);
    assert!(t.starts_with("=== DaemonSet kube-system/node-agent ===\n"), "{t}");
    assert!(t.contains("WILL BE DELETED"));
    assert!(stdout(&md).starts_with("# DaemonSet audit\n"));
}

#[test]
fn what_if_prints_both_strategies() {
    let dump = fixture("audit-dump.yaml");
    let o = dslab(&["audit", &dump, "--what-if", "maxSurge=1,maxUnavailable=0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("  simulated: ").count(), 2, "{out}");
    assert_eq!(
        out.matches("  what-if:   maxUnavailable 0 → 0, maxSurge 1 → 1")
            .count(),
        2,
        "{out}"
    );
    assert!(out.contains("peak unavailable"));
    // node-agent has no host port: a surge is fine; the exporter's host port stops it.
    assert_eq!(
        out.matches("  what-if stall: surge-with-host-port").count(),
        1,
        "{out}"
    );
    // JSON: both series with their points.
    let o = dslab(&[
        "audit",
        &dump,
        "--what-if",
        "maxUnavailable=2,maxSurge=0",
        "-o",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let agent = &v["daemonsets"][0]["rollout"];
    assert_eq!(agent["whatIf"]["maxUnavailable"]["resolved"], 2);
    assert!(!agent["whatIf"]["points"].as_array().unwrap().is_empty());
    assert!(!agent["simulated"]["points"].as_array().unwrap().is_empty());
}

#[test]
fn several_files_and_standard_input() {
    // The DaemonSet, the nodes and the pods in three files, as other commands read them.
    let o = dslab(&[
        "audit",
        &fixture("daemonset.yaml"),
        &fixture("nodes.yaml"),
        &fixture("pods.yaml"),
        "-o",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["daemonsets"][0]["desiredNumberScheduled"].as_i64().is_some());
    // The same file twice is read once.
    let dump = fixture("audit-dump.yaml");
    let twice = dslab(&["audit", &dump, &dump, "-o", "json"]);
    assert_eq!(twice.status.code(), Some(0), "{}", stderr(&twice));
    let text = std::fs::read(&dump).unwrap();
    let piped = dslab_stdin(&["audit", "-", "-o", "json"], Some(&text));
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert_eq!(stdout(&piped), stdout(&twice));
}

#[test]
fn bad_input_gets_a_clear_message() {
    let dump = fixture("audit-dump.yaml");
    // (args, exit code, stderr holds)
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec![], 2, "audit needs FILE..."),
        (vec![&dump, "-o", "yaml"], 2, "not one of table, json, markdown"),
        (
            vec![&dump, "--what-if", "replicas=3"],
            2,
            "--what-if: found \"replicas\"",
        ),
        (
            vec![&dump, "--what-if", "maxSurge=1"],
            2,
            "exactly one of them must be non-zero",
        ),
        (vec!["/no/such/dump.yaml"], 1, "/no/such/dump.yaml: cannot read"),
    ];
    for (args, code, says) in cases {
        let mut argv = vec!["audit"];
        argv.extend(args.iter());
        let o = dslab(&argv);
        assert_eq!(o.status.code(), Some(code), "{argv:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{argv:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn dumps_without_nodes_or_daemonsets_are_refused() {
    let nodes_only = fixture("nodes.yaml");
    let o = dslab(&["audit", &nodes_only]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("found no DaemonSet"), "{}", stderr(&o));
    let ds_only = fixture("daemonset.yaml");
    let o = dslab(&["audit", &ds_only]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("found no Node") && stderr(&o).contains("kubectl get ds,nodes,pods -A -o yaml"),
        "{}",
        stderr(&o)
    );
    // A node given twice (two dumps of the same cluster) is named.
    let o = dslab(&["audit", &fixture("audit-dump.yaml"), &fixture("audit-dump.json")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("node node-a is in"), "{}", stderr(&o));
    // Not YAML at all: the parser's located error.
    let o = dslab_stdin(&["audit", "-"], Some(b"items: [unclosed"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: -:"), "{}", stderr(&o));
}
