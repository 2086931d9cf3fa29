//! The DaemonSet status counters, as computed from a dump or as the dump reports them.

use serde::Serialize;

/// The DaemonSet status counters (§6.6). `numberAvailable` is computed only when
/// `minReadySeconds` is 0 (otherwise it depends on the time the dump was taken).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCounts {
    pub desired_number_scheduled: i64,
    pub current_number_scheduled: i64,
    pub number_misscheduled: i64,
    pub number_ready: i64,
    pub updated_number_scheduled: Option<i64>,
    pub number_available: Option<i64>,
    /// The reported status only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}
