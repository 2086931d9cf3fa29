//! The app's state: signals in one `Lab` value shared through context.

use std::collections::HashMap;
use std::sync::Arc;

use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::simulate::Scenario;
use dslab_sim::Mode;
use leptos::prelude::*;

use crate::examples;
use crate::model::{self, EditorError, NodeCard, Shared, UiMode};
use crate::player::controls::Player;
use crate::playground::editor::EDIT_LIMIT;
use crate::stories::{Story, StoryWire};
use crate::worker::frames::{Frame, StoryIndex};
use crate::worker::{client, Choices, EditorText, Imported, KubectlAsk, Response, Update, Verdicts};

/// What waits for the worker's answer to a question (a console line, Quiz me, a scenario file).
type Answer = Box<dyn FnOnce(Response)>;

/// Above this many nodes the cluster view starts compact.
pub const COMPACT_FROM: usize = 40;

/// The editors' cluster as the page holds it. The worker reads the editors and computes the
/// verdicts and stories; the page keeps the small DaemonSets (picker, pod panel) and the node
/// text that last parsed, which it reads itself only when a tool needs the objects (console,
/// share link, Quiz me).
#[derive(Clone, Copy)]
pub struct Lab {
    pub ds_text: RwSignal<String>,
    pub nodes_text: RwSignal<String>,
    /// A paste too big for the editor's box, kept as the JS string the browser gave (the editor's
    /// text is then empty; see playground::editor): sent to the worker as it is.
    pub ds_big: RwSignal<Option<js_sys::JsString>, LocalStorage>,
    pub nodes_big: RwSignal<Option<js_sys::JsString>, LocalStorage>,
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
    /// Updates sent to the worker and not answered yet.
    in_flight: StoredValue<usize>,
    /// The last update's number.
    ticket: StoredValue<u64>,
    pub ds_error: RwSignal<Option<EditorError>>,
    pub nodes_error: RwSignal<Option<EditorError>>,
    pub mode: RwSignal<UiMode>,
    pub selected: RwSignal<Option<String>>,
    /// `None`: decided by the number of nodes.
    pub compact: RwSignal<Option<bool>>,
    /// The core's verdicts on the editors' cluster, as the worker sent them.
    pub verdicts: RwSignal<Option<Shared<Verdicts>>>,
    /// Long work under way in the worker ("Reading the Nodes editor (7.5 MB)…").
    pub busy: RwSignal<Option<String>>,
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
    /// One signal per node's card, set only when that card changed: on a step of a 5,000-node
    /// story, only the tiles whose node changed wake up.
    card_cells: StoredValue<HashMap<String, CardCell>>,
    /// Changes of the cards so far: cells still to set from an older one are left alone.
    cell_runs: StoredValue<u64>,
    /// Some node signals are still to be set (a few hundred are set per animation frame).
    pub cells_pending: RwSignal<bool>,
    /// What waits for the worker's answer to a console line, by the update's ticket.
    answers: StoredValue<HashMap<u64, Answer>, LocalStorage>,
}

/// A scenario being played. The worker simulates it and keeps the run; the page holds the
/// player's position and the frame the worker drew for it.
#[derive(Clone, Copy)]
pub struct Sim {
    pub story: RwSignal<Option<Story>>,
    /// The console's commands that changed the cluster, played after the story's own events:
    /// each as a scenario file writes an event, with its `at` (the worker reads them).
    pub extra: RwSignal<Vec<String>>,
    /// The story's run over the editors' cluster (its positions), or why it could not be built;
    /// `None` while the worker computes it.
    pub run: RwSignal<Option<Result<StoryIndex, String>>>,
    pub player: Player,
    /// The worker's frame for the player's position (the last one received).
    pub frame: RwSignal<Option<Shared<Frame>>>,
    /// The node cards of the run on screen, frames' patches applied.
    cards: RwSignal<Shared<Vec<NodeCard>>>,
    /// The run whose frames are on screen (the ticket of the update that caused it).
    run_ticket: StoredValue<u64>,
    /// What waits for the next run: a position to go to, work to do once it is there.
    seek: StoredValue<Option<usize>>,
    waiting: StoredValue<Vec<Box<dyn FnOnce()>>, LocalStorage>,
    /// The update that last changed the story: runs for older ones are dropped.
    story_ticket: StoredValue<u64>,
    /// The choices sent last (`None` after a start or stop: sent again, and the story run anew).
    choices_sent: StoredValue<Option<Choices>>,
    /// A new run of the story is due (the one on screen is about to be replaced). A signal: the
    /// cluster says it is busy until the new run is on screen.
    awaiting: RwSignal<bool>,
}

impl Sim {
    fn new() -> Self {
        let run: RwSignal<Option<Result<StoryIndex, String>>> = RwSignal::new(None);
        let len = Signal::derive(move || {
            run.with(|r| match r {
                Some(Ok(r)) => r.positions,
                _ => 0,
            })
        });
        Sim {
            story: RwSignal::new(None),
            extra: RwSignal::new(Vec::new()),
            run,
            player: Player::new(len),
            frame: RwSignal::new(None),
            cards: RwSignal::new(Shared::new(Vec::new())),
            run_ticket: StoredValue::new(0),
            seek: StoredValue::new(None),
            waiting: StoredValue::new_local(Vec::new()),
            story_ticket: StoredValue::new(0),
            choices_sent: StoredValue::new(None),
            awaiting: RwSignal::new(false),
        }
    }

    pub fn active(&self) -> bool {
        self.story.with(Option::is_some)
    }

    /// A story is on but none of its frames has come yet (its cards are still to come).
    pub fn awaiting_first_frame(&self) -> bool {
        self.active() && self.error().is_none() && self.cards.with(|c| c.is_empty())
    }

    /// Some cards are not yet of the player's position: the worker is still to draw it, or a
    /// new run (a console command's) is due and the one on screen is about to be replaced.
    pub fn redrawing(&self) -> bool {
        if !self.active() || self.error().is_some() {
            return false;
        }
        let index = self.player.index.get();
        let drawn = self.frame.with(|f| f.as_ref().is_some_and(|f| f.index == index));
        self.awaiting.get() || !drawn
    }

    /// Why the story could not be built, if it could not.
    pub fn error(&self) -> Option<String> {
        self.run
            .with(|r| r.as_ref().and_then(|r| r.as_ref().err().cloned()))
    }

    fn forget_run(&self) {
        self.run.set(None);
        self.frame.set(None);
        self.cards.set(Shared::new(Vec::new()));
        self.seek.set_value(None);
        self.choices_sent.set_value(None);
    }

    pub fn start(&self, story: Story) {
        self.player.restart();
        self.extra.set(Vec::new());
        self.forget_run();
        self.awaiting.set(true);
        self.story.set(Some(story));
    }

    pub fn stop(&self) {
        self.player.pause();
        self.extra.set(Vec::new());
        self.forget_run();
        self.awaiting.set(false);
        self.story.set(None);
    }

    /// Once the story's run is on screen: goes to position `index` (clamped to its end).
    pub fn seek_when_ready(&self, index: usize) {
        if self.story.with_untracked(Option::is_some) && self.ready() {
            let len = self.player.len.get_untracked();
            self.player.index.set(index.min(len.saturating_sub(1)));
        } else {
            self.seek.set_value(Some(index));
        }
    }

    /// The story's events changed (console commands): the run on screen is replaced by the
    /// worker's next one.
    pub fn rerun(&self) {
        self.awaiting.set(true);
    }

    /// No story, or its run is on screen.
    fn ready(&self) -> bool {
        self.story.with_untracked(Option::is_none)
            || (self.run.with_untracked(Option::is_some) && !self.awaiting.get_untracked())
    }

    /// Runs what waited for the worker, once nothing is left to arrive.
    fn run_waiting(&self) {
        if !self.ready() {
            return;
        }
        let waiting = self.waiting.try_update_value(std::mem::take).unwrap_or_default();
        for then in waiting {
            then();
        }
    }

    /// The story's run, or a frame of it, from the worker.
    fn receive(&self, response: Response) {
        if self.story.with_untracked(Option::is_none) {
            return;
        }
        match response {
            Response::StoryHead { run, head } if run >= self.story_ticket.get_value() => {
                self.awaiting.set(false);
                self.run_ticket.set_value(run);
                // The cards of the run before stay until this run's first frame, which holds
                // every card.
                self.run.set(Some(head));
                let len = self.player.len.get_untracked();
                let index = match self.seek.try_update_value(Option::take).flatten() {
                    Some(index) => index,
                    None => self.player.index.get_untracked(),
                };
                self.player.index.set(index.min(len.saturating_sub(1)));
            }
            Response::Frame { run, frame } if run == self.run_ticket.get_value() => {
                // Every frame of the run is applied, in order: each patches the one before.
                let mut cards = Vec::clone(&self.cards.get_untracked());
                frame.cards.apply(&mut cards);
                self.cards.set(Shared::new(cards));
                self.frame.set(Some(Shared::new(frame)));
            }
            _ => {}
        }
    }
}

impl Lab {
    pub fn new() -> Self {
        let ds: RwSignal<Option<Shared<DaemonSet>>> = RwSignal::new(None);
        let verdicts: RwSignal<Option<Shared<Verdicts>>> = RwSignal::new(None);
        let sim = Sim::new();
        let cards = Memo::new(move |_| {
            // A story's cards (none until its first frame: the editors' verdicts may be of
            // another cluster, e.g. a lesson's scenario is just being loaded; and the story's
            // nodes come in another order, which would move every tile).
            if sim.active() {
                return Vec::clone(&sim.cards.get());
            }
            verdicts.with(|v| v.as_ref().map(|v| v.cards.clone()).unwrap_or_default())
        });
        let names = Memo::new(move |before: Option<&Vec<String>>| {
            // While a story waits for its first frame the nodes drawn stay, rather than thousands
            // of tiles being dropped and drawn again a moment later.
            match before {
                Some(before) if sim.awaiting_first_frame() => before.clone(),
                _ => cards.with(|c| c.iter().map(|c| c.name.clone()).collect()),
            }
        });
        let card_pos =
            Memo::new(move |_| names.with(|n| n.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect()));
        let lab = Lab {
            ds_text: RwSignal::new(examples::DAEMONSET_YAML.to_string()),
            nodes_text: RwSignal::new(examples::NODES_YAML.to_string()),
            ds_big: RwSignal::new_local(None),
            nodes_big: RwSignal::new_local(None),
            ds,
            ds_all: RwSignal::new(Shared::new(Vec::new())),
            ds_pick: RwSignal::new(None),
            ds_note: RwSignal::new(None),
            nodes_note: RwSignal::new(None),
            in_flight: StoredValue::new(0),
            ticket: StoredValue::new(0),
            ds_error: RwSignal::new(None),
            nodes_error: RwSignal::new(None),
            mode: RwSignal::new(UiMode::Current),
            selected: RwSignal::new(None),
            compact: RwSignal::new(None),
            verdicts,
            busy: RwSignal::new(None),
            sim,
            notes: RwSignal::new(None),
            cards,
            names,
            card_pos,
            card_cells: StoredValue::new(HashMap::new()),
            cell_runs: StoredValue::new(0),
            cells_pending: RwSignal::new(false),
            answers: StoredValue::new_local(HashMap::new()),
        };
        // Each card to its node's signal, when it changed (a node gone: none), a few hundred per
        // animation frame: the first frame of a story over 5,000 nodes changes every card, and
        // redrawing them all in one task held the page for a second.
        Effect::new(move |_| {
            if lab.sim.awaiting_first_frame() {
                return; // the cards of before stay until the story's come
            }
            let mut changed: Vec<(usize, CardCell, Option<NodeCard>)> = lab.cards.with(|cards| {
                lab.card_pos.with(|pos| {
                    lab.card_cells
                        .try_update_value(|cells| {
                            prune_cells(cells, pos);
                            cells
                                .iter()
                                .filter_map(|(name, cell)| {
                                    let at = pos.get(name).copied();
                                    let now = at.and_then(|i| cards.get(i));
                                    let same = cell.with_untracked(|before| before.as_ref() == now);
                                    (!same).then(|| (at.unwrap_or(usize::MAX), cell.clone(), now.cloned()))
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
            });
            // The first nodes of the list (those in view) first.
            dslab_sim::sort::sort_by_key(&mut changed, |(at, _, _)| *at);
            let changed = changed.into_iter().map(|(_, cell, card)| (cell, card)).collect();
            let run = lab.cell_runs.get_value() + 1;
            lab.cell_runs.set_value(run);
            set_cells(lab, run, changed);
        });
        client::start(move |r| lab.receive(r));
        lab.reparse_daemonset();
        lab.reparse_nodes();
        // The choices every verdict and story depends on go to the worker whenever one changes.
        Effect::new(move |_| {
            let choices = Choices {
                pick: lab.ds_pick.get(),
                mode: lab.mode.get(),
                story: lab.story_wire(),
            };
            let before = lab.sim.choices_sent.get_value();
            if before.as_ref() == Some(&choices) {
                return;
            }
            let new_story = before.is_none_or(|b| b.story != choices.story);
            lab.sim.choices_sent.set_value(Some(choices.clone()));
            let ticket = lab.send(Update {
                choices: Some(choices),
                ..Update::default()
            });
            if new_story {
                // Runs of the story asked for before this one are of no use any more.
                lab.sim.story_ticket.set_value(ticket);
            }
        });
        // The player's position goes to the worker, which answers with its frame.
        Effect::new(move |_| {
            let index = lab.sim.player.index.get();
            if lab.sim.run.with(|r| matches!(r, Some(Ok(_)))) {
                lab.send(Update {
                    seek: Some(index),
                    ..Update::default()
                });
            }
        });
        lab
    }

    /// Sends `update` (a question to the worker); `then` gets the answer that carries its ticket.
    pub fn ask(&self, update: Update, then: impl FnOnce(Response) + 'static) {
        let ticket = self.send(update);
        self.answers.update_value(|a| {
            a.insert(ticket, Box::new(then));
        });
    }

    /// Runs (or, with `complete`, completes) a console line on the story's run at the player's
    /// position, in the worker; `then` gets the answer.
    pub fn ask_kubectl(&self, line: String, complete: bool, then: impl FnOnce(Response) + 'static) {
        let index = self.sim.player.index.get_untracked();
        let ask = KubectlAsk {
            index,
            line,
            complete,
        };
        self.ask(
            Update {
                kubectl: Some(ask),
                ..Update::default()
            },
            then,
        );
    }

    /// The story as the worker plays it: with the console's commands after its own events.
    fn story_wire(&self) -> Option<StoryWire> {
        let story = self.sim.story.get()?;
        let events = self.sim.extra.get();
        if events.is_empty() {
            return Some(story.to_wire());
        }
        // The worker builds the story over its cluster and reads the console's events after it.
        match story.to_wire() {
            StoryWire::Console { base, keep, .. } => Some(StoryWire::Console { base, keep, events }),
            base => Some(StoryWire::Console {
                base: Box::new(base),
                keep: None,
                events,
            }),
        }
    }

    /// What the worker answered.
    fn receive(&self, response: Response) {
        match response {
            Response::Ready => {}
            Response::Busy(what) => self.busy.set(Some(what)),
            Response::Done => {
                let left = self
                    .in_flight
                    .try_update_value(|n| {
                        *n = n.saturating_sub(1);
                        *n
                    })
                    .unwrap_or(0);
                if left == 0 {
                    self.busy.set(None);
                    self.sim.run_waiting();
                }
            }
            Response::DaemonSets(Ok(read)) => {
                // Each document is one DaemonSet as the worker printed it: small, read at once.
                let all: Vec<DaemonSet> = read
                    .docs
                    .iter()
                    .filter_map(|d| dslab_sim::parse_daemonset(d.as_bytes(), "daemonset.yaml").ok())
                    .collect();
                self.ds_note.set(read.note);
                self.ds_all.set(Shared::new(all));
                self.ds_error.set(None);
                self.apply_pick();
            }
            Response::DaemonSets(Err(e)) => self.ds_error.set(Some(e)),
            Response::Nodes(read) => match read {
                Ok(read) => {
                    self.nodes_note.set(read.note);
                    self.nodes_error.set(None);
                }
                Err(e) => self.nodes_error.set(Some(e)),
            },
            Response::Verdicts(v) => self.verdicts.set(v.map(Shared::new)),
            Response::Kubectl { ticket, .. }
            | Response::Completions { ticket, .. }
            | Response::ScenarioFile { ticket, .. }
            | Response::Imported { ticket, .. }
            | Response::QuizMe { ticket, .. }
            | Response::Audit { ticket, .. } => {
                let then = self.answers.try_update_value(|a| a.remove(&ticket)).flatten();
                if let Some(then) = then {
                    then(response);
                }
            }
            story => self.sim.receive(story),
        }
    }

    fn send(&self, mut update: Update) -> u64 {
        let ticket = self.ticket.try_update_value(|t| {
            *t += 1;
            *t
        });
        let ticket = ticket.unwrap_or_default();
        update.ticket = ticket;
        self.in_flight.update_value(|n| *n += 1);
        client::send(update);
        ticket
    }

    /// Everything sent to the worker is answered, and the story (if one is on) is on screen.
    pub fn settled(&self) -> bool {
        self.in_flight.get_value() == 0 && self.sim.ready()
    }

    /// Runs `then` once the worker has answered everything sent so far and the story (if one is
    /// on) is on screen: at once if so.
    pub fn when_settled(&self, then: impl FnOnce() + 'static) {
        if self.settled() {
            then();
        } else {
            self.sim.waiting.update_value(|w| w.push(Box::new(then)));
        }
    }

    /// Sends the DaemonSet editor's text to the worker; on error the last good DaemonSet stays.
    pub fn reparse_daemonset(&self) {
        self.send(Update {
            daemonsets: Some(editor_text(self.ds_text, self.ds_big)),
            ..Update::default()
        });
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

    /// Sends the Nodes editor's text to the worker; on error the last good node list stays.
    pub fn reparse_nodes(&self) {
        self.send(Update {
            nodes: Some(editor_text(self.nodes_text, self.nodes_big)),
            ..Update::default()
        });
    }

    /// Forgets the cluster (a link that cannot be read): nothing stays on screen.
    pub fn forget_cluster(&self) {
        self.ds.set(None);
        self.verdicts.set(None);
        self.send(Update {
            reset: true,
            ..Update::default()
        });
    }

    pub fn is_compact(&self) -> bool {
        self.compact
            .get()
            .unwrap_or_else(|| self.names.with(|n| n.len() >= COMPACT_FROM))
    }

    /// The selected node, if it is still in the cluster.
    pub fn selected_node(&self) -> Option<(String, Shared<DaemonSet>)> {
        let name = self.selected.get()?;
        let ds = self.ds.get()?;
        let present = self.card_pos.with(|p| p.contains_key(&name));
        present.then_some((name, ds))
    }
}

/// What an editor holds, as it goes to the worker.
fn editor_text(text: RwSignal<String>, big: RwSignal<Option<js_sys::JsString>, LocalStorage>) -> EditorText {
    match big.get_untracked() {
        Some(big) => EditorText::Js(big),
        None => text.get_untracked().into(),
    }
}

impl Lab {
    /// The editors' texts as the user sees them, (DaemonSets, Nodes): a big paste is copied out
    /// of its JS string (a share link's texts).
    pub fn texts(&self) -> (String, String) {
        let own = |text: RwSignal<String>, big: RwSignal<Option<js_sys::JsString>, LocalStorage>| {
            big.get_untracked()
                .map_or_else(|| text.get_untracked(), String::from)
        };
        (
            own(self.ds_text, self.ds_big),
            own(self.nodes_text, self.nodes_big),
        )
    }

    /// The length of the editors' texts together, in UTF-16 units (a big paste's without copying
    /// it out).
    pub fn texts_len(&self) -> usize {
        let len = |text: RwSignal<String>, big: RwSignal<Option<js_sys::JsString>, LocalStorage>| {
            big.with_untracked(|b| b.as_ref().map(|b| b.length() as usize))
                .unwrap_or_else(|| text.with_untracked(String::len))
        };
        len(self.ds_text, self.ds_big) + len(self.nodes_text, self.nodes_big)
    }

    /// Puts a whole scenario on screen: its DaemonSet and nodes in the editors, its mode, and its
    /// events in the player, from the start. (Lessons, share links and imported files come here.)
    pub fn load_scenario(&self, slug: &'static str, title: String, scenario: Scenario) {
        if let Some(ds) = scenario.daemonsets.first() {
            self.set_ds_text(dslab_sim::to_yaml(ds));
        }
        let nodes: Vec<String> = scenario.nodes.iter().map(dslab_sim::to_yaml).collect();
        self.set_nodes_text(nodes.join("---\n"));
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

    /// Puts an imported file's texts in the editors, as the worker has read them (see
    /// `Update::import`): no reading again.
    pub fn show_import(&self, import: &Imported, file: js_sys::JsString) {
        if let Some(ds) = &import.daemonsets {
            self.set_ds_text(ds.clone());
            self.ds_pick.set(None);
        }
        if import.nodes {
            self.set_nodes_js(file);
        }
        self.sim.stop();
    }

    /// Sets the Nodes editor's text from a JS string (a file, the audit's nodes): over
    /// EDIT_LIMIT it stays that string, out of the box and of the page's memory.
    pub fn set_nodes_js(&self, text: js_sys::JsString) {
        if text.length() as usize > EDIT_LIMIT {
            self.nodes_text.set(String::new());
            self.nodes_big.set(Some(text));
        } else {
            self.set_nodes_text(String::from(text));
        }
    }

    /// Sets the DaemonSet editor's text from elsewhere (an example, a link, an import): it
    /// replaces a big paste.
    pub fn set_ds_text(&self, text: String) {
        self.ds_big.set(None);
        self.ds_text.set(text);
    }

    /// Sets the Nodes editor's text from elsewhere: it replaces a big paste.
    pub fn set_nodes_text(&self, text: String) {
        self.nodes_big.set(None);
        self.nodes_text.set(text);
    }

    /// The card of one node, as a signal that changes only when that card does.
    pub fn card(&self, name: String) -> Signal<Option<NodeCard>> {
        let (cards, pos) = (self.cards, self.card_pos);
        let cell = self.card_cells.try_update_value(|cells| {
            cells
                .entry(name.clone())
                .or_insert_with(|| {
                    let now = pos.with_untracked(|p| p.get(&name).copied());
                    Arc::new(ArcRwSignal::new(
                        now.and_then(|i| cards.with_untracked(|c| c.get(i).cloned())),
                    ))
                })
                .clone()
        });
        let cell = cell.unwrap_or_else(|| Arc::new(ArcRwSignal::new(None)));
        Signal::derive(move || cell.get())
    }
}

/// One node's card, as a signal its tile reads. The `Arc` counts the holders: the map is one,
/// each tile drawn for that node another.
type CardCell = Arc<ArcRwSignal<Option<NodeCard>>>;

/// Forgets the cells that no tile holds and whose node is gone: a visit that shows cluster after
/// cluster would otherwise keep (and check at every change) one per node name ever shown. A cell
/// a tile still holds stays, node gone or not: the view catches up a chunk per frame, so a tile
/// may outlive its node for a moment, and the node may come back (names A → B → A).
fn prune_cells(cells: &mut HashMap<String, CardCell>, pos: &HashMap<String, usize>) {
    cells.retain(|name, cell| Arc::strong_count(cell) > 1 || pos.contains_key(name));
}

/// Cards set on their nodes' signals per animation frame.
const CELLS_PER_FRAME: usize = 150;

/// Sets the first cells of `changed` now and the rest on the next animation frames, unless a
/// newer change of the cards (a newer `run`) has taken over.
fn set_cells(lab: Lab, run: u64, mut changed: Vec<(CardCell, Option<NodeCard>)>) {
    if lab.cell_runs.get_value() != run {
        return;
    }
    let later = changed.split_off(changed.len().min(CELLS_PER_FRAME));
    for (cell, card) in changed {
        cell.set(card);
    }
    let more = !later.is_empty();
    if lab.cells_pending.get_untracked() != more {
        lab.cells_pending.set(more);
    }
    if more {
        request_animation_frame(move || set_cells(lab, run, later));
    }
}

pub fn use_lab() -> Lab {
    expect_context::<Lab>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::frames::{CardPatch, StoryShape};

    /// Leptos' effects (the player's timer) are spawned on an executor: these tests read
    /// signals only, so theirs never run.
    struct NoEffects;

    impl any_spawner::CustomExecutor for NoEffects {
        fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
        fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
        fn poll_local(&self) {}
    }

    /// The cluster is busy from a console command's change until the run it causes is on
    /// screen: read before, the player would show the old run's steps.
    #[test]
    fn a_story_is_redrawn_until_its_new_run_and_frame_are_here() {
        let _ = any_spawner::Executor::init_local_custom_executor(NoEffects);
        let sim = Sim::new();
        assert!(!sim.redrawing(), "no story");
        sim.start(Story::Rollout);
        assert!(sim.redrawing(), "started, nothing from the worker yet");
        let head = |run, positions| Response::StoryHead {
            run,
            head: Ok(StoryIndex {
                positions,
                event_steps: Vec::new(),
                shape: StoryShape::default(),
            }),
        };
        let frame = |run, index| Response::Frame {
            run,
            frame: Frame {
                index,
                time: 0,
                cards: CardPatch::default(),
                ds_row: None,
                step: None,
                next: None,
                events: Vec::new(),
                events_total: 0,
            },
        };
        sim.receive(head(1, 16));
        assert!(sim.redrawing(), "the run, not its frame");
        sim.receive(frame(1, 0));
        assert!(!sim.redrawing(), "the position is drawn");
        sim.rerun();
        assert!(sim.redrawing(), "a new run is due");
        sim.receive(head(2, 17));
        sim.receive(frame(2, 0));
        assert!(!sim.redrawing(), "the new run is on screen");
        assert_eq!(sim.player.len.get_untracked(), 17);
    }

    #[test]
    fn cells_go_when_no_tile_holds_them_and_their_node_is_gone() {
        // (node, held by a tile, node still in the cards, kept)
        let cases = [
            ("held, node gone", true, false, true),
            ("not held, node present", false, true, true),
            ("held, node present", true, true, true),
            ("not held, node gone", false, false, false),
        ];
        let mut cells: HashMap<String, CardCell> = HashMap::new();
        let mut pos = HashMap::new();
        let mut tiles = Vec::new();
        for (i, (name, held, present, _)) in cases.iter().enumerate() {
            let cell: CardCell = Arc::new(ArcRwSignal::new(None));
            if *held {
                tiles.push(cell.clone());
            }
            if *present {
                pos.insert(name.to_string(), i);
            }
            cells.insert(name.to_string(), cell);
        }
        prune_cells(&mut cells, &pos);
        for (name, _, _, kept) in cases {
            assert_eq!(cells.contains_key(name), kept, "{name}");
        }
        // Once its tile is gone, a cell of a node gone goes too.
        drop(tiles);
        prune_cells(&mut cells, &pos);
        assert!(!cells.contains_key("held, node gone"));
        assert!(cells.contains_key("held, node present"));
    }
}
