//! The playground: the two YAML editors, and "Quiz me" on their cluster.

mod editor;
mod quiz_me;

pub use quiz_me::QuizMe;

use leptos::prelude::*;

use crate::state::use_lab;
use editor::YamlEditor;

#[component]
pub fn Editors() -> impl IntoView {
    let lab = use_lab();
    view! {
        <section class="editors" aria-label="Input YAML">
            <YamlEditor
                id="ds-yaml"
                label="DaemonSet YAML"
                hint="One DaemonSet (apps/v1), as kubectl get ds -o yaml prints it."
                text=lab.ds_text
                error=lab.ds_error
                on_settle=Callback::new(move |_| lab.reparse_daemonset())
            />
            <YamlEditor
                id="nodes-yaml"
                label="Nodes YAML"
                hint="Nodes: several documents separated by ---, or a List as kubectl get nodes -o yaml prints it."
                text=lab.nodes_text
                error=lab.nodes_error
                on_settle=Callback::new(move |_| lab.reparse_nodes())
            />
        </section>
    }
}
