//! The default scheduler (`pkg/scheduler`): one file per filter plugin that matters for a
//! DaemonSet pod, the node facts they read, and the scheduler as an actor.
//! - `node_affinity`: nodeSelector and required node affinity (the NodeAffinity plugin);
//! - `taints`: the TaintToleration plugin (and the taint words the other actors share);
//! - `node_resources`: NodeResourcesFit and NodePorts;
//! - `node_info`: what the filters read of a node, read once per node (`snapshot_words`: the
//!   numbered words of its labels);
//! - `filters`: the filters in the default order, the FailedScheduling message, preemption;
//! - `schedule_one`: the scheduler binding pending pods in the simulated cluster.

pub mod filters;
pub mod node_affinity;
pub mod node_info;
pub mod node_resources;
pub mod schedule_one;
pub mod snapshot_words;
pub mod taints;

pub use filters::{
    failed_scheduling_message, filter, filter_with, preemption_victims, priority, PreFilter, Rejection,
};
