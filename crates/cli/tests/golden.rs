//! Golden outputs: `dslab` on the repository's own inputs, compared byte for byte with the files in
//! tests/golden/. They pin what the tool prints, so that a change of the core's inside (a move, a
//! split, a faster data structure) that changes a single byte of what a user sees fails here.
//!
//! Covered: `dslab plan` (table, json, yaml; current and legacy mode; with and without other pods),
//! `dslab pod` (both modes), `dslab simulate` (text and json) on every scenario file and on every
//! lesson's scenario, and `dslab lessons check`.
//!
//! After an intended change of output: `DSLAB_BLESS=1 cargo test -p dslab-cli --test golden`
//! rewrites the files; read the diff before committing it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root: dslab runs there, so that the file names it prints are the short,
/// relative ones a user types (and the same on every machine).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Outputs longer than this are pinned by their length and an FNV-1a hash of their bytes (a
/// `.fnv` golden file) rather than stored: lesson 11's cluster prints megabytes.
const STORED_MAX: usize = 200_000;

/// The golden file's bytes for an output: the output itself, or for a long one its digest.
fn golden_bytes(out: Vec<u8>) -> (Vec<u8>, &'static str) {
    if out.len() <= STORED_MAX {
        return (out, "");
    }
    let hash = out.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    (
        format!("bytes {} fnv1a64 {hash:016x}\n", out.len()).into_bytes(),
        ".fnv",
    )
}

/// One run of dslab: its arguments, and standard input if any.
struct Case {
    name: String,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
}

fn case(name: &str, args: &[&str]) -> Case {
    Case {
        name: name.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        stdin: None,
    }
}

/// What a user sees: standard output, then standard error and the exit status when they are not
/// the quiet success.
fn run(c: &Case) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dslab"))
        .args(&c.args)
        .current_dir(root())
        .stdin(if c.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dslab");
    if let Some(bytes) = c.stdin.clone() {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let out = child.wait_with_output().expect("wait for dslab");
    let mut bytes = out.stdout;
    let code = out.status.code().unwrap_or(-1);
    if code != 0 || !out.stderr.is_empty() {
        bytes.extend_from_slice(format!("--- stderr (exit {code}) ---\n").as_bytes());
        bytes.extend_from_slice(&out.stderr);
    }
    bytes
}

fn sorted_files(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect("read the folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| keep(n))
        .collect();
    names.sort();
    names
}

/// The `scenario:` of a lesson's front matter (the text between the first two `---` lines).
fn lesson_scenario(text: &str) -> Option<String> {
    let body = text.strip_prefix("---\n")?;
    let end = body.find("\n---\n")?;
    let front: serde_yaml::Value = serde_yaml::from_str(&body[..end]).ok()?;
    front.get("scenario")?.as_str().map(str::to_string)
}

fn cases() -> Vec<Case> {
    let f = "crates/cli/tests/fixtures/";
    let ds = format!("{f}daemonset.yaml");
    let nodes = format!("{f}nodes.yaml");
    let pods = format!("{f}pods.yaml");
    let mut all = Vec::new();
    for mode in ["current", "legacy"] {
        for output in ["table", "json", "yaml"] {
            all.push(case(
                &format!("plan-fixtures-{mode}.{output}"),
                &[
                    "plan",
                    "--daemonset",
                    &ds,
                    "--nodes",
                    &nodes,
                    "--mode",
                    mode,
                    "-o",
                    output,
                ],
            ));
        }
        all.push(case(
            &format!("plan-fixtures-with-pods-{mode}.table"),
            &[
                "plan",
                "--daemonset",
                &ds,
                "--nodes",
                &nodes,
                "--pods",
                &pods,
                "--mode",
                mode,
            ],
        ));
        all.push(case(
            &format!("plan-fixtures-with-pods-{mode}.json"),
            &[
                "plan",
                "--daemonset",
                &ds,
                "--nodes",
                &nodes,
                "--pods",
                &pods,
                "--mode",
                mode,
                "-o",
                "json",
            ],
        ));
    }
    let dump = format!("{f}cluster-dump.yaml");
    for mode in ["current", "legacy"] {
        all.push(case(
            &format!("plan-cluster-dump-{mode}.table"),
            &["plan", "--daemonset", &dump, "--nodes", &dump, "--mode", mode],
        ));
    }
    all.push(case(
        "plan-cluster-dump.yaml",
        &["plan", "--daemonset", &dump, "--nodes", &dump, "-o", "yaml"],
    ));
    let netlab = format!("{f}published-netlab.yaml");
    all.push(case(
        "plan-published-netlab.table",
        &["plan", "--daemonset", &netlab, "--nodes", &nodes],
    ));
    for ex in ["kube-proxy", "log-agent"] {
        let file = format!("examples/{ex}.yaml");
        all.push(case(
            &format!("plan-example-{ex}.table"),
            &[
                "plan",
                "--daemonset",
                &file,
                "--nodes",
                "examples/nodes-list.yaml",
            ],
        ));
        all.push(case(
            &format!("pod-example-{ex}.yaml"),
            &["pod", "--daemonset", &file, "--node", "worker-1"],
        ));
    }
    for mode in ["current", "legacy"] {
        all.push(case(
            &format!("pod-fixtures-{mode}.yaml"),
            &["pod", "--daemonset", &ds, "--node", "worker-1", "--mode", mode],
        ));
    }
    for file in sorted_files("scenarios", |n| n.ends_with(".yaml")) {
        let stem = file.trim_end_matches(".yaml");
        let path = format!("scenarios/{file}");
        all.push(case(
            &format!("simulate-{stem}.txt"),
            &["simulate", "--scenario", &path],
        ));
        all.push(case(
            &format!("simulate-{stem}.json"),
            &["simulate", "--scenario", &path, "-o", "json"],
        ));
    }
    // Lesson scenarios are read from standard input, as the lesson would paste them.
    for file in sorted_files("lessons", |n| n.ends_with(".md") && n != "README.md") {
        let text = std::fs::read_to_string(root().join("lessons").join(&file)).expect("read lesson");
        let Some(scenario) = lesson_scenario(&text) else {
            continue;
        };
        let stem = file.trim_end_matches(".md");
        for (ext, output) in [("txt", "text"), ("json", "json")] {
            let mut c = case(
                &format!("simulate-lesson-{stem}.{ext}"),
                &["simulate", "--scenario", "-", "-o", output],
            );
            c.stdin = Some(scenario.clone().into_bytes());
            all.push(c);
        }
    }
    all.push(case("lessons-check.txt", &["lessons", "check", "lessons"]));
    all
}

#[test]
fn outputs_are_byte_identical_to_the_golden_files() {
    let bless = std::env::var_os("DSLAB_BLESS").is_some_and(|v| v == "1");
    let dir = golden_dir();
    let cases = cases();
    assert!(
        cases.len() > 40,
        "the golden set lost its inputs: {} cases",
        cases.len()
    );
    let mut differ = Vec::new();
    for c in &cases {
        let (got, suffix) = golden_bytes(run(c));
        let path = dir.join(format!("{}{suffix}", c.name));
        if bless {
            std::fs::create_dir_all(&dir).expect("create tests/golden");
            std::fs::write(&path, &got).expect("write a golden file");
            continue;
        }
        match std::fs::read(&path) {
            Ok(want) if want == got => {}
            Ok(want) => differ.push(format!(
                "{} (dslab {}): {} bytes, golden has {}; first difference at byte {}",
                c.name,
                c.args.join(" "),
                got.len(),
                want.len(),
                got.iter()
                    .zip(&want)
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len().min(want.len()))
            )),
            Err(e) => differ.push(format!("{}: cannot read the golden file: {e}", c.name)),
        }
    }
    if !bless {
        // A golden file no case writes any more is a case that was lost.
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        for file in std::fs::read_dir(&dir).expect("read tests/golden").flatten() {
            let n = file.file_name().to_string_lossy().into_owned();
            if !names.contains(&n.trim_end_matches(".fnv")) {
                differ.push(format!("{n}: no case writes this golden file"));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "output differs from tests/golden (DSLAB_BLESS=1 to accept an intended change):\n{}",
        differ.join("\n")
    );
}
