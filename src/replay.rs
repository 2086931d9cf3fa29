//! Reading a timeline the core computed: the cluster after any step, quickly. The core gives the
//! first view and each step's changes; we keep a copy of the view every so many steps, made the
//! first time the player goes past it, so that jumping around (scrubber, step back) re-applies at
//! most one interval of steps, and a story is ready to play as soon as its steps have arrived.

use std::sync::Mutex;

use dslab_sim::cluster::{ClusterView, KubeEvent, Step};
use dslab_sim::simulate::Timeline;

/// At most this many copies of the cluster per timeline (each holds every node and pod).
const MAX_CHECKPOINTS: usize = 16;
const MIN_EVERY: usize = 64;

pub struct Replay {
    pub timeline: Timeline,
    every: usize,
    /// The view at player index `k * every`, events left out (they are read from the steps).
    checkpoints: Mutex<Vec<ClusterView>>,
}

impl Replay {
    pub fn new(timeline: Timeline) -> Self {
        let mut first = timeline.initial.clone();
        first.events.clear();
        Replay {
            every: (timeline.steps.len() / MAX_CHECKPOINTS).max(MIN_EVERY),
            timeline,
            checkpoints: Mutex::new(vec![first]),
        }
    }

    /// Player positions: 0 is the cluster before the first step, `k` the cluster after step `k`.
    pub fn len(&self) -> usize {
        self.timeline.steps.len() + 1
    }

    pub fn view_at(&self, index: usize) -> ClusterView {
        let index = index.min(self.timeline.steps.len());
        let k = index / self.every;
        // A panic cannot leave the copies half made (each is pushed whole): a poisoned lock is fine.
        let mut checkpoints = self.checkpoints.lock().unwrap_or_else(|e| e.into_inner());
        while checkpoints.len() <= k {
            let from = (checkpoints.len() - 1) * self.every;
            let mut view = checkpoints[checkpoints.len() - 1].clone();
            for step in &self.timeline.steps[from..from + self.every] {
                apply(&mut view, step);
            }
            checkpoints.push(view);
        }
        let mut view = checkpoints[k].clone();
        drop(checkpoints);
        for step in &self.timeline.steps[k * self.every..index] {
            apply(&mut view, step);
        }
        view
    }

    /// The step that led to position `index` (none at 0).
    pub fn step(&self, index: usize) -> Option<&Step> {
        index.checked_sub(1).and_then(|i| self.timeline.steps.get(i))
    }

    /// The last `max` events recorded up to position `index`, oldest first, with how many there
    /// were in all.
    pub fn events_until(&self, index: usize, max: usize) -> (Vec<KubeEvent>, usize) {
        let index = index.min(self.timeline.steps.len());
        let all: Vec<&KubeEvent> = self
            .timeline
            .initial
            .events
            .iter()
            .chain(
                self.timeline.steps[..index]
                    .iter()
                    .filter_map(|s| s.event.as_ref()),
            )
            .collect();
        let total = all.len();
        (
            all[total.saturating_sub(max)..]
                .iter()
                .map(|e| (*e).clone())
                .collect(),
            total,
        )
    }
}

fn apply(view: &mut ClusterView, step: &Step) {
    view.apply_step(step);
    view.time = step.time;
}

#[cfg(test)]
mod tests {
    use super::*;
    use dslab_sim::simulate::{run, Scenario};

    /// Any position, in any order, gives the core's own view of the cluster after that step.
    #[test]
    fn every_position_is_the_cores_view() {
        let yaml = include_str!("../scenarios/rolling-update.yaml");
        let t = run(&Scenario::from_yaml(yaml.as_bytes(), "s").unwrap());
        let n = t.steps.len();
        let replay = Replay::new(t.clone());
        for index in [n, 0, n / 2, 1, n - 1, 70, 65, 64, 63, 128] {
            let mut want = t.cluster_at(index.checked_sub(1));
            want.events.clear();
            assert_eq!(replay.view_at(index), want, "at {index}");
        }
    }
}
