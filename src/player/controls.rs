//! The step player's controls: Play, Pause, Step back, Step forward, Restart, speed, a scrubber,
//! and keyboard shortcuts (space: play/pause, arrows: step, Home: restart). Going back is reading
//! an earlier step of the timeline the core computed, never undoing.

use std::time::Duration;

use leptos::prelude::*;

pub const SPEEDS: [f64; 4] = [0.5, 1.0, 2.0, 4.0];
/// One step per this many milliseconds at 1x.
const STEP_MS: f64 = 1200.0;

#[derive(Clone, Copy)]
pub struct Player {
    /// Number of steps (0 when there is no timeline).
    pub len: Signal<usize>,
    pub index: RwSignal<usize>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
}

impl Player {
    pub fn new(len: Signal<usize>) -> Self {
        let p = Player {
            len,
            index: RwSignal::new(0),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
        };
        p.run_timer();
        p.keep_index_in_range();
        p
    }

    pub fn at_end(&self) -> bool {
        self.index.get() + 1 >= self.len.get()
    }

    pub fn forward(&self) {
        let len = self.len.get_untracked();
        self.index.update(|i| {
            if *i + 1 < len {
                *i += 1
            }
        });
    }

    pub fn back(&self) {
        self.index.update(|i| *i = i.saturating_sub(1));
    }

    pub fn restart(&self) {
        self.playing.set(false);
        self.index.set(0);
    }

    pub fn play(&self) {
        if self.len.get_untracked() == 0 {
            return;
        }
        if self.index.get_untracked() + 1 >= self.len.get_untracked() {
            self.index.set(0);
        }
        self.playing.set(true);
    }

    pub fn pause(&self) {
        self.playing.set(false);
    }

    fn run_timer(&self) {
        let this = *self;
        let handle = StoredValue::new(None::<IntervalHandle>);
        Effect::new(move |_| {
            if let Some(h) = handle.get_value() {
                h.clear();
                handle.set_value(None);
            }
            if !this.playing.get() {
                return;
            }
            let ms = (STEP_MS / this.speed.get()).round() as u64;
            let h = set_interval_with_handle(
                move || {
                    if this.index.get_untracked() + 1 >= this.len.get_untracked() {
                        this.playing.set(false);
                    } else {
                        this.forward();
                    }
                },
                Duration::from_millis(ms),
            )
            .ok();
            handle.set_value(h);
        });
    }

    fn keep_index_in_range(&self) {
        let this = *self;
        Effect::new(move |_| {
            let len = this.len.get();
            if this.index.get_untracked() >= len {
                this.index.set(len.saturating_sub(1));
            }
        });
    }

    /// Space, arrows and Home anywhere on the page, except while typing in a text field.
    pub fn install_keys(&self) {
        let this = *self;
        let _ = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
                return;
            }
            let tag = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .map(|el| el.tag_name().to_ascii_lowercase())
                .unwrap_or_default();
            // Text fields, selects and sliders keep their keys; a focused button keeps Space.
            if matches!(tag.as_str(), "textarea" | "input" | "select") || (tag == "button" && ev.key() == " ")
            {
                return;
            }
            match ev.key().as_str() {
                " " => {
                    ev.prevent_default();
                    if this.playing.get_untracked() {
                        this.pause()
                    } else {
                        this.play()
                    }
                }
                "ArrowRight" => {
                    ev.prevent_default();
                    this.pause();
                    this.forward();
                }
                "ArrowLeft" => {
                    ev.prevent_default();
                    this.pause();
                    this.back();
                }
                "Home" => {
                    ev.prevent_default();
                    this.restart();
                }
                _ => {}
            }
        });
    }
}

#[component]
pub fn PlayerControls(player: Player) -> impl IntoView {
    let p = player;
    let empty = move || p.len.get() == 0;
    let max = move || p.len.get().saturating_sub(1).to_string();
    view! {
        <div class="player-controls" role="group" aria-label="Step player">
            <button class="btn" on:click=move |_| p.restart() disabled=empty>
                <span aria-hidden="true">"↺ "</span>"Restart"
            </button>
            <button class="btn" on:click=move |_| { p.pause(); p.back(); } disabled=move || empty() || p.index.get() == 0>
                <span aria-hidden="true">"◀ "</span>"Step back"
            </button>
            <button class="btn primary" on:click=move |_| p.play() disabled=move || empty() || p.playing.get() aria-keyshortcuts="Space">
                <span aria-hidden="true">"▶ "</span>"Play"
            </button>
            <button class="btn" on:click=move |_| p.pause() disabled=move || !p.playing.get() aria-keyshortcuts="Space">
                <span aria-hidden="true">"‖ "</span>"Pause"
            </button>
            <button class="btn" on:click=move |_| { p.pause(); p.forward(); } disabled=move || empty() || p.at_end() aria-keyshortcuts="ArrowRight">
                <span aria-hidden="true">"▶| "</span>"Step forward"
            </button>
            <label class="speed">
                "Speed "
                <select on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                        p.speed.set(v)
                    }
                }>
                    {SPEEDS
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! {
                                <option value=s.to_string() selected=move || p.speed.get() == s>
                                    {format!("{s}×")}
                                </option>
                            }
                        })
                        .collect::<Vec<_>>()}
                </select>
            </label>
            <label class="scrubber">
                <span class="visually-hidden">"Timeline"</span>
                <input
                    type="range"
                    min="0"
                    max=max
                    step="1"
                    prop:value=move || p.index.get().to_string()
                    disabled=empty
                    on:input=move |ev| {
                        p.pause();
                        if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                            p.index.set(v)
                        }
                    }
                />
            </label>
            <span class="step-count" aria-live="polite">
                {move || if empty() { "no steps".to_string() } else { format!("step {} of {}", p.index.get() + 1, p.len.get()) }}
            </span>
        </div>
    }
}
