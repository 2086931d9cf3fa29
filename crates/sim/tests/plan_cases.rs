//! Table-driven tests of the per-node verdict, over real YAML text.
//!
//! Every case is named after the Kubernetes behaviour it pins and cites the source file given in
//! `shared/k8s-daemonset-semantics.md` (the § in brackets). Each case asserts, per node, the
//! controller's two answers with their reason codes AND message fragments, and the scheduler's
//! (or, in legacy mode, the controller's) placement verdict with its codes and text.

use dslab_sim::plan::Binder;
use dslab_sim::{parse_daemonset, parse_nodes, parse_pods, plan, plan_on, Mode, Nodes, Plan, ReasonCode};
use ReasonCode::*;

// ---------------------------------------------------------------------------------------------
// YAML builders
// ---------------------------------------------------------------------------------------------

/// Removes the common leading indentation of the non-blank lines (so YAML can be written
/// indented inside the Rust source).
fn dedent(s: &str) -> String {
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    s.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn indent(s: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    dedent(s)
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const CONTAINER: &str = "
    - name: agent
      image: example.com/agent:1.0
";

/// A DaemonSet `kube-system/agent` whose pod template spec is `containers` plus `extra`
/// (both written as YAML at the indentation of the pod spec's keys).
fn ds_with(containers: &str, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n      containers:\n{}\n{}\n",
        indent(containers, 6),
        indent(extra, 6)
    )
}

fn ds(extra: &str) -> String {
    ds_with(CONTAINER, extra)
}

/// Several documents in one file, `---` separated, as users paste them.
fn docs(parts: &[String]) -> String {
    parts.join("---\n")
}

/// A node with a name, labels and the given `spec:` body (may be empty).
fn labeled(name: &str, labels: &[(&str, &str)], spec: &str) -> String {
    let mut s = format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n");
    if !labels.is_empty() {
        s.push_str("  labels:\n");
        for (k, v) in labels {
            s.push_str(&format!("    {k}: \"{v}\"\n"));
        }
    }
    if !spec.trim().is_empty() {
        s.push_str("spec:\n");
        s.push_str(&indent(spec, 2));
        s.push('\n');
    }
    s
}

/// A node with one taint.
fn tainted(name: &str, key: &str, value: &str, effect: &str) -> String {
    let value = if value.is_empty() {
        String::new()
    } else {
        format!("\n  value: \"{value}\"")
    };
    labeled(
        name,
        &[],
        &format!("taints:\n- key: {key}{value}\n  effect: {effect}"),
    )
}

/// A node with status.allocatable (cpu, memory, pods), as a real kubelet reports it.
fn sized(name: &str, cpu: &str, memory: &str, pods: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:\n    kubernetes.io/os: linux\nstatus:\n  capacity:\n    cpu: \"{cpu}\"\n    memory: {memory}\n    pods: \"{pods}\"\n  allocatable:\n    cpu: \"{cpu}\"\n    memory: {memory}\n    pods: \"{pods}\"\n"
    )
}

/// A running pod of another workload bound to `node`.
fn other_pod(name: &str, node: &str, extra_container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: default\n  labels:\n    app: {name}\nspec:\n  nodeName: {node}\n  containers:\n  - name: main\n    image: example.com/{name}:1\n{}\nstatus:\n  phase: Running\n",
        indent(extra_container, 4)
    )
}

// ---------------------------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Expect {
    node: &'static str,
    should_run: bool,
    should_continue: bool,
    /// Exactly the controller's blocking reason codes, in order.
    codes: Vec<ReasonCode>,
    /// Fragments that must appear in the controller's reason messages.
    texts: Vec<&'static str>,
    /// None where the controller creates no pod (shouldRun false): no scheduler verdict.
    schedulable: Option<bool>,
    /// Exactly the scheduler's (or legacy controller's) reason codes, in order.
    sched_codes: Vec<ReasonCode>,
    /// Fragments that must appear in the scheduler's reasons or its event.
    sched_texts: Vec<&'static str>,
    /// Fragments that must appear in the notes (controller notes and scheduler notes).
    notes: Vec<&'static str>,
    bound_by: Option<Binder>,
}

/// The pod is created and can be bound: (true, true), schedulable.
fn runs(node: &'static str) -> Expect {
    Expect {
        node,
        should_run: true,
        should_continue: true,
        codes: vec![],
        texts: vec![],
        schedulable: Some(true),
        sched_codes: vec![],
        sched_texts: vec![],
        notes: vec![],
        bound_by: None,
    }
}

impl Expect {
    /// The controller says (false, false) for `code`.
    fn stops(mut self, code: ReasonCode, texts: &[&'static str]) -> Self {
        self.should_run = false;
        self.should_continue = false;
        self.schedulable = None;
        self.codes = vec![code];
        self.texts = texts.to_vec();
        self
    }
    /// The controller says (false, true): no new pod, a running one stays.
    fn keeps(mut self, code: ReasonCode, texts: &[&'static str]) -> Self {
        self.should_run = false;
        self.should_continue = true;
        self.schedulable = None;
        self.codes = vec![code];
        self.texts = texts.to_vec();
        self
    }
    fn codes(mut self, codes: &[ReasonCode]) -> Self {
        self.codes = codes.to_vec();
        self
    }
    /// The pod cannot be bound, for these scheduler codes and texts.
    fn unschedulable(mut self, codes: &[ReasonCode], texts: &[&'static str]) -> Self {
        self.schedulable = Some(false);
        self.sched_codes = codes.to_vec();
        self.sched_texts = texts.to_vec();
        self
    }
    fn notes(mut self, notes: &[&'static str]) -> Self {
        self.notes = notes.to_vec();
        self
    }
    fn bound_by(mut self, b: Binder) -> Self {
        self.bound_by = Some(b);
        self
    }
}

struct Case {
    /// The Kubernetes behaviour pinned.
    name: &'static str,
    /// Source file in kubernetes/kubernetes (semantics doc section).
    source: &'static str,
    ds: String,
    nodes: String,
    pods: String,
    mode: Mode,
    desired: usize,
    expect: Vec<Expect>,
    /// Fragments expected in the plan's warnings.
    warnings: Vec<&'static str>,
}

fn case(name: &'static str, source: &'static str, ds: String, nodes: String) -> Case {
    Case {
        name,
        source,
        ds,
        nodes,
        pods: String::new(),
        mode: Mode::Current,
        desired: usize::MAX,
        expect: vec![],
        warnings: vec![],
    }
}

impl Case {
    fn pods(mut self, pods: String) -> Self {
        self.pods = pods;
        self
    }
    fn legacy(mut self) -> Self {
        self.mode = Mode::Legacy;
        self
    }
    fn desired(mut self, n: usize) -> Self {
        self.desired = n;
        self
    }
    fn expect(mut self, e: Vec<Expect>) -> Self {
        self.expect = e;
        self
    }
    fn warnings(mut self, w: &[&'static str]) -> Self {
        self.warnings = w.to_vec();
        self
    }
}

fn run_plan(c: &Case) -> Plan {
    let ds = parse_daemonset(c.ds.as_bytes(), "ds.yaml")
        .unwrap_or_else(|e| panic!("{}: daemonset does not parse: {e}\n{}", c.name, c.ds));
    let nodes = parse_nodes(c.nodes.as_bytes(), "nodes.yaml")
        .unwrap_or_else(|e| panic!("{}: nodes do not parse: {e}\n{}", c.name, c.nodes));
    let pods = if c.pods.trim().is_empty() {
        Vec::new()
    } else {
        parse_pods(c.pods.as_bytes(), "pods.yaml")
            .unwrap_or_else(|e| panic!("{}: pods do not parse: {e}\n{}", c.name, c.pods))
    };
    let p = plan(&ds, &nodes, &pods, c.mode);
    // The same verdict from the nodes' snapshot (labels, names, taints, allocatable read there).
    let read_once = plan_on(&ds, &Nodes::new(nodes), &pods, c.mode);
    assert_eq!(read_once, p, "{}: plan_on differs from plan", c.name);
    p
}

fn check(c: &Case) {
    let p = run_plan(c);
    let ctx = format!("case {:?} [{}]", c.name, c.source);
    if c.desired != usize::MAX {
        assert_eq!(
            p.desired_number_scheduled, c.desired,
            "{ctx}: desiredNumberScheduled"
        );
    }
    assert_eq!(p.mode, c.mode, "{ctx}");
    for e in &c.expect {
        let v = p
            .nodes
            .iter()
            .find(|v| v.name == e.node)
            .unwrap_or_else(|| panic!("{ctx}: no verdict for node {}", e.node));
        let ctx = format!("{ctx}, node {}: {v:#?}", e.node);
        assert_eq!(
            (v.should_run, v.should_continue_running),
            (e.should_run, e.should_continue),
            "{ctx}: (shouldRun, shouldContinueRunning)"
        );
        let codes: Vec<_> = v.reasons.iter().map(|r| r.code).collect();
        assert_eq!(codes, e.codes, "{ctx}: controller reason codes");
        let text: String = v
            .reasons
            .iter()
            .map(|r| r.message.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        for t in &e.texts {
            assert!(
                text.contains(t),
                "{ctx}: controller reasons lack {t:?}; got:\n{text}"
            );
        }
        assert_eq!(v.scheduler.schedulable, e.schedulable, "{ctx}: schedulable");
        // Where no pod is created, no scheduler reasons either (the controller's say why).
        if e.schedulable != Some(false) || !e.sched_codes.is_empty() {
            let sc: Vec<_> = v.scheduler.reasons.iter().map(|r| r.code).collect();
            assert_eq!(sc, e.sched_codes, "{ctx}: scheduler reason codes");
        }
        let stext: String = v
            .scheduler
            .reasons
            .iter()
            .map(|r| r.message.clone())
            .chain(v.scheduler.event.clone())
            .collect::<Vec<_>>()
            .join("\n");
        for t in &e.sched_texts {
            assert!(
                stext.contains(t),
                "{ctx}: scheduler text lacks {t:?}; got:\n{stext}"
            );
        }
        let notes: String = v
            .notes
            .iter()
            .map(|r| r.message.clone())
            .chain(v.scheduler.notes.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        for t in &e.notes {
            assert!(notes.contains(t), "{ctx}: notes lack {t:?}; got:\n{notes}");
        }
        if let Some(b) = e.bound_by {
            assert_eq!(v.scheduler.bound_by, b, "{ctx}: bound by");
        }
        // The JSON shape the CLI documents is the serde form of the verdict.
        let j = serde_json::to_value(v).unwrap();
        assert_eq!(j["name"], e.node, "{ctx}");
        assert_eq!(j["shouldRun"], e.should_run, "{ctx}");
        assert_eq!(
            j["scheduler"]["schedulable"],
            serde_json::json!(e.schedulable),
            "{ctx}"
        );
    }
    let warnings: String = p
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.path, w.message))
        .collect::<Vec<_>>()
        .join("\n");
    for w in &c.warnings {
        assert!(
            warnings.contains(w),
            "{ctx}: warnings lack {w:?}; got:\n{warnings}"
        );
    }
    if c.warnings.is_empty() {
        assert!(p.warnings.is_empty(), "{ctx}: unexpected warnings {warnings}");
    }
}

fn check_all(cases: Vec<Case>) {
    let n = cases.len();
    for c in &cases {
        check(c);
    }
    assert!(n > 0);
}

// ---------------------------------------------------------------------------------------------
// §1.2 step 1 / §3.3: spec.nodeName in the template
// ---------------------------------------------------------------------------------------------

#[test]
fn template_node_name() {
    let two = docs(&[labeled("n1", &[], ""), labeled("n2", &[], "")]);
    check_all(vec![
        // daemon_controller.go NodeShouldRunDaemonPod; TestNameDaemonSetLaunchesPods (§1.2, §3.3)
        case(
            "TestNameDaemonSetLaunchesPods: only the named node runs the pod, bypassing the scheduler",
            "pkg/controller/daemon/daemon_controller_test.go TestNameDaemonSetLaunchesPods",
            ds("nodeName: n2"),
            two.clone(),
        )
        .desired(1)
        .expect(vec![
            runs("n1")
                .stops(NodeNameMismatch, &["spec.nodeName: n2", "runs only on n2"]),
            runs("n2")
                .bound_by(Binder::TemplateNodeName)
                .notes(&["spec.nodeName: n2", "skips the scheduler"]),
        ]),
        // TestBadNameDaemonSetDoesNothing (§3.3)
        case(
            "TestBadNameDaemonSetDoesNothing: a nodeName naming no node gives no pod anywhere",
            "pkg/controller/daemon/daemon_controller_test.go TestBadNameDaemonSetDoesNothing",
            ds("nodeName: gone"),
            two.clone(),
        )
        .desired(0)
        .expect(vec![
            runs("n1").stops(NodeNameMismatch, &["spec.nodeName: gone"]),
            runs("n2").stops(NodeNameMismatch, &["spec.nodeName: gone"]),
        ]),
        // TestInconsistentNameSelectorDaemonSetDoesNothing (§3.3)
        case(
            "TestInconsistentNameSelectorDaemonSetDoesNothing: name and selector on different nodes",
            "pkg/controller/daemon/daemon_controller_test.go TestInconsistentNameSelectorDaemonSetDoesNothing",
            ds("nodeName: n1\nnodeSelector:\n  disk: ssd"),
            docs(&[labeled("n1", &[], ""), labeled("n2", &[("disk", "ssd")], "")]),
        )
        .desired(0)
        .expect(vec![
            runs("n1").stops(NodeSelector, &["nodeSelector disk=ssd but the node has no label disk"]),
            runs("n2").stops(NodeNameMismatch, &["spec.nodeName: n1"]),
        ]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// §4.1: nodeSelector
// ---------------------------------------------------------------------------------------------

#[test]
fn node_selector() {
    check_all(vec![
        // nodeaffinity.go GetRequiredNodeAffinity: every nodeSelector entry must equal the label (§4.1)
        case(
            "nodeSelector: every entry must be on the node with exactly that value",
            "staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go",
            ds("nodeSelector:\n  disktype: ssd\n  kubernetes.io/os: linux"),
            docs(&[
                labeled(
                    "match",
                    &[("disktype", "ssd"), ("kubernetes.io/os", "linux"), ("extra", "x")],
                    "",
                ),
                labeled(
                    "other-value",
                    &[("disktype", "hdd"), ("kubernetes.io/os", "linux")],
                    "",
                ),
                labeled("absent", &[("kubernetes.io/os", "linux")], ""),
                labeled(
                    "half",
                    &[("disktype", "ssd"), ("kubernetes.io/os", "windows")],
                    "",
                ),
            ]),
        )
        .desired(1)
        .expect(vec![
            runs("match"),
            runs("other-value").stops(
                NodeSelector,
                &[
                    "node(s) didn't match Pod's node affinity/selector",
                    "nodeSelector disktype=ssd but the node has disktype=hdd",
                ],
            ),
            runs("absent").stops(
                NodeSelector,
                &["nodeSelector disktype=ssd but the node has no label disktype"],
            ),
            runs("half").stops(
                NodeSelector,
                &["kubernetes.io/os=linux but the node has kubernetes.io/os=windows"],
            ),
        ]),
        // nodeSelector AND required affinity (§4.1)
        case(
            "nodeSelector and required node affinity are ANDed",
            "staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go",
            ds(r#"
                nodeSelector:
                  disktype: ssd
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - key: zone
                          operator: In
                          values: [a]
            "#),
            docs(&[
                labeled("both", &[("disktype", "ssd"), ("zone", "a")], ""),
                labeled("selector-only", &[("disktype", "ssd"), ("zone", "b")], ""),
                labeled("affinity-only", &[("disktype", "hdd"), ("zone", "a")], ""),
            ]),
        )
        .desired(1)
        .expect(vec![
            runs("both"),
            runs("selector-only").stops(NodeAffinity, &["zone In [a]: the node has zone=b"]),
            runs("affinity-only").stops(NodeSelector, &["disktype=ssd but the node has disktype=hdd"]),
        ]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// §4.2 / §4.3: required node affinity operators, terms, matchFields
// ---------------------------------------------------------------------------------------------

fn affinity(terms: &str) -> String {
    ds(&format!(
        "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n{}",
        indent(terms, 6)
    ))
}

#[test]
fn required_node_affinity_operators() {
    const SRC: &str =
        "staging/src/k8s.io/apimachinery/pkg/labels/selector.go (Requirement.Matches) via nodeaffinity.go";
    let zone_nodes = || {
        docs(&[
            labeled("zone-a", &[("zone", "a"), ("gpus", "4")], ""),
            labeled("zone-b", &[("zone", "b"), ("gpus", "08")], ""),
            labeled("no-zone", &[("gpus", "not-a-number")], ""),
            labeled("empty-zone", &[("zone", "")], ""),
        ])
    };
    check_all(vec![
        case(
            "In: label present with one of the values",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [a, c]}"),
            zone_nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("zone-a"),
            runs("zone-b")
                .stops(NodeAffinity, &["node(s) didn't match Pod's node affinity/selector", "zone In [a, c]: the node has zone=b"]),
            runs("no-zone").stops(NodeAffinity, &["zone In [a, c]: the node has no label zone"]),
            runs("empty-zone").stops(NodeAffinity, &["zone In [a, c]"]),
        ]),
        case(
            "NotIn: label absent matches; listed value does not",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: NotIn, values: [a]}"),
            zone_nodes(),
        )
        .desired(3)
        .expect(vec![
            runs("zone-a").stops(NodeAffinity, &["zone NotIn [a]: the node has zone=a"]),
            runs("zone-b"),
            runs("no-zone"),
            runs("empty-zone"),
        ]),
        case(
            "Exists: label present with any value, even empty",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: Exists}"),
            zone_nodes(),
        )
        .desired(3)
        .expect(vec![
            runs("zone-a"),
            runs("zone-b"),
            runs("empty-zone"),
            runs("no-zone").stops(NodeAffinity, &["zone Exists []: the node has no label zone"]),
        ]),
        case(
            "DoesNotExist: label absent",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: DoesNotExist}"),
            zone_nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("no-zone"),
            runs("zone-a").stops(NodeAffinity, &["zone DoesNotExist []: the node has zone=a"]),
            runs("empty-zone").stops(NodeAffinity, &["zone DoesNotExist"]),
        ]),
        case(
            "Gt: label parses as int64 and is strictly greater (\"08\" is 8; non-integer label is false)",
            SRC,
            affinity("- matchExpressions:\n  - {key: gpus, operator: Gt, values: [\"4\"]}"),
            zone_nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("zone-b"),
            runs("zone-a").stops(NodeAffinity, &["gpus Gt [4]: the node has gpus=4"]),
            runs("no-zone").stops(NodeAffinity, &["gpus Gt 4", "is not an integer"]),
            runs("empty-zone").stops(NodeAffinity, &["gpus Gt [4]: the node has no label gpus"]),
        ]),
        case(
            "Lt: label parses as int64 and is strictly smaller",
            SRC,
            affinity("- matchExpressions:\n  - {key: gpus, operator: Lt, values: [\"5\"]}"),
            zone_nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("zone-a"),
            runs("zone-b").stops(NodeAffinity, &["gpus Lt [5]: the node has gpus=08"]),
            runs("no-zone").stops(NodeAffinity, &["is not an integer"]),
        ]),
        case(
            "Gt with a non-integer value: the API accepts it, the term cannot parse and matches nothing (warned)",
            "staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (LazyErrorNodeSelector)",
            affinity("- matchExpressions:\n  - {key: gpus, operator: Gt, values: [\"4.0\"]}\n- matchExpressions:\n  - {key: zone, operator: In, values: [a]}"),
            zone_nodes(),
        )
        .desired(1)
        .warnings(&["nodeSelectorTerms[0].matchExpressions[0].values[0]", "\"4.0\" is not an integer"])
        .expect(vec![
            // the second term still matches: other terms are evaluated (§4.1)
            runs("zone-a"),
            runs("zone-b").stops(NodeAffinity, &["term 1: gpus Gt \"4.0\"", "matches no node", "term 2: zone In [a]"]),
        ]),
    ]);
}

#[test]
fn required_node_affinity_terms_and_fields() {
    const SRC: &str = "staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go";
    let nodes = || {
        docs(&[
            labeled("a-gpu", &[("zone", "a"), ("gpu", "true")], ""),
            labeled("a-cpu", &[("zone", "a")], ""),
            labeled("b-gpu", &[("zone", "b"), ("gpu", "true")], ""),
            labeled("c", &[("zone", "c")], ""),
        ])
    };
    check_all(vec![
        case(
            "nodeSelectorTerms are ORed: a node matching any term qualifies",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [b]}\n- matchExpressions:\n  - {key: gpu, operator: Exists}\n"),
            nodes(),
        )
        .desired(2)
        .expect(vec![
            runs("a-gpu"),
            runs("b-gpu"),
            runs("a-cpu").stops(NodeAffinity, &["term 1: zone In [b]: the node has zone=a", "term 2: gpu Exists []: the node has no label gpu"]),
            runs("c").stops(NodeAffinity, &["term 1:", "term 2:"]),
        ]),
        case(
            "matchExpressions inside one term are ANDed",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [a]}\n  - {key: gpu, operator: Exists}\n"),
            nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("a-gpu"),
            runs("a-cpu").stops(NodeAffinity, &["gpu Exists []: the node has no label gpu"]),
            runs("b-gpu").stops(NodeAffinity, &["zone In [a]: the node has zone=b"]),
        ]),
        case(
            "matchFields metadata.name In [x]: only the node named x",
            "nodeaffinity.go nodeSelectorRequirementsAsFieldSelector (§4.3)",
            affinity("- matchFields:\n  - {key: metadata.name, operator: In, values: [b-gpu]}\n"),
            nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("b-gpu"),
            runs("a-gpu").stops(NodeAffinity, &["metadata.name In [b-gpu]: the node is a-gpu"]),
        ]),
        case(
            "matchFields metadata.name NotIn [x]: every node but x",
            "nodeaffinity.go nodeSelectorRequirementsAsFieldSelector (§4.3)",
            affinity("- matchFields:\n  - {key: metadata.name, operator: NotIn, values: [c]}\n"),
            nodes(),
        )
        .desired(3)
        .expect(vec![
            runs("a-gpu"),
            runs("c").stops(NodeAffinity, &["metadata.name NotIn [c]: the node is c"]),
        ]),
        case(
            "matchExpressions and matchFields of one term are ANDed",
            SRC,
            affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [a]}\n  matchFields:\n  - {key: metadata.name, operator: NotIn, values: [a-cpu]}\n"),
            nodes(),
        )
        .desired(1)
        .expect(vec![
            runs("a-gpu"),
            runs("a-cpu").stops(NodeAffinity, &["metadata.name NotIn [a-cpu]"]),
            runs("b-gpu").stops(NodeAffinity, &["zone In [a]"]),
        ]),
        case(
            "preferredDuringScheduling never restricts placement",
            "nodeaffinity.go (scoring only) (§4.1)",
            ds("affinity:\n  nodeAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 10\n      preference:\n        matchExpressions:\n        - {key: zone, operator: In, values: [z]}"),
            nodes(),
        )
        .desired(4)
        .expect(vec![runs("a-gpu"), runs("c")]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// §1.2 step 4 / §5: taints and tolerations
// ---------------------------------------------------------------------------------------------

#[test]
fn taint_effects() {
    const SRC: &str = "pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod); staging/src/k8s.io/api/core/v1/toleration.go";
    check_all(vec![
        case(
            "NoSchedule untolerated: shouldRun false, shouldContinueRunning true",
            SRC,
            ds(""),
            tainted("n1", "dedicated", "db", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .keeps(UntoleratedTaint, &[
                "node(s) had untolerated taint {dedicated: db}",
                "dedicated=db:NoSchedule",
                "no new pod; a pod already running there stays",
            ])
]),
        case(
            "NoExecute untolerated: shouldRun false, shouldContinueRunning false",
            SRC,
            ds(""),
            tainted("n1", "dedicated", "db", "NoExecute"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .stops(UntoleratedTaint, &["dedicated=db:NoExecute", "no new pod, and a running pod is evicted"])
]),
        case(
            "PreferNoSchedule untolerated: ignored by the controller and the scheduler's filters",
            SRC,
            ds(""),
            tainted("n1", "soft", "", "PreferNoSchedule"),
        )
        .desired(1)
        .expect(vec![runs("n1").notes(&["soft:PreferNoSchedule is PreferNoSchedule", "controller ignores"])]),
        case(
            "NoSchedule untolerated, NoExecute tolerated: (false, true)",
            SRC,
            ds("tolerations:\n- {key: evict, operator: Exists, effect: NoExecute}"),
            labeled("n1", &[], "taints:\n- {key: evict, effect: NoExecute}\n- {key: block, value: x, effect: NoSchedule}"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["block=x:NoSchedule"])]),
        case(
            "NoSchedule and NoExecute both untolerated: (false, false), both reported",
            SRC,
            ds(""),
            labeled("n1", &[], "taints:\n- {key: a, effect: NoSchedule}\n- {key: b, effect: NoExecute}"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .stops(UntoleratedTaint, &["a:NoSchedule", "b:NoExecute"])
            .codes(&[UntoleratedTaint, UntoleratedTaint])
]),
        case(
            "Equal toleration with the same key, value and effect tolerates",
            SRC,
            ds("tolerations:\n- {key: dedicated, operator: Equal, value: db, effect: NoSchedule}"),
            docs(&[
                tainted("same", "dedicated", "db", "NoSchedule"),
                tainted("other-value", "dedicated", "web", "NoSchedule"),
                tainted("other-effect", "dedicated", "db", "NoExecute"),
            ]),
        )
        .desired(1)
        .expect(vec![
            runs("same"),
            runs("other-value").keeps(UntoleratedTaint, &["dedicated=web:NoSchedule"]),
            runs("other-effect").stops(UntoleratedTaint, &["dedicated=db:NoExecute"]),
        ]),
        case(
            "toleration without operator means Equal; no value equals an empty taint value",
            "staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint (§5)",
            ds("tolerations:\n- {key: gpu, effect: NoSchedule}"),
            docs(&[tainted("empty", "gpu", "", "NoSchedule"), tainted("valued", "gpu", "true", "NoSchedule")]),
        )
        .desired(1)
        .expect(vec![runs("empty"), runs("valued").keeps(UntoleratedTaint, &["gpu=true:NoSchedule"])]),
        case(
            "tolerationSeconds: the controller counts the taint as tolerated (evict/recreate loop noted)",
            "staging/src/k8s.io/api/core/v1/toleration.go; taint-eviction getMinTolerationTime (§5)",
            ds("tolerations:\n- {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 120}"),
            tainted("n1", "maintenance", "", "NoExecute"),
        )
        .desired(1)
        .expect(vec![runs("n1").notes(&["maintenance:NoExecute is tolerated for only 120s", "evict/recreate loop"])]),
        case(
            "operator Exists with an empty key and no effect tolerates every taint",
            "staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint (§5)",
            ds("tolerations:\n- operator: Exists"),
            labeled("n1", &[], "taints:\n- {key: a, value: x, effect: NoSchedule}\n- {key: b, effect: NoExecute}\n- {key: node.kubernetes.io/not-ready, effect: NoSchedule}"),
        )
        .desired(1)
        .expect(vec![runs("n1")]),
        case(
            "operator Exists with an empty key and effect NoSchedule: every NoSchedule taint, no NoExecute one",
            "staging/src/k8s.io/api/core/v1/toleration.go ToleratesTaint (§5)",
            ds("tolerations:\n- {operator: Exists, effect: NoSchedule}"),
            docs(&[
                tainted("no-schedule", "anything", "v", "NoSchedule"),
                tainted("no-execute", "anything", "v", "NoExecute"),
            ]),
        )
        .desired(1)
        .expect(vec![
            runs("no-schedule"),
            runs("no-execute").stops(UntoleratedTaint, &["anything=v:NoExecute"]),
        ]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// §2: the tolerations the controller adds
// ---------------------------------------------------------------------------------------------

#[test]
fn automatic_tolerations() {
    const SRC: &str = "pkg/controller/daemon/util/daemonset_util.go AddOrUpdateDaemonPodTolerations";
    let auto = |key: &'static str, effect: &'static str| tainted("n1", key, "", effect);
    let mut cases = Vec::new();
    for (key, effect) in [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ] {
        cases.push(
            case(
                "automatic toleration: every DaemonSet pod tolerates this taint",
                SRC,
                ds(""),
                auto(key, effect),
            )
            .desired(1)
            .expect(vec![runs("n1")]),
        );
    }
    cases.extend([
        case(
            "not-ready:NoSchedule is NOT tolerated automatically: (false, true)",
            "pkg/controller/daemon/util/daemonset_util.go; nodelifecycle/node_lifecycle_controller.go (§2)",
            ds(""),
            auto("node.kubernetes.io/not-ready", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1")
            .keeps(UntoleratedTaint, &["node.kubernetes.io/not-ready:NoSchedule"])
]),
        case(
            "unreachable:NoSchedule is NOT tolerated automatically: (false, true)",
            "pkg/controller/daemon/util/daemonset_util.go (§2)",
            ds(""),
            auto("node.kubernetes.io/unreachable", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["node.kubernetes.io/unreachable:NoSchedule"])]),
        case(
            "a real NotReady node (both not-ready taints): plain DS (false, true), not misdeleted",
            "nodelifecycle/node_lifecycle_controller.go NotReadyTaintTemplate + nodeConditionToTaintKeyStatusMap (§2)",
            ds(""),
            labeled("n1", &[], "taints:\n- {key: node.kubernetes.io/not-ready, effect: NoSchedule}\n- {key: node.kubernetes.io/not-ready, effect: NoExecute}"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["node.kubernetes.io/not-ready:NoSchedule"])]),
        case(
            "a real NotReady node with a tolerate-everything DS (kube-proxy style): runs",
            "pkg/controller/daemon/util/daemonset_util.go (§2)",
            ds("tolerations:\n- operator: Exists"),
            labeled("n1", &[], "taints:\n- {key: node.kubernetes.io/not-ready, effect: NoSchedule}\n- {key: node.kubernetes.io/not-ready, effect: NoExecute}"),
        )
        .desired(1)
        .expect(vec![runs("n1")]),
        case(
            "network-unavailable blocks a non-hostNetwork DaemonSet: (false, true)",
            "pkg/controller/daemon/util/daemonset_util.go (hostNetwork only) (§2)",
            ds(""),
            auto("node.kubernetes.io/network-unavailable", "NoSchedule"),
        )
        .desired(0)
        .expect(vec![runs("n1").keeps(UntoleratedTaint, &["node.kubernetes.io/network-unavailable:NoSchedule"])]),
        case(
            "network-unavailable is tolerated for a hostNetwork DaemonSet",
            "pkg/controller/daemon/util/daemonset_util.go (§2)",
            ds("hostNetwork: true"),
            auto("node.kubernetes.io/network-unavailable", "NoSchedule"),
        )
        .desired(1)
        .expect(vec![runs("n1")]),
        case(
            "a user not-ready:NoExecute toleration with tolerationSeconds is replaced (loses its seconds, #92960)",
            "pkg/apis/core/v1/helper/helpers.go AddOrUpdateTolerationInPodSpec (§2)",
            ds("tolerations:\n- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}"),
            auto("node.kubernetes.io/not-ready", "NoExecute"),
        )
        .desired(1)
        // no "tolerated for only 30s" note: the automatic toleration replaced the user's
        .expect(vec![runs("n1")]),
    ]);
    check_all(cases);
    // And the replacement really dropped the seconds: no evict/recreate note.
    let p = run_plan(&case(
        "",
        "",
        ds("tolerations:\n- {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 30}"),
        auto("node.kubernetes.io/not-ready", "NoExecute"),
    ));
    assert!(
        p.nodes[0].notes.iter().all(|n| !n.message.contains("30s")),
        "the user's tolerationSeconds must be gone (#92960): {:?}",
        p.nodes[0].notes
    );
}

// ---------------------------------------------------------------------------------------------
// §1.3, §8.3, §9.1: cordoned nodes
// ---------------------------------------------------------------------------------------------

#[test]
fn cordoned_nodes() {
    const SRC: &str = "daemon_controller_test.go ShouldRunDaemonPodOnUnschedulableNode; scheduler plugins/nodeunschedulable";
    check_all(vec![
        case(
            "cordoned node (spec.unschedulable): controller runs the pod and the scheduler binds it",
            SRC,
            ds(""),
            labeled("n1", &[], "unschedulable: true"),
        )
        .desired(1)
        .expect(vec![runs("n1").notes(&["node is cordoned (spec.unschedulable)", "the pod still runs here"])]),
        case(
            "cordoned node as kubectl cordon leaves it (spec.unschedulable + unschedulable taint): still runs",
            SRC,
            ds(""),
            labeled("n1", &[], "unschedulable: true\ntaints:\n- key: node.kubernetes.io/unschedulable\n  effect: NoSchedule\n  timeAdded: \"2024-10-02T09:00:00Z\""),
        )
        .desired(1)
        .expect(vec![runs("n1").bound_by(Binder::Scheduler).notes(&["cordoned"])]),
        case(
            "cordoned node in legacy mode: the old controller ignored spec.unschedulable too",
            "old daemon_controller.go nodeShouldRunDaemonPod (§3.2)",
            ds(""),
            labeled("n1", &[], "unschedulable: true"),
        )
        .legacy()
        .desired(1)
        .expect(vec![runs("n1").bound_by(Binder::DaemonsetController)]),
    ]);
}

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
