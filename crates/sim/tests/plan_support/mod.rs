//! Shared helpers for the table tests of the per-node verdict: YAML builders for DaemonSets,
//! nodes and pods, the expectations per node, and the runner that checks a case both through
//! `plan` and `plan_on`.
#![allow(dead_code)]

pub use dslab_sim::plan::Binder;
pub use dslab_sim::{parse_daemonset, parse_nodes, parse_pods, plan, plan_on, Mode, Nodes, Plan, ReasonCode};
pub use ReasonCode::*;

// ---------------------------------------------------------------------------------------------
// YAML builders
// ---------------------------------------------------------------------------------------------

/// Removes the common leading indentation of the non-blank lines (so YAML can be written
/// indented inside the Rust source).
pub fn dedent(s: &str) -> String {
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

pub fn indent(s: &str, by: usize) -> String {
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
pub fn ds_with(containers: &str, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n      containers:\n{}\n{}\n",
        indent(containers, 6),
        indent(extra, 6)
    )
}

pub fn ds(extra: &str) -> String {
    ds_with(CONTAINER, extra)
}

/// Several documents in one file, `---` separated, as users paste them.
pub fn docs(parts: &[String]) -> String {
    parts.join("---\n")
}

/// A node with a name, labels and the given `spec:` body (may be empty).
pub fn labeled(name: &str, labels: &[(&str, &str)], spec: &str) -> String {
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
pub fn tainted(name: &str, key: &str, value: &str, effect: &str) -> String {
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
pub fn sized(name: &str, cpu: &str, memory: &str, pods: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:\n    kubernetes.io/os: linux\nstatus:\n  capacity:\n    cpu: \"{cpu}\"\n    memory: {memory}\n    pods: \"{pods}\"\n  allocatable:\n    cpu: \"{cpu}\"\n    memory: {memory}\n    pods: \"{pods}\"\n"
    )
}

/// A running pod of another workload bound to `node`.
pub fn other_pod(name: &str, node: &str, extra_container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: default\n  labels:\n    app: {name}\nspec:\n  nodeName: {node}\n  containers:\n  - name: main\n    image: example.com/{name}:1\n{}\nstatus:\n  phase: Running\n",
        indent(extra_container, 4)
    )
}

// ---------------------------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Expect {
    pub node: &'static str,
    pub should_run: bool,
    pub should_continue: bool,
    /// Exactly the controller's blocking reason codes, in order.
    pub codes: Vec<ReasonCode>,
    /// Fragments that must appear in the controller's reason messages.
    pub texts: Vec<&'static str>,
    /// None where the controller creates no pod (shouldRun false): no scheduler verdict.
    pub schedulable: Option<bool>,
    /// Exactly the scheduler's (or legacy controller's) reason codes, in order.
    pub sched_codes: Vec<ReasonCode>,
    /// Fragments that must appear in the scheduler's reasons or its event.
    pub sched_texts: Vec<&'static str>,
    /// Fragments that must appear in the notes (controller notes and scheduler notes).
    pub notes: Vec<&'static str>,
    pub bound_by: Option<Binder>,
}

/// The pod is created and can be bound: (true, true), schedulable.
pub fn runs(node: &'static str) -> Expect {
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
    pub fn stops(mut self, code: ReasonCode, texts: &[&'static str]) -> Self {
        self.should_run = false;
        self.should_continue = false;
        self.schedulable = None;
        self.codes = vec![code];
        self.texts = texts.to_vec();
        self
    }
    /// The controller says (false, true): no new pod, a running one stays.
    pub fn keeps(mut self, code: ReasonCode, texts: &[&'static str]) -> Self {
        self.should_run = false;
        self.should_continue = true;
        self.schedulable = None;
        self.codes = vec![code];
        self.texts = texts.to_vec();
        self
    }
    pub fn codes(mut self, codes: &[ReasonCode]) -> Self {
        self.codes = codes.to_vec();
        self
    }
    /// The pod cannot be bound, for these scheduler codes and texts.
    pub fn unschedulable(mut self, codes: &[ReasonCode], texts: &[&'static str]) -> Self {
        self.schedulable = Some(false);
        self.sched_codes = codes.to_vec();
        self.sched_texts = texts.to_vec();
        self
    }
    pub fn notes(mut self, notes: &[&'static str]) -> Self {
        self.notes = notes.to_vec();
        self
    }
    pub fn bound_by(mut self, b: Binder) -> Self {
        self.bound_by = Some(b);
        self
    }
}

pub struct Case {
    /// The Kubernetes behaviour pinned.
    pub name: &'static str,
    /// Source file in kubernetes/kubernetes (semantics doc section).
    pub source: &'static str,
    pub ds: String,
    pub nodes: String,
    pub pods: String,
    pub mode: Mode,
    pub desired: usize,
    pub expect: Vec<Expect>,
    /// Fragments expected in the plan's warnings.
    pub warnings: Vec<&'static str>,
}

pub fn case(name: &'static str, source: &'static str, ds: String, nodes: String) -> Case {
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
    pub fn pods(mut self, pods: String) -> Self {
        self.pods = pods;
        self
    }
    pub fn legacy(mut self) -> Self {
        self.mode = Mode::Legacy;
        self
    }
    pub fn desired(mut self, n: usize) -> Self {
        self.desired = n;
        self
    }
    pub fn expect(mut self, e: Vec<Expect>) -> Self {
        self.expect = e;
        self
    }
    pub fn warnings(mut self, w: &[&'static str]) -> Self {
        self.warnings = w.to_vec();
        self
    }
}

pub fn run_plan(c: &Case) -> Plan {
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

pub fn check(c: &Case) {
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

pub fn check_all(cases: Vec<Case>) {
    let n = cases.len();
    for c in &cases {
        check(c);
    }
    assert!(n > 0);
}
