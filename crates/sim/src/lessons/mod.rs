//! Lessons: one plain-text file each (YAML front matter + Markdown body), with an embedded
//! scenario and quiz questions. Answers that depend on scheduling are computed by the core
//! (`quiz`), never typed by hand; `check` validates a whole folder for `dslab lessons check`.
//!
//! The format is documented in `lessons/README.md`.

pub mod check;
pub mod quiz;
pub mod quiz_me;

use crate::api::{FieldPath, InputError};
use crate::simulate::Scenario;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone)]
pub struct Lesson {
    pub file: String,
    pub id: String,
    pub title: String,
    pub order: i64,
    pub summary: String,
    /// The Markdown body (after the front matter).
    pub body: String,
    /// Line of the body's first line in the file (1-based).
    pub body_line: usize,
    pub sections: Vec<Section>,
    /// The scenario's YAML text, as written (for "try it in the playground").
    pub scenario_yaml: Option<String>,
    pub scenario: Option<Scenario>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Anchor: `{#id}` after the heading, or the heading's slug.
    pub id: String,
    pub title: String,
    pub level: usize,
}

/// Serialize: Quiz me's questions travel from the app's worker as YAML, read back as a lesson's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Question {
    pub id: String,
    #[serde(flatten)]
    pub kind: QuestionKind,
    /// The body section it tests (an anchor id).
    pub section: String,
    pub prompt: String,
    pub explanation: String,
    /// The common wrong belief this question tests, when it tests one.
    #[serde(default)]
    pub myth: Option<String>,
    /// Marks one of the seed document's interview questions.
    #[serde(default)]
    pub interview: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum QuestionKind {
    /// One right choice, given by its text.
    Single {
        choices: Vec<String>,
        answer: String,
    },
    /// Several right choices.
    Multiple {
        choices: Vec<String>,
        answers: Vec<String>,
    },
    TrueFalse {
        answer: bool,
    },
    /// Steps listed in the right order; the app shuffles them.
    Order {
        steps: Vec<String>,
    },
    /// The answer comes from running the lesson's scenario.
    Predict {
        /// Look at the cluster after event N has settled (0: after the initial settle).
        after: usize,
        ask: PredictAsk,
        #[serde(default)]
        node: Option<String>,
    },
    /// The learner edits a DaemonSet until the core's verdict runs it exactly on `run-on`.
    FixYaml {
        start: String,
        solution: String,
        #[serde(rename = "run-on")]
        run_on: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PredictAsk {
    /// Which nodes have a Running pod of the DaemonSet.
    NodesRunning,
    /// Which nodes the controller wants a pod on (shouldRun).
    ShouldRun,
    /// The state of the DaemonSet's pod on `node`.
    PodState,
    /// The revision of the DaemonSet's pod on `node` ("revision 2", or "No pod").
    PodRevision,
    /// Which nodes run a pod of the DaemonSet's current revision (UP-TO-DATE).
    NodesUpdated,
    /// Which nodes have a Pending pod of the DaemonSet (any of its pods there, a surge pod too).
    NodesPending,
    /// Which nodes have a pod of the DaemonSet while shouldRun is false there (numberMisscheduled).
    NodesMisscheduled,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrontMatter {
    id: String,
    title: String,
    order: i64,
    summary: String,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    questions: Vec<serde_yaml::Value>,
}

const COMMON_KEYS: &[&str] = &[
    "id",
    "kind",
    "section",
    "prompt",
    "explanation",
    "myth",
    "interview",
];

/// The keys each kind of question takes besides the common ones.
fn kind_keys(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "single" => &["choices", "answer"],
        "multiple" => &["choices", "answers"],
        "true-false" => &["answer"],
        "order" => &["steps"],
        "predict" => &["after", "ask", "node"],
        "fix-yaml" => &["start", "solution", "run-on"],
        _ => return None,
    })
}

fn err(file: &str, line: usize, column: usize, path: &str, message: impl Into<String>) -> InputError {
    InputError {
        file: file.into(),
        document: 0,
        line,
        column,
        path: path.into(),
        message: message.into(),
    }
}

/// The slug GitHub-style Markdown gives a heading: lowercase, spaces to '-', other punctuation out.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// Headings of the body (`#`, `##`, `###`), with `{#anchor}` ids or slugs. Fenced code is skipped.
pub fn sections(body: &str) -> Vec<Section> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let level = line.chars().take_while(|c| *c == '#').count();
        if level == 0 || level > 4 || !line[level..].starts_with(' ') {
            continue;
        }
        let text = line[level..].trim();
        let (title, id) = match text.rfind("{#") {
            Some(i) if text.ends_with('}') => (
                text[..i].trim().to_string(),
                text[i + 2..text.len() - 1].to_string(),
            ),
            _ => (text.to_string(), slug(text)),
        };
        out.push(Section { id, title, level });
    }
    out
}

/// Parses one lesson file.
pub fn parse(text: &str, file: &str) -> Result<Lesson, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Err(err(file, 1, 1, "", "found no front matter; expected the file to start with a line `---`, the lesson's YAML, and another `---`"));
    };
    let end = rest
        .match_indices("\n---")
        .map(|(i, _)| i)
        .find(|i| rest[i + 4..].starts_with('\n') || rest[i + 4..].starts_with("\r\n") || rest.len() == i + 4)
        .ok_or_else(|| err(file, 1, 1, "", "found no closing `---` after the front matter"))?;
    let yaml = &rest[..end + 1];
    let body_start = end + 4;
    let body = rest[body_start..].trim_start_matches(['\r', '\n']).to_string();
    let body_line = text[..text.len() - rest.len() + body_start].lines().count() + 1;
    // Front matter lines start at line 2 of the file.
    let de = serde_yaml::Deserializer::from_str(yaml);
    let fm: FrontMatter = match serde_path_to_error::deserialize(de) {
        Ok(fm) => fm,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, col) = inner
                .location()
                .map(|l| (l.line() + 1, l.column()))
                .unwrap_or((0, 0));
            let msg = inner.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            return Err(err(file, line, col, if path == "." { "" } else { &path }, msg));
        }
    };
    let line_of = |path: &FieldPath| -> usize {
        let src = crate::api::Source {
            file,
            text: yaml,
            item: None,
        };
        crate::api::locate_line(&src, path) + 1
    };
    let scenario = match &fm.scenario {
        None => None,
        Some(s) => {
            let base = line_of(&FieldPath::root().key("scenario"));
            match Scenario::from_yaml(s.as_bytes(), file) {
                Ok(sc) => Some(sc),
                Err(mut e) => {
                    // The block scalar starts on the line after `scenario: |`.
                    if e.line > 0 {
                        e.line += base;
                        e.column += 2;
                    }
                    e.path = if e.path.is_empty() {
                        "scenario".into()
                    } else {
                        format!("scenario: {}", e.path)
                    };
                    return Err(e);
                }
            }
        }
    };
    let mut questions = Vec::new();
    for (i, v) in fm.questions.iter().enumerate() {
        let path = FieldPath::root().key("questions").index(i);
        let fail = |key: &str, msg: String| {
            let at = if key.is_empty() {
                path.clone()
            } else {
                path.key(key)
            };
            err(file, line_of(&at), 1, &at.to_string(), msg)
        };
        let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
        let Some(extra) = kind_keys(kind) else {
            return Err(fail(
                "kind",
                format!(
                    "found kind {kind:?}; expected single, multiple, true-false, order, predict or fix-yaml"
                ),
            ));
        };
        for k in v.as_mapping().into_iter().flat_map(|m| m.keys()) {
            let key = k.as_str().unwrap_or_default();
            if !COMMON_KEYS.contains(&key) && !extra.contains(&key) {
                return Err(fail(
                    key,
                    format!(
                        "found unknown key {key:?} for a {kind} question; expected {}",
                        COMMON_KEYS
                            .iter()
                            .chain(extra)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let q: Question = serde_yaml::from_value(v.clone()).map_err(|e| fail("", e.to_string()))?;
        questions.push(q);
    }
    let sections = sections(&body);
    let lesson = Lesson {
        file: file.into(),
        id: fm.id,
        title: fm.title,
        order: fm.order,
        summary: fm.summary,
        body,
        body_line,
        sections,
        scenario_yaml: fm.scenario,
        scenario,
        questions,
    };
    for (i, q) in lesson.questions.iter().enumerate() {
        let path = FieldPath::root().key("questions").index(i);
        if let Some(msg) = question_problem(&lesson, q) {
            let at = path.key(match msg.0 {
                "" => "id",
                k => k,
            });
            return Err(err(file, line_of(&at), 1, &at.to_string(), msg.1));
        }
    }
    Ok(lesson)
}

/// A question that cannot work: (field, message).
fn question_problem(lesson: &Lesson, q: &Question) -> Option<(&'static str, String)> {
    if !lesson.sections.iter().any(|s| s.id == q.section) {
        let known: Vec<&str> = lesson.sections.iter().map(|s| s.id.as_str()).collect();
        return Some((
            "section",
            format!(
                "question {}: found section {:?}; expected one of this lesson's section anchors: {}",
                q.id,
                q.section,
                known.join(", ")
            ),
        ));
    }
    match &q.kind {
        QuestionKind::Single { choices, answer } => {
            if choices.len() < 2 {
                return Some((
                    "choices",
                    format!("question {}: expected at least two choices", q.id),
                ));
            }
            if !choices.contains(answer) {
                return Some(("answer", format!("question {}: found answer {answer:?}; expected it to be one of the choices, word for word", q.id)));
            }
        }
        QuestionKind::Multiple { choices, answers } => {
            if let Some(a) = answers.iter().find(|a| !choices.contains(a)) {
                return Some((
                    "answers",
                    format!(
                        "question {}: found answer {a:?}; expected every answer to be one of the choices",
                        q.id
                    ),
                ));
            }
            if answers.is_empty() {
                return Some((
                    "answers",
                    format!("question {}: expected at least one right answer", q.id),
                ));
            }
        }
        QuestionKind::Order { steps } if steps.len() < 2 => {
            return Some((
                "steps",
                format!("question {}: expected at least two steps to order", q.id),
            ));
        }
        QuestionKind::Predict { after, ask, node } => {
            let Some(sc) = &lesson.scenario else {
                return Some((
                    "kind",
                    format!(
                        "question {}: a predict question needs the lesson's scenario",
                        q.id
                    ),
                ));
            };
            if *after > sc.events.len() {
                return Some((
                    "after",
                    format!(
                        "question {}: found after: {after}; the scenario has {} events",
                        q.id,
                        sc.events.len()
                    ),
                ));
            }
            if matches!(ask, PredictAsk::PodState | PredictAsk::PodRevision) && node.is_none() {
                return Some((
                    "node",
                    format!("question {}: pod-state and pod-revision need `node`", q.id),
                ));
            }
        }
        QuestionKind::FixYaml { .. } if lesson.scenario.is_none() => {
            return Some(("kind", format!("question {}: a fix-yaml question checks against the lesson scenario's nodes; add a scenario", q.id)));
        }
        _ => {}
    }
    None
}

/// Where a question lives, for links: `lesson-id#section`.
pub fn section_link(lesson: &Lesson, q: &Question) -> String {
    format!("{}#{}", lesson.id, q.section)
}
