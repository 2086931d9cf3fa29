//! Scenario tests (issue 3), pods and the DaemonSet itself: crashes and deletes, deleting the
//! DaemonSet, determinism and the two scheduling modes.
//!
//! Every test walks all steps through `support::check_invariants` (status arithmetic, at most
//! two DaemonSet pods per node, never two live pods of one revision on a node, and the
//! maxUnavailable budget during no-surge rollouts), then asserts the key steps and the final
//! state against `shared/k8s-daemonset-semantics.md`.
mod support;

use dslab_sim::cluster::Actor;
use support::*;

// ---------------------------------------------------------------------------------------------
// Pods (§8.6, §8.7)

#[test]
fn crash_pod_restarts_in_place_at_once() {
    let t = Sc::new(1)
        .event("{at: 10, action: crash-pod, node: worker-1}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let before = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-1")[0].name.clone();
    assert_eq!(t.steps[e].object, format!("pod/{before}"));
    let restarts = steps_of(&t, Actor::Kubelet, "restart");
    assert_eq!(restarts.len(), 1, "{}", dump(&t));
    assert_eq!(restarts[0].time, 10, "the first restart is not delayed");
    assert!(
        restarts[0].message.contains("restart count 1"),
        "{}",
        restarts[0].message
    );
    assert!(
        !after(&t, e).any(|s| s.actor == Actor::DaemonsetController),
        "the controller does nothing on a container crash\n{}",
        dump(&t)
    );
    let p = live_pod_on(&t, "worker-1").unwrap();
    assert_eq!((p.name.as_str(), p.restarts, p.ready), (before.as_str(), 1, true));
}

fn waits(t: &dslab_sim::Timeline) -> Vec<u64> {
    steps_of(t, Actor::Kubelet, "backoff")
        .iter()
        .map(|s| {
            let m = &s.message;
            let i = m.find("waiting ").expect("waiting N s") + "waiting ".len();
            m[i..].split('s').next().unwrap().parse().unwrap()
        })
        .collect()
}

#[test]
fn crash_loop_backoff_doubles_from_10_to_300() {
    let t = Sc::new(1)
        .event("{at: 10, action: update-template, image: \"agent:broken\", outcome: crash-loop}")
        .until(2500)
        .run();
    check_invariants(&t, Budget::default());
    let w = waits(&t);
    assert!(w.len() >= 8, "{w:?}\n{}", dump(&t));
    assert_eq!(&w[..8], &[10, 20, 40, 80, 160, 300, 300, 300], "{w:?}");
    // Restart times: the first at once after the first crash, then crash time + delay.
    let crashes: Vec<u64> = steps_of(&t, Actor::Kubelet, "crash")
        .iter()
        .chain(steps_of(&t, Actor::Kubelet, "backoff").iter())
        .map(|s| s.time)
        .collect();
    let restarts: Vec<u64> = steps_of(&t, Actor::Kubelet, "restart")
        .iter()
        .map(|s| s.time)
        .collect();
    let mut crashes = crashes;
    crashes.sort();
    let delays: Vec<u64> = crashes.iter().zip(&restarts).map(|(c, r)| r - c).collect();
    assert_eq!(
        &delays[..6],
        &[0, 10, 20, 40, 80, 160],
        "crashes {crashes:?} restarts {restarts:?}"
    );
    let p = ds_pods(&t.final_view)[0].clone();
    assert_eq!(p.image, "agent:broken");
    assert!(p.restarts >= 8);
    assert!(!p.ready);
    // One pod throughout: the DaemonSet controller never replaces a crash-looping pod.
    assert_eq!(count(&t, Actor::DaemonsetController, "create"), 2);
    assert!(t
        .steps
        .iter()
        .any(|s| s.message.contains("Back-off restarting failed container")));
    assert!(!t.settled);
}

#[test]
fn delete_pod_is_replaced_with_the_current_template() {
    let t = Sc::new(2)
        .event("{at: 10, action: delete-pod, node: worker-1}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let before = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-1")[0].name.clone();
    assert_eq!(
        t.steps[e].message,
        format!("kubectl delete pod {before} -n default")
    );
    // Non-surge: no replacement while the old pod is terminating (§6.3, §8.7).
    let gone = t
        .steps
        .iter()
        .position(|s| s.action == "removed" && s.object == format!("pod/{before}"))
        .expect("old pod removed");
    let create = t
        .steps
        .iter()
        .position(|s| s.action == "create" && s.node.as_deref() == Some("worker-1") && s.time >= 10)
        .expect("replacement created");
    assert!(
        create > gone,
        "replacement created while the old pod was terminating\n{}",
        dump(&t)
    );
    let p = live_pod_on(&t, "worker-1").unwrap();
    assert_ne!(p.name, before);
    assert_eq!(
        (p.revision, p.image.as_str(), p.phase.as_str()),
        (Some(1), "agent:1", "Running")
    );
}

// ---------------------------------------------------------------------------------------------
// Deleting the DaemonSet (§8.8)

#[test]
fn delete_daemonset_background_garbage_collects_pods_and_revisions() {
    let t = Sc::new(2)
        .event("{at: 10, action: delete-daemonset, cascade: background}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    assert!(
        t.steps[e].status.is_none(),
        "no status once the DaemonSet is gone"
    );
    let gc = steps_of(&t, Actor::GarbageCollector, "delete");
    assert_eq!(
        gc.iter().filter(|s| s.object.starts_with("pod/")).count(),
        2,
        "{}",
        dump(&t)
    );
    assert_eq!(
        gc.iter()
            .filter(|s| s.object.starts_with("controllerrevision/"))
            .count(),
        1
    );
    assert!(!after(&t, e).any(|s| s.actor == Actor::DaemonsetController));
    assert!(t.final_view.pods.is_empty(), "{:?}", t.final_view.pods);
    assert!(t.revisions.is_empty());
    assert!(t.final_view.daemonsets[0].deleted);
    assert!(t.settled);
}

#[test]
fn delete_daemonset_orphan_leaves_pods_running_without_owner() {
    let t = Sc::new(2)
        .event("{at: 10, action: delete-daemonset, cascade: orphan}")
        .run();
    let e = event_step(&t, 0);
    let names: Vec<dslab_sim::text::Text> = ds_pods(&t.cluster_at(Some(e - 1)))
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert!(
        t.steps[e]
            .message
            .contains("its 2 pods keep running without an owner"),
        "{}",
        t.steps[e].message
    );
    assert_eq!(
        t.steps.len(),
        e + 1,
        "nothing happens after an orphan delete\n{}",
        dump(&t)
    );
    assert_eq!(t.final_view.pods.len(), 2);
    for p in &t.final_view.pods {
        assert!(names.contains(&p.name));
        assert_eq!(
            (p.owner.as_deref(), p.phase.as_str(), p.ready),
            (None, "Running", true)
        );
    }
    assert!(t.revisions.iter().all(|r| r.daemonset.is_none()));
}

// ---------------------------------------------------------------------------------------------
// Determinism and modes

#[test]
fn same_scenario_same_json_byte_for_byte() {
    let yaml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/node-join.yaml"
    ))
    .unwrap();
    let a = dslab_sim::simulate::report::json(&run_yaml(&yaml));
    let b = dslab_sim::simulate::report::json(&run_yaml(&yaml));
    assert_eq!(a, b);
    let sc = Sc::new(6)
        .strategy("0", "2")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .event("{action: drain, node: worker-3}")
        .event("{action: crash-pod, node: worker-1}")
        .event("{action: rollout-undo}");
    let a = dslab_sim::simulate::report::json(&sc.run());
    let b = dslab_sim::simulate::report::json(&sc.run());
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert!(v["steps"].as_array().unwrap().len() > 20);
}

const FULL_NODE: &str =
    "{apiVersion: v1, kind: Node, metadata: {name: small}, status: {allocatable: {cpu: 100m, memory: 1Gi, pods: \"110\"}}}";

#[test]
fn legacy_mode_bypasses_the_scheduler_and_reports_failed_placement() {
    let t = Sc::new(2)
        .legacy()
        .with_node(FULL_NODE)
        .container("resources: {requests: {cpu: 500m}}")
        .run();
    check_invariants(&t, Budget::default());
    assert_eq!(
        count(&t, Actor::Scheduler, "bind") + count(&t, Actor::Scheduler, "failed-scheduling"),
        0
    );
    assert!(
        t.steps.iter().all(|s| s.actor != Actor::Scheduler),
        "{}",
        dump(&t)
    );
    let creates = steps_of(&t, Actor::DaemonsetController, "create");
    assert_eq!(creates.len(), 2, "{}", dump(&t));
    for c in &creates {
        assert!(c.message.contains("with spec.nodeName"), "{}", c.message);
    }
    let fp = steps_of(&t, Actor::DaemonsetController, "failed-placement");
    assert_eq!(fp.len(), 1, "{}", dump(&t));
    assert_eq!(fp[0].node.as_deref(), Some("small"));
    assert!(fp[0].message.contains("small"), "{}", fp[0].message);
    assert!(ds_pods_on(&t.final_view, "small").is_empty());
    // The legacy controller still counts the node as desired (only shouldSchedule is false).
    assert_eq!(counts(&status(&t)), (3, 2, 2, 2, 2, 1, 0));
}

#[test]
fn current_mode_creates_the_pod_and_the_scheduler_reports_failed_scheduling() {
    let t = Sc::new(2)
        .with_node(FULL_NODE)
        .container("resources: {requests: {cpu: 500m}}")
        .run();
    check_invariants(&t, Budget::default());
    let fs = steps_of(&t, Actor::Scheduler, "failed-scheduling");
    assert_eq!(fs.len(), 1, "recorded once, not every retry\n{}", dump(&t));
    assert_eq!(fs[0].node.as_deref(), Some("small"));
    assert!(
        fs[0]
            .message
            .starts_with("0/3 nodes are available: 1 Insufficient cpu"),
        "{}",
        fs[0].message
    );
    let p = ds_pods_on(&t.final_view, "small");
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].phase.as_str(), p[0].bound), ("Pending", false));
    assert!(p[0]
        .message
        .as_deref()
        .unwrap_or("")
        .starts_with("0/3 nodes are available"));
    assert_eq!(counts(&status(&t)), (3, 3, 2, 3, 2, 1, 0));
}
