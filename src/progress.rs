//! The learner's progress, kept in the browser (localStorage key `dslab.progress.v1`, JSON):
//! the last result of every question answered, the lessons completed, and the review queue.
//!
//! Review queue (a small spaced repetition): a question answered wrong joins the queue (or goes
//! back to zero right answers); a review session asks the queue's questions first; answered right
//! twice in review sessions, a question leaves the queue.
//!
//! Storage that is missing, disabled, full or corrupted never breaks the app: progress then lives
//! in memory for this visit, and the page says so discreetly.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const KEY: &str = "dslab.progress.v1";
/// The format written under `KEY`; anything else found there is set aside.
pub const VERSION: u32 = 1;
/// Right answers in review before a question leaves the queue.
pub const RIGHT_TO_LEAVE: u8 = 2;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Question id.
    pub q: String,
    /// Lesson id.
    pub lesson: String,
    /// Right answers in review since it was last missed.
    #[serde(default)]
    pub right: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    /// Question id → whether the last answer was right.
    #[serde(default)]
    pub answers: BTreeMap<String, bool>,
    /// Lesson ids whose every question has been answered.
    #[serde(default)]
    pub completed: BTreeSet<String>,
    /// Missed questions, the next to review first.
    #[serde(default)]
    pub review: Vec<ReviewItem>,
}

impl Progress {
    pub fn new() -> Self {
        Progress {
            version: VERSION,
            ..Default::default()
        }
    }

    /// Records an answer (in a lesson or in a review session). A wrong answer puts the question at
    /// the back of the review queue with no right answers; a right answer to a queued question
    /// counts one, and at `RIGHT_TO_LEAVE` the question leaves the queue (before that it goes to
    /// the back, to come again later).
    pub fn record(&mut self, lesson: &str, q: &str, right: bool) {
        self.answers.insert(q.to_string(), right);
        let pos = self.review.iter().position(|r| r.q == q);
        if !right {
            if let Some(pos) = pos {
                self.review.remove(pos);
            }
            self.review.push(ReviewItem {
                q: q.to_string(),
                lesson: lesson.to_string(),
                right: 0,
            });
            return;
        }
        if let Some(pos) = pos {
            let mut item = self.review.remove(pos);
            item.right += 1;
            if item.right < RIGHT_TO_LEAVE {
                self.review.push(item);
            }
        }
    }

    /// Marks a lesson complete once every one of its questions has an answer.
    pub fn update_completion(&mut self, lesson: &str, questions: &[String]) {
        if !questions.is_empty() && questions.iter().all(|q| self.answers.contains_key(q)) {
            self.completed.insert(lesson.to_string());
        }
    }

    /// (answered, right) among these questions.
    pub fn score(&self, questions: &[String]) -> (usize, usize) {
        questions
            .iter()
            .fold((0, 0), |(a, r), q| match self.answers.get(q) {
                Some(true) => (a + 1, r + 1),
                Some(false) => (a + 1, r),
                None => (a, r),
            })
    }

    /// A review session: the queued (missed) questions first, in queue order, then up to `extra`
    /// questions answered right before, to keep them fresh. `all` is every question id that
    /// exists, in lesson order; ids no lesson has any more are skipped.
    pub fn review_session(&self, all: &[String], extra: usize) -> Vec<String> {
        let mut out: Vec<String> = self
            .review
            .iter()
            .map(|r| r.q.clone())
            .filter(|q| all.contains(q))
            .collect();
        let more: Vec<String> = all
            .iter()
            .filter(|q| self.answers.get(*q) == Some(&true) && !out.contains(q))
            .take(extra)
            .cloned()
            .collect();
        out.extend(more);
        out
    }
}

/// Whether progress is being saved, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saving {
    Saved,
    /// In memory only for this visit: the reason, in words.
    MemoryOnly(String),
}

#[derive(Clone, Copy)]
pub struct ProgressStore {
    pub data: RwSignal<Progress>,
    pub saving: RwSignal<Saving>,
}

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no browser window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(_) => Err("the browser does not allow local storage here".into()),
    }
}

/// Reads saved progress; an error says in words why it cannot be used.
pub fn parse_saved(text: &str) -> Result<Progress, String> {
    let p: Progress =
        serde_json::from_str(text).map_err(|_| "the saved progress could not be read".to_string())?;
    if p.version != VERSION {
        return Err(format!(
            "the saved progress has another format (version {})",
            p.version
        ));
    }
    Ok(p)
}

impl ProgressStore {
    pub fn load() -> Self {
        let (data, saving) = match storage() {
            Err(why) => (Progress::new(), Saving::MemoryOnly(why)),
            Ok(s) => match s.get_item(KEY) {
                Err(_) => (
                    Progress::new(),
                    Saving::MemoryOnly("the browser refused to read local storage".into()),
                ),
                Ok(None) => (Progress::new(), Saving::Saved),
                Ok(Some(text)) => match parse_saved(&text) {
                    Ok(p) => (p, Saving::Saved),
                    // Corrupted: start afresh; the next answer overwrites it.
                    Err(why) => (
                        Progress::new(),
                        Saving::MemoryOnly(format!("{why}; starting afresh")),
                    ),
                },
            },
        };
        ProgressStore {
            data: RwSignal::new(data),
            saving: RwSignal::new(saving),
        }
    }

    pub fn update(&self, f: impl FnOnce(&mut Progress)) {
        self.data.update(f);
        self.save();
    }

    fn save(&self) {
        let text = self
            .data
            .with_untracked(|p| serde_json::to_string(p).unwrap_or_default());
        let result = storage().and_then(|s| {
            s.set_item(KEY, &text)
                .map_err(|_| "the browser refused to save (storage full or disabled)".to_string())
        });
        self.saving.set(match result {
            Ok(()) => Saving::Saved,
            Err(why) => Saving::MemoryOnly(why),
        });
    }

    pub fn reset(&self) {
        self.data.set(Progress::new());
        let result = storage().and_then(|s| {
            s.remove_item(KEY)
                .map_err(|_| "the browser refused to clear storage".to_string())
        });
        if let Err(why) = result {
            self.saving.set(Saving::MemoryOnly(why));
        } else {
            self.saving.set(Saving::Saved);
        }
    }
}

pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(p: &Progress) -> Vec<(&str, u8)> {
        p.review.iter().map(|r| (r.q.as_str(), r.right)).collect()
    }

    #[test]
    fn review_queue() {
        // (name, answers given in turn as (question, right), the queue after them)
        let cases: &[(&str, &[(&str, bool)], &[(&str, u8)])] = &[
            ("nothing answered", &[], &[]),
            ("a right answer never queues", &[("a", true)], &[]),
            ("a missed question joins the queue", &[("a", false)], &[("a", 0)]),
            (
                "missed questions queue in order",
                &[("a", false), ("b", true), ("c", false)],
                &[("a", 0), ("c", 0)],
            ),
            (
                "right once: to the back, one right",
                &[("a", false), ("c", false), ("a", true)],
                &[("c", 0), ("a", 1)],
            ),
            (
                "right twice: leaves the queue",
                &[("a", false), ("a", true), ("a", true)],
                &[],
            ),
            (
                "missed again: back to zero",
                &[("a", false), ("a", true), ("a", false)],
                &[("a", 0)],
            ),
            (
                "missed again then right twice",
                &[("a", false), ("a", true), ("a", false), ("a", true), ("a", true)],
                &[],
            ),
            (
                "one question is queued once",
                &[("a", false), ("a", false)],
                &[("a", 0)],
            ),
        ];
        for (name, answers, want) in cases {
            let mut p = Progress::new();
            for (q, right) in *answers {
                p.record("l", q, *right);
            }
            assert_eq!(ids(&p), *want, "{name}");
        }
    }

    #[test]
    fn review_session_brings_missed_questions_first() {
        let all: Vec<String> = ["a", "b", "c", "d", "e"].iter().map(|s| s.to_string()).collect();
        // (name, answers, extra, session)
        let cases: &[(&str, &[(&str, bool)], usize, &[&str])] = &[
            ("nothing answered: nothing to review", &[], 3, &[]),
            (
                "only right answers: refreshers",
                &[("a", true), ("b", true)],
                3,
                &["a", "b"],
            ),
            (
                "refreshers are capped",
                &[("a", true), ("b", true), ("c", true)],
                2,
                &["a", "b"],
            ),
            (
                "missed first, then refreshers",
                &[("a", true), ("d", false), ("b", false)],
                3,
                &["d", "b", "a"],
            ),
            ("no refreshers asked", &[("a", true), ("d", false)], 0, &["d"]),
            (
                "gone questions are skipped",
                &[("zz", false), ("c", false)],
                3,
                &["c"],
            ),
        ];
        for (name, answers, extra, want) in cases {
            let mut p = Progress::new();
            for (q, right) in *answers {
                p.record("l", q, *right);
            }
            assert_eq!(p.review_session(&all, *extra), *want, "{name}");
        }
    }

    #[test]
    fn score_and_completion() {
        let qs: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        // (name, answers, (answered, right), completed)
        let cases: &[(&str, &[(&str, bool)], (usize, usize), bool)] = &[
            ("none", &[], (0, 0), false),
            ("some", &[("a", true), ("b", false)], (2, 1), false),
            (
                "all, one wrong",
                &[("a", true), ("b", false), ("c", true)],
                (3, 2),
                true,
            ),
            ("others do not count", &[("x", true)], (0, 0), false),
            (
                "the last answer counts",
                &[("a", false), ("a", true)],
                (1, 1),
                false,
            ),
        ];
        for (name, answers, score, done) in cases {
            let mut p = Progress::new();
            for (q, right) in *answers {
                p.record("l", q, *right);
            }
            p.update_completion("l", &qs);
            assert_eq!(p.score(&qs), *score, "{name}");
            assert_eq!(p.completed.contains("l"), *done, "{name}");
        }
        let mut p = Progress::new();
        p.update_completion("empty", &[]);
        assert!(
            p.completed.is_empty(),
            "a lesson without questions is not completed by a quiz"
        );
    }

    #[test]
    fn saved_text() {
        let mut p = Progress::new();
        p.record("l", "a", false);
        p.record("l", "b", true);
        p.update_completion("l", &["a".into(), "b".into()]);
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(parse_saved(&text).unwrap(), p, "round trip");
        // (name, saved text, usable)
        let cases = [
            ("empty text", "", false),
            ("bad JSON", "{not json", false),
            ("truncated", &text[..text.len() / 2], false),
            ("an array", "[1,2]", false),
            ("a string", "\"v1\"", false),
            ("null", "null", false),
            ("no version", r#"{"answers":{}}"#, false),
            ("another version", r#"{"version":7}"#, false),
            ("version as text", r#"{"version":"1"}"#, false),
            ("wrong field type", r#"{"version":1,"answers":[1]}"#, false),
            ("just the version", r#"{"version":1}"#, true),
            (
                "unknown fields are kept out",
                r#"{"version":1,"later":true}"#,
                true,
            ),
        ];
        for (name, text, ok) in cases {
            let got = parse_saved(text);
            assert_eq!(got.is_ok(), ok, "{name}: {got:?}");
            if let Err(why) = got {
                assert!(!why.is_empty(), "{name}: says why");
            }
        }
        assert_eq!(
            parse_saved(r#"{"version":1}"#).unwrap(),
            Progress::new(),
            "defaults"
        );
    }
}
