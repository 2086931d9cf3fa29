//! A DaemonSet in the simulated cluster, with its ControllerRevisions (`Revision`). Beside the
//! API object and its status it carries the DaemonSet controller's caches for it (its last
//! answers per node, the rolling update's view, the status shares).

use super::{NodeId, Outcome, PerNode, SharedTexts, Text};
use crate::controller::daemonset::daemon_pod::DaemonPodTemplate;
use crate::controller::daemonset::status::{self, DsStatus};
use crate::controller::daemonset::{rolling_update, should_run::ShouldRun};
use crate::text::text;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Revision {
    pub name: String,
    /// The DaemonSet that owns it; None once orphaned.
    pub owner: Option<String>,
    pub revision: i64,
    pub hash: String,
    pub template: PodTemplateSpec,
}

#[derive(Debug, Clone)]
pub struct SimDaemonSet {
    pub ds: DaemonSet,
    pub name: Text,
    /// `daemonset/NAME`, as its events name it.
    pub object: Text,
    /// `NAME-`, the generateName of its pods.
    pub(crate) pod_prefix: Text,
    pub namespace: Text,
    pub status: DsStatus,
    /// Per node: (current delay, earliest time of the next Failed-pod delete).
    pub failed_backoff: BTreeMap<String, (u64, u64)>,
    /// The current revision's hash, once history has been synced.
    pub current_hash: String,
    /// Outcome of each template hash (a scenario can make an image crash or never become ready),
    /// and the container it applies to (None: the first).
    pub outcomes: BTreeMap<String, (Outcome, Option<String>)>,
    /// The controller's last answers per node (recomputed when the node or the DaemonSet changes),
    /// by node: a name's answer sits at the id the name resolves to (with a repeated name, the
    /// last node of that name), as a map keyed by name would hold it; the other slots are None. Read through `World::should`/`should_at`; changed only
    /// through `set_should`, which keeps `should_run_count` in step.
    pub(super) should: PerNode<Option<ShouldRun>>,
    /// How many answers in `should` say shouldRun (the rolling update's desired count, without
    /// counting them on every pass).
    pub(super) should_run_count: i64,
    /// The rolling update's view of each node (kept up to date with the status shares).
    pub(crate) roll: PerNode<rolling_update::RollNode>,
    /// Each node's share of the status, and their sum (kept up to date step by step).
    pub(crate) contrib: PerNode<status::Contrib>,
    pub totals: status::Contrib,
    /// Set when the DaemonSet object is gone (background deletion) or being deleted.
    pub deleted: bool,
    /// Legacy mode: nodes where a FailedPlacement event was already recorded for this reason.
    pub placement_failed: BTreeMap<String, String>,
    /// The texts of the last pod it created, shared with the next one.
    pub(crate) created_texts: SharedTexts,
    /// The pod template its last pod was created from, shared by the pods of that revision.
    pub(crate) pod_template: Option<Arc<DaemonPodTemplate>>,
}

impl SimDaemonSet {
    pub fn new(ds: DaemonSet) -> Self {
        let name = ds.metadata.name.clone().unwrap_or_default();
        let namespace = Text::from(ds.metadata.namespace.as_deref().unwrap_or("default"));
        let name = Text::from(name);
        // Its pods share its name (their owner) and namespace texts: comparing a pod with its
        // DaemonSet, at every step, is then a comparison of addresses.
        let created_texts = SharedTexts {
            namespace: Some(namespace.clone()),
            owner: Some(name.clone()),
            ..SharedTexts::default()
        };
        SimDaemonSet {
            ds,
            object: text!("daemonset/{name}"),
            pod_prefix: text!("{name}-"),
            name,
            namespace,
            status: DsStatus::default(),
            failed_backoff: BTreeMap::new(),
            current_hash: String::new(),
            outcomes: BTreeMap::new(),
            should: PerNode::default(),
            should_run_count: 0,
            roll: PerNode::default(),
            contrib: PerNode::default(),
            totals: status::Contrib::default(),
            deleted: false,
            placement_failed: BTreeMap::new(),
            created_texts,
            pod_template: None,
        }
    }
    /// Stores (None: drops) the answer of node `at` (the id its name resolves to). Returns
    /// whether it changed.
    pub fn set_should(&mut self, at: NodeId, answer: Option<ShouldRun>) -> bool {
        if self.should.get(at).is_none() {
            if answer.is_none() {
                return false;
            }
            self.should.grow_to(at, None);
        }
        let old = std::mem::replace(&mut self.should[at], answer);
        let count = |a: &Option<ShouldRun>| i64::from(a.as_ref().is_some_and(|a| a.should_run));
        self.should_run_count += count(&self.should[at]) - count(&old);
        old != self.should[at]
    }
    /// The answer stored for node `at` (see `should`).
    pub fn should_at(&self, at: NodeId) -> Option<&ShouldRun> {
        self.should.get(at)?.as_ref()
    }
    /// The number of nodes whose last answer is shouldRun.
    pub fn should_run_count(&self) -> i64 {
        self.should_run_count
    }
    pub fn generation(&self) -> i64 {
        self.ds.metadata.generation.unwrap_or(1)
    }
    pub fn min_ready_seconds(&self) -> u64 {
        self.ds.spec.min_ready_seconds.unwrap_or(0).max(0) as u64
    }
    pub fn is_on_delete(&self) -> bool {
        self.ds
            .spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            == Some("OnDelete")
    }
}
