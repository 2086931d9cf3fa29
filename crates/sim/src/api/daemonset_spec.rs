//! A DaemonSet's `spec`, as every reader of the core wants it: always there.
//!
//! k8s-openapi 0.26 (Kubernetes 1.34 types, the last release on `chrono`) models `spec` as an
//! `Option`; a DaemonSet without one reads as the empty spec, as later releases do. (The 0.27+
//! releases swap chrono for jiff, whose time-zone parser and error texts cost the wasm ~40 KB gzip
//! for the one thing we do with times: read and print RFC 3339 timestamps.)

use std::sync::LazyLock;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};

static EMPTY: LazyLock<DaemonSetSpec> = LazyLock::new(DaemonSetSpec::default);

pub trait SpecOf {
    /// The spec, or the empty one when the object has none.
    fn spec(&self) -> &DaemonSetSpec;
    /// The spec to change, made empty first when the object has none.
    fn spec_mut(&mut self) -> &mut DaemonSetSpec;
}

impl SpecOf for DaemonSet {
    fn spec(&self) -> &DaemonSetSpec {
        self.spec.as_ref().unwrap_or(&EMPTY)
    }

    fn spec_mut(&mut self) -> &mut DaemonSetSpec {
        self.spec.get_or_insert_with(DaemonSetSpec::default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_spec_reads_as_the_empty_one_and_is_made_on_change() {
        let mut ds = DaemonSet::default();
        assert_eq!(ds.spec(), &DaemonSetSpec::default());
        assert!(ds.spec.is_none());
        ds.spec_mut().min_ready_seconds = Some(5);
        assert_eq!(ds.spec.as_ref().and_then(|s| s.min_ready_seconds), Some(5));
    }
}
