//! Every bad-input case of issue 2, with the error asserted field by field (file, document, line,
//! column, field path, found/expected text), the accepted-but-unusual inputs (kubectl Lists,
//! multi-document files), and a "never panics" sweep over mutated example files.

use dslab_sim::{
    new_daemon_pod, parse_daemonset, parse_daemonsets, parse_nodes, parse_pods, plan, plan_on, InputError,
    Mode, Nodes,
};

const DS: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: example.com/agent:1.0
";
// DS has 17 lines; text appended to it starts on line 18 at the pod spec's indentation (6).

const AFFINITY: &str = "      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
";
// With AFFINITY appended, the first requirement's `- key:` is on line 23.

const TERMS_PATH: &str = "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";

fn node(name: &str) -> String {
    format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n")
}

#[derive(Clone, Copy)]
enum Parser {
    DaemonSet,
    Nodes,
    Pods,
}

/// The expected error: every field of `InputError`; `message` fragments must all be present.
struct Want {
    document: usize,
    line: usize,
    column: usize,
    path: &'static str,
    message: &'static [&'static str],
}

struct Case {
    name: &'static str,
    parser: Parser,
    file: &'static str,
    input: Vec<u8>,
    want: Want,
}

fn run(parser: Parser, input: &[u8], file: &str) -> Result<(), InputError> {
    match parser {
        Parser::DaemonSet => parse_daemonset(input, file).map(|_| ()),
        Parser::Nodes => parse_nodes(input, file).map(|_| ()),
        Parser::Pods => parse_pods(input, file).map(|_| ()),
    }
}

fn c(name: &'static str, parser: Parser, input: impl Into<Vec<u8>>, want: Want) -> Case {
    let file = match parser {
        Parser::DaemonSet => "ds.yaml",
        Parser::Nodes => "nodes.yaml",
        Parser::Pods => "pods.yaml",
    };
    Case {
        name,
        parser,
        file,
        input: input.into(),
        want,
    }
}

fn w(
    document: usize,
    line: usize,
    column: usize,
    path: &'static str,
    message: &'static [&'static str],
) -> Want {
    Want {
        document,
        line,
        column,
        path,
        message,
    }
}

#[test]
fn bad_input_is_a_located_found_expected_error() {
    use Parser::*;
    // One byte over the limit: refused before any parsing.
    let big = vec![b' '; dslab_sim::api::MAX_INPUT_BYTES + 1];
    let cases = vec![
        c(
            "wrong kind: a Deployment pasted as the DaemonSet (other kinds are skipped, and said so)",
            DaemonSet,
            DS.replace("kind: DaemonSet", "kind: Deployment"),
            w(0, 0, 0, "", &["found no DaemonSet (skipped 1 other object: 1 Deployment); expected a DaemonSet (apps/v1)"]),
        ),
        c(
            "wrong kind: a Pod file given as nodes",
            Nodes,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - {name: c, image: i}\n",
            w(0, 0, 0, "", &["found no Node (skipped 1 other object: 1 Pod); expected Node manifests (kubectl get nodes -o yaml)"]),
        ),
        c(
            "wrong kind: a Node file given as pods",
            Pods,
            node("a"),
            w(0, 0, 0, "", &["found no Pod (skipped 1 other object: 1 Node); expected Pod manifests"]),
        ),
        c(
            "missing spec.template (points at the spec mapping, where it must be added)",
            DaemonSet,
            &DS[..DS.find("  template:").unwrap()],
            w(1, 7, 3, "spec.template", &["found no template", "expected spec.template with metadata.labels and spec.containers"]),
        ),
        c(
            "missing spec.selector",
            DaemonSet,
            DS.replace("  selector:\n    matchLabels:\n      app: agent\n", ""),
            w(1, 7, 3, "spec.selector", &["found no selector", "expected spec.selector with matchLabels"]),
        ),
        c(
            "missing spec entirely",
            DaemonSet,
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n",
            w(1, 1, 1, "spec", &["found no spec; expected spec.selector and spec.template"]),
        ),
        c(
            "selector does not match the template labels",
            DaemonSet,
            DS.replace("      app: agent\n  template", "      app: other\n  template"),
            w(1, 13, 9, "spec.template.metadata.labels", &["found labels app=agent", "`selector` does not match template `labels`"]),
        ),
        c(
            "empty selector",
            DaemonSet,
            DS.replace("    matchLabels:\n      app: agent\n", "    matchLabels: {}\n"),
            w(1, 8, 5, "spec.selector", &["found an empty selector", "expected matchLabels or matchExpressions"]),
        ),
        c(
            "duplicate node names (second one located, first one named)",
            Nodes,
            [node("a"), node("b"), node("a")].join("---\n"),
            w(3, 14, 9, "metadata.name", &["found a second node named \"a\" (the first is in document 1)", "expected unique node names"]),
        ),
        c(
            "duplicate node names inside one List",
            Nodes,
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a\n",
            w(1, 11, 11, "items[1].metadata.name", &["found a second node named \"a\""]),
        ),
        c("empty file", DaemonSet, "", w(0, 0, 0, "", &["is empty (no YAML document with content); expected a Kubernetes manifest"])),
        c(
            "only comments and separators",
            Nodes,
            "# kubectl printed nothing\n---\n---\n",
            w(0, 0, 0, "", &["is empty"]),
        ),
        c(
            "a document that is a plain string",
            DaemonSet,
            "hello\n",
            w(1, 1, 1, "", &["found the text \"hello\"; expected a Kubernetes manifest"]),
        ),
        c(
            "a document that is a YAML list",
            Nodes,
            "- a\n- b\n",
            w(1, 1, 1, "", &["found a list; expected a Kubernetes manifest"]),
        ),
        c(
            "invalid UTF-8 (Latin-1 é in a label)",
            Nodes,
            b"apiVersion: v1\nkind: Node\nmetadata:\n  name: caf\xe9\n".to_vec(),
            w(0, 4, 12, "", &["found invalid UTF-8 (byte 0xE9 at offset 47)", "expected UTF-8 text"]),
        ),
        c(
            "a paste over the size limit",
            Nodes,
            big,
            w(0, 0, 0, "", &["input is 268.4 MB; expected at most 256 MiB (268435456 bytes)"]),
        ),
        c(
            "unknown taint effect",
            Nodes,
            format!("{}spec:\n  taints:\n  - key: k\n    effect: NoSchedule\n  - key: k2\n    effect: NoSchedul\n", node("a")),
            w(1, 10, 13, "spec.taints[1].effect", &["found \"NoSchedul\"; expected NoSchedule, PreferNoSchedule or NoExecute"]),
        ),
        c(
            "taint without effect",
            Nodes,
            format!("{}spec:\n  taints:\n  - key: k\n", node("a")),
            w(1, 7, 5, "spec.taints[0].effect", &["found no effect; expected NoSchedule, PreferNoSchedule or NoExecute"]),
        ),
        c(
            "unknown toleration effect",
            DaemonSet,
            format!("{DS}      tolerations:\n      - key: a\n        operator: Exists\n        effect: NoSchedule\n      - key: b\n        operator: Exists\n        effect: NoExecut\n"),
            w(1, 24, 17, "spec.template.spec.tolerations[1].effect", &["found \"NoExecut\"", "expected NoSchedule, PreferNoSchedule or NoExecute"]),
        ),
        c(
            "unknown toleration operator",
            DaemonSet,
            format!("{DS}      tolerations:\n      - key: a\n        operator: Exists\n        effect: NoSchedule\n      - key: b\n        operator: Equals\n"),
            w(1, 23, 19, "spec.template.spec.tolerations[1].operator", &["found \"Equals\"; expected Equal or Exists"]),
        ),
        c(
            "toleration: empty key needs operator Exists",
            DaemonSet,
            format!("{DS}      tolerations:\n      - effect: NoSchedule\n"),
            w(1, 19, 9, "spec.template.spec.tolerations[0].operator", &["found an empty key with operator Equal; expected operator: Exists"]),
        ),
        c(
            "toleration: Exists with a value",
            DaemonSet,
            format!("{DS}      tolerations:\n      - key: a\n        operator: Exists\n        value: x\n"),
            w(1, 21, 16, "spec.template.spec.tolerations[0].value", &["found \"x\"; expected no value when operator is Exists"]),
        ),
        c(
            "toleration: tolerationSeconds needs effect NoExecute",
            DaemonSet,
            format!("{DS}      tolerations:\n      - key: a\n        operator: Exists\n        effect: NoSchedule\n        tolerationSeconds: 30\n"),
            w(1, 22, 28, "spec.template.spec.tolerations[0].tolerationSeconds", &["expected effect NoExecute (tolerationSeconds only applies to NoExecute)"]),
        ),
        c(
            "unknown node-selector operator",
            DaemonSet,
            format!("{DS}{AFFINITY}              - key: zone\n                operator: Inn\n                values: [a]\n"),
            w(1, 24, 27, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", &["found \"Inn\"; expected In, NotIn, Exists, DoesNotExist, Gt or Lt"]),
        ),
        c(
            "Gt with two values",
            DaemonSet,
            format!("{DS}{AFFINITY}              - key: gpus\n                operator: Gt\n                values: [\"1\", \"2\"]\n"),
            w(1, 25, 25, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", &["found 2 values; expected a single value when `operator` is 'Lt' or 'Gt'"]),
        ),
        c(
            "In without values",
            DaemonSet,
            format!("{DS}{AFFINITY}              - key: zone\n                operator: In\n"),
            w(1, 23, 17, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", &["found no values; expected at least one value"]),
        ),
        c(
            "Exists with values",
            DaemonSet,
            format!("{DS}{AFFINITY}              - key: zone\n                operator: Exists\n                values: [a]\n"),
            w(1, 25, 25, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values", &["found values; expected none"]),
        ),
        c(
            "matchFields on a field other than metadata.name",
            DaemonSet,
            format!("{DS}      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchFields:\n              - key: metadata.uid\n                operator: In\n                values: [x]\n"),
            w(1, 23, 22, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key", &["found \"metadata.uid\"; expected metadata.name"]),
        ),
        c(
            "matchFields metadata.name In with two values",
            DaemonSet,
            format!("{DS}      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchFields:\n              - key: metadata.name\n                operator: In\n                values: [a, b]\n"),
            w(1, 25, 25, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values", &["found 2 values; expected exactly one value"]),
        ),
        c(
            "apps/v1beta2 apiVersion (removed in v1.16)",
            DaemonSet,
            DS.replace("apps/v1", "apps/v1beta2"),
            w(1, 1, 13, "apiVersion", &["found apiVersion apps/v1beta2; expected apps/v1", "removed in Kubernetes v1.16"]),
        ),
        c(
            "extensions/v1beta1 apiVersion",
            DaemonSet,
            DS.replace("apps/v1", "extensions/v1beta1"),
            w(1, 1, 13, "apiVersion", &["found apiVersion extensions/v1beta1; expected apps/v1 (that API version was removed"]),
        ),
        c(
            "missing kind",
            DaemonSet,
            DS.replace("kind: DaemonSet\n", ""),
            w(1, 1, 1, "", &["missing field `kind`; expected a Kubernetes manifest with a kind (DaemonSet, Node, Pod"]),
        ),
        c(
            "missing apiVersion",
            Nodes,
            "kind: Node\nmetadata:\n  name: a\n",
            w(1, 1, 1, "", &["missing field `apiVersion`; expected apiVersion: v1"]),
        ),
        c(
            "YAML syntax error: unclosed flow sequence",
            DaemonSet,
            DS.replace("  namespace: kube-system", "  namespace: [kube-system"),
            w(1, 6, 5, "", &["invalid YAML: did not find expected ',' or ']'"]),
        ),
        c(
            "YAML syntax error: bad indentation, in the second document",
            Nodes,
            format!("{}---\napiVersion: v1\nkind: Node\nmetadata:\n  name: b\n   bad: indent\n", node("a")),
            w(2, 10, 7, "", &["invalid YAML: mapping values are not allowed in this context"]),
        ),
        c(
            "a List whose items is not a list",
            Nodes,
            "apiVersion: v1\nkind: List\nitems:\n  name: a\n",
            w(1, 4, 3, "items", &["a List needs `items`, a list of objects; found a mapping"]),
        ),
        c(
            "a NodeList without items",
            Nodes,
            "apiVersion: v1\nkind: NodeList\nmetadata: {}\n",
            w(1, 1, 1, "items", &["a NodeList needs `items`, a list of objects; found nothing"]),
        ),
        c(
            "a kind: List mixing kinds, one of them malformed",
            Nodes,
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n",
            w(1, 8, 3, "items[1].spec", &["found no spec; expected spec.containers"]),
        ),
        c(
            "a bad field after managedFields in a kubectl List (the block is skipped, lines kept)",
            Nodes,
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    managedFields:\n    - apiVersion: v1\n      manager: kubelet\n    name: a\n- apiVersion: v1\n  kind: Node\n  metadata:\n    managedFields:\n    - manager: kubelet\n    name: b\n  spec:\n    unschedulable: maybe\n",
            w(1, 18, 20, "items[1].spec.unschedulable", &["found string \"maybe\"; expected a boolean"]),
        ),
        c(
            "a bad field in a kubectl -o json List (read with serde_json, placed in the file)",
            Nodes,
            "{\n  \"apiVersion\": \"v1\",\n  \"items\": [\n    {\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"a\"}},\n    {\n      \"apiVersion\": \"v1\",\n      \"kind\": \"Node\",\n      \"metadata\": {\"name\": \"b\"},\n      \"spec\": {\"unschedulable\": \"maybe\"}\n    }\n  ],\n  \"kind\": \"List\"\n}\n",
            w(1, 9, 33, "items[1].spec.unschedulable", &["found string \"maybe\"; expected a boolean"]),
        ),
        c(
            "a removed API version among other kinds",
            DaemonSet,
            format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\n{}", DS.replace("apps/v1", "extensions/v1beta1")),
            w(2, 6, 13, "apiVersion", &["found apiVersion extensions/v1beta1; expected apps/v1"]),
        ),
        c(
            "two DaemonSets where one is expected",
            DaemonSet,
            format!("{DS}---\n{DS}"),
            w(0, 0, 0, "", &["found 2 DaemonSets (kube-system/agent, kube-system/agent); expected exactly one here"]),
        ),
        c(
            "a field of the wrong type (nodeSelector as a string)",
            DaemonSet,
            format!("{DS}      nodeSelector: linux\n"),
            w(1, 18, 21, "spec.template.spec.nodeSelector", &["found string \"linux\"; expected a map"]),
        ),
        c(
            "a bad quantity in allocatable",
            Nodes,
            format!("{}status:\n  allocatable:\n    cpu: four\n", node("a")),
            w(1, 7, 10, "status.allocatable.cpu", &["four"]),
        ),
        c(
            "a container without image",
            DaemonSet,
            DS.replace("        image: example.com/agent:1.0\n", ""),
            w(1, 16, 9, "spec.template.spec.containers[0].image", &["found no image; expected a container image"]),
        ),
        c(
            "node without a name",
            Nodes,
            "apiVersion: v1\nkind: Node\nmetadata:\n  labels:\n    a: b\n",
            w(1, 4, 3, "metadata.name", &["found no name; expected metadata.name on every Node"]),
        ),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let got = run(case.parser, &case.input, case.file);
        let Err(e) = got else {
            failures.push(format!("{}: accepted, expected an error", case.name));
            continue;
        };
        let want = &case.want;
        let mut bad = Vec::new();
        if e.file != case.file {
            bad.push(format!("file {:?}", e.file));
        }
        if (e.document, e.line, e.column) != (want.document, want.line, want.column) {
            bad.push(format!(
                "document/line/column {:?}, want {:?}",
                (e.document, e.line, e.column),
                (want.document, want.line, want.column)
            ));
        }
        if e.path != want.path {
            bad.push(format!("path {:?}, want {:?}", e.path, want.path));
        }
        for m in want.message {
            if !e.message.contains(m) {
                bad.push(format!("message lacks {m:?}"));
            }
        }
        // The Display form is what the CLI prints: file:line:column: document N, path: message.
        let shown = e.to_string();
        let mut prefix = case.file.to_string();
        if want.line > 0 {
            prefix.push_str(&format!(":{}:{}", want.line, want.column));
        }
        if !shown.starts_with(&prefix) || !shown.contains(&e.message) {
            bad.push(format!("display {shown:?}"));
        }
        if want.document > 0 && !shown.contains(&format!("document {}", want.document)) {
            bad.push(format!("display lacks the document: {shown:?}"));
        }
        if !want.path.is_empty() && !shown.contains(want.path) {
            bad.push(format!("display lacks the path: {shown:?}"));
        }
        if !bad.is_empty() {
            failures.push(format!("{}: {}\n    got: {shown}", case.name, bad.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn display_form_of_an_error() {
    let e = parse_daemonset(DS.replace("apps/v1", "apps/v1beta2").as_bytes(), "ds.yaml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "ds.yaml:1:13: document 1, apiVersion: found apiVersion apps/v1beta2; expected apps/v1 (that API version was removed in Kubernetes v1.16; use apps/v1)"
    );
    let e = parse_daemonset(
        DS.replace("kind: DaemonSet", "kind: Deployment").as_bytes(),
        "ds.yaml",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "ds.yaml: found no DaemonSet (skipped 1 other object: 1 Deployment); expected a DaemonSet (apps/v1)"
    );
    let e = parse_nodes(b"", "-").unwrap_err();
    assert_eq!(
        e.to_string(),
        "-: is empty (no YAML document with content); expected a Kubernetes manifest"
    );
}

// ---------------------------------------------------------------------------------------------
// Accepted inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn kubectl_list_output_is_accepted() {
    // `kubectl get nodes -o yaml` prints `kind: List` with full Node items.
    let list = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/nodes-list.yaml"
    ))
    .unwrap();
    let nodes = parse_nodes(&list, "nodes-list.yaml").unwrap();
    let names: Vec<_> = nodes.iter().map(|n| n.metadata.name.clone().unwrap()).collect();
    assert_eq!(names, ["control-plane", "worker-1", "worker-2"]);
    // status is kept where k8s-openapi models it; managedFields (field ownership records,
    // never read by the lab) are left out.
    assert!(nodes[0].metadata.managed_fields.is_none());
    assert!(nodes[0].status.as_ref().unwrap().allocatable.is_some());

    // A typed NodeList from the API: items may leave out kind/apiVersion.
    let typed = "apiVersion: v1\nkind: NodeList\nmetadata:\n  resourceVersion: \"1\"\nitems:\n- metadata:\n    name: a\n- metadata:\n    name: b\n  spec:\n    unschedulable: true\n";
    let nodes = parse_nodes(typed.as_bytes(), "nodes.yaml").unwrap();
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[1].spec.as_ref().unwrap().unschedulable, Some(true));

    // Unknown fields (a future API field, a typo'd annotation block) are ignored, not fatal.
    let unknown = format!("{}spec:\n  futureField: 3\nextraTopLevel: yes\n", node("x"));
    assert_eq!(parse_nodes(unknown.as_bytes(), "n.yaml").unwrap().len(), 1);

    // A PodList.
    let pods = "apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: p\n  spec:\n    nodeName: a\n    containers:\n    - name: c\n      image: i\n";
    assert_eq!(parse_pods(pods.as_bytes(), "pods.yaml").unwrap().len(), 1);
}

#[test]
fn multi_document_files_are_accepted() {
    let text = format!(
        "# nodes\n---\n{}---\n{}---\n# trailing comment only\n",
        node("a"),
        node("b")
    );
    let nodes = parse_nodes(text.as_bytes(), "nodes.yaml").unwrap();
    assert_eq!(nodes.len(), 2);
    // A List and single documents mixed in one file.
    let mixed = format!(
        "{}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: c\n",
        node("a")
    );
    assert_eq!(parse_nodes(mixed.as_bytes(), "n.yaml").unwrap().len(), 2);
    // Several DaemonSets for the simulator.
    let two = format!(
        "{DS}---\n{}",
        DS.replace("name: agent\n  namespace", "name: agent-2\n  namespace")
    );
    assert_eq!(parse_daemonsets(two.as_bytes(), "ds.yaml").unwrap().len(), 2);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let crlf = format!("\u{feff}{}", DS.replace('\n', "\r\n"));
    let ds = parse_daemonset(crlf.as_bytes(), "ds.yaml").unwrap();
    assert_eq!(ds.metadata.name.as_deref(), Some("agent"));
}

/// §4.2: for Gt/Lt the API server checks only the number of values; a non-integer value is
/// accepted (and the term matches nothing — a plan warning, see plan_cases.rs).
#[test]
fn gt_with_a_non_integer_value_is_accepted_by_the_api() {
    let text = format!("{DS}{AFFINITY}              - key: gpus\n                operator: Gt\n                values: [\"4.0\"]\n");
    let ds = parse_daemonset(text.as_bytes(), "ds.yaml").unwrap();
    let nodes = parse_nodes(node("a").as_bytes(), "n.yaml").unwrap();
    let p = plan(&ds, &nodes, &[], Mode::Current);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(
        p.warnings[0].path,
        format!("{TERMS_PATH}.matchExpressions[0].values[0]")
    );
    assert!(p.warnings[0].message.contains("\"4.0\" is not an integer"));
    assert!(!p.nodes[0].should_run);
}

// ---------------------------------------------------------------------------------------------
// Never panics
// ---------------------------------------------------------------------------------------------

/// A tiny deterministic generator (Knuth's MMIX LCG); no dependency needed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Feeds `input` to every parser and, where something parses, to `plan` (both modes) and
/// `new_daemon_pod`. Returns a description of the panic, if any.
fn exercise(input: &[u8], ds_ok: &[u8], nodes_ok: &[u8]) -> Option<String> {
    let r = std::panic::catch_unwind(|| {
        let base_ds = parse_daemonset(ds_ok, "ds").unwrap();
        let base_nodes = parse_nodes(nodes_ok, "nodes").unwrap();
        let _ = parse_daemonsets(input, "x");
        let _ = parse_pods(input, "x");
        let pods = parse_pods(input, "x").unwrap_or_default();
        if let Ok(ds) = parse_daemonset(input, "x") {
            for mode in [Mode::Current, Mode::Legacy] {
                let _ = plan(&ds, &base_nodes, &pods, mode);
                let _ = new_daemon_pod(&ds, "worker-1", mode);
            }
        }
        if let Ok(nodes) = parse_nodes(input, "x") {
            let read_once = Nodes::new(nodes.clone());
            for mode in [Mode::Current, Mode::Legacy] {
                let p = plan(&base_ds, &nodes, &pods, mode);
                assert_eq!(
                    plan_on(&base_ds, &read_once, &pods, mode),
                    p,
                    "plan_on differs from plan"
                );
            }
        }
    });
    r.err().map(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn never_panics_on_mutated_examples() {
    let ds_ok = example("log-agent.yaml");
    let nodes_ok = example("nodes-list.yaml");
    let files = [
        example("kube-proxy.yaml"),
        example("log-agent.yaml"),
        example("nodes-list.yaml"),
    ];
    // Quiet the default hook: a panic is reported below with the input that caused it.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Lcg(0x0d5_1ab);
    let interesting: &[u8] = b":-[]{}\"'&*!#|>?%@` \n\t0123456789.xNn\xff\x00";
    let mut failures = Vec::new();
    let mut tried = 0usize;
    let mut check = |input: Vec<u8>, what: String| {
        tried += 1;
        if let Some(msg) = exercise(&input, &ds_ok, &nodes_ok) {
            failures.push(format!(
                "{what}: panicked: {msg}\n--- input ---\n{}",
                String::from_utf8_lossy(&input)
            ));
        }
    };
    for (fi, f) in files.iter().enumerate() {
        // Every prefix at a line boundary.
        for (i, _) in f.iter().enumerate().filter(|(_, b)| **b == b'\n') {
            check(f[..i].to_vec(), format!("file {fi} prefix of {i} bytes"));
        }
        // Random byte flips (1 to 4 per input).
        for k in 0..300 {
            let mut m = f.clone();
            for _ in 0..=rng.below(4) {
                let at = rng.below(m.len());
                m[at] = interesting[rng.below(interesting.len())];
            }
            check(m, format!("file {fi} flip #{k}"));
        }
        // Random truncation at any byte, and line deletion / duplication.
        for k in 0..100 {
            let at = rng.below(f.len());
            check(f[..at].to_vec(), format!("file {fi} cut at {at} (#{k})"));
            let text = String::from_utf8_lossy(f).to_string();
            let mut lines: Vec<&str> = text.lines().collect();
            let l = rng.below(lines.len());
            if k % 2 == 0 {
                lines.remove(l);
            } else {
                lines.insert(l, lines[l]);
            }
            check(
                lines.join("\n").into_bytes(),
                format!("file {fi} line edit #{k} at {l}"),
            );
        }
    }
    // Hostile YAML: deep nesting, an alias bomb, huge numbers, odd scalars.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let huge = String::from_utf8(ds_ok.clone())
        .unwrap()
        .replace("cpu: 100m", "cpu: 99999999999999999999999999999999999999999Ei")
        .replace("containerPort: 2020", "containerPort: 99999999999999999999");
    let weird_alloc = String::from_utf8(nodes_ok.clone())
        .unwrap()
        .replace("cpu: \"4\"", "cpu: \"-4\"")
        .replace("pods: \"110\"", "pods: \"0\"");
    for (name, text) in [
        ("deep nesting", deep),
        ("alias bomb", bomb.to_string()),
        ("huge quantities", huge),
        ("negative allocatable", weird_alloc),
        ("tagged value", "!!binary aGVsbG8=\n".to_string()),
        ("nul bytes", "\0\0\0".to_string()),
    ] {
        check(text.into_bytes(), name.to_string());
    }
    std::panic::set_hook(hook);
    assert!(tried > 1500, "only {tried} inputs tried");
    assert!(
        failures.is_empty(),
        "{} of {tried} inputs panicked:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
