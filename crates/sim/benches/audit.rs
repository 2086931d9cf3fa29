//! `dslab audit` on a 5,000-node dump with 3 DaemonSets and their pods (issue 16 target: at most
//! 2× a generic `serde_yaml::Value` parse of the same file), native release.
//!
//! The dump is `scripts/make-dump.py --nodes 5000 --outdated 10` (kubectl's shape, managedFields
//! included, 10% of each DaemonSet's pods on the previous template, so every audit also simulates
//! the rest of a rollout). It is read from `$DSLAB_AUDIT_DUMP`, else `target/dump-5k-audit.yaml`,
//! which is written on first use.
//!
//! - `generic parse`: `serde_yaml::from_str::<Value>` of the text, the yardstick;
//! - `dslab audit (parse + audit)`: what `dslab audit FILE -o json` does, printing aside;
//! - `audit of parsed objects`: the audit alone;
//! - `what-if rollout, 1000 nodes`: `simulate_rollout` of one DaemonSet on the first 1,000 nodes
//!   under maxUnavailable 10% (what the app's what-if chart recomputes on a change).
//!
//! Run: `cargo bench -p dslab-sim --bench audit`

use criterion::{criterion_group, criterion_main, Criterion};
use dslab_sim::api::parse_manifests;
use dslab_sim::audit::{audit, format, parse_strategy, simulate_rollout};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn dump() -> String {
    let path = std::env::var_os("DSLAB_AUDIT_DUMP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../target/dump-5k-audit.yaml"
            ))
        });
    if !path.exists() {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/make-dump.py");
        let out = std::process::Command::new("python3")
            .args([script, "--nodes", "5000", "--outdated", "10"])
            .output()
            .expect("run scripts/make-dump.py (python3 with PyYAML)");
        assert!(
            out.status.success(),
            "make-dump.py: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(&path, &out.stdout).expect("write the dump");
    }
    std::fs::read_to_string(&path).expect("read the dump")
}

fn bench(c: &mut Criterion) {
    let text = dump();
    let parsed = parse_manifests(text.as_bytes(), "dump.yaml").expect("dump parses");
    let report = audit(parsed.clone()).expect("dump audits");
    eprintln!(
        "dump: {:.1} MB, {} DaemonSets, {} nodes, {} pods; {}",
        text.len() as f64 / 1e6,
        parsed.daemonsets.len(),
        parsed.nodes.len(),
        parsed.pods.len(),
        report.summary
    );
    let mut g = c.benchmark_group("dslab audit vs generic parse");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("generic parse (serde_yaml::Value)", |b| {
        b.iter(|| serde_yaml::from_str::<serde_yaml::Value>(black_box(&text)).expect("yaml"))
    });
    g.bench_function("dslab audit (parse + audit + JSON)", |b| {
        b.iter(|| {
            let m = parse_manifests(black_box(text.as_bytes()), "dump.yaml").expect("parse");
            format::json(&audit(m).expect("audit"))
        })
    });
    g.bench_function("audit of parsed objects", |b| {
        b.iter_batched(
            || parsed.clone(),
            |m| audit(m).expect("audit"),
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();

    let nodes = &parsed.nodes[..1000];
    let names: std::collections::HashSet<&str> =
        nodes.iter().filter_map(|n| n.metadata.name.as_deref()).collect();
    let pods: Vec<_> = parsed
        .pods
        .iter()
        .filter(|p| {
            let node = p.spec.as_ref().and_then(|s| s.node_name.as_deref());
            node.is_some_and(|n| names.contains(n))
        })
        .cloned()
        .collect();
    let ds = &parsed.daemonsets[0];
    let what_if = parse_strategy("maxUnavailable=10%,maxSurge=0").expect("strategy");
    let s = simulate_rollout(ds, nodes, &pods, Some(&what_if)).expect("simulates");
    eprintln!(
        "what-if on 1000 nodes: {} pods to replace, {} points, finished {}, peak unavailable {}",
        s.pods_to_replace,
        s.points.len(),
        s.finished,
        s.peak_unavailable
    );
    c.bench_function("what-if rollout, 1000 nodes", |b| {
        b.iter(|| {
            simulate_rollout(black_box(ds), black_box(nodes), &pods, Some(&what_if)).expect("simulates")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
