//! Scenario tests for the cluster simulation (issue 3): one test per event kind, the RollingUpdate
//! variants, OnDelete, rollback, determinism and the two modes. Every test walks all steps through
//! `support::check_invariants` (status arithmetic, at most two DaemonSet pods per node, never two
//! live pods of one revision on a node, and the maxUnavailable budget during no-surge rollouts),
//! then asserts the key steps and the final state against `shared/k8s-daemonset-semantics.md`.

mod support;

use dslab_sim::cluster::Actor;
use support::*;

const TOLERATE_ALL: &str = "tolerations: [{operator: Exists}]";

fn after(t: &dslab_sim::Timeline, from: usize) -> impl Iterator<Item = &dslab_sim::cluster::Step> {
    t.steps.iter().skip(from + 1)
}

fn live_pod_on(t: &dslab_sim::Timeline, node: &str) -> Option<dslab_sim::cluster::PodView> {
    ds_pods_on(&t.final_view, node)
        .into_iter()
        .find(|p| p.phase != "Terminating")
        .cloned()
}

// ---------------------------------------------------------------------------------------------
// Initial settle

#[test]
fn initial_settle_creates_binds_pulls_starts_one_pod_per_node() {
    let t = Sc::new(3).run();
    check_invariants(&t, Budget::default());
    assert!(t.settled, "{}", dump(&t));
    assert_eq!(count(&t, Actor::DaemonsetController, "create-revision"), 1);
    assert_eq!(count(&t, Actor::DaemonsetController, "create"), 3);
    assert_eq!(count(&t, Actor::Scheduler, "bind"), 3);
    assert_eq!(count(&t, Actor::Kubelet, "start"), 3);
    assert_eq!(counts(&status(&t)), (3, 3, 3, 3, 3, 0, 0));
    assert_eq!(status(&t).observed_generation, 1);
    for p in ds_pods(&t.final_view) {
        assert_eq!(p.phase, "Running");
        assert!(p.ready && p.bound);
        assert_eq!(p.revision, Some(1));
        assert!(
            p.name.starts_with("agent-") && p.name.len() == "agent-".len() + 5,
            "{}",
            p.name
        );
    }
    // Created pods are pinned by matchFields node affinity, then bound by the scheduler.
    let c = steps_of(&t, Actor::DaemonsetController, "create")[0];
    assert!(
        c.message.contains("required node affinity: metadata.name In ["),
        "{}",
        c.message
    );
    let b = steps_of(&t, Actor::Scheduler, "bind")[0];
    assert!(
        b.message.starts_with("Successfully assigned default/agent-"),
        "{}",
        b.message
    );
}

// ---------------------------------------------------------------------------------------------
// Node events (§8.1–§8.5)

#[test]
fn add_node_gets_a_pod() {
    let t = Sc::new(2)
        .event(&format!(
            "{{at: 20, action: add-node, node: {}}}",
            node("worker-3")
        ))
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    assert_eq!(t.steps[e].actor, Actor::User);
    assert_eq!(t.steps[e].action, "add-node");
    assert_eq!(t.steps[e].time, 20);
    assert_eq!(t.steps[e].status.as_ref().unwrap().desired_number_scheduled, 3);
    let creates: Vec<_> = after(&t, e)
        .filter(|s| s.actor == Actor::DaemonsetController && s.action == "create")
        .collect();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].node.as_deref(), Some("worker-3"));
    assert_eq!(creates[0].time, 20);
    assert!(after(&t, e)
        .any(|s| s.actor == Actor::Scheduler && s.action == "bind" && s.node.as_deref() == Some("worker-3")));
    assert_eq!(counts(&status(&t)), (3, 3, 3, 3, 3, 0, 0));
    assert_eq!(live_pod_on(&t, "worker-3").unwrap().phase, "Running");
}

#[test]
fn remove_node_pod_stays_until_pod_gc_deletes_it() {
    let t = Sc::new(3)
        .event("{at: 10, action: remove-node, node: worker-3}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let victim = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-3")[0].name.clone();
    // Right after the removal: desired drops, the pod is still listed (§8.2).
    let at = t.cluster_at(Some(e));
    assert!(at.nodes.iter().all(|n| n.name != "worker-3"));
    assert!(at.pods.iter().any(|p| p.name == victim), "pod gone too early");
    assert_eq!(t.steps[e].status.as_ref().unwrap().desired_number_scheduled, 2);
    // The DaemonSet controller never deletes it; pod-gc does, 40 s later.
    assert!(
        !t.steps.iter().any(|s| s.actor == Actor::DaemonsetController
            && s.action == "delete"
            && s.object == format!("pod/{victim}")),
        "{}",
        dump(&t)
    );
    let gc = steps_of(&t, Actor::PodGc, "delete");
    assert_eq!(gc.len(), 1, "{}", dump(&t));
    assert_eq!(gc[0].object, format!("pod/{victim}"));
    assert_eq!(gc[0].time, 50);
    assert!(gc[0].message.contains("Found orphaned Pod"), "{}", gc[0].message);
    // Until then it is still there at every step.
    for (i, s) in t.steps.iter().enumerate().skip(e) {
        if s.time < 50 {
            assert!(t.cluster_at(Some(i)).pods.iter().any(|p| p.name == victim));
        }
    }
    assert!(t.final_view.pods.iter().all(|p| p.name != victim));
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn cordon_keeps_the_pod_running_and_deletes_nothing() {
    let t = Sc::new(2).event("{at: 10, action: cordon, node: worker-1}").run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let before = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-1")[0].name.clone();
    assert!(
        t.steps[e].message.contains("node/worker-1 cordoned"),
        "{}",
        t.steps[e].message
    );
    let rest: Vec<_> = after(&t, e).collect();
    assert!(
        rest.iter().any(|s| s.actor == Actor::NodeLifecycle
            && s.message.contains("node.kubernetes.io/unschedulable:NoSchedule")),
        "{}",
        dump(&t)
    );
    assert!(
        !rest
            .iter()
            .any(|s| s.action == "delete" || s.action == "evict" || s.action == "create"),
        "something was deleted or created after cordon:\n{}",
        dump(&t)
    );
    let n = t.final_view.nodes.iter().find(|n| n.name == "worker-1").unwrap();
    assert!(n.unschedulable);
    assert!(n.should_run && n.should_continue_running);
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().name, before);
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn cordoned_node_gets_a_new_pod_after_delete() {
    let t = Sc::new(1)
        .event("{at: 10, action: cordon, node: worker-1}")
        .event("{at: 20, action: delete-pod, node: worker-1}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 1);
    assert!(
        after(&t, e).any(|s| s.actor == Actor::Scheduler && s.action == "bind"),
        "{}",
        dump(&t)
    );
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().phase, "Running");
    assert_eq!(counts(&status(&t)), (1, 1, 1, 1, 1, 0, 0));
}

#[test]
fn uncordon_removes_the_taint_and_changes_nothing_else() {
    let t = Sc::new(2)
        .event("{at: 10, action: cordon, node: worker-1}")
        .event("{at: 20, action: uncordon, node: worker-1}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 1);
    assert!(
        t.steps[e].message.contains("uncordoned"),
        "{}",
        t.steps[e].message
    );
    assert!(
        after(&t, e).any(|s| s.actor == Actor::NodeLifecycle
            && s.action == "untaint"
            && s.message.contains("node.kubernetes.io/unschedulable:NoSchedule")),
        "{}",
        dump(&t)
    );
    let n = t.final_view.nodes.iter().find(|n| n.name == "worker-1").unwrap();
    assert!(!n.unschedulable && n.taints.is_empty(), "{n:?}");
    assert_eq!(count(&t, Actor::DaemonsetController, "create"), 2);
    assert_eq!(count(&t, Actor::DaemonsetController, "delete"), 0);
}

const BARE_POD: &str = "{apiVersion: v1, kind: Pod, metadata: {name: debug, namespace: default}, spec: {nodeName: worker-1, containers: [{name: sh, image: busybox}]}}";

#[test]
fn drain_skips_daemonset_pods_with_a_warning() {
    let t = Sc::new(2).event("{at: 10, action: drain, node: worker-1}").run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let before = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-1")[0].name.clone();
    let user: Vec<_> = t.steps.iter().filter(|s| s.actor == Actor::User).collect();
    assert!(user.iter().any(|s| s.message.contains("cordoned")));
    let warn = user
        .iter()
        .find(|s| s.message.starts_with("Warning: ignoring DaemonSet-managed Pods"))
        .unwrap_or_else(|| panic!("no warning\n{}", dump(&t)));
    assert!(
        warn.message.contains(&format!("default/{before}")),
        "{}",
        warn.message
    );
    let own = event_user_steps(&t, 0);
    assert_eq!(own[0].message, "kubectl cordon worker-1: node/worker-1 cordoned");
    assert_eq!(own.last().unwrap().message, "node/worker-1 drained");
    assert!(!t
        .steps
        .iter()
        .any(|s| s.action == "evict" || (s.action == "delete" && s.time >= 10)));
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().name, before);
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn drain_fails_on_an_unmanaged_pod_without_force() {
    let t = Sc::new(2)
        .pod(BARE_POD)
        .event("{at: 10, action: drain, node: worker-1}")
        .run();
    check_invariants(&t, Budget::default());
    let own = event_user_steps(&t, 0);
    assert_eq!(own.len(), 2, "cordon, then the error");
    let m = &own[1].message;
    assert!(
        m.starts_with("error: unable to drain node worker-1: cannot delete Pods that declare no controller (use --force to override): default/debug"),
        "{m}"
    );
    // The cordon part happened; nothing was evicted.
    assert!(
        t.final_view
            .nodes
            .iter()
            .find(|n| n.name == "worker-1")
            .unwrap()
            .unschedulable
    );
    assert!(t
        .final_view
        .pods
        .iter()
        .any(|p| p.name == "debug" && p.phase == "Running"));
    assert!(!t.steps.iter().any(|s| s.action == "evict"));
    assert!(live_pod_on(&t, "worker-1").is_some());
}

#[test]
fn drain_with_force_evicts_the_unmanaged_pod_and_keeps_the_daemon_pod() {
    let t = Sc::new(2)
        .pod(BARE_POD)
        .event("{at: 10, action: drain, node: worker-1, force: true}")
        .run();
    check_invariants(&t, Budget::default());
    let ev = steps_of(&t, Actor::User, "evict");
    assert_eq!(ev.len(), 1, "{}", dump(&t));
    assert_eq!(ev[0].object, "pod/debug");
    assert!(t.final_view.pods.iter().all(|p| p.name != "debug"));
    assert!(t
        .steps
        .iter()
        .any(|s| s.message.starts_with("Warning: ignoring DaemonSet-managed Pods")));
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().phase, "Running");
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn taint_no_schedule_keeps_the_pod_but_it_becomes_misscheduled() {
    let t = Sc::new(3)
        .event(
            "{at: 10, action: taint, node: worker-2, taint: {key: dedicated, value: db, effect: NoSchedule}}",
        )
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    assert_eq!(
        t.steps[e].message,
        "kubectl taint nodes worker-2 dedicated=db:NoSchedule"
    );
    let before = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-2")[0].name.clone();
    assert!(
        !after(&t, e).any(|s| s.action == "delete" || s.action == "evict"),
        "{}",
        dump(&t)
    );
    assert_eq!(live_pod_on(&t, "worker-2").unwrap().name, before);
    let s = t.steps[e].status.clone().unwrap();
    assert_eq!((s.desired_number_scheduled, s.number_misscheduled), (2, 1));
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 1));
    let n = t.final_view.nodes.iter().find(|n| n.name == "worker-2").unwrap();
    assert!(!n.should_run && n.should_continue_running);
}

#[test]
fn taint_no_execute_evicts_and_does_not_recreate() {
    let t = Sc::new(3)
        .event(
            "{at: 10, action: taint, node: worker-2, taint: {key: dedicated, value: db, effect: NoExecute}}",
        )
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let rest: Vec<_> = after(&t, e).collect();
    assert!(
        rest.iter().any(|s| s.node.as_deref() == Some("worker-2")
            && ((s.actor == Actor::NodeLifecycle && s.action == "evict")
                || (s.actor == Actor::DaemonsetController && s.action == "delete"))),
        "{}",
        dump(&t)
    );
    assert!(
        !rest
            .iter()
            .any(|s| s.action == "create" && s.node.as_deref() == Some("worker-2")),
        "recreated on a NoExecute node:\n{}",
        dump(&t)
    );
    assert!(ds_pods_on(&t.final_view, "worker-2").is_empty());
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
    assert!(t.settled);
}

#[test]
fn tolerated_no_execute_with_toleration_seconds_is_an_evict_recreate_loop() {
    let t = Sc::new(2)
        .tmpl("tolerations: [{key: dedicated, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]")
        .event(
            "{at: 10, action: taint, node: worker-1, taint: {key: dedicated, value: db, effect: NoExecute}}",
        )
        .until(200)
        .run();
    check_invariants(&t, Budget::default());
    let evicts: Vec<u64> = steps_of(&t, Actor::NodeLifecycle, "evict")
        .iter()
        .filter(|s| s.node.as_deref() == Some("worker-1"))
        .map(|s| s.time)
        .collect();
    assert!(
        evicts.len() >= 4,
        "expected a loop, got evictions at {evicts:?}\n{}",
        dump(&t)
    );
    assert_eq!(evicts[0], 40, "first eviction tolerationSeconds after the taint");
    for w in evicts.windows(2) {
        assert!(
            w[1] - w[0] >= 30,
            "evictions closer than tolerationSeconds: {evicts:?}"
        );
    }
    let creates = steps_of(&t, Actor::DaemonsetController, "create")
        .iter()
        .filter(|s| s.node.as_deref() == Some("worker-1") && s.time > 10)
        .count();
    assert!(
        creates >= evicts.len() - 1,
        "not recreated after eviction\n{}",
        dump(&t)
    );
    let m = &steps_of(&t, Actor::NodeLifecycle, "evict")[0].message;
    assert!(m.contains("tolerated for 30s"), "{m}");
    // The node stays desired for the controller (it ignores tolerationSeconds).
    assert_eq!(status(&t).desired_number_scheduled, 2);
    assert!(!t.settled);
}

#[test]
fn untaint_brings_the_pod_back() {
    let t = Sc::new(2)
        .event(
            "{at: 10, action: taint, node: worker-1, taint: {key: dedicated, value: db, effect: NoExecute}}",
        )
        .event("{at: 60, action: untaint, node: worker-1, key: dedicated}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 1);
    assert_eq!(t.steps[e].message, "kubectl taint nodes worker-1 dedicated-");
    assert!(ds_pods_on(&t.cluster_at(Some(e)), "worker-1").is_empty());
    let c: Vec<_> = after(&t, e)
        .filter(|s| s.action == "create" && s.node.as_deref() == Some("worker-1"))
        .collect();
    assert_eq!(c.len(), 1, "{}", dump(&t));
    assert_eq!(c[0].time, 60);
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().phase, "Running");
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn untaint_by_key_and_effect_leaves_other_effects() {
    let t = Sc::new(1)
        .event("{at: 10, action: taint, node: worker-1, taint: {key: k, value: v, effect: NoSchedule}}")
        .event("{at: 11, action: taint, node: worker-1, taint: {key: k, value: v, effect: PreferNoSchedule}}")
        .event("{at: 20, action: untaint, node: worker-1, key: k, effect: NoSchedule}")
        .run();
    check_invariants(&t, Budget::default());
    let n = &t.final_view.nodes[0];
    assert_eq!(n.taints, vec!["k=v:PreferNoSchedule".to_string()]);
    assert!(n.should_run);
    assert_eq!(counts(&status(&t)), (1, 1, 1, 1, 1, 0, 0));
}

#[test]
fn label_and_unlabel_with_a_node_selector() {
    let mut sc = Sc::new(0).tmpl("nodeSelector: {role: logs}");
    sc.nodes = vec![
        "{apiVersion: v1, kind: Node, metadata: {name: worker-1, labels: {role: logs}}}".into(),
        node("worker-2"),
    ];
    let t = sc
        .event("{at: 10, action: label, node: worker-2, labels: {role: logs}}")
        .event("{at: 30, action: unlabel, node: worker-1, key: role}")
        .run();
    check_invariants(&t, Budget::default());
    assert_eq!(
        t.steps[event_step(&t, 0) - 1]
            .status
            .as_ref()
            .unwrap()
            .desired_number_scheduled,
        1
    );
    let e0 = event_step(&t, 0);
    assert_eq!(
        t.steps[e0].message,
        "kubectl label nodes worker-2 role=logs --overwrite"
    );
    assert!(after(&t, e0).any(|s| s.action == "create" && s.node.as_deref() == Some("worker-2")));
    let e1 = event_step(&t, 1);
    assert_eq!(t.steps[e1].message, "kubectl label nodes worker-1 role-");
    let del: Vec<_> = after(&t, e1)
        .filter(|s| s.actor == Actor::DaemonsetController && s.action == "delete")
        .collect();
    assert_eq!(del.len(), 1, "{}", dump(&t));
    assert_eq!(del[0].node.as_deref(), Some("worker-1"));
    assert!(
        del[0].message.contains("no longer qualifies"),
        "{}",
        del[0].message
    );
    assert!(ds_pods_on(&t.final_view, "worker-1").is_empty());
    assert_eq!(live_pod_on(&t, "worker-2").unwrap().phase, "Running");
    assert_eq!(counts(&status(&t)), (1, 1, 1, 1, 1, 0, 0));
}

#[test]
fn node_not_ready_and_ready_with_a_tolerate_everything_daemonset() {
    let t = Sc::new(2)
        .tmpl(TOLERATE_ALL)
        .event("{at: 10, action: node-not-ready, node: worker-1}")
        .event("{at: 60, action: node-ready, node: worker-1}")
        .run();
    check_invariants(&t, Budget::default());
    let e0 = event_step(&t, 0);
    let e1 = event_step(&t, 1);
    let before = ds_pods_on(&t.cluster_at(Some(e0 - 1)), "worker-1")[0]
        .name
        .clone();
    let added: Vec<&str> = t.steps[e0..e1]
        .iter()
        .filter(|s| s.actor == Actor::NodeLifecycle && s.action == "taint")
        .map(|s| s.message.as_str())
        .collect();
    assert!(
        added
            .iter()
            .any(|m| m.contains("node.kubernetes.io/not-ready:NoSchedule")),
        "{added:?}"
    );
    assert!(
        added
            .iter()
            .any(|m| m.contains("node.kubernetes.io/not-ready:NoExecute")),
        "{added:?}"
    );
    let mid = t.cluster_at(Some(e1 - 1));
    let p = ds_pods_on(&mid, "worker-1")[0];
    assert_eq!(p.name, before);
    assert!(!p.ready, "pods of a NotReady node are marked not ready");
    let s = t.steps[e1 - 1].status.clone().unwrap();
    assert_eq!(
        (s.desired_number_scheduled, s.number_misscheduled, s.number_ready),
        (2, 0, 1)
    );
    assert!(
        !t.steps
            .iter()
            .any(|s| s.action == "evict" || s.action == "delete"),
        "{}",
        dump(&t)
    );
    let removed = after(&t, e1)
        .filter(|s| s.actor == Actor::NodeLifecycle && s.action == "untaint")
        .count();
    assert_eq!(removed, 2, "{}", dump(&t));
    assert!(t.final_view.nodes.iter().all(|n| n.taints.is_empty()));
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().name, before);
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn node_not_ready_plain_daemonset_keeps_the_pod_misscheduled() {
    let t = Sc::new(2)
        .event("{at: 10, action: node-not-ready, node: worker-1}")
        .until(100)
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 0);
    let before = ds_pods_on(&t.cluster_at(Some(e - 1)), "worker-1")[0].name.clone();
    assert!(
        !t.steps
            .iter()
            .any(|s| s.action == "evict" || s.action == "delete"),
        "{}",
        dump(&t)
    );
    let p = live_pod_on(&t, "worker-1").unwrap();
    assert_eq!(p.name, before);
    assert_eq!(p.phase, "Running", "the pod object stays Running in the API");
    let n = t.final_view.nodes.iter().find(|n| n.name == "worker-1").unwrap();
    assert!(!n.ready && !n.should_run && n.should_continue_running);
    // desired 1 (worker-2), misscheduled 1 (worker-1).
    assert_eq!(counts(&status(&t)), (1, 1, 1, 1, 1, 0, 1));
}

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
// Template, strategy, history (§7)

fn replaced_in_rollout(t: &dslab_sim::Timeline) -> usize {
    steps_of(t, Actor::DaemonsetController, "delete")
        .iter()
        .filter(|s| s.message.contains("rolling update"))
        .count()
}

/// Pods the controller deletes at `time`, after step `from`: the rollout's first wave.
fn deletes_at(t: &dslab_sim::Timeline, from: usize, time: u64) -> usize {
    after(t, from)
        .filter(|s| s.time == time && s.action == "delete" && s.actor == Actor::DaemonsetController)
        .count()
}

/// The most pods unavailable at any step after step `from`.
fn peak_unavailable(t: &dslab_sim::Timeline, from: usize) -> i64 {
    after(t, from)
        .filter_map(|s| s.status.as_ref())
        .map(|s| s.number_unavailable)
        .max()
        .unwrap_or(0)
}

fn all_pods_at(t: &dslab_sim::Timeline, image: &str, revision: i64) {
    for p in ds_pods(&t.final_view) {
        assert_eq!(
            (p.image.as_str(), p.revision),
            (image, Some(revision)),
            "{p:?}\n{}",
            dump(t)
        );
        assert_eq!(p.phase, "Running");
    }
}

#[test]
fn rolling_update_max_unavailable_1() {
    let t = Sc::new(4)
        .strategy("1", "0")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((0, 1)),
        },
    );
    let e = event_step(&t, 0);
    assert!(
        t.steps[e]
            .message
            .starts_with("kubectl set image daemonset/agent agent=agent:2"),
        "{}",
        t.steps[e].message
    );
    let rev = after(&t, e).find(|s| s.action == "create-revision").unwrap();
    assert!(rev.message.contains("(revision 2,"), "{}", rev.message);
    // The first wave at the template change deletes exactly one pod, and creates none.
    let first: Vec<_> = after(&t, e)
        .filter(|s| s.time == 10 && s.actor == Actor::DaemonsetController)
        .collect();
    assert_eq!(first.iter().filter(|s| s.action == "delete").count(), 1);
    assert_eq!(first.iter().filter(|s| s.action == "create").count(), 0);
    assert_eq!(replaced_in_rollout(&t), 4);
    all_pods_at(&t, "agent:2", 2);
    assert_eq!(counts(&status(&t)), (4, 4, 4, 4, 4, 0, 0));
    assert_eq!(status(&t).observed_generation, 2);
    let revs: Vec<i64> = t.revisions.iter().map(|r| r.revision).collect();
    assert_eq!(revs.len(), 2);
    assert!(t.settled);
}

#[test]
fn rolling_update_max_unavailable_25_percent_rounds_up() {
    // 7 nodes × 25% = 1.75 → 2 (DaemonSets round maxUnavailable UP, §7.2).
    let t = Sc::new(7)
        .strategy("\"25%\"", "0")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((0, 2)),
        },
    );
    let e = event_step(&t, 0);
    assert_eq!(deletes_at(&t, e, 10), 2, "{}", dump(&t));
    assert_eq!(peak_unavailable(&t, e), 2, "the budget is used");
    assert_eq!(replaced_in_rollout(&t), 7);
    all_pods_at(&t, "agent:2", 2);
    assert_eq!(counts(&status(&t)), (7, 7, 7, 7, 7, 0, 0));
}

#[test]
fn rolling_update_percentage_counts_only_nodes_that_exist() {
    // 4 nodes, one removed, then 30%: ceil(0.3 × 3) = 1 pod at a time, not ceil(0.3 × 4) = 2.
    // `updatedDesiredNodeCounts` walks the nodes the lister has; a deleted Node is not there.
    let t = Sc::new(4)
        .strategy("\"30%\"", "0")
        .event("{action: remove-node, node: worker-4}")
        .event("{action: update-template, image: \"agent:2\"}")
        .run();
    let e = event_step(&t, 1);
    assert_eq!(deletes_at(&t, e, t.steps[e].time), 1, "{}", dump(&t));
    assert_eq!(peak_unavailable(&t, e), 1, "{}", dump(&t));
    assert_eq!(replaced_in_rollout(&t), 3);
    all_pods_at(&t, "agent:2", 2);
}

/// During a surge rollout: at most `max_surge` nodes run an old and a new live pod at once, and no
/// node ever loses its last live pod before the new one is there.
fn check_surge(t: &dslab_sim::Timeline, from_event: usize, max_surge: usize) {
    let start = event_step(t, from_event);
    let mut view = t.cluster_at(Some(start));
    let mut peak = 0;
    for (i, s) in t.steps.iter().enumerate().skip(start + 1) {
        view.apply_step(s);
        let mut doubled = 0;
        for n in &view.nodes {
            let live: Vec<_> = ds_pods_on(&view, &n.name)
                .into_iter()
                .filter(|p| p.phase != "Terminating")
                .collect();
            if live.len() == 2 {
                doubled += 1;
            }
            assert!(
                !live.is_empty() || !n.should_run,
                "node {} without a live pod at step {i}\n{}",
                n.name,
                dump(t)
            );
        }
        assert!(
            doubled <= max_surge,
            "{doubled} surge pods at step {i} (maxSurge {max_surge})\n{}",
            dump(t)
        );
        peak = peak.max(doubled);
    }
    assert_eq!(peak, max_surge, "the surge budget is used");
}

#[test]
fn rolling_update_max_surge_1() {
    let t = Sc::new(4)
        .strategy("0", "1")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(&t, Budget::default());
    check_surge(&t, 0, 1);
    let e = event_step(&t, 0);
    // First step with surge: create one new pod next to the old one, delete nothing.
    let first: Vec<_> = after(&t, e)
        .filter(|s| s.actor == Actor::DaemonsetController && (s.action == "create" || s.action == "delete"))
        .take(1)
        .collect();
    assert_eq!(first[0].action, "create", "{}", dump(&t));
    assert_eq!(first[0].time, 10);
    let deletes = steps_of(&t, Actor::DaemonsetController, "delete");
    assert_eq!(deletes.len(), 4, "{}", dump(&t));
    all_pods_at(&t, "agent:2", 2);
    assert_eq!(counts(&status(&t)), (4, 4, 4, 4, 4, 0, 0));
}

#[test]
fn rolling_update_max_surge_10_percent() {
    // 12 nodes × 10% = 1.2 → surge 2.
    let t = Sc::new(12)
        .strategy("0", "\"10%\"")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(&t, Budget::default());
    check_surge(&t, 0, 2);
    let e = event_step(&t, 0);
    let first = after(&t, e)
        .filter(|s| s.time == 10 && s.actor == Actor::DaemonsetController && s.action == "create")
        .count();
    assert_eq!(first, 2, "{}", dump(&t));
    all_pods_at(&t, "agent:2", 2);
    assert_eq!(counts(&status(&t)), (12, 12, 12, 12, 12, 0, 0));
}

#[test]
fn on_delete_replaces_only_deleted_pods() {
    let t = Sc::new(3)
        .spec("updateStrategy: {type: OnDelete}")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .event("{at: 20, action: delete-pod, node: worker-2}")
        .event(&format!(
            "{{at: 30, action: add-node, node: {}}}",
            node("worker-4")
        ))
        .run();
    check_invariants(&t, Budget::default());
    let e0 = event_step(&t, 0);
    let e1 = event_step(&t, 1);
    assert!(
        !t.steps[e0..e1]
            .iter()
            .any(|s| s.action == "delete" || s.action == "create"),
        "OnDelete replaced pods by itself\n{}",
        dump(&t)
    );
    assert_eq!(live_pod_on(&t, "worker-1").unwrap().image, "agent:1");
    assert_eq!(live_pod_on(&t, "worker-2").unwrap().image, "agent:2");
    assert_eq!(live_pod_on(&t, "worker-3").unwrap().image, "agent:1");
    assert_eq!(
        live_pod_on(&t, "worker-4").unwrap().image,
        "agent:2",
        "new nodes get the current template"
    );
    assert_eq!(counts(&status(&t)), (4, 4, 4, 2, 4, 0, 0));
    assert_eq!(t.final_view.daemonsets[0].update_strategy, "OnDelete");
}

#[test]
fn min_ready_seconds_holds_the_next_wave() {
    let t = Sc::new(3)
        .spec("minReadySeconds: 10")
        .strategy("1", "0")
        .event("{at: 20, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((0, 1)),
        },
    );
    let dels: Vec<u64> = steps_of(&t, Actor::DaemonsetController, "delete")
        .iter()
        .map(|s| s.time)
        .collect();
    assert_eq!(dels.len(), 3, "{}", dump(&t));
    let readies: Vec<u64> = steps_of(&t, Actor::Kubelet, "start")
        .iter()
        .filter(|s| s.time >= 20)
        .map(|s| s.time)
        .collect();
    // Each next deletion waits for the previous new pod to be Ready for minReadySeconds.
    for (i, r) in readies.iter().take(2).enumerate() {
        assert!(
            dels[i + 1] >= r + 10,
            "deletes {dels:?}, new pods ready at {readies:?}"
        );
    }
    // Ready but not yet available shows in the status.
    assert!(
        t.steps
            .iter()
            .filter_map(|s| s.status.as_ref())
            .any(|s| s.number_ready > s.number_available),
        "{}",
        dump(&t)
    );
    all_pods_at(&t, "agent:2", 2);
    assert_eq!(counts(&status(&t)), (3, 3, 3, 3, 3, 0, 0));
}

#[test]
fn rollout_stalls_at_max_unavailable_when_new_pods_never_become_ready() {
    let t = Sc::new(5)
        .strategy("2", "0")
        .container("readinessProbe: {httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 2}")
        .event("{at: 20, action: update-template, image: \"agent:2\", outcome: never-ready}")
        .until(600)
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((0, 2)),
        },
    );
    assert_eq!(replaced_in_rollout(&t), 2, "{}", dump(&t));
    let pods = ds_pods(&t.final_view);
    let new: Vec<_> = pods.iter().filter(|p| p.image == "agent:2").collect();
    let old: Vec<_> = pods.iter().filter(|p| p.image == "agent:1").collect();
    assert_eq!((new.len(), old.len()), (2, 3));
    assert!(new.iter().all(|p| !p.ready && p.phase == "Running"));
    assert!(old.iter().all(|p| p.ready));
    assert_eq!(counts(&status(&t)), (5, 5, 3, 2, 3, 2, 0));
    assert!(t
        .steps
        .iter()
        .any(|s| s.action == "unready" && s.message.starts_with("Readiness probe failed")));
}

#[test]
fn update_template_patch_makes_a_new_revision() {
    let t = Sc::new(2)
        .event("{at: 10, action: update-template, template: {spec: {containers: [{name: agent, env: [{name: LOG_LEVEL, value: debug}]}]}}}")
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((0, 1)),
        },
    );
    let e = event_step(&t, 0);
    assert!(
        t.steps[e]
            .message
            .starts_with("kubectl patch daemonset/agent (pod template)"),
        "{}",
        t.steps[e].message
    );
    assert_eq!(replaced_in_rollout(&t), 2);
    all_pods_at(&t, "agent:1", 2);
    assert_eq!(t.revisions.len(), 2);
    assert_eq!(counts(&status(&t)), (2, 2, 2, 2, 2, 0, 0));
}

#[test]
fn update_template_with_the_same_image_changes_nothing() {
    let t = Sc::new(2)
        .event("{at: 10, action: update-template, image: \"agent:1\"}")
        .run();
    let e = event_step(&t, 0);
    assert!(t.steps[e].message.contains("no change"), "{}", t.steps[e].message);
    assert_eq!(t.revisions.len(), 1);
    assert!(!after(&t, e).any(|s| s.action == "delete"));
}

#[test]
fn set_update_strategy_makes_no_revision_and_restarts_nothing() {
    let t = Sc::new(3)
        .event("{at: 10, action: set-update-strategy, strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}}")
        .event("{at: 20, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((1, 2)),
        },
    );
    let e0 = event_step(&t, 0);
    let e1 = event_step(&t, 1);
    assert!(
        t.steps[e0].message.contains("no new revision"),
        "{}",
        t.steps[e0].message
    );
    assert!(
        !t.steps[e0..e1]
            .iter()
            .any(|s| s.action == "create-revision" || s.action == "delete" || s.action == "create"),
        "{}",
        dump(&t)
    );
    assert_eq!(t.cluster_at(Some(e1 - 1)).daemonsets[0].generation, 2);
    // The new budget applies: the first wave after the template change deletes 2.
    let first = after(&t, e1)
        .filter(|s| s.time == 20 && s.action == "delete")
        .count();
    assert_eq!(first, 2, "{}", dump(&t));
    assert_eq!(t.revisions.len(), 2);
    assert_eq!(status(&t).observed_generation, 3);
    all_pods_at(&t, "agent:2", 2);
}

#[test]
fn set_update_strategy_to_on_delete_stops_rollouts() {
    let t = Sc::new(2)
        .event("{at: 10, action: set-update-strategy, strategy: {type: OnDelete}}")
        .event("{at: 20, action: update-template, image: \"agent:2\"}")
        .run();
    check_invariants(&t, Budget::default());
    assert_eq!(count(&t, Actor::DaemonsetController, "delete"), 0);
    assert!(ds_pods(&t.final_view).iter().all(|p| p.image == "agent:1"));
    assert_eq!(t.revisions.len(), 2);
    assert_eq!(t.final_view.daemonsets[0].current_revision, Some(2));
}

/// §6.6: updatedNumberScheduled counts desired nodes whose oldest pod carries the CURRENT hash.
/// Once revision 2 exists and the pods are still revision 1, it must be 0, at every step and in
/// the final status.
#[test]
fn updated_number_scheduled_drops_after_an_on_delete_template_change() {
    let t = Sc::new(2)
        .spec("updateStrategy: {type: OnDelete}")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .run();
    let rev = t
        .steps
        .iter()
        .position(|s| s.action == "create-revision" && s.time == 10)
        .expect("revision 2 created");
    for (i, s) in t.steps.iter().enumerate().skip(rev) {
        assert_eq!(
            s.status.as_ref().unwrap().updated_number_scheduled,
            0,
            "step {i}: {}\n{}",
            s.message,
            dump(&t)
        );
    }
    assert_eq!(counts(&status(&t)), (2, 2, 2, 0, 2, 0, 0), "{}", dump(&t));
}

#[test]
fn rollout_undo_renumbers_the_old_revision_and_rolls_pods() {
    let t = Sc::new(3)
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .event("{action: rollout-undo}")
        .run();
    check_invariants(
        &t,
        Budget {
            max_unavailable: Some((1, 1)),
        },
    );
    let e = event_step(&t, 1);
    assert!(
        t.steps[e].message.contains("rolled back"),
        "{}",
        t.steps[e].message
    );
    let ren = after(&t, e)
        .find(|s| s.action == "renumber-revision")
        .expect("renumbered");
    assert!(
        ren.message.ends_with("revision 1 becomes revision 3"),
        "{}",
        ren.message
    );
    // Replaced by a normal rolling update, not restored.
    let dels = after(&t, e)
        .filter(|s| s.action == "delete" && s.message.contains("rolling update"))
        .count();
    assert_eq!(dels, 3);
    all_pods_at(&t, "agent:1", 3);
    let mut revs: Vec<(i64, String)> = t
        .revisions
        .iter()
        .map(|r| (r.revision, r.image.clone()))
        .collect();
    revs.sort();
    assert_eq!(revs, vec![(2, "agent:2".into()), (3, "agent:1".into())]);
    assert_eq!(t.final_view.daemonsets[0].current_revision, Some(3));
    assert_eq!(counts(&status(&t)), (3, 3, 3, 3, 3, 0, 0));
}

#[test]
fn rollout_undo_to_revision() {
    let t = Sc::new(2)
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .event("{action: update-template, image: \"agent:3\"}")
        .event("{action: rollout-undo, toRevision: 1}")
        .event("{action: rollout-undo, toRevision: 9}")
        .run();
    check_invariants(&t, Budget::default());
    let e = event_step(&t, 2);
    assert!(
        t.steps[e].message.contains("template of revision 1"),
        "{}",
        t.steps[e].message
    );
    all_pods_at(&t, "agent:1", 4);
    let mut revs: Vec<(i64, String)> = t
        .revisions
        .iter()
        .map(|r| (r.revision, r.image.clone()))
        .collect();
    revs.sort();
    assert_eq!(
        revs,
        vec![
            (2, "agent:2".into()),
            (3, "agent:3".into()),
            (4, "agent:1".into())
        ]
    );
    let bad = &t.steps[event_step(&t, 3)];
    assert!(
        bad.message.contains("unable to find specified revision 9"),
        "{}",
        bad.message
    );
}

#[test]
fn rollout_undo_with_one_revision_does_nothing() {
    let t = Sc::new(1).event("{at: 10, action: rollout-undo}").run();
    let e = event_step(&t, 0);
    assert!(
        t.steps[e].message.contains("no revision to roll back to"),
        "{}",
        t.steps[e].message
    );
    assert_eq!(t.steps.len(), e + 1);
}

#[test]
fn revision_history_limit_deletes_the_oldest_unused_revisions() {
    let t = Sc::new(1)
        .spec("revisionHistoryLimit: 1")
        .event("{at: 10, action: update-template, image: \"agent:2\"}")
        .event("{action: update-template, image: \"agent:3\"}")
        .run();
    check_invariants(&t, Budget::default());
    assert!(
        count(&t, Actor::DaemonsetController, "delete-revision") >= 1,
        "{}",
        dump(&t)
    );
    let mut revs: Vec<i64> = t.revisions.iter().map(|r| r.revision).collect();
    revs.sort();
    assert_eq!(revs, vec![2, 3]);
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
