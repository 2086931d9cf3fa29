//! The app's state: signals in one `Lab` value shared through context.

use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::k8s_openapi::api::core::v1::Node;
use dslab_sim::plan::Plan;
use leptos::prelude::*;

use crate::examples;
use crate::model::{self, EditorError, NodeCard, Shared, UiMode};

/// Above this many nodes the cluster view starts compact.
pub const COMPACT_FROM: usize = 40;

#[derive(Clone, Copy)]
pub struct Lab {
    pub ds_text: RwSignal<String>,
    pub nodes_text: RwSignal<String>,
    /// The last DaemonSet that parsed (stays on screen while the editor holds an error).
    pub ds: RwSignal<Option<Shared<DaemonSet>>>,
    /// The last node list that parsed.
    pub nodes: RwSignal<Option<Shared<Vec<Node>>>>,
    pub ds_error: RwSignal<Option<EditorError>>,
    pub nodes_error: RwSignal<Option<EditorError>>,
    pub mode: RwSignal<UiMode>,
    pub selected: RwSignal<Option<String>>,
    /// `None`: decided by the number of nodes.
    pub compact: RwSignal<Option<bool>>,
    pub plan: Memo<Option<Shared<Plan>>>,
    pub cards: Memo<Vec<NodeCard>>,
}

impl Lab {
    pub fn new() -> Self {
        let ds_text = RwSignal::new(examples::DAEMONSET_YAML.to_string());
        let nodes_text = RwSignal::new(examples::NODES_YAML.to_string());
        let ds: RwSignal<Option<Shared<DaemonSet>>> = RwSignal::new(None);
        let nodes: RwSignal<Option<Shared<Vec<Node>>>> = RwSignal::new(None);
        let ds_error = RwSignal::new(None);
        let nodes_error = RwSignal::new(None);
        let mode = RwSignal::new(UiMode::Current);
        let plan = Memo::new(move |_| {
            let ds = ds.get()?;
            let nodes = nodes.get()?;
            Some(Shared::new(model::plan(&ds, &nodes, mode.get())))
        });
        let cards = Memo::new(move |_| match (nodes.get(), plan.get()) {
            (Some(nodes), Some(plan)) => model::cards_from_plan(&nodes, &plan),
            _ => Vec::new(),
        });
        let lab = Lab {
            ds_text,
            nodes_text,
            ds,
            nodes,
            ds_error,
            nodes_error,
            mode,
            selected: RwSignal::new(None),
            compact: RwSignal::new(None),
            plan,
            cards,
        };
        lab.reparse_daemonset();
        lab.reparse_nodes();
        lab
    }

    /// Parses the DaemonSet editor's text; on error the last good DaemonSet stays.
    pub fn reparse_daemonset(&self) {
        let text = self.ds_text.get_untracked();
        match model::parse_daemonset(&text) {
            Ok(ds) => {
                self.ds.set(Some(Shared::new(ds)));
                self.ds_error.set(None);
            }
            Err(e) => self.ds_error.set(Some(e)),
        }
    }

    /// Parses the Nodes editor's text; on error the last good node list stays.
    pub fn reparse_nodes(&self) {
        let text = self.nodes_text.get_untracked();
        match model::parse_nodes(&text) {
            Ok(nodes) => {
                self.nodes.set(Some(Shared::new(nodes)));
                self.nodes_error.set(None);
            }
            Err(e) => self.nodes_error.set(Some(e)),
        }
    }

    pub fn is_compact(&self) -> bool {
        self.compact
            .get()
            .unwrap_or_else(|| self.cards.with(|c| c.len() >= COMPACT_FROM))
    }

    /// The selected node, if it is still in the cluster.
    pub fn selected_node(&self) -> Option<(String, Shared<DaemonSet>)> {
        let name = self.selected.get()?;
        let ds = self.ds.get()?;
        let present = self.nodes.with(|n| {
            n.as_ref().is_some_and(|n| {
                n.iter()
                    .any(|x| x.metadata.name.as_deref() == Some(name.as_str()))
            })
        });
        present.then_some((name, ds))
    }
}

pub fn use_lab() -> Lab {
    expect_context::<Lab>()
}
