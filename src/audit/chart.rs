//! The what-if chart: a simulated rollout over time (updated, unavailable and surge pods) as an
//! SVG the app draws itself. No chart crate: the bundle has a 900 KB gzip budget and is at its
//! edge; three step lines, two axes and a few labels are a page of code, where a charting crate
//! (plotters and the like) would bring its own drawing backends, fonts and text layout.

use leptos::prelude::*;

use super::wire::SeriesView;
use dslab_sim::audit::format::duration;

/// The drawing's size (viewBox units; it scales with the page).
const W: f64 = 440.0;
const H: f64 = 180.0;
/// Room for the axis labels.
const LEFT: f64 = 34.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;
const RIGHT: f64 = 10.0;
/// Rows of the table alternative, at most, per strategy.
pub const TABLE_ROWS: usize = 24;

/// The three lines: their label, class and which field of a point they draw.
const LINES: [(&str, &str, usize); 3] = [
    ("updated", "line-updated", 1),
    ("unavailable", "line-unavailable", 2),
    ("surge", "line-surge", 3),
];

type Point = (u64, i64, i64, i64);

fn field(p: &Point, f: usize) -> i64 {
    match f {
        1 => p.1,
        2 => p.2,
        _ => p.3,
    }
}

/// The shared scale of both charts: the last second either shows (at least 1), and the highest
/// count (at least 1).
pub fn scale(all: &[&SeriesView]) -> (u64, i64) {
    let t = all
        .iter()
        .map(|s| {
            let last = s.points.last().map_or(0, |p| p.0);
            last.max(s.last_change).max(s.duration.unwrap_or(0))
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let y = all
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1.max(p.2).max(p.3)).chain([s.desired]))
        .max()
        .unwrap_or(0)
        .max(1);
    (t, y)
}

fn x_of(t: u64, t_max: u64) -> f64 {
    LEFT + (W - LEFT - RIGHT) * t as f64 / t_max.max(1) as f64
}

fn y_of(v: i64, y_max: i64) -> f64 {
    H - BOTTOM - (H - BOTTOM - TOP) * v.max(0) as f64 / y_max.max(1) as f64
}

/// A step line of one field: each value holds until the next point, the last until `t_max`.
/// Points that change nothing are skipped.
pub fn step_path(points: &[Point], f: usize, t_max: u64, y_max: i64) -> String {
    let mut d = String::new();
    let mut last: Option<i64> = None;
    for p in points {
        let v = field(p, f);
        if last == Some(v) {
            continue;
        }
        let (x, y) = (x_of(p.0.min(t_max), t_max), y_of(v, y_max));
        if last.is_none() {
            d.push_str(&format!("M{x:.1} {y:.1}"));
        } else {
            d.push_str(&format!("H{x:.1}V{y:.1}"));
        }
        last = Some(v);
    }
    if last.is_some() {
        d.push_str(&format!("H{:.1}", x_of(t_max, t_max)));
    }
    d
}

/// Round steps for seconds and for pod counts.
const SECONDS: [u64; 17] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400,
];
const COUNTS: [u64; 17] = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000,
];

/// Round tick values for the time axis from 0 to `max`: 0, a round step, …, at most about 5.
pub fn ticks(max: u64) -> Vec<u64> {
    ticks_of(max, &SECONDS)
}

fn ticks_of(max: u64, steps: &[u64]) -> Vec<u64> {
    let mut step = 1;
    for &s in steps {
        step = s;
        if max / s <= 4 {
            break;
        }
    }
    if max / step > 4 {
        step = max.div_ceil(4);
    }
    (0..=max / step).map(|i| i * step).collect()
}

/// At most `n` points for the table: the first, the last, and evenly spaced ones between.
pub fn sample(points: &[Point], n: usize) -> Vec<Point> {
    if points.len() <= n || n < 2 {
        return points.to_vec();
    }
    (0..n).map(|i| points[i * (points.len() - 1) / (n - 1)]).collect()
}

/// "finishes in 4m 10s; at most 1 pod unavailable, at most 0 surge pods", or where it stops.
pub fn words(s: &SeriesView) -> String {
    let end = match s.duration {
        Some(d) => format!("finishes in {}", duration(d)),
        None => format!(
            "does not finish: {} of {} updated, no change after {}",
            s.updated_at_end,
            s.desired,
            duration(s.last_change)
        ),
    };
    format!(
        "{end}; peak unavailable {}, peak surge {}",
        s.peak_unavailable, s.peak_surge
    )
}

/// One strategy's chart, on the scale shared with the other.
pub fn chart(title: &'static str, id: &'static str, s: &SeriesView, scale: (u64, i64)) -> impl IntoView {
    let (t_max, y_max) = scale;
    let lines = LINES
        .iter()
        .map(|(_, class, f)| view! { <path class=*class d=step_path(&s.points, *f, t_max, y_max)></path> })
        .collect_view();
    // Both axes' labels, as (x, y, anchor, text): one view for all of them.
    let labels = ticks(t_max)
        .into_iter()
        .map(|t| (x_of(t, t_max), H - 6.0, "middle", duration(t)))
        .chain(
            ticks_of(y_max as u64, &COUNTS)
                .into_iter()
                .map(|v| (LEFT - 4.0, y_of(v as i64, y_max) + 4.0, "end", v.to_string())),
        )
        .map(|(x, y, anchor, text)| {
            view! { <text class="tick" x=format!("{x:.1}") y=format!("{y:.1}") text-anchor=anchor>{text}</text> }
        })
        .collect_view();
    let words_id = format!("{id}-words");
    let axes = format!("M{LEFT} {TOP}V{:.1}H{:.1}", H - BOTTOM, W - RIGHT);
    view! {
        <figure class="chart" aria-labelledby=format!("{id}-title")>
            <figcaption>
                <strong id=format!("{id}-title")>{title}</strong>
                <span class="chart-budget" id=format!("{id}-budget")>{s.budget.clone()}</span>
                <span class="chart-words" id=words_id.clone()>{words(s)}</span>
            </figcaption>
            <svg
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-label=format!("{title}: pods over time. {}", words(s))
            >
                <path class="axes" d=axes></path>
                {labels}
                {lines}
            </svg>
            {(!s.stalls.is_empty())
                .then(|| {
                    view! {
                        <ul class="chart-stalls">{super::items(&s.stalls)}</ul>
                    }
                })}
        </figure>
    }
}

/// The key of the lines (shapes as well as colours: solid, dashed, dotted).
pub fn key() -> impl IntoView {
    view! {
        <ul class="chart-key" aria-label="Lines">
            {LINES
                .iter()
                .map(|(label, class, _)| {
                    view! {
                        <li>
                            <svg viewBox="0 0 24 8" aria-hidden="true" class="key-swatch">
                                <path class=*class d="M0 4H24"></path>
                            </svg>
                            {format!(" {label} pods")}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The chart as a table, for screen readers and for reading exact numbers.
pub fn table(title: &'static str, s: &SeriesView) -> impl IntoView {
    let rows = sample(&s.points, TABLE_ROWS)
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{duration(p.0)}</td>
                    <td>{p.1.to_string()}</td>
                    <td>{p.2.to_string()}</td>
                    <td>{p.3.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="series-table">
            <caption>{format!("{title} ({}): {}", s.budget, words(s))}</caption>
            <thead>
                <tr>
                    <th scope="col">"time"</th>
                    <th scope="col">"updated"</th>
                    <th scope="col">"unavailable"</th>
                    <th scope="col">"surge"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: Vec<Point>, desired: i64, duration: Option<u64>) -> SeriesView {
        SeriesView {
            budget: String::new(),
            points,
            desired,
            duration,
            last_change: 0,
            updated_at_end: desired,
            peak_unavailable: 1,
            peak_surge: 0,
            stalls: Vec::new(),
        }
    }

    #[test]
    fn both_charts_share_one_scale() {
        for (name, a, b, want) in [
            (
                "the longer rollout sets the time, desired the height",
                series(vec![(0, 0, 1, 0), (40, 4, 0, 0)], 4, Some(40)),
                series(vec![(0, 0, 0, 1), (90, 4, 0, 0)], 4, Some(90)),
                (90, 4),
            ),
            (
                "a rollout that never finishes: its last change",
                series(vec![(0, 0, 2, 0)], 3, None),
                series(vec![], 3, Some(12)),
                (12, 3),
            ),
            (
                "surge above desired raises the height",
                series(vec![(0, 0, 0, 5)], 3, Some(1)),
                series(vec![], 0, None),
                (1, 5),
            ),
            (
                "nothing at all: at least 1 by 1",
                series(vec![], 0, None),
                series(vec![], 0, None),
                (1, 1),
            ),
        ] {
            assert_eq!(scale(&[&a, &b]), want, "{name}");
        }
    }

    #[test]
    fn step_paths_hold_each_value_until_the_next() {
        // Plot area: x from 34 to 430 (396 wide), y from 158 (0) to 8 (max).
        for (name, points, f, t_max, y_max, want) in [
            ("no points: nothing drawn", vec![], 1, 10, 1, ""),
            (
                "one value held to the end",
                vec![(0, 2, 0, 0)],
                1,
                10,
                2,
                "M34.0 8.0H430.0",
            ),
            (
                "a step up half way",
                vec![(0, 0, 0, 0), (5, 1, 0, 0)],
                1,
                10,
                1,
                "M34.0 158.0H232.0V8.0H430.0",
            ),
            (
                "unchanged points are skipped",
                vec![(0, 0, 1, 0), (2, 1, 1, 0), (4, 2, 0, 0)],
                2,
                4,
                1,
                "M34.0 8.0H430.0V158.0H430.0",
            ),
            (
                "the surge field",
                vec![(0, 0, 0, 1), (10, 0, 0, 0)],
                3,
                10,
                1,
                "M34.0 8.0H430.0V158.0H430.0",
            ),
        ] {
            assert_eq!(step_path(&points, f, t_max, y_max), want, "{name}");
        }
    }

    #[test]
    fn ticks_are_round_and_few() {
        for (max, want) in [
            (1, vec![0, 1]),
            (4, vec![0, 1, 2, 3, 4]),
            (7, vec![0, 2, 4, 6]),
            (100, vec![0, 30, 60, 90]),
            (250, vec![0, 60, 120, 180, 240]),
            (3600, vec![0, 900, 1800, 2700, 3600]),
            (1_000_000, vec![0, 250_000, 500_000, 750_000, 1_000_000]),
        ] {
            assert_eq!(ticks(max), want, "max {max}");
        }
        for (max, want) in [
            (4, vec![0, 1, 2, 3, 4]),
            (5000, vec![0, 2000, 4000]),
            (291, vec![0, 100, 200]),
        ] {
            assert_eq!(ticks_of(max, &COUNTS), want, "count {max}");
        }
    }

    #[test]
    fn the_table_samples_first_last_and_between() {
        let points: Vec<Point> = (0..100).map(|i| (i, i as i64, 0, 0)).collect();
        for (name, n, want_len, first, last) in [
            ("fewer points than rows: all", 200, 100, 0, 99),
            ("ten rows", 10, 10, 0, 99),
            ("two rows: the ends", 2, 2, 0, 99),
        ] {
            let s = sample(&points, n);
            assert_eq!(s.len(), want_len, "{name}");
            assert_eq!((s[0].0, s[s.len() - 1].0), (first, last), "{name}");
        }
    }

    #[test]
    fn words_say_the_end_and_the_peaks() {
        for (name, s, want) in [
            (
                "finished",
                series(vec![], 4, Some(250)),
                "finishes in 4m 10s; peak unavailable 1, peak surge 0",
            ),
            (
                "stuck",
                SeriesView {
                    last_change: 30,
                    updated_at_end: 2,
                    ..series(vec![], 4, None)
                },
                "does not finish: 2 of 4 updated, no change after 30s; peak unavailable 1, peak surge 0",
            ),
        ] {
            assert_eq!(words(&s), want, "{name}");
        }
    }
}
