//! DaemonSet Lab's simulation core: reads real Kubernetes YAML and decides, node by node, what the
//! DaemonSet controller, the default scheduler and the kubelet would do, and why.
//!
//! Pure Rust, deterministic, no web dependency; every rule cites its source in
//! `shared/k8s-daemonset-semantics.md` (the § numbers in the module docs).

#![forbid(unsafe_code)]

pub use k8s_openapi;

// Shared words and text: leaves every other module may use.
pub mod sort;
pub mod text;
pub mod words;

// The API objects as read from YAML, checked as the API server would.
pub mod api;
// The components of a cluster, one folder each, named as Kubernetes names them.
pub mod cluster;
pub mod controller;
pub mod gc;
pub mod kubelet;
pub mod node_lifecycle;
pub mod scheduler;

// The front ends: the per-node verdict, the simulation over time, the cluster audit, kubectl, lessons.
pub mod audit;
pub mod kubectl;
pub mod lessons;
pub mod plan;
pub mod share;
pub mod simulate;

#[cfg(test)]
pub(crate) mod testutil;

pub use api::{parse_daemonset, parse_daemonsets, parse_nodes, parse_pods, InputError};
pub use controller::daemonset::daemon_pod::{injected_fields, new_daemon_pod};
pub use plan::{plan, plan_on, NodeVerdict, Plan, SchedulerVerdict};
pub use scheduler::node_info::Nodes;
pub use simulate::{run, Scenario, Timeline};
pub use words::{Mode, Reason, ReasonCode};

/// YAML text of any API object, as kubectl would print it (fields in API order, no nulls).
pub fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    // Through a YAML value: API types then have one serializer (the value one) in the wasm, not two.
    value_to_yaml(serde_yaml::to_value(value))
}

/// The text half of [`to_yaml`], not generic: one copy in the wasm for every type printed.
#[inline(never)]
fn value_to_yaml(value: Result<serde_yaml::Value, serde_yaml::Error>) -> String {
    match value {
        Ok(v) => serde_yaml::to_string(&v).unwrap_or_else(|e| format!("# cannot print: {e}\n")),
        Err(e) => format!("# cannot print: {e}\n"),
    }
}
