//! A simulated pod's manifest: its own `Pod` (a pod from the scenario, or one an event edited); for
//! a scenario pod written like the one before it but for its name and node, the manifest they
//! share plus its name and `nodeName`; for a pod the DaemonSet controller created, its
//! revision's shared template plus its name and node. The full `Pod` of the shared kinds is built
//! only where one is needed (the other pods the scheduler and the kubelet weigh a pod against,
//! an event editing it); the actors read the shared parts in place.

use crate::controller::daemonset::daemon_pod::{target_node_name_ref, DaemonPodTemplate};
use crate::text::Text;
use k8s_openapi::api::core::v1::{Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum PodManifest {
    /// The pod as written (boxed: the actors scan pods often, a small SimPod keeps that in cache).
    Own(Box<Pod>),
    /// `pod` with `metadata.name` `name` and `spec.nodeName` `node_name` (a scenario's pods of
    /// one workload: thousands of copies of one spec otherwise).
    Scenario {
        pod: Arc<Pod>,
        name: Text,
        node_name: Option<Text>,
    },
    /// `template.pod_for(node)` named `name` (Arc, not Rc: a World is cloned into timelines the
    /// app keeps in Send + Sync state).
    Daemon {
        template: Arc<DaemonPodTemplate>,
        name: Text,
        node: Text,
    },
}

impl PodManifest {
    /// `metadata` (a controller-made pod's name is not in it: see `name`).
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            PodManifest::Own(p) => &p.metadata,
            PodManifest::Scenario { pod, .. } => &pod.metadata,
            PodManifest::Daemon { template, .. } => &template.pod.metadata,
        }
    }
    /// The spec, except that a controller-made pod's tie to its node is not in it: no
    /// `nodeName` written by the scheduler or the legacy controller, no node affinity replaced
    /// (`target`, `node_name` and `pinned_to` say those). Containers, tolerations, resources,
    /// ports and priority are the pod's own.
    pub fn spec(&self) -> Option<&PodSpec> {
        match self {
            PodManifest::Own(p) => p.spec.as_ref(),
            PodManifest::Scenario { pod, .. } => pod.spec.as_ref(),
            PodManifest::Daemon { template, .. } => template.pod.spec.as_ref(),
        }
    }
    pub fn name(&self) -> &str {
        match self {
            PodManifest::Own(p) => p.metadata.name.as_deref().unwrap_or_default(),
            PodManifest::Scenario { name, .. } | PodManifest::Daemon { name, .. } => name,
        }
    }
    /// `GetTargetNodeName`: the node the pod is for.
    pub fn target(&self) -> Option<&str> {
        match self {
            PodManifest::Own(p) => target_node_name_ref(p),
            // `GetTargetNodeName`: nodeName, else the shared affinity's matchFields.
            PodManifest::Scenario { pod, node_name, .. } => match node_name.as_deref() {
                Some(n) if !n.is_empty() => Some(n),
                _ => target_node_name_ref(pod),
            },
            PodManifest::Daemon { template, node, .. } => Some(template.target(node)),
        }
    }
    /// `spec.nodeName` as created, when set and not empty.
    pub fn node_name(&self) -> Option<&str> {
        match self {
            PodManifest::Own(p) => p.spec.as_ref()?.node_name.as_deref().filter(|n| !n.is_empty()),
            PodManifest::Scenario { node_name, .. } => node_name.as_deref().filter(|n| !n.is_empty()),
            PodManifest::Daemon { template, node, .. } => template.node_name(node),
        }
    }
    /// The node a controller-made pod's required node affinity is exactly
    /// `matchFields metadata.name In [node]` for (§3.1): the scheduler tests that term instead
    /// of reading it from a built pod. None for other pods (their own affinity is in `spec`).
    pub fn pinned_to(&self) -> Option<&str> {
        match self {
            PodManifest::Daemon { template, node, .. } if template.pinned_by_affinity() => Some(node),
            _ => None,
        }
    }
    /// `status.phase` as written (a controller-made pod has no status yet).
    pub fn status_phase(&self) -> Option<&str> {
        match self {
            PodManifest::Own(p) => p.status.as_ref()?.phase.as_deref(),
            PodManifest::Scenario { pod, .. } => pod.status.as_ref()?.phase.as_deref(),
            PodManifest::Daemon { .. } => None,
        }
    }
    /// The whole pod, bound to `bound` if the scheduler bound it.
    pub fn pod(&self, bound: Option<&str>) -> Cow<'_, Pod> {
        match self {
            PodManifest::Own(p) => Cow::Borrowed(p),
            PodManifest::Scenario { pod, name, node_name } => {
                let mut pod = Pod::clone(pod);
                pod.metadata.name = Some(name.to_string());
                if let Some(spec) = pod.spec.as_mut() {
                    // The scheduler's binding, else nodeName as written.
                    spec.node_name = bound.or(node_name.as_deref()).map(str::to_string);
                }
                Cow::Owned(pod)
            }
            PodManifest::Daemon { template, name, node } => {
                let mut pod = template.pod_for(node);
                pod.metadata.name = Some(name.to_string());
                if let (Some(b), Some(spec)) = (bound, pod.spec.as_mut()) {
                    spec.node_name = Some(b.into());
                }
                Cow::Owned(pod)
            }
        }
    }
    /// The pod to edit: a controller-made pod gets a manifest of its own first.
    pub fn pod_mut(&mut self, bound: Option<&str>) -> &mut Pod {
        if !matches!(self, PodManifest::Own(_)) {
            *self = PodManifest::Own(Box::new(self.pod(bound).into_owned()));
        }
        match self {
            PodManifest::Own(p) => p,
            _ => unreachable!("made its own above"),
        }
    }
    /// Binds it to `node`: an own manifest records `spec.nodeName` (a shared one's is added when
    /// its pod is built).
    pub fn bind(&mut self, node: &str) {
        if let PodManifest::Own(p) = self {
            if let Some(s) = p.spec.as_mut() {
                s.node_name = Some(node.to_string());
            }
        }
    }
}

/// Makes the manifests of a scenario's pods, sharing one among consecutive pods written alike
/// but for their names and `nodeName`s (a workload's pods, one per node). `admit` is what
/// admission does to a pod's spec; it is done once per shared manifest.
///
/// Why it stays (issue 15 asked to remove it): measured back to back, giving each of the 5,000
/// scenario pods of `rolling_update/update_only` a manifest of its own makes that benchmark
/// about 1.5× slower (77 ms → 120 ms: the copies and their frees), past the 1.3× the redesign
/// allows. The sharing is visible here and nowhere else: the actors read a pod through
/// `PodManifest`, whatever its kind.
#[derive(Default)]
pub struct ScenarioPods {
    /// The last pod shared as written (name and nodeName overwritten to compare the next pod)
    /// and its shared, admitted manifest.
    last: Option<(Pod, Arc<Pod>)>,
}

impl ScenarioPods {
    pub fn manifest(&mut self, pod: &Pod, admit: impl Fn(&mut PodSpec)) -> PodManifest {
        let (Some(name), Some(spec)) = (pod.metadata.name.as_deref(), pod.spec.as_ref()) else {
            let mut own = pod.clone();
            if let Some(spec) = own.spec.as_mut() {
                admit(spec);
            }
            return PodManifest::Own(Box::new(own));
        };
        let node_name = spec.node_name.as_deref().map(Text::from);
        let alike = self.last.as_mut().and_then(|(last, shared)| {
            // Two small copies instead of a whole pod's: the names are all that differ.
            last.metadata.name = pod.metadata.name.clone();
            if let Some(s) = last.spec.as_mut() {
                s.node_name = spec.node_name.clone();
            }
            (last == pod).then(|| shared.clone())
        });
        let shared = alike.unwrap_or_else(|| {
            let mut shared = pod.clone();
            shared.metadata.name = None;
            if let Some(s) = shared.spec.as_mut() {
                s.node_name = None;
                admit(s);
            }
            let shared = Arc::new(shared);
            self.last = Some((pod.clone(), shared.clone()));
            shared
        });
        PodManifest::Scenario {
            pod: shared,
            name: Text::from(name),
            node_name,
        }
    }
}
