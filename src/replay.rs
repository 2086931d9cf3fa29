//! Reading a timeline the core computed: the cluster after any step, quickly. The core gives the
//! first view and each step's changes; we keep a copy of the view every few steps so that jumping
//! around (scrubber, step back) re-applies at most a handful of steps. Nothing is undone.

use dslab_sim::cluster::{ClusterView, KubeEvent, Step};
use dslab_sim::simulate::Timeline;

const EVERY: usize = 32;

pub struct Replay {
    pub timeline: Timeline,
    /// The view at player index `k * EVERY`, events left out (they are read from the steps).
    checkpoints: Vec<ClusterView>,
}

impl Replay {
    pub fn new(timeline: Timeline) -> Self {
        let mut view = timeline.initial.clone();
        view.events.clear();
        let mut checkpoints = vec![view.clone()];
        for (i, step) in timeline.steps.iter().enumerate() {
            apply(&mut view, step);
            if (i + 1) % EVERY == 0 {
                checkpoints.push(view.clone());
            }
        }
        Replay {
            timeline,
            checkpoints,
        }
    }

    /// Player positions: 0 is the cluster before the first step, `k` the cluster after step `k`.
    pub fn len(&self) -> usize {
        self.timeline.steps.len() + 1
    }

    pub fn view_at(&self, index: usize) -> ClusterView {
        let index = index.min(self.timeline.steps.len());
        let k = (index / EVERY).min(self.checkpoints.len() - 1);
        let mut view = self.checkpoints[k].clone();
        for step in &self.timeline.steps[k * EVERY..index] {
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
