//! Scenario tests (issue 3), nodes: the initial settle and one test per node event (add, remove,
//! cordon, drain, taint, label, readiness).
//!
//! Every test walks all steps through `support::check_invariants` (status arithmetic, at most
//! two DaemonSet pods per node, never two live pods of one revision on a node, and the
//! maxUnavailable budget during no-surge rollouts), then asserts the key steps and the final
//! state against `shared/k8s-daemonset-semantics.md`.
mod support;

use dslab_sim::cluster::Actor;
use support::*;

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
