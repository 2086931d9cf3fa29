//! The page: header with the mode switch, the editors, the cluster, the Pod YAML panel.

use leptos::prelude::*;

use crate::cluster::ClusterView;
use crate::mode_switch::ModeSwitch;
use crate::player::PlayerPanel;
use crate::playground::Editors;
use crate::pod_panel::PodPanel;
use crate::state::Lab;

#[component]
pub fn App() -> impl IntoView {
    let lab = Lab::new();
    lab.sim.player.install_keys();
    provide_context(lab);
    view! {
        <a class="skip-link" href="#cluster-title">"Skip to the cluster"</a>
        <header class="top">
            <h1>
                <span class="logo" aria-hidden="true">"⎈"</span>
                " DaemonSet Lab"
            </h1>
            <p class="tagline">"Paste a DaemonSet and your nodes: see, node by node, whether its pod runs there and why not."</p>
            <ModeSwitch/>
        </header>
        <ErrorBoundary fallback=|errors| {
            view! {
                <div class="fatal" role="alert">
                    <strong>"Part of DaemonSet Lab failed to render: "</strong>
                    <ul>
                        {move || {
                            errors
                                .get()
                                .into_iter()
                                .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                                .collect::<Vec<_>>()
                        }}
                    </ul>
                </div>
            }
        }>
            <main class="layout">
                <Editors/>
                <div class="main-col">
                    <PlayerPanel/>
                    <ClusterView/>
                    <PodPanel/>
                </div>
            </main>
        </ErrorBoundary>
        <footer class="foot">
            <p>"Everything runs in your browser: no YAML leaves this page. The verdicts come from DaemonSet Lab's simulation core, which follows the Kubernetes DaemonSet controller and default scheduler."</p>
        </footer>
    }
}
