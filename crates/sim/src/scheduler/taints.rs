//! Taints and tolerations (semantics §5).
//!
//! Sources: `staging/src/k8s.io/api/core/v1/toleration.go` (`ToleratesTaint`, `MatchToleration`),
//! `staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go`
//! (`TolerationsTolerateTaint`, `FindMatchingUntoleratedTaint`).

use k8s_openapi::api::core::v1::{Taint, Toleration};

/// Does one toleration tolerate one taint? Effect (empty = all), key (empty = all), then the
/// operator: Equal (the default) compares values, Exists accepts any value.
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    let effect = t.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" | "" => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        // Lt/Gt need an alpha feature gate (off by default); validation refuses them.
        _ => false,
    }
}

pub fn tolerated_by(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| tolerates(t, taint))
}

/// The taints whose effect is in `effects` and that no toleration tolerates, in node order.
pub fn untolerated<'a>(taints: &'a [Taint], tolerations: &[Toleration], effects: &[&str]) -> Vec<&'a Taint> {
    untolerated_iter(taints, tolerations, effects).collect()
}

/// `untolerated` without collecting: most nodes have none, and a verdict asks of every node.
pub fn untolerated_iter<'a, 'b>(
    taints: &'a [Taint],
    tolerations: &'b [Toleration],
    effects: &'b [&'b str],
) -> impl Iterator<Item = &'a Taint> + use<'a, 'b> {
    taints
        .iter()
        .filter(move |t| effects.contains(&t.effect.as_str()) && !tolerated_by(tolerations, t))
}

/// `key=value:Effect`, or `key:Effect` without a value, as kubectl prints taints.
pub fn format_taint(t: &Taint) -> String {
    match t.value.as_deref() {
        Some(v) if !v.is_empty() => format!("{}={}:{}", t.key, v, t.effect),
        _ => format!("{}:{}", t.key, t.effect),
    }
}

/// The scheduler's way of printing a taint in FailedScheduling: `{key: value}`.
pub fn scheduler_taint(t: &Taint) -> String {
    format!("{{{}: {}}}", t.key, t.value.as_deref().unwrap_or(""))
}

/// How long a pod may stay on a node with this NoExecute taint: the shortest `tolerationSeconds`
/// among the tolerations that match it (0 or less means at once), or None (forever) when no
/// matching toleration sets one. This is `getMinTolerationTime` of the taint-eviction controller:
/// a toleration without seconds does NOT override a matching one with seconds.
pub fn toleration_seconds(tolerations: &[Toleration], taint: &Taint) -> Option<i64> {
    tolerations
        .iter()
        .filter(|t| tolerates(t, taint))
        .filter_map(|t| t.toleration_seconds)
        .map(|s| s.max(0))
        .min()
}

#[cfg(test)]
pub(crate) fn taint(key: &str, value: &str, effect: &str) -> Taint {
    Taint {
        key: key.into(),
        value: (!value.is_empty()).then(|| value.into()),
        effect: effect.into(),
        time_added: None,
    }
}

#[cfg(test)]
pub(crate) fn toleration(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Toleration {
        key: opt(key),
        operator: opt(op),
        value: opt(value),
        effect: opt(effect),
        toleration_seconds: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases after `TestTolerationToleratesTaint` in toleration_test.go.
    #[test]
    fn toleration_matches_taint() {
        let cases = [
            (
                "same key, value, effect",
                toleration("foo", "Equal", "bar", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "empty operator means Equal",
                toleration("foo", "", "bar", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "different value",
                toleration("foo", "Equal", "baz", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
            (
                "Exists ignores value",
                toleration("foo", "Exists", "", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "different effect",
                toleration("foo", "Exists", "", "NoSchedule"),
                taint("foo", "bar", "NoExecute"),
                false,
            ),
            (
                "empty effect matches all effects",
                toleration("foo", "Exists", "", ""),
                taint("foo", "bar", "NoExecute"),
                true,
            ),
            (
                "empty key with Exists tolerates everything",
                toleration("", "Exists", "", ""),
                taint("anything", "x", "NoExecute"),
                true,
            ),
            (
                "empty key with Exists and an effect",
                toleration("", "Exists", "", "NoSchedule"),
                taint("anything", "x", "NoExecute"),
                false,
            ),
            (
                "Equal with no value tolerates a taint with no value",
                toleration("node.kubernetes.io/not-ready", "", "", "NoExecute"),
                taint("node.kubernetes.io/not-ready", "", "NoExecute"),
                true,
            ),
            (
                "Equal with no value does not tolerate a valued taint",
                toleration("dedicated", "Equal", "", "NoSchedule"),
                taint("dedicated", "db", "NoSchedule"),
                false,
            ),
            (
                "different key",
                toleration("foo", "Exists", "", ""),
                taint("bar", "", "NoSchedule"),
                false,
            ),
        ];
        for (name, tol, t, want) in cases {
            assert_eq!(tolerates(&tol, &t), want, "{name}");
        }
    }

    #[test]
    fn untolerated_filters_effects() {
        let taints = vec![
            taint("a", "", "NoSchedule"),
            taint("b", "", "PreferNoSchedule"),
            taint("c", "", "NoExecute"),
        ];
        let tols = vec![toleration("c", "Exists", "", "")];
        let got: Vec<_> = untolerated(&taints, &tols, &["NoSchedule", "NoExecute"])
            .iter()
            .map(|t| t.key.clone())
            .collect();
        assert_eq!(got, ["a"]);
        assert_eq!(format_taint(&taint("k", "v", "NoSchedule")), "k=v:NoSchedule");
        assert_eq!(format_taint(&taint("k", "", "NoExecute")), "k:NoExecute");
    }

    #[test]
    fn toleration_seconds_is_the_shortest_window_of_the_matching_tolerations() {
        let t = taint("dedicated", "db", "NoExecute");
        let mut limited = toleration("dedicated", "Exists", "", "NoExecute");
        limited.toleration_seconds = Some(60);
        assert_eq!(toleration_seconds(std::slice::from_ref(&limited), &t), Some(60));
        let forever = toleration("", "Exists", "", "");
        assert_eq!(
            toleration_seconds(&[limited, forever.clone()], &t),
            Some(60),
            "a forever toleration does not win"
        );
        assert_eq!(toleration_seconds(&[forever], &t), None);
    }
}
