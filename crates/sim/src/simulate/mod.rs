//! Plays a scenario: the cluster settles from its initial state, then each event applies at its
//! time, and every actor's action becomes a step. Deterministic: same scenario, same steps.

mod action;
mod events;
pub mod report;
pub mod scenario;
mod scenario_event;
#[cfg(test)]
mod tests;

pub use scenario::{Action, Cascade, Scenario, ScenarioEvent, TemplateChange};

use crate::cluster::{ClusterView, ScenarioPods, SharedTexts, SimDaemonSet, SimNode, SimPod, Step, World};
use crate::controller::daemonset::caches::DaemonSetsController;
use crate::controller::daemonset::daemon_controller;
use crate::gc::{garbage_collector, pod_gc};
use crate::kubelet;
use crate::node_lifecycle;
use crate::scheduler::schedule_one;
use crate::words::Mode;
use serde::Serialize;

/// Limits that keep a runaway scenario (an evict/recreate loop, a crash loop) finite.
pub const MAX_STEPS: usize = 400_000;
/// An event without `at` waits for the cluster to settle, but not longer than this.
pub const SETTLE_LIMIT: u64 = 900;
/// Without `until`, the run ends when the cluster settles after the last event, or this long after it.
pub const TAIL_LIMIT: u64 = 1800;
const MAX_ROUNDS_PER_INSTANT: usize = 10_000;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevisionView {
    pub name: String,
    pub revision: i64,
    pub hash: String,
    pub image: String,
    pub daemonset: Option<String>,
}

/// The result of a run: the first view, every step, and the last view.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub mode: Mode,
    pub title: Option<String>,
    pub initial: ClusterView,
    pub steps: Vec<Step>,
    pub final_view: ClusterView,
    pub revisions: Vec<RevisionView>,
    /// Nothing was left to happen when the run ended.
    pub settled: bool,
    /// The run hit MAX_STEPS.
    pub truncated: bool,
    /// For each scenario event, the index of its first step (for "jump to event").
    pub event_steps: Vec<usize>,
    /// Views at regular steps (without events), built on first use, so that going to any step
    /// replays at most one interval of changes.
    checkpoints: std::sync::OnceLock<Vec<(usize, ClusterView)>>,
}

impl Timeline {
    /// The cluster just before event `event` (0-based) was applied, that is after the previous
    /// one settled; `event == events.len()` gives the final state.
    pub fn before_event(&self, event: usize) -> ClusterView {
        match self.event_steps.get(event) {
            Some(0) => self.cluster_at(None),
            Some(first) => self.cluster_at(Some(first - 1)),
            None => self.cluster_at(self.steps.len().checked_sub(1)),
        }
    }

    /// The cluster as it was right after step `index` (`None`: before the first step), with the
    /// events recorded so far.
    pub fn cluster_at(&self, index: Option<usize>) -> ClusterView {
        let Some(i) = index
            .map(|i| i.min(self.steps.len().saturating_sub(1)))
            .filter(|_| !self.steps.is_empty())
        else {
            return self.initial.clone();
        };
        let cps = self.checkpoints();
        let at = cps.partition_point(|(idx, _)| *idx <= i);
        let (mut view, from) = match at.checked_sub(1).and_then(|k| cps.get(k)) {
            Some((idx, v)) => (v.clone(), idx + 1),
            None => (self.initial.clone(), 0),
        };
        for step in &self.steps[from..=i] {
            view.apply_step(step);
        }
        view.time = self.steps[i].time;
        view.events = self.steps[..=i].iter().filter_map(|s| s.event.clone()).collect();
        view
    }

    fn checkpoints(&self) -> &[(usize, ClusterView)] {
        self.checkpoints.get_or_init(|| {
            let every = (self.steps.len() / 32).max(128);
            let mut out = Vec::new();
            let mut view = self.initial.clone();
            for (i, step) in self.steps.iter().enumerate() {
                view.apply_step(step);
                if (i + 1) % every == 0 {
                    view.time = step.time;
                    out.push((i, view.clone()));
                }
            }
            out
        })
    }
}

/// Runs a scenario to its end. The loop owns the store (`w`) and, beside it, the DaemonSet
/// controller's own caches (`dsc`); it hands both to every actor, and the store lets the
/// controller catch up before each step it records.
pub fn run(s: &Scenario) -> Timeline {
    let mut w = World::new(s.mode);
    // The DaemonSets first: the controller keeps its caches for the DaemonSets it knows of.
    for (i, d) in s.daemonsets.iter().enumerate() {
        let mut d = d.clone();
        d.metadata.generation.get_or_insert(1);
        d.metadata
            .uid
            .get_or_insert_with(|| format!("00000000-0000-4000-8000-{:012}", i + 1));
        w.daemonsets.push(SimDaemonSet::new(d));
    }
    let mut dsc = DaemonSetsController::new(&w);
    w.reserve_nodes(s.nodes.len());
    for n in &s.nodes {
        w.add_node(&mut dsc, SimNode::new(n.clone()));
    }
    let mut manifests = ScenarioPods::default();
    // A scenario's pods of the first DaemonSet share its name and namespace texts.
    let mut shared = w
        .daemonsets
        .first()
        .map(SimDaemonSet::pod_texts)
        .unwrap_or_default();
    for p in &s.pods {
        // Admission gives every pod the default not-ready/unreachable tolerations.
        let manifest = manifests.manifest(p, events::admit_default_tolerations);
        // Namespace, owner, image and hash texts shared with the pod before when the same.
        let sp = SimPod::from_scenario(manifest, &shared);
        shared = SharedTexts::of(&sp);
        if let Some(node) = sp.bound.clone() {
            // A running pod's images are all on its node.
            for i in 0..sp.containers.len() {
                w.add_image(&node, sp.image_of(i));
            }
        }
        w.add_pod(sp);
    }
    // Pods bound to (or meant for) nodes that do not exist: the pod GC and the controller treat
    // them like pods of a removed node.
    let missing: Vec<String> = w
        .pods
        .values()
        .filter_map(|p| p.target.as_deref())
        .filter(|t| w.node(t).is_none())
        .map(str::to_string)
        .collect();
    for t in missing {
        w.gone_nodes.insert(t, 0);
    }
    let initial = w.view(&mut dsc);
    let mut event_steps = Vec::new();
    let mut next_event = 0;
    let mut last_event_time = 0;
    let mut truncated = false;
    loop {
        truncated |= quiesce(&mut w, &mut dsc);
        if truncated {
            break;
        }
        let timer = next_wakeup(&w, &dsc);
        // When does the next event apply?
        let event_time = s.events.get(next_event).map(|e| match e.at {
            Some(at) => at.max(w.now),
            // No time given: as soon as the cluster has settled, but never later than the limit.
            None if timer.is_none() => w.now,
            None => (last_event_time + SETTLE_LIMIT).max(w.now),
        });
        let end = match (s.until, next_event >= s.events.len()) {
            (Some(u), _) => Some(u),
            (None, true) => Some(last_event_time + TAIL_LIMIT),
            (None, false) => None,
        };
        let next = match (timer, event_time) {
            (Some(t), Some(e)) => t.min(e),
            (Some(t), None) => t,
            (None, Some(e)) => e,
            (None, None) => break, // settled, nothing left
        };
        // Past the end, only the moment pods turn available is still played (without `until`):
        // a minReadySeconds longer than the tail limit would otherwise hide it.
        let available_only = s.until.is_none() && available_wakeup(&w) == Some(next);
        if end.is_some_and(|e| next > e) && !available_only {
            break;
        }
        if next > w.now {
            w.now = next;
            w.mark_time_advanced();
            daemon_controller::clock_moved(&mut w, &dsc);
            // Pods whose minReadySeconds ran out now: each turns available on a step of its own.
            daemon_controller::record_available(&mut w, &mut dsc);
        }
        if event_time == Some(w.now) {
            let e = &s.events[next_event];
            event_steps.push(w.steps.len());
            events::apply(&mut w, &mut dsc, s, e);
            last_event_time = w.now;
            next_event += 1;
        }
        if w.steps.len() >= MAX_STEPS {
            truncated = true;
            break;
        }
    }
    let settled = !truncated && next_wakeup(&w, &dsc).is_none() && next_event >= s.events.len();
    let final_view = w.view(&mut dsc);
    let revisions = w
        .revisions
        .iter()
        .map(|r| RevisionView {
            name: r.name.clone(),
            revision: r.revision,
            hash: r.hash.clone(),
            image: r
                .template
                .spec
                .as_ref()
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.clone())
                .unwrap_or_default(),
            daemonset: r.owner.clone(),
        })
        .collect();
    Timeline {
        mode: s.mode,
        title: s.title.clone(),
        initial,
        steps: std::mem::take(&mut w.steps),
        final_view,
        revisions,
        settled,
        truncated,
        event_steps,
        checkpoints: std::sync::OnceLock::new(),
    }
}

/// Lets every actor act at the current instant until none has anything left to do.
/// Returns true when the run must stop (step limit).
fn quiesce(w: &mut World, dsc: &mut DaemonSetsController) -> bool {
    for _ in 0..MAX_ROUNDS_PER_INSTANT {
        let mut acted = node_lifecycle::act(w, dsc);
        let dirty = daemon_controller::take_dirty(w);
        for di in 0..w.daemonsets.len() {
            acted |= daemon_controller::sync_with(w, dsc, di, &dirty);
        }
        acted |= schedule_one::act(w, dsc);
        acted |= kubelet::act(w, dsc);
        acted |= pod_gc::act(w, dsc);
        acted |= garbage_collector::act(w, dsc);
        if w.steps.len() >= MAX_STEPS {
            return true;
        }
        if !acted {
            return false;
        }
    }
    false
}

/// The next moment some actor has something to do, if any.
fn next_wakeup(w: &World, dsc: &DaemonSetsController) -> Option<u64> {
    [
        daemon_controller::next_wakeup(w, dsc),
        kubelet::next_wakeup(w),
        node_lifecycle::next_wakeup(w),
        pod_gc::next_wakeup(w),
    ]
    .into_iter()
    .flatten()
    .min()
}

/// The next moment a Ready pod of a DaemonSet turns available (minReadySeconds after Ready).
fn available_wakeup(w: &World) -> Option<u64> {
    let now = w.now;
    w.daemonsets
        .iter()
        .filter(|d| !d.deleted && d.min_ready_seconds() > 0)
        .flat_map(|d| {
            let min_ready = d.min_ready_seconds();
            w.pods
                .values()
                .filter(move |p| p.owner.as_deref() == Some(&d.name) && p.ready && p.deleting.is_none())
                .filter_map(move |p| p.ready_since.map(|s| s + min_ready))
        })
        .filter(|t| *t > now)
        .min()
}
