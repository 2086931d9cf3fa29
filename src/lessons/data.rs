//! The lessons: an index compiled in (`build.rs` writes `$OUT_DIR/lessons.rs`: each lesson's file,
//! id, title, order, summary and question ids), and the lesson files themselves, fetched as static
//! files (`lessons/NN-slug.md` beside index.html) when a lesson is needed, parsed by the core and
//! kept for the visit. The service worker keeps them for offline use. A lesson that cannot be
//! fetched or parsed shows its error instead of breaking the app.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use dslab_sim::lessons::{self, quiz, Lesson};
use dslab_sim::simulate::Timeline;

/// One lesson as the index knows it, before its file is fetched.
#[derive(Debug)]
pub struct LessonEntry {
    pub file: &'static str,
    pub id: &'static str,
    pub title: &'static str,
    pub order: i64,
    pub summary: &'static str,
    pub questions: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// Every lesson, by `order`, then file name.
pub fn index() -> &'static [LessonEntry] {
    LESSON_INDEX
}

pub fn entry(id: &str) -> Option<&'static LessonEntry> {
    LESSON_INDEX.iter().find(|e| e.id == id)
}

/// The lesson that has this question.
pub fn entry_of_question(q: &str) -> Option<&'static LessonEntry> {
    LESSON_INDEX.iter().find(|e| e.questions.contains(&q))
}

/// Every question id, in lesson order.
pub fn all_question_ids() -> Vec<String> {
    LESSON_INDEX
        .iter()
        .flat_map(|e| e.questions.iter().map(|q| q.to_string()))
        .collect()
}

/// The ids of a lesson's questions.
pub fn question_ids(lesson: &Lesson) -> Vec<String> {
    lesson.questions.iter().map(|q| q.id.clone()).collect()
}

/// What became of a lesson file: parsed (kept for the rest of the visit), or why not.
pub type Loaded = Result<&'static Lesson, String>;

thread_local! {
    static LOADED: RefCell<HashMap<&'static str, Loaded>> = RefCell::new(HashMap::new());
}

/// The lesson, if its file has been fetched and parsed already.
pub fn loaded(entry: &LessonEntry) -> Option<Loaded> {
    LOADED.with(|m| m.borrow().get(entry.file).cloned())
}

/// Parses a lesson file's text and keeps the result for the visit. The parsed lesson lives as long
/// as the page (one per lesson file, at most), which lets the quiz components borrow it.
pub fn keep(entry: &LessonEntry, text: &str) -> Loaded {
    if let Some(done) = loaded(entry) {
        return done;
    }
    let result = match lessons::parse(text, entry.file) {
        Ok(l) if l.id == entry.id => Ok(&*Box::leak(Box::new(l))),
        Ok(l) => Err(format!(
            "{}: the file now holds lesson {:?}, not {:?}; reload the page",
            entry.file, l.id, entry.id
        )),
        Err(e) => Err(e.to_string()),
    };
    LOADED.with(|m| m.borrow_mut().insert(entry.file, result.clone()));
    result
}

/// The lesson, fetched and parsed on first use (the URL is relative to the page, so a site
/// served under a sub-path finds its own `lessons/` folder).
pub async fn load(entry: &'static LessonEntry) -> Loaded {
    if let Some(done) = loaded(entry) {
        return done;
    }
    match fetch_text(&format!("lessons/{}", entry.file)).await {
        Ok(text) => keep(entry, &text),
        // Not kept: the next visit to the page tries again (the network may be back).
        Err(why) => Err(format!("the lesson could not be loaded ({why})")),
    }
}

/// Fetches every lesson file not loaded yet, one after the other, through the service worker,
/// which keeps them for offline use (the text is not parsed here: a lesson is parsed when it is
/// opened). Called once the worker controls the page; "Offline ready" waits for it.
pub async fn fetch_all_for_offline() {
    for e in LESSON_INDEX {
        if loaded(e).is_none() {
            let _ = fetch_text(&format!("lessons/{}", e.file)).await;
        }
    }
}

#[cfg(target_arch = "wasm32")]
async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no browser window")?;
    let res = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "no network, and no offline copy yet".to_string())?;
    let res: web_sys::Response = res.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !res.ok() {
        return Err(format!("HTTP {}", res.status()));
    }
    let text = JsFuture::from(res.text().map_err(|_| "unreadable response".to_string())?)
        .await
        .map_err(|_| "the download was cut short".to_string())?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

/// Native builds (the unit tests) read the lesson folder from disk.
#[cfg(not(target_arch = "wasm32"))]
async fn fetch_text(url: &str) -> Result<String, String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(url);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

thread_local! {
    static TIMELINES: RefCell<HashMap<String, Rc<Option<Timeline>>>> = RefCell::new(HashMap::new());
}

/// The lesson scenario's run, computed by the core on first use and kept for its questions.
pub fn timeline(lesson: &Lesson) -> Rc<Option<Timeline>> {
    if let Some(t) = TIMELINES.with(|m| m.borrow().get(&lesson.id).cloned()) {
        return t;
    }
    let t = Rc::new(quiz::run_lesson(lesson));
    TIMELINES.with(|m| m.borrow_mut().insert(lesson.id.clone(), t.clone()));
    t
}

/// The title of the section a question tests (its anchor when the title is unknown).
pub fn section_title(lesson: &Lesson, anchor: &str) -> String {
    lesson
        .sections
        .iter()
        .find(|s| s.id == anchor)
        .map_or_else(|| anchor.to_string(), |s| s.title.clone())
}

/// A stable shuffle (the same order on every visit), from a seed text: the quiz shows choices and
/// steps in an order that does not give the answer away, and that tests can rely on.
pub fn shuffled(n: usize, seed: &str) -> Vec<usize> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut idx: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        let j = (h % (i as u64 + 1)) as usize;
        idx.swap(i, j);
    }
    idx
}

/// A shuffle that is never the given order (for "put the steps in order").
pub fn shuffled_not_identity(n: usize, seed: &str) -> Vec<usize> {
    let mut idx = shuffled(n, seed);
    if n > 1 && idx.iter().enumerate().all(|(i, x)| i == *x) {
        idx.rotate_left(1);
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lesson, read from the lesson folder as the app would fetch it.
    fn all() -> Vec<&'static Lesson> {
        LESSON_INDEX
            .iter()
            .map(|e| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("lessons")
                    .join(e.file);
                keep(e, &std::fs::read_to_string(path).unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn the_index_matches_every_lesson_file_in_order() {
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".md") && n != "README.md")
            .count();
        assert_eq!(LESSON_INDEX.len(), files);
        assert!(LESSON_INDEX.windows(2).all(|w| w[0].order <= w[1].order));
        for (e, l) in LESSON_INDEX.iter().zip(all()) {
            assert_eq!(e.id, l.id, "{}", e.file);
            assert_eq!(e.title, l.title, "{}", e.file);
            assert_eq!(e.order, l.order, "{}", e.file);
            assert_eq!(e.summary, l.summary, "{}", e.file);
            assert_eq!(e.questions, question_ids(l), "{}", e.file);
            assert_eq!(entry_of_question(&l.questions[0].id).map(|x| x.id), Some(e.id));
        }
    }

    #[test]
    fn a_file_that_changed_or_broke_is_an_error_not_a_crash() {
        let e = &LESSON_INDEX[0];
        let other = LessonEntry {
            file: "zz-not-a-lesson.md",
            ..*e
        };
        assert!(keep(&other, "no front matter")
            .unwrap_err()
            .contains("zz-not-a-lesson.md"));
        let moved = LessonEntry {
            file: "zz-moved.md",
            id: "something-else",
            ..*e
        };
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("lessons")
                .join(e.file),
        )
        .unwrap();
        assert!(keep(&moved, &text).unwrap_err().contains("reload"));
    }

    /// The responses the quiz components build, answered right and wrong, graded by the core:
    /// the app's answer shapes fit what the core expects for every embedded question.
    #[test]
    fn every_question_takes_the_answers_the_ui_builds() {
        use dslab_sim::lessons::quiz::{grade, predict_answer, predict_options, Response};
        use dslab_sim::lessons::{PredictAsk, QuestionKind};
        let mut count = 0;
        for l in all() {
            let t = timeline(l);
            for q in &l.questions {
                let (right, wrong) = match &q.kind {
                    QuestionKind::Single { choices, answer } => {
                        let i = choices.iter().position(|c| c == answer).unwrap();
                        (Response::Choice(i), Response::Choice((i + 1) % choices.len()))
                    }
                    QuestionKind::Multiple { choices, answers } => {
                        let picked: Vec<usize> = (0..choices.len())
                            .filter(|i| answers.contains(&choices[*i]))
                            .collect();
                        let all: Vec<usize> = (0..choices.len()).collect();
                        let wrong = if picked == all { vec![0] } else { all };
                        (Response::Choices(picked), Response::Choices(wrong))
                    }
                    QuestionKind::TrueFalse { answer } => (Response::Bool(*answer), Response::Bool(!answer)),
                    QuestionKind::Order { steps } => (
                        Response::Order((0..steps.len()).collect()),
                        Response::Order(shuffled_not_identity(steps.len(), &q.id)),
                    ),
                    QuestionKind::Predict { ask, .. } => {
                        let tl = t.as_ref().as_ref().expect("the scenario ran");
                        let want = predict_answer(tl, q);
                        let options = predict_options(tl, q);
                        assert!(!options.is_empty(), "{}: options", q.id);
                        if matches!(ask, PredictAsk::PodState | PredictAsk::PodRevision) {
                            assert!(options.contains(&want[0]), "{}: the answer is an option", q.id);
                            let other = options.iter().find(|o| **o != want[0]).unwrap().clone();
                            (Response::State(want[0].clone()), Response::State(other))
                        } else {
                            assert!(
                                want.iter().all(|n| options.contains(n)),
                                "{}: answers are options",
                                q.id
                            );
                            let wrong = if want.len() == options.len() {
                                Vec::new()
                            } else {
                                options.clone()
                            };
                            (Response::Nodes(want), Response::Nodes(wrong))
                        }
                    }
                    QuestionKind::FixYaml { start, solution, .. } => {
                        (Response::Yaml(solution.clone()), Response::Yaml(start.clone()))
                    }
                };
                let tl = t.as_ref().as_ref();
                assert!(grade(l, q, tl, &right).correct, "{}: right answer", q.id);
                assert!(!grade(l, q, tl, &wrong).correct, "{}: wrong answer", q.id);
                count += 1;
            }
        }
        assert!(count >= 100, "{count} questions");
    }

    #[test]
    fn shuffles_are_stable_permutations() {
        let cases = [
            ("empty", 0, "a"),
            ("one", 1, "a"),
            ("two", 2, "q1"),
            ("five", 5, "node-join-order"),
        ];
        for (name, n, seed) in cases {
            let a = shuffled_not_identity(n, seed);
            assert_eq!(a, shuffled_not_identity(n, seed), "{name}: stable");
            let mut s = a.clone();
            dslab_sim::sort::sort(&mut s);
            assert_eq!(s, (0..n).collect::<Vec<_>>(), "{name}: a permutation");
            if n > 1 {
                assert_ne!(a, (0..n).collect::<Vec<_>>(), "{name}: not the answer");
            }
        }
    }
}
