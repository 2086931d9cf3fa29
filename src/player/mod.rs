//! The scenario player: story buttons, the step controls, which actor acted (the controller →
//! scheduler → kubelet pipeline), the `kubectl get ds` row and the events list.

pub mod controls;
mod pipeline;
mod status;

use leptos::prelude::*;

use crate::state::use_lab;
use crate::stories::Story;
use controls::PlayerControls;
pub use pipeline::clock;
pub use pipeline::Pipeline;
pub use status::{EventsList, StatusRow};

#[component]
pub fn PlayerPanel() -> impl IntoView {
    let lab = use_lab();
    let sim = lab.sim;
    let max_unavailable = RwSignal::new("1".to_string());
    let max_surge = RwSignal::new("0".to_string());
    let story_button = move |story: Story| {
        let s2 = story.clone();
        let slug = story.slug();
        let is_on = move || sim.story.with(|s| s.as_ref().map(Story::slug) == Some(slug));
        view! {
            <button
                class="btn story"
                class:active=is_on
                aria-pressed=move || if is_on() { "true" } else { "false" }
                data-story=slug
                title=story.describe()
                on:click=move |_| sim.start(s2.clone())
            >
                {story.title().to_string()}
            </button>
        }
    };
    let error = move || sim.error();
    view! {
        <section class="player" aria-labelledby="player-title">
            <div class="player-head">
                <h2 id="player-title">"Scenarios"</h2>
                <p class="muted">
                    "Play a story on the cluster in the editors, step by step, as the core simulates it. "
                    "Simplified: one DaemonSet (the one picked), and other workloads only as the pods pasted with the nodes; time is simulated (image pulls, starts and back-offs take simulated seconds)."
                </p>
            </div>
            <div class="stories" role="group" aria-label="Scenario">
                {Story::simple().into_iter().map(story_button).collect::<Vec<_>>()}
            </div>
            <form
                class="rolling-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    sim.start(Story::RollingUpdate {
                        max_unavailable: max_unavailable.get_untracked(),
                        max_surge: max_surge.get_untracked(),
                    });
                }
            >
                <label>
                    "maxUnavailable "
                    <input
                        type="text"
                        size="4"
                        prop:value=move || max_unavailable.get()
                        on:input=move |ev| max_unavailable.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "maxSurge "
                    <input
                        type="text"
                        size="4"
                        prop:value=move || max_surge.get()
                        on:input=move |ev| max_surge.set(event_target_value(&ev))
                    />
                </label>
                <button
                    type="submit"
                    class="btn story"
                    data-story="rolling-update"
                    class:active=move || sim.story.with(|s| matches!(s, Some(Story::RollingUpdate { .. })))
                >
                    "Rolling update"
                </button>
            </form>
            {move || error().map(|e| view! { <p class="player-error" role="alert">"The scenario could not be built: " {e}</p> })}
            <Show when=move || sim.active()>
                <div class="player-live">
                    <div class="player-bar">
                        <PlayerControls player=sim.player/>
                        <button class="btn stop" on:click=move |_| sim.stop()>
                            "Back to the verdicts"
                        </button>
                    </div>
                    <Pipeline/>
                    <StatusRow/>
                    <EventsList/>
                </div>
            </Show>
        </section>
    }
}
