//! `dslab plan` and `dslab pod` on YAML as projects publish it (a manifest holding a Namespace,
//! RBAC, a ConfigMap, a CRD, a PodDisruptionBudget and two DaemonSets) and as clusters dump it
//! (`kubectl get ds,nodes,pods -A -o yaml`, and `-o json`).

mod support;

use support::{dslab, dslab_stdin, fixture, stderr, stdout};

const SKIPPED: &str = "skipped 7 other objects: 1 Namespace, 1 ServiceAccount, 1 ClusterRole, 1 ClusterRoleBinding, 1 ConfigMap, 1 CustomResourceDefinition, 1 PodDisruptionBudget";

#[test]
fn a_published_manifest_gives_one_plan_per_daemonset_and_names_what_it_skipped() {
    let (manifest, nodes) = (fixture("published-netlab.yaml"), fixture("nodes.yaml"));
    let o = dslab(&["plan", "--daemonset", &manifest, "--nodes", &nodes]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), format!("note: {manifest}: {SKIPPED}\n"));
    let out = stdout(&o);
    let sections: Vec<&str> = out.split("=== DaemonSet ").skip(1).collect();
    assert_eq!(sections.len(), 2, "{out}");
    assert!(
        sections[0].starts_with("netlab-system/netlab-agent ===\nNODE"),
        "{out}"
    );
    assert!(
        sections[1].starts_with("netlab-system/netlab-collector ===\nNODE"),
        "{out}"
    );
    assert!(sections[0].contains("netlab-system/netlab-agent (current mode): "));
}

#[test]
fn name_picks_one_daemonset_and_its_json_is_the_single_plan() {
    let (manifest, nodes) = (fixture("published-netlab.yaml"), fixture("nodes.yaml"));
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "by name",
            "netlab-collector",
            Some("netlab-system/netlab-collector"),
        ),
        (
            "by namespace/name",
            "netlab-system/netlab-agent",
            Some("netlab-system/netlab-agent"),
        ),
        ("unknown name", "netlab", None),
        ("wrong namespace", "kube-system/netlab-agent", None),
    ];
    for (name, wanted, want) in cases {
        let o = dslab_stdin(
            &[
                "plan",
                "--daemonset",
                &manifest,
                "--nodes",
                &nodes,
                "--name",
                wanted,
                "-o",
                "json",
            ],
            None,
        );
        match want {
            Some(key) => {
                assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
                let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
                assert_eq!(j["daemonset"], *key, "{name}");
                assert!(
                    j["nodes"].is_array(),
                    "{name}: one plan, as for a file of one DaemonSet"
                );
            }
            None => {
                assert_eq!(o.status.code(), Some(1), "{name}");
                assert!(
                    stderr(&o).contains(&format!("found no DaemonSet named {wanted:?}; expected one of netlab-system/netlab-agent, netlab-system/netlab-collector")),
                    "{name}: {}",
                    stderr(&o)
                );
            }
        }
    }
}

#[test]
fn several_daemonsets_in_json_and_yaml_are_a_list_of_plans() {
    let (manifest, nodes) = (fixture("published-netlab.yaml"), fixture("nodes.yaml"));
    let o = dslab_stdin(
        &["plan", "--daemonset", &manifest, "--nodes", &nodes, "-o", "json"],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = j["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["daemonset"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["netlab-system/netlab-agent", "netlab-system/netlab-collector"]
    );
    let o = dslab_stdin(
        &["plan", "--daemonset", &manifest, "--nodes", &nodes, "-o", "yaml"],
        None,
    );
    let y: serde_json::Value = serde_yaml::from_str(&stdout(&o)).unwrap();
    assert_eq!(y, j);
}

#[test]
fn pod_asks_which_daemonset_when_there_are_several() {
    let manifest = fixture("published-netlab.yaml");
    let o = dslab(&["pod", "--daemonset", &manifest, "--node", "n1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with(&format!(
        "error: {manifest} holds 2 DaemonSets (netlab-system/netlab-agent, netlab-system/netlab-collector); pick one with --name [NAMESPACE/]NAME"
    )));
    let o = dslab_stdin(
        &[
            "pod",
            "--daemonset",
            &manifest,
            "--node",
            "n1",
            "--name",
            "netlab-collector",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("generateName: netlab-collector-"));
    assert!(stdout(&o).contains("- n1"));
}

#[test]
fn a_cluster_dump_gives_daemonsets_nodes_and_the_other_pods() {
    for dump in [fixture("cluster-dump.yaml"), fixture("cluster-dump.json")] {
        let o = dslab_stdin(
            &["plan", "--daemonset", &dump, "--nodes", &dump, "-o", "json"],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{dump}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{dump}: everything in the dump is used");
        let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(j["daemonset"], "logging/log-shipper");
        let by_node = |n: &str| {
            j["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["name"] == n)
                .cloned()
                .unwrap()
        };
        // The DaemonSet's own pod on kind-worker is not an "other pod": its port stays free.
        assert_eq!(by_node("kind-worker")["scheduler"]["schedulable"], true, "{dump}");
        // Another workload holds host port 2020 on kind-worker2.
        let w2 = by_node("kind-worker2");
        assert_eq!(w2["shouldRun"], true);
        assert_eq!(w2["scheduler"]["schedulable"], false, "{dump}");
        assert_eq!(
            w2["scheduler"]["reasons"][0]["code"], "host-port-conflict",
            "{dump}"
        );
        assert_eq!(by_node("kind-control-plane")["shouldRun"], false);
    }
    // The same dump from standard input, given to both flags.
    let bytes = std::fs::read(fixture("cluster-dump.yaml")).unwrap();
    let o = dslab_stdin(&["plan", "--daemonset", "-", "--nodes", "-"], Some(&bytes));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("desiredNumberScheduled 2"), "{}", stdout(&o));
}

#[test]
fn a_nodes_file_holding_other_kinds_says_what_it_skipped() {
    let (ds, manifest) = (fixture("daemonset.yaml"), fixture("published-netlab.yaml"));
    let o = dslab(&["plan", "--daemonset", &ds, "--nodes", &manifest]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!("error: {manifest}: found no Node; expected Node manifests (kubectl get nodes -o yaml)\n")
    );
}

#[test]
fn files_that_are_not_manifests_yet_get_a_hint() {
    let ds = fixture("daemonset.yaml");
    let cases: &[(&str, Vec<u8>, &str)] = &[
        (
            "a Helm template",
            b"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: {{ .Release.Name }}-agent\n".to_vec(),
            "line 4 holds `{{ … }}`: this looks like a Helm or Go template, not a manifest; render it first, e.g. `helm template NAME CHART > manifest.yaml`",
        ),
        (
            "UTF-16 from PowerShell",
            b"\xFF\xFEa\0p\0i\0".to_vec(),
            "-: found UTF-16LE text (as Windows PowerShell writes `kubectl … > file`); expected UTF-8: save the file as UTF-8",
        ),
        (
            "100,000 nested flow mappings",
            ("{a: ".repeat(100_000) + &"}".repeat(100_000)).into_bytes(),
            "-:1:397: found values nested more than 100 levels deep",
        ),
    ];
    for (name, input, want) in cases {
        let o = dslab_stdin(&["plan", "--daemonset", &ds, "--nodes", "-"], Some(input));
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stderr(&o).contains(want), "{name}: {}", stderr(&o));
    }
}
