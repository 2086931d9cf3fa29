//! The side panel: for the selected node, the Pod the controller creates, in current and legacy
//! mode side by side, with what the controller injected for the node highlighted.

use leptos::prelude::*;

use crate::highlight;
use crate::model::{self, UiMode};
use crate::state::use_lab;

#[component]
pub fn PodPanel() -> impl IntoView {
    let lab = use_lab();
    view! {
        <section class="pod-panel" aria-labelledby="pod-panel-title">
            <h2 id="pod-panel-title">
                "Pod YAML"
                {move || lab.selected_node().map(|(n, _)| format!(" for {n}"))}
            </h2>
            {move || match lab.selected_node() {
                None => view! {
                    <p class="muted">"Select a node (its name button) to see the Pod the DaemonSet controller creates for it."</p>
                }
                    .into_any(),
                Some((node, ds)) => {
                    let panes = [UiMode::Current, UiMode::Legacy]
                        .into_iter()
                        .map(|mode| {
                            let yaml = model::daemon_pod_yaml(&ds, &node, mode);
                            // Which fields the controller injected is the core's answer.
                            let fields = dslab_sim::injected_fields(&ds, mode.core());
                            let ranges = highlight::injected_ranges(&yaml, &fields);
                            view! { <PodYaml mode=mode lines=highlight::mark_lines(&yaml, &ranges)/> }
                        })
                        .collect::<Vec<_>>();
                    view! {
                        <p class="muted">
                            "Highlighted: what the controller injects to pin the pod to this node. "
                            <mark class="hl-sample">"marked lines"</mark>
                        </p>
                        <div class="pod-yamls">{panes}</div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn PodYaml(mode: UiMode, lines: Vec<(String, bool)>) -> impl IntoView {
    let slug = match mode {
        UiMode::Current => "current",
        UiMode::Legacy => "legacy",
    };
    let code: Vec<_> = lines
        .into_iter()
        .map(|(text, hl)| {
            if hl {
                view! { <mark class="yaml-line hl">{text}"\n"</mark> }.into_any()
            } else {
                view! { <span class="yaml-line">{text}"\n"</span> }.into_any()
            }
        })
        .collect();
    view! {
        <figure class="pod-yaml" data-mode=slug>
            <figcaption>{mode.title()}</figcaption>
            <pre tabindex="0" aria-label=format!("Pod YAML, {}", mode.title())><code>{code}</code></pre>
        </figure>
    }
}
