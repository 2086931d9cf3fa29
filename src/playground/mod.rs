//! The playground: the two YAML editors, the DaemonSet picker, what each editor left out, and
//! "Quiz me" on their cluster.

pub mod editor;
mod found;
pub(crate) mod quiz_me;

pub use quiz_me::QuizMe;

use leptos::prelude::*;

use crate::state::use_lab;
use editor::YamlEditor;
use found::{DaemonSetPicker, FoundNote};

#[component]
pub fn Editors() -> impl IntoView {
    let lab = use_lab();
    view! {
        <section class="editors" aria-label="Input YAML">
            <div class="editor-column">
                <YamlEditor
                    id="ds-yaml"
                    label="DaemonSet YAML"
                    hint="DaemonSets (apps/v1), as kubectl get ds -o yaml prints them or a project publishes them; other kinds are skipped."
                    text=lab.ds_text
                    big=lab.ds_big
                    error=lab.ds_error
                    on_settle=Callback::new(move |_| lab.reparse_daemonset())
                />
                <DaemonSetPicker/>
                <FoundNote id="ds-found" note=lab.ds_note/>
            </div>
            <div class="editor-column">
                <YamlEditor
                    id="nodes-yaml"
                    label="Nodes YAML"
                    hint="Nodes: several documents separated by ---, or a List as kubectl get nodes -o yaml prints it. Pods in it (kubectl get nodes,pods -A -o yaml) are the cluster's other workloads."
                    text=lab.nodes_text
                    big=lab.nodes_big
                    error=lab.nodes_error
                    on_settle=Callback::new(move |_| lab.reparse_nodes())
                />
                <OtherPods/>
                <FoundNote id="nodes-found" note=lab.nodes_note/>
            </div>
        </section>
    }
}

/// How many other workloads' pods the Nodes editor brought, and what they mean for the verdicts.
#[component]
fn OtherPods() -> impl IntoView {
    let lab = use_lab();
    let counts = move || {
        lab.verdicts
            .with(|v| v.as_ref().map_or((0, 0), |v| (v.pods, v.other_pods)))
    };
    move || {
        let (all, others) = counts();
        (all > 0).then(|| {
            let own = all - others;
            let own = if own > 0 {
                let verb = if own == 1 { "belongs" } else { "belong" };
                format!(" {own} more {verb} to the DaemonSet itself and {} not counted.", if own == 1 { "is" } else { "are" })
            } else {
                String::new()
            };
            view! {
                <p class="editor-found other-pods" id="nodes-pods">
                    {format!(
                        "{others} pod{} of other workloads, taken as the cluster's other pods: they use CPU, memory, pod slots and host ports on their nodes.{own}",
                        if others == 1 { "" } else { "s" }
                    )}
                </p>
            }
        })
    }
}
