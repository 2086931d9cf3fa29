//! The app's state: signals in one `Lab` value shared through context.

use std::collections::HashMap;

use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::k8s_openapi::api::core::v1::{Node, Pod};
use dslab_sim::plan::Plan;
use dslab_sim::simulate::{Scenario, ScenarioEvent};
use dslab_sim::Mode;
use dslab_sim::Nodes;
use leptos::prelude::*;

use crate::examples;
use crate::model::{self, EditorError, NodeCard, Shared, UiMode};
use crate::player::controls::Player;
use crate::replay::Replay;
use crate::stories::{self, Story};

/// Above this many nodes the cluster view starts compact.
pub const COMPACT_FROM: usize = 40;

#[derive(Clone, Copy)]
pub struct Lab {
    pub ds_text: RwSignal<String>,
    pub nodes_text: RwSignal<String>,
    /// The last DaemonSet that parsed (stays on screen while the editor holds an error): the
    /// one picked among the editor's DaemonSets.
    pub ds: RwSignal<Option<Shared<DaemonSet>>>,
    /// Every DaemonSet the editor holds, for the picker.
    pub ds_all: RwSignal<Shared<Vec<DaemonSet>>>,
    /// `namespace/name` of the DaemonSet picked (the first when none is).
    pub ds_pick: RwSignal<Option<String>>,
    /// What each editor left out ("skipped 3 other objects: …").
    pub ds_note: RwSignal<Option<String>>,
    pub nodes_note: RwSignal<Option<String>>,
    /// Pods of other workloads found in the Nodes editor (a dump with pods): they use resources
    /// and host ports, as `dslab plan --pods` takes them.
    pub pods: RwSignal<Shared<Vec<Pod>>>,
    /// The last node list that parsed.
    pub nodes: RwSignal<Option<Shared<Nodes>>>,
    pub ds_error: RwSignal<Option<EditorError>>,
    pub nodes_error: RwSignal<Option<EditorError>>,
    pub mode: RwSignal<UiMode>,
    pub selected: RwSignal<Option<String>>,
    /// `None`: decided by the number of nodes.
    pub compact: RwSignal<Option<bool>>,
    pub plan: Memo<Option<Shared<Plan>>>,
    pub sim: Sim,
    /// Speaker notes for presentation mode: the Markdown text of the lesson whose scenario is on
    /// screen (set by the lesson page), if any.
    pub notes: RwSignal<Option<String>>,
    /// The cards on screen: the simulated cluster at the player's step while a scenario is on,
    /// otherwise the verdicts for the editors' cluster.
    pub cards: Memo<Vec<NodeCard>>,
    /// The node names in card order (changes only when nodes come or go).
    pub names: Memo<Vec<String>>,
    card_pos: Memo<HashMap<String, usize>>,
}

/// A scenario being played.
#[derive(Clone, Copy)]
pub struct Sim {
    pub story: RwSignal<Option<Story>>,
    /// Events played after the story's own: kubectl console commands, or the events of a shared
    /// link or an imported scenario file.
    pub extra: RwSignal<Vec<ScenarioEvent>>,
    /// The core's timeline for the story over the editors' cluster, or why it could not be built.
    pub replay: Memo<Option<Result<Shared<Replay>, String>>>,
    pub player: Player,
    /// The simulated cluster at the player's position.
    pub view: Memo<Option<Shared<dslab_sim::cluster::ClusterView>>>,
}

impl Sim {
    fn new(
        ds: RwSignal<Option<Shared<DaemonSet>>>,
        nodes: RwSignal<Option<Shared<Nodes>>>,
        pods: RwSignal<Shared<Vec<Pod>>>,
        plan: Memo<Option<Shared<Plan>>>,
        mode: RwSignal<UiMode>,
    ) -> Self {
        let story: RwSignal<Option<Story>> = RwSignal::new(None);
        let extra: RwSignal<Vec<ScenarioEvent>> = RwSignal::new(Vec::new());
        let replay = Memo::new(move |_| {
            let story = story.get()?;
            let ds = ds.get()?;
            let nodes = nodes.get()?;
            let plan = plan.get()?;
            let pods = pods.get();
            extra.with(|extra| Some(run_story(&story, &ds, &nodes, &pods, &plan, mode.get(), extra)))
        });
        let len = Signal::derive(move || {
            replay.with(|r| match r {
                Some(Ok(r)) => r.len(),
                _ => 0,
            })
        });
        let player = Player::new(len);
        let view = Memo::new(move |_| {
            let index = player.index.get();
            replay.with(|r| match r {
                Some(Ok(r)) => Some(Shared::new(r.view_at(index))),
                _ => None,
            })
        });
        Sim {
            story,
            extra,
            replay,
            player,
            view,
        }
    }

    pub fn active(&self) -> bool {
        self.story.with(Option::is_some)
    }

    pub fn start(&self, story: Story) {
        self.player.restart();
        self.extra.set(Vec::new());
        self.story.set(Some(story));
    }

    pub fn stop(&self) {
        self.player.pause();
        self.extra.set(Vec::new());
        self.story.set(None);
    }
}

fn run_story(
    story: &Story,
    ds: &DaemonSet,
    nodes: &[Node],
    pods: &[Pod],
    plan: &Plan,
    mode: UiMode,
    extra: &[ScenarioEvent],
) -> Result<Shared<Replay>, String> {
    let mut scenario = stories::scenario(story, ds, nodes, plan, mode)?;
    // The other workloads of a pasted dump run in the story too (a scenario file brings its own).
    if scenario.pods.is_empty() {
        scenario.pods = pods.to_vec();
    }
    for e in extra {
        let index = scenario.events.len();
        scenario.events.push(ScenarioEvent { index, ..e.clone() });
    }
    Ok(Shared::new(Replay::new(dslab_sim::simulate::run(&scenario))))
}

impl Lab {
    pub fn new() -> Self {
        let ds_text = RwSignal::new(examples::DAEMONSET_YAML.to_string());
        let nodes_text = RwSignal::new(examples::NODES_YAML.to_string());
        let ds: RwSignal<Option<Shared<DaemonSet>>> = RwSignal::new(None);
        let nodes: RwSignal<Option<Shared<Nodes>>> = RwSignal::new(None);
        let ds_error = RwSignal::new(None);
        let nodes_error = RwSignal::new(None);
        let mode = RwSignal::new(UiMode::Current);
        let pods: RwSignal<Shared<Vec<Pod>>> = RwSignal::new(Shared::new(Vec::new()));
        let plan = Memo::new(move |_| {
            let ds = ds.get()?;
            let nodes = nodes.get()?;
            let pods = pods.get();
            Some(Shared::new(model::plan(&ds, &nodes, &pods, mode.get())))
        });
        let sim = Sim::new(ds, nodes, pods, plan, mode);
        let cards = Memo::new(move |_| {
            if let Some(view) = sim.view.get() {
                return model::cards_from_view(&view);
            }
            match (nodes.get(), plan.get()) {
                (Some(nodes), Some(plan)) => model::cards_from_plan(&nodes, &plan),
                _ => Vec::new(),
            }
        });
        let names = Memo::new(move |_| cards.with(|c| c.iter().map(|c| c.name.clone()).collect::<Vec<_>>()));
        let card_pos =
            Memo::new(move |_| names.with(|n| n.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect()));
        let lab = Lab {
            ds_text,
            nodes_text,
            ds,
            ds_all: RwSignal::new(Shared::new(Vec::new())),
            ds_pick: RwSignal::new(None),
            ds_note: RwSignal::new(None),
            nodes_note: RwSignal::new(None),
            pods,
            nodes,
            ds_error,
            nodes_error,
            mode,
            selected: RwSignal::new(None),
            compact: RwSignal::new(None),
            plan,
            sim,
            notes: RwSignal::new(None),
            cards,
            names,
            card_pos,
        };
        lab.reparse_daemonset();
        lab.reparse_nodes();
        lab
    }

    /// Parses the DaemonSet editor's text; on error the last good DaemonSet stays.
    pub fn reparse_daemonset(&self) {
        let text = self.ds_text.get_untracked();
        match model::parse_daemonsets(&text) {
            Ok(found) => {
                self.ds_note.set(found.note);
                self.ds_all.set(Shared::new(found.all));
                self.ds_error.set(None);
                self.apply_pick();
            }
            Err(e) => self.ds_error.set(Some(e)),
        }
    }

    /// Picks one of the editor's DaemonSets (by `namespace/name`) for the verdicts and stories.
    pub fn pick_daemonset(&self, key: String) {
        self.ds_pick.set(Some(key));
        self.apply_pick();
    }

    /// The picked DaemonSet, or the first when the pick is not in the editor any more.
    fn apply_pick(&self) {
        let pick = self.ds_pick.get_untracked();
        let chosen = self.ds_all.with_untracked(|all| {
            all.iter()
                .find(|d| pick.as_deref() == Some(model::daemonset_key(d).as_str()))
                .or_else(|| all.first())
                .cloned()
        });
        if let Some(ds) = chosen {
            self.ds.set(Some(Shared::new(ds)));
        }
    }

    /// Parses the Nodes editor's text; on error the last good node list stays.
    pub fn reparse_nodes(&self) {
        let text = self.nodes_text.get_untracked();
        match model::parse_nodes(&text) {
            Ok(found) => {
                self.nodes.set(Some(Shared::new(found.nodes)));
                self.pods.set(Shared::new(found.pods));
                self.nodes_note.set(found.note);
                self.nodes_error.set(None);
            }
            Err(e) => self.nodes_error.set(Some(e)),
        }
    }

    pub fn is_compact(&self) -> bool {
        self.compact
            .get()
            .unwrap_or_else(|| self.cards.with(|c| c.len() >= COMPACT_FROM))
    }

    /// The selected node, if it is still in the cluster.
    pub fn selected_node(&self) -> Option<(String, Shared<DaemonSet>)> {
        let name = self.selected.get()?;
        let ds = self.ds.get()?;
        let present = self.nodes.with(|n| {
            n.as_ref().is_some_and(|n| {
                n.iter()
                    .any(|x| x.metadata.name.as_deref() == Some(name.as_str()))
            })
        });
        present.then_some((name, ds))
    }
}

impl Lab {
    /// Puts a whole scenario on screen: its DaemonSet and nodes in the editors, its mode, and its
    /// events in the player, from the start. (Lessons, share links and imported files come here.)
    pub fn load_scenario(&self, slug: &'static str, title: String, scenario: Scenario) {
        if let Some(ds) = scenario.daemonsets.first() {
            self.ds_text.set(dslab_sim::to_yaml(ds));
        }
        let nodes: Vec<String> = scenario.nodes.iter().map(dslab_sim::to_yaml).collect();
        self.nodes_text.set(nodes.join("---\n"));
        self.reparse_daemonset();
        self.reparse_nodes();
        self.mode.set(match scenario.mode {
            Mode::Current => UiMode::Current,
            Mode::Legacy => UiMode::Legacy,
        });
        self.selected.set(None);
        self.sim.start(Story::Scenario {
            slug,
            title,
            scenario: Shared::new(scenario),
        });
    }

    /// Puts a manifest or a cluster dump in the editors: its DaemonSets in one, its Nodes and
    /// Pods in the other (an editor keeps its text when the file holds none of its kinds).
    /// Returns what was loaded, for the import note.
    pub fn load_manifests(&self, m: dslab_sim::api::Manifests) -> String {
        let join = |docs: Vec<String>| docs.join("---\n");
        if !m.daemonsets.is_empty() {
            self.ds_text
                .set(join(m.daemonsets.iter().map(dslab_sim::to_yaml).collect()));
            self.ds_pick.set(None);
            self.reparse_daemonset();
        }
        if !m.nodes.is_empty() {
            let docs = m.nodes.iter().map(dslab_sim::to_yaml);
            self.nodes_text
                .set(join(docs.chain(m.pods.iter().map(dslab_sim::to_yaml)).collect()));
            self.reparse_nodes();
        }
        self.sim.stop();
        let mut said = format!(
            "{} DaemonSet(s), {} node(s), {} pod(s)",
            m.daemonsets.len(),
            m.nodes.len(),
            m.pods.len()
        );
        if let Some(note) = m.skipped.note() {
            said.push_str("; ");
            said.push_str(&note);
        }
        said.push('.');
        said
    }

    /// The last DaemonSet and nodes the editors parsed, or which editor holds none.
    pub fn editor_cluster(&self) -> Result<(Shared<DaemonSet>, Shared<Nodes>), String> {
        let ds = self
            .ds
            .get_untracked()
            .ok_or("the DaemonSet editor holds no valid DaemonSet")?;
        let nodes = self
            .nodes
            .get_untracked()
            .ok_or("the Nodes editor holds no valid nodes")?;
        Ok((ds, nodes))
    }

    /// The card of one node, as a memo that changes only when that card does.
    pub fn card(&self, name: String) -> Memo<Option<NodeCard>> {
        let (cards, pos) = (self.cards, self.card_pos);
        Memo::new(move |_| {
            pos.with(|p| p.get(&name).copied())
                .and_then(|i| cards.with(|c| c.get(i).cloned()))
        })
    }
}

pub fn use_lab() -> Lab {
    expect_context::<Lab>()
}
