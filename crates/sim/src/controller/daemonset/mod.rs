//! The DaemonSet controller (`pkg/controller/daemon`), one file per concern as in Kubernetes:
//! - `should_run`: does a node need a daemon pod (`NodeShouldRunDaemonPod`);
//! - `daemon_pod`: the pod the controller creates for a node;
//! - `caches`: the controller's own memory (`DaemonSetsController`), kept apart from the store;
//! - `watch`: what it does as the store changes: answers per node, the status it writes back;
//! - `daemon_controller`: the sync: `manage` (create and delete per node), then the update;
//! - `daemon_pods`: the pods a DaemonSet owns, per node, oldest first;
//! - `pod_control`: creating and deleting its pods, with their events;
//! - `node_share`: a node's share of the status and what the rolling update finds there;
//! - `rolling_update`: RollingUpdate's budgets and choices;
//! - `revisions` and `history`: ControllerRevisions and template hashes;
//! - `status`: DaemonSetStatus, kept up to date node share by node share.

pub mod caches;
pub mod daemon_controller;
pub mod daemon_pod;
pub mod daemon_pods;
pub mod history;
pub mod node_share;
pub mod pod_control;
pub mod revisions;
pub mod rolling_update;
pub mod should_run;
pub mod status;
pub mod watch;
