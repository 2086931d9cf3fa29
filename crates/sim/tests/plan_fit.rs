//! Table tests of the per-node verdict (over real YAML text), fitting on the node: resources and
//! host ports; the JSON shape of a plan and the shipped examples.
//!
//! Every case is named after the Kubernetes behaviour it pins and cites the source file given in
//! `shared/k8s-daemonset-semantics.md` (the § in brackets). Each case asserts, per node, the
//! controller's two answers with their reason codes AND message fragments, and the scheduler's
//! (or, in legacy mode, the controller's) placement verdict with its codes and text.

mod plan_support;

use plan_support::*;

// ---------------------------------------------------------------------------------------------
// §1.3, §9.1, §9.2: resources are the scheduler's business
// ---------------------------------------------------------------------------------------------

fn requesting(cpu: &str, memory: &str) -> String {
    ds_with(
        &format!("- name: agent\n  image: example.com/agent:1.0\n  resources:\n    requests:\n      cpu: {cpu}\n      memory: {memory}"),
        "",
    )
}

#[test]
fn resources() {
    const SRC: &str = "daemon_controller_test.go TestNodeShouldRunDaemonPod (200M on a 100M node); scheduler plugins/noderesources/fit.go; framework/types.go FitError";
    let busy = docs(&[
        other_pod(
            "web-1",
            "small",
            "resources:\n  requests:\n    cpu: 600m\n    memory: 1Gi",
        ),
        other_pod("web-2", "small", "resources:\n  requests:\n    cpu: 300m"),
        other_pod("done", "small", "resources:\n  requests:\n    cpu: \"4\"")
            .replace("phase: Running", "phase: Succeeded"),
    ]);
    check_all(vec![
        case(
            "insufficient cpu: shouldRun true, the pod stays Pending with FailedScheduling",
            SRC,
            requesting("2", "64Mi"),
            docs(&[sized("small", "1", "2Gi", "110"), sized("big", "8", "16Gi", "110"), sized("big-2", "8", "16Gi", "110")]),
        )
        .desired(3)
        .expect(vec![
            runs("small").unschedulable(&[InsufficientResources], &[
                "Insufficient cpu",
                "FailedScheduling: 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
                "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
            ]),
            runs("big").bound_by(Binder::Scheduler),
        ]),
        case(
            "insufficient memory, counting the requests of pods already there (finished pods do not count)",
            SRC,
            requesting("100m", "1536Mi"),
            docs(&[sized("small", "1", "2Gi", "110"), sized("big", "8", "16Gi", "110")]),
        )
        .pods(busy.clone())
        .desired(2)
        .expect(vec![
            runs("small").unschedulable(&[InsufficientResources], &[
                "Insufficient memory",
                "0/2 nodes are available: 1 Insufficient memory, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            ]),
            runs("big"),
        ]),
        case(
            "cpu and memory both short: every failing resource of the node is reported",
            SRC,
            requesting("500m", "1536Mi"),
            docs(&[sized("small", "1", "2Gi", "110")]),
        )
        .pods(busy.clone())
        .desired(1)
        .expect(vec![runs("small").unschedulable(&[InsufficientResources, InsufficientResources], &[
            "Insufficient cpu",
            "Insufficient memory",
            "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.",
        ])]),
        case(
            "pod count full: Too many pods",
            SRC,
            requesting("10m", "10Mi"),
            docs(&[sized("small", "8", "16Gi", "2"), sized("big", "8", "16Gi", "110")]),
        )
        .pods(busy.clone())
        .desired(2)
        .expect(vec![
            runs("small").unschedulable(&[InsufficientResources], &[
                "Too many pods",
                "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            ]),
            runs("big"),
        ]),
        case(
            "a node without status.allocatable: resources are not checked, and that is said",
            "scheduler plugins/noderesources/fit.go (no allocatable reported) — dslab note",
            requesting("64", "512Gi"),
            labeled("bare", &[], ""),
        )
        .desired(1)
        .expect(vec![runs("bare").notes(&["no status.allocatable", "not checked"])]),
        case(
            "legacy mode: insufficient resources keep the node desired, but the controller does not place the pod (FailedPlacement)",
            "old daemon_controller.go nodeShouldRunDaemonPod, GeneralPredicates (§3.2)",
            requesting("2", "64Mi"),
            docs(&[sized("small", "1", "2Gi", "110"), sized("big", "8", "16Gi", "110")]),
        )
        .legacy()
        .desired(2)
        .expect(vec![
            runs("small")
                .bound_by(Binder::DaemonsetController)
                .unschedulable(&[InsufficientResources], &["FailedPlacement: failed to place pod on \"small\"", "Insufficient cpu"]),
            runs("big").bound_by(Binder::DaemonsetController),
        ]),
    ]);
    // The event must not mention preemption when there is nothing to preempt? It does: Kubernetes
    // appends the PostFilter result. Check that the FailedScheduling event is the only event text.
    let p = run_plan(&case(
        "",
        "",
        requesting("2", "64Mi"),
        sized("small", "1", "2Gi", "110"),
    ));
    let ev = p.nodes[0].scheduler.event.clone().unwrap();
    assert!(
        ev.starts_with("FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu."),
        "{ev}"
    );
    assert!(
        p.summary.contains("1 stay Pending (1 insufficient-resources)"),
        "{}",
        p.summary
    );
}

// ---------------------------------------------------------------------------------------------
// §1.3, §3.2, §9.1: host ports
// ---------------------------------------------------------------------------------------------

fn with_port(port: &str) -> String {
    ds_with(
        &format!("- name: agent\n  image: example.com/agent:1.0\n  ports:\n  - {port}"),
        "",
    )
}

#[test]
fn host_ports() {
    const SRC: &str = "scheduler plugins/nodeports; framework/types.go HostPortInfo.CheckConflict";
    let nodes = || docs(&[labeled("n1", &[], ""), labeled("n2", &[], "")]);
    let pods = || {
        docs(&[
            other_pod(
                "exporter",
                "n1",
                "ports:\n- {containerPort: 9100, hostPort: 9100}",
            ),
            other_pod(
                "dns",
                "n2",
                "ports:\n- {containerPort: 53, hostPort: 53, protocol: UDP, hostIP: 10.0.0.2}",
            ),
        ])
    };
    check_all(vec![
        case(
            "host-port conflict, current mode: shouldRun true (controller ignores ports), scheduler rejects",
            "daemon_controller_test.go TestNodeShouldRunDaemonPod ErrPodNotFitsHostPorts case; nodeports (§1.3, §9.1)",
            with_port("{containerPort: 9100, hostPort: 9100}"),
            nodes(),
        )
        .pods(pods())
        .desired(2)
        .expect(vec![
            runs("n1").unschedulable(&[HostPortConflict], &[
                "node(s) didn't have free ports for the requested pod ports",
                "host port 9100/TCP is used by pod exporter",
                "FailedScheduling: 0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            ]),
            runs("n2"),
        ]),
        case(
            "host-port conflict, legacy mode: the controller's GeneralPredicates say no pod at all",
            "old daemon_controller.go nodeShouldRunDaemonPod (§3.2)",
            with_port("{containerPort: 9100, hostPort: 9100}"),
            nodes(),
        )
        .pods(pods())
        .legacy()
        .desired(1)
        .expect(vec![
            runs("n1")
                .stops(HostPortConflict, &["host port 9100/TCP is already used by pod exporter", "legacy controller: the pod is not created"]),
            runs("n2").bound_by(Binder::DaemonsetController),
        ]),
        case(
            "hostNetwork: every containerPort is a host port",
            "API defaulting (hostPort = containerPort with hostNetwork); nodeports (§9.1)",
            ds_with("- name: agent\n  image: example.com/agent:1.0\n  ports:\n  - containerPort: 9100", "hostNetwork: true"),
            nodes(),
        )
        .pods(pods())
        .desired(2)
        .expect(vec![runs("n1").unschedulable(&[HostPortConflict], &["host port 9100/TCP"]), runs("n2")]),
        case(
            "no conflict: other protocol, or two different specific host IPs",
            SRC,
            with_port("{containerPort: 53, hostPort: 53, protocol: UDP, hostIP: 10.0.0.3}"),
            nodes(),
        )
        .pods(pods())
        .desired(2)
        .expect(vec![runs("n1"), runs("n2")]),
        case(
            "conflict: same protocol and port, one side on the wildcard address",
            SRC,
            with_port("{containerPort: 53, hostPort: 53, protocol: UDP}"),
            nodes(),
        )
        .pods(pods())
        .desired(2)
        .expect(vec![runs("n1"), runs("n2").unschedulable(&[HostPortConflict], &["host port 53/UDP is used by pod dns"])]),
        case(
            "a pod of the DaemonSet itself does not conflict with the DaemonSet",
            "pkg/controller/daemon/daemon_controller.go (own pods are not 'other pods') — dslab",
            with_port("{containerPort: 9100, hostPort: 9100}"),
            nodes(),
        )
        .pods(
            other_pod("agent-abcde", "n1", "ports:\n- {containerPort: 9100, hostPort: 9100}")
                .replace("namespace: default", "namespace: kube-system")
                .replace("app: agent-abcde", "app: agent"),
        )
        .desired(2)
        .expect(vec![runs("n1"), runs("n2")]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// Whole-plan facts: JSON shape, summary, a realistic kubectl List
// ---------------------------------------------------------------------------------------------

#[test]
fn plan_json_has_the_documented_shape() {
    let c = case(
        "",
        "",
        ds("nodeSelector:\n  kubernetes.io/os: linux"),
        docs(&[
            sized("w1", "4", "8Gi", "110"),
            tainted("cp", "node-role.kubernetes.io/control-plane", "", "NoSchedule"),
        ]),
    );
    let p = run_plan(&c);
    let j = serde_json::to_value(&p).unwrap();
    assert_eq!(j["daemonset"], "kube-system/agent");
    assert_eq!(j["mode"], "current");
    assert_eq!(j["desiredNumberScheduled"], 1);
    let nodes = j["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    for n in nodes {
        for key in [
            "name",
            "shouldRun",
            "shouldContinueRunning",
            "reasons",
            "scheduler",
        ] {
            assert!(n.get(key).is_some(), "missing {key} in {n}");
        }
        assert!(n["scheduler"]["reasons"].is_array());
    }
    // The pod the controller creates on node 0 can be bound; on node 1 none is created: null.
    assert_eq!(nodes[0]["scheduler"]["schedulable"], true);
    assert!(nodes[1]["scheduler"]["schedulable"].is_null());
    assert_eq!(nodes[1]["reasons"][0]["code"], "node-selector");
    assert!(nodes[1]["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("nodeSelector kubernetes.io/os=linux but the node has no label kubernetes.io/os"));
    // codes serialize kebab-case, as documented
    for (code, text) in [
        (NodeNameMismatch, "node-name-mismatch"),
        (NodeSelector, "node-selector"),
        (NodeAffinity, "node-affinity"),
        (UntoleratedTaint, "untolerated-taint"),
        (InsufficientResources, "insufficient-resources"),
        (HostPortConflict, "host-port-conflict"),
        (Unschedulable, "unschedulable"),
    ] {
        assert_eq!(serde_json::to_value(code).unwrap(), text);
        assert_eq!(code.as_str(), text);
    }
}

#[test]
fn examples_log_agent_on_kubectl_node_list() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/");
    let ds = std::fs::read(format!("{root}log-agent.yaml")).unwrap();
    let nodes = std::fs::read(format!("{root}nodes-list.yaml")).unwrap();
    let ds = parse_daemonset(&ds, "log-agent.yaml").unwrap();
    let nodes = parse_nodes(&nodes, "nodes-list.yaml").unwrap();
    let p = plan(&ds, &nodes, &[], Mode::Current);
    assert_eq!(p.daemonset, "logging/fluent-bit");
    assert_eq!(p.desired_number_scheduled, 2);
    let cp = &p.nodes[0];
    assert_eq!(cp.name, "control-plane");
    assert_eq!((cp.should_run, cp.should_continue_running), (false, true));
    assert!(cp.reasons[0]
        .message
        .contains("node-role.kubernetes.io/control-plane:NoSchedule"));
    assert_eq!(
        p.summary,
        "3 node(s): desiredNumberScheduled 2, 2 can run the pod, 1 not eligible (1 untolerated-taint)"
    );
}
