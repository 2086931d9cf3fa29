//! The verdict for 5,000 nodes with a realistic mix of labels and taints (issue 2 target: under
//! 5 ms, native release) on nodes read once (`plan_on`), what reading them once costs, `plan` on
//! the bare node list, and parsing the same cluster as `kubectl get nodes -o yaml`.
//!
//! Run: `cargo bench -p dslab-sim --bench plan`

use criterion::{criterion_group, criterion_main, Criterion};
use dslab_sim::scheduler::node_info::NodeSnapshot;
use dslab_sim::{parse_daemonset, parse_nodes, parse_pods, plan, plan_on, Mode, Nodes};
use std::hint::black_box;

const NODES: usize = 5_000;

/// A DaemonSet as real monitoring agents are written: nodeSelector, required node affinity with
/// two ORed terms, tolerations for the control plane and one dedicated pool, requests, a host port.
const DAEMONSET: &str = r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}
              - {key: node.kubernetes.io/instance-type, operator: NotIn, values: [t3.micro, t3.small]}
              - {key: example.com/pool, operator: DoesNotExist}
            - matchExpressions:
              - {key: example.com/pool, operator: In, values: [monitoring]}
              - {key: example.com/cores, operator: Gt, values: ["3"]}
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 10
            preference:
              matchExpressions:
              - {key: topology.kubernetes.io/zone, operator: In, values: [eu-west-1a]}
      tolerations:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
      - {key: dedicated, operator: Equal, value: monitoring, effect: NoExecute}
      - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 600}
      containers:
      - name: agent
        image: example.com/node-agent:2.4.1
        ports:
        - {containerPort: 9100, hostPort: 9100}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
"#;

const ZONES: [&str; 3] = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const TYPES: [(&str, &str, &str); 6] = [
    ("m6i.large", "2", "7829296Ki"),
    ("m6i.xlarge", "4", "15928492Ki"),
    ("c6g.2xlarge", "8", "15928492Ki"),
    ("r6i.large", "2", "15928492Ki"),
    ("t3.small", "2", "1928492Ki"),
    ("m7g.4xlarge", "16", "64128492Ki"),
];

/// `kubectl get nodes -o yaml` for a 5,000-node cluster: 5 control-plane nodes (tainted), a
/// dedicated monitoring pool (tolerated NoExecute), a GPU pool (untolerated NoExecute), some
/// PreferNoSchedule, some cordoned, some NotReady with both not-ready taints, a few Windows nodes.
fn nodes_yaml(n: usize) -> String {
    let mut s = String::with_capacity(n * 1200);
    s.push_str("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
    for i in 0..n {
        let name = format!(
            "ip-10-{}-{}-{}.eu-west-1.compute.internal",
            i / 65536 % 256,
            i / 256 % 256,
            i % 256
        );
        let (itype, cpu, mem) = TYPES[i % TYPES.len()];
        let arch = if itype.contains('g') { "arm64" } else { "amd64" };
        let os = if i % 50 == 49 { "windows" } else { "linux" };
        let zone = ZONES[i % 3];
        let control_plane = i < 5;
        let mut labels = format!(
            "      beta.kubernetes.io/arch: {arch}\n      beta.kubernetes.io/os: {os}\n      kubernetes.io/arch: {arch}\n      kubernetes.io/hostname: {name}\n      kubernetes.io/os: {os}\n      node.kubernetes.io/instance-type: {itype}\n      topology.kubernetes.io/region: eu-west-1\n      topology.kubernetes.io/zone: {zone}\n      example.com/cores: \"{cpu}\"\n"
        );
        let mut taints = Vec::new();
        if control_plane {
            labels.push_str("      node-role.kubernetes.io/control-plane: \"\"\n");
            taints.push("    - {effect: NoSchedule, key: node-role.kubernetes.io/control-plane}".to_string());
        } else if i % 10 == 0 {
            labels.push_str("      node-role.kubernetes.io/ingress: \"\"\n");
        }
        if i % 13 == 0 && !control_plane {
            labels.push_str("      example.com/pool: monitoring\n");
            taints.push("    - {effect: NoExecute, key: dedicated, value: monitoring}".into());
        } else if i % 17 == 0 && !control_plane {
            labels.push_str("      example.com/pool: gpu\n");
            taints.push("    - {effect: NoExecute, key: dedicated, value: gpu}".into());
            taints.push("    - {effect: NoSchedule, key: nvidia.com/gpu, value: present}".into());
        }
        if i % 7 == 0 {
            taints.push("    - {effect: PreferNoSchedule, key: example.com/spot}".into());
        }
        let cordoned = i % 23 == 0 && !control_plane;
        if cordoned {
            taints.push("    - {effect: NoSchedule, key: node.kubernetes.io/unschedulable, timeAdded: \"2025-03-12T13:05:00Z\"}".into());
        }
        let not_ready = i % 31 == 0 && !control_plane;
        if not_ready {
            taints.push("    - {effect: NoSchedule, key: node.kubernetes.io/not-ready}".into());
            taints.push("    - {effect: NoExecute, key: node.kubernetes.io/not-ready, timeAdded: \"2025-03-12T14:20:11Z\"}".into());
        }
        if i % 101 == 0 && !control_plane {
            taints.push("    - {effect: NoExecute, key: maintenance}".into());
        }
        let ready = if not_ready { "\"False\"" } else { "\"True\"" };
        s.push_str(&format!(
            "- apiVersion: v1\n  kind: Node\n  metadata:\n    annotations:\n      node.alpha.kubernetes.io/ttl: \"0\"\n      volumes.kubernetes.io/controller-managed-attach-detach: \"true\"\n    creationTimestamp: \"2025-03-10T09:02:31Z\"\n    labels:\n{labels}    name: {name}\n    resourceVersion: \"{rv}\"\n    uid: 0b6f1f0e-1a55-4c0e-9b7d-{i:012}\n  spec:\n    podCIDR: 10.{a}.{b}.0/24\n    providerID: aws:///{zone}/i-{i:017x}\n",
            rv = 900_000 + i,
            a = 100 + i / 256 % 100,
            b = i % 256,
        ));
        if cordoned {
            s.push_str("    unschedulable: true\n");
        }
        if !taints.is_empty() {
            s.push_str("    taints:\n");
            for t in &taints {
                s.push_str(t);
                s.push('\n');
            }
        }
        s.push_str(&format!(
            "  status:\n    allocatable:\n      cpu: \"{cpu}\"\n      ephemeral-storage: \"46202276164\"\n      memory: {mem}\n      pods: \"58\"\n    capacity:\n      cpu: \"{cpu}\"\n      memory: {mem}\n      pods: \"58\"\n    conditions:\n    - lastHeartbeatTime: \"2025-03-12T14:21:58Z\"\n      lastTransitionTime: \"2025-03-10T09:03:01Z\"\n      message: kubelet is posting ready status\n      reason: KubeletReady\n      status: {ready}\n      type: Ready\n    nodeInfo:\n      architecture: {arch}\n      kubeletVersion: v1.32.2\n      operatingSystem: {os}\n"
        ));
    }
    s
}

/// Pods of other workloads: `per_node` pods on each of the first `nodes` nodes, some with
/// requests, one in 40 holding host port 9100.
fn pods_yaml(nodes: usize, per_node: usize) -> String {
    let mut s = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..nodes {
        let node = format!(
            "ip-10-{}-{}-{}.eu-west-1.compute.internal",
            i / 65536 % 256,
            i / 256 % 256,
            i % 256
        );
        for j in 0..per_node {
            let port = if (i + j) % 40 == 0 {
                "\n      ports:\n      - {containerPort: 9100, hostPort: 9100}"
            } else {
                ""
            };
            s.push_str(&format!(
                "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web-{i}-{j}\n    namespace: shop\n    labels: {{app: web}}\n  spec:\n    nodeName: {node}\n    containers:\n    - name: web\n      image: example.com/web:1\n      resources:\n        requests: {{cpu: 250m, memory: 512Mi}}{port}\n  status:\n    phase: Running\n"
            ));
        }
    }
    s
}

fn bench(c: &mut Criterion) {
    let ds = parse_daemonset(DAEMONSET.as_bytes(), "ds.yaml").expect("daemonset");
    let text = nodes_yaml(NODES);
    let nodes = parse_nodes(text.as_bytes(), "nodes.yaml").expect("nodes");
    assert_eq!(nodes.len(), NODES);

    // Print the mix once so the figures can be read against it.
    let p = plan(&ds, &nodes, &[], Mode::Current);
    eprintln!("nodes YAML: {:.1} MB; {}", text.len() as f64 / 1e6, p.summary);

    // The verdict on nodes read once (`Nodes`: the list and its snapshot), as the app re-plans
    // on each DaemonSet edit; then the snapshot alone, and `plan`, which reads each node's own
    // maps (one verdict, as the CLI makes).
    let read_once = Nodes::new(nodes.clone());
    for mode in [Mode::Current, Mode::Legacy] {
        assert_eq!(plan_on(&ds, &read_once, &[], mode), plan(&ds, &nodes, &[], mode));
    }
    c.bench_function("plan 5000 nodes (current)", |b| {
        b.iter(|| plan_on(black_box(&ds), black_box(&read_once), &[], Mode::Current))
    });
    c.bench_function("plan 5000 nodes (legacy)", |b| {
        b.iter(|| plan_on(black_box(&ds), black_box(&read_once), &[], Mode::Legacy))
    });
    c.bench_function("node snapshot of 5000 parsed nodes", |b| {
        b.iter(|| NodeSnapshot::of(black_box(&nodes)))
    });
    c.bench_function("plan 5000 nodes, each node read directly (current)", |b| {
        b.iter(|| plan(black_box(&ds), black_box(&nodes), &[], Mode::Current))
    });

    // With other pods on the nodes (kubectl get pods -A): 1 pod on each of 1,000 nodes.
    let pods = parse_pods(pods_yaml(1_000, 1).as_bytes(), "pods.yaml").expect("pods");
    let mut g = c.benchmark_group("with pods");
    g.sample_size(10);
    g.bench_function("plan 5000 nodes + 1000 pods (current)", |b| {
        b.iter(|| {
            plan_on(
                black_box(&ds),
                black_box(&read_once),
                black_box(&pods),
                Mode::Current,
            )
        })
    });
    g.finish();

    // What `dslab plan` costs on the file (read the nodes, then the verdict), beside a generic
    // YAML parse of the same text: the floor any typed reading stands on.
    let mut g = c.benchmark_group("dslab plan vs generic parse");
    g.sample_size(10);
    g.bench_function("generic serde_yaml::Value parse of the 5000-node file", |b| {
        b.iter(|| serde_yaml::from_str::<serde_yaml::Value>(black_box(&text)).unwrap())
    });
    g.bench_function("dslab plan: parse_nodes + plan on the 5000-node file", |b| {
        b.iter(|| {
            let nodes = parse_nodes(black_box(text.as_bytes()), "nodes.yaml").unwrap();
            plan(&ds, &nodes, &[], Mode::Current)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("parse");
    g.sample_size(10);
    g.bench_function("parse_nodes kubectl List of 5000 nodes", |b| {
        b.iter(|| parse_nodes(black_box(text.as_bytes()), "nodes.yaml").unwrap())
    });
    g.bench_function("parse_daemonset", |b| {
        b.iter(|| parse_daemonset(black_box(DAEMONSET.as_bytes()), "ds.yaml").unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
