//! What the audit reads of a dumped pod: its key and where it is in its life (§4).

use k8s_openapi::api::core::v1::Pod;

/// `NAMESPACE/NAME` of a pod.
pub(crate) fn pod_key(p: &Pod) -> String {
    format!(
        "{}/{}",
        p.metadata.namespace.as_deref().unwrap_or("default"),
        p.metadata.name.as_deref().unwrap_or_default()
    )
}

fn phase(p: &Pod) -> Option<&str> {
    p.status.as_ref().and_then(|s| s.phase.as_deref())
}

pub(crate) fn is_terminal(p: &Pod) -> bool {
    matches!(phase(p), Some("Succeeded") | Some("Failed"))
}

pub(crate) fn is_terminating(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

/// The pod's Ready condition is True (`podutil.IsPodReady`).
pub(crate) fn is_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}
