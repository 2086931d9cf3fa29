//! What the DaemonSet controller does as the store changes, between its syncs (what its
//! informers' handlers `addNode`, `updateNode`, `deleteNode` and the pod handlers set off in
//! Kubernetes): its answers per node follow the nodes and the template, and the status it writes
//! back follows every step. The store calls these through [`Controllers`].

use super::caches::DaemonSetsController;
use super::should_run::{should_run_with, DaemonTemplate, ShouldRun};
use super::status;
use crate::cluster::{Controllers, NodeId, Text, World};
use crate::words::Mode;
use k8s_openapi::api::core::v1::Pod;
use std::borrow::Cow;

impl Controllers for DaemonSetsController {
    fn node_added(&mut self, at: NodeId, replaces: Option<NodeId>) {
        if let Some(old) = replaces {
            self.move_answers(old, at);
        }
    }
    fn node_removed(&mut self, at: NodeId) {
        self.remove_node_answers(at);
    }
    /// The answers first: the status shares read them.
    fn catch_up(&mut self, w: &mut World) {
        refresh_should(w, self);
        status::refresh(w, self);
    }
    fn node_answer(&self, at: NodeId) -> Option<&ShouldRun> {
        self.first().and_then(|c| c.should_at(at))
    }
}

/// Recomputes the controller's answers where a node or the template changed.
pub fn refresh_should(w: &mut World, dsc: &mut DaemonSetsController) {
    if !w.queues.should_all_dirty && w.queues.should_dirty.is_empty() {
        return; // nothing changed (called at every step)
    }
    let all = std::mem::take(&mut w.queues.should_all_dirty);
    let dirty: Vec<Text> = if all {
        w.queues.should_dirty.clear();
        w.nodes.iter().map(|n| n.name().clone()).collect()
    } else {
        w.queues.should_dirty.take_names(&w.nodes)
    };
    if dirty.is_empty() {
        return;
    }
    for di in 0..w.daemonsets.len() {
        if w.daemonsets[di].deleted {
            continue;
        }
        let template = DaemonTemplate::new(&w.daemonsets[di].ds);
        let mut answers = Vec::new();
        for name in &dirty {
            let Some(node) = w.node(name) else {
                answers.push((name.clone(), None));
                continue;
            };
            let others = if w.mode == Mode::Legacy {
                other_pods_on(w, &w.daemonsets[di].name, name)
            } else {
                Vec::new()
            };
            let others: Vec<&Pod> = others.iter().map(|p| &**p).collect();
            answers.push((
                name.clone(),
                Some(should_run_with(&template, &node.node, w.mode, &others)),
            ));
        }
        for (name, answer) in answers {
            let i = w.nodes.id(&name);
            // A name without a Node has no answer (dropped when the node went).
            if i.is_some_and(|i| dsc[di].set_should(i, answer)) {
                w.node_view_changed(i, &name);
                w.queues.manage_dirty.add(i, &name);
                w.queues.status_dirty.add(i, &name);
            }
        }
    }
}

/// Pods of other workloads bound to `node` and still holding resources.
fn other_pods_on<'w>(w: &'w World, ds: &str, node: &str) -> Vec<Cow<'w, Pod>> {
    w.pods_on(node)
        .into_iter()
        .filter(|p| p.bound.is_some() && !p.terminal() && p.owner.as_deref() != Some(ds))
        .map(|p| p.manifest())
        .collect()
}
