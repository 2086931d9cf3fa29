//! A DaemonSet in the simulated cluster, with its status and its ControllerRevisions
//! (`Revision`). The DaemonSet controller's own caches for it live with the controller
//! (`controller::daemonset::caches`); the controller writes the status here, as it writes
//! DaemonSetStatus to the API server.

use super::sim_pod::SharedTexts;
use super::Outcome;
use crate::api::SpecOf;
use crate::text::{text, Text};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Revision {
    pub name: String,
    /// The DaemonSet that owns it; None once orphaned.
    pub owner: Option<String>,
    pub revision: i64,
    pub hash: String,
    pub template: PodTemplateSpec,
}

/// The status fields of apps/v1 DaemonSetStatus that `kubectl get ds` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DsStatus {
    pub desired_number_scheduled: i64,
    pub current_number_scheduled: i64,
    pub number_ready: i64,
    pub updated_number_scheduled: i64,
    pub number_available: i64,
    pub number_unavailable: i64,
    pub number_misscheduled: i64,
    pub observed_generation: i64,
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
    /// The current revision's hash, once history has been synced.
    pub current_hash: String,
    /// Outcome of each template hash (a scenario can make an image crash or never become ready),
    /// and the container it applies to (None: the first).
    pub outcomes: BTreeMap<String, (Outcome, Option<String>)>,
    /// Set when the DaemonSet object is gone (background deletion) or being deleted.
    pub deleted: bool,
}

impl SimDaemonSet {
    pub fn new(ds: DaemonSet) -> Self {
        let name = ds.metadata.name.clone().unwrap_or_default();
        let namespace = Text::from(ds.metadata.namespace.as_deref().unwrap_or("default"));
        let name = Text::from(name);
        SimDaemonSet {
            ds,
            object: text!("daemonset/{name}"),
            pod_prefix: text!("{name}-"),
            name,
            namespace,
            status: DsStatus::default(),
            current_hash: String::new(),
            outcomes: BTreeMap::new(),
            deleted: false,
        }
    }
    /// The texts its pods share with it: their owner (its name) and namespace. Comparing a pod
    /// with its DaemonSet, at every step, is then a comparison of addresses.
    pub fn pod_texts(&self) -> SharedTexts {
        SharedTexts {
            namespace: Some(self.namespace.clone()),
            owner: Some(self.name.clone()),
            ..SharedTexts::default()
        }
    }
    pub fn generation(&self) -> i64 {
        self.ds.metadata.generation.unwrap_or(1)
    }
    pub fn min_ready_seconds(&self) -> u64 {
        self.ds.spec().min_ready_seconds.unwrap_or(0).max(0) as u64
    }
    pub fn is_on_delete(&self) -> bool {
        crate::api::update_strategy::is_on_delete(&self.ds)
    }
}
