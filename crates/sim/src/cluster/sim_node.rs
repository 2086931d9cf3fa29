//! A Node in the simulated cluster: the API object, and what its kubelet knows of itself (Ready,
//! the images it has pulled).

use super::{SimPod, Text};
use k8s_openapi::api::core::v1::Node;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub struct SimNode {
    pub node: Node,
    /// Read through `name()`: the node store's map is keyed by it, so it never changes.
    name: Text,
    /// Ready condition as the kubelet reports it.
    pub ready: bool,
    /// Images already pulled on this node.
    pub images: BTreeSet<Text>,
    /// When it joined the simulated cluster (seconds).
    pub joined: u64,
    /// It has been Ready at some point.
    pub was_ready: bool,
    kubelet_source: Text,
}

impl SimNode {
    pub fn new(node: Node) -> Self {
        let name = Text::from(node.metadata.name.as_deref().unwrap_or_default());
        let ready = crate::scheduler::node_info::ready_condition(&node).is_none_or(|s| s == "True");
        SimNode {
            node,
            kubelet_source: crate::text::concat(&["kubelet, ", &name]),
            name,
            ready,
            images: BTreeSet::new(),
            joined: 0,
            was_ready: ready,
        }
    }
    /// Does this node's kubelet work on the pod? A Ready node, yes. A node that is NotReady only
    /// because its network plugin is not ready (no CNI yet) still runs hostNetwork pods: that is
    /// how a CNI agent brings a node up. Otherwise (runtime down, kubelet gone) nothing runs.
    pub fn kubelet_runs(&self, pod: &SimPod) -> bool {
        if self.ready {
            return true;
        }
        let host_network = pod.spec().and_then(|s| s.host_network) == Some(true);
        host_network && self.network_not_ready()
    }
    fn network_not_ready(&self) -> bool {
        self.node
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .is_some_and(|c| {
                let text = format!(
                    "{} {}",
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                )
                .to_lowercase();
                text.contains("networkpluginnotready")
                    || text.contains("network not ready")
                    || text.contains("cni")
            })
    }
    pub fn name(&self) -> &Text {
        &self.name
    }
    /// `kubelet, NODE`, the source of its kubelet's events.
    pub fn kubelet_source(&self) -> Text {
        self.kubelet_source.clone()
    }
    pub fn unschedulable(&self) -> bool {
        self.node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true)
    }
    pub fn taints(&self) -> &[k8s_openapi::api::core::v1::Taint] {
        self.node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default()
    }
    pub fn taints_mut(&mut self) -> &mut Vec<k8s_openapi::api::core::v1::Taint> {
        self.node
            .spec
            .get_or_insert_with(Default::default)
            .taints
            .get_or_insert_with(Vec::new)
    }
}
