//! Shared helpers for the scenario tests: a small scenario builder (YAML text, so the tests also
//! exercise the parser), a runner, and the invariant checks walked over every step.
#![allow(dead_code)]

use dslab_sim::cluster::{Actor, ClusterView, DsStatus, PodView, Step};
use dslab_sim::{Scenario, Timeline};
use std::collections::BTreeMap;

/// A scenario with one DaemonSet `agent` (namespace default, image `agent:1`) on `worker-N` nodes.
#[derive(Clone)]
pub struct Sc {
    pub mode: &'static str,
    /// Extra lines under the DaemonSet's `spec:` (flow style, one per line).
    pub spec: Vec<String>,
    /// Extra lines under the template's `spec:`.
    pub tmpl: Vec<String>,
    /// Extra keys in the container mapping, flow style (`readinessProbe: {...}`).
    pub container: Vec<String>,
    /// Node manifests, flow style.
    pub nodes: Vec<String>,
    pub pods: Vec<String>,
    pub events: Vec<String>,
    pub until: Option<u64>,
}

pub fn node(name: &str) -> String {
    format!("{{apiVersion: v1, kind: Node, metadata: {{name: {name}}}}}")
}

impl Sc {
    pub fn new(nodes: usize) -> Sc {
        Sc {
            mode: "current",
            spec: Vec::new(),
            tmpl: Vec::new(),
            container: Vec::new(),
            nodes: (1..=nodes).map(|i| node(&format!("worker-{i}"))).collect(),
            pods: Vec::new(),
            events: Vec::new(),
            until: None,
        }
    }
    pub fn spec(mut self, line: &str) -> Sc {
        self.spec.push(line.into());
        self
    }
    pub fn tmpl(mut self, line: &str) -> Sc {
        self.tmpl.push(line.into());
        self
    }
    pub fn container(mut self, kv: &str) -> Sc {
        self.container.push(kv.into());
        self
    }
    pub fn strategy(self, unavailable: &str, surge: &str) -> Sc {
        self.spec(&format!(
            "updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: {unavailable}, maxSurge: {surge}}}}}"
        ))
    }
    pub fn event(mut self, e: &str) -> Sc {
        self.events.push(e.into());
        self
    }
    pub fn pod(mut self, p: &str) -> Sc {
        self.pods.push(p.into());
        self
    }
    pub fn with_node(mut self, n: &str) -> Sc {
        self.nodes.push(n.into());
        self
    }
    pub fn until(mut self, t: u64) -> Sc {
        self.until = Some(t);
        self
    }
    pub fn legacy(mut self) -> Sc {
        self.mode = "legacy";
        self
    }

    pub fn yaml(&self) -> String {
        let mut y = format!("mode: {}\n", self.mode);
        y.push_str("daemonset:\n  apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: agent, namespace: default}\n  spec:\n    selector: {matchLabels: {app: agent}}\n");
        for l in &self.spec {
            y.push_str(&format!("    {l}\n"));
        }
        y.push_str("    template:\n      metadata: {labels: {app: agent}}\n      spec:\n");
        for l in &self.tmpl {
            y.push_str(&format!("        {l}\n"));
        }
        let mut c = vec!["name: agent".to_string(), "image: \"agent:1\"".to_string()];
        c.extend(self.container.iter().cloned());
        y.push_str(&format!("        containers:\n        - {{{}}}\n", c.join(", ")));
        y.push_str("nodes:\n");
        for n in &self.nodes {
            y.push_str(&format!("- {n}\n"));
        }
        if !self.pods.is_empty() {
            y.push_str("pods:\n");
            for p in &self.pods {
                y.push_str(&format!("- {p}\n"));
            }
        }
        if self.events.is_empty() {
            y.push_str("events: []\n");
        } else {
            y.push_str("events:\n");
            for e in &self.events {
                y.push_str(&format!("- {e}\n"));
            }
        }
        if let Some(u) = self.until {
            y.push_str(&format!("until: {u}\n"));
        }
        y
    }

    pub fn run(&self) -> Timeline {
        run_yaml(&self.yaml())
    }
}

pub fn parse(yaml: &str) -> Scenario {
    Scenario::from_yaml(yaml.as_bytes(), "scenario.yaml")
        .unwrap_or_else(|e| panic!("scenario does not parse: {e}\n{yaml}"))
}

pub fn run_yaml(yaml: &str) -> Timeline {
    dslab_sim::run(&parse(yaml))
}

/// The timeline as text, for assertion messages.
pub fn dump(t: &Timeline) -> String {
    dslab_sim::simulate::report::text(t)
}

pub fn steps_of<'t>(t: &'t Timeline, actor: Actor, action: &str) -> Vec<&'t Step> {
    t.steps
        .iter()
        .filter(|s| s.actor == actor && s.action == action)
        .collect()
}

pub fn count(t: &Timeline, actor: Actor, action: &str) -> usize {
    steps_of(t, actor, action).len()
}

/// Index of the first step of the scenario's event `i` (0-based).
pub fn event_step(t: &Timeline, i: usize) -> usize {
    t.event_steps[i]
}

/// The `user` steps that event `i` itself recorded (drain records cordon, a warning, drained).
pub fn event_user_steps(t: &Timeline, i: usize) -> Vec<&Step> {
    let first = t.event_steps[i];
    t.steps[first..]
        .iter()
        .take_while(|s| s.actor == Actor::User && s.time == t.steps[first].time)
        .collect()
}

/// The DaemonSet's pods (owner `agent`) in a view.
pub fn ds_pods(v: &ClusterView) -> Vec<&PodView> {
    v.pods
        .iter()
        .filter(|p| p.owner.as_deref() == Some("agent"))
        .collect()
}

pub fn ds_pods_on<'v>(v: &'v ClusterView, node: &str) -> Vec<&'v PodView> {
    ds_pods(v)
        .into_iter()
        .filter(|p| p.node.as_deref() == Some(node))
        .collect()
}

pub fn status(t: &Timeline) -> DsStatus {
    t.final_view.daemonsets[0].status.clone()
}

/// (desired, current, ready, up-to-date, available, unavailable, misscheduled)
pub fn counts(s: &DsStatus) -> (i64, i64, i64, i64, i64, i64, i64) {
    (
        s.desired_number_scheduled,
        s.current_number_scheduled,
        s.number_ready,
        s.updated_number_scheduled,
        s.number_available,
        s.number_unavailable,
        s.number_misscheduled,
    )
}

/// What the invariants need to know about the run.
#[derive(Default, Clone, Copy)]
pub struct Budget {
    /// No-surge rolling update: from the step of event `from_event` on (when the DaemonSet was
    /// fully available there), at most this many desired nodes without an available pod.
    pub max_unavailable: Option<(usize, i64)>,
}

/// Walks the timeline step by step (applying each step's changes, as `cluster_at` does) and
/// checks at every step:
/// - numberUnavailable = desired − available, and the counters are ordered
///   (available ≤ ready ≤ current ≤ desired, updated ≤ current);
/// - never more than 2 DaemonSet pods on a node, never 2 live pods of the same revision on a node;
/// - the no-surge budget, if given.
///
/// Also checks that the incremental walk ends at `final_view` and agrees with `cluster_at`.
pub fn check_invariants(t: &Timeline, budget: Budget) {
    let mut view = t.initial.clone();
    let budget_from = budget.max_unavailable.and_then(|(ev, max)| {
        let i = *t.event_steps.get(ev)?;
        let s = t.steps[i].status.as_ref()?;
        (s.number_unavailable == 0).then_some((i, max))
    });
    if budget.max_unavailable.is_some() {
        assert!(
            budget_from.is_some(),
            "the rollout did not start from a fully available DaemonSet\n{}",
            dump(t)
        );
    }
    for (i, step) in t.steps.iter().enumerate() {
        view.apply_step(step);
        let ctx = || {
            format!(
                "step {i} (t={}s {} {}: {})",
                step.time,
                step.actor.as_str(),
                step.action,
                step.message
            )
        };
        if let Some(s) = &step.status {
            assert_eq!(
                s.number_unavailable,
                s.desired_number_scheduled - s.number_available,
                "numberUnavailable at {}",
                ctx()
            );
            assert!(
                s.number_available <= s.number_ready,
                "available > ready at {}",
                ctx()
            );
            assert!(
                s.number_ready <= s.current_number_scheduled,
                "ready > current at {}",
                ctx()
            );
            assert!(
                s.current_number_scheduled <= s.desired_number_scheduled,
                "current > desired at {}",
                ctx()
            );
            assert!(
                s.updated_number_scheduled <= s.current_number_scheduled,
                "updated > current at {}",
                ctx()
            );
            assert!(
                s.number_misscheduled >= 0 && s.number_available >= 0,
                "negative at {}",
                ctx()
            );
            if let Some((from, max)) = budget_from {
                if i >= from {
                    assert!(
                        s.number_unavailable <= max,
                        "{} desired nodes without an available pod (maxUnavailable {max}) at {}\n{}",
                        s.number_unavailable,
                        ctx(),
                        dump(t)
                    );
                }
            }
        }
        let mut per_node: BTreeMap<&str, Vec<&PodView>> = BTreeMap::new();
        for p in ds_pods(&view) {
            if let Some(n) = p.node.as_deref() {
                per_node.entry(n).or_default().push(p);
            }
        }
        for (n, pods) in &per_node {
            assert!(
                pods.len() <= 2,
                "{} DaemonSet pods on {n} at {}\n{}",
                pods.len(),
                ctx(),
                dump(t)
            );
            let live: Vec<&&PodView> = pods.iter().filter(|p| p.phase != "Terminating").collect();
            for (a, b) in live.iter().zip(live.iter().skip(1)) {
                assert!(
                    a.hash.is_none() || a.hash != b.hash,
                    "two live pods of the same revision on {n} at {}\n{}",
                    ctx(),
                    dump(t)
                );
            }
        }
    }
    let mut a: Vec<&str> = view.pods.iter().map(|p| p.name.as_str()).collect();
    let mut b: Vec<&str> = t.final_view.pods.iter().map(|p| p.name.as_str()).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "the steps do not add up to the final view");
    if !t.steps.is_empty() {
        let at = t.cluster_at(Some(t.steps.len() - 1));
        let mut c: Vec<&str> = at.pods.iter().map(|p| p.name.as_str()).collect();
        c.sort();
        assert_eq!(c, b, "cluster_at(last) differs from the final view");
    }
}

// Helpers shared by the scenario test files.

pub const TOLERATE_ALL: &str = "tolerations: [{operator: Exists}]";

pub fn after(t: &dslab_sim::Timeline, from: usize) -> impl Iterator<Item = &dslab_sim::cluster::Step> {
    t.steps.iter().skip(from + 1)
}

pub fn live_pod_on(t: &dslab_sim::Timeline, node: &str) -> Option<dslab_sim::cluster::PodView> {
    ds_pods_on(&t.final_view, node)
        .into_iter()
        .find(|p| p.phase != "Terminating")
        .cloned()
}
