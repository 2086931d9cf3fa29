//! The lessons, embedded at build time (`build.rs` writes `$OUT_DIR/lessons.rs`) and parsed once
//! by the core. Nothing is fetched at run time. A lesson that does not parse is listed with its
//! error instead of breaking the app.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use dslab_sim::lessons::{self, quiz, Lesson, Question};
use dslab_sim::simulate::Timeline;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

pub struct Library {
    /// By `order`, then file name.
    pub lessons: Vec<Lesson>,
    /// Files that did not parse: the core's message (file, line, column, field).
    pub errors: Vec<String>,
}

static LIBRARY: OnceLock<Library> = OnceLock::new();

pub fn library() -> &'static Library {
    LIBRARY.get_or_init(|| {
        let mut lessons = Vec::new();
        let mut errors = Vec::new();
        for (file, text) in LESSON_FILES {
            match lessons::parse(text, file) {
                Ok(l) => lessons.push(l),
                Err(e) => errors.push(e.to_string()),
            }
        }
        lessons.sort_by(|a, b| (a.order, &a.file).cmp(&(b.order, &b.file)));
        Library { lessons, errors }
    })
}

pub fn all() -> &'static [Lesson] {
    &library().lessons
}

pub fn lesson(id: &str) -> Option<&'static Lesson> {
    all().iter().find(|l| l.id == id)
}

/// A question and the lesson it belongs to.
pub fn question(id: &str) -> Option<(&'static Lesson, &'static Question)> {
    all()
        .iter()
        .find_map(|l| l.questions.iter().find(|q| q.id == id).map(|q| (l, q)))
}

/// Every question id, in lesson order.
pub fn all_question_ids() -> Vec<String> {
    all()
        .iter()
        .flat_map(|l| l.questions.iter().map(|q| q.id.clone()))
        .collect()
}

/// The ids of a lesson's questions.
pub fn question_ids(lesson: &Lesson) -> Vec<String> {
    lesson.questions.iter().map(|q| q.id.clone()).collect()
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

    #[test]
    fn every_embedded_lesson_parses_in_order() {
        let lib = library();
        assert!(lib.errors.is_empty(), "{:?}", lib.errors);
        assert_eq!(lib.lessons.len(), LESSON_FILES.len());
        assert!(lib.lessons.windows(2).all(|w| w[0].order <= w[1].order));
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
            s.sort_unstable();
            assert_eq!(s, (0..n).collect::<Vec<_>>(), "{name}: a permutation");
            if n > 1 {
                assert_ne!(a, (0..n).collect::<Vec<_>>(), "{name}: not the answer");
            }
        }
    }
}
