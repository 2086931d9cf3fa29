//! Presentation mode for a classroom: full screen when the browser allows it, large type, high
//! contrast, editors folded away; a clicker's keys (space, arrows, PageUp/PageDown) step the player
//! and Escape leaves. A speaker-notes window (`#/notes`) follows the player over a
//! BroadcastChannel. And the light / dark theme switch.

pub mod cue;
mod theme;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::player::clock;
use crate::route::{use_router, Route};
use crate::state::{use_lab, Lab};
use crate::stories::Story;
use crate::worker::frames::StepLine;
use cue::{Cue, Message, CHANNEL};
pub use theme::ThemeSwitch;

/// Adds or removes a class on `<html>`.
pub fn set_root_class(class: &str, on: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let list = root.class_list();
        let _ = if on {
            list.add_1(class)
        } else {
            list.remove_1(class)
        };
    }
}

/// Calls a method that returns a promise (`requestFullscreen`, `exitFullscreen`) if the object
/// has it, and swallows a refusal (headless browsers and iframes refuse full screen).
fn call_promise_method(target: &JsValue, name: &str) {
    let Ok(f) = js_sys::Reflect::get(target, &JsValue::from_str(name)) else {
        return;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return;
    };
    if let Ok(ret) = f.call0(target) {
        if let Ok(p) = ret.dyn_into::<js_sys::Promise>() {
            leptos::task::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn enter_fullscreen() {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        call_promise_method(&root, "requestFullscreen");
    }
}

fn leave_fullscreen() {
    if let Some(d) = document() {
        if d.fullscreen_element().is_some() {
            call_promise_method(&d, "exitFullscreen");
        }
    }
}

fn step_text(s: &StepLine) -> String {
    format!(
        "{} {}: {} {} — {}",
        clock(s.time),
        s.actor.as_str(),
        s.action,
        s.object,
        s.message
    )
}

/// The presenter's screen as the notes window shows it (tracks the signals it reads).
fn cue_now(lab: &Lab) -> Cue {
    let sim = lab.sim;
    let index = sim.player.index.get();
    let total = sim.player.len.get();
    let title = sim
        .story
        .with(|s| s.as_ref().map(|s| s.title().to_string()))
        .unwrap_or_default();
    let (current, next) = match sim.frame.get() {
        Some(f) => (
            f.step
                .as_ref()
                .map(step_text)
                .unwrap_or_else(|| "The cluster before the first step.".to_string()),
            f.next.as_ref().map(step_text),
        ),
        None => ("No scenario is playing.".to_string(), None),
    };
    Cue {
        title,
        step: if total == 0 { 0 } else { index + 1 },
        total,
        current,
        next,
        notes: lab.notes.get(),
    }
}

fn open_channel() -> Option<web_sys::BroadcastChannel> {
    // Absent in some embedded browsers: the notes window then simply waits.
    let has = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("BroadcastChannel")).ok())
        .is_some_and(|c| c.is_function());
    if has {
        web_sys::BroadcastChannel::new(CHANNEL).ok()
    } else {
        None
    }
}

fn post(channel: &web_sys::BroadcastChannel, m: &Message) {
    let _ = channel.post_message(&js_sys::Uint8Array::from(m.to_bytes().as_slice()));
}

/// Calls `on` with each message of the channel (for the page's life).
fn listen(channel: &web_sys::BroadcastChannel, on: impl Fn(Message) + 'static) {
    let cb = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let bytes = ev
            .data()
            .dyn_into::<js_sys::Uint8Array>()
            .ok()
            .map(|b| b.to_vec());
        if let Some(m) = bytes.and_then(|b| Message::from_bytes(&b)) {
            on(m);
        }
    });
    channel.set_onmessage(Some(cb.as_ref().unchecked_ref()));
    cb.forget();
}

fn is_notes_window() -> bool {
    use_router().route.get_untracked() == Route::Notes
}

/// The header's buttons: Presentation mode, Speaker notes, and the theme switch.
#[component]
pub fn PresentBar() -> impl IntoView {
    let lab = use_lab();
    let sim = lab.sim;
    let presenting = RwSignal::new(false);
    let blocked = RwSignal::new(false);
    Effect::new(move |_| set_root_class("presenting", presenting.get()));

    let leave = move || {
        presenting.set(false);
        leave_fullscreen();
    };
    let enter = move || {
        if !sim.story.with_untracked(Option::is_some) {
            sim.start(Story::Rollout);
        }
        presenting.set(true);
        enter_fullscreen();
    };

    // A clicker's keys, before the player's own shortcuts (capture phase on the window).
    let keys = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
        if !presenting.get_untracked() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        let key = ev.key();
        if key == "Escape" {
            ev.prevent_default();
            leave();
            return;
        }
        let tag = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name().to_ascii_lowercase())
            .unwrap_or_default();
        if matches!(tag.as_str(), "input" | "textarea" | "select") {
            return;
        }
        let p = sim.player;
        match key.as_str() {
            " " | "ArrowRight" | "ArrowDown" | "PageDown" => {
                p.pause();
                p.forward();
            }
            "ArrowLeft" | "ArrowUp" | "PageUp" => {
                p.pause();
                p.back();
            }
            "Home" => p.restart(),
            "End" => {
                p.pause();
                p.index.set(p.len.get_untracked().saturating_sub(1));
            }
            _ => return,
        }
        ev.prevent_default();
        ev.stop_propagation();
    });
    // A focused button would also take Space as a click when the key goes up.
    let space_up = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(
                    el.tag_name().to_ascii_lowercase().as_str(),
                    "input" | "textarea" | "select"
                )
            });
        if presenting.get_untracked() && ev.key() == " " && !in_field {
            ev.prevent_default();
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback_and_bool("keydown", keys.as_ref().unchecked_ref(), true);
        let _ = w.add_event_listener_with_callback_and_bool("keyup", space_up.as_ref().unchecked_ref(), true);
    }
    keys.forget();
    space_up.forget();

    // Leaving full screen (the browser's own Escape) leaves presentation mode.
    let fs = Closure::<dyn Fn()>::new(move || {
        let full = document().is_some_and(|d| d.fullscreen_element().is_some());
        if !full && presenting.get_untracked() {
            presenting.set(false);
        }
    });
    if let Some(d) = document() {
        let _ = d.add_event_listener_with_callback("fullscreenchange", fs.as_ref().unchecked_ref());
    }
    fs.forget();

    // Keep the speaker-notes window in step (not from the notes window itself).
    if !is_notes_window() {
        if let Some(channel) = open_channel() {
            let ch = channel.clone();
            Effect::new(move |_| post(&ch, &Message::Cue(cue_now(&lab))));
            let ch = channel.clone();
            listen(&channel, move |m| match m {
                Message::Hello => post(&ch, &Message::Cue(untrack(|| cue_now(&lab)))),
                Message::Forward => {
                    sim.player.pause();
                    sim.player.forward();
                }
                Message::Back => {
                    sim.player.pause();
                    sim.player.back();
                }
                Message::Cue(_) => {}
            });
        }
    }

    let open_notes = move |_| {
        blocked.set(false);
        let Some(w) = web_sys::window() else { return };
        let href = w.location().href().unwrap_or_default();
        let url = format!(
            "{}{}",
            href.split('#').next().unwrap_or_default(),
            Route::Notes.href()
        );
        match w.open_with_url_and_target_and_features(
            &url,
            "daemonset-lab-notes",
            "popup,width=760,height=680",
        ) {
            Ok(Some(_)) => {}
            _ => blocked.set(true),
        }
    };

    view! {
        <div class="present-bar" role="group" aria-label="Present">
            <button
                class="btn"
                class:active=move || presenting.get()
                aria-pressed=move || if presenting.get() { "true" } else { "false" }
                aria-keyshortcuts="Escape"
                title="Large type for a projector; space, arrows and PageUp/PageDown step the scenario; Escape leaves."
                on:click=move |_| if presenting.get_untracked() { leave() } else { enter() }
            >
                "Presentation mode"
            </button>
            <button class="btn" on:click=open_notes title="Opens a second window that follows the steps, for the presenter's screen.">
                "Speaker notes"
            </button>
            <ThemeSwitch/>
        </div>
        <Show when=move || blocked.get()>
            <p class="share-problem" role="alert">
                "The browser blocked the new window: open "
                <a href=Route::Notes.href() target="_blank" rel="noopener">"the speaker notes"</a>
                " in another tab or window yourself."
            </p>
        </Show>
    }
}

/// The speaker-notes window (`#/notes`): the step on the presenter's screen, the next one, and the
/// lesson's notes, all as text.
#[component]
pub fn SpeakerNotes() -> impl IntoView {
    set_root_class("notes-window", true);
    on_cleanup(|| set_root_class("notes-window", false));
    let cue: RwSignal<Option<Cue>> = RwSignal::new(None);
    let channel = open_channel();
    if let Some(ch) = &channel {
        listen(ch, move |m| {
            if let Message::Cue(c) = m {
                cue.set(Some(c));
            }
        });
        post(ch, &Message::Hello);
    }
    let send = move |m: Message| {
        if let Some(ch) = &channel {
            post(ch, &m);
        }
    };
    let send2 = send.clone();
    let router = use_router();
    view! {
        <main class="speaker-notes" id="main" aria-labelledby="notes-title">
            <h2 id="notes-title">"Speaker notes"</h2>
            {move || match cue.get() {
                None => view! {
                    <p class="muted" role="status">
                        "Waiting for the presentation: keep DaemonSet Lab open in the other window."
                    </p>
                }
                .into_any(),
                Some(c) => {
                    let step = if c.total == 0 {
                        "No scenario is playing.".to_string()
                    } else {
                        format!("Step {} of {}", c.step, c.total)
                    };
                    view! {
                        <p class="notes-title">{c.title}</p>
                        <p class="notes-step" role="status">{step}</p>
                        <h3>"Now"</h3>
                        <p class="notes-current">{c.current}</p>
                        <h3>"Next"</h3>
                        <p class="notes-next">{c.next.unwrap_or_else(|| "(the end of the scenario)".to_string())}</p>
                        <h3>"Lesson notes"</h3>
                        <pre class="notes-text">{c.notes.unwrap_or_else(|| "No lesson on screen.".to_string())}</pre>
                    }
                    .into_any()
                }
            }}
            <div class="notes-controls" role="group" aria-label="Presentation">
                <button class="btn" on:click=move |_| send(Message::Back)>"Previous step"</button>
                <button class="btn primary" on:click=move |_| send2(Message::Forward)>"Next step"</button>
                <button class="btn" on:click=move |_| router.go(Route::Playground)>"Back to the playground"</button>
            </div>
        </main>
    }
}
