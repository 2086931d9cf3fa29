//! Scenario tests (issue 3), updates: RollingUpdate variants, OnDelete, minReadySeconds, template
//! and strategy changes, revisions and rollback.
//!
//! Every test walks all steps through `support::check_invariants` (status arithmetic, at most
//! two DaemonSet pods per node, never two live pods of one revision on a node, and the
//! maxUnavailable budget during no-surge rollouts), then asserts the key steps and the final
//! state against `shared/k8s-daemonset-semantics.md`.
mod support;

use dslab_sim::cluster::Actor;
use support::*;

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
