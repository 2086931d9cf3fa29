//! A Pod in the simulated cluster: its manifest, where it is bound, and the state its kubelet
//! runs it in (phase, containers, readiness, deletion).

use super::{Outcome, PodManifest, Text};
use crate::controller::daemonset::daemon_pod::DaemonPodTemplate;
use k8s_openapi::api::core::v1::{Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Texts a new pod may take instead of copying them out of its manifest, when they are the same.
#[derive(Debug, Clone, Default)]
pub struct SharedTexts {
    pub name: Option<Text>,
    pub namespace: Option<Text>,
    pub target: Option<Text>,
    pub owner: Option<Text>,
    pub image: Option<Text>,
    pub container_name: Option<Text>,
    pub hash: Option<Text>,
}

impl SharedTexts {
    /// The texts of `p`, for the next pod made like it.
    pub fn of(p: &SimPod) -> Self {
        SharedTexts {
            name: None,
            namespace: Some(p.namespace.clone()),
            target: None,
            owner: p.owner.clone(),
            image: Some(p.image.clone()),
            container_name: Some(p.container_name.clone()),
            hash: p.hash_label.clone(),
        }
    }
}

/// `shared` when it says `value`, else a copy of `value`.
fn pick(shared: &Option<Text>, value: &str) -> Text {
    match shared {
        Some(t) if t == value => t.clone(),
        _ => Text::from(value),
    }
}

/// The phase Kubernetes reports plus the container state the kubelet is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    /// Not yet started by the kubelet (unbound, or bound and waiting to be picked up).
    NotStarted,
    /// ContainerCreating: pulling the image until the given time.
    Pulling { until: u64 },
    /// Running since; `crash_at` when the image crash-loops.
    Running { since: u64, crash_at: Option<u64> },
    /// CrashLoopBackOff until the given time.
    BackOff { until: u64 },
    /// Stopped (terminating or failed).
    Terminated,
}

pub type PodId = u64;

/// One container of a pod as its kubelet runs it (the pod's `status.containerStatuses[i]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRun {
    pub state: ContainerState,
    /// Its readiness (the probe passed, or it has none and runs).
    pub ready: bool,
    pub restarts: u32,
    /// Kubelet back-off entry: (current delay, time of last update). The kubelet keys its
    /// CrashLoopBackOff per container.
    pub backoff: Option<(u64, u64)>,
    /// How this container behaves once started (a scenario's choice for one container).
    pub outcome: Outcome,
}

impl ContainerRun {
    fn new(state: ContainerState) -> Self {
        let ready = matches!(state, ContainerState::Running { .. });
        ContainerRun {
            state,
            ready,
            restarts: 0,
            backoff: None,
            outcome: Outcome::Healthy,
        }
    }
}

/// A pod's containers in `spec.containers` order, never empty (a pod written without containers
/// counts as one). Most pods have one: it sits inline, so a rollout's thousands of pods do not
/// each allocate a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Containers {
    runs: SmallVec<[ContainerRun; 1]>,
}

impl Containers {
    fn new(count: usize, state: ContainerState) -> Self {
        Containers {
            runs: smallvec::smallvec![ContainerRun::new(state); count.max(1)],
        }
    }
    /// How many containers (at least one).
    pub fn len(&self) -> usize {
        self.runs.len()
    }
    /// Never: every pod has at least one container here.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
    pub fn get(&self, i: usize) -> Option<&ContainerRun> {
        self.runs.get(i)
    }
    pub fn get_mut(&mut self, i: usize) -> Option<&mut ContainerRun> {
        self.runs.get_mut(i)
    }
    pub fn iter(&self) -> impl Iterator<Item = &ContainerRun> + '_ {
        self.runs.iter()
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut ContainerRun> + '_ {
        self.runs.iter_mut()
    }
    /// Every container to `state` (and not ready).
    pub fn set_all(&mut self, state: ContainerState) {
        for c in self.iter_mut() {
            c.state = state.clone();
            c.ready = false;
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimPod {
    pub id: PodId,
    /// Its own Pod, or its revision's shared template (see `PodManifest`).
    manifest: PodManifest,
    pub name: Text,
    pub namespace: Text,
    /// Name of the DaemonSet that controls it (owner reference), if any.
    pub owner: Option<Text>,
    /// The `controller-revision-hash` label (labels never change in the simulation).
    hash_label: Option<Text>,
    /// The first container's image (containers never change in the simulation).
    image: Text,
    /// `pod/NAME`, as steps and events name the pod.
    object: Text,
    /// The first container's name (the kubelet's messages name it).
    container_name: Text,
    pub created: u64,
    /// The node the pod is for: `spec.nodeName`, or the controller's matchFields target.
    pub target: Option<Text>,
    /// `spec.nodeName` once bound.
    pub bound: Option<Text>,
    pub phase: Phase,
    /// Failed reason (OutOfcpu, Evicted, …) or waiting reason.
    pub reason: Option<String>,
    /// Each container's state, readiness, restarts and back-off, in `spec.containers` order.
    pub containers: Containers,
    /// The pod's Ready condition: every container is ready.
    pub ready: bool,
    pub ready_since: Option<u64>,
    /// deletionTimestamp, and when the pod object will be gone.
    pub deleting: Option<u64>,
    pub gone_at: Option<u64>,
    /// When the taint-eviction controller will delete it (NoExecute with tolerationSeconds).
    pub evict_at: Option<u64>,
    /// Last FailedScheduling message (to record it once, not every retry).
    pub last_failed_scheduling: Option<String>,
}

impl SimPod {
    pub fn from_manifest(id: PodId, pod: Pod, now: u64) -> Self {
        Self::from_manifest_sharing(id, pod, now, &SharedTexts::default())
    }
    /// [`SimPod::from_manifest`], taking each text from `shared` when it is the same there (a
    /// controller creating pod after pod from one template: no copy of the same words each time).
    pub fn from_manifest_sharing(id: PodId, pod: Pod, now: u64, shared: &SharedTexts) -> Self {
        Self::new(id, PodManifest::Own(Box::new(pod)), now, shared)
    }
    /// A pod of the scenario, with its manifest (see `ScenarioPods`).
    pub fn from_scenario(manifest: PodManifest, shared: &SharedTexts) -> Self {
        Self::new(0, manifest, 0, shared)
    }
    /// A pod the DaemonSet controller creates from `template` for `node`, named `name`
    /// (`shared` as for [`SimPod::from_manifest_sharing`]).
    pub fn from_template(
        id: PodId,
        template: Arc<DaemonPodTemplate>,
        name: Text,
        node: Text,
        now: u64,
        shared: &SharedTexts,
    ) -> Self {
        Self::new(id, PodManifest::Daemon { template, name, node }, now, shared)
    }
    fn new(id: PodId, manifest: PodManifest, now: u64, shared: &SharedTexts) -> Self {
        let (meta, spec) = (manifest.meta(), manifest.spec());
        let name = pick(&shared.name, manifest.name());
        let namespace = pick(&shared.namespace, meta.namespace.as_deref().unwrap_or("default"));
        let target = manifest.target().map(|t| pick(&shared.target, t));
        let bound = manifest
            .node_name()
            // One shared text when the pod is bound to the node it is for.
            .map(|n| match &target {
                Some(t) if t == n => t.clone(),
                _ => Text::from(n),
            });
        let owner = meta
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true) && o.kind == "DaemonSet")
            .map(|o| pick(&shared.owner, &o.name));
        let image = pick(
            &shared.image,
            spec.and_then(|s| s.containers.first())
                .and_then(|c| c.image.as_deref())
                .unwrap_or_default(),
        );
        let phase = match manifest.status_phase() {
            Some("Succeeded") => Phase::Succeeded,
            Some("Failed") => Phase::Failed,
            _ if bound.is_some() => Phase::Running,
            _ => Phase::Pending,
        };
        let running = phase == Phase::Running;
        let container_name = pick(
            &shared.container_name,
            spec.and_then(|s| s.containers.first())
                .map_or("", |c| c.name.as_str()),
        );
        let hash_label = meta
            .labels
            .as_ref()
            .and_then(|l| l.get(crate::controller::daemonset::daemon_pod::REVISION_HASH_LABEL))
            .map(|h| pick(&shared.hash, h));
        SimPod {
            id,
            object: crate::text::concat(&["pod/", &name]),
            container_name,
            name,
            namespace,
            owner,
            hash_label,
            image,
            created: now,
            target,
            bound,
            phase,
            reason: None,
            containers: Containers::new(
                spec.map_or(1, |s| s.containers.len()),
                if running {
                    ContainerState::Running {
                        since: now,
                        crash_at: None,
                    }
                } else {
                    ContainerState::NotStarted
                },
            ),
            ready: running,
            ready_since: running.then_some(now),
            deleting: None,
            gone_at: None,
            evict_at: None,
            last_failed_scheduling: None,
            manifest,
        }
    }
    /// The spec as far as containers, tolerations, resources, ports and priority go (a
    /// controller-made pod's tie to its node is in `target`, `bound` and `pinned_to`).
    pub fn spec(&self) -> Option<&PodSpec> {
        self.manifest.spec()
    }
    /// See [`PodManifest::pinned_to`].
    pub fn pinned_to(&self) -> Option<&str> {
        self.manifest.pinned_to()
    }
    /// The whole Pod, as the API server would return it (built for a controller-made pod).
    pub fn manifest(&self) -> std::borrow::Cow<'_, Pod> {
        self.manifest.pod(self.bound.as_deref())
    }
    /// The Pod to edit (a controller-made pod gets a manifest of its own first).
    pub fn manifest_mut(&mut self) -> &mut Pod {
        self.manifest.pod_mut(self.bound.as_deref())
    }
    /// The scheduler's binding: `bound`, and `spec.nodeName` in the manifest.
    pub fn bind(&mut self, node: Text) {
        self.manifest.bind(&node);
        self.bound = Some(node);
    }
    /// The controller reference (`metadata.ownerReferences` with `controller: true`).
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.manifest
            .meta()
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
    }
    pub fn labels(&self) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        self.manifest.meta().labels.as_ref().unwrap_or(&EMPTY)
    }
    pub fn hash(&self) -> Option<&str> {
        self.hash_label.as_deref()
    }
    pub fn terminal(&self) -> bool {
        matches!(self.phase, Phase::Succeeded | Phase::Failed)
    }
    pub fn image(&self) -> Text {
        self.image.clone()
    }
    /// The first container's name, shared.
    pub fn container_name(&self) -> Text {
        self.container_name.clone()
    }
    /// Container `i`'s name (the first one's shared text; "" for a pod written without any).
    pub fn container_name_of(&self, i: usize) -> Text {
        match i {
            0 => self.container_name.clone(),
            _ => self
                .spec_container(i)
                .map_or_else(Text::default, |c| Text::from(c.name.as_str())),
        }
    }
    /// Container `i`'s image (the first one's shared text).
    pub fn image_of(&self, i: usize) -> Text {
        match i {
            0 => self.image.clone(),
            _ => self
                .spec_container(i)
                .and_then(|c| c.image.as_deref())
                .map_or_else(Text::default, Text::from),
        }
    }
    fn spec_container(&self, i: usize) -> Option<&k8s_openapi::api::core::v1::Container> {
        self.spec()?.containers.get(i)
    }
    /// The index of the container named `name`.
    pub fn container_index(&self, name: &str) -> Option<usize> {
        (0..self.containers.len()).find(|&i| self.container_name_of(i) == name)
    }
    /// Restarts of all its containers (the RESTARTS column).
    pub fn restarts(&self) -> u32 {
        self.containers.iter().map(|c| c.restarts).sum()
    }
    /// Ready containers (the READY column's first number).
    pub fn ready_containers(&self) -> usize {
        self.containers.iter().filter(|c| c.ready).count()
    }
    /// Some container has been started by the kubelet (the pod holds its node's resources).
    pub fn started(&self) -> bool {
        self.containers
            .iter()
            .any(|c| c.state != ContainerState::NotStarted)
    }
    /// `pod/NAME`, shared by the pod's steps and events.
    pub fn object(&self) -> Text {
        self.object.clone()
    }
    /// The hash label, shared (for views).
    pub fn hash_text(&self) -> Option<&Text> {
        self.hash_label.as_ref()
    }
    /// `IsPodAvailable`: Ready, and Ready for at least minReadySeconds (newest rule: "≤ now").
    pub fn available(&self, now: u64, min_ready: u64) -> bool {
        self.ready && self.ready_since.is_some_and(|s| s + min_ready <= now)
    }
    /// The phase column of `kubectl get pods`.
    pub fn status_text(&self) -> Text {
        let word = |s: &'static str| Text::new_static(s);
        if self.deleting.is_some() {
            return word("Terminating");
        }
        match self.phase {
            Phase::Failed => return self.reason.as_deref().map_or(word("Failed"), Text::from),
            Phase::Succeeded => return word("Completed"),
            _ => {}
        }
        // As kubectl's printPod: the first container (in spec order) that is waiting or
        // terminated names the status.
        let running = self.phase == Phase::Running;
        for c in self.containers.iter() {
            match c.state {
                ContainerState::Pulling { .. } => return word("ContainerCreating"),
                ContainerState::BackOff { .. } => return word("CrashLoopBackOff"),
                // Started in turn by the kubelet: waiting while an earlier one is being pulled.
                ContainerState::NotStarted if running => return word("ContainerCreating"),
                ContainerState::Terminated if running => return word("Error"),
                _ => {}
            }
        }
        match self.phase {
            // Bound but not yet picked up by its kubelet (e.g. the node is NotReady): Pending.
            Phase::Pending => word("Pending"),
            _ => word("Running"),
        }
    }
}
