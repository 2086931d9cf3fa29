//! Grading. Answers that depend on scheduling come from the core: a predict question's answer is
//! read off the lesson scenario's timeline; a fix-yaml answer is judged by `plan`.

use super::{Lesson, PredictAsk, Question, QuestionKind};
use crate::cluster::ClusterView;
use crate::simulate::Timeline;
use serde::{Deserialize, Serialize};

/// What a learner answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "value")]
pub enum Response {
    /// Index into the choices.
    Choice(usize),
    Choices(Vec<usize>),
    Bool(bool),
    /// Indexes of the steps in the order given.
    Order(Vec<usize>),
    /// Node names (predict nodes-running / should-run).
    Nodes(Vec<String>),
    /// A pod state (predict pod-state).
    State(String),
    /// Edited DaemonSet YAML (fix-yaml).
    Yaml(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Graded {
    pub correct: bool,
    /// The right answer in words.
    pub expected: String,
    /// Why the learner's answer is judged so (for fix-yaml: the verdict or the YAML error).
    pub detail: Option<String>,
}

/// The states a pod-state question offers.
pub const POD_STATES: &[&str] = &[
    "Running",
    "Pending",
    "ContainerCreating",
    "CrashLoopBackOff",
    "Terminating",
    "No pod",
];

/// Runs the lesson's scenario once (callers keep the result for all its questions).
pub fn run_lesson(lesson: &Lesson) -> Option<Timeline> {
    lesson.scenario.as_ref().map(crate::simulate::run)
}

fn first_ds(view: &ClusterView) -> Option<String> {
    view.daemonsets.first().map(|d| d.name.clone())
}

/// The cluster a predict question looks at.
pub fn predict_view(t: &Timeline, after: usize) -> ClusterView {
    t.before_event(after)
}

/// The options a predict question shows: the nodes at that point, the pod states, or the
/// revisions the DaemonSet has had.
pub fn predict_options(t: &Timeline, q: &Question) -> Vec<String> {
    match &q.kind {
        QuestionKind::Predict {
            ask: PredictAsk::PodState,
            ..
        } => POD_STATES.iter().map(|s| s.to_string()).collect(),
        QuestionKind::Predict {
            ask: PredictAsk::PodRevision,
            ..
        } => {
            let last = t.before_event(t.event_steps.len());
            let mut revs: Vec<i64> = last
                .daemonsets
                .first()
                .map(|d| d.history.iter().map(|h| h.0).collect())
                .unwrap_or_default();
            revs.extend(t.revisions.iter().map(|r| r.revision));
            crate::sort::sort(&mut revs);
            revs.dedup();
            let mut out: Vec<String> = revs.into_iter().map(|r| format!("revision {r}")).collect();
            out.push("No pod".into());
            out
        }
        QuestionKind::Predict { after, .. } => predict_view(t, *after)
            .nodes
            .iter()
            .map(|n| n.name.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// The DaemonSet's pod on a node at that point: the oldest one not being deleted.
fn pod_on<'v>(view: &'v ClusterView, ds: &Option<String>, node: &str) -> Option<&'v crate::cluster::PodView> {
    view.pods
        .iter()
        .filter(|p| ds.is_some() && p.owner.as_deref() == ds.as_deref() && p.node.as_deref() == Some(node))
        .min_by_key(|p| (p.phase == "Terminating", p.created))
}

/// The right answer of a predict question, computed from the timeline (sorted node names, or a
/// single state or revision).
pub fn predict_answer(t: &Timeline, q: &Question) -> Vec<String> {
    let QuestionKind::Predict { after, ask, node } = &q.kind else {
        return Vec::new();
    };
    let view = predict_view(t, *after);
    let ds = first_ds(&view);
    let owned = |p: &&crate::cluster::PodView| ds.is_some() && p.owner.as_deref() == ds.as_deref();
    let node = node.clone().unwrap_or_default();
    // The nodes (that still exist) where one of the DaemonSet's pods is in `phase`, sorted.
    let nodes_with_pod_in_phase = |phase: &str| {
        let mut nodes: Vec<String> = view
            .pods
            .iter()
            .filter(owned)
            .filter(|p| p.phase == phase)
            .filter_map(|p| p.node.as_deref().map(str::to_string))
            .filter(|n| view.nodes.iter().any(|x| x.name == *n))
            .collect();
        crate::sort::sort(&mut nodes);
        nodes.dedup();
        nodes
    };
    match ask {
        PredictAsk::NodesRunning => nodes_with_pod_in_phase("Running"),
        PredictAsk::ShouldRun => {
            let mut nodes: Vec<String> = view
                .nodes
                .iter()
                .filter(|n| n.should_run)
                .map(|n| n.name.to_string())
                .collect();
            crate::sort::sort(&mut nodes);
            nodes
        }
        PredictAsk::PodState => {
            vec![pod_on(&view, &ds, &node).map_or_else(|| "No pod".into(), |p| p.phase.to_string())]
        }
        PredictAsk::PodRevision => vec![pod_on(&view, &ds, &node)
            .and_then(|p| p.revision)
            .map_or_else(|| "No pod".into(), |r| format!("revision {r}"))],
        PredictAsk::NodesPending => nodes_with_pod_in_phase("Pending"),
        PredictAsk::NodesMisscheduled => {
            let mut nodes: Vec<String> = view
                .nodes
                .iter()
                .filter(|n| !n.should_run)
                .filter(|n| {
                    view.pods
                        .iter()
                        .filter(owned)
                        .any(|p| p.node.as_deref() == Some(&*n.name))
                })
                .map(|n| n.name.to_string())
                .collect();
            crate::sort::sort(&mut nodes);
            nodes
        }
        PredictAsk::NodesUpdated => {
            let current = view.daemonsets.first().and_then(|d| d.current_revision);
            let mut nodes: Vec<String> = view
                .nodes
                .iter()
                .filter(|n| {
                    current.is_some() && pod_on(&view, &ds, &n.name).and_then(|p| p.revision) == current
                })
                .map(|n| n.name.to_string())
                .collect();
            crate::sort::sort(&mut nodes);
            nodes
        }
    }
}

/// The nodes on which a DaemonSet (YAML text) would run a pod, per the core's verdict, against
/// the lesson scenario's nodes and pods.
pub fn fix_yaml_runs_on(lesson: &Lesson, yaml: &str) -> Result<Vec<String>, String> {
    let sc = lesson.scenario.as_ref().ok_or("the lesson has no scenario")?;
    let ds = crate::api::parse_daemonset(yaml.as_bytes(), "your DaemonSet").map_err(|e| e.to_string())?;
    let plan = crate::plan::plan(&ds, &sc.nodes, &sc.pods, sc.mode);
    let mut nodes: Vec<String> = plan
        .nodes
        .iter()
        .filter(|v| v.runs())
        .map(|v| v.name.clone())
        .collect();
    crate::sort::sort(&mut nodes);
    Ok(nodes)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    crate::sort::sort(&mut v);
    v.dedup();
    v
}

/// Grades one answer. `timeline` is the lesson scenario's run (needed by predict questions).
pub fn grade(lesson: &Lesson, q: &Question, timeline: Option<&Timeline>, r: &Response) -> Graded {
    let no = |expected: String, detail: Option<String>| Graded {
        correct: false,
        expected,
        detail,
    };
    match (&q.kind, r) {
        (QuestionKind::Single { choices, answer }, Response::Choice(i)) => Graded {
            correct: choices.get(*i) == Some(answer),
            expected: answer.clone(),
            detail: None,
        },
        (QuestionKind::Multiple { choices, answers }, Response::Choices(picked)) => {
            let got = sorted(picked.iter().filter_map(|i| choices.get(*i).cloned()).collect());
            let want = sorted(answers.clone());
            Graded {
                correct: got == want,
                expected: want.join("; "),
                detail: None,
            }
        }
        (QuestionKind::TrueFalse { answer }, Response::Bool(b)) => Graded {
            correct: b == answer,
            expected: if *answer { "True".into() } else { "False".into() },
            detail: None,
        },
        (QuestionKind::Order { steps }, Response::Order(order)) => {
            let correct = order.len() == steps.len() && order.iter().enumerate().all(|(i, x)| i == *x);
            Graded {
                correct,
                expected: steps.join(" → "),
                detail: None,
            }
        }
        (QuestionKind::Predict { ask, .. }, resp) => {
            let Some(t) = timeline else {
                return no("(the scenario did not run)".into(), None);
            };
            let want = predict_answer(t, q);
            let expected = match ask {
                PredictAsk::PodState | PredictAsk::PodRevision => want.first().cloned().unwrap_or_default(),
                _ if want.is_empty() => "no node".into(),
                _ => want.join(", "),
            };
            let correct = match (ask, resp) {
                (PredictAsk::PodState | PredictAsk::PodRevision, Response::State(s)) => {
                    want.first() == Some(s)
                }
                (_, Response::Nodes(n)) => sorted(n.clone()) == want,
                _ => false,
            };
            Graded {
                correct,
                expected,
                detail: None,
            }
        }
        (QuestionKind::FixYaml { run_on, .. }, Response::Yaml(text)) => {
            let want = sorted(run_on.clone());
            let expected = format!("a pod on exactly: {}", want.join(", "));
            match fix_yaml_runs_on(lesson, text) {
                Err(e) => no(expected, Some(e)),
                Ok(got) => {
                    let detail = if got.is_empty() {
                        "it would run on no node".to_string()
                    } else {
                        format!("it would run on: {}", got.join(", "))
                    };
                    Graded {
                        correct: got == want,
                        expected,
                        detail: Some(detail),
                    }
                }
            }
        }
        _ => no("(this kind of answer does not fit the question)".into(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = r#"---
id: t
title: T
order: 1
summary: s
scenario: |
  daemonset:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: a, image: "a:1"}]}
  nodes:
  - {apiVersion: v1, kind: Node, metadata: {name: n1}}
  - {apiVersion: v1, kind: Node, metadata: {name: n2}}
  events:
  - {action: taint, node: n1, taint: {key: k, effect: NoSchedule}}
  - {action: taint, node: n2, taint: {key: k, effect: NoExecute}}
questions:
- {id: q0, kind: predict, section: s, after: 0, ask: nodes-running, prompt: p, explanation: e}
- {id: q1, kind: predict, section: s, after: 1, ask: should-run, prompt: p, explanation: e}
- {id: q2, kind: predict, section: s, after: 2, ask: nodes-running, prompt: p, explanation: e}
- {id: q3, kind: predict, section: s, after: 2, ask: pod-state, node: n2, prompt: p, explanation: e}
- {id: q4, kind: single, section: s, choices: [a, b], answer: b, prompt: p, explanation: e}
---
# T
## S {#s}
"#;

    #[test]
    fn predict_answers_come_from_the_timeline() {
        let l = super::super::parse(LESSON, "t.md").unwrap();
        let t = run_lesson(&l).unwrap();
        let cases = [
            ("initial settle: both nodes run it", 0, vec!["n1", "n2"]),
            ("after NoSchedule: controller no longer wants n1", 1, vec!["n2"]),
            ("after NoExecute: only n1 keeps its pod", 2, vec!["n1"]),
            ("pod on n2 is gone", 3, vec!["No pod"]),
        ];
        for (name, qi, want) in cases {
            assert_eq!(predict_answer(&t, &l.questions[qi]), want, "{name}");
        }
        let g = grade(&l, &l.questions[2], Some(&t), &Response::Nodes(vec!["n1".into()]));
        assert!(g.correct);
        let g = grade(
            &l,
            &l.questions[2],
            Some(&t),
            &Response::Nodes(vec!["n1".into(), "n2".into()]),
        );
        assert!(!g.correct);
        assert_eq!(g.expected, "n1");
        assert!(grade(&l, &l.questions[4], None, &Response::Choice(1)).correct);
        assert!(!grade(&l, &l.questions[4], None, &Response::Choice(0)).correct);
    }

    #[test]
    fn lesson_errors_name_the_line() {
        let bad = LESSON.replace("section: s, choices", "section: nope, choices");
        let e = super::super::parse(&bad, "t.md").unwrap_err();
        assert_eq!(e.line, 27, "{e}");
        assert!(e.message.contains("found section \"nope\""), "{e}");
        let bad = LESSON.replace("kind: single", "kind: essay");
        let e = super::super::parse(&bad, "t.md").unwrap_err();
        assert!(e.to_string().contains("found kind \"essay\""), "{e}");
    }

    #[test]
    fn revision_questions_follow_on_delete() {
        let lesson = r#"---
id: r
title: R
order: 1
summary: s
scenario: |
  daemonset:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      updateStrategy: {type: OnDelete}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: a, image: "a:1"}]}
  nodes:
  - {apiVersion: v1, kind: Node, metadata: {name: n1}}
  - {apiVersion: v1, kind: Node, metadata: {name: n2}}
  events:
  - {action: update-template, image: "a:2"}
  - {action: delete-pod, node: n1}
questions:
- {id: r1, kind: predict, section: s, after: 1, ask: pod-revision, node: n1, prompt: p, explanation: e}
- {id: r2, kind: predict, section: s, after: 2, ask: pod-revision, node: n1, prompt: p, explanation: e}
- {id: r3, kind: predict, section: s, after: 2, ask: nodes-updated, prompt: p, explanation: e}
---
# R
## S {#s}
"#;
        let l = super::super::parse(lesson, "r.md").unwrap();
        let t = run_lesson(&l).unwrap();
        assert_eq!(
            predict_answer(&t, &l.questions[0]),
            ["revision 1"],
            "OnDelete: nothing replaced yet"
        );
        assert_eq!(
            predict_answer(&t, &l.questions[1]),
            ["revision 2"],
            "the deleted pod comes back new"
        );
        assert_eq!(predict_answer(&t, &l.questions[2]), ["n1"]);
        assert_eq!(
            predict_options(&t, &l.questions[0]),
            ["revision 1", "revision 2", "No pod"]
        );
    }

    #[test]
    fn pending_and_misscheduled_questions() {
        let lesson = r#"---
id: p
title: P
order: 1
summary: s
scenario: |
  daemonset:
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {containers: [{name: a, image: "a:1", ports: [{containerPort: 80, hostPort: 80}]}]}
  nodes:
  - {apiVersion: v1, kind: Node, metadata: {name: n1}}
  - {apiVersion: v1, kind: Node, metadata: {name: n2}}
  - {apiVersion: v1, kind: Node, metadata: {name: n3}}
  pods:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: default}
    spec:
      nodeName: n3
      containers: [{name: w, image: "w:1", ports: [{containerPort: 8080, hostPort: 80}]}]
    status: {phase: Running}
  events:
  - {action: taint, node: n1, taint: {key: k, effect: NoSchedule}}
questions:
- {id: p0, kind: predict, section: s, after: 0, ask: nodes-pending, prompt: p, explanation: e}
- {id: p1, kind: predict, section: s, after: 0, ask: nodes-misscheduled, prompt: p, explanation: e}
- {id: p2, kind: predict, section: s, after: 1, ask: nodes-misscheduled, prompt: p, explanation: e}
- {id: p3, kind: predict, section: s, after: 1, ask: nodes-pending, prompt: p, explanation: e}
---
# P
## S {#s}
"#;
        let l = super::super::parse(lesson, "p.md").unwrap();
        let t = run_lesson(&l).unwrap();
        // (name, question, answer)
        let cases: [(&str, usize, &[&str]); 4] = [
            ("the host port is taken on n3: its pod waits", 0, &["n3"]),
            ("every node still wanted: nothing misscheduled", 1, &[]),
            ("a NoSchedule taint under a running pod: misscheduled", 2, &["n1"]),
            ("the taint changes nothing for n3's pending pod", 3, &["n3"]),
        ];
        for (name, qi, want) in cases {
            assert_eq!(predict_answer(&t, &l.questions[qi]), want, "{name}");
        }
        let g = grade(&l, &l.questions[2], Some(&t), &Response::Nodes(vec![]));
        assert!(!g.correct);
        assert_eq!(g.expected, "n1");
        assert!(grade(&l, &l.questions[1], Some(&t), &Response::Nodes(vec![])).correct);
    }
}
