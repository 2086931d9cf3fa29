//! A timeline as plain data, to carry it from the thread that ran the simulation to the one that
//! shows it (the app runs the core in a Web Worker). The CLI's JSON (`report`) is for people and
//! leaves out what the player needs (each step's changes and event); this form keeps everything,
//! so that `into_timeline(from_timeline(t))` replays exactly as `t`.
//!
//! A long timeline goes in parts: a head, then the steps in chunks, so that the receiving side
//! decodes a few thousand steps at a time instead of holding its thread for the whole run.

use serde::{Deserialize, Serialize};

use super::{RevisionView, Timeline};
use crate::cluster::{Actor, Change, Changes, ClusterView, DsStatus, KubeEvent, Step};
use crate::text::Text;
use crate::words::Mode;

/// Everything of a timeline but its steps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Head {
    pub mode: Mode,
    pub title: Option<String>,
    pub initial: ClusterView,
    pub final_view: ClusterView,
    pub revisions: Vec<RevisionView>,
    pub settled: bool,
    pub truncated: bool,
    pub event_steps: Vec<usize>,
    /// How many steps follow, in chunks.
    pub steps: usize,
}

/// One step, whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireStep {
    pub time: u64,
    pub actor: Actor,
    pub action: Text,
    pub object: Text,
    pub node: Option<Text>,
    pub message: Text,
    pub status: Option<DsStatus>,
    pub event: Option<KubeEvent>,
    pub changes: Vec<Change>,
}

impl From<&Step> for WireStep {
    fn from(s: &Step) -> Self {
        WireStep {
            time: s.time,
            actor: s.actor,
            action: s.action.clone(),
            object: s.object.clone(),
            node: s.node.clone(),
            message: s.message.clone(),
            status: s.status.clone(),
            event: s.event.clone(),
            changes: s.changes.to_vec(),
        }
    }
}

impl From<WireStep> for Step {
    fn from(w: WireStep) -> Self {
        let mut changes = w.changes;
        Step {
            time: w.time,
            actor: w.actor,
            action: w.action,
            object: w.object,
            node: w.node,
            message: w.message,
            status: w.status,
            event: w.event,
            changes: Changes::take_from(&mut changes),
        }
    }
}

/// The head of `t`; its steps go apart (`WireStep::from` each).
pub fn head(t: &Timeline) -> Head {
    Head {
        mode: t.mode,
        title: t.title.clone(),
        initial: t.initial.clone(),
        final_view: t.final_view.clone(),
        revisions: t.revisions.clone(),
        settled: t.settled,
        truncated: t.truncated,
        event_steps: t.event_steps.clone(),
        steps: t.steps.len(),
    }
}

/// A timeline again, from its head and all its steps in order.
pub fn timeline(head: Head, steps: Vec<Step>) -> Timeline {
    Timeline {
        mode: head.mode,
        title: head.title,
        initial: head.initial,
        steps,
        final_view: head.final_view,
        revisions: head.revisions,
        settled: head.settled,
        truncated: head.truncated,
        event_steps: head.event_steps,
        checkpoints: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{run, Scenario};

    const SCENARIO: &str = include_str!("../../../../scenarios/rolling-update.yaml");

    /// Through JSON and back, a timeline replays to the same cluster at every step.
    #[test]
    fn a_timeline_survives_the_trip() {
        let t = run(&Scenario::from_yaml(SCENARIO.as_bytes(), "s").unwrap());
        let head_json = serde_json::to_string(&head(&t)).unwrap();
        let steps_json =
            serde_json::to_string(&t.steps.iter().map(WireStep::from).collect::<Vec<_>>()).unwrap();
        let head: Head = serde_json::from_str(&head_json).unwrap();
        let steps: Vec<WireStep> = serde_json::from_str(&steps_json).unwrap();
        let back = timeline(head, steps.into_iter().map(Step::from).collect());
        assert!(t.steps.len() > 10);
        assert_eq!(back.steps.len(), t.steps.len());
        for i in [None, Some(0), Some(t.steps.len() / 2), Some(t.steps.len() - 1)] {
            assert_eq!(back.cluster_at(i), t.cluster_at(i), "at step {i:?}");
        }
        assert_eq!(back.final_view, t.final_view);
        assert_eq!(back.event_steps, t.event_steps);
    }
}
