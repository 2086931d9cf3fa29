//! Template hashes for the `controller-revision-hash` label (semantics §7.7).
//!
//! Kubernetes' `controller.ComputeHash` hashes the Go struct of the template (FNV-32a over a
//! deep-print of it) plus `collisionCount`, and prints the number with `rand.SafeEncodeString`.
//! We hash the template's canonical JSON instead, so the hashes are stable and deterministic but
//! not equal to a real cluster's (the app says so).

use crate::api::SpecOf;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;
/// `rand.SafeEncodeString` alphabet: no vowels, no look-alikes, so hashes never spell words.
const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn fnv32a(bytes: &[u8], mut h: u32) -> u32 {
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of a pod template with a collision count, in Kubernetes' printed form.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: i32) -> String {
    // Through a YAML value, the one serializer the core uses for API types: one copy of the
    // (large) serialization code in the wasm. The JSON text is the same: fields keep their order.
    let value = serde_yaml::to_value(template).unwrap_or(serde_yaml::Value::Null);
    let json = serde_json::to_vec(&value).unwrap_or_default();
    let mut h = fnv32a(&json, FNV_OFFSET);
    if collision_count != 0 {
        h = fnv32a(&collision_count.to_le_bytes(), h);
    }
    h.to_string()
        .bytes()
        .map(|b| SAFE[usize::from(b) % SAFE.len()] as char)
        .collect()
}

/// The hash of a DaemonSet's current template.
pub fn template_hash(ds: &DaemonSet) -> String {
    let collisions = ds.status.as_ref().and_then(|s| s.collision_count).unwrap_or(0);
    compute_hash(&ds.spec().template, collisions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec};

    fn template(image: &str) -> PodTemplateSpec {
        PodTemplateSpec {
            metadata: None,
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "c".into(),
                    image: Some(image.into()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
        }
    }

    #[test]
    fn hash_is_stable_and_template_sensitive() {
        let a = compute_hash(&template("nginx:1"), 0);
        assert_eq!(a, compute_hash(&template("nginx:1"), 0), "deterministic");
        assert_ne!(a, compute_hash(&template("nginx:2"), 0), "image change");
        assert_ne!(a, compute_hash(&template("nginx:1"), 1), "collision count");
        assert!(a.bytes().all(|b| SAFE.contains(&b)), "safe alphabet: {a}");
        assert!(fnv32a(b"", FNV_OFFSET) == FNV_OFFSET);
        assert_eq!(fnv32a(b"a", FNV_OFFSET), 0xe40c_292c, "FNV-1a test vector");
    }
}
