//! DaemonSet Lab's simulation core: reads real Kubernetes YAML and decides, node by node, what the
//! DaemonSet controller, the default scheduler and the kubelet would do, and why.
//!
//! Pure Rust, deterministic, no web dependency; every rule cites its source in
//! `shared/k8s-daemonset-semantics.md` (the § numbers in the module docs).

pub use k8s_openapi;

pub mod cluster;
pub mod daemon_pod;
pub mod history;
pub mod input;
pub mod kubectl;
pub mod labels;
pub mod lessons;
pub mod node_affinity;
pub mod node_info;
pub mod node_resources;
pub mod plan;
pub mod quantity;
pub mod required_node_affinity;
pub mod scheduler;
pub mod share;
pub mod should_run;
pub mod simulate;
pub mod taints;
pub mod text;
pub mod validation;

#[cfg(test)]
pub(crate) mod testutil;

pub use daemon_pod::new_daemon_pod;
pub use input::{parse_daemonset, parse_daemonsets, parse_nodes, parse_pods, InputError};
pub use node_info::Nodes;
pub use plan::{plan, plan_on, Mode, NodeVerdict, Plan, Reason, ReasonCode, SchedulerVerdict};
pub use simulate::{run, Scenario, Timeline};

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
