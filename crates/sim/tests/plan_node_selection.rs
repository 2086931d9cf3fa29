//! Table tests of the per-node verdict (over real YAML text), choosing nodes: the template's
//! nodeName, nodeSelector and required node affinity.
//!
//! Every case is named after the Kubernetes behaviour it pins and cites the source file given in
//! `shared/k8s-daemonset-semantics.md` (the § in brackets). Each case asserts, per node, the
//! controller's two answers with their reason codes AND message fragments, and the scheduler's
//! (or, in legacy mode, the controller's) placement verdict with its codes and text.

mod plan_support;

use plan_support::*;

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
