//! The step recorder's bookkeeping: what changed since the last step (pods, nodes, DaemonSets,
//! what was removed), and the buffers and repeated phrases it reuses from step to step. The
//! steps themselves are `World::steps`.

use super::view::Change;
use super::workqueue::NodeQueue;
use super::{DsStatus, NodeId, PodId, Text};
use rustc_hash::FxHashSet as HashSet;

#[derive(Debug, Clone, Default)]
pub(crate) struct Recorder {
    /// Reused buffer for the nodes whose views a step shows.
    pub(crate) node_scratch: Vec<NodeId>,
    /// Pods changed since the last step (sorted and deduplicated when the step is recorded).
    pub(crate) dirty_pods: Vec<PodId>,
    /// Nodes whose view changed since the last step.
    pub(crate) dirty_nodes: NodeQueue,
    pub(crate) removed_pods: Vec<Text>,
    pub(crate) removed_nodes: Vec<String>,
    pub(crate) dirty_ds: bool,
    /// The statuses last written into a step's changes.
    pub(crate) shown_status: Vec<DsStatus>,
    /// The changes of the step being recorded (the buffer is kept from step to step).
    pub(crate) change_scratch: Vec<Change>,
    /// Messages that many steps repeat word for word (see `phrase`).
    pub(crate) phrases: HashSet<Text>,
    pub(crate) phrase_buf: String,
}
