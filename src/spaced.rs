//! Spaced review with FSRS, the Free Spaced Repetition Scheduler (open-spaced-repetition's
//! published algorithm, through the `rs-fsrs` crate, version 1.2, default weights).
//!
//! Every answered question is a card. Each answer rates it:
//! - wrong → **Again**: the card lapses and is due again at once, so today's review brings it
//!   back (a same-day relearning step; FSRS itself would wait a day);
//! - right on the first try → **Good**: FSRS computes the next due date from the card's stability
//!   and difficulty (a new card: 3 days; then longer and longer).
//!
//! The long-term scheduler is used (no minute-long learning steps: a question reasoned out right
//! does not need to come back within the hour) and fuzz is off, so the same answers at the same
//! times always give the same dates. Times are milliseconds since the Unix epoch; the caller gives
//! the clock, which keeps this module pure and testable with a fixed clock.

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, Parameters, Rating, Seed, State, FSRS};
use serde::{Deserialize, Serialize};

pub const DAY_MS: i64 = 86_400_000;

/// How an answer rates its card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grade {
    /// Wrong.
    Again,
    /// Right on the first try.
    Good,
}

/// One question's FSRS card, as saved (times in ms since the epoch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewCard {
    pub due: i64,
    pub stability: f64,
    pub difficulty: f64,
    #[serde(default)]
    pub elapsed_days: i64,
    #[serde(default)]
    pub scheduled_days: i64,
    pub reps: i32,
    #[serde(default)]
    pub lapses: i32,
    /// 0 new, 1 learning, 2 review, 3 relearning (FSRS's states).
    pub state: u8,
    pub last_review: i64,
}

fn parameters() -> Parameters {
    Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        seed: Seed::Empty,
        ..Parameters::default()
    }
}

/// Dates the scheduler can add days to without overflowing (years 1970 to about 2200).
const MAX_MS: i64 = 7_258_118_400_000;

fn date(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms.clamp(0, MAX_MS)).unwrap_or_default()
}

fn state_of(n: u8) -> State {
    match n {
        1 => State::Learning,
        2 => State::Review,
        3 => State::Relearning,
        _ => State::New,
    }
}

fn state_num(s: State) -> u8 {
    match s {
        State::New => 0,
        State::Learning => 1,
        State::Review => 2,
        State::Relearning => 3,
    }
}

impl ReviewCard {
    /// Whether the saved numbers are ones FSRS can work from (storage may hold anything).
    pub fn is_sane(&self) -> bool {
        self.stability.is_finite()
            && self.stability > 0.0
            && self.stability <= 1e6
            && self.difficulty.is_finite()
            && (1.0..=10.0).contains(&self.difficulty)
            && (0..=MAX_MS).contains(&self.due)
            && (0..=MAX_MS).contains(&self.last_review)
            && self.state <= 3
            && self.reps >= 0
            && self.lapses >= 0
    }

    fn to_fsrs(&self) -> Card {
        Card {
            due: date(self.due),
            stability: self.stability,
            difficulty: self.difficulty,
            elapsed_days: self.elapsed_days.clamp(0, 36_500),
            scheduled_days: self.scheduled_days.clamp(0, 36_500),
            reps: self.reps,
            lapses: self.lapses,
            state: state_of(self.state),
            last_review: date(self.last_review),
        }
    }

    fn from_fsrs(c: &Card) -> Self {
        ReviewCard {
            due: c.due.timestamp_millis(),
            stability: c.stability,
            difficulty: c.difficulty,
            elapsed_days: c.elapsed_days,
            scheduled_days: c.scheduled_days,
            reps: c.reps,
            lapses: c.lapses,
            state: state_num(c.state),
            last_review: c.last_review.timestamp_millis(),
        }
    }
}

/// The card after an answer given at `now`. `card` is None for a question never answered (or
/// whose saved card was unusable): it starts as a new FSRS card.
pub fn review(card: Option<&ReviewCard>, grade: Grade, now: i64) -> ReviewCard {
    let now = now.clamp(0, MAX_MS);
    let start = match card.filter(|c| c.is_sane()) {
        Some(c) => c.to_fsrs(),
        None => Card {
            due: date(now),
            last_review: date(now),
            ..Card::default()
        },
    };
    let rating = match grade {
        Grade::Again => Rating::Again,
        Grade::Good => Rating::Good,
    };
    let next = FSRS::new(parameters()).next(start, date(now), rating).card;
    let mut out = ReviewCard::from_fsrs(&next);
    if grade == Grade::Again {
        out.due = now;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-03 09:00 UTC.
    const T0: i64 = 1_796_288_400_000;

    fn days(c: &ReviewCard, from: i64) -> f64 {
        (c.due - from) as f64 / DAY_MS as f64
    }

    #[test]
    fn good_answers_space_out_and_a_miss_comes_back_at_once() {
        // (name, grades in turn, each given when the card is due, due in days after the last)
        let cases: &[(&str, &[Grade], f64)] = &[
            ("a first right answer: 3 days", &[Grade::Good], 3.0),
            ("right twice: longer", &[Grade::Good, Grade::Good], 11.0),
            (
                "right three times: longer still",
                &[Grade::Good, Grade::Good, Grade::Good],
                36.0,
            ),
            ("a first miss: due at once", &[Grade::Again], 0.0),
            (
                "missed after a right answer: due at once",
                &[Grade::Good, Grade::Again],
                0.0,
            ),
            // FSRS keeps Good at least two days past what Again would give (1 day).
            (
                "missed, then right the same day: 3 days",
                &[Grade::Again, Grade::Good],
                3.0,
            ),
        ];
        for (name, grades, want) in cases {
            let mut now = T0;
            let mut card: Option<ReviewCard> = None;
            for g in *grades {
                let next = review(card.as_ref(), *g, now);
                card = Some(next);
                now = card.as_ref().unwrap().due.max(now);
            }
            let c = card.unwrap();
            let got = days(&c, c.last_review);
            assert!(
                (got - want).abs() < 0.01,
                "{name}: due in {got} days, expected {want}"
            );
            assert!(c.is_sane(), "{name}: {c:?}");
        }
    }

    #[test]
    fn the_same_answers_give_the_same_dates() {
        let a = review(Some(&review(None, Grade::Good, T0)), Grade::Good, T0 + 3 * DAY_MS);
        let b = review(Some(&review(None, Grade::Good, T0)), Grade::Good, T0 + 3 * DAY_MS);
        assert_eq!(a, b);
        assert_eq!(a.reps, 2);
        assert_eq!(a.state, 2, "in review");
    }

    #[test]
    fn a_late_review_of_a_remembered_card_grows_it_more() {
        let first = review(None, Grade::Good, T0);
        let on_time = review(Some(&first), Grade::Good, first.due);
        let late = review(Some(&first), Grade::Good, first.due + 20 * DAY_MS);
        assert!(late.stability > on_time.stability, "{late:?} vs {on_time:?}");
    }

    #[test]
    fn lapses_count_and_difficulty_rises() {
        let c = review(None, Grade::Good, T0);
        let missed = review(Some(&c), Grade::Again, c.due);
        assert_eq!(missed.lapses, 1);
        assert_eq!(missed.due, c.due, "due at once");
        assert!(missed.difficulty > c.difficulty);
        assert!(missed.stability < c.stability);
    }

    #[test]
    fn broken_saved_cards_start_afresh() {
        let good = review(None, Grade::Good, T0);
        let broken = [
            ReviewCard {
                stability: f64::NAN,
                ..good.clone()
            },
            ReviewCard {
                stability: -1.0,
                ..good.clone()
            },
            ReviewCard {
                difficulty: 50.0,
                ..good.clone()
            },
            ReviewCard {
                due: i64::MAX,
                ..good.clone()
            },
            ReviewCard {
                last_review: -5,
                ..good.clone()
            },
            ReviewCard {
                state: 9,
                ..good.clone()
            },
        ];
        for b in &broken {
            assert!(!b.is_sane(), "{b:?}");
            assert_eq!(review(Some(b), Grade::Good, T0), good, "{b:?} is treated as new");
        }
        // A clock far off never panics.
        for now in [i64::MIN, -1, 0, i64::MAX] {
            let c = review(Some(&good), Grade::Good, now);
            assert!(c.due >= 0, "{now}");
        }
    }
}
