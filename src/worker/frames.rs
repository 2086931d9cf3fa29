//! A story as the page shows it, one player position at a time. The timeline and its cluster
//! views stay where the simulation ran (the worker): the page asks for a position and gets only
//! what it draws there — the node cards that changed since the last frame, the `kubectl get ds`
//! row, the step's text and the last events. A rollout over 5,000 nodes has tens of thousands of
//! steps, each view holds every node and pod: none of that crosses to the page, and the page's
//! wasm needs no decoder for it.

use dslab_sim::cluster::{Actor, ClusterView, Step};
use dslab_sim::kubectl::words::{age, get_ds_row};
use dslab_sim::kubectl::{self, Outcome};
use dslab_sim::simulate::Timeline;
use serde::{Deserialize, Serialize};

use crate::model::{self, NodeCard};
use crate::replay::Replay;

/// Events listed under the player (the newest ones).
pub const EVENTS_SHOWN: usize = 40;

/// What the page needs of a whole run: how many positions the player has, and the step at
/// which each scenario event applied (the console rewrites the future from the step on screen).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryIndex {
    pub positions: usize,
    pub event_steps: Vec<usize>,
    pub shape: StoryShape,
}

/// How a run's scenario is made: the story's own events first (`own_events` of them), then the
/// console's; and whether the story has an end time of its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryShape {
    pub own_events: usize,
    pub until: bool,
}

/// One step as the pipeline and the presenter's notes tell it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepLine {
    pub actor: Actor,
    pub time: u64,
    pub action: String,
    pub object: String,
    pub message: String,
}

impl StepLine {
    fn of(s: &Step) -> Self {
        StepLine {
            actor: s.actor,
            time: s.time,
            action: s.action.to_string(),
            object: s.object.to_string(),
            message: s.message.to_string(),
        }
    }
}

/// The cards that differ from the previous frame sent for the same run (all of them in the
/// first), by position; `count` is how many cards there are now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CardPatch {
    pub count: usize,
    pub changed: Vec<(usize, NodeCard)>,
}

impl CardPatch {
    /// `cards` with this patch applied.
    pub fn apply(&self, cards: &mut Vec<NodeCard>) {
        cards.truncate(self.count);
        for (i, card) in &self.changed {
            if *i < cards.len() {
                cards[*i] = card.clone();
            } else {
                cards.push(card.clone());
            }
        }
    }
}

/// The player's screen at one position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub index: usize,
    /// Simulated seconds at this position.
    pub time: u64,
    pub cards: CardPatch,
    /// `kubectl get ds` for the DaemonSet, as it prints after this step; `None` once deleted.
    pub ds_row: Option<Vec<String>>,
    /// The step that led here (none before the first), and the next one.
    pub step: Option<StepLine>,
    pub next: Option<StepLine>,
    /// The newest events so far as `kubectl describe` lists them (type, reason, age, from,
    /// message), oldest first, and how many there were in all.
    pub events: Vec<[String; 5]>,
    pub events_total: usize,
}

/// What a console line gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KubectlAnswer {
    Output(String),
    Error {
        message: String,
        hint: Option<String>,
    },
    /// The command changes the cluster: the event as a scenario file writes it (the page puts
    /// it on the timeline), and what kubectl prints when it succeeds.
    Change {
        event: String,
        daemonset: Option<String>,
        output: String,
    },
}

/// A run of the story, kept where it was simulated.
pub struct Played {
    pub run: u64,
    replay: Replay,
    /// The cards of the last frame sent (the next one sends what differs).
    sent: Vec<NodeCard>,
    shape: StoryShape,
}

impl Played {
    pub fn new(run: u64, timeline: Timeline, shape: StoryShape) -> Self {
        Played {
            run,
            replay: Replay::new(timeline),
            sent: Vec::new(),
            shape,
        }
    }

    pub fn index(&self) -> StoryIndex {
        StoryIndex {
            positions: self.replay.len(),
            event_steps: self.replay.timeline.event_steps.clone(),
            shape: self.shape,
        }
    }

    /// The frame at `index` (clamped to the last position).
    pub fn frame(&mut self, index: usize) -> Frame {
        let index = index.min(self.replay.len() - 1);
        let view = self.replay.view_at(index);
        let cards = model::cards_from_view(&view);
        let patch = CardPatch {
            count: cards.len(),
            changed: cards
                .iter()
                .enumerate()
                .filter(|(i, c)| self.sent.get(*i) != Some(*c))
                .map(|(i, c)| (i, c.clone()))
                .collect(),
        };
        self.sent = cards;
        let step = self.replay.step(index);
        // The status after this step, as the core computed it with the step; before the first
        // step, the view's.
        let ds_row = view.daemonsets.first().and_then(|d| match step {
            Some(s) => s.status.as_ref().map(|st| get_ds_row(d, st, view.time).into()),
            None => Some(get_ds_row(d, &d.status, view.time).into()),
        });
        let (events, events_total) = self.replay.events_until(index, EVENTS_SHOWN);
        let now = step.map_or(0, |s| s.time);
        Frame {
            index,
            time: view.time,
            cards: patch,
            ds_row,
            step: step.map(StepLine::of),
            next: self.replay.step(index + 1).map(StepLine::of),
            events: events
                .into_iter()
                .map(|e| {
                    [
                        e.type_.to_string(),
                        e.reason.to_string(),
                        age(now.saturating_sub(e.time)),
                        e.from.to_string(),
                        format!("{}: {}", e.object, e.message),
                    ]
                })
                .collect(),
            events_total,
        }
    }

    /// The cluster at `index` with every event recorded so far, as the console sees it.
    fn cluster_at(&self, index: usize) -> ClusterView {
        let mut view = self.replay.view_at(index);
        view.events = self.replay.events_until(index, usize::MAX).0;
        view
    }

    /// Runs one console line on the cluster at `index`. A change applies one simulated second
    /// after the step on screen.
    pub fn kubectl(&self, index: usize, line: &str) -> KubectlAnswer {
        let cluster = self.cluster_at(index);
        match kubectl::execute(line, &cluster) {
            Outcome::Output(text) => KubectlAnswer::Output(text),
            Outcome::Error { message, hint } => KubectlAnswer::Error { message, hint },
            Outcome::Change {
                action,
                daemonset,
                output,
            } => {
                let event = dslab_sim::simulate::ScenarioEvent {
                    index: 0,
                    line: 0,
                    at: Some(cluster.time + 1),
                    daemonset: daemonset.clone(),
                    action,
                };
                let event = crate::share::scenario_file::event_value(&event);
                KubectlAnswer::Change {
                    event: serde_yaml::to_string(&event).unwrap_or_default(),
                    daemonset,
                    output,
                }
            }
        }
    }

    /// Tab completions of `line` on the cluster at `index`.
    pub fn complete(&self, index: usize, line: &str) -> Vec<String> {
        kubectl::complete(line, &self.cluster_at(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dslab_sim::simulate::{run, Scenario};

    fn played() -> Played {
        let yaml = include_str!("../../scenarios/rolling-update.yaml");
        Played::new(
            1,
            run(&Scenario::from_yaml(yaml.as_bytes(), "s").unwrap()),
            StoryShape::default(),
        )
    }

    /// Frames patched one onto another, in any order, give the cards of the core's own view.
    #[test]
    fn patched_frames_are_the_cores_cards() {
        let mut p = played();
        let t = p.replay.timeline.clone();
        let last = p.replay.len() - 1;
        let mut cards = Vec::new();
        for index in [0, last, 1, last / 2, 2, last / 2 + 1, last] {
            p.frame(index).cards.apply(&mut cards);
            let want = model::cards_from_view(&t.cluster_at(index.checked_sub(1)));
            assert_eq!(cards, want, "at {index}");
        }
    }

    #[test]
    fn a_frame_tells_its_step_and_the_next() {
        let mut p = played();
        let first = p.frame(0);
        assert_eq!(first.step, None);
        assert_eq!(
            first.next.as_ref().map(|s| s.time),
            Some(p.replay.timeline.steps[0].time)
        );
        let f = p.frame(3);
        assert_eq!(
            f.step.as_ref().map(|s| s.message.as_str()),
            Some(p.replay.timeline.steps[2].message.as_str())
        );
        assert!(f.events.len() <= EVENTS_SHOWN && f.events.len() <= f.events_total);
        let row = f.ds_row.expect("the DaemonSet is there");
        assert_eq!(row.len(), dslab_sim::kubectl::words::GET_DS_COLUMNS.len());
    }

    #[test]
    fn the_console_runs_on_the_position_asked() {
        let p = played();
        let KubectlAnswer::Output(text) = p.kubectl(p.replay.len() - 1, "get ds -A") else {
            panic!("get ds prints");
        };
        assert!(text.starts_with("NAMESPACE"), "{text}");
        let node = p.replay.timeline.final_view.nodes[0].name.to_string();
        match p.kubectl(0, &format!("cordon {node}")) {
            KubectlAnswer::Change { event, output, .. } => {
                assert!(event.contains("cordon") && event.contains(&node), "{event}");
                assert!(output.contains("cordoned"), "{output}");
            }
            other => panic!("cordon changes the cluster: {other:?}"),
        }
        // One candidate: the command completed (as the console's Tab test expects in the browser).
        assert_eq!(p.complete(0, "cord"), vec!["cordon".to_string()]);
    }
}
