//! The pod the DaemonSet controller builds for a node (semantics §1.1, §2, §3, §6.4).
//!
//! Sources: `pkg/controller/daemon/util/daemonset_util.go` (`AddOrUpdateDaemonPodTolerations`,
//! `CreatePodTemplate`, `ReplaceDaemonSetPodNodeNameNodeAffinity`, `GetTargetNodeName`),
//! `pkg/apis/core/v1/helper/helpers.go` (`AddOrUpdateTolerationInPodSpec`),
//! `pkg/controller/daemon/daemon_controller.go` (`syncNodes`).

use crate::api::error::FieldPath;
use crate::api::SpecOf;
use crate::words::Mode;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec,
    PodTemplateSpec, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

/// The label that ties a pod to a ControllerRevision.
pub const REVISION_HASH_LABEL: &str = "controller-revision-hash";

/// The tolerations every DaemonSet pod gets (semantics §2), in the order the controller adds them.
/// `network-unavailable` only for hostNetwork pods.
pub fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let mut keys = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        keys.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    keys.into_iter()
        .map(|(key, effect)| Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some(effect.into()),
            value: None,
            toleration_seconds: None,
        })
        .collect()
}

/// `Toleration.MatchToleration`: same key, effect, operator and value (not tolerationSeconds).
fn same_toleration(a: &Toleration, b: &Toleration) -> bool {
    a.key == b.key && a.effect == b.effect && a.operator == b.operator && a.value == b.value
}

/// Adds the automatic tolerations as `AddOrUpdateTolerationInPodSpec` does: an identical user
/// toleration is replaced (so a user's tolerationSeconds on `not-ready` is lost,
/// kubernetes/kubernetes#92960); otherwise the automatic one is appended.
pub fn add_daemon_tolerations(spec: &mut PodSpec) {
    let host_network = spec.host_network == Some(true);
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for auto in daemon_tolerations(host_network) {
        let mut found = false;
        for t in tolerations.iter_mut() {
            if same_toleration(t, &auto) {
                *t = auto.clone();
                found = true;
            }
        }
        if !found {
            tolerations.push(auto);
        }
    }
}

/// The single required term the controller pins a pod to its node with.
pub fn node_name_term(node_name: &str) -> NodeSelectorTerm {
    NodeSelectorTerm {
        match_expressions: None,
        match_fields: Some(vec![NodeSelectorRequirement {
            key: "metadata.name".into(),
            operator: "In".into(),
            values: Some(vec![node_name.into()]),
        }]),
    }
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes exactly one
/// term `matchFields metadata.name In [node]`; the user's required terms are dropped, preferred
/// terms and pod (anti-)affinity are kept; nodeSelector is not touched.
pub fn replace_node_name_affinity(affinity: Option<Affinity>, node_name: &str) -> Affinity {
    let required = NodeSelector {
        node_selector_terms: vec![node_name_term(node_name)],
    };
    let mut a = affinity.unwrap_or_default();
    let na = a.node_affinity.get_or_insert_with(NodeAffinity::default);
    na.required_during_scheduling_ignored_during_execution = Some(required);
    a
}

/// `GetTargetNodeName`: `spec.nodeName`, else the single value of the first
/// `matchFields metadata.name In` requirement. None when neither works.
pub fn target_node_name(pod: &Pod) -> Option<String> {
    target_node_name_ref(pod).map(str::to_string)
}

/// [`target_node_name`], borrowed from the pod.
pub fn target_node_name_ref(pod: &Pod) -> Option<&str> {
    let spec = pod.spec.as_ref()?;
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(n);
    }
    let terms = crate::scheduler::node_affinity::required_terms(spec.affinity.as_ref())?;
    for term in terms {
        for f in term.match_fields.iter().flatten() {
            if f.key == "metadata.name" && f.operator == "In" {
                return match f.values.as_deref() {
                    Some([v]) => Some(v.as_str()),
                    _ => None,
                };
            }
        }
    }
    None
}

/// The in-memory pod the controller tests a node with (§1.1): the template with the automatic
/// tolerations, `nodeName` set to the node, the user's own affinity and nodeSelector kept.
pub fn simulated_pod_spec(ds: &DaemonSet, node_name: &str) -> PodSpec {
    let mut spec = template_spec(ds);
    add_daemon_tolerations(&mut spec);
    spec.node_name = Some(node_name.into());
    spec
}

pub fn template_spec(ds: &DaemonSet) -> PodSpec {
    ds.spec().template.spec.clone().unwrap_or_default()
}

/// The Pod the controller would create for `node_name` (`CreatePodTemplate` + `syncNodes`):
/// current mode pins it with node affinity and leaves `nodeName` empty for the scheduler; legacy
/// mode (before v1.12) writes `spec.nodeName` itself and the scheduler never sees the pod.
/// A template `spec.nodeName` is kept in both modes (it bypasses the scheduler even today).
pub fn new_daemon_pod(ds: &DaemonSet, node_name: &str, mode: Mode) -> Pod {
    new_daemon_pod_with_hash(
        ds,
        node_name,
        mode,
        &crate::controller::daemonset::history::template_hash(ds),
    )
}

/// The fields of the Pod for a node that the controller writes to tie it to that node, as field
/// paths of the Pod (the app highlights them in the Pod it prints): the required node affinity
/// in current mode (`ReplaceDaemonSetPodNodeNameNodeAffinity`), `spec.nodeName` in legacy mode;
/// none when the template names its node itself.
pub fn injected_fields(ds: &DaemonSet, mode: Mode) -> Vec<FieldPath> {
    let pin = DaemonPodTemplate::new(ds, mode, "").pin;
    let spec = FieldPath::root().key("spec");
    match pin {
        None => Vec::new(),
        Some(Pin::Affinity) => vec![spec
            .key("affinity")
            .key("nodeAffinity")
            .key("requiredDuringSchedulingIgnoredDuringExecution")],
        Some(Pin::NodeName) => vec![spec.key("nodeName")],
    }
}

pub fn new_daemon_pod_with_hash(ds: &DaemonSet, node_name: &str, mode: Mode, hash: &str) -> Pod {
    DaemonPodTemplate::new(ds, mode, hash).pod_for(node_name)
}

/// What every pod the controller creates from one template shares: the pod of `CreatePodTemplate`
/// (metadata with the revision hash label and the owner reference, the template's spec with the
/// automatic tolerations) before `syncNodes` ties it to a node. The simulated cluster keeps it
/// once per revision and each pod only its name and node: thousands of pods of a rollout would
/// otherwise each own a copy of the same spec, tolerations, labels and owner reference.
#[derive(Debug)]
pub struct DaemonPodTemplate {
    /// The pod without name and node: no node affinity replaced, no `nodeName` set by the
    /// controller.
    pub pod: Pod,
    /// How `pod_for` ties the pod to its node; None when the template sets `nodeName` itself
    /// (kept in both modes).
    pin: Option<Pin>,
    /// What it was built from: valid for a DaemonSet while these are the same.
    mode: Mode,
    hash: String,
    template: PodTemplateSpec,
    /// The DaemonSet's name, namespace and uid.
    owner: [Option<String>; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pin {
    /// Current mode: required node affinity `matchFields metadata.name In [node]`.
    Affinity,
    /// Legacy mode (before v1.12): `spec.nodeName`, so the scheduler never sees the pod.
    NodeName,
}

impl DaemonPodTemplate {
    pub fn new(ds: &DaemonSet, mode: Mode, hash: &str) -> Self {
        let template_meta = ds.spec().template.metadata.clone().unwrap_or_default();
        let mut labels = template_meta.labels.clone().unwrap_or_default();
        labels.insert(REVISION_HASH_LABEL.into(), hash.into());
        let name = ds.metadata.name.clone().unwrap_or_default();
        let mut spec = template_spec(ds);
        add_daemon_tolerations(&mut spec);
        let pin = match (mode, spec.node_name.as_deref().filter(|n| !n.is_empty())) {
            (_, Some(_)) => None,
            (Mode::Current, None) => Some(Pin::Affinity),
            (Mode::Legacy, None) => Some(Pin::NodeName),
        };
        let pod = Pod {
            metadata: ObjectMeta {
                generate_name: Some(format!("{name}-")),
                namespace: Some(namespace(ds).into()),
                labels: Some(labels),
                annotations: template_meta.annotations.clone(),
                owner_references: Some(vec![OwnerReference {
                    api_version: "apps/v1".into(),
                    kind: "DaemonSet".into(),
                    name,
                    uid: ds.metadata.uid.clone().unwrap_or_default(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }]),
                ..Default::default()
            },
            spec: Some(spec),
            status: None,
        };
        DaemonPodTemplate {
            pod,
            pin,
            mode,
            hash: hash.into(),
            template: ds.spec().template.clone(),
            owner: [&ds.metadata.name, &ds.metadata.namespace, &ds.metadata.uid].map(Clone::clone),
        }
    }
    /// Was it built from this DaemonSet's template, with this hash, in this mode? (Then a pod
    /// made from it is the pod `new_daemon_pod_with_hash` would make.)
    pub fn built_from(&self, ds: &DaemonSet, mode: Mode, hash: &str) -> bool {
        let m = &ds.metadata;
        self.mode == mode
            && self.hash == hash
            && self.template == ds.spec().template
            && self.owner.iter().eq([&m.name, &m.namespace, &m.uid])
    }
    /// The pod for `node_name` (`syncNodes`), without its name: the template pod tied to the
    /// node as the mode does it.
    pub fn pod_for(&self, node_name: &str) -> Pod {
        let mut pod = self.pod.clone();
        let spec = pod.spec.get_or_insert_with(Default::default);
        match self.pin {
            None => {}
            Some(Pin::Affinity) => {
                spec.affinity = Some(replace_node_name_affinity(spec.affinity.take(), node_name));
            }
            Some(Pin::NodeName) => spec.node_name = Some(node_name.into()),
        }
        pod
    }
    /// `GetTargetNodeName` of the pod for `node_name`: the template's own `nodeName`, else the
    /// node it is pinned to.
    pub fn target<'a>(&'a self, node_name: &'a str) -> &'a str {
        self.template_node_name().unwrap_or(node_name)
    }
    /// `spec.nodeName` of the pod for `node_name`, when set and not empty (born bound).
    pub fn node_name<'a>(&'a self, node_name: &'a str) -> Option<&'a str> {
        match self.pin {
            Some(Pin::NodeName) => Some(node_name),
            _ => self.template_node_name(),
        }
    }
    /// Does the pod for a node carry the controller's single `matchFields metadata.name In
    /// [node]` term (§3.1) as its required node affinity?
    pub fn pinned_by_affinity(&self) -> bool {
        self.pin == Some(Pin::Affinity)
    }
    fn template_node_name(&self) -> Option<&str> {
        self.pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .filter(|n| !n.is_empty())
    }
}

/// The namespace of an object, "default" when unset (as kubectl apply would place it).
pub fn namespace(ds: &DaemonSet) -> &str {
    ds.metadata.namespace.as_deref().unwrap_or("default")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::taints::toleration;
    use k8s_openapi::api::core::v1::{PodAffinity, PreferredSchedulingTerm};

    fn keys(spec: &PodSpec) -> Vec<String> {
        spec.tolerations
            .iter()
            .flatten()
            .map(|t| {
                format!(
                    "{}:{}",
                    t.key.clone().unwrap_or_default(),
                    t.effect.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn adds_the_automatic_tolerations() {
        let cases = [
            ("plain pod: six tolerations", false, 6, false),
            ("hostNetwork pod: network-unavailable too", true, 7, true),
        ];
        for (name, host_network, count, has_network) in cases {
            let mut spec = PodSpec {
                host_network: Some(host_network),
                ..Default::default()
            };
            add_daemon_tolerations(&mut spec);
            let k = keys(&spec);
            assert_eq!(k.len(), count, "{name}");
            assert_eq!(
                k.contains(&"node.kubernetes.io/network-unavailable:NoSchedule".into()),
                has_network,
                "{name}"
            );
            assert!(
                k.contains(&"node.kubernetes.io/unschedulable:NoSchedule".into()),
                "{name}"
            );
            assert!(
                !k.contains(&"node.kubernetes.io/not-ready:NoSchedule".into()),
                "{name}: not-ready NoSchedule is NOT added"
            );
        }
    }

    /// kubernetes/kubernetes#92960: an identical toleration is replaced, losing tolerationSeconds;
    /// an Equal one for the same key is kept beside the automatic one.
    #[test]
    fn merges_user_tolerations_as_kubernetes_does() {
        let mut seconds = toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute");
        seconds.toleration_seconds = Some(30);
        let equal = toleration("node.kubernetes.io/unreachable", "Equal", "", "NoExecute");
        let mut spec = PodSpec {
            tolerations: Some(vec![seconds, equal]),
            ..Default::default()
        };
        add_daemon_tolerations(&mut spec);
        let t = spec.tolerations.unwrap();
        assert_eq!(t.len(), 7, "6 automatic + the Equal one kept");
        assert_eq!(t[0].key.as_deref(), Some("node.kubernetes.io/not-ready"));
        assert_eq!(t[0].toleration_seconds, None, "tolerationSeconds lost");
        assert_eq!(t[1].operator.as_deref(), Some("Equal"));
    }

    /// `TestReplaceDaemonSetPodNodeNameNodeAffinity`.
    #[test]
    fn replaces_required_terms_and_keeps_the_rest() {
        let user_term = NodeSelectorTerm {
            match_expressions: Some(vec![NodeSelectorRequirement {
                key: "zone".into(),
                operator: "In".into(),
                values: Some(vec!["a".into()]),
            }]),
            match_fields: Some(vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "NotIn".into(),
                values: Some(vec!["x".into()]),
            }]),
        };
        let preferred = vec![PreferredSchedulingTerm {
            weight: 10,
            preference: user_term.clone(),
        }];
        let cases: Vec<(&str, Option<Affinity>, bool, bool)> = vec![
            ("no affinity", None, false, false),
            (
                "pod affinity only",
                Some(Affinity {
                    pod_affinity: Some(PodAffinity::default()),
                    ..Default::default()
                }),
                true,
                false,
            ),
            (
                "required terms are replaced, preferred kept",
                Some(Affinity {
                    node_affinity: Some(NodeAffinity {
                        required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                            node_selector_terms: vec![user_term.clone(), user_term],
                        }),
                        preferred_during_scheduling_ignored_during_execution: Some(preferred),
                    }),
                    ..Default::default()
                }),
                false,
                true,
            ),
        ];
        for (name, input, keeps_pod_affinity, keeps_preferred) in cases {
            let a = replace_node_name_affinity(input, "node-1");
            let na = a.node_affinity.as_ref().unwrap();
            let terms = &na
                .required_during_scheduling_ignored_during_execution
                .as_ref()
                .unwrap()
                .node_selector_terms;
            assert_eq!(terms, &vec![node_name_term("node-1")], "{name}");
            assert_eq!(a.pod_affinity.is_some(), keeps_pod_affinity, "{name}");
            assert_eq!(
                na.preferred_during_scheduling_ignored_during_execution.is_some(),
                keeps_preferred,
                "{name}"
            );
        }
    }

    #[test]
    fn target_node_name_reads_node_name_then_match_fields() {
        let pinned = Pod {
            spec: Some(PodSpec {
                affinity: Some(replace_node_name_affinity(None, "n2")),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(target_node_name(&pinned).as_deref(), Some("n2"));
        let bound = Pod {
            spec: Some(PodSpec {
                node_name: Some("n3".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(target_node_name(&bound).as_deref(), Some("n3"));
        assert_eq!(target_node_name(&Pod::default()), None);
    }

    /// The fields the app highlights are the ones the controller writes, by mode; a template
    /// that names its node gets none.
    #[test]
    fn injected_fields_by_mode() {
        let ds = crate::testutil::daemonset("agent", &[], vec![]);
        let mut pinned = ds.clone();
        if let Some(spec) = pinned.spec_mut().template.spec.as_mut() {
            spec.node_name = Some("node-1".into());
        }
        let paths = |ds: &DaemonSet, mode| -> Vec<String> {
            injected_fields(ds, mode).iter().map(|p| p.to_string()).collect()
        };
        let cases = [
            (
                "current: the required node affinity",
                paths(&ds, Mode::Current),
                vec!["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"],
            ),
            (
                "legacy: spec.nodeName",
                paths(&ds, Mode::Legacy),
                vec!["spec.nodeName"],
            ),
            (
                "template nodeName, current: nothing",
                paths(&pinned, Mode::Current),
                vec![],
            ),
            (
                "template nodeName, legacy: nothing",
                paths(&pinned, Mode::Legacy),
                vec![],
            ),
        ];
        for (name, got, want) in cases {
            assert_eq!(got, want, "{name}");
        }
    }
}
