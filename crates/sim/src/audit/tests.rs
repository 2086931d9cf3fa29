//! Table tests of the audit: one named case per finding, per stall cause, and per bad input.

use super::*;
use crate::controller::daemonset::history::template_hash;
use crate::testutil::{daemonset, map, node, required_affinity, requirement, term};
use crate::words::ReasonCode;
use k8s_openapi::api::apps::v1::{DaemonSetStatus, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Node, NodeStatus, PodCondition, PodSpec, PodStatus, ResourceRequirements, Taint,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const DS: &str = "agent";

/// (case, DaemonSet, pods, reason code, words the message holds).
type PendingCase = (&'static str, DaemonSet, Vec<Pod>, ReasonCode, Vec<&'static str>);
/// (case, DaemonSet, nodes, pods, stall codes).
type StallCase = (&'static str, DaemonSet, Vec<Node>, Vec<Pod>, Vec<&'static str>);

fn taint(key: &str, effect: &str) -> Taint {
    Taint {
        key: key.into(),
        effect: effect.into(),
        ..Default::default()
    }
}

/// A node with allocatable cpu and pods (None: no status).
fn sized(name: &str, cpu: &str, pods: &str) -> Node {
    let mut n = node(name, &[], vec![]);
    n.status = Some(NodeStatus {
        allocatable: Some(
            [("cpu", cpu), ("memory", "8Gi"), ("pods", pods)]
                .iter()
                .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                .collect(),
        ),
        ..Default::default()
    });
    n
}

/// The test DaemonSet at template generation 2, with optional cpu request and host port.
fn ds_with(cpu: Option<&str>, host_port: Option<i32>) -> DaemonSet {
    let mut d = daemonset(DS, &[], vec![]);
    d.metadata.annotations = Some(map(&[("deprecated.daemonset.template.generation", "2")]));
    d.metadata.generation = Some(2);
    let c = &mut d.spec.template.spec.as_mut().expect("spec").containers[0];
    if let Some(cpu) = cpu {
        c.resources = Some(ResourceRequirements {
            requests: Some([("cpu".to_string(), Quantity(cpu.into()))].into()),
            ..Default::default()
        });
    }
    if let Some(p) = host_port {
        c.ports = Some(vec![ContainerPort {
            container_port: p,
            host_port: Some(p),
            ..Default::default()
        }]);
    }
    d
}

fn ds() -> DaemonSet {
    ds_with(None, None)
}

fn strategy(d: &mut DaemonSet, unavailable: i32, surge: i32) {
    d.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::Int(unavailable)),
            max_surge: Some(IntOrString::Int(surge)),
        }),
    });
}

/// A pod of the DaemonSet on `node`: labels app, pod-template-generation and
/// controller-revision-hash (each when given), Running and Ready as asked.
fn own(name: &str, node_name: &str, generation: Option<&str>, hash: Option<&str>, ready: bool) -> Pod {
    let mut labels = map(&[("app", DS)]);
    if let Some(g) = generation {
        labels.insert("pod-template-generation".into(), g.into());
    }
    if let Some(h) = hash {
        labels.insert("controller-revision-hash".into(), h.into());
    }
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("kube-system".into()),
            labels: Some(labels),
            owner_references: Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "DaemonSet".into(),
                name: DS.into(),
                uid: "uid-agent".into(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: Some(node_name.into()),
            containers: vec![Container {
                name: DS.into(),
                image: Some("example/agent:1".into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: if ready { "True" } else { "False" }.into(),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
}

/// `pod` with its container asking `cpu`.
fn asking(mut pod: Pod, cpu: &str) -> Pod {
    pod.spec.as_mut().expect("spec").containers[0].resources = Some(ResourceRequirements {
        requests: Some([("cpu".to_string(), Quantity(cpu.into()))].into()),
        ..Default::default()
    });
    pod
}

/// A current pod (generation 2) that is Ready.
fn current(name: &str, node_name: &str) -> Pod {
    own(name, node_name, Some("2"), Some("newhash"), true)
}

/// Another workload's pod on `node` asking `cpu` and holding `host_port`.
fn other(name: &str, node_name: &str, cpu: &str, host_port: Option<i32>) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("shop".into()),
            labels: Some(map(&[("app", "web")])),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: Some(node_name.into()),
            containers: vec![Container {
                name: "web".into(),
                resources: Some(ResourceRequirements {
                    requests: Some([("cpu".to_string(), Quantity(cpu.into()))].into()),
                    ..Default::default()
                }),
                ports: host_port.map(|p| {
                    vec![ContainerPort {
                        container_port: p,
                        host_port: Some(p),
                        ..Default::default()
                    }]
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            ..Default::default()
        }),
    }
}

fn run_audit(daemonsets: Vec<DaemonSet>, nodes: Vec<Node>, pods: Vec<Pod>) -> DaemonSetAudit {
    let m = Manifests {
        daemonsets,
        nodes,
        pods,
        ..Default::default()
    };
    let mut r = audit(m).expect("audits");
    r.daemonsets.remove(0)
}

#[test]
fn missed_nodes_carry_their_reason_code() {
    let cases: Vec<(&str, DaemonSet, Node, ReasonCode, &str)> = vec![
        (
            "node-selector",
            {
                let mut d = ds();
                d.spec.template.spec.as_mut().unwrap().node_selector =
                    Some(map(&[("kubernetes.io/os", "linux")]));
                d
            },
            node("win", &[("kubernetes.io/os", "windows")], vec![]),
            ReasonCode::NodeSelector,
            "kubernetes.io/os",
        ),
        (
            "node-affinity",
            {
                let mut d = ds();
                d.spec.template.spec.as_mut().unwrap().affinity = Some(required_affinity(vec![term(
                    vec![requirement("pool", "In", &["gpu"])],
                    vec![],
                )]));
                d
            },
            node("cpu-1", &[("pool", "cpu")], vec![]),
            ReasonCode::NodeAffinity,
            "pool",
        ),
        (
            "untolerated-taint, with the taint",
            ds(),
            node("tainted", &[], vec![taint("dedicated", "NoSchedule")]),
            ReasonCode::UntoleratedTaint,
            "dedicated",
        ),
        (
            "node-name-mismatch",
            {
                let mut d = ds();
                d.spec.template.spec.as_mut().unwrap().node_name = Some("zz-plain".into());
                d
            },
            node("here", &[], vec![]),
            ReasonCode::NodeNameMismatch,
            "zz-plain",
        ),
    ];
    for (name, d, n, code, mentions) in cases {
        let a = run_audit(
            vec![d],
            vec![
                n,
                node(
                    "zz-plain",
                    &[("kubernetes.io/os", "linux"), ("pool", "gpu")],
                    vec![],
                ),
            ],
            vec![],
        );
        assert_eq!(a.missed.len(), 1, "{name}: {:?}", a.missed);
        assert_eq!(a.missed[0].reasons[0].code, code, "{name}");
        assert!(
            a.missed[0].reasons[0].message.contains(mentions),
            "{name}: {}",
            a.missed[0].reasons[0].message
        );
        assert_eq!(a.missed_by_reason, vec![ReasonCount { code, count: 1 }], "{name}");
        assert_eq!(a.desired_number_scheduled, 1, "{name}: the plain node");
    }
}

#[test]
fn pending_nodes_say_what_does_not_fit() {
    let cases: Vec<PendingCase> = vec![
        (
            "resources, with the numbers",
            ds_with(Some("200m"), None),
            vec![other("web-1", "n1", "900m", None)],
            ReasonCode::InsufficientResources,
            vec!["Insufficient cpu", "200m", "900m"],
        ),
        (
            "host port, with the pod holding it",
            ds_with(None, Some(9100)),
            vec![other("web-1", "n1", "10m", Some(9100))],
            ReasonCode::HostPortConflict,
            vec!["9100", "web-1"],
        ),
    ];
    for (name, d, pods, code, mentions) in cases {
        let a = run_audit(vec![d], vec![sized("n1", "1", "110")], pods);
        assert_eq!(a.pending.len(), 1, "{name}");
        let r = &a.pending[0].reasons[0];
        assert_eq!(r.code, code, "{name}");
        for m in mentions {
            assert!(r.message.contains(m), "{name}: {m:?} in {}", r.message);
        }
        assert_eq!(
            a.missing,
            vec![MissingNode { node: "n1".into() }],
            "{name}: no pod either"
        );
    }
    // A DaemonSet pod already running there is not pending, even if a new one would not fit.
    let a = run_audit(
        vec![ds_with(Some("200m"), None)],
        vec![sized("n1", "1", "110")],
        vec![other("web-1", "n1", "900m", None), current("agent-1", "n1")],
    );
    assert!(a.pending.is_empty() && a.missing.is_empty(), "{a:?}");
}

#[test]
fn missing_nodes_are_desired_nodes_without_a_pod() {
    let a = run_audit(
        vec![ds()],
        vec![
            node("b", &[], vec![]),
            node("a", &[], vec![]),
            node("c", &[], vec![]),
        ],
        vec![current("agent-b", "b")],
    );
    let names: Vec<&str> = a.missing.iter().map(|m| m.node.as_str()).collect();
    assert_eq!(names, ["a", "c"], "sorted by name");
    assert_eq!(a.computed.current_number_scheduled, 1);
}

#[test]
fn misscheduled_pods_say_whether_the_controller_deletes_them() {
    let cases = [
        ("NoExecute taint: deleted", taint("evict", "NoExecute"), true),
        ("NoSchedule taint: stays", taint("quiet", "NoSchedule"), false),
    ];
    for (name, t, deleted) in cases {
        let a = run_audit(
            vec![ds()],
            vec![node("n1", &[], vec![t])],
            vec![current("agent-1", "n1")],
        );
        assert_eq!(
            a.misscheduled,
            vec![Misscheduled {
                pod: "kube-system/agent-1".into(),
                node: "n1".into(),
                will_be_deleted: deleted
            }],
            "{name}"
        );
        assert_eq!(a.computed.number_misscheduled, 1, "{name}");
    }
    // A selector that no longer matches: deleted.
    let mut d = ds();
    d.spec.template.spec.as_mut().unwrap().node_selector = Some(map(&[("role", "edge")]));
    let a = run_audit(
        vec![d],
        vec![node("n1", &[], vec![])],
        vec![current("agent-1", "n1")],
    );
    assert!(a.misscheduled[0].will_be_deleted, "selector mismatch");
}

#[test]
fn outdated_pods_by_generation_label_and_by_hash() {
    let nodes = || {
        vec![
            node("n1", &[], vec![]),
            node("n2", &[], vec![]),
            node("n3", &[], vec![]),
        ]
    };
    // (case, DaemonSet, pods, outdated pod names)
    let no_annotation = || {
        let mut d = ds();
        d.metadata.annotations = None;
        d
    };
    let sim_hash = template_hash(&no_annotation());
    let cases: Vec<(&str, DaemonSet, Vec<Pod>, Vec<&str>)> = vec![
        (
            "by generation: label 1 is old, label 2 current",
            ds(),
            vec![
                own("p1", "n1", Some("1"), None, true),
                own("p2", "n2", Some("2"), None, true),
                own("p3", "n3", Some("1"), None, true),
            ],
            vec!["kube-system/p1", "kube-system/p3"],
        ),
        (
            "by hash: the hash carried by current-generation pods is current",
            ds(),
            vec![
                own("p1", "n1", Some("2"), Some("newhash"), true),
                own("p2", "n2", None, Some("newhash"), true),
                own("p3", "n3", None, Some("oldhash"), true),
            ],
            vec!["kube-system/p3"],
        ),
        (
            "by hash: without the annotation, this crate's template hash",
            no_annotation(),
            vec![
                own("p1", "n1", None, Some(&sim_hash), true),
                own("p2", "n2", Some("2"), Some("oldhash"), true),
            ],
            vec!["kube-system/p2"],
        ),
        (
            "neither known: nothing is called outdated",
            no_annotation(),
            vec![own("p1", "n1", Some("1"), Some("oldhash"), true)],
            vec![],
        ),
    ];
    for (name, d, pods, want) in cases {
        let a = run_audit(vec![d], nodes(), pods);
        let got: Vec<&str> = a.outdated.iter().map(|o| o.pod.as_str()).collect();
        assert_eq!(got, want, "{name}");
        assert_eq!(a.rollout.outdated, want.len(), "{name}");
    }
}

fn stall_codes(a: &DaemonSetAudit) -> Vec<&str> {
    a.rollout.stalls.iter().map(|s| s.code.as_str()).collect()
}

#[test]
fn rollout_stall_causes() {
    let two = || vec![node("n1", &[], vec![]), node("n2", &[], vec![])];
    let surge = |d: DaemonSet| {
        let mut d = d;
        strategy(&mut d, 0, 1);
        d
    };
    let old = |name: &str, n: &str| own(name, n, Some("1"), Some("oldhash"), true);
    let cases: Vec<StallCase> = vec![
        (
            "maxSurge with a hostPort",
            surge(ds_with(None, Some(9100))),
            two(),
            vec![old("p1", "n1"), old("p2", "n2")],
            vec!["surge-with-host-port"],
        ),
        (
            "maxUnavailable 0 with unavailable new pods holding the surge budget",
            surge(ds()),
            two(),
            vec![
                old("p1", "n1"),
                own("p1-new", "n1", Some("2"), None, false),
                old("p2", "n2"),
            ],
            vec!["max-unavailable-zero-with-unavailable-pods"],
        ),
        (
            "no room for a surge pod beside the old one",
            surge(ds_with(Some("600m"), None)),
            vec![sized("n1", "1", "110"), sized("n2", "4", "110")],
            vec![asking(old("p1", "n1"), "600m"), asking(old("p2", "n2"), "600m")],
            vec!["no-room-for-surge"],
        ),
        (
            "a node without an available pod uses up maxUnavailable 1",
            ds(),
            vec![
                node("n1", &[], vec![]),
                node("n2", &[], vec![]),
                node("n3", &[], vec![]),
            ],
            vec![
                own("p1", "n1", Some("2"), None, false),
                old("p2", "n2"),
                old("p3", "n3"),
            ],
            vec!["unavailable-budget-used-up"],
        ),
        (
            "an old pod that is not Ready uses up maxUnavailable 1 too",
            ds(),
            vec![
                node("n1", &[], vec![]),
                node("n2", &[], vec![]),
                node("n3", &[], vec![]),
            ],
            vec![
                own("p1", "n1", Some("1"), None, false),
                old("p2", "n2"),
                old("p3", "n3"),
            ],
            vec!["unavailable-budget-used-up"],
        ),
        (
            "maxUnavailable 2 leaves room for one more",
            {
                let mut d = ds();
                strategy(&mut d, 2, 0);
                d
            },
            vec![
                node("n1", &[], vec![]),
                node("n2", &[], vec![]),
                node("n3", &[], vec![]),
            ],
            vec![
                own("p1", "n1", Some("1"), None, false),
                old("p2", "n2"),
                old("p3", "n3"),
            ],
            vec![],
        ),
        (
            "OnDelete waits for deletions",
            {
                let mut d = ds();
                d.spec.update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("OnDelete".into()),
                    rolling_update: None,
                });
                d
            },
            two(),
            vec![old("p1", "n1"), current("p2", "n2")],
            vec!["on-delete"],
        ),
        (
            "a healthy rolling update does not stall",
            ds(),
            two(),
            vec![old("p1", "n1"), current("p2", "n2")],
            vec![],
        ),
    ];
    for (name, d, nodes, pods, want) in cases {
        let a = run_audit(vec![d], nodes, pods);
        assert_eq!(stall_codes(&a), want, "{name}: {:?}", a.rollout.stalls);
    }
}

#[test]
fn budgets_resolve_against_desired() {
    let mut d = ds();
    d.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::String("50%".into())),
            max_surge: None,
        }),
    });
    let nodes = (1..=3).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let a = run_audit(vec![d], nodes, vec![]);
    let u = a.rollout.max_unavailable.expect("rolling");
    assert_eq!(
        (u.value.as_str(), u.resolved),
        ("50%", 2),
        "3 nodes & 50% → 2 (rounded up, §7.2)"
    );
    let s = a.rollout.max_surge.expect("rolling");
    assert_eq!((s.value.as_str(), s.resolved), ("0", 0), "default maxSurge");
}

#[test]
fn status_is_compared_with_the_rules() {
    let mut d = ds();
    d.status = Some(DaemonSetStatus {
        desired_number_scheduled: 3,
        current_number_scheduled: 1,
        number_ready: 1,
        number_misscheduled: 0,
        updated_number_scheduled: Some(1),
        number_available: Some(1),
        observed_generation: Some(1),
        ..Default::default()
    });
    let a = run_audit(
        vec![d],
        vec![node("n1", &[], vec![]), node("n2", &[], vec![])],
        vec![current("p1", "n1")],
    );
    let fields: Vec<(&str, i64, i64)> = a
        .status_differences
        .iter()
        .map(|d| (d.field.as_str(), d.computed, d.reported))
        .collect();
    assert_eq!(
        fields,
        [("desiredNumberScheduled", 2, 3), ("observedGeneration", 2, 1)]
    );
    // Without a status: nothing compared, and said so.
    let a = run_audit(vec![ds()], vec![node("n1", &[], vec![])], vec![]);
    assert!(a.reported.is_none() && a.status_differences.is_empty());
    assert!(a.notes.iter().any(|n| n.contains("no status")), "{:?}", a.notes);
}

#[test]
fn bad_dumps_get_a_message_not_a_panic() {
    let none = audit(Manifests {
        daemonsets: vec![ds()],
        ..Default::default()
    });
    assert_eq!(none, Err(AuditError::NoNodes));
    assert!(AuditError::NoNodes.to_string().contains("found no Node"));
    let none = audit(Manifests {
        nodes: vec![node("n1", &[], vec![])],
        ..Default::default()
    });
    assert_eq!(none, Err(AuditError::NoDaemonSets));
    // Pods of a DaemonSet that is not in the dump: a note, the rest is audited.
    let mut stray = current("ghost-1", "n1");
    stray.metadata.owner_references.as_mut().unwrap()[0].name = "ghost".into();
    stray.metadata.labels = Some(map(&[("app", "ghost")]));
    let r = audit(Manifests {
        daemonsets: vec![ds()],
        nodes: vec![node("n1", &[], vec![])],
        pods: vec![stray],
        ..Default::default()
    })
    .expect("audits");
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("kube-system/ghost") && n.contains("not in the dump")),
        "{:?}",
        r.notes
    );
    // A pod for a node the dump does not hold: said on the DaemonSet.
    let r = run_audit(
        vec![ds()],
        vec![node("n1", &[], vec![])],
        vec![current("p9", "gone-node")],
    );
    assert!(r.notes.iter().any(|n| n.contains("gone-node")), "{:?}", r.notes);
}

#[test]
fn lists_are_sorted_and_the_report_is_deterministic() {
    let nodes: Vec<Node> = ["c", "a", "b"]
        .iter()
        .map(|n| node(n, &[], vec![taint("x", "NoExecute")]))
        .collect();
    let pods = vec![current("p-c", "c"), current("p-a", "a")];
    let make = || {
        audit(Manifests {
            daemonsets: vec![ds()],
            nodes: nodes.clone(),
            pods: pods.clone(),
            ..Default::default()
        })
        .expect("audits")
    };
    let r = make();
    let a = &r.daemonsets[0];
    let missed: Vec<&str> = a.missed.iter().map(|m| m.node.as_str()).collect();
    assert_eq!(missed, ["a", "b", "c"]);
    let mis: Vec<&str> = a.misscheduled.iter().map(|m| m.pod.as_str()).collect();
    assert_eq!(mis, ["kube-system/p-a", "kube-system/p-c"]);
    assert_eq!(format::json(&r), format::json(&make()), "same dump, same bytes");
}

#[test]
fn json_has_the_documented_shape() {
    let r = audit(Manifests {
        daemonsets: vec![ds()],
        nodes: vec![node("n1", &[], vec![])],
        ..Default::default()
    })
    .expect("audits");
    let v: serde_json::Value = serde_json::from_str(&format::json(&r)).expect("json");
    for key in ["daemonsets", "skipped", "summary", "notes", "nodes", "pods"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let d = &v["daemonsets"][0];
    for key in [
        "daemonset",
        "desiredNumberScheduled",
        "missed",
        "pending",
        "missing",
        "misscheduled",
        "outdated",
        "rollout",
        "computed",
        "reported",
        "statusDifferences",
        "missedByReason",
    ] {
        assert!(d.get(key).is_some(), "{key}");
    }
    assert_eq!(d["daemonset"], "kube-system/agent");
    assert_eq!(d["missing"][0]["node"], "n1");
    for key in [
        "strategy",
        "maxUnavailable",
        "maxSurge",
        "stalls",
        "revision",
        "complete",
    ] {
        assert!(d["rollout"].get(key).is_some(), "rollout.{key}");
    }
}

#[test]
fn strategy_overrides_parse() {
    let ok = parse_strategy("maxSurge=1, maxUnavailable=0,minReadySeconds=30").expect("parses");
    assert_eq!(ok.max_surge, Some(IntOrString::Int(1)));
    assert_eq!(ok.max_unavailable, Some(IntOrString::Int(0)));
    assert_eq!(ok.min_ready_seconds, Some(30));
    assert_eq!(
        parse_strategy("maxUnavailable=25%")
            .expect("percent")
            .max_unavailable,
        Some(IntOrString::String("25%".into()))
    );
    let bad = [
        ("", "at least one"),
        ("maxSurge", "NAME=VALUE"),
        ("maxSurge=-1", "0 or more"),
        ("maxSurge=150%", "0% to 100%"),
        ("replicas=3", "expected maxUnavailable"),
        ("minReadySeconds=soon", "whole number"),
    ];
    for (text, says) in bad {
        let e = parse_strategy(text).expect_err(text);
        assert!(e.contains(says), "{text}: {e}");
    }
}

/// Three nodes, every pod outdated: maxUnavailable 1 replaces them one at a time; the what-if
/// maxSurge 1 / maxUnavailable 0 never has a node without an available pod.
#[test]
fn what_if_compares_strategies() {
    let nodes: Vec<Node> = (1..=3).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let pods: Vec<Pod> = (1..=3)
        .map(|i| {
            own(
                &format!("p{i}"),
                &format!("n{i}"),
                Some("1"),
                Some("oldhash"),
                true,
            )
        })
        .collect();
    let d = ds();
    let now = simulate_rollout(&d, &nodes, &pods, None).expect("simulates");
    assert!(now.finished, "{now:?}");
    assert_eq!(now.pods_to_replace, 3);
    assert_eq!((now.peak_unavailable, now.peak_surge), (1, 0));
    let last = now.points.last().expect("points");
    assert_eq!((last.updated, last.unavailable), (3, 0));
    let surge = parse_strategy("maxSurge=1,maxUnavailable=0").expect("parses");
    let what_if = simulate_rollout(&d, &nodes, &pods, Some(&surge)).expect("simulates");
    assert!(what_if.finished, "{what_if:?}");
    // One surge pod at a time; a node counts as unavailable only while its old pod terminates
    // (the status reads the oldest pod, §6.6), never while the new one pulls.
    assert_eq!(what_if.peak_surge, 1);
    assert!(what_if
        .points
        .iter()
        .all(|p| p.unavailable == 0 || p.surge == 1 || p.updated > 0));
    assert!(what_if.duration_seconds.is_some() && now.duration_seconds.is_some());
    // Times only grow, and the first point is the start.
    assert_eq!(what_if.points[0].time, 0);
    assert!(what_if.points.windows(2).all(|w| w[0].time <= w[1].time));
    assert!(
        what_if.duration_seconds < now.duration_seconds,
        "surge is faster here"
    );
    // A strategy the API server rejects is refused, not simulated.
    let both = parse_strategy("maxSurge=1").expect("parses");
    let e = simulate_rollout(&d, &nodes, &pods, Some(&both)).expect_err("maxUnavailable 1 stays");
    assert!(e.contains("exactly one"), "{e}");
    // Through the audit: both series, with their points.
    let r = audit_with(
        Manifests {
            daemonsets: vec![d],
            nodes,
            pods,
            ..Default::default()
        },
        Some(&surge),
    )
    .expect("audits");
    let rollout = &r.daemonsets[0].rollout;
    assert_eq!(rollout.what_if.as_ref().map(|w| w.peak_surge), Some(1));
    assert!(rollout.simulated.as_ref().is_some_and(|s| !s.points.is_empty()));
}

#[test]
fn the_audit_estimates_the_rest_of_a_rollout() {
    let nodes: Vec<Node> = (1..=4).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let pods = vec![
        own("p1", "n1", Some("1"), None, true),
        own("p2", "n2", Some("1"), None, true),
        current("p3", "n3"),
        current("p4", "n4"),
    ];
    let a = run_audit(vec![ds()], nodes, pods);
    let sim = a.rollout.simulated.as_ref().expect("outdated pods: simulated");
    assert_eq!(sim.pods_to_replace, 2);
    assert!(
        sim.finished && sim.duration_seconds.is_some_and(|d| d > 0),
        "{sim:?}"
    );
    assert!(sim.points.is_empty(), "the audit keeps only the figures");
    assert!(sim.assumptions.iter().any(|x| x.contains("pulls the new image")));
    assert!(!a.rollout.complete);
}

#[test]
fn table_and_markdown_say_the_same() {
    let mut d = ds();
    d.spec.template.spec.as_mut().unwrap().node_selector = Some(map(&[("os", "linux")]));
    let r = audit(Manifests {
        daemonsets: vec![d],
        nodes: vec![
            node("win", &[("os", "windows")], vec![]),
            node("lin", &[("os", "linux")], vec![]),
        ],
        pods: vec![current("p-win", "win")],
        ..Default::default()
    })
    .expect("audits");
    let t = format::table(&r);
    let md = format::markdown(&r);
    for text in [&t, &md] {
        for says in [
            "kube-system/agent",
            "node-selector",
            "win",
            "lin",
            "kube-system/p-win",
            "RollingUpdate",
        ] {
            assert!(text.contains(says), "{says:?} in\n{text}");
        }
    }
    assert!(md.starts_with("# DaemonSet audit"));
}

#[test]
fn an_on_delete_daemonset_does_not_roll_unless_asked() {
    let nodes: Vec<Node> = (1..=2).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let pods: Vec<Pod> = (1..=2)
        .map(|i| own(&format!("p{i}"), &format!("n{i}"), Some("1"), None, true))
        .collect();
    let mut d = ds();
    d.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some("OnDelete".into()),
        rolling_update: None,
    });
    let kept = simulate_rollout(&d, &nodes, &pods, None).expect("simulates");
    assert!(!kept.finished && kept.duration_seconds.is_none(), "{kept:?}");
    assert_eq!(kept.updated_at_end, 0);
    assert!(kept.assumptions.iter().any(|a| a.contains("OnDelete")));
    let asked = parse_strategy("maxUnavailable=1").expect("parses");
    let rolled = simulate_rollout(&d, &nodes, &pods, Some(&asked)).expect("simulates");
    assert!(rolled.finished, "{rolled:?}");
    assert!(rolled
        .assumptions
        .iter()
        .any(|a| a.contains("switches it to RollingUpdate")));
}

/// Objects a real dump should not hold but a hand-made one may: no panic, a report.
#[test]
fn odd_objects_do_not_panic() {
    let bare_pod = Pod::default();
    let mut no_spec = current("no-spec", "n1");
    no_spec.spec = None;
    let mut empty_node_name = current("empty-node", "");
    empty_node_name.status = None;
    let mut failed = current("failed", "n1");
    failed.status.as_mut().unwrap().phase = Some("Failed".into());
    let mut terminating = current("terminating", "n1");
    terminating.metadata.deletion_timestamp = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
        "2026-12-01T10:00:00Z".parse().expect("time"),
    ));
    let mut odd_ds = ds();
    odd_ds.metadata.annotations = Some(map(&[("deprecated.daemonset.template.generation", "two")]));
    odd_ds.spec.template.spec = None;
    let mut nameless = node("", &[], vec![]);
    nameless.metadata.name = None;
    let pods = vec![bare_pod, no_spec, empty_node_name, failed, terminating];
    for d in [ds(), odd_ds] {
        let r = audit_with(
            Manifests {
                daemonsets: vec![d.clone(), d],
                nodes: vec![node("n1", &[], vec![]), nameless.clone()],
                pods: pods.clone(),
                ..Default::default()
            },
            Some(&parse_strategy("maxUnavailable=50%").expect("parses")),
        )
        .expect("audits");
        let _ = (format::table(&r), format::markdown(&r), format::json(&r));
    }
}
