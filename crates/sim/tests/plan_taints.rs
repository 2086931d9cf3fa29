//! Table tests of the per-node verdict (over real YAML text), taints: effects, the automatic
//! tolerations of DaemonSet pods, cordoned nodes.
//!
//! Every case is named after the Kubernetes behaviour it pins and cites the source file given in
//! `shared/k8s-daemonset-semantics.md` (the § in brackets). Each case asserts, per node, the
//! controller's two answers with their reason codes AND message fragments, and the scheduler's
//! (or, in legacy mode, the controller's) placement verdict with its codes and text.

mod plan_support;

use plan_support::*;

// ---------------------------------------------------------------------------------------------
// §1.2 step 4 / §5: taints and tolerations
// ---------------------------------------------------------------------------------------------

#[test]
fn taint_effects() {
    const SRC: &str = "pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod); staging/src/k8s.io/api/core/v1/toleration.go";
    check_all(vec![
        case(
            "NoSchedule untolerated: shouldRun false, shouldContinueRunning true",
            SRC,
            ds(""),
            tainted("n1", "dedicated", "db", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .keeps(UntoleratedTaint, &[
                "node(s) had untolerated taint {dedicated: db}",
                "dedicated=db:NoSchedule",
                "no new pod; a pod already running there stays",
            ])
]),
        case(
            "NoExecute untolerated: shouldRun false, shouldContinueRunning false",
            SRC,
            ds(""),
            tainted("n1", "dedicated", "db", "NoExecute"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .stops(UntoleratedTaint, &["dedicated=db:NoExecute", "no new pod, and a running pod is evicted"])
]),
        case(
            "PreferNoSchedule untolerated: ignored by the controller and the scheduler's filters",
            SRC,
            ds(""),
            tainted("n1", "soft", "", "PreferNoSchedule"),
        )
        .desired(1)
        .expect(vec![runs("n1").notes(&["soft:PreferNoSchedule is PreferNoSchedule", "controller ignores"])]),
        case(
            "NoSchedule untolerated, NoExecute tolerated: (false, true)",
            SRC,
            ds("tolerations:\n- {key: evict, operator: Exists, effect: NoExecute}"),
            labeled("n1", &[], "taints:\n- {key: evict, effect: NoExecute}\n- {key: block, value: x, effect: NoSchedule}"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["block=x:NoSchedule"])]),
        case(
            "NoSchedule and NoExecute both untolerated: (false, false), both reported",
            SRC,
            ds(""),
            labeled("n1", &[], "taints:\n- {key: a, effect: NoSchedule}\n- {key: b, effect: NoExecute}"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .stops(UntoleratedTaint, &["a:NoSchedule", "b:NoExecute"])
            .codes(&[UntoleratedTaint, UntoleratedTaint])
]),
        case(
            "Equal toleration with the same key, value and effect tolerates",
            SRC,
            ds("tolerations:\n- {key: dedicated, operator: Equal, value: db, effect: NoSchedule}"),
            docs(&[
                tainted("same", "dedicated", "db", "NoSchedule"),
                tainted("other-value", "dedicated", "web", "NoSchedule"),
                tainted("other-effect", "dedicated", "db", "NoExecute"),
            ]),
        )
        .desired(1)
        .expect(vec![
            runs("same"),
            runs("other-value").keeps(UntoleratedTaint, &["dedicated=web:NoSchedule"]),
            runs("other-effect").stops(UntoleratedTaint, &["dedicated=db:NoExecute"]),
        ]),
        case(
            "toleration without operator means Equal; no value equals an empty taint value",
            "staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint (§5)",
            ds("tolerations:\n- {key: gpu, effect: NoSchedule}"),
            docs(&[tainted("empty", "gpu", "", "NoSchedule"), tainted("valued", "gpu", "true", "NoSchedule")]),
        )
        .desired(1)
        .expect(vec![runs("empty"), runs("valued").keeps(UntoleratedTaint, &["gpu=true:NoSchedule"])]),
        case(
            "tolerationSeconds: the controller counts the taint as tolerated (evict/recreate loop noted)",
            "staging/src/k8s.io/api/core/v1/toleration.go; taint-eviction getMinTolerationTime (§5)",
            ds("tolerations:\n- {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 120}"),
            tainted("n1", "maintenance", "", "NoExecute"),
        )
        .desired(1)
        .expect(vec![runs("n1").notes(&["maintenance:NoExecute is tolerated for only 120s", "evict/recreate loop"])]),
        case(
            "operator Exists with an empty key and no effect tolerates every taint",
            "staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint (§5)",
            ds("tolerations:\n- operator: Exists"),
            labeled("n1", &[], "taints:\n- {key: a, value: x, effect: NoSchedule}\n- {key: b, effect: NoExecute}\n- {key: node.kubernetes.io/not-ready, effect: NoSchedule}"),
        )
        .desired(1)
        .expect(vec![runs("n1")]),
        case(
            "operator Exists with an empty key and effect NoSchedule: every NoSchedule taint, no NoExecute one",
            "staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint (§5)",
            ds("tolerations:\n- {operator: Exists, effect: NoSchedule}"),
            docs(&[
                tainted("no-schedule", "anything", "v", "NoSchedule"),
                tainted("no-execute", "anything", "v", "NoExecute"),
            ]),
        )
        .desired(1)
        .expect(vec![
            runs("no-schedule"),
            runs("no-execute").stops(UntoleratedTaint, &["anything=v:NoExecute"]),
        ]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// §2: the tolerations the controller adds
// ---------------------------------------------------------------------------------------------

#[test]
fn automatic_tolerations() {
    const SRC: &str = "pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations";
    let auto = |key: &'static str, effect: &'static str| tainted("n1", key, "", effect);
    let mut cases = Vec::new();
    for (key, effect) in [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ] {
        cases.push(
            case(
                "automatic toleration: every DaemonSet pod tolerates this taint",
                SRC,
                ds(""),
                auto(key, effect),
            )
            .desired(1)
            .expect(vec![runs("n1")]),
        );
    }
    cases.extend([
        case(
            "not-ready:NoSchedule is NOT tolerated automatically: (false, true)",
            "pkg/controller/daemon/util/daemonset_util.go; nodelifecycle/node_lifecycle_controller.go (§2)",
            ds(""),
            auto("node.kubernetes.io/not-ready", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .keeps(UntoleratedTaint, &["node.kubernetes.io/not-ready:NoSchedule"])
]),
        case(
            "unreachable:NoSchedule is NOT tolerated automatically: (false, true)",
            "pkg/controller/daemon/util/daemonset_util.go (§2)",
            ds(""),
            auto("node.kubernetes.io/unreachable", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["node.kubernetes.io/unreachable:NoSchedule"])]),
        case(
            "a real NotReady node (both not-ready taints): plain DS (false, true), not misdeleted",
            "nodelifecycle/node_lifecycle_controller.go NotReadyTaintTemplate + nodeConditionToTaintKeyStatusMap (§2)",
            ds(""),
            labeled("n1", &[], "taints:\n- {key: node.kubernetes.io/not-ready, effect: NoSchedule}\n- {key: node.kubernetes.io/not-ready, effect: NoExecute}"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["node.kubernetes.io/not-ready:NoSchedule"])]),
        case(
            "a real NotReady node with a tolerate-everything DS (kube-proxy style): runs",
            "pkg/controller/daemon/util/daemonset_util.go (§2)",
            ds("tolerations:\n- operator: Exists"),
            labeled("n1", &[], "taints:\n- {key: node.kubernetes.io/not-ready, effect: NoSchedule}\n- {key: node.kubernetes.io/not-ready, effect: NoExecute}"),
        )
        .desired(1)
        .expect(vec![runs("n1")]),
        case(
            "network-unavailable blocks a non-hostNetwork DaemonSet: (false, true)",
            "pkg/controller/daemon/util/daemonset_util.go (hostNetwork only) (§2)",
            ds(""),
            auto("node.kubernetes.io/network-unavailable", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["node.kubernetes.io/network-unavailable:NoSchedule"])]),
        case(
            "network-unavailable is tolerated for a hostNetwork DaemonSet",
            "pkg/controller/daemon/util/daemonset_util.go (§2)",
            ds("hostNetwork: true"),
            auto("node.kubernetes.io/network-unavailable", "NoSchedule"),
        )
        .desired(1)
        .expect(vec![runs("n1")]),
        case(
            "a user not-ready:NoExecute toleration with tolerationSeconds is replaced (loses its seconds, #92960)",
            "pkg/apis/core/v1/helper/helpers.go AddOrUpdateTolerationInPodSpec (§2)",
            ds("tolerations:\n- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}"),
            auto("node.kubernetes.io/not-ready", "NoExecute"),
        )
        .desired(1)
        // no "tolerated for only 30s" note: the automatic toleration replaced the user's
        .expect(vec![runs("n1")]),
    ]);
    check_all(cases);
    // And the replacement really dropped the seconds: no evict/recreate note.
    let p = run_plan(&case(
        "",
        "",
        ds("tolerations:\n- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}"),
        auto("node.kubernetes.io/not-ready", "NoExecute"),
    ));
    assert!(
        p.nodes[0].notes.iter().all(|n| !n.message.contains("30s")),
        "the user's tolerationSeconds must be gone (#92960): {:?}",
        p.nodes[0].notes
    );
}

// ---------------------------------------------------------------------------------------------
// §1.3, §8.3, §9.1: cordoned nodes
// ---------------------------------------------------------------------------------------------

#[test]
fn cordoned_nodes() {
    const SRC: &str = "daemon_controller_test.go ShouldRunDaemonPodOnUnschedulableNode; scheduler plugins/nodeunschedulable";
    check_all(vec![
        case(
            "cordoned node (spec.unschedulable): controller runs the pod and the scheduler binds it",
            SRC,
            ds(""),
            labeled("n1", &[], "unschedulable: true"),
        )
        .desired(1)
        .expect(vec![runs("n1").notes(&["node is cordoned (spec.unschedulable)", "the pod still runs here"])]),
        case(
            "cordoned node as kubectl cordon leaves it (spec.unschedulable + unschedulable taint): still runs",
            SRC,
            ds(""),
            labeled("n1", &[], "unschedulable: true\ntaints:\n- key: node.kubernetes.io/unschedulable\n  effect: NoSchedule\n  timeAdded: \"2024-10-02T09:00:00Z\""),
        )
        .desired(1)
        .expect(vec![runs("n1").bound_by(Binder::Scheduler).notes(&["cordoned"])]),
        case(
            "cordoned node in legacy mode: the old controller ignored spec.unschedulable too",
            "old daemon_controller.go nodeShouldRunDaemonPod (§3.2)",
            ds(""),
            labeled("n1", &[], "unschedulable: true"),
        )
        .legacy()
        .desired(1)
        .expect(vec![runs("n1").bound_by(Binder::DaemonsetController)]),
    ]);
}
