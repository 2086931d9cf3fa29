//! The words every part of the core shares: the scheduling [`Mode`] and the [`Reason`] (with its
//! stable [`ReasonCode`]) a node is or is not eligible for a DaemonSet pod.
//!
//! A leaf: it uses nothing of the crate, so the controller, the scheduler and the plan that all
//! speak these words do not depend on each other through them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How DaemonSet pods are bound to nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// v1.12+: the controller pins the pod with node affinity and the default scheduler binds it.
    #[default]
    Current,
    /// Before v1.12: the controller writes `spec.nodeName` and the scheduler never sees the pod.
    Legacy,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "current" => Some(Mode::Current),
            "legacy" => Some(Mode::Legacy),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Current => "current",
            Mode::Legacy => "legacy",
        }
    }
}

/// Stable reason codes, for tools and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    NodeNameMismatch,
    NodeSelector,
    NodeAffinity,
    UntoleratedTaint,
    InsufficientResources,
    HostPortConflict,
    Unschedulable,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::NodeNameMismatch => "node-name-mismatch",
            ReasonCode::NodeSelector => "node-selector",
            ReasonCode::NodeAffinity => "node-affinity",
            ReasonCode::UntoleratedTaint => "untolerated-taint",
            ReasonCode::InsufficientResources => "insufficient-resources",
            ReasonCode::HostPortConflict => "host-port-conflict",
            ReasonCode::Unschedulable => "unschedulable",
        }
    }
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub message: String,
}

impl Reason {
    pub fn new(code: ReasonCode, message: String) -> Self {
        Reason { code, message }
    }
}
