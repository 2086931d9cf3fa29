//! The DaemonSet controller (`pkg/controller/daemon`), one file per concern as in Kubernetes:
//! - `should_run`: does a node need a daemon pod (`NodeShouldRunDaemonPod`);
//! - `daemon_pod`: the pod the controller creates for a node;
//! - `daemon_controller`: the sync: `manage` (create and delete per node), then the update;
//! - `daemon_pods`: the pods a DaemonSet owns, per node, oldest first;
//! - `pod_control`: creating and deleting its pods, with their events;
//! - `rolling_update`: RollingUpdate's budgets and choices;
//! - `revisions` and `history`: ControllerRevisions and template hashes;
//! - `status`: DaemonSetStatus.

pub mod daemon_controller;
pub mod daemon_pod;
pub mod daemon_pods;
pub mod history;
pub mod pod_control;
pub mod revisions;
pub mod rolling_update;
pub mod should_run;
pub mod status;
