//! "Quiz me": questions made from the learner's own cluster — the DaemonSet and nodes in the
//! playground's editors, plus other pods. Every answer is computed here by the core (`plan`, on
//! the cluster as it is or with one node changed), and every explanation is built from the
//! verdict's own reasons. The questions are ordinary lesson questions (single or multiple choice),
//! so the app asks and grades them like any other.
//!
//! What is asked, when the cluster allows it:
//! 1. which nodes run the pod (created by the controller and bound);
//! 2. why a given node has no running pod (the first blocking reason, controller first);
//! 3. what a NoSchedule, then a NoExecute taint added to a node that runs the pod would do;
//! 4. what removing a label the selector needs from such a node would do;
//! 5. how many pods the first wave of a rolling update replaces with these settings.

use super::{Question, QuestionKind};
use crate::api::SpecOf;
use crate::plan::{plan, NodeVerdict, Plan};
use crate::words::{Mode, ReasonCode};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The lesson sections the questions point to ("lesson-id#anchor").
const SEC_ELIGIBLE: &str = "what-is-a-daemonset#one-pod-per-eligible-node";
const SEC_WHY: &str = "troubleshooting#pod-not-scheduled";
const SEC_TAINTS: &str = "taints-and-tolerations#noschedule-vs-noexecute";
const SEC_LABELS: &str = "node-selector-and-affinity#labels-change";
const SEC_ROLLING: &str = "rolling-updates#max-unavailable";

/// At most this many nodes are offered as choices (the first ones by name).
pub const MAX_NODES: usize = 12;

const WHY_SELECTOR: &str = "The controller's check: the node does not match the nodeSelector, the required node affinity or the template's nodeName";
const WHY_TAINT: &str =
    "The controller's check: the node has a NoSchedule or NoExecute taint the pod does not tolerate";
const WHY_RESOURCES: &str =
    "The pod is created, but cannot be bound: not enough CPU, memory or pod slots on the node";
const WHY_PORTS: &str = "The pod is created, but cannot be bound: a host port it needs is taken on the node";
const WHY_CORDON: &str = "The node is cordoned (spec.unschedulable)";

const WOULD_STAY: &str =
    "Nothing changes for the DaemonSet: its pod stays, and a new one would still be created there";
const WOULD_KEEP: &str = "The running pod stays, but the controller would not create a new one there (the pod counts as misscheduled)";
const WOULD_GO: &str = "The pod is deleted, and no new one is created there";

fn single(
    id: String,
    section: &str,
    prompt: String,
    choices: Vec<String>,
    answer: String,
    explanation: String,
) -> Question {
    Question {
        id,
        kind: QuestionKind::Single { choices, answer },
        section: section.to_string(),
        prompt,
        explanation,
        myth: None,
        interview: false,
    }
}

/// What the verdict says about a node, in words (for explanations).
fn verdict_words(v: &NodeVerdict) -> String {
    if !v.should_run {
        let why = v.reasons.first().map_or("", |r| r.message.as_str());
        if v.should_continue_running {
            format!(
                "{}: the controller creates no pod there, though a pod already running would stay ({why})",
                v.name
            )
        } else {
            format!(
                "{}: the controller wants no pod there, and would delete one that runs ({why})",
                v.name
            )
        }
    } else if v.scheduler.schedulable == Some(false) {
        let why = v.scheduler.reasons.first().map_or("", |r| r.message.as_str());
        format!(
            "{}: the pod is created but cannot be bound, it stays Pending ({why})",
            v.name
        )
    } else {
        format!("{}: the pod is created and bound", v.name)
    }
}

fn why_choice(v: &NodeVerdict) -> Option<&'static str> {
    let code = if !v.should_run {
        v.reasons.first()?.code
    } else if v.scheduler.schedulable == Some(false) {
        v.scheduler.reasons.first()?.code
    } else {
        return None;
    };
    Some(match code {
        ReasonCode::NodeNameMismatch | ReasonCode::NodeSelector | ReasonCode::NodeAffinity => WHY_SELECTOR,
        ReasonCode::UntoleratedTaint => WHY_TAINT,
        ReasonCode::InsufficientResources => WHY_RESOURCES,
        ReasonCode::HostPortConflict => WHY_PORTS,
        ReasonCode::Unschedulable => WHY_CORDON,
    })
}

fn outcome(v: &NodeVerdict) -> &'static str {
    if v.should_run {
        WOULD_STAY
    } else if v.should_continue_running {
        WOULD_KEEP
    } else {
        WOULD_GO
    }
}

/// The plan with one node replaced by `changed`.
fn replan(
    ds: &DaemonSet,
    nodes: &[Node],
    pods: &[Pod],
    mode: Mode,
    at: usize,
    changed: Node,
) -> Option<NodeVerdict> {
    let mut nodes = nodes.to_vec();
    *nodes.get_mut(at)? = changed;
    plan(ds, &nodes, pods, mode).nodes.into_iter().nth(at)
}

fn name_of(n: &Node) -> &str {
    n.metadata.name.as_deref().unwrap_or("")
}

/// maxUnavailable and maxSurge resolve as the simulation's rolling update resolves them.
fn first_wave(ds: &DaemonSet, p: &Plan) -> Question {
    use crate::controller::daemonset::rolling_update::scaled;
    let name = ds.metadata.name.clone().unwrap_or_default();
    let desired = p.desired_number_scheduled as i64;
    let strategy = ds.spec().update_strategy.clone().unwrap_or_default();
    let on_delete = strategy.type_.as_deref() == Some("OnDelete");
    let ru = strategy.rolling_update.unwrap_or_default();
    let surge_v = ru.max_surge.unwrap_or(IntOrString::Int(0));
    let unav_v = ru.max_unavailable.unwrap_or(IntOrString::Int(1));
    let show = |v: &IntOrString| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    let (answer, how) = if on_delete {
        (0, "The strategy is OnDelete: the controller replaces no pod by itself; each node gets the new template only when its pod is deleted.".to_string())
    } else if desired == 0 {
        (
            0,
            "No node wants a pod (DESIRED is 0), so there is nothing to replace.".to_string(),
        )
    } else {
        let mut s = scaled(&surge_v, desired);
        let mut u = scaled(&unav_v, desired);
        if s == 0 && u == 0 {
            u = 1;
        }
        s = s.max(0);
        if s > 0 {
            let n = s.min(desired);
            (n, format!(
                "maxSurge {} of DESIRED {desired} is {s} (percentages round up for a DaemonSet), so the first wave creates {n} new pod(s) next to the old ones and deletes none; an old pod goes only once its new one is available.",
                show(&surge_v)
            ))
        } else {
            let n = u.min(desired);
            (n, format!(
                "maxUnavailable {} of DESIRED {desired} is {u} (percentages round up for a DaemonSet), so the first wave deletes {n} old, available pod(s); the controller creates their replacements once those nodes are empty.",
                show(&unav_v)
            ))
        }
    };
    let mut options: Vec<i64> = vec![answer, 0, 1, answer + 1, desired, (answer - 1).max(0)];
    crate::sort::sort(&mut options);
    options.dedup();
    options.truncate(4);
    if !options.contains(&answer) {
        options[3] = answer;
        crate::sort::sort(&mut options);
    }
    let words = |n: i64| match n {
        1 => "1 pod".to_string(),
        n => format!("{n} pods"),
    };
    single(
        "quiz-me-first-wave".into(),
        SEC_ROLLING,
        format!(
            "You change {name}'s pod template (a new image). With its update strategy as written, and every pod Running and available, how many pods does the first wave of the update replace?"
        ),
        options.iter().map(|n| words(*n)).collect(),
        words(answer),
        how,
    )
}

/// Questions about this cluster. Fewer when the cluster gives nothing to ask (no node, no node
/// without the pod, no selector label, …). `pods` are other workloads' pods already on the nodes.
pub fn questions(ds: &DaemonSet, nodes: &[Node], pods: &[Pod], mode: Mode) -> Vec<Question> {
    let mut out = Vec::new();
    if nodes.is_empty() {
        return out;
    }
    let name = ds.metadata.name.clone().unwrap_or_default();
    let p = plan(ds, nodes, pods, mode);
    let shown: Vec<&NodeVerdict> = p.nodes.iter().take(MAX_NODES).collect();
    let among = if p.nodes.len() > MAX_NODES {
        format!(" (among the first {MAX_NODES} nodes)")
    } else {
        String::new()
    };

    // 1. Which nodes run it.
    let running: Vec<String> = shown
        .iter()
        .filter(|v| v.runs())
        .map(|v| v.name.clone())
        .collect();
    if !running.is_empty() {
        out.push(Question {
            id: "quiz-me-runs".into(),
            kind: QuestionKind::Multiple {
                choices: shown.iter().map(|v| v.name.clone()).collect(),
                answers: running,
            },
            section: SEC_ELIGIBLE.into(),
            prompt: format!("On which nodes{among} does a {name} pod end up running — created by the DaemonSet controller and bound to the node?"),
            explanation: shown.iter().map(|v| verdict_words(v)).collect::<Vec<_>>().join(". ") + ".",
            myth: None,
            interview: false,
        });
    }

    // 2. Why not on a given node.
    if let Some((v, answer)) = shown.iter().find_map(|v| why_choice(v).map(|a| (v, a))) {
        out.push(single(
            format!("quiz-me-why-not-{}", v.name),
            SEC_WHY,
            format!("Why does {} have no running {name} pod?", v.name),
            [WHY_SELECTOR, WHY_TAINT, WHY_RESOURCES, WHY_PORTS, WHY_CORDON].map(String::from).to_vec(),
            answer.to_string(),
            format!(
                "{}. {}",
                verdict_words(v),
                if v.should_run {
                    "The controller only checks nodeName, nodeSelector, required node affinity and taints; everything else is the scheduler's, and a pod it cannot bind waits Pending on its node."
                } else {
                    "When the controller's own check fails, no pod is created at all — there is no Pending pod and no FailedScheduling event to look for."
                }
            ),
        ));
    }

    // 3. A taint on a node that runs the pod.
    if let Some(at) = p.nodes.iter().position(|v| v.runs()) {
        let node = &nodes[at];
        for effect in ["NoSchedule", "NoExecute"] {
            let mut changed = node.clone();
            let spec = changed.spec.get_or_insert_with(Default::default);
            spec.taints.get_or_insert_with(Vec::new).push(Taint {
                key: "example.com/quiz".into(),
                value: Some("true".into()),
                effect: effect.into(),
                time_added: None,
            });
            let Some(v) = replan(ds, nodes, pods, mode, at, changed) else {
                continue;
            };
            let answer = outcome(&v);
            out.push(single(
                format!("quiz-me-taint-{}-{}", effect.to_lowercase(), name_of(node)),
                SEC_TAINTS,
                format!(
                    "Someone runs kubectl taint nodes {} example.com/quiz=true:{effect}. What happens to {name} on that node?",
                    name_of(node)
                ),
                [WOULD_STAY, WOULD_KEEP, WOULD_GO].map(String::from).to_vec(),
                answer.to_string(),
                format!(
                    "{}. {}",
                    verdict_words(&v),
                    match answer {
                        WOULD_STAY => "The template's tolerations cover the taint.",
                        WOULD_KEEP => "An untolerated NoSchedule taint stops new pods but never evicts a running one.",
                        _ => "An untolerated NoExecute taint evicts the running pod, and the controller deletes its pods on a node where shouldContinueRunning is false.",
                    }
                ),
            ));
        }
        // 4. A label the selector needs, removed from that node.
        let selector = ds
            .spec()
            .template
            .spec
            .as_ref()
            .and_then(|s| s.node_selector.as_ref())
            .and_then(|m| m.keys().next().cloned());
        let labelled = node
            .metadata
            .labels
            .as_ref()
            .is_some_and(|l| selector.as_ref().is_some_and(|k| l.contains_key(k)));
        if let (Some(key), true) = (selector, labelled) {
            let mut changed = node.clone();
            if let Some(l) = changed.metadata.labels.as_mut() {
                l.remove(&key);
            }
            if let Some(v) = replan(ds, nodes, pods, mode, at, changed) {
                let answer = outcome(&v);
                out.push(single(
                    format!("quiz-me-unlabel-{}", name_of(node)),
                    SEC_LABELS,
                    format!(
                        "Someone runs kubectl label nodes {} {key}- (removing the label). What happens to {name} on that node?",
                        name_of(node)
                    ),
                    [WOULD_STAY, WOULD_KEEP, WOULD_GO].map(String::from).to_vec(),
                    answer.to_string(),
                    format!(
                        "{}. The DaemonSet controller re-evaluates nodeSelector and required node affinity on every node update: for DaemonSets, \"ignored during execution\" does not hold — a node that stops matching loses its pod.",
                        verdict_words(&v)
                    ),
                ));
            }
        }
    }

    // 5. The first wave of a rolling update.
    out.push(first_wave(ds, &p));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::quiz::{grade, Response};
    use crate::{parse_daemonset, parse_nodes};

    const DS: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluent-bit, namespace: logging}
spec:
  selector: {matchLabels: {app: fb}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 30%}}
  template:
    metadata: {labels: {app: fb}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers: [{name: fb, image: "fb:1", resources: {requests: {cpu: "3"}}}]
"#;
    const NODES: &str = r#"
- {apiVersion: v1, kind: Node, metadata: {name: cp, labels: {kubernetes.io/os: linux}}, spec: {taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]}}
- {apiVersion: v1, kind: Node, metadata: {name: w1, labels: {kubernetes.io/os: linux}}, status: {allocatable: {cpu: "4", pods: "110"}}}
- {apiVersion: v1, kind: Node, metadata: {name: w2, labels: {kubernetes.io/os: linux}}, status: {allocatable: {cpu: "2", pods: "110"}}}
- {apiVersion: v1, kind: Node, metadata: {name: win, labels: {kubernetes.io/os: windows}}}
- {apiVersion: v1, kind: Node, metadata: {name: w3, labels: {kubernetes.io/os: linux}}, status: {allocatable: {cpu: "4", pods: "110"}}}
- {apiVersion: v1, kind: Node, metadata: {name: w4, labels: {kubernetes.io/os: linux}}, status: {allocatable: {cpu: "4", pods: "110"}}}
"#;

    fn setup(ds: &str) -> Vec<Question> {
        let ds = parse_daemonset(ds.as_bytes(), "ds").unwrap();
        let nodes = parse_nodes(
            format!("apiVersion: v1\nkind: List\nitems:\n{NODES}").as_bytes(),
            "nodes",
        )
        .unwrap();
        questions(&ds, &nodes, &[], Mode::Current)
    }

    fn answer_of(q: &Question) -> String {
        match &q.kind {
            QuestionKind::Single { answer, .. } => answer.clone(),
            QuestionKind::Multiple { answers, .. } => answers.join(", "),
            _ => String::new(),
        }
    }

    #[test]
    fn answers_come_from_the_verdicts() {
        let qs = setup(DS);
        let by_id = |id: &str| {
            qs.iter()
                .find(|q| q.id == id)
                .unwrap_or_else(|| panic!("{id}: {qs:#?}"))
        };
        // (question, answer)
        let cases = [
            ("quiz-me-runs", "w1, w3, w4".to_string()),
            ("quiz-me-why-not-cp", WHY_TAINT.to_string()),
            ("quiz-me-taint-noschedule-w1", WOULD_KEEP.to_string()),
            ("quiz-me-taint-noexecute-w1", WOULD_GO.to_string()),
            ("quiz-me-unlabel-w1", WOULD_GO.to_string()),
            ("quiz-me-first-wave", "2 pods".to_string()),
        ];
        for (id, want) in cases {
            assert_eq!(answer_of(by_id(id)), want, "{id}");
        }
        // The explanation quotes the verdict.
        assert!(by_id("quiz-me-why-not-cp")
            .explanation
            .contains("node-role.kubernetes.io/control-plane"));
        assert!(by_id("quiz-me-runs")
            .explanation
            .contains("w2: the pod is created but cannot be bound"));
        assert!(by_id("quiz-me-first-wave")
            .explanation
            .contains("30% of DESIRED 4 is 2"));
    }

    #[test]
    fn graded_right_and_wrong_like_lesson_questions() {
        let qs = setup(DS);
        let lesson = crate::lessons::parse(
            "---\nid: quiz-me\ntitle: Quiz me\norder: 0\nsummary: s\n---\n# Q\n",
            "quiz-me",
        )
        .unwrap();
        for q in &qs {
            let (right, wrong) = match &q.kind {
                QuestionKind::Single { choices, answer } => {
                    let i = choices.iter().position(|c| c == answer).unwrap();
                    (Response::Choice(i), Response::Choice((i + 1) % choices.len()))
                }
                QuestionKind::Multiple { choices, answers } => {
                    let picked: Vec<usize> = (0..choices.len())
                        .filter(|i| answers.contains(&choices[*i]))
                        .collect();
                    (
                        Response::Choices(picked),
                        Response::Choices((0..choices.len()).collect()),
                    )
                }
                _ => unreachable!("{}", q.id),
            };
            assert!(grade(&lesson, q, None, &right).correct, "{}", q.id);
            assert!(!grade(&lesson, q, None, &wrong).correct, "{}", q.id);
            assert!(q.explanation.len() > 20, "{}", q.id);
        }
    }

    /// The first wave of an image change as the simulation plays it: pods the DaemonSet
    /// controller deletes (no surge) or creates (surge) at the moment of the change.
    fn simulated_first_wave(strategy: &str) -> usize {
        let yaml = format!(
            "daemonset:\n  apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {{name: fb, namespace: logging}}\n  spec:\n    selector: {{matchLabels: {{app: fb}}}}\n    updateStrategy: {strategy}\n    template:\n      metadata: {{labels: {{app: fb}}}}\n      spec: {{containers: [{{name: fb, image: \"fb:1\"}}]}}\nnodes:\n{}events:\n- {{at: 60, action: update-template, image: \"fb:2\"}}\n",
            (1..=5).map(|i| format!("- {{apiVersion: v1, kind: Node, metadata: {{name: w{i}}}}}\n")).collect::<String>()
        );
        let sc = crate::simulate::Scenario::from_yaml(yaml.as_bytes(), "wave").unwrap();
        let t = crate::simulate::run(&sc);
        t.steps
            .iter()
            .filter(|s| {
                s.time == 60
                    && s.actor == crate::cluster::Actor::DaemonsetController
                    && (&*s.action == "delete" || &*s.action == "create")
                    && s.object.starts_with("pod/")
            })
            .count()
    }

    #[test]
    fn the_first_wave_agrees_with_the_simulation() {
        let nodes: Vec<Node> = (1..=5)
            .map(|i| {
                let mut n = Node::default();
                n.metadata.name = Some(format!("w{i}"));
                n
            })
            .collect();
        for strategy in [
            "{type: RollingUpdate}",
            "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 30%}}",
            "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 3}}",
            "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 100%}}",
            "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}",
            "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 50%}}",
            "{type: OnDelete}",
        ] {
            let ds = parse_daemonset(
                format!("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: fb}}\nspec:\n  selector: {{matchLabels: {{app: fb}}}}\n  updateStrategy: {strategy}\n  template:\n    metadata: {{labels: {{app: fb}}}}\n    spec: {{containers: [{{name: fb, image: \"fb:1\"}}]}}\n").as_bytes(),
                "ds",
            )
            .unwrap();
            let qs = questions(&ds, &nodes, &[], Mode::Current);
            let q = qs.iter().find(|q| q.id == "quiz-me-first-wave").unwrap();
            let want = simulated_first_wave(strategy);
            let words = if want == 1 {
                "1 pod".to_string()
            } else {
                format!("{want} pods")
            };
            assert_eq!(answer_of(q), words, "{strategy}");
        }
    }

    #[test]
    fn every_question_points_to_a_lesson_section_that_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons");
        let lessons: Vec<crate::lessons::Lesson> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let p = e.ok()?.path();
                let name = p.file_name()?.to_str()?.to_string();
                (name.ends_with(".md") && name != "README.md")
                    .then(|| crate::lessons::parse(&std::fs::read_to_string(&p).unwrap(), &name).unwrap())
            })
            .collect();
        for section in [SEC_ELIGIBLE, SEC_WHY, SEC_TAINTS, SEC_LABELS, SEC_ROLLING] {
            let (id, anchor) = section.split_once('#').unwrap();
            let l = lessons
                .iter()
                .find(|l| l.id == id)
                .unwrap_or_else(|| panic!("{section}"));
            assert!(l.sections.iter().any(|s| s.id == anchor), "{section}");
        }
    }

    #[test]
    fn strategies_and_empty_clusters() {
        let surge = DS.replace("{maxUnavailable: 30%}", "{maxUnavailable: 0, maxSurge: 1}");
        let on_delete = DS.replace(
            "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 30%}}",
            "{type: OnDelete}",
        );
        let plain = DS.replace(
            "  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 30%}}\n",
            "",
        );
        // (name, manifest, answer of the first wave)
        let cases = [
            ("surge 1", surge.as_str(), "1 pod"),
            ("OnDelete", on_delete.as_str(), "0 pods"),
            ("defaults: maxUnavailable 1", plain.as_str(), "1 pod"),
        ];
        for (name, ds, want) in cases {
            let qs = setup(ds);
            let q = qs.iter().find(|q| q.id == "quiz-me-first-wave").unwrap();
            assert_eq!(answer_of(q), want, "{name}");
            if let QuestionKind::Single { choices, answer } = &q.kind {
                assert!(choices.contains(answer), "{name}");
            }
        }
        let ds = parse_daemonset(DS.as_bytes(), "ds").unwrap();
        assert!(
            questions(&ds, &[], &[], Mode::Current).is_empty(),
            "no node, no question"
        );
    }
}
