//! Table tests of the node-affinity matcher and its words.

use super::*;
use crate::testutil::{map as labels, required_affinity as affinity, requirement as req, term};

/// Operators as in `TestNodeSelectorRequirementsAsSelector` / labels.Requirement.Matches.
#[test]
fn match_expressions_operators() {
    let node = labels(&[
        ("zone", "a"),
        ("gpu-count", "4"),
        ("bad-int", "4.0"),
        ("empty", ""),
    ]);
    let cases = [
        ("In: value listed", req("zone", "In", &["a", "b"]), true),
        ("In: value not listed", req("zone", "In", &["b"]), false),
        ("In: label absent", req("rack", "In", &["1"]), false),
        ("NotIn: value not listed", req("zone", "NotIn", &["b"]), true),
        ("NotIn: value listed", req("zone", "NotIn", &["a"]), false),
        ("NotIn: label absent matches", req("rack", "NotIn", &["1"]), true),
        ("Exists: present", req("zone", "Exists", &[]), true),
        (
            "Exists: empty value still exists",
            req("empty", "Exists", &[]),
            true,
        ),
        ("Exists: absent", req("rack", "Exists", &[]), false),
        ("DoesNotExist: absent", req("rack", "DoesNotExist", &[]), true),
        ("DoesNotExist: present", req("zone", "DoesNotExist", &[]), false),
        ("Gt: greater", req("gpu-count", "Gt", &["3"]), true),
        ("Gt: equal is not greater", req("gpu-count", "Gt", &["4"]), false),
        ("Lt: smaller", req("gpu-count", "Lt", &["08"]), true),
        ("Lt: negative bound", req("gpu-count", "Lt", &["-3"]), false),
        (
            "Gt: node label not an integer",
            req("bad-int", "Gt", &["1"]),
            false,
        ),
        ("Gt: label absent", req("rack", "Gt", &["1"]), false),
        (
            "Gt: bound not an integer matches nothing",
            req("gpu-count", "Gt", &["abc"]),
            false,
        ),
    ];
    for (name, r, want) in cases {
        let a = affinity(vec![term(vec![r], vec![])]);
        assert_eq!(
            required_affinity_mismatch(Some(&a), "n", &node).is_none(),
            want,
            "{name}"
        );
    }
}

#[test]
fn terms_are_ored_and_requirements_anded() {
    let node = labels(&[("zone", "a"), ("disk", "ssd")]);
    let cases = [
        (
            "one term, both expressions hold",
            vec![term(
                vec![req("zone", "In", &["a"]), req("disk", "In", &["ssd"])],
                vec![],
            )],
            true,
        ),
        (
            "one term, one expression fails: AND",
            vec![term(
                vec![req("zone", "In", &["a"]), req("disk", "In", &["hdd"])],
                vec![],
            )],
            false,
        ),
        (
            "second term matches: OR",
            vec![
                term(vec![req("zone", "In", &["b"])], vec![]),
                term(vec![req("disk", "Exists", &[])], vec![]),
            ],
            true,
        ),
        ("empty term matches nothing", vec![term(vec![], vec![])], false),
        (
            "empty term skipped, next matches",
            vec![
                term(vec![], vec![]),
                term(vec![req("zone", "Exists", &[])], vec![]),
            ],
            true,
        ),
        (
            "unparsable term skipped, next matches",
            vec![
                term(vec![req("zone", "Gt", &["x"])], vec![]),
                term(vec![req("zone", "Exists", &[])], vec![]),
            ],
            true,
        ),
        (
            "matchFields In this node",
            vec![term(vec![], vec![req("metadata.name", "In", &["node-1"])])],
            true,
        ),
        (
            "matchFields In another node",
            vec![term(vec![], vec![req("metadata.name", "In", &["node-2"])])],
            false,
        ),
        (
            "matchFields NotIn another node",
            vec![term(vec![], vec![req("metadata.name", "NotIn", &["node-2"])])],
            true,
        ),
        (
            "matchFields with two values matches nothing",
            vec![term(
                vec![],
                vec![req("metadata.name", "In", &["node-1", "node-2"])],
            )],
            false,
        ),
        (
            "matchFields AND expressions",
            vec![term(
                vec![req("zone", "In", &["b"])],
                vec![req("metadata.name", "In", &["node-1"])],
            )],
            false,
        ),
    ];
    for (name, terms, want) in cases {
        let a = affinity(terms);
        assert_eq!(
            required_affinity_mismatch(Some(&a), "node-1", &node).is_none(),
            want,
            "{name}"
        );
    }
    assert!(
        required_affinity_mismatch(None, "node-1", &node).is_none(),
        "no affinity: no constraint"
    );
}

#[test]
fn node_selector_is_anded_with_exact_values() {
    let node = labels(&[("kubernetes.io/os", "linux"), ("disktype", "hdd")]);
    let sel = labels(&[("kubernetes.io/os", "linux")]);
    assert!(node_selector_mismatch(Some(&sel), &node).is_none());
    let sel = labels(&[("kubernetes.io/os", "linux"), ("disktype", "ssd")]);
    let why = node_selector_mismatch(Some(&sel), &node).unwrap();
    assert_eq!(why, "nodeSelector disktype=ssd but the node has disktype=hdd");
    let sel = labels(&[("region", "us-west")]);
    assert_eq!(
        node_selector_mismatch(Some(&sel), &node).unwrap(),
        "nodeSelector region=us-west but the node has no label region"
    );
    assert!(node_selector_mismatch(None, &node).is_none());
    assert!(node_selector_mismatch(Some(&Labels::new()), &node).is_none());
}

#[test]
fn warns_about_unparsable_gt_values() {
    let a = affinity(vec![term(vec![req("cores", "Gt", &["four"])], vec![])]);
    let w = unparsable_terms(Some(&a));
    assert_eq!(w.len(), 1);
    assert!(w[0]
        .0
        .ends_with("nodeSelectorTerms[0].matchExpressions[0].values[0]"));
    assert!(w[0].1.contains("not an integer"));
}

/// Every way of reading labels against the one matcher.
mod one_matcher {
    use super::*;
    use crate::testutil::{map as labels, required_affinity, requirement as req, term};

    type Terms = Vec<(Vec<NodeSelectorRequirement>, Vec<NodeSelectorRequirement>)>;

    fn spec(selector: &[(&str, &str)], terms: Option<Terms>) -> PodSpec {
        PodSpec {
            node_selector: (!selector.is_empty()).then(|| labels(selector)),
            affinity: terms
                .map(|terms| required_affinity(terms.into_iter().map(|(e, f)| term(e, f)).collect())),
            ..Default::default()
        }
    }

    /// Every way of reading a node's labels (one pass over its map, a snapshot's word numbers,
    /// key by key) gives the same answers, and a node has words exactly when it does not match.
    #[test]
    fn every_label_lookup_gives_the_same_answer_and_words() {
        let nodes = [
            (
                "node-1",
                labels(&[
                    ("zone", "a"),
                    ("disk", "ssd"),
                    ("cores", "4"),
                    ("kubernetes.io/os", "linux"),
                ]),
            ),
            (
                "node-2",
                labels(&[("zone", "b"), ("cores", "x"), ("kubernetes.io/os", "windows")]),
            ),
            ("node-3", labels(&[])),
            (
                "node-4",
                labels(&[("zone", ""), ("disk", "hdd"), ("cores", "-2")]),
            ),
        ];
        let cases: Vec<(&str, PodSpec)> = vec![
            ("nothing set", spec(&[], None)),
            (
                "nodeSelector one key",
                spec(&[("kubernetes.io/os", "linux")], None),
            ),
            (
                "nodeSelector two keys",
                spec(&[("kubernetes.io/os", "linux"), ("disk", "ssd")], None),
            ),
            ("nodeSelector empty value", spec(&[("zone", "")], None)),
            ("no terms matches nothing", spec(&[], Some(vec![]))),
            ("empty term", spec(&[], Some(vec![(vec![], vec![])]))),
            (
                "In",
                spec(&[], Some(vec![(vec![req("zone", "In", &["a", "b"])], vec![])])),
            ),
            (
                "NotIn",
                spec(&[], Some(vec![(vec![req("zone", "NotIn", &["a"])], vec![])])),
            ),
            (
                "Exists",
                spec(&[], Some(vec![(vec![req("disk", "Exists", &[])], vec![])])),
            ),
            (
                "DoesNotExist",
                spec(&[], Some(vec![(vec![req("disk", "DoesNotExist", &[])], vec![])])),
            ),
            (
                "Gt",
                spec(&[], Some(vec![(vec![req("cores", "Gt", &["3"])], vec![])])),
            ),
            (
                "Lt",
                spec(&[], Some(vec![(vec![req("cores", "Lt", &["0"])], vec![])])),
            ),
            (
                "Gt bound not an integer",
                spec(&[], Some(vec![(vec![req("cores", "Gt", &["three"])], vec![])])),
            ),
            (
                "Gt two values",
                spec(&[], Some(vec![(vec![req("cores", "Gt", &["1", "2"])], vec![])])),
            ),
            (
                "unknown operator",
                spec(&[], Some(vec![(vec![req("zone", "Matches", &["a"])], vec![])])),
            ),
            (
                "expressions ANDed",
                spec(
                    &[],
                    Some(vec![(
                        vec![req("zone", "In", &["a"]), req("disk", "In", &["hdd"])],
                        vec![],
                    )]),
                ),
            ),
            (
                "terms ORed",
                spec(
                    &[],
                    Some(vec![
                        (vec![req("zone", "In", &["b"])], vec![]),
                        (vec![req("disk", "Exists", &[])], vec![]),
                    ]),
                ),
            ),
            (
                "matchFields In",
                spec(
                    &[],
                    Some(vec![(vec![], vec![req("metadata.name", "In", &["node-2"])])]),
                ),
            ),
            (
                "matchFields NotIn",
                spec(
                    &[],
                    Some(vec![(vec![], vec![req("metadata.name", "NotIn", &["node-2"])])]),
                ),
            ),
            (
                "matchFields two values",
                spec(
                    &[],
                    Some(vec![(
                        vec![],
                        vec![req("metadata.name", "In", &["node-1", "node-2"])],
                    )]),
                ),
            ),
            (
                "matchFields other key",
                spec(
                    &[],
                    Some(vec![(vec![], vec![req("metadata.uid", "In", &["node-1"])])]),
                ),
            ),
            (
                "matchFields AND expressions",
                spec(
                    &[],
                    Some(vec![(
                        vec![req("zone", "In", &["a"])],
                        vec![req("metadata.name", "In", &["node-1"])],
                    )]),
                ),
            ),
            (
                "selector AND affinity, same key",
                spec(
                    &[("zone", "a")],
                    Some(vec![(vec![req("zone", "NotIn", &["a"])], vec![])]),
                ),
            ),
        ];
        // The same nodes as a snapshot, for the word-number path.
        let as_nodes: Vec<_> = nodes
            .iter()
            .map(|(n, l)| {
                let pairs: Vec<(&str, &str)> = l.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                crate::testutil::node(n, &pairs, vec![])
            })
            .collect();
        let snapshot = crate::scheduler::node_info::NodeSnapshot::of(&as_nodes);
        for (name, spec) in &cases {
            let compiled = RequiredNodeAffinity::new(spec);
            let wanted = compiled.wanted_words(snapshot.words()).expect("few keys");
            for (i, (node, l)) in nodes.iter().enumerate() {
                let got = compiled.matches(node, l);
                assert_eq!(
                    compiled.matches_words(node, snapshot.labels(i), snapshot.words(), &wanted),
                    got,
                    "{name} on {node}: snapshot"
                );
                let want_sel = node_selector_mismatch(spec.node_selector.as_ref(), l).is_none();
                let want_aff = required_affinity_mismatch(spec.affinity.as_ref(), node, l).is_none();
                assert_eq!(got.node_selector, want_sel, "{name} on {node}: nodeSelector");
                assert_eq!(got.required_affinity, want_aff, "{name} on {node}: affinity");
                assert_eq!(
                    compiled.answer(node, &compiled.looked_up(l)),
                    got,
                    "{name} on {node}: key by key"
                );
            }
        }
    }

    #[test]
    fn keys_whose_lengths_share_a_bucket_are_told_apart() {
        let short = "k2";
        let long = format!("k{}", "x".repeat(33)); // 34 bytes: the same bucket as 2 bytes
        let wanted = [(short, "a"), (long.as_str(), "b")];
        let compiled = RequiredNodeAffinity::new(&spec(&wanted, None));
        let cases = [
            (
                "both keys with their values",
                vec![(short, "a"), (long.as_str(), "b")],
                true,
            ),
            ("values swapped", vec![(short, "b"), (long.as_str(), "a")], false),
            ("only the long key", vec![(long.as_str(), "b")], false),
            ("only the short key", vec![(short, "a")], false),
        ];
        for (name, node_labels, want) in cases {
            let got = compiled.matches("n", &labels(&node_labels)).node_selector;
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn more_keys_than_one_pass_keeps_falls_back() {
        let keys: Vec<(String, String)> = (0..MAX_KEYS + 3)
            .map(|i| (format!("k{i}"), "v".to_string()))
            .collect();
        let pairs: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let s = spec(&pairs, None);
        let compiled = RequiredNodeAffinity::new(&s);
        assert!(compiled.matches("n", &labels(&pairs)).both());
        assert!(!compiled.matches("n", &labels(&pairs[1..])).node_selector);
    }
}
