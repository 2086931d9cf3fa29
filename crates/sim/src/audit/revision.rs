//! Which pods are on the current template, as `IsPodUpdated` decides it (§7.3; source
//! `pkg/controller/daemon/util/daemonset_util.go`): a pod is updated when its
//! `pod-template-generation` label equals the DaemonSet's template generation, or its
//! `controller-revision-hash` label equals the hash of the current ControllerRevision.
//!
//! The template generation is the annotation `deprecated.daemonset.template.generation`
//! (`GetTemplateGeneration`), which the API server raises on each template change; it is not
//! `metadata.generation`, which also rises when only the update strategy changes.
//!
//! The current hash lives in the DaemonSet's newest ControllerRevision, which a
//! `kubectl get ds,nodes,pods` dump does not hold, and Kubernetes computes it from the Go
//! structure of the template (FNV-32a of a deep print), which this crate does not reproduce
//! (`history`). So the audit takes, in order: the hash carried by the pods whose generation label
//! is current; else this crate's own hash of the template, when pods carry it (dumps of a
//! simulated cluster); else none, and pods are judged by their generation label alone.

// The core's public entry points (kept together: re-pathing is mechanical).
use crate::controller::daemonset::daemon_pod::REVISION_HASH_LABEL;
use crate::controller::daemonset::history::template_hash;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Pod;
use serde::Serialize;
use std::collections::BTreeMap;

/// `extensions.DaemonSetTemplateGenerationKey`.
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
/// `apps.DeprecatedTemplateGeneration`.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// What "current template" means for one DaemonSet of the dump.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentRevision {
    /// From the `deprecated.daemonset.template.generation` annotation.
    pub template_generation: Option<i64>,
    /// The current `controller-revision-hash`, when the dump tells it.
    pub hash: Option<String>,
    /// Where `hash` comes from: `pods-with-current-generation`, `template-hash`, or `unknown`.
    pub hash_source: String,
    /// Said when neither is known (no pod can be called outdated) or only one is.
    #[serde(skip)]
    pub note: Option<String>,
}

impl CurrentRevision {
    pub fn of(ds: &DaemonSet, own: &[&Pod]) -> Self {
        let annotation = ds
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(TEMPLATE_GENERATION_ANNOTATION));
        let template_generation = annotation.and_then(|g| g.trim().parse::<i64>().ok());
        let wanted = template_generation.map(|g| g.to_string());
        // The hash most pods of the current generation carry (ties: the smaller, for a stable
        // answer).
        let mut hashes: BTreeMap<&str, usize> = BTreeMap::new();
        if let Some(g) = &wanted {
            for p in own {
                let labels = p.metadata.labels.as_ref();
                if labels.and_then(|l| l.get(TEMPLATE_GENERATION_LABEL)) == Some(g) {
                    if let Some(h) = labels.and_then(|l| l.get(REVISION_HASH_LABEL)) {
                        *hashes.entry(h.as_str()).or_default() += 1;
                    }
                }
            }
        }
        let by_generation = hashes
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(h, _)| h.to_string());
        let (hash, hash_source) = match by_generation {
            Some(h) => (Some(h), "pods-with-current-generation"),
            None => {
                let own_hash = template_hash(ds);
                let carried = own.iter().any(|p| hash_label(p) == Some(own_hash.as_str()));
                if carried {
                    (Some(own_hash), "template-hash")
                } else {
                    (None, "unknown")
                }
            }
        };
        let note = match (template_generation, &hash) {
            (None, None) => Some(match annotation {
                Some(a) => format!("cannot tell outdated pods: the annotation {TEMPLATE_GENERATION_ANNOTATION} is {a:?}, not a number, and no pod carries a hash known to be current (the current ControllerRevision is not in a ds,nodes,pods dump)"),
                None => format!("cannot tell outdated pods: the DaemonSet has no {TEMPLATE_GENERATION_ANNOTATION} annotation and no pod carries a hash known to be current (the current ControllerRevision is not in a ds,nodes,pods dump)"),
            }),
            (Some(g), None) => Some(format!("outdated pods are judged by their {TEMPLATE_GENERATION_LABEL} label alone (template generation {g}): no pod of that generation carries a controller-revision-hash")),
            _ => None,
        };
        CurrentRevision {
            template_generation,
            hash,
            hash_source: hash_source.into(),
            note,
        }
    }

    /// Whether pods can be judged at all.
    pub fn known(&self) -> bool {
        self.template_generation.is_some() || self.hash.is_some()
    }
}

fn hash_label(p: &Pod) -> Option<&str> {
    p.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_HASH_LABEL))
        .map(String::as_str)
}

/// `IsPodUpdated`: the generation label matches, or the hash label does.
pub fn is_updated(rev: &CurrentRevision, p: &Pod) -> bool {
    let labels = p.metadata.labels.as_ref();
    let generation_matches = rev.template_generation.is_some_and(|g| {
        labels
            .and_then(|l| l.get(TEMPLATE_GENERATION_LABEL))
            .is_some_and(|v| *v == g.to_string())
    });
    let hash_matches = rev
        .hash
        .as_deref()
        .is_some_and(|h| !h.is_empty() && hash_label(p) == Some(h));
    generation_matches || hash_matches
}
