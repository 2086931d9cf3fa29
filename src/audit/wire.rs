//! What the audit page asks the worker and what it gets back: plain display data (words and
//! numbers the core computed), in postcard like every other message.

use serde::{Deserialize, Serialize};

/// A question of the audit page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AuditAsk {
    /// Audit the dump that travels beside the message (`Update::audit_text`); `file` names it in
    /// messages ("pasted text" or the file's name).
    Read { file: String },
    /// The report as Markdown (`true`) or JSON, by the core's formatters.
    Export { markdown: bool },
    /// DaemonSet `ds` (its index in the report) rolled out as it is and under these settings
    /// (as the user typed them; empty: the DaemonSet's own).
    WhatIf { ds: usize, settings: [String; 3] },
    /// DaemonSet `ds` with the dump's nodes and other pods, as the playground's editors take them.
    Playground { ds: usize },
    /// The rest of each rollout, simulated: asked once the report is on screen (the report comes
    /// first, without these whole-cluster simulations).
    Simulate,
    /// Audit made-up dump number `piece`, unseen, while the page waits for a dump: a browser runs
    /// new wasm in quick unoptimized code until its hot functions are compiled again, which made
    /// the first big audit after opening the page about 0.5 s slower than the next.
    WarmUp { piece: usize },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AuditAnswer {
    Report(Result<AuditView, String>),
    Export(Result<String, String>),
    WhatIf(Result<WhatIfView, String>),
    Playground(Result<PlaygroundTexts, String>),
    /// Per DaemonSet, its "simulated: …" rollout line (None: nothing to simulate, or it failed).
    Simulated(Vec<Option<String>>),
    WarmedUp,
}

/// A DaemonSet and the dump's nodes, as the playground's editors take them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaygroundTexts {
    /// The DaemonSet's YAML.
    pub daemonset: String,
    /// The nodes' YAML, with the other workloads' pods: MBs for a big cluster, so it travels
    /// beside the message as a JS string (`Response::text_beside`) and reaches the Nodes editor
    /// without entering the page's memory.
    #[serde(skip)]
    pub nodes: Option<crate::worker::EditorText>,
}

/// The audit of a dump, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub file: String,
    pub summary: String,
    /// The dump as a whole: other kinds skipped, pods of unknown owners, no pods, no conditions.
    pub notes: Vec<String>,
    /// Node names, in the dump's order (the picture's cells).
    pub nodes: Vec<String>,
    pub daemonsets: Vec<DsView>,
}

/// One DaemonSet: its `kubectl get ds` row, computed and reported, and its findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DsView {
    /// `NAMESPACE/NAME`.
    pub key: String,
    /// DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE: computed, reported (None: no status).
    pub counts: Vec<(String, Option<String>)>,
    pub node_selector: String,
    /// The core's one line: desired and the count of each finding.
    pub headline: String,
    /// Nodes grouped by reason, then the status differences and notes.
    pub groups: Vec<Group>,
    /// Where the rollout stands, its stalls and its simulated end, in the core's words.
    pub rollout: Vec<String>,
    /// The rest of its rollout is being simulated (`AuditAsk::Simulate` brings the line).
    pub simulating: bool,
    /// maxUnavailable, maxSurge, minReadySeconds as written (the what-if starts from them).
    pub strategy: [String; 3],
    /// One verdict per node (`Verdict as u8`), in the order of `AuditView::nodes`.
    pub cells: Vec<u8>,
}

/// A titled list (rows stop after the core's `ROWS`; `more` says how many are left out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub title: String,
    pub rows: Vec<String>,
    pub more: usize,
}

/// A rollout simulated by the core, as the chart draws it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesView {
    /// `maxUnavailable 1 → 1, maxSurge 0 → 0, minReadySeconds 0`.
    pub budget: String,
    /// (seconds, updated, unavailable, surge), after every step at that second.
    pub points: Vec<(u64, i64, i64, i64)>,
    pub desired: i64,
    /// None: it does not finish.
    pub duration: Option<u64>,
    pub last_change: u64,
    pub updated_at_end: i64,
    pub peak_unavailable: i64,
    pub peak_surge: i64,
    pub stalls: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIfView {
    pub ds: usize,
    pub current: Result<SeriesView, String>,
    pub what_if: SeriesView,
}

/// A node's verdict for one DaemonSet, as a cell of the picture shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Verdict {
    Runs,
    MissedName,
    MissedSelector,
    MissedAffinity,
    MissedTaint,
    MissedOther,
    Pending,
    Missing,
    Misscheduled,
    Outdated,
}

/// Per verdict: its class, its letter (colour is never the only sign) and its words.
pub const VERDICTS: [(&str, &str, &str); 10] = [
    ("v-runs", "✓", "runs its pod"),
    ("v-name", "N", "missed: node-name-mismatch"),
    ("v-selector", "S", "missed: node-selector"),
    ("v-affinity", "A", "missed: node-affinity"),
    ("v-taint", "T", "missed: untolerated-taint"),
    ("v-other", "?", "missed: another reason"),
    ("v-pending", "P", "pending: the scheduler cannot bind its pod"),
    ("v-missing", "M", "missing: should run a pod and has none"),
    ("v-mis", "X", "misscheduled: runs a pod where none should run"),
    ("v-outdated", "O", "outdated: its pod is on an old template"),
];

/// The look of a cell's verdict (an unknown number reads as "another reason").
pub fn look(v: u8) -> (&'static str, &'static str, &'static str) {
    VERDICTS
        .get(usize::from(v))
        .copied()
        .unwrap_or(VERDICTS[Verdict::MissedOther as usize])
}

/// How many cells have each verdict.
pub fn counts(cells: &[u8]) -> [usize; 10] {
    let mut n = [0; 10];
    for c in cells {
        let i = usize::from(*c);
        n[if i < n.len() {
            i
        } else {
            Verdict::MissedOther as usize
        }] += 1;
    }
    n
}
