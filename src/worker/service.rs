//! The worker's side: it keeps the editors' cluster as last read, and answers each update with
//! what it changed (editor results, verdicts, the story's timeline). Plain Rust, so the native
//! unit tests drive it as the page does.

use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::simulate::{Scenario, Timeline};

use super::frames::{Played, StoryShape};
use super::{
    Choices, DaemonSetsRead, EditorText, Imported, KubectlAsk, NodesRead, QuizMeText, Response, ScenarioText,
    Update, Verdicts,
};
use crate::model::{self, EditorError, NodesFound, UiMode};
use crate::share::scenario_file;
use crate::stories::{self, Story};
use dslab_sim::lessons::quiz_me;

/// Above this many bytes, reading an editor is worth a progress note.
const BUSY_FROM_BYTES: usize = 256 * 1024;

pub struct Service {
    daemonsets: Vec<DaemonSet>,
    nodes: Option<NodesFound>,
    choices: Choices,
    /// The story's last run, kept for the frames and console lines the page asks for.
    played: Option<Played>,
    /// The audit page's dump, as last audited.
    audited: Option<crate::audit::work::Audited>,
}

impl Default for Service {
    fn default() -> Self {
        Service {
            daemonsets: Vec::new(),
            nodes: None,
            choices: Choices {
                pick: None,
                mode: UiMode::Current,
                story: None,
            },
            played: None,
            audited: None,
        }
    }
}

impl Service {
    /// Applies `update` and sends (`send`, as soon as each is known) what the page must redraw.
    pub fn update(&mut self, update: Update, send: &mut dyn FnMut(Response)) {
        let mut cluster_changed = update.reset;
        if update.reset {
            self.daemonsets.clear();
            self.nodes = None;
        }
        let mut nodes_text = update.nodes.map(EditorText::into_string);
        if let Some(name) = update.import {
            let (import, changed) = self.import(&name, nodes_text.take().unwrap_or_default(), send);
            cluster_changed |= changed;
            send(Response::Imported {
                ticket: update.ticket,
                import,
            });
        }
        if let Some(text) = update.daemonsets.map(EditorText::into_string) {
            cluster_changed |= self.read_daemonsets(&text, send);
        }
        if let Some(text) = nodes_text {
            busy(&text, "Reading the Nodes editor", send);
            cluster_changed |= self.take_nodes(model::parse_nodes(&text), send);
        }
        let mut story_changed = false;
        if let Some(choices) = update.choices {
            let verdict_choices = choices.pick != self.choices.pick || choices.mode != self.choices.mode;
            cluster_changed |= verdict_choices;
            // The page sends its choices when one changed or a story (re)starts: play it anew.
            story_changed = true;
            self.choices = choices;
        }
        if cluster_changed {
            busy_always("Computing the verdicts", self.node_count(), send);
            send(Response::Verdicts(self.verdicts()));
        }
        if (cluster_changed || story_changed) && self.choices.story.is_some() {
            busy_always("Simulating the story", self.node_count(), send);
            self.send_story(update.ticket, send);
        } else if self.choices.story.is_none() {
            self.played = None;
        }
        if let (Some(index), Some(played)) = (update.seek, self.played.as_mut()) {
            send(Response::Frame {
                run: played.run,
                frame: played.frame(index),
            });
        }
        if let Some(ask) = update.kubectl {
            send(self.kubectl(update.ticket, ask));
        }
        if update.quiz_me {
            send(Response::QuizMe {
                ticket: update.ticket,
                quiz: self.quiz_me(),
            });
        }
        if update.scenario_file {
            send(Response::ScenarioFile {
                ticket: update.ticket,
                file: self.scenario_file(),
            });
        }
        if let Some(ask) = update.audit {
            let text = update.audit_text.map(EditorText::into_bytes);
            if let Some(Ok(text)) = &text {
                busy(text, "Auditing the dump", send);
            }
            let answer = crate::audit::work::answer(&mut self.audited, ask, text);
            send(Response::Audit {
                ticket: update.ticket,
                answer,
            });
        }
        send(Response::Done);
    }

    /// Reads the DaemonSet editor's text; whether the cluster changed.
    fn read_daemonsets(&mut self, text: &str, send: &mut dyn FnMut(Response)) -> bool {
        busy(text, "Reading the DaemonSet editor", send);
        match model::parse_daemonsets(text) {
            Ok(found) => {
                let docs = found.all.iter().map(dslab_sim::to_yaml).collect();
                self.daemonsets = found.all;
                send(Response::DaemonSets(Ok(DaemonSetsRead {
                    docs,
                    note: found.note,
                })));
                true
            }
            Err(e) => {
                send(Response::DaemonSets(Err(e)));
                false
            }
        }
    }

    /// Takes the Nodes editor's nodes (or its error); whether the cluster changed.
    fn take_nodes(&mut self, read: Result<NodesFound, EditorError>, send: &mut dyn FnMut(Response)) -> bool {
        match read {
            Ok(found) => {
                send(Response::Nodes(Ok(NodesRead {
                    nodes: found.nodes.len(),
                    pods: found.pods.len(),
                    note: found.note.clone(),
                })));
                self.nodes = Some(found);
                true
            }
            Err(e) => {
                send(Response::Nodes(Err(e)));
                false
            }
        }
    }

    /// An imported file, read once: its DaemonSets become the DaemonSet editor's text (as YAML),
    /// and the file itself the Nodes editor's when it holds Nodes (a dump is kept as it is, not
    /// printed again: 5,000 nodes would take seconds). `Ok(None)`: not a manifest. Also returns
    /// whether the cluster changed.
    fn import(
        &mut self,
        name: &str,
        text: String,
        send: &mut dyn FnMut(Response),
    ) -> (Result<Option<Imported>, String>, bool) {
        if !model::looks_like_manifest(&text) {
            return (Ok(None), false);
        }
        busy(&text, "Reading the imported file", send);
        let m = match dslab_sim::api::parse_manifests(text.as_bytes(), name) {
            Ok(m) => m,
            Err(e) => return (Err(format!("This file cannot be imported: {e}")), false),
        };
        let note = model::import_note(&m);
        let daemonsets = (!m.daemonsets.is_empty()).then(|| {
            m.daemonsets
                .iter()
                .map(dslab_sim::to_yaml)
                .collect::<Vec<_>>()
                .join("---\n")
        });
        let nodes = !m.nodes.is_empty();
        let mut changed = false;
        if let Some(text) = &daemonsets {
            changed |= self.read_daemonsets(text, send);
        }
        if nodes {
            changed |= self.take_nodes(model::nodes_found(m, "nodes.yaml"), send);
        }
        (
            Ok(Some(Imported {
                daemonsets,
                nodes,
                note,
            })),
            changed,
        )
    }

    fn node_count(&self) -> usize {
        self.nodes.as_ref().map_or(0, |n| n.nodes.len())
    }

    /// The DaemonSet picked, or the first.
    fn daemonset(&self) -> Option<&DaemonSet> {
        let pick = self.choices.pick.as_deref();
        self.daemonsets
            .iter()
            .find(|d| pick == Some(model::daemonset_key(d).as_str()))
            .or_else(|| self.daemonsets.first())
    }

    pub fn verdicts(&self) -> Option<Verdicts> {
        let ds = self.daemonset()?;
        let found = self.nodes.as_ref()?;
        let plan = model::plan(ds, &found.nodes, &found.pods, self.choices.mode);
        Some(Verdicts {
            summary: plan.summary.clone(),
            notes: plan.notes.clone(),
            cards: model::cards_from_plan(&found.nodes, &plan),
            pods: found.pods.len(),
            other_pods: model::other_workload_pods(ds, &found.pods),
        })
    }

    fn send_story(&mut self, run: u64, send: &mut dyn FnMut(Response)) {
        match self.timeline() {
            Ok((timeline, shape)) => {
                let played = Played::new(run, timeline, shape);
                send(Response::StoryHead {
                    run,
                    head: Ok(played.index()),
                });
                self.played = Some(played);
            }
            Err(e) => {
                self.played = None;
                send(Response::StoryHead { run, head: Err(e) });
            }
        }
    }

    /// A console line on the story's run (the page starts a story before it sends one).
    fn kubectl(&self, ticket: u64, ask: KubectlAsk) -> Response {
        if ask.complete && self.played.is_none() {
            // No scenario on: complete on the editors' cluster after its initial rollout.
            let list = self
                .timeline_of(Story::Rollout)
                .map(|t| {
                    let end = t.steps.len();
                    Played::new(0, t, StoryShape::default()).complete(end, &ask.line)
                })
                .unwrap_or_default();
            return Response::Completions { ticket, list };
        }
        let Some(played) = &self.played else {
            let message =
                "error: no scenario is playing: the editors hold no valid DaemonSet and nodes to simulate";
            return if ask.complete {
                Response::Completions {
                    ticket,
                    list: Vec::new(),
                }
            } else {
                Response::Kubectl {
                    ticket,
                    answer: super::frames::KubectlAnswer::Error {
                        message: message.to_string(),
                        hint: None,
                    },
                }
            };
        };
        if ask.complete {
            Response::Completions {
                ticket,
                list: played.complete(ask.index, &ask.line),
            }
        } else {
            Response::Kubectl {
                ticket,
                answer: played.kubectl(ask.index, &ask.line),
            }
        }
    }

    /// The story's run over the editors' cluster, with the console's events after the story's.
    pub fn timeline(&self) -> Result<(Timeline, StoryShape), String> {
        let (scenario, shape) = self.story_scenario()?;
        Ok((dslab_sim::simulate::run(&scenario), shape))
    }

    /// The story on screen as a scenario: the story's, then the console's events.
    fn story_scenario(&self) -> Result<(Scenario, StoryShape), String> {
        let wire = self.choices.story.clone().ok_or("no story is on")?;
        let (story, console) = Story::from_wire(wire)?;
        let mut scenario = self.scenario_of(&story)?;
        let shape = StoryShape {
            own_events: scenario.events.len(),
            until: scenario.until.is_some(),
        };
        for event in &console {
            // Read against the scenario so far: a node an earlier event added can be named.
            let mut event = scenario_file::read_event_after(&scenario, event)?;
            event.index = scenario.events.len();
            scenario.events.push(event);
        }
        Ok((scenario, shape))
    }

    /// Quiz me's questions on the editors' cluster (the core makes and answers them).
    fn quiz_me(&self) -> Result<QuizMeText, String> {
        let (Some(ds), Some(found)) = (self.daemonset(), self.nodes.as_ref()) else {
            return Err("Both editors need YAML that parses first.".into());
        };
        let questions = quiz_me::questions(ds, &found.nodes, &[], self.choices.mode.core());
        if questions.is_empty() {
            return Err("This cluster has no node to ask about.".into());
        }
        Ok(QuizMeText {
            questions_yaml: serde_yaml::to_string(&questions).map_err(|e| e.to_string())?,
            daemonset: ds.metadata.name.clone().unwrap_or_default(),
            nodes: found.nodes.len(),
        })
    }

    /// The scenario on screen as a file: the story's, or with none on, the editors' cluster alone.
    fn scenario_file(&self) -> Result<ScenarioText, String> {
        let scenario = if self.choices.story.is_some() {
            self.story_scenario()?.0
        } else {
            let (ds, found) = self.editors_cluster()?;
            let title = Some("DaemonSet Lab playground".into());
            let mut scenario = scenario_file::bare(title, self.choices.mode.core(), ds, &found.nodes);
            scenario.pods = found.pods.clone();
            scenario
        };
        Ok(ScenarioText {
            title: scenario.title.clone(),
            yaml: scenario_file::scenario_yaml(&scenario),
            events_yaml: scenario_file::events_yaml(&scenario.events),
        })
    }

    /// The DaemonSet picked and the nodes read, or which editor holds none.
    fn editors_cluster(&self) -> Result<(&DaemonSet, &NodesFound), String> {
        let ds = self
            .daemonset()
            .ok_or("the DaemonSet editor holds no valid DaemonSet")?;
        let found = self
            .nodes
            .as_ref()
            .ok_or("the Nodes editor holds no valid nodes")?;
        Ok((ds, found))
    }

    fn timeline_of(&self, story: Story) -> Result<Timeline, String> {
        Ok(dslab_sim::simulate::run(&self.scenario_of(&story)?))
    }

    fn scenario_of(&self, story: &Story) -> Result<Scenario, String> {
        let (ds, found) = self.editors_cluster()?;
        let mode = self.choices.mode;
        let plan = model::plan(ds, &found.nodes, &found.pods, mode);
        let mut scenario = stories::scenario(story, ds, &found.nodes, &plan, mode)?;
        // The other workloads of a pasted dump run in the story too (a scenario file brings its own).
        if scenario.pods.is_empty() {
            scenario.pods = found.pods.clone();
        }
        Ok(scenario)
    }
}

fn busy(text: &(impl AsRef<[u8]> + ?Sized), what: &str, send: &mut dyn FnMut(Response)) {
    let len = text.as_ref().len();
    if len >= BUSY_FROM_BYTES {
        let mb = len as f64 / 1e6;
        send(Response::Busy(format!("{what} ({mb:.1} MB)…")));
    }
}

fn busy_always(what: &str, nodes: usize, send: &mut dyn FnMut(Response)) {
    if nodes >= crate::state::COMPACT_FROM {
        send(Response::Busy(format!("{what} on {nodes} nodes…")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::stories::StoryWire;
    use crate::worker::frames::KubectlAnswer;

    fn served(service: &mut Service, update: Update) -> Vec<Response> {
        let mut out = Vec::new();
        service.update(update, &mut |r| out.push(r));
        out
    }

    fn editors() -> Update {
        Update {
            ticket: 1,
            daemonsets: Some(examples::DAEMONSET_YAML.to_string().into()),
            nodes: Some(examples::NODES_YAML.to_string().into()),
            choices: Some(Choices {
                pick: None,
                mode: UiMode::Current,
                story: None,
            }),
            ..Update::default()
        }
    }

    #[test]
    fn the_editors_give_verdicts_for_every_node() {
        let mut s = Service::default();
        let out = served(&mut s, editors());
        let verdicts = out
            .iter()
            .find_map(|r| match r {
                Response::Verdicts(Some(v)) => Some(v.clone()),
                _ => None,
            })
            .expect("verdicts");
        let nodes = out
            .iter()
            .find_map(|r| match r {
                Response::Nodes(Ok(n)) => Some(n.nodes),
                _ => None,
            })
            .unwrap();
        assert_eq!(verdicts.cards.len(), nodes);
        assert!(matches!(out.last(), Some(Response::Done)));
    }

    #[test]
    fn a_bad_edit_keeps_the_last_cluster() {
        let mut s = Service::default();
        served(&mut s, editors());
        let out = served(
            &mut s,
            Update {
                nodes: Some("kind: Node\nmetadata: [".to_string().into()),
                ..Update::default()
            },
        );
        assert!(matches!(out[0], Response::Nodes(Err(_))));
        // Nothing that depends on the nodes is recomputed, and the last verdicts still stand.
        assert!(!out.iter().any(|r| matches!(r, Response::Verdicts(_))));
        assert!(s.verdicts().is_some());
    }

    fn story(story: StoryWire) -> Update {
        Update {
            choices: Some(Choices {
                pick: None,
                mode: UiMode::Current,
                story: Some(story),
            }),
            ..Update::default()
        }
    }

    /// A console command plays after the story, read and run in the worker: the page sends the
    /// event the worker made of the command, never the cluster.
    #[test]
    fn console_events_play_after_the_story_own() {
        let mut s = Service::default();
        served(&mut s, editors());
        // A story with one event of its own: the first node that runs the pod is deleted.
        let removed = || StoryWire::Button("node-removed".into());
        served(&mut s, story(removed()));
        let played = s.played.as_ref().expect("the story is played");
        let (own, end) = (played.index().shape.own_events, played.index().positions - 1);
        assert_eq!(own, 1);
        let nodes_before = s.nodes.as_ref().map(|n| n.nodes.len()).unwrap();
        let node = "worker-2";
        let event = match played.kubectl(end, &format!("cordon {node}")) {
            KubectlAnswer::Change { event, .. } => event,
            other => panic!("cordon changes the cluster: {other:?}"),
        };
        for (name, keep, own_after, nodes_after) in [
            ("after the whole story", None, 1, nodes_before - 1),
            ("after the story cut before its event", Some(0), 0, nodes_before),
        ] {
            served(
                &mut s,
                story(StoryWire::Console {
                    base: Box::new(removed()),
                    keep,
                    events: vec![event.clone()],
                }),
            );
            let (timeline, shape) = s.timeline().expect(name);
            assert_eq!(shape.own_events, own_after, "{name}");
            assert_eq!(timeline.event_steps.len(), own_after + 1, "{name}");
            let nodes = &timeline.final_view.nodes;
            assert_eq!(nodes.len(), nodes_after, "{name}");
            let cordoned = nodes.iter().find(|n| n.name.as_str() == node);
            assert!(
                cordoned.is_some_and(|n| n.unschedulable),
                "{name}: {node} is cordoned"
            );
        }
    }

    /// Quiz me's questions are made in the worker and read back on the page as a lesson's.
    #[test]
    fn an_imported_file_fills_the_editors_once_read() {
        let node = |name: &str| format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n");
        let dump = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: logging\n---\n{}---\n{}---\n{}",
            examples::DAEMONSET_YAML,
            node("imported-1"),
            node("imported-2")
        );
        let import = |name: &str, text: &str| Update {
            import: Some(name.into()),
            nodes: Some(text.to_string().into()),
            ..Update::default()
        };
        let imported = |out: &[Response]| {
            out.iter()
                .find_map(|r| match r {
                    Response::Imported { import, .. } => Some(import.clone()),
                    _ => None,
                })
                .expect("an answer")
        };
        let cards = |out: &[Response]| {
            out.iter()
                .find_map(|r| match r {
                    Response::Verdicts(Some(v)) => {
                        Some(v.cards.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
                    }
                    _ => None,
                })
                .unwrap_or_default()
        };
        type Want<'a> = Result<Option<(bool, bool, &'a str)>, &'a str>;
        let cases: Vec<(&str, Update, Want, Vec<&str>)> = vec![
            (
                "a published manifest with a Namespace, and nodes",
                import("dump.yaml", &dump),
                Ok(Some((
                    true,
                    true,
                    "1 DaemonSet(s), 2 node(s), 0 pod(s); skipped 1 other object: 1 Namespace.",
                ))),
                vec!["imported-1", "imported-2"],
            ),
            (
                "nodes only: the DaemonSet editor keeps its text",
                import("nodes.yaml", &node("only-node")),
                Ok(Some((false, true, "0 DaemonSet(s), 1 node(s), 0 pod(s)."))),
                vec!["only-node"],
            ),
            (
                "a scenario file is the page's to read",
                import("s.yaml", "daemonset: x\nevents: []\n"),
                Ok(None),
                vec![],
            ),
            (
                "a broken manifest",
                import("bad.yaml", "kind: Node\nmetadata: [\n"),
                Err("This file cannot be imported: bad.yaml:"),
                vec![],
            ),
        ];
        for (name, update, want, want_cards) in cases {
            let mut s = Service::default();
            served(&mut s, editors());
            let out = served(&mut s, update);
            match (imported(&out), want) {
                (Ok(Some(got)), Ok(Some((ds, nodes, note)))) => {
                    assert_eq!(
                        (got.daemonsets.is_some(), got.nodes, got.note.as_str()),
                        (ds, nodes, note),
                        "{name}"
                    );
                    assert_eq!(cards(&out), want_cards, "{name}");
                }
                (Ok(None), Ok(None)) => {}
                (Err(e), Err(start)) => assert!(e.starts_with(start), "{name}: {e}"),
                (got, _) => panic!("{name}: {got:?}"),
            }
        }
    }

    #[test]
    fn quiz_me_questions_read_back_on_the_page() {
        let mut s = Service::default();
        assert!(s.quiz_me().is_err(), "no cluster yet");
        served(&mut s, editors());
        let quiz = s.quiz_me().unwrap();
        assert_eq!((quiz.daemonset.as_str(), quiz.nodes), ("fluent-bit", 3));
        let made = quiz_me::questions(
            s.daemonset().unwrap(),
            &s.nodes.as_ref().unwrap().nodes,
            &[],
            UiMode::Current.core(),
        );
        let read = crate::playground::quiz_me::read_questions(&quiz.questions_yaml).unwrap();
        assert_eq!(format!("{read:?}"), format!("{made:?}"));
    }

    /// Export and Copy link take the scenario on screen from the worker: the editors' cluster
    /// alone with no story on, else the story's events then the console's.
    #[test]
    fn the_scenario_file_is_the_one_on_screen() {
        let mut s = Service::default();
        served(&mut s, editors());
        let bare = s.scenario_file().unwrap();
        assert_eq!(bare.title.as_deref(), Some("DaemonSet Lab playground"));
        assert!(
            bare.yaml.contains("name: worker-2") && !bare.yaml.contains("events:"),
            "{}",
            bare.yaml
        );
        served(&mut s, story(StoryWire::Button("node-removed".into())));
        let played = s.played.as_ref().unwrap();
        let end = played.index().positions - 1;
        let KubectlAnswer::Change { event, .. } = played.kubectl(end, "cordon worker-2") else {
            panic!("cordon changes the cluster");
        };
        served(
            &mut s,
            story(StoryWire::Console {
                base: Box::new(StoryWire::Button("node-removed".into())),
                keep: None,
                events: vec![event],
            }),
        );
        let file = s.scenario_file().unwrap();
        let events: Vec<&str> = file
            .events_yaml
            .lines()
            .filter(|l| l.contains("action:"))
            .collect();
        assert_eq!(events.len(), 2, "{}", file.events_yaml);
        assert!(
            events[0].contains("remove-node") && events[1].contains("cordon"),
            "{events:?}"
        );
        // The file reads back as the same scenario.
        let back = dslab_sim::simulate::Scenario::from_yaml(file.yaml.as_bytes(), "export").unwrap();
        assert_eq!(back.events.len(), 2);
    }

    /// A story's run stays in the worker: the page gets its positions, then the frames it asks
    /// for, drawn from the run the core made.
    #[test]
    fn a_story_is_answered_in_frames() {
        let mut s = Service::default();
        served(&mut s, editors());
        let update = Update {
            ticket: 2,
            choices: Some(Choices {
                pick: None,
                mode: UiMode::Current,
                story: Some(StoryWire::RollingUpdate {
                    max_unavailable: "1".into(),
                    max_surge: "0".into(),
                }),
            }),
            seek: Some(usize::MAX),
            ..Update::default()
        };
        let out = served(&mut s, update);
        let (direct, _) = s.timeline().unwrap();
        let head = out.iter().find_map(|r| match r {
            Response::StoryHead { run: 2, head } => Some(head.clone().unwrap()),
            _ => None,
        });
        assert_eq!(head.map(|h| h.positions), Some(direct.steps.len() + 1));
        let frame = out
            .iter()
            .find_map(|r| match r {
                Response::Frame { run: 2, frame } => Some(frame.clone()),
                _ => None,
            })
            .expect("a frame for the seek");
        assert_eq!(frame.index, direct.steps.len());
        let mut cards = Vec::new();
        frame.cards.apply(&mut cards);
        assert_eq!(cards, model::cards_from_view(&direct.final_view));
        // A console line runs on that run.
        let out = served(
            &mut s,
            Update {
                ticket: 3,
                kubectl: Some(KubectlAsk {
                    index: frame.index,
                    line: "get ds -A".into(),
                    complete: false,
                }),
                ..Update::default()
            },
        );
        assert!(
            matches!(&out[0], Response::Kubectl { ticket: 3, answer: super::super::frames::KubectlAnswer::Output(t) } if t.starts_with("NAME"))
        );
    }

    #[test]
    fn the_same_choices_again_keep_the_verdicts() {
        let mut s = Service::default();
        served(&mut s, editors());
        let same = served(
            &mut s,
            Update {
                choices: editors().choices,
                ..Update::default()
            },
        );
        assert!(!same
            .iter()
            .any(|r| matches!(r, Response::Verdicts(_) | Response::StoryHead { .. })));
    }
}
