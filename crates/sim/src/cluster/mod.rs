//! A simulated cluster: nodes, pods, DaemonSets and their ControllerRevisions on a simulated clock.
//! The actors (`daemon_controller`, `scheduling`, `kubelet`, `node_lifecycle`, `pod_gc`,
//! `garbage_collector`) change it one action at a time; each action is recorded as a [`Step`].

mod node_index;
pub mod pod_manifest;
pub mod pod_store;
pub mod view;
pub(crate) mod workqueue;

use crate::controller::daemonset::daemon_pod::DaemonPodTemplate;
use crate::controller::daemonset::{daemon_controller, rolling_update, status};
use crate::text::text;
pub use crate::text::Text;
use crate::words::Mode;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use node_index::NodeIndex;
pub use pod_manifest::{PodManifest, ScenarioPods};
pub use pod_store::PodStore;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
pub use status::DsStatus;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
pub use view::{Change, Changes, ClusterView, ContainerView, KubeEvent, NodeView, PodView};
use workqueue::{NodeQueue, PodQueue};

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

#[derive(Debug, Clone)]
pub struct SimNode {
    pub node: Node,
    pub name: Text,
    /// Ready condition as the kubelet reports it.
    pub ready: bool,
    /// Images already pulled on this node.
    pub images: BTreeSet<Text>,
    /// When it joined the simulated cluster (seconds).
    pub joined: u64,
    /// It has been Ready at some point.
    pub was_ready: bool,
    kubelet_source: Text,
}

impl SimNode {
    pub fn new(node: Node) -> Self {
        let name = Text::from(node.metadata.name.as_deref().unwrap_or_default());
        let ready = crate::scheduler::node_info::ready_condition(&node).is_none_or(|s| s == "True");
        SimNode {
            node,
            kubelet_source: Text::concat(&["kubelet, ", &name]),
            name,
            ready,
            images: BTreeSet::new(),
            joined: 0,
            was_ready: ready,
        }
    }
    /// Does this node's kubelet work on the pod? A Ready node, yes. A node that is NotReady only
    /// because its network plugin is not ready (no CNI yet) still runs hostNetwork pods: that is
    /// how a CNI agent brings a node up. Otherwise (runtime down, kubelet gone) nothing runs.
    pub fn kubelet_runs(&self, pod: &SimPod) -> bool {
        if self.ready {
            return true;
        }
        let host_network = pod.spec().and_then(|s| s.host_network) == Some(true);
        host_network && self.network_not_ready()
    }
    fn network_not_ready(&self) -> bool {
        self.node
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .is_some_and(|c| {
                let text = format!(
                    "{} {}",
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                )
                .to_lowercase();
                text.contains("networkpluginnotready")
                    || text.contains("network not ready")
                    || text.contains("cni")
            })
    }
    /// `kubelet, NODE`, the source of its kubelet's events.
    pub fn kubelet_source(&self) -> Text {
        self.kubelet_source.clone()
    }
    pub fn unschedulable(&self) -> bool {
        self.node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true)
    }
    pub fn taints(&self) -> &[k8s_openapi::api::core::v1::Taint] {
        self.node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default()
    }
    pub fn taints_mut(&mut self) -> &mut Vec<k8s_openapi::api::core::v1::Taint> {
        self.node
            .spec
            .get_or_insert_with(Default::default)
            .taints
            .get_or_insert_with(Vec::new)
    }
}

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

/// A pod's containers in `spec.containers` order: the first kept inline (most pods have one,
/// and a rollout creates thousands), the others in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Containers {
    first: ContainerRun,
    rest: Vec<ContainerRun>,
}

impl Containers {
    fn new(count: usize, state: ContainerState) -> Self {
        let run = ContainerRun::new(state);
        Containers {
            rest: vec![run.clone(); count.saturating_sub(1)],
            first: run,
        }
    }
    /// How many containers (at least one: a pod written without containers counts as one).
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }
    /// Never: every pod has at least one container here.
    pub fn is_empty(&self) -> bool {
        false
    }
    pub fn get(&self, i: usize) -> Option<&ContainerRun> {
        match i {
            0 => Some(&self.first),
            _ => self.rest.get(i - 1),
        }
    }
    pub fn get_mut(&mut self, i: usize) -> Option<&mut ContainerRun> {
        match i {
            0 => Some(&mut self.first),
            _ => self.rest.get_mut(i - 1),
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = &ContainerRun> + '_ {
        std::iter::once(&self.first).chain(&self.rest)
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut ContainerRun> + '_ {
        std::iter::once(&mut self.first).chain(&mut self.rest)
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
    /// The index its target resolved to when it was added (see `World::pod_node`).
    node_hint: usize,
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
            object: Text::concat(&["pod/", &name]),
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
            node_hint: usize::MAX,
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
        let word = |s: &'static str| Text::from_static(s);
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
    /// by index into `World::nodes`: a name's answer sits at the index `World::node_index` gives
    /// it (with a repeated name, the last node of that name), as a map keyed by name would hold
    /// it; the other slots are None. Read through `World::should`/`should_at`; changed only
    /// through `set_should`, which keeps `should_run_count` in step.
    should: Vec<Option<crate::controller::daemonset::should_run::ShouldRun>>,
    /// How many answers in `should` say shouldRun (the rolling update's desired count, without
    /// counting them on every pass).
    should_run_count: i64,
    /// The rolling update's view of each node, by index into `World::nodes` (kept up to date
    /// with the status shares).
    pub(crate) roll: Vec<rolling_update::RollNode>,
    /// Each node's share of the status, by index into `World::nodes`, and their sum (kept up to
    /// date step by step).
    pub(crate) contrib: Vec<status::Contrib>,
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
            should: Vec::new(),
            should_run_count: 0,
            roll: Vec::new(),
            contrib: Vec::new(),
            totals: status::Contrib::default(),
            deleted: false,
            placement_failed: BTreeMap::new(),
            created_texts,
            pod_template: None,
        }
    }
    /// Stores (None: drops) the answer at node index `at` (the index its name resolves to).
    /// Returns whether it changed.
    pub fn set_should(
        &mut self,
        at: usize,
        answer: Option<crate::controller::daemonset::should_run::ShouldRun>,
    ) -> bool {
        if at >= self.should.len() {
            if answer.is_none() {
                return false;
            }
            self.should.resize(at + 1, None);
        }
        let old = std::mem::replace(&mut self.should[at], answer);
        let count = |a: &Option<crate::controller::daemonset::should_run::ShouldRun>| {
            i64::from(a.as_ref().is_some_and(|a| a.should_run))
        };
        self.should_run_count += count(&self.should[at]) - count(&old);
        old != self.should[at]
    }
    /// The answer stored at node index `at` (see `should`).
    pub fn should_at(&self, at: usize) -> Option<&crate::controller::daemonset::should_run::ShouldRun> {
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

/// The world the actors act on.
#[derive(Debug, Clone)]
pub struct World {
    pub now: u64,
    pub mode: Mode,
    pub nodes: Vec<SimNode>,
    pub daemonsets: Vec<SimDaemonSet>,
    pub pods: PodStore,
    pub revisions: Vec<Revision>,
    /// When each removed node disappeared (for PodGC).
    pub gone_nodes: BTreeMap<String, u64>,
    pub steps: Vec<Step>,
    next_id: PodId,
    name_seed: u64,
    pub(crate) names: HashSet<Text>,
    pub(crate) node_index: NodeIndex,
    /// Indices into `nodes`, by node name: the order the simulation walks nodes in.
    sorted_nodes: Vec<usize>,
    /// A node was removed, so indices into `nodes` changed (per-index caches are rebuilt).
    pub(crate) nodes_reindexed: bool,
    /// Ids of the pods whose target is a node's name, in creation order, at the index that
    /// name resolves to (`node_index`).
    pods_at: Vec<Vec<PodId>>,
    /// The same for targets without a Node (removed nodes, names that never existed).
    by_target: HashMap<Text, Vec<PodId>>,
    /// Nodes whose status share must be recomputed at the next step; `all` after a time advance.
    pub(crate) status_dirty: NodeQueue,
    pub(crate) status_all_dirty: bool,
    /// Reused buffer for the nodes whose shares are recomputed (saves an allocation per step).
    pub(crate) status_scratch: Vec<usize>,
    /// Reused buffer for the nodes whose views a step shows.
    node_scratch: Vec<usize>,
    /// Nodes whose controller answers must be recomputed; `all` after a template change.
    pub(crate) should_dirty: NodeQueue,
    pub(crate) should_all_dirty: bool,
    /// Nodes the node lifecycle controller must look at again (changed, or pods changed there).
    pub(crate) lifecycle_dirty: NodeQueue,
    pub(crate) lifecycle_all_dirty: bool,
    /// Nodes the DaemonSet controller's `manage` must look at again; all after a template change.
    pub(crate) manage_dirty: NodeQueue,
    pub(crate) manage_all_dirty: bool,
    /// Pods changed since the last step (sorted and deduplicated when the step is recorded).
    dirty_pods: Vec<PodId>,
    /// Pods that may wait for the scheduler: those created unbound (a pod never becomes
    /// unbound again), pruned by the scheduler as they bind or go.
    pub(crate) unscheduled: PodQueue,
    /// Pods whose kubelet may have work: queued on every change, pruned by the kubelet while
    /// idle. Saves every round a walk over thousands of settled pods.
    pub(crate) kubelet_queue: PodQueue,
    /// Nodes whose view changed since the last step.
    pub(crate) dirty_nodes: NodeQueue,
    /// Pods with an eviction scheduled (`evict_at`), so a round need not look at every pod.
    pub(crate) evictions: BTreeSet<PodId>,
    /// Every pod without an owner (and maybe some adopted since): the controller's adoption
    /// looks at these, not at every pod, each sync.
    pub(crate) orphans: BTreeSet<PodId>,
    /// Indices of the NotReady nodes, recomputed after any node changed (None: to recompute).
    not_ready: Option<Vec<usize>>,
    removed_pods: Vec<Text>,
    removed_nodes: Vec<String>,
    dirty_ds: bool,
    /// The statuses last written into a step's changes.
    shown_status: Vec<DsStatus>,
    /// The changes of the step being recorded (the buffer is kept from step to step).
    change_scratch: Vec<Change>,
    /// Messages that many steps repeat word for word (see `phrase`).
    phrases: HashSet<Text>,
    phrase_buf: String,
}

const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The index `name` resolves to, trying `hint` first: right when `name` is the own text of the
/// node there and no other node has that name (indices move when a node goes, so a hint can be
/// stale; it is then simply not that node's text).
fn index_hinted(index: &NodeIndex, nodes: &[SimNode], name: &str, hint: usize) -> Option<usize> {
    match nodes.get(hint) {
        Some(n)
            if n.name.as_ptr() == name.as_ptr()
                && n.name.len() == name.len()
                && index.len() == nodes.len() =>
        {
            Some(hint)
        }
        _ => index.get(name),
    }
}

impl World {
    pub fn new(mode: Mode) -> Self {
        World {
            now: 0,
            mode,
            nodes: Vec::new(),
            daemonsets: Vec::new(),
            pods: PodStore::default(),
            revisions: Vec::new(),
            gone_nodes: BTreeMap::new(),
            steps: Vec::new(),
            next_id: 1,
            name_seed: 0x9e37_79b9_7f4a_7c15,
            names: HashSet::default(),
            node_index: NodeIndex::default(),
            sorted_nodes: Vec::new(),
            nodes_reindexed: false,
            pods_at: Vec::new(),
            by_target: HashMap::default(),
            status_dirty: NodeQueue::default(),
            status_all_dirty: true,
            status_scratch: Vec::new(),
            node_scratch: Vec::new(),
            should_dirty: NodeQueue::default(),
            should_all_dirty: true,
            lifecycle_dirty: NodeQueue::default(),
            lifecycle_all_dirty: true,
            manage_dirty: NodeQueue::default(),
            manage_all_dirty: true,
            dirty_pods: Vec::new(),
            unscheduled: PodQueue::default(),
            kubelet_queue: PodQueue::default(),
            dirty_nodes: NodeQueue::default(),
            evictions: BTreeSet::new(),
            orphans: BTreeSet::new(),
            not_ready: None,
            removed_pods: Vec::new(),
            removed_nodes: Vec::new(),
            dirty_ds: false,
            shown_status: Vec::new(),
            change_scratch: Vec::new(),
            phrases: HashSet::default(),
            phrase_buf: String::new(),
        }
    }

    /// A message that does not name the pod ("Pulling image …", "Stopping container …"): the
    /// kubelet says it for every pod of a rollout, so all those steps share one text instead
    /// of each allocating its own copy.
    pub fn phrase(&mut self, parts: &[&str]) -> Text {
        self.phrase_buf.clear();
        for p in parts {
            self.phrase_buf.push_str(p);
        }
        if let Some(t) = self.phrases.get(self.phrase_buf.as_str()) {
            return t.clone();
        }
        let t = Text::from(self.phrase_buf.as_str());
        self.phrases.insert(t.clone());
        t
    }

    pub fn node(&self, name: &str) -> Option<&SimNode> {
        self.node_index.get(name).map(|i| &self.nodes[i])
    }
    pub fn node_mut(&mut self, name: &str) -> Option<&mut SimNode> {
        let i = self.node_index.get(name);
        self.not_ready = None;
        self.dirty_nodes.add(i, name);
        self.status_dirty.add(i, name);
        self.should_dirty.add(i, name);
        self.lifecycle_dirty.add(i, name);
        self.manage_dirty.add(i, name);
        Some(&mut self.nodes[i?])
    }
    /// Records that `node` has pulled `image`. Nothing else changes: no controller decision,
    /// status share or taint depends on the images a node holds, and a node's view does not
    /// show them.
    pub fn add_image(&mut self, node: &str, image: Text) {
        let Some(i) = self.node_index.get(node) else {
            return;
        };
        self.nodes[i].images.insert(image);
    }
    /// The node a pod is bound to, or else the node it is meant for. Its name is almost always
    /// that node's own text (`share_node_name`): then the index recorded when the pod was added
    /// finds it without a lookup.
    pub fn pod_node(&self, p: &SimPod) -> Option<&SimNode> {
        self.node_hinted(p.bound.as_deref().or(p.target.as_deref())?, p.node_hint)
    }
    /// The node a pod is meant for (see `pod_node`).
    pub fn target_node(&self, p: &SimPod) -> Option<&SimNode> {
        self.node_hinted(p.target.as_deref()?, p.node_hint)
    }
    fn node_hinted(&self, name: &str, hint: usize) -> Option<&SimNode> {
        let i = index_hinted(&self.node_index, &self.nodes, name, hint)?;
        self.nodes.get(i)
    }
    pub fn pod(&self, id: PodId) -> Option<&SimPod> {
        self.pods.get(&id)
    }
    pub fn pod_mut(&mut self, id: PodId) -> Option<&mut SimPod> {
        self.dirty_pods.push(id);
        self.kubelet_queue.insert(id);
        let p = self.pods.get_mut(&id)?;
        if let Some(t) = &p.target {
            let i = index_hinted(&self.node_index, &self.nodes, t, p.node_hint);
            self.status_dirty.add(i, t);
            self.lifecycle_dirty.add(i, t);
            self.manage_dirty.add(i, t);
        }
        Some(p)
    }
    /// The node's own name when it exists (shared), else a copy of `name`.
    pub fn node_text(&self, name: &str) -> Text {
        match self.node_index.get(name) {
            Some(i) => self.nodes[i].name.clone(),
            None => Text::from(name),
        }
    }
    /// Indices of the NotReady nodes (looked at every round by the node lifecycle controller;
    /// nodes change only through `node_mut`, `add_node` and `remove_node`).
    pub(crate) fn not_ready_nodes(&mut self) -> &[usize] {
        let nodes = &self.nodes;
        self.not_ready
            .get_or_insert_with(|| (0..nodes.len()).filter(|&i| !nodes[i].ready).collect())
    }
    /// The index a node's name resolves to (`node_index`): `i` itself unless another node has
    /// the same name. Answers and status shares sit there.
    pub(crate) fn canonical(&self, i: usize) -> usize {
        if self.node_index.len() == self.nodes.len() {
            i
        } else {
            self.node_index.get(&self.nodes[i].name).unwrap_or(i)
        }
    }
    /// DaemonSet `d`'s last answer for the node named `name` (None when no such node).
    pub fn should<'d>(
        &self,
        d: &'d SimDaemonSet,
        name: &str,
    ) -> Option<&'d crate::controller::daemonset::should_run::ShouldRun> {
        d.should_at(self.node_index.get(name)?)
    }
    /// The node index of `name`, if the node exists (for queueing it).
    pub(crate) fn node_at(&self, name: &str) -> Option<usize> {
        self.node_index.get(name)
    }
    /// After the clock moves, availability (minReadySeconds) may change anywhere.
    pub fn mark_time_advanced(&mut self) {
        // Only availability (minReadySeconds) depends on the clock itself.
        if self.daemonsets.iter().any(|d| d.min_ready_seconds() > 0) {
            self.status_all_dirty = true;
            self.manage_all_dirty = true;
        }
        if self.daemonsets.iter().any(|d| !d.failed_backoff.is_empty()) {
            self.manage_all_dirty = true;
        }
    }
    /// The controller's answers changed for some nodes: recompute their status shares.
    pub fn mark_node_status_dirty(&mut self, node: &str) {
        let i = self.node_at(node);
        self.status_dirty.add(i, node);
    }
    pub fn touch_daemonsets(&mut self) {
        self.dirty_ds = true;
    }
    /// A DaemonSet's template or selector changed: every node's answers may change.
    pub fn mark_template_changed(&mut self) {
        self.dirty_ds = true;
        self.should_all_dirty = true;
        self.status_all_dirty = true;
        self.manage_all_dirty = true;
    }

    /// Pod names as the API server makes them from generateName: five characters of the same
    /// safe alphabet, here from a seeded generator so runs are reproducible.
    pub fn generate_name(&mut self, prefix: &str) -> Text {
        loop {
            let mut suffix = [0u8; 5];
            for c in &mut suffix {
                // xorshift64*
                self.name_seed ^= self.name_seed >> 12;
                self.name_seed ^= self.name_seed << 25;
                self.name_seed ^= self.name_seed >> 27;
                let r = self.name_seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
                *c = SAFE[(r >> 33) as usize % SAFE.len()];
            }
            let suffix = std::str::from_utf8(&suffix).expect("SAFE is ASCII");
            let name = Text::concat(&[prefix, suffix]);
            if !self.names.contains(&name) {
                return name;
            }
        }
    }

    pub fn add_pod(&mut self, mut pod: SimPod) -> PodId {
        let id = self.next_id;
        self.next_id += 1;
        pod.id = id;
        self.names.insert(pod.name.clone());
        self.share_node_name(&mut pod);
        if let Some(t) = &pod.target {
            let i = self.node_index.get(t);
            pod.node_hint = i.unwrap_or(usize::MAX);
            match i.and_then(|i| self.pods_at.get_mut(i)) {
                Some(ids) => ids.push(id),
                None => self.by_target.entry(t.clone()).or_default().push(id),
            }
            self.status_dirty.add(i, t);
            self.lifecycle_dirty.add(i, t);
            self.manage_dirty.add(i, t);
            if self.mode == Mode::Legacy {
                // The legacy controller's answers depend on the other pods (resources, ports).
                self.should_dirty.add(i, t);
            }
        }
        if pod.bound.is_none() {
            self.unscheduled.insert(id);
        }
        if pod.owner.is_none() {
            self.orphans.insert(id);
        }
        self.kubelet_queue.insert(id);
        self.pods.insert(id, pod);
        self.dirty_pods.push(id);
        id
    }
    /// Points the pod's target and binding at the node's own name: every view and step of the
    /// pod then clones that one shared text.
    fn share_node_name(&self, pod: &mut SimPod) {
        for slot in [&mut pod.target, &mut pod.bound] {
            if let Some(i) = slot.as_deref().and_then(|t| self.node_index.get(t)) {
                *slot = Some(self.nodes[i].name.clone());
            }
        }
    }
    /// A DELETE of a pod, as the API server takes it: an unbound pod goes at once; a bound one
    /// gets its deletion timestamp and is terminated by its kubelet within the grace period (if
    /// the kubelet is there to do it). Every actor that deletes a pod goes through here.
    pub fn begin_deletion(&mut self, id: PodId) {
        let now = self.now;
        let Some(p) = self.pod_mut(id) else { return };
        if p.deleting.is_some() {
            return;
        }
        if p.bound.is_none() {
            self.remove_pod(id);
            return;
        }
        p.deleting = Some(now);
        p.ready = false;
    }

    pub fn remove_pod(&mut self, id: PodId) -> Option<SimPod> {
        let p = self.pods.remove(&id)?;
        self.evictions.remove(&id);
        self.orphans.remove(&id);
        self.unscheduled.remove(&id);
        self.kubelet_queue.remove(&id);
        self.names.remove(&p.name);
        if let Some(t) = &p.target {
            let i = index_hinted(&self.node_index, &self.nodes, t, p.node_hint);
            let ids = match i {
                Some(i) => self.pods_at.get_mut(i),
                None => self.by_target.get_mut(t),
            };
            if let Some(ids) = ids {
                ids.retain(|x| *x != id);
            }
            self.status_dirty.add(i, t);
            self.manage_dirty.add(i, t);
            if self.mode == Mode::Legacy {
                self.should_dirty.add(i, t);
            }
        }
        // (Still listed in dirty_pods: a step shows only pods that exist.)
        self.removed_pods.push(p.name.clone());
        Some(p)
    }
    pub fn remove_node(&mut self, name: &str) -> Option<SimNode> {
        let i = self.node_index.get(name)?;
        // The controller's answers are per existing node: a deleted Node no longer counts toward
        // the desired number, which is also the base of a percentage maxUnavailable/maxSurge.
        // The name's answer goes (as from a map keyed by name); the slots after `i` move down.
        for d in &mut self.daemonsets {
            d.set_should(i, None);
            if i < d.should.len() {
                d.should.remove(i);
            }
        }
        self.not_ready = None;
        self.removed_nodes.push(name.to_string());
        self.status_dirty.add_index(i);
        // Indices after `i` shift: every queue follows. A removed node stays queued by name
        // (its status share must go); queues that only look at existing nodes skip it.
        for q in self.queues_mut() {
            q.remove_node(i, name);
        }
        // The node's pods keep their target: their list goes by name until a node of that name
        // exists again. Every list moves with the indices.
        for (node, ids) in self.nodes.iter().zip(std::mem::take(&mut self.pods_at)) {
            if !ids.is_empty() {
                self.by_target.entry(node.name.clone()).or_default().extend(ids);
            }
        }
        let n = self.nodes.remove(i);
        self.reindex_nodes();
        self.pods_at = vec![Vec::new(); self.nodes.len()];
        for (j, node) in self.nodes.iter().enumerate() {
            if self.node_index.get(&node.name) == Some(j) {
                if let Some(ids) = self.by_target.remove(node.name.as_str()) {
                    self.pods_at[j] = ids;
                }
            }
        }
        Some(n)
    }
    fn queues_mut(&mut self) -> [&mut NodeQueue; 5] {
        [
            &mut self.dirty_nodes,
            &mut self.status_dirty,
            &mut self.should_dirty,
            &mut self.lifecycle_dirty,
            &mut self.manage_dirty,
        ]
    }
    pub fn add_node(&mut self, mut node: SimNode) {
        node.joined = self.now;
        self.not_ready = None;
        let i = self.nodes.len();
        for q in self.queues_mut() {
            q.node_added(&node.name);
            q.add_index(i);
        }
        let nodes = &self.nodes;
        let replaced = |old: usize| nodes.get(old).map(|n| n.name.clone());
        let old = self.node_index.insert(&node.name, i, replaced);
        // The pods meant for this name: those of the node it resolved to, or of no node yet.
        let ids = match old {
            Some(old) => self.pods_at.get_mut(old).map(std::mem::take),
            None => self.by_target.remove(node.name.as_str()),
        };
        self.pods_at.push(ids.unwrap_or_default());
        if let Some(old) = old {
            // A repeated name now resolves to the new node: its answer moves with it.
            for d in &mut self.daemonsets {
                let answer = d.should.get_mut(old).and_then(Option::take);
                d.should_run_count -= i64::from(answer.as_ref().is_some_and(|a| a.should_run));
                d.set_should(i, answer);
            }
        }
        // Nodes mostly come in name order: then the new one goes last without a search.
        let at = match self.sorted_nodes.last() {
            Some(&l) if self.nodes[l].name < node.name => self.sorted_nodes.len(),
            None => 0,
            Some(_) => self
                .sorted_nodes
                .partition_point(|&i| self.nodes[i].name < node.name),
        };
        self.sorted_nodes.insert(at, self.nodes.len());
        self.nodes.push(node);
    }
    fn reindex_nodes(&mut self) {
        self.node_index.rebuild(self.nodes.iter().map(|n| &n.name));
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_unstable_by(|&a, &b| self.nodes[a].name.cmp(&self.nodes[b].name));
        self.sorted_nodes = order;
        self.nodes_reindexed = true;
    }

    /// Ids of the pods whose target is `node`, in creation order.
    pub fn pod_ids_on(&self, node: &str) -> &[PodId] {
        let ids = match self.node_index.get(node) {
            Some(i) => self.pods_at.get(i),
            None => self.by_target.get(node),
        };
        ids.map(Vec::as_slice).unwrap_or_default()
    }
    /// Ids of the pods whose target is the name node `at` resolves to, in creation order.
    pub fn pod_ids_at(&self, at: usize) -> &[PodId] {
        self.pods_at.get(at).map(Vec::as_slice).unwrap_or_default()
    }
    /// Node names sorted, the order the simulation walks nodes in where Kubernetes' is undefined.
    pub fn sorted_node_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.sorted_nodes.iter().map(|&i| self.nodes[i].name.as_str())
    }
    /// Indices into `nodes` in the order of `sorted_node_names`.
    pub fn sorted_node_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.sorted_nodes.iter().copied()
    }
    /// Nodes that pods still point at although the Node object is gone.
    pub fn vanished_targets(&self) -> Vec<&str> {
        // gone_nodes holds every name pods point at without a Node: removed nodes, and targets
        // that never existed (recorded when the scenario is loaded). BTreeMap: already sorted.
        self.gone_nodes
            .keys()
            .filter(|n| !self.node_index.contains(n))
            .filter(|n| self.by_target.get(n.as_str()).is_some_and(|ids| !ids.is_empty()))
            .map(String::as_str)
            .collect()
    }
    /// Pods whose target is `node`, in creation order.
    pub fn pods_on(&self, node: &str) -> Vec<&SimPod> {
        self.pod_ids_on(node)
            .iter()
            .filter_map(|id| self.pods.get(id))
            .collect()
    }

    /// Records one step: the actor, what it did, and what changed since the last step.
    pub fn record(
        &mut self,
        actor: Actor,
        action: &'static str,
        object: impl Into<Text>,
        node: Option<Text>,
        message: impl Into<Text>,
        event: Option<KubeEvent>,
    ) {
        // Node answers follow node and template changes at once, so every step's views agree.
        daemon_controller::refresh_should(self);
        status::refresh(self);
        let changes = self.take_changes();
        let status = self
            .daemonsets
            .first()
            .filter(|d| !d.deleted)
            .map(|d| d.status.clone());
        self.steps.push(Step {
            time: self.now,
            actor,
            action: Text::from_static(action),
            object: object.into(),
            node,
            message: message.into(),
            status,
            event,
            changes,
        });
    }

    fn take_changes(&mut self) -> Changes {
        let ds_changed = std::mem::take(&mut self.dirty_ds);
        let mut dirty_nodes = std::mem::take(&mut self.node_scratch);
        self.dirty_nodes.take_sorted_into(&self.nodes, &mut dirty_nodes);
        let mut dirty_pods = std::mem::take(&mut self.dirty_pods);
        dirty_pods.sort_unstable();
        dirty_pods.dedup();
        let mut changes = std::mem::take(&mut self.change_scratch);
        for name in std::mem::take(&mut self.removed_nodes) {
            changes.push(Change::NodeRemoved(name));
        }
        // A DaemonSet change alone changes no node view: what a node view shows of the first
        // DaemonSet, its answers, queues the nodes whose answers changed (`refresh_should`).
        for &i in &dirty_nodes {
            // Through the name, as a name-keyed set did: with a repeated node name, the last
            // node of that name.
            changes.push(Change::Node(view::node_view(self, self.canonical(i))));
        }
        self.node_scratch = dirty_nodes; // its buffer serves the next step
        changes.extend(self.removed_pods.drain(..).map(Change::PodRemoved));
        for &id in &dirty_pods {
            if let Some(p) = self.pods.get(&id) {
                changes.push(Change::Pod(view::pod_view(self, p)));
            }
        }
        dirty_pods.clear();
        self.dirty_pods = dirty_pods; // keeps its capacity for the next step
        let same_count = self.shown_status.len() == self.daemonsets.len();
        // Compared in place: most steps leave the statuses as they were shown.
        let changed = |skip: usize| {
            self.daemonsets
                .iter()
                .zip(&self.shown_status)
                .skip(skip)
                .any(|(d, s)| d.status != *s)
        };
        let first_changed = same_count && changed(0);
        // The step itself carries the first DaemonSet's status (`Step::status`, unless deleted).
        let others_changed = changed(1)
            || self
                .daemonsets
                .first()
                .is_some_and(|d| d.deleted && first_changed);
        if ds_changed || !same_count {
            changes.push(Change::DaemonSets(view::daemonset_views(self)));
        } else if others_changed {
            changes.push(Change::Status(
                self.daemonsets.iter().map(|d| d.status.clone()).collect(),
            ));
        }
        if !same_count || first_changed || others_changed {
            // Refilled in place: the buffer is kept from step to step.
            self.shown_status.clear();
            self.shown_status
                .extend(self.daemonsets.iter().map(|d| d.status.clone()));
        }
        let taken = Changes::take_from(&mut changes);
        self.change_scratch = changes;
        taken
    }

    /// The whole cluster as the views show it.
    pub fn view(&mut self) -> ClusterView {
        daemon_controller::refresh_should(self);
        status::refresh(self);
        let view = ClusterView {
            time: self.now,
            nodes: (0..self.nodes.len()).map(|i| view::node_view(self, i)).collect(),
            pods: self.pods.values().map(|p| view::pod_view(self, p)).collect(),
            daemonsets: view::daemonset_views(self),
            events: Vec::new(),
        };
        self.mark_shown();
        view
    }

    /// A whole view shows everything: the next step lists only what changes after it (the
    /// first step would otherwise repeat every node and pod of the initial view).
    fn mark_shown(&mut self) {
        self.dirty_ds = false;
        self.dirty_nodes.clear();
        self.dirty_pods.clear();
        self.removed_pods.clear();
        self.removed_nodes.clear();
        self.shown_status.clear();
        self.shown_status
            .extend(self.daemonsets.iter().map(|d| d.status.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::node;
    use k8s_openapi::api::core::v1::PodSpec;

    fn pod_on(name: &str, node_name: &str) -> SimPod {
        let pod = Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some(node_name.into()),
                ..Default::default()
            }),
            status: None,
        };
        SimPod::from_manifest(0, pod, 0)
    }

    /// A pod finds its node through the index recorded when it was added; after a node before
    /// it goes (indices move) or its own node goes and comes back, it still finds the right one.
    #[test]
    fn pods_find_their_node_after_nodes_come_and_go() {
        let mut w = World::new(Mode::Current);
        for n in ["a", "b", "c"] {
            w.add_node(SimNode::new(node(n, &[], vec![])));
        }
        let on_c = w.add_pod(pod_on("p", "c"));
        let name = |w: &World| {
            w.pod(on_c)
                .and_then(|p| w.pod_node(p))
                .map(|n| n.name.to_string())
        };
        assert_eq!(name(&w).as_deref(), Some("c"));
        assert_eq!(w.pod_ids_on("c"), [on_c]);

        w.remove_node("a");
        assert_eq!(name(&w).as_deref(), Some("c"), "after a node before it went");
        assert_eq!(w.pod_ids_on("c"), [on_c]);

        w.remove_node("c");
        assert_eq!(name(&w), None, "its node is gone");
        assert_eq!(w.pod_ids_on("c"), [on_c], "still meant for c");

        w.add_node(SimNode::new(node("c", &[], vec![])));
        assert_eq!(name(&w).as_deref(), Some("c"), "c is back");
        assert_eq!(w.pod_ids_on("c"), [on_c]);
        assert!(w.pod_ids_on("b").is_empty());
    }
}
