//! The scenario buttons' stories, applied to the cluster in the editors: each builds a scenario
//! (the editors' DaemonSet and nodes, plus the story's events) that the core plays.
//! The app only picks which node a story acts on (the first node where the core says the pod
//! runs) and spells the events; what happens next is the core's.

use dslab_sim::api::validation;
use dslab_sim::api::SpecOf;
use dslab_sim::cluster::Outcome;
use dslab_sim::k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use dslab_sim::k8s_openapi::api::core::v1::{Node, Taint};
use dslab_sim::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use dslab_sim::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use dslab_sim::plan::Plan;
use dslab_sim::simulate::{Action, Scenario, ScenarioEvent, TemplateChange};

use serde::{Deserialize, Serialize};

use crate::model::{Shared, UiMode};

#[derive(Clone, Debug, PartialEq)]
pub enum Story {
    Rollout,
    NodeJoins,
    NodeRemoved,
    Cordon,
    Drain,
    Taint,
    Crash,
    RollingUpdate {
        max_unavailable: String,
        max_surge: String,
    },
    OnDelete,
    Rollback,
    /// A whole scenario (a lesson's, a shared link's or an imported file's): its events, its
    /// other pods and its `until` play over the cluster in the editors.
    Scenario {
        /// Tells scenarios apart for the buttons (e.g. `lesson:node-join`).
        slug: &'static str,
        title: String,
        scenario: Shared<Scenario>,
    },
    /// A story the console changed: the first `keep` events of `base` (its end time dropped),
    /// then the console's events (kept apart, in `Sim::extra`).
    Console {
        base: Box<Story>,
        keep: usize,
        title: String,
    },
}

impl Story {
    /// The buttons, in order (the rolling update's fields are filled from the form).
    pub fn simple() -> [Story; 9] {
        [
            Story::Rollout,
            Story::NodeJoins,
            Story::NodeRemoved,
            Story::Cordon,
            Story::Drain,
            Story::Taint,
            Story::Crash,
            Story::OnDelete,
            Story::Rollback,
        ]
    }

    pub fn title(&self) -> &str {
        match self {
            Story::Scenario { title, .. } | Story::Console { title, .. } => title,
            Story::Rollout => "Initial rollout",
            Story::NodeJoins => "Node joins",
            Story::NodeRemoved => "Node removed",
            Story::Cordon => "Node cordoned",
            Story::Drain => "Node drained",
            Story::Taint => "Taint added",
            Story::Crash => "Pod crashes",
            Story::RollingUpdate { .. } => "Rolling update",
            Story::OnDelete => "OnDelete update",
            Story::Rollback => "Rollback",
        }
    }

    /// What the story does, for the button's tooltip.
    pub fn describe(&self) -> &'static str {
        match self {
            Story::Rollout => "Create the DaemonSet on the cluster and watch its pods start.",
            Story::NodeJoins => "A new node like the first one that runs the pod joins the cluster.",
            Story::NodeRemoved => "The first node that runs the pod is deleted.",
            Story::Cordon => "kubectl cordon on the first node that runs the pod.",
            Story::Drain => "kubectl drain --ignore-daemonsets on the first node that runs the pod.",
            Story::Taint => {
                "A NoExecute taint the DaemonSet does not tolerate lands on the first node that runs the pod."
            }
            Story::Crash => "The pod on the first node that runs it crashes.",
            Story::RollingUpdate { .. } => {
                "A new image, rolled out with the maxUnavailable and maxSurge you set."
            }
            Story::OnDelete => "A new image with the OnDelete strategy; then one pod is deleted by hand.",
            Story::Rollback => "A broken image (it crash-loops), then kubectl rollout undo.",
            Story::Scenario { .. } => "The events of a lesson, a shared link or a scenario file.",
            Story::Console { .. } => "A story and the kubectl commands typed in the console.",
        }
    }

    pub fn slug(&self) -> &'static str {
        match self {
            Story::Rollout => "rollout",
            Story::NodeJoins => "node-joins",
            Story::NodeRemoved => "node-removed",
            Story::Cordon => "cordon",
            Story::Drain => "drain",
            Story::Taint => "taint",
            Story::Crash => "crash",
            Story::RollingUpdate { .. } => "rolling-update",
            Story::OnDelete => "on-delete",
            Story::Rollback => "rollback",
            Story::Scenario { slug, .. } => slug,
            Story::Console { .. } => "console",
        }
    }

    /// This story with only its first `keep` events and no end time: the console rewrites the
    /// future from the step on screen.
    pub fn truncated(self, keep: usize) -> Story {
        match self {
            Story::Console { base, title, .. } => Story::Console { base, keep, title },
            base => Story::Console {
                title: format!("{} + kubectl", base.title()),
                base: Box::new(base),
                keep,
            },
        }
    }
}

/// maxUnavailable / maxSurge as typed: a whole number stays a number, anything else ("25%") a string
/// (the core's validation says what is wrong with it).
fn int_or_percent(s: &str) -> IntOrString {
    let s = s.trim();
    match s.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(s.to_string()),
    }
}

/// The first container's image with its tag replaced by `tag`.
fn retag(ds: &DaemonSet, tag: &str) -> String {
    let image = ds
        .spec()
        .template
        .spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_else(|| "image".to_string());
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    let repo = match image[slash..].find([':', '@']) {
        Some(i) => &image[..slash + i],
        None => image.as_str(),
    };
    format!("{repo}:{tag}")
}

/// The node a story acts on: the first one where the core says the pod runs, else the first.
fn target(nodes: &[Node], plan: &Plan) -> Option<String> {
    plan.nodes
        .iter()
        .find(|v| v.runs())
        .map(|v| v.name.clone())
        .or_else(|| nodes.first().and_then(|n| n.metadata.name.clone()))
}

/// A new node like `like` (same labels, no taints, not cordoned) named `name`.
fn joining_node(like: Option<&Node>, name: &str) -> Node {
    let mut n = like.cloned().unwrap_or_default();
    n.metadata = ObjectMeta {
        name: Some(name.to_string()),
        labels: n.metadata.labels.clone().map(|mut l| {
            if l.contains_key("kubernetes.io/hostname") {
                l.insert("kubernetes.io/hostname".to_string(), name.to_string());
            }
            l
        }),
        ..Default::default()
    };
    if let Some(spec) = n.spec.as_mut() {
        spec.taints = None;
        spec.unschedulable = None;
    }
    n
}

fn image_change(image: String, outcome: Outcome) -> Action {
    Action::UpdateTemplate {
        change: TemplateChange::Image {
            image,
            container: None,
        },
        outcome,
    }
}

/// Checks an update strategy with the core's own validation of a DaemonSet.
fn checked_strategy(ds: &DaemonSet, strategy: DaemonSetUpdateStrategy) -> Result<Action, String> {
    let mut probe = ds.clone();
    probe.spec_mut().update_strategy = Some(strategy.clone());
    match validation::daemonset(&probe)
        .into_iter()
        .find(|p| p.path.to_string().starts_with("spec.updateStrategy"))
    {
        Some(problem) => Err(format!("{}: {}", problem.path, problem.message)),
        None => Ok(Action::SetUpdateStrategy(strategy)),
    }
}

/// A story as the worker receives it: a button's story by its name, a whole scenario as the text
/// of its scenario file (the core reads it back).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StoryWire {
    Button(String),
    RollingUpdate {
        max_unavailable: String,
        max_surge: String,
    },
    Scenario {
        title: String,
        yaml: String,
    },
    /// A story the console changed (`Story::Console`, or any story with console events): the
    /// first `keep` events of `base` (all, and its end time, when `None`), then `events`, each as
    /// a scenario file writes it, with its `at`.
    Console {
        base: Box<StoryWire>,
        keep: Option<usize>,
        events: Vec<String>,
    },
}

impl Story {
    pub fn to_wire(&self) -> StoryWire {
        match self {
            Story::RollingUpdate {
                max_unavailable,
                max_surge,
            } => StoryWire::RollingUpdate {
                max_unavailable: max_unavailable.clone(),
                max_surge: max_surge.clone(),
            },
            Story::Scenario { title, scenario, .. } => StoryWire::Scenario {
                title: title.clone(),
                yaml: crate::share::scenario_file::scenario_yaml(scenario),
            },
            Story::Console { base, keep, .. } => StoryWire::Console {
                base: Box::new(base.to_wire()),
                keep: Some(*keep),
                events: Vec::new(),
            },
            simple => StoryWire::Button(simple.slug().to_string()),
        }
    }

    /// The story a wire names, and the console's events to play after its own.
    pub fn from_wire(wire: StoryWire) -> Result<(Story, Vec<String>), String> {
        match wire {
            StoryWire::Console { base, keep, events } => {
                let (base, _) = Story::from_wire(*base)?;
                let story = match keep {
                    Some(keep) => base.truncated(keep),
                    None => base,
                };
                Ok((story, events))
            }
            wire => Ok((Story::from_wire_alone(wire)?, Vec::new())),
        }
    }

    fn from_wire_alone(wire: StoryWire) -> Result<Story, String> {
        match wire {
            StoryWire::Console { .. } => Err("a console story inside another".to_string()),
            StoryWire::Button(slug) => Story::simple()
                .into_iter()
                .find(|s| s.slug() == slug)
                .ok_or_else(|| format!("unknown story {slug:?}")),
            StoryWire::RollingUpdate {
                max_unavailable,
                max_surge,
            } => Ok(Story::RollingUpdate {
                max_unavailable,
                max_surge,
            }),
            StoryWire::Scenario { title, yaml } => {
                let scenario = Scenario::from_yaml(yaml.as_bytes(), "scenario")
                    .map_err(|e| format!("the scenario does not read back: {e}"))?;
                Ok(Story::Scenario {
                    slug: "scenario",
                    title,
                    scenario: Shared::new(scenario),
                })
            }
        }
    }
}

/// The scenario for `story` over the editors' cluster.
pub fn scenario(
    story: &Story,
    ds: &DaemonSet,
    nodes: &[Node],
    plan: &Plan,
    mode: UiMode,
) -> Result<Scenario, String> {
    if let Story::Console { base, keep, .. } = story {
        let mut s = scenario(base, ds, nodes, plan, mode)?;
        s.events.truncate(*keep);
        s.until = None;
        return Ok(s);
    }
    if let Story::Scenario { scenario, .. } = story {
        // The editors hold the scenario's DaemonSet and nodes, possibly edited since: play theirs.
        let mut s = Scenario::clone(scenario);
        match s.daemonsets.first_mut() {
            Some(first) => *first = ds.clone(),
            None => s.daemonsets.push(ds.clone()),
        }
        s.nodes = nodes.to_vec();
        s.mode = mode.core();
        return Ok(s);
    }
    let node = target(nodes, plan).ok_or("the cluster has no node to act on")?;
    let actions: Vec<Action> = match story {
        Story::Rollout => Vec::new(),
        Story::NodeJoins => {
            let mut name = "node-joining".to_string();
            let mut i = 2;
            while nodes
                .iter()
                .any(|x| x.metadata.name.as_deref() == Some(name.as_str()))
            {
                name = format!("node-joining-{i}");
                i += 1;
            }
            let like = nodes
                .iter()
                .find(|x| x.metadata.name.as_deref() == Some(node.as_str()));
            vec![Action::AddNode(Box::new(joining_node(like, &name)))]
        }
        Story::NodeRemoved => vec![Action::RemoveNode(node)],
        Story::Cordon => vec![Action::Cordon(node)],
        Story::Drain => vec![Action::Drain { node, force: false }],
        Story::Taint => vec![Action::Taint {
            node,
            taint: Taint {
                key: "example.com/maintenance".to_string(),
                value: Some("true".to_string()),
                effect: "NoExecute".to_string(),
                time_added: None,
            },
        }],
        Story::Crash => vec![Action::CrashPod {
            node,
            container: None,
        }],
        Story::RollingUpdate {
            max_unavailable,
            max_surge,
        } => vec![
            checked_strategy(
                ds,
                DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".to_string()),
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_unavailable: Some(int_or_percent(max_unavailable)),
                        max_surge: Some(int_or_percent(max_surge)),
                    }),
                },
            )?,
            image_change(retag(ds, "next"), Outcome::Healthy),
        ],
        Story::OnDelete => vec![
            checked_strategy(
                ds,
                DaemonSetUpdateStrategy {
                    type_: Some("OnDelete".to_string()),
                    rolling_update: None,
                },
            )?,
            image_change(retag(ds, "next"), Outcome::Healthy),
            Action::DeletePod(node),
        ],
        // Played whole, above.
        Story::Scenario { .. } | Story::Console { .. } => Vec::new(),
        Story::Rollback => {
            vec![
                image_change(retag(ds, "broken"), Outcome::CrashLoop),
                Action::RolloutUndo { to_revision: None },
            ]
        }
    };
    let events = actions
        .into_iter()
        .enumerate()
        .map(|(index, action)| ScenarioEvent {
            index,
            line: 0,
            at: None,
            daemonset: None,
            action,
        })
        .collect();
    Ok(Scenario {
        title: Some(story.title().to_string()),
        mode: mode.core(),
        daemonsets: vec![ds.clone()],
        nodes: nodes.to_vec(),
        pods: Vec::new(),
        events,
        until: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_or_percent_keeps_numbers() {
        assert_eq!(int_or_percent("1"), IntOrString::Int(1));
        assert_eq!(int_or_percent(" 25% "), IntOrString::String("25%".to_string()));
    }

    #[test]
    fn retag_replaces_the_tag_only() {
        let mut ds = DaemonSet::default();
        ds.spec_mut().template.spec = Some(dslab_sim::k8s_openapi::api::core::v1::PodSpec {
            containers: vec![dslab_sim::k8s_openapi::api::core::v1::Container {
                name: "a".into(),
                image: Some("reg.io:5000/x/agent:1.2".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        assert_eq!(retag(&ds, "next"), "reg.io:5000/x/agent:next");
    }
}
