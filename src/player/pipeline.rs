//! Which actor acted at this step, lit up in the pipeline, with the step's message.

use dslab_sim::cluster::Actor;
use leptos::prelude::*;

use crate::model::UiMode;
use crate::state::use_lab;

const ACTORS: [(Actor, &str); 7] = [
    (Actor::User, "user"),
    (Actor::DaemonsetController, "DaemonSet controller"),
    (Actor::Scheduler, "scheduler"),
    (Actor::Kubelet, "kubelet"),
    (Actor::NodeLifecycle, "node lifecycle"),
    (Actor::PodGc, "pod GC"),
    (Actor::GarbageCollector, "garbage collector"),
];

/// Formats simulated seconds as `t=1m05s`.
pub fn clock(t: u64) -> String {
    if t >= 60 {
        format!("t={}m{:02}s", t / 60, t % 60)
    } else {
        format!("t={t}s")
    }
}

#[component]
pub fn Pipeline() -> impl IntoView {
    let lab = use_lab();
    let sim = lab.sim;
    let current = Memo::new(move |_| sim.frame.get().and_then(|f| f.step.clone()));
    let actor = move || current.with(|c| c.as_ref().map(|c| c.actor));
    let legacy = move || lab.mode.get() == UiMode::Legacy;
    view! {
        <ol class="pipeline" aria-label="Who acts">
            {ACTORS
                .into_iter()
                .map(|(a, label)| {
                    let on = move || actor() == Some(a);
                    view! {
                        <li class="actor" class:on=on data-actor=a.as_str() aria-current=move || on().then_some("step")>
                            <span class="actor-mark" aria-hidden="true">{move || if on() { "▶ " } else { "" }}</span>
                            {label}
                            {(a == Actor::Scheduler).then(|| view! { <span class="actor-note">{move || legacy().then_some(" (bypassed in legacy mode)")}</span> })}
                        </li>
                    }
                })
                .collect::<Vec<_>>()}
        </ol>
        <p class="step-message" aria-live="polite">
            {move || match current.get() {
                None => "The cluster before the first step. Press Play or Step forward.".to_string(),
                Some(s) => format!("{} {}: {} {} — {}", clock(s.time), s.actor.as_str(), s.action, s.object, s.message),
            }}
        </p>
    }
}
