//! A DaemonSet's `spec.updateStrategy` as the API server defaults it (`SetDefaults_DaemonSet`:
//! RollingUpdate with maxUnavailable 1 and maxSurge 0 when not given), and as `kubectl describe`
//! prints it. A leaf: the store's views and the rolling update both read the strategy here.
//!
//! Source: `pkg/apis/apps/v1/defaults.go`.

use crate::api::SpecOf;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// `OnDelete`: pods are replaced only when someone deletes them.
pub fn is_on_delete(ds: &DaemonSet) -> bool {
    ds.spec()
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        == Some("OnDelete")
}

/// (maxSurge, maxUnavailable) as written or defaulted, not yet resolved against a node count.
pub fn rolling_params(ds: &DaemonSet) -> (IntOrString, IntOrString) {
    let ru = ds
        .spec()
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.clone())
        .unwrap_or_default();
    (
        ru.max_surge.unwrap_or(IntOrString::Int(0)),
        ru.max_unavailable.unwrap_or(IntOrString::Int(1)),
    )
}

/// `RollingUpdate (maxUnavailable 1, maxSurge 0)` or `OnDelete`, as `kubectl describe` prints it.
pub fn strategy_text(ds: &DaemonSet) -> String {
    if is_on_delete(ds) {
        return "OnDelete".into();
    }
    let (s, u) = rolling_params(ds);
    let show = |v: &IntOrString| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    format!(
        "RollingUpdate (maxUnavailable {}, maxSurge {})",
        show(&u),
        show(&s)
    )
}
