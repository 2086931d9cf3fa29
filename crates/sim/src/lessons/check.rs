//! `dslab lessons check`: every lesson parses, its links point somewhere, its scenario runs,
//! its predict questions have an answer the core can compute, its fix-yaml questions start wrong
//! and have a solution the core accepts, and no two questions share an id.

use super::quiz::{fix_yaml_runs_on, predict_answer, run_lesson};
use super::{parse, Lesson, QuestionKind};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Report {
    pub lessons: usize,
    pub questions: usize,
    /// Predict and fix-yaml questions: their answers were computed by the simulation.
    pub checked_by_simulation: usize,
    pub errors: Vec<String>,
}

impl Report {
    pub fn summary(&self) -> String {
        format!(
            "{} lessons, {} questions ({} checked by the simulation)",
            self.lessons, self.questions, self.checked_by_simulation
        )
    }
}

/// Markdown links in the body: `[text](#anchor)` and `[text](lesson:ID#anchor)`.
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let Some(end) = after.find(')') else { break };
        out.push(after[..end].to_string());
        rest = &after[end..];
    }
    out
}

/// Checks lesson files given as (file name, text), in the order given.
pub fn check_texts(files: &[(String, String)]) -> Report {
    let mut report = Report::default();
    let mut lessons: Vec<Lesson> = Vec::new();
    for (name, text) in files {
        match parse(text, name) {
            Ok(l) => lessons.push(l),
            Err(e) => report.errors.push(e.to_string()),
        }
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut lesson_ids: BTreeMap<String, String> = BTreeMap::new();
    for l in &lessons {
        if let Some(other) = lesson_ids.insert(l.id.clone(), l.file.clone()) {
            report.errors.push(format!(
                "{}: lesson id {:?} is also used by {other}",
                l.file, l.id
            ));
        }
        for q in &l.questions {
            if let Some(other) = ids.insert(q.id.clone(), l.file.clone()) {
                report.errors.push(format!(
                    "{}: question id {:?} is also used in {other}",
                    l.file, q.id
                ));
            }
        }
    }
    for l in &lessons {
        for link in links(&l.body) {
            let ok = if let Some(anchor) = link.strip_prefix('#') {
                l.sections.iter().any(|s| s.id == anchor)
            } else if let Some(target) = link.strip_prefix("lesson:") {
                let (id, anchor) = target.split_once('#').unwrap_or((target, ""));
                lessons
                    .iter()
                    .any(|o| o.id == id && (anchor.is_empty() || o.sections.iter().any(|s| s.id == anchor)))
            } else {
                // External links are allowed but the app opens nothing over the network.
                link.starts_with("https://")
            };
            if !ok {
                report.errors.push(format!(
                    "{}: link ({link}) points to no section or lesson",
                    l.file
                ));
            }
        }
        let timeline = run_lesson(l);
        if let Some(t) = &timeline {
            if t.truncated {
                report
                    .errors
                    .push(format!("{}: the scenario did not finish (step limit)", l.file));
            }
        }
        for q in &l.questions {
            match &q.kind {
                QuestionKind::Predict { .. } => {
                    report.checked_by_simulation += 1;
                    let Some(t) = &timeline else { continue };
                    let answer = predict_answer(t, q);
                    if answer.is_empty() {
                        // "No node" is a fine answer for nodes-running; say so explicitly only
                        // when the scenario has no DaemonSet pod at all.
                        if t.final_view.daemonsets.is_empty() {
                            report.errors.push(format!(
                                "{}: question {}: the scenario has no DaemonSet",
                                l.file, q.id
                            ));
                        }
                    }
                }
                QuestionKind::FixYaml {
                    start,
                    solution,
                    run_on,
                } => {
                    report.checked_by_simulation += 1;
                    let mut want = run_on.clone();
                    crate::sort::sort(&mut want);
                    match fix_yaml_runs_on(l, solution) {
                        Err(e) => report.errors.push(format!(
                            "{}: question {}: the solution does not parse: {e}",
                            l.file, q.id
                        )),
                        Ok(got) if got != want => report.errors.push(format!(
                            "{}: question {}: the solution runs on [{}], expected [{}]",
                            l.file,
                            q.id,
                            got.join(", "),
                            want.join(", ")
                        )),
                        Ok(_) => {}
                    }
                    match fix_yaml_runs_on(l, start) {
                        Ok(got) if got == want => report.errors.push(format!("{}: question {}: the starting YAML already runs on the goal nodes; nothing to fix", l.file, q.id)),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        report.questions += l.questions.len();
    }
    report.lessons = lessons.len();
    report
}
