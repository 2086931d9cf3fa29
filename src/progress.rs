//! The learner's progress, kept in the browser (localStorage key `dslab.progress.v2`, JSON): the
//! last result of every question answered, the lessons completed, and one FSRS card per answered
//! question, which says when it is due for review (`spaced`).
//!
//! Progress saved by earlier versions under `dslab.progress.v1` (a review queue of missed
//! questions) is migrated on first load, without loss: answers and completed lessons are kept,
//! every queued question becomes a card due at once (in queue order), and every other question
//! answered right becomes a card rated Good at that moment. The v1 entry is left as it was.
//!
//! Storage that is missing, disabled, full or corrupted never breaks the app: progress then lives
//! in memory for this visit, and the page says so discreetly.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::spaced::{self, Grade, ReviewCard};

pub const KEY: &str = "dslab.progress.v2";
/// Where versions before FSRS kept progress (read once, to migrate).
pub const OLD_KEY: &str = "dslab.progress.v1";
/// The format written under `KEY`; anything else found there is set aside.
pub const VERSION: u32 = 2;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    /// Question id → whether the last answer was right.
    #[serde(default)]
    pub answers: BTreeMap<String, bool>,
    /// Lesson ids whose every question has been answered.
    #[serde(default)]
    pub completed: BTreeSet<String>,
    /// Question id → its review card (when it is due, and FSRS's memory of it).
    #[serde(default)]
    pub cards: BTreeMap<String, ReviewCard>,
}

impl Progress {
    pub fn new() -> Self {
        Progress {
            version: VERSION,
            ..Default::default()
        }
    }

    /// Records an answer given at `now` (ms since the epoch). `first_try`: the first check of the
    /// question since it was shown — only that one rates its card (wrong: Again, due at once;
    /// right: Good, due in days); a later "try again" only updates the last result.
    pub fn record(&mut self, q: &str, right: bool, first_try: bool, now: i64) {
        self.answers.insert(q.to_string(), right);
        if first_try {
            let grade = if right { Grade::Good } else { Grade::Again };
            let card = spaced::review(self.cards.get(q), grade, now);
            self.cards.insert(q.to_string(), card);
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

    /// The questions due by `until` (ms), earliest first (ties: in the order of `all`). `all` is
    /// every question id that exists, in lesson order; cards of questions no lesson has any more
    /// are skipped.
    pub fn due(&self, all: &[String], until: i64) -> Vec<String> {
        let mut due: Vec<(i64, usize, &String)> = all
            .iter()
            .enumerate()
            .filter_map(|(i, q)| self.cards.get(q).map(|c| (c.due, i, q)))
            .filter(|(d, _, _)| *d <= until)
            .collect();
        dslab_sim::sort::sort(&mut due);
        due.into_iter().map(|(_, _, q)| q.clone()).collect()
    }

    /// When the next card falls due after `after` (ms), among existing questions.
    pub fn next_due_after(&self, all: &[String], after: i64) -> Option<i64> {
        all.iter()
            .filter_map(|q| self.cards.get(q).map(|c| c.due))
            .filter(|d| *d > after)
            .min()
    }
}

/// Reads progress saved under `KEY`; an error says in words why it cannot be used. Cards whose
/// numbers FSRS cannot work from are dropped (their questions start afresh, answers are kept).
pub fn parse_saved(text: &str) -> Result<Progress, String> {
    let mut p: Progress =
        serde_json::from_str(text).map_err(|_| "the saved progress could not be read".to_string())?;
    if p.version != VERSION {
        return Err(format!(
            "the saved progress has another format (version {})",
            p.version
        ));
    }
    p.cards.retain(|_, c| c.is_sane());
    Ok(p)
}

/// The format saved under `OLD_KEY` (version 1): a queue of missed questions.
#[derive(Deserialize)]
struct ProgressV1 {
    version: u32,
    #[serde(default)]
    answers: BTreeMap<String, bool>,
    #[serde(default)]
    completed: BTreeSet<String>,
    #[serde(default)]
    review: Vec<QueuedV1>,
}

#[derive(Deserialize)]
struct QueuedV1 {
    q: String,
    /// Right answers in review since it was last missed.
    #[serde(default)]
    right: u8,
}

/// Migrates version-1 progress, as if every question were reviewed at `now`: queued (missed)
/// questions are due at once, in queue order (one millisecond apart), except those already
/// answered right once in review, which are rated Again then Good (due in three days); every other
/// question answered right is rated Good now; a wrong answer not in the queue is due at once too.
pub fn migrate_v1(text: &str, now: i64) -> Result<Progress, String> {
    let old: ProgressV1 = serde_json::from_str(text)
        .map_err(|_| "the progress saved by an earlier version could not be read".to_string())?;
    if old.version != 1 {
        return Err(format!(
            "the progress saved by an earlier version has another format (version {})",
            old.version
        ));
    }
    let mut p = Progress {
        version: VERSION,
        answers: old.answers,
        completed: old.completed,
        cards: BTreeMap::new(),
    };
    for (i, item) in old.review.iter().enumerate() {
        if p.cards.contains_key(&item.q) {
            continue;
        }
        let at = now.saturating_add(i as i64);
        let mut card = spaced::review(None, Grade::Again, at);
        if item.right > 0 {
            card = spaced::review(Some(&card), Grade::Good, at);
        }
        p.cards.insert(item.q.clone(), card);
    }
    for (q, right) in &p.answers {
        if !p.cards.contains_key(q) {
            let grade = if *right { Grade::Good } else { Grade::Again };
            let at = now.saturating_add(old.review.len() as i64);
            p.cards.insert(q.clone(), spaced::review(None, grade, at));
        }
    }
    Ok(p)
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

impl ProgressStore {
    pub fn load() -> Self {
        let now = now_ms();
        let mut migrated = false;
        let (data, saving) = match storage() {
            Err(why) => (Progress::new(), Saving::MemoryOnly(why)),
            Ok(s) => match s.get_item(KEY) {
                Err(_) => (
                    Progress::new(),
                    Saving::MemoryOnly("the browser refused to read local storage".into()),
                ),
                Ok(Some(text)) => match parse_saved(&text) {
                    Ok(p) => (p, Saving::Saved),
                    // Corrupted: start afresh; the next answer overwrites it.
                    Err(why) => (
                        Progress::new(),
                        Saving::MemoryOnly(format!("{why}; starting afresh")),
                    ),
                },
                Ok(None) => match s.get_item(OLD_KEY) {
                    Ok(Some(text)) => match migrate_v1(&text, now) {
                        Ok(p) => {
                            migrated = true;
                            (p, Saving::Saved)
                        }
                        Err(why) => (
                            Progress::new(),
                            Saving::MemoryOnly(format!("{why}; starting afresh")),
                        ),
                    },
                    _ => (Progress::new(), Saving::Saved),
                },
            },
        };
        let store = ProgressStore {
            data: RwSignal::new(data),
            saving: RwSignal::new(saving),
        };
        if migrated {
            store.save();
        }
        store
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
                .and_then(|_| s.remove_item(OLD_KEY))
                .map_err(|_| "the browser refused to clear storage".to_string())
        });
        if let Err(why) = result {
            self.saving.set(Saving::MemoryOnly(why));
        } else {
            self.saving.set(Saving::Saved);
        }
    }
}

/// The browser's clock, in ms since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The last millisecond of today, in the learner's time zone.
pub fn end_of_today_ms() -> i64 {
    let d = js_sys::Date::new_0();
    d.set_hours(23);
    d.set_minutes(59);
    d.set_seconds(59);
    d.set_milliseconds(999);
    d.get_time() as i64
}

pub fn use_progress() -> ProgressStore {
    expect_context::<ProgressStore>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spaced::DAY_MS;

    /// 2026-12-03 09:00 UTC.
    const T0: i64 = 1_796_288_400_000;

    fn all() -> Vec<String> {
        ["a", "b", "c", "d", "e"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn answers_rate_cards_and_cards_come_back_when_due() {
        // (name, answers as (question, right, first try, ms after T0), what is due at T0 + 1 min,
        // what is due 3 days later)
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, bool, bool, i64)],
            &'a [&'a str],
            &'a [&'a str],
        );
        let cases: &[Case] = &[
            ("nothing answered", &[], &[], &[]),
            (
                "a right answer waits 3 days",
                &[("a", true, true, 0)],
                &[],
                &["a"],
            ),
            (
                "a wrong answer is due at once",
                &[("a", false, true, 0)],
                &["a"],
                &["a"],
            ),
            (
                "missed questions come first, oldest first",
                &[("c", false, true, 0), ("b", true, true, 1), ("a", false, true, 2)],
                &["c", "a"],
                &["c", "a", "b"],
            ),
            (
                "right on a retry does not rate the card again",
                &[("a", false, true, 0), ("a", true, false, 5)],
                &["a"],
                &["a"],
            ),
            (
                "missed then right on a later showing: tomorrow, not now",
                &[("a", false, true, 0), ("a", true, true, 10)],
                &[],
                &["a"],
            ),
        ];
        for (name, answers, due_now, due_later) in cases {
            let mut p = Progress::new();
            for (q, right, first, at) in *answers {
                p.record(q, *right, *first, T0 + at);
            }
            assert_eq!(p.due(&all(), T0 + 60_000), *due_now, "{name}: due now");
            assert_eq!(
                p.due(&all(), T0 + 3 * DAY_MS + 60_000),
                *due_later,
                "{name}: due in 3 days"
            );
        }
    }

    #[test]
    fn the_last_answer_and_the_card_are_kept_apart() {
        let mut p = Progress::new();
        p.record("a", false, true, T0);
        p.record("a", true, false, T0 + 1);
        assert_eq!(p.answers.get("a"), Some(&true), "the last result");
        assert_eq!(p.cards["a"].lapses, 0);
        assert_eq!(p.cards["a"].due, T0, "still due: the retry did not count");
        assert_eq!(p.next_due_after(&all(), T0), None);
        p.record("b", true, true, T0);
        assert_eq!(p.next_due_after(&all(), T0), Some(T0 + 3 * DAY_MS));
        assert_eq!(
            p.due(&["b".to_string()], T0 + 3 * DAY_MS),
            ["b"],
            "questions no lesson has are skipped"
        );
        assert!(p.due(&["zz".to_string()], i64::MAX).is_empty());
    }

    #[test]
    fn score_and_completion() {
        let qs: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        // (name, answers, (answered, right), completed)
        type Case<'a> = (&'a str, &'a [(&'a str, bool)], (usize, usize), bool);
        let cases: &[Case] = &[
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
                p.record(q, *right, true, T0);
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
        p.record("a", false, true, T0);
        p.record("b", true, true, T0);
        p.update_completion("l", &["a".into(), "b".into()]);
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(parse_saved(&text).unwrap(), p, "round trip");
        // (name, saved text, usable)
        let cases = [
            ("empty text", "", false),
            ("bad JSON", "{not json", false),
            ("truncated", &text[..text.len() / 2], false),
            ("an array", "[1,2]", false),
            ("a string", "\"v2\"", false),
            ("null", "null", false),
            ("no version", r#"{"answers":{}}"#, false),
            ("version 1 under the new key", r#"{"version":1}"#, false),
            ("another version", r#"{"version":7}"#, false),
            ("version as text", r#"{"version":"2"}"#, false),
            ("wrong field type", r#"{"version":2,"answers":[1]}"#, false),
            (
                "a card of the wrong shape",
                r#"{"version":2,"cards":{"a":1}}"#,
                false,
            ),
            ("just the version", r#"{"version":2}"#, true),
            (
                "unknown fields are kept out",
                r#"{"version":2,"later":true}"#,
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
            parse_saved(r#"{"version":2}"#).unwrap(),
            Progress::new(),
            "defaults"
        );
        // A card FSRS cannot work from is dropped; the answer stays.
        let bad = r#"{"version":2,"answers":{"a":true},"cards":{"a":{"due":5,"stability":-3,"difficulty":5,"reps":1,"state":2,"last_review":5}}}"#;
        let p = parse_saved(bad).unwrap();
        assert!(p.cards.is_empty());
        assert_eq!(p.answers.get("a"), Some(&true));
    }

    #[test]
    fn version_1_progress_migrates_without_loss() {
        // What version 1 saved: c missed, a missed then right once in review, b right, d wrong
        // (not queued: a queue trimmed by hand), e never answered.
        let v1 = r#"{"version":1,"answers":{"a":true,"b":true,"c":false,"d":false},"completed":["l1"],
            "review":[{"q":"c","lesson":"l1","right":0},{"q":"a","lesson":"l1","right":1},{"q":"gone","lesson":"l9","right":0}]}"#;
        let p = migrate_v1(v1, T0).unwrap();
        assert_eq!(p.version, VERSION);
        assert_eq!(p.answers.len(), 4, "every answer kept");
        assert_eq!(p.answers.get("c"), Some(&false));
        assert!(p.completed.contains("l1"));
        assert_eq!(
            p.due(&all(), T0 + 60_000),
            ["c", "d"],
            "missed first, queue order"
        );
        assert_eq!(
            p.due(&all(), T0 + 3 * DAY_MS + 60_000),
            ["c", "d", "a", "b"],
            "then the ones answered right, in three days"
        );
        assert_eq!(p.cards["a"].reps, 2, "a: missed, then right once");
        assert_eq!(p.cards["b"].reps, 1);
        assert!(
            p.cards["a"].difficulty > p.cards["b"].difficulty,
            "the miss is remembered"
        );
        assert!(!p.cards.contains_key("e"));
        // A migrated copy saves and reads back as the new format.
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(parse_saved(&text).unwrap(), p);
        // (name, version-1 text, usable)
        let cases = [
            ("empty", r#"{"version":1}"#, true),
            ("only answers", r#"{"version":1,"answers":{"x":true}}"#, true),
            ("bad JSON", "{not json", false),
            ("another version", r#"{"version":3,"review":[]}"#, false),
            ("an array", "[]", false),
            (
                "queue of the wrong shape",
                r#"{"version":1,"review":{"q":"a"}}"#,
                false,
            ),
        ];
        for (name, text, ok) in cases {
            let got = migrate_v1(text, T0);
            assert_eq!(got.is_ok(), ok, "{name}");
            if let Err(why) = got {
                assert!(!why.is_empty(), "{name}: says why");
            }
        }
    }
}
