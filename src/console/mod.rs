//! The kubectl console: a text box and an output log over the simulated cluster at the player's
//! step. The core parses the commands and prints what kubectl prints (`dslab_sim::kubectl`); this
//! panel only renders and routes. A command that changes the cluster becomes an event on the
//! timeline at the step where it was typed, and the player plays on so the change animates.

mod line;

use dslab_sim::kubectl;
use leptos::prelude::*;

use crate::state::{use_lab, Lab};
use crate::stories::Story;
use crate::worker::frames::KubectlAnswer;
use crate::worker::Response;
use line::{complete_line, History};

/// Lines kept in the output.
const MAX_LINES: usize = 400;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Command,
    Output,
    Error,
    Hint,
    Info,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Command => "con-line con-cmd",
            Kind::Output => "con-line con-out",
            Kind::Error => "con-line con-err",
            Kind::Hint => "con-line con-hint",
            Kind::Info => "con-line con-info",
        }
    }
}

#[derive(Clone)]
struct Line {
    id: usize,
    kind: Kind,
    text: String,
}

/// With no scenario on, the console works on the editors' cluster after its initial rollout:
/// starts that story and goes to its settled end. Says so when it did.
fn ensure_running(lab: &Lab) -> Option<String> {
    if lab.sim.story.with_untracked(Option::is_some) {
        return None;
    }
    lab.sim.start(Story::Rollout);
    lab.sim.seek_when_ready(usize::MAX);
    Some(
        "Started the \"Initial rollout\" story on the editors' cluster, at its settled end: commands act on that simulated cluster."
            .to_string(),
    )
}

/// Puts a change on the timeline at the player's step: the events already applied by then stay,
/// later ones are dropped (the console rewrites the future from here), and the new event applies
/// one simulated second after the step on screen. Then the player plays through its steps.
/// `event`: the change as a scenario file writes it (the worker read the command).
fn apply_change(lab: &Lab, event: &str) -> Result<Option<String>, String> {
    let sim = lab.sim;
    let story = sim.story.get_untracked().ok_or("no scenario is on")?;
    let k = sim.player.index.get_untracked();
    let (event_steps, shape) = sim.run.with_untracked(|r| match r {
        Some(Ok(r)) => Ok((r.event_steps.clone(), r.shape)),
        Some(Err(e)) => Err(e.clone()),
        None => Err("no scenario is on".to_string()),
    })?;
    let n_extra = sim.extra.with_untracked(Vec::len);
    let kept = kept_events(&event_steps, shape.own_events, n_extra, k);
    let dropped = (shape.own_events - kept.own) + (n_extra - kept.extra);
    if kept.own < shape.own_events || shape.until {
        // The story's later events (or its end time) would come first: keep what happened.
        sim.story.set(Some(story.truncated(kept.own)));
    }
    let mut events = sim.extra.get_untracked();
    events.truncate(kept.extra);
    events.push(event.to_string());
    sim.rerun();
    sim.extra.set(events);
    sim.player.pause();
    // The worker plays the new events: from step k on once its run is here.
    let lab = *lab;
    lab.when_settled(move || {
        sim.player.index.set(k);
        if k + 1 < sim.player.len.get_untracked() {
            sim.player.play();
        }
    });
    Ok((dropped > 0).then(|| {
        format!(
            "({dropped} later event(s) of the timeline dropped: the command changes the cluster from this step on.)"
        )
    }))
}

/// The events that stay when the console changes the cluster at step `k`: those that applied
/// before it. The console's own (`extra`, after the story's `own`) stay only when all the
/// story's did.
struct Kept {
    own: usize,
    extra: usize,
}

fn kept_events(event_steps: &[usize], own: usize, extra: usize, k: usize) -> Kept {
    let applied = |j: usize| event_steps.get(j).is_some_and(|s| *s < k);
    let own_kept = (0..own).take_while(|j| applied(*j)).count();
    let extra_kept = if own_kept == own {
        (0..extra).take_while(|i| applied(own + i)).count()
    } else {
        0
    };
    Kept {
        own: own_kept,
        extra: extra_kept,
    }
}

/// Runs one console line on the simulated cluster at the player's position (in the worker);
/// `done` once its output is printed.
fn execute(
    lab: Lab,
    line: String,
    say: impl Fn(Kind, String) + Copy + 'static,
    done: impl FnOnce() + 'static,
) {
    if let Some(e) = lab.sim.error() {
        say(
            Kind::Error,
            format!("error: the scenario could not be built: {e}"),
        );
        done();
        return;
    }
    lab.ask_kubectl(line, false, move |response| {
        let Response::Kubectl { answer, .. } = response else {
            done();
            return;
        };
        match answer {
            KubectlAnswer::Output(text) => say(Kind::Output, text),
            KubectlAnswer::Error { message, hint } => {
                say(Kind::Error, message);
                if let Some(h) = hint {
                    say(Kind::Hint, format!("hint: {h}"));
                }
            }
            KubectlAnswer::Change { event, output, .. } => match apply_change(&lab, &event) {
                Ok(note) => {
                    say(Kind::Output, output);
                    if let Some(n) = note {
                        say(Kind::Info, n);
                    }
                }
                Err(e) => say(Kind::Error, format!("error: {e}")),
            },
        }
        done();
    });
}

#[component]
pub fn ConsolePanel() -> impl IntoView {
    let lab = use_lab();
    let lines: RwSignal<Vec<Line>> = RwSignal::new(vec![Line {
        id: 0,
        kind: Kind::Info,
        text: "Type kubectl commands against the simulated cluster (the \"kubectl \" prefix is optional). Try: get pods -A -o wide, help, clear.".into(),
    }]);
    let next_id = StoredValue::new(1usize);
    let input = RwSignal::new(String::new());
    let history = StoredValue::new(History::default());
    let output_ref = NodeRef::<leptos::html::Div>::new();
    // Lines sent to the worker and not answered yet (the output says it is busy meanwhile).
    let pending = RwSignal::new(0usize);
    let begin = move || pending.update(|n| *n += 1);
    let end = move || pending.update(|n| *n = n.saturating_sub(1));
    let busy = move || if pending.get() > 0 { "true" } else { "false" };

    let say = move |kind: Kind, text: String| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        lines.update(|l| {
            l.push(Line { id, kind, text });
            let extra = l.len().saturating_sub(MAX_LINES);
            l.drain(..extra);
        });
    };

    // Keep the newest output in sight.
    Effect::new(move |_| {
        lines.track();
        if let Some(el) = output_ref.get() {
            el.set_scroll_top(el.scroll_height());
        }
    });

    let run = move |text: String| {
        let line = text.trim().to_string();
        if line.is_empty() {
            return;
        }
        history.update_value(|h| h.push(&line));
        say(Kind::Command, format!("$ {line}"));
        let bare = line.strip_prefix("kubectl").map(str::trim).unwrap_or(&line);
        match bare {
            "clear" | "cls" => {
                lines.set(Vec::new());
                return;
            }
            "help" | "--help" | "-h" | "" => {
                say(Kind::Output, kubectl::words::HELP.to_string());
                say(
                    Kind::Info,
                    "clear: empties this output. Commands that change the cluster become events on the timeline, played from the step on screen."
                        .into(),
                );
                return;
            }
            _ => {}
        }
        if let Some(note) = ensure_running(&lab) {
            say(Kind::Info, note);
        }
        // The worker may still be playing the story: the command acts once it is on screen.
        begin();
        lab.when_settled(move || execute(lab, line, say, end));
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                let text = input.get_untracked();
                input.set(String::new());
                run(text);
            }
            "ArrowUp" => {
                ev.prevent_default();
                let cur = input.get_untracked();
                if let Some(t) = history.try_update_value(|h| h.up(&cur)).flatten() {
                    input.set(t);
                }
            }
            "ArrowDown" => {
                ev.prevent_default();
                if let Some(t) = history.try_update_value(|h| h.down()).flatten() {
                    input.set(t);
                }
            }
            "Tab" if !ev.shift_key() => {
                let cur = input.get_untracked();
                if cur.trim().is_empty() {
                    return; // Tab leaves the box.
                }
                ev.prevent_default();
                // Completion reads the simulated cluster (the editors' one after its rollout when
                // no scenario is on), which the worker holds.
                begin();
                lab.when_settled(move || {
                    lab.ask_kubectl(cur.clone(), true, move |response| {
                        end();
                        let Response::Completions { list, .. } = response else {
                            return;
                        };
                        // Typed on since: this completion is of no use any more.
                        if list.is_empty() || input.get_untracked() != cur {
                            return;
                        }
                        let (completed, listed) = complete_line(&cur, &list);
                        if listed {
                            say(Kind::Info, list.join("  "));
                        }
                        input.set(completed);
                    });
                });
            }
            _ => {}
        }
    };

    view! {
        <section class="console" aria-labelledby="console-title">
            <h2 id="console-title">"kubectl"</h2>
            <p class="muted console-hint">
                "Commands run on the simulated cluster at the step on screen; those that change it are played on the timeline. Up/Down: history. Tab: complete (Shift+Tab leaves)."
            </p>
            <div class="console-output" role="log" aria-label="Console output" aria-live="polite" aria-busy=busy tabindex="0" node_ref=output_ref>
                <For each=move || lines.get() key=|l| l.id let:l>
                    <div class=l.kind.class()>{l.text}</div>
                </For>
            </div>
            <div class="console-input">
                <span class="console-prompt" aria-hidden="true">"$ kubectl"</span>
                <label class="visually-hidden" for="kubectl-input">"kubectl console"</label>
                <input
                    id="kubectl-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    placeholder="get pods -A -o wide"
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev))
                    on:keydown=on_keydown
                />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::kept_events;

    #[test]
    fn a_change_keeps_the_events_applied_before_the_step_on_screen() {
        // event_steps: the step at which each event applied (the story's 2, then the console's 2).
        let steps = [3, 8, 12, 20];
        for (name, k, own, extra) in [
            ("before any event", 2, 0, 0),
            ("after the story's first event", 5, 1, 0),
            ("at the step of an event (not applied yet)", 8, 1, 0),
            ("after the story's events", 10, 2, 0),
            ("after the first console event", 15, 2, 1),
            ("at the end", 30, 2, 2),
        ] {
            let kept = kept_events(&steps, 2, 2, k);
            assert_eq!((kept.own, kept.extra), (own, extra), "{name}");
        }
        // The console's events stay only behind the whole story: a story event that never
        // applied (no step) cuts them too.
        let kept = kept_events(&[3], 2, 1, 30);
        assert_eq!((kept.own, kept.extra), (1, 0));
    }
}
