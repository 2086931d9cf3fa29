//! `dslab simulate` on the scenario files in scenarios/: the text timeline (one step a line), the
//! JSON report and its fields, byte-for-byte determinism, and exit codes 0/1/2 with stderr.

use serde_json::Value;
use std::process::{Command, Output, Stdio};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/");

fn scenario(name: &str) -> String {
    format!("{SCENARIOS}{name}")
}

fn dslab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dslab"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run dslab")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "dslab failed: stderr:\n{}", stderr(o));
    assert!(stderr(o).is_empty(), "stderr not empty: {}", stderr(o));
    stdout(o)
}

fn json(args: &[&str]) -> Value {
    let out = ok(&dslab(args));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

fn temp_file(name: &str, text: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

const ACTORS: &[&str] = &[
    "user",
    "daemonset-controller",
    "scheduler",
    "kubelet",
    "node-lifecycle",
    "pod-gc",
    "garbage-collector",
];

/// `t=12s    scheduler            Successfully assigned …` → (12, "scheduler", "Successfully …").
fn parse_step_line(line: &str) -> Option<(u64, String, String)> {
    let rest = line.strip_prefix("t=")?;
    let (time, rest) = rest.split_once('s')?;
    let time: u64 = time.parse().ok()?;
    let rest = rest.trim_start();
    let (actor, message) = rest.split_once(' ')?;
    if !ACTORS.contains(&actor) {
        return None;
    }
    Some((time, actor.to_string(), message.trim_start().to_string()))
}

#[test]
fn text_timeline_one_step_a_line() {
    let file = scenario("node-join.yaml");
    let text = ok(&dslab(&["simulate", "--scenario", &file]));
    let report = json(&["simulate", "--scenario", &file, "--output", "json"]);
    let steps = report["steps"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "# A node joins; the log agent follows it (current mode)"
    );
    let parsed: Vec<(u64, String, String)> = lines.iter().filter_map(|l| parse_step_line(l)).collect();
    assert_eq!(parsed.len(), steps.len(), "one line per step:\n{text}");
    for ((time, actor, message), s) in parsed.iter().zip(steps) {
        assert_eq!(*time, s["time"].as_u64().unwrap());
        assert_eq!(actor, s["actor"].as_str().unwrap());
        assert_eq!(message, s["message"].as_str().unwrap());
    }
    // The two spaces between columns, as in the example.
    assert!(
        text.lines().any(|l| l.starts_with("t=0s")
            && l.contains("  scheduler")
            && l.contains("Successfully assigned logging/fluent-bit-")),
        "{text}"
    );
    assert!(
        text.contains("user                 kubectl cordon worker-1: node/worker-1 cordoned"),
        "{text}"
    );
    // kubectl's tabwriter: each column as wide as its widest cell plus 3 spaces.
    assert!(
        text.contains(concat!(
            "\nNAMESPACE   NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR\n",
            "logging     fluent-bit   2         2         2       2            2           <none>\n",
        )),
        "{text}"
    );
    assert!(
        text.contains("\nNAME               READY   STATUS    RESTARTS   NODE       REVISION   IMAGE\n"),
        "{text}"
    );
    let last = lines.last().unwrap();
    assert_eq!(*last, format!("{} steps, t=22s, settled", steps.len()));
}

#[test]
fn json_report_fields() {
    let v = json(&[
        "simulate",
        "--scenario",
        &scenario("node-join.yaml"),
        "--output",
        "json",
    ]);
    assert_eq!(v["mode"], "current");
    assert_eq!(v["settled"], true);
    let steps = v["steps"].as_array().unwrap();
    for s in steps {
        assert!(s["time"].is_u64(), "{s}");
        assert!(ACTORS.contains(&s["actor"].as_str().unwrap()), "{s}");
        assert!(
            s["action"].is_string() && s["object"].is_string() && s["message"].is_string(),
            "{s}"
        );
        let st = &s["status"];
        for k in [
            "desiredNumberScheduled",
            "currentNumberScheduled",
            "numberReady",
            "updatedNumberScheduled",
            "numberAvailable",
            "numberUnavailable",
            "numberMisscheduled",
        ] {
            assert!(st[k].is_i64(), "{k} missing in {s}");
        }
        assert_eq!(
            st["numberUnavailable"].as_i64().unwrap(),
            st["desiredNumberScheduled"].as_i64().unwrap() - st["numberAvailable"].as_i64().unwrap()
        );
    }
    let bind = steps.iter().find(|s| s["action"] == "bind").unwrap();
    assert_eq!(bind["actor"], "scheduler");
    assert!(bind["object"].as_str().unwrap().starts_with("pod/fluent-bit-"));
    assert!(bind["node"].is_string());
    let undo = steps.iter().find(|s| s["action"] == "rollout-undo").unwrap();
    assert_eq!(undo["actor"], "user");
    assert!(
        undo.get("node").is_none(),
        "node is left out when there is none: {undo}"
    );

    let fin = &v["final"];
    let pods = fin["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 2);
    for p in pods {
        assert_eq!(p["phase"], "Running");
        assert_eq!(p["ready"], true);
        assert_eq!(p["revision"], 3);
        assert_eq!(p["image"], "cr.fluentbit.io/fluent/fluent-bit:3.1.9");
        assert!(p["name"].as_str().unwrap().starts_with("fluent-bit-"));
        assert!(
            ["worker-1", "worker-3"].contains(&p["node"].as_str().unwrap()),
            "{p}"
        );
    }
    assert_eq!(fin["status"]["desiredNumberScheduled"], 2);
    assert_eq!(fin["status"]["numberAvailable"], 2);
    assert_eq!(fin["status"]["observedGeneration"], 3);
    let revs: Vec<(i64, String)> = fin["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["image"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        revs,
        vec![
            (2, "cr.fluentbit.io/fluent/fluent-bit:3.2.0".to_string()),
            (3, "cr.fluentbit.io/fluent/fluent-bit:3.1.9".to_string())
        ]
    );
    for r in fin["revisions"].as_array().unwrap() {
        let hash = r["hash"].as_str().unwrap();
        assert_eq!(r["name"].as_str().unwrap(), format!("fluent-bit-{hash}"));
    }
}

#[test]
fn rolling_update_scenario_respects_its_budget() {
    let v = json(&[
        "simulate",
        "--scenario",
        &scenario("rolling-update.yaml"),
        "-o",
        "json",
    ]);
    let steps = v["steps"].as_array().unwrap();
    let change = steps
        .iter()
        .position(|s| s["action"] == "update-template")
        .unwrap();
    for s in &steps[change..] {
        assert!(s["status"]["numberUnavailable"].as_i64().unwrap() <= 2, "{s}");
    }
    let first_wave = steps[change..]
        .iter()
        .filter(|s| s["time"] == 30 && s["actor"] == "daemonset-controller" && s["action"] == "delete")
        .count();
    assert_eq!(first_wave, 2);
    assert_eq!(v["final"]["status"]["updatedNumberScheduled"], 5);
    assert!(v["final"]["pods"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["revision"] == 3));
}

#[test]
fn surge_scenario_stalls_with_old_pods_serving() {
    let v = json(&[
        "simulate",
        "--scenario",
        &scenario("surge-stuck.yaml"),
        "--output",
        "json",
    ]);
    let pods = v["final"]["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 4, "three old pods plus one surge pod");
    assert_eq!(
        pods.iter()
            .filter(|p| p["ready"] == false && p["revision"] == 2)
            .count(),
        1
    );
    assert_eq!(v["final"]["status"]["numberAvailable"], 3);
    assert!(v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"]["numberUnavailable"] == 0 || s["time"].as_u64().unwrap() < 20));
}

#[test]
fn same_file_same_output_byte_for_byte() {
    for f in ["node-join.yaml", "rolling-update.yaml", "surge-stuck.yaml"] {
        let file = scenario(f);
        for fmt in ["text", "json"] {
            let a = dslab(&["simulate", "--scenario", &file, "--output", fmt]);
            let b = dslab(&["simulate", "--scenario", &file, "--output", fmt]);
            assert_eq!(ok(&a), ok(&b), "{f} {fmt}");
        }
    }
}

#[test]
fn bad_scenario_exits_1_naming_the_event_and_line() {
    let original = std::fs::read_to_string(scenario("node-join.yaml")).unwrap();
    let yaml = original.replace(
        "action: cordon\n  node: worker-1",
        "action: cordon\n  node: worker-9",
    );
    let file = temp_file("unknown-node.yaml", &yaml);
    let o = dslab(&["simulate", "--scenario", &file]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    let line = yaml.lines().position(|l| l.contains("worker-9")).unwrap() + 1;
    assert_eq!(
        err,
        format!("error: {file}:{line}:9: document 1, events[1].node: event 2 (cordon): found unknown node \"worker-9\"; expected one of the nodes at that point (control-plane, worker-1, worker-2, worker-3)\n")
    );

    let file = temp_file(
        "unknown-action.yaml",
        &original.replace("action: rollout-undo", "action: rollback"),
    );
    let o = dslab(&["simulate", "--scenario", &file, "--output", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).starts_with(&format!("error: {file}:"))
            && stderr(&o).contains("events[4].action: event 5: found unknown action \"rollback\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_file_exits_1() {
    let o = dslab(&["simulate", "--scenario", "/nonexistent/scenario.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: /nonexistent/scenario.yaml: cannot read: "),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["simulate"], "--scenario"),
        (
            &["simulate", "--scenario", "x.yaml", "--output", "yaml"],
            "--output \"yaml\" is not one of text, json",
        ),
        (
            &[
                "simulate",
                "--scenario",
                "x.yaml",
                "--output",
                "json",
                "-o",
                "text",
            ],
            "give --output or -o, not both",
        ),
        (&["simulate", "--scenario", "x.yaml", "--speed", "2"], "--speed"),
        (&["simulate", "--scenario", "x.yaml", "extra"], "extra"),
    ];
    for (args, want) in cases {
        let o = dslab(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
        let err = stderr(&o);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(
            err.ends_with("Run 'dslab --help' for usage.\n"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn simulate_help() {
    let out = ok(&dslab(&["simulate", "--help"]));
    assert!(
        out.contains("dslab simulate --scenario FILE [--output text|json]"),
        "{out}"
    );
}

/// A pod with two containers (node-exporter + kube-rbac-proxy): every image pulled, READY counts
/// containers, the crash names its container, JSON counts them.
#[test]
fn a_pod_with_two_containers() {
    let file = scenario("node-exporter-sidecar.yaml");
    let text = ok(&dslab(&["simulate", "--scenario", &file]));
    for image in [
        "quay.io/prometheus/node-exporter:v1.8.2",
        "quay.io/brancz/kube-rbac-proxy:v0.18.1",
        "quay.io/brancz/kube-rbac-proxy:v0.19.0",
    ] {
        assert!(
            text.contains(&format!("Pulling image \"{image}\"")),
            "{image}:\n{text}"
        );
    }
    assert!(
        text.contains("user                 Container kube-rbac-proxy of pod node-exporter-"),
        "{text}"
    );
    let pods: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("NAME "))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(pods.len(), 2, "{text}");
    for p in pods {
        let cells: Vec<&str> = p.split_whitespace().collect();
        assert_eq!(cells[1], "2/2", "{p}");
        assert_eq!(
            cells[6], "quay.io/prometheus/node-exporter:v1.8.2,quay.io/brancz/kube-rbac-proxy:v0.19.0",
            "{p}"
        );
    }
    let report = json(&["simulate", "--scenario", &file, "--output", "json"]);
    for p in report["final"]["pods"].as_array().unwrap() {
        assert_eq!(
            (p["readyContainers"].as_u64(), p["containers"].as_u64()),
            (Some(2), Some(2)),
            "{p}"
        );
    }
}
