//! Table tests of the audit: one named case per finding, per stall cause, and per bad input.

use super::*;
use crate::api::SpecOf;
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
    let c = &mut d.spec_mut().template.spec.as_mut().expect("spec").containers[0];
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
    d.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
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

// The rollout findings (budgets, stalls, the simulated rest of a rollout, what-if).
mod rollout;

#[test]
fn missed_nodes_carry_their_reason_code() {
    let cases: Vec<(&str, DaemonSet, Node, ReasonCode, &str)> = vec![
        (
            "node-selector",
            {
                let mut d = ds();
                d.spec_mut().template.spec.as_mut().unwrap().node_selector =
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
                d.spec_mut().template.spec.as_mut().unwrap().affinity = Some(required_affinity(vec![term(
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
                d.spec_mut().template.spec.as_mut().unwrap().node_name = Some("zz-plain".into());
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
    d.spec_mut().template.spec.as_mut().unwrap().node_selector = Some(map(&[("role", "edge")]));
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
fn table_and_markdown_say_the_same() {
    let mut d = ds();
    d.spec_mut().template.spec.as_mut().unwrap().node_selector = Some(map(&[("os", "linux")]));
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
    odd_ds.spec_mut().template.spec = None;
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
