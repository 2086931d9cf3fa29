//! A simulated cluster: nodes, pods, DaemonSets and their ControllerRevisions on a simulated clock.
//! The store is [`World`] (`world.rs`); the actors (`daemon_controller`, `scheduling`, `kubelet`,
//! `node_lifecycle`, `pod_gc`, `garbage_collector`) change it one action at a time; each action
//! is recorded as a [`Step`]. This file names the parts and defines the step and its small
//! shared types; the code that uses the parts lives in them.

mod node_store;
pub mod pod_manifest;
pub mod pod_store;
mod recorder;
mod sim_daemonset;
mod sim_node;
mod sim_pod;
pub mod view;
mod work_queues;
pub(crate) mod workqueue;
mod world;

pub use sim_daemonset::{DsStatus, Revision, SimDaemonSet};
pub use sim_node::SimNode;
pub use sim_pod::{ContainerRun, ContainerState, Containers, Phase, PodId, SharedTexts, SimPod};

pub use crate::text::Text;
pub use node_store::{NodeId, NodeStore, PerNode};
pub use pod_manifest::{PodManifest, ScenarioPods};
pub use pod_store::PodStore;
use serde::{Deserialize, Serialize};
pub use view::{Change, Changes, ClusterView, ContainerView, KubeEvent, NodeView, PodView};
pub use world::{Controllers, World};

/// Simulated durations, in seconds. Real clusters vary; these keep a timeline readable.
pub mod timing {
    /// Pulling an image that is not on the node yet.
    pub const IMAGE_PULL: u64 = 3;
    /// A container of a crash-looping image exits this long after it starts.
    pub const CRASH_AFTER: u64 = 5;
    /// From deletion to the pod being gone (containers stop on SIGTERM; the grace period is the
    /// upper bound, usually not reached).
    pub const TERMINATION: u64 = 2;
    /// PodGC deletes pods of a node that has been gone this long (quarantine, `gc_controller.go`).
    pub const PODGC_QUARANTINE: u64 = 40;
    /// Kubelet CrashLoopBackOff: first delay, cap, and the running time that resets it (2 × cap).
    pub const BACKOFF_INITIAL: u64 = 10;
    pub const BACKOFF_MAX: u64 = 300;
    pub const BACKOFF_RESET: u64 = 600;
    /// DaemonSet controller back-off before deleting a Failed pod: 1 s doubling to 15 min.
    pub const FAILED_POD_BACKOFF_INITIAL: u64 = 1;
    pub const FAILED_POD_BACKOFF_MAX: u64 = 900;
    /// Default tolerationSeconds the DefaultTolerationSeconds admission plugin gives ordinary pods
    /// for not-ready / unreachable.
    pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
    /// Burst limit of creates or deletes per sync (`BurstReplicas`).
    pub const BURST_REPLICAS: usize = 250;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    User,
    DaemonsetController,
    Scheduler,
    Kubelet,
    NodeLifecycle,
    PodGc,
    GarbageCollector,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::User => "user",
            Actor::DaemonsetController => "daemonset-controller",
            Actor::Scheduler => "scheduler",
            Actor::Kubelet => "kubelet",
            Actor::NodeLifecycle => "node-lifecycle",
            Actor::PodGc => "pod-gc",
            Actor::GarbageCollector => "garbage-collector",
        }
    }
}

/// How a template's containers behave once started (a scenario choice, e.g. a broken image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[default]
    Healthy,
    /// The container exits a few seconds after every start: CrashLoopBackOff.
    CrashLoop,
    /// The container runs but its readiness probe never passes.
    NeverReady,
}

/// One action by one actor, with what it changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub time: u64,
    pub actor: Actor,
    /// A short verb: create, delete, bind, failed-scheduling, pull, start, ready, available,
    /// crash, …
    pub action: Text,
    /// `pod/NAME`, `node/NAME`, `daemonset/NAME`, `controllerrevision/NAME`.
    pub object: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<Text>,
    pub message: Text,
    /// Status of the first DaemonSet after the step (None once it is deleted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<DsStatus>,
    /// The event a `kubectl describe` would list for this step, if Kubernetes records one.
    #[serde(skip)]
    pub event: Option<KubeEvent>,
    /// What the step changed (see `ClusterView::apply_step`).
    #[serde(skip)]
    pub changes: Changes,
}
