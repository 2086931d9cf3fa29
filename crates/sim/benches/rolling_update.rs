//! A RollingUpdate across 5,000 nodes with maxUnavailable 10% (issue 3 target: from the template
//! change until settled under 200 ms, native release). The scenario is built in code.
//!
//! - `rolling_update/update_only`: the cluster starts with 5,000 old pods Running and Ready (pods of
//!   the old template's hash, owned by the DaemonSet) and the DaemonSet already on the new
//!   template: the run is the rollout alone, until settled. This is the figure for the target.
//! - `rolling_update/full_run`: from an empty cluster: initial settle (5,000 creates, binds, pulls,
//!   starts), then the template change, until settled.
//! - `rolling_update/settle_only`: the initial settle alone (full_run − settle_only ≈ the rollout).
//!
//! Run: `cargo bench -p dslab-sim --bench rolling_update`

use criterion::{criterion_group, criterion_main, Criterion};
use dslab_sim::cluster::{Actor, Outcome};
use dslab_sim::controller::daemonset::history::compute_hash;
use dslab_sim::k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet,
};
use dslab_sim::k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec, PodTemplateSpec};
use dslab_sim::k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use dslab_sim::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use dslab_sim::simulate::{Action, ScenarioEvent, TemplateChange};
use dslab_sim::{Mode, Scenario, Timeline};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

const NODES: usize = 5_000;
const OLD: &str = "registry.k8s.io/kube-proxy:v1.30.4";
const NEW: &str = "registry.k8s.io/kube-proxy:v1.31.0";

fn labels() -> BTreeMap<String, String> {
    BTreeMap::from([("k8s-app".to_string(), "kube-proxy".to_string())])
}

fn template(image: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels()),
            ..Default::default()
        }),
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "kube-proxy".into(),
                image: Some(image.into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
    }
}

fn daemonset(image: &str) -> DaemonSet {
    DaemonSet {
        metadata: ObjectMeta {
            name: Some("kube-proxy".into()),
            namespace: Some("kube-system".into()),
            uid: Some("00000000-0000-4000-8000-000000000001".into()),
            ..Default::default()
        },
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(labels()),
                ..Default::default()
            },
            template: template(image),
            update_strategy: Some(DaemonSetUpdateStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDaemonSet {
                    max_unavailable: Some(IntOrString::String("10%".into())),
                    max_surge: Some(IntOrString::Int(0)),
                }),
            }),
            ..Default::default()
        }),
        status: None,
    }
}

fn nodes() -> Vec<Node> {
    (0..NODES)
        .map(|i| Node {
            metadata: ObjectMeta {
                name: Some(format!("node-{i:05}")),
                ..Default::default()
            },
            ..Default::default()
        })
        .collect()
}

fn scenario(ds: DaemonSet, pods: Vec<Pod>, events: Vec<ScenarioEvent>) -> Scenario {
    Scenario {
        title: None,
        mode: Mode::Current,
        daemonsets: vec![ds],
        nodes: nodes(),
        pods,
        events,
        until: None,
    }
}

fn update_event() -> ScenarioEvent {
    ScenarioEvent {
        index: 0,
        line: 0,
        at: None,
        daemonset: None,
        action: Action::UpdateTemplate {
            change: TemplateChange::Image {
                image: NEW.into(),
                container: None,
            },
            outcome: Outcome::Healthy,
        },
    }
}

/// 5,000 Running old-template pods, owned by the DaemonSet, one per node.
fn old_pods() -> Vec<Pod> {
    let hash = compute_hash(&template(OLD), 0);
    (0..NODES)
        .map(|i| {
            let mut l = labels();
            l.insert("controller-revision-hash".into(), hash.clone());
            Pod {
                metadata: ObjectMeta {
                    name: Some(format!("kube-proxy-old{i:05}")),
                    namespace: Some("kube-system".into()),
                    labels: Some(l),
                    owner_references: Some(vec![OwnerReference {
                        api_version: "apps/v1".into(),
                        kind: "DaemonSet".into(),
                        name: "kube-proxy".into(),
                        uid: "00000000-0000-4000-8000-000000000001".into(),
                        controller: Some(true),
                        block_owner_deletion: Some(true),
                    }]),
                    ..Default::default()
                },
                spec: Some(PodSpec {
                    node_name: Some(format!("node-{i:05}")),
                    ..template(OLD).spec.unwrap()
                }),
                status: None,
            }
        })
        .collect()
}

fn check(t: &Timeline, what: &str) {
    assert!(t.settled && !t.truncated, "{what}: did not settle");
    let s = &t.final_view.daemonsets[0].status;
    assert_eq!(s.desired_number_scheduled, NODES as i64, "{what}");
    assert_eq!(s.number_available, NODES as i64, "{what}");
    let max_unavailable = t
        .steps
        .iter()
        .skip_while(|s| s.actor != Actor::User)
        .filter_map(|s| s.status.as_ref())
        .map(|s| s.number_unavailable)
        .max()
        .unwrap_or(0);
    eprintln!(
        "{what}: {} steps, t={}s, peak unavailable during the rollout {max_unavailable}",
        t.steps.len(),
        t.final_view.time
    );
}

fn bench(c: &mut Criterion) {
    let update_only = scenario(daemonset(NEW), old_pods(), Vec::new());
    let full = scenario(daemonset(OLD), Vec::new(), vec![update_event()]);
    let settle = scenario(daemonset(OLD), Vec::new(), Vec::new());

    let t = dslab_sim::run(&update_only);
    check(&t, "update_only");
    assert!(t.final_view.pods.iter().all(|p| p.image == NEW));
    let t = dslab_sim::run(&full);
    check(&t, "full_run");
    assert!(t.final_view.pods.iter().all(|p| p.image == NEW));
    drop(t);

    let mut g = c.benchmark_group("rolling_update");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("update_only", |b| {
        b.iter(|| dslab_sim::run(black_box(&update_only)))
    });
    g.bench_function("full_run", |b| b.iter(|| dslab_sim::run(black_box(&full))));
    g.bench_function("settle_only", |b| b.iter(|| dslab_sim::run(black_box(&settle))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
