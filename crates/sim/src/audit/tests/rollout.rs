//! The audit's rollout findings: budgets, stall causes, the simulated rest of a rollout, what-if.

use super::*;
use crate::api::SpecOf;

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
                d.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
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
    d.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
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

/// Three nodes `n1`..`n3`, each running an outdated, Ready pod of `ds()`.
fn three_outdated() -> (Vec<Node>, Vec<Pod>) {
    let nodes = (1..=3).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let pods = (1..=3)
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
    (nodes, pods)
}

/// Three nodes, every pod outdated: maxUnavailable 1 replaces them one at a time; the what-if
/// maxSurge 1 / maxUnavailable 0 never has a node without an available pod.
#[test]
fn what_if_compares_strategies() {
    let (nodes, pods) = three_outdated();
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
fn the_findings_come_first_and_the_simulation_after() {
    let nodes: Vec<Node> = (1..=3).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let pods = vec![
        own("p1", "n1", Some("1"), None, true),
        current("p2", "n2"),
        current("p3", "n3"),
    ];
    let manifests = Manifests {
        daemonsets: vec![ds()],
        nodes: nodes.clone(),
        pods: pods.clone(),
        ..Manifests::default()
    };
    let full = audit(manifests.clone()).expect("audits");
    let (mut first, back) = audit_unsimulated(manifests).expect("audits");
    assert_eq!(
        (back.nodes, back.pods),
        (nodes.clone(), pods.clone()),
        "the objects come back"
    );
    assert!(full.daemonsets[0].rollout.simulated.is_some());
    let quick = &mut first.daemonsets[0];
    assert!(quick.rollout.to_simulate() && quick.rollout.simulated.is_none());
    // Filled afterwards, the report is the one `audit` gives.
    let mut sim = simulate_rollout(&ds(), &nodes, &pods, None).expect("simulates");
    sim.points.clear();
    quick.rollout.simulated = Some(sim);
    assert_eq!(format::json(&first), format::json(&full));
}

#[test]
fn an_on_delete_daemonset_does_not_roll_unless_asked() {
    let nodes: Vec<Node> = (1..=2).map(|i| node(&format!("n{i}"), &[], vec![])).collect();
    let pods: Vec<Pod> = (1..=2)
        .map(|i| own(&format!("p{i}"), &format!("n{i}"), Some("1"), None, true))
        .collect();
    let mut d = ds();
    d.spec_mut().update_strategy = Some(DaemonSetUpdateStrategy {
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

/// The dump's Ready pods have been Ready for a long time: with minReadySeconds they are
/// available when the rollout starts, not minReadySeconds later (§7.4: a pod counts as available
/// once Ready for minReadySeconds). A surge rollout with maxUnavailable 0 starts with nothing
/// unavailable.
#[test]
fn dumped_ready_pods_are_available_when_the_rollout_starts() {
    let (nodes, pods) = three_outdated();
    for min_ready in [0, 60] {
        let over = parse_strategy(&format!(
            "maxSurge=1,maxUnavailable=0,minReadySeconds={min_ready}"
        ))
        .expect("parses");
        let s = simulate_rollout(&ds(), &nodes, &pods, Some(&over)).expect("simulates");
        assert_eq!(
            s.points[0].unavailable, 0,
            "minReadySeconds {min_ready}: {:?}",
            s.points[0]
        );
        assert!(s.finished, "minReadySeconds {min_ready}: {s:?}");
        // Surge with maxUnavailable 0: a node loses its available pod only once the new one
        // is available, so nothing is unavailable but the old pod's last moments.
        assert!(
            s.peak_unavailable <= 1,
            "minReadySeconds {min_ready}: peak {}",
            s.peak_unavailable
        );
    }
}
