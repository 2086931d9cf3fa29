//! The commands: `plan`, `pod` (and, as the core grows, `simulate`, `lessons check`).

use crate::args::{self, Args};
use crate::inputs::{self, Inputs};
use crate::Failure;
use dslab_sim::api::{daemonset_key, pick_daemonset, Manifests};
use dslab_sim::k8s_openapi::api::apps::v1::DaemonSet;
use dslab_sim::Mode;
use dslab_sim::{plan, InputError};
use std::io::Write;

pub const HELP: &str = "\
dslab - see why a DaemonSet pod does or does not run on each node

Usage:
  dslab plan --daemonset FILE --nodes FILE [--pods FILE] [--name [NAMESPACE/]NAME]
             [--mode current|legacy] [--output table|json|yaml]
  dslab pod  --daemonset FILE --node NAME [--name [NAMESPACE/]NAME] [--mode current|legacy]
  dslab simulate --scenario FILE [--output text|json]
  dslab audit FILE... [--output table|json|markdown] [--what-if maxSurge=1,maxUnavailable=0]
  dslab lessons check [DIR]
  dslab --help | --version

Commands:
  plan   For every node: does the DaemonSet controller want a pod there (RUN), and can the
         pod be bound there (SCHEDULABLE)? With the reason in Kubernetes' own words.
  pod    Print the Pod the DaemonSet controller would create for one node.
  simulate
         Play a scenario (a cluster plus events such as add-node, cordon, drain, taint,
         update-template, rollout-undo) and print every step: which actor did what, when.
         The scenario format is described in the README.
  audit  For a whole cluster dump (kubectl get ds,nodes,pods -A -o yaml, or -o json; any mix
         of files): for every DaemonSet, desiredNumberScheduled beside its status, the nodes
         it misses by reason, pods that stay Pending, nodes missing a pod, misscheduled and
         outdated pods, and its rollout (budget, stalls, simulated time to finish).
         --what-if simulates the rollout under another maxUnavailable, maxSurge or
         minReadySeconds and prints duration and peak unavailable beside the current ones.
  lessons check
         Validate every lesson in DIR (default: lessons): format, links, scenarios that run,
         quiz answers the simulation can compute, unique question ids.

Files are Kubernetes YAML or JSON as you have it: a published manifest (with its Namespace,
RBAC, CRDs, ...), several documents separated by ---, or a List of any kinds, e.g. the output
of `kubectl get ds,nodes,pods -A -o yaml`. --daemonset takes the DaemonSets of its file,
--nodes the Nodes and Pods of its file; other objects are skipped and counted on stderr.
The same file may be given to several flags. Use - to read from standard input.
  --name        pick one DaemonSet of a file that holds several (without it, plan prints
                one plan per DaemonSet; JSON/YAML: {\"plans\": [...]}).
  --pods FILE   pods of other workloads already on the nodes (`kubectl get pods -A -o yaml`);
                they use CPU, memory, pod slots and host ports.
  --mode        current (Kubernetes v1.12 and later, the default): the controller pins the pod
                to its node with node affinity and the default scheduler binds it.
                legacy (before v1.12): the controller sets spec.nodeName and the scheduler is
                bypassed.

Reading the table:
  RUN          yes   the controller creates a pod for the node (shouldRun)
               keep  no new pod, but a running one stays (shouldContinueRunning), e.g. after
                     a NoSchedule taint was added under it
               no    no pod, and a running one is deleted
  SCHEDULABLE  yes/no: whether that pod can be bound to the node (resources, host ports, ...).
               A pod that cannot be bound is still created and stays Pending.
               -     the controller creates no pod there (RUN keep or no): nothing to bind

Exit status: 0 done, 1 the input is wrong (the message names file, line, column and field),
2 the command line is wrong.

Example:
  dslab plan --daemonset kube-proxy.yaml --nodes nodes.yaml
  kubectl get nodes -o yaml | dslab plan --daemonset ds.yaml --nodes - --output json
";

pub fn run(argv: &[String], out: &mut dyn Write, notes: &mut dyn Write) -> Result<(), Failure> {
    let Some((cmd, rest)) = argv.split_first() else {
        return Err(Failure::Usage("no command given".into()));
    };
    let written = match cmd.as_str() {
        "-h" | "--help" | "help" => write!(out, "{HELP}"),
        "-V" | "--version" => writeln!(out, "dslab {}", env!("CARGO_PKG_VERSION")),
        "plan" => return plan_cmd(rest, out, notes),
        "pod" => return pod_cmd(rest, out, notes),
        "simulate" => return simulate_cmd(rest, out),
        "audit" => return crate::audit::run(rest, out, notes),
        "lessons" => return lessons_cmd(rest, out),
        other => {
            return Err(Failure::Usage(format!(
                "unknown command {other:?}; expected plan, pod, simulate, audit or lessons"
            )))
        }
    };
    written.map_err(|e| Failure::Input(format!("cannot write output: {e}")))
}

pub(crate) fn wants_help(argv: &[String]) -> bool {
    argv.iter().any(|a| a == "-h" || a == "--help")
}

fn input(e: InputError) -> Failure {
    Failure::Input(e.to_string())
}

fn mode(a: &Args) -> Result<Mode, Failure> {
    let m = a.choice("--mode", &["current", "legacy"], "current")?;
    Ok(Mode::parse(m).unwrap_or_default())
}

fn no_positional(a: &Args) -> Result<(), Failure> {
    match a.positional.first() {
        Some(p) => Err(Failure::Usage(format!("unexpected argument {p:?}"))),
        None => Ok(()),
    }
}

fn plan_cmd(argv: &[String], out: &mut dyn Write, notes: &mut dyn Write) -> Result<(), Failure> {
    if wants_help(argv) {
        return out
            .write_all(HELP.as_bytes())
            .map_err(|e| Failure::Input(e.to_string()));
    }
    let a = args::parse(
        argv,
        &[
            "--daemonset",
            "--nodes",
            "--pods",
            "--name",
            "--mode",
            "--output",
            "-o",
        ],
        &[],
    )?;
    no_positional(&a)?;
    let ds_path = a.required("--daemonset", "FILE (the DaemonSet manifest)")?;
    let nodes_path = a.required(
        "--nodes",
        "FILE (the Node manifests, e.g. kubectl get nodes -o yaml)",
    )?;
    let mode = mode(&a)?;
    let output = match (a.get("--output"), a.get("-o")) {
        (Some(_), Some(_)) => return Err(Failure::Usage("give --output or -o, not both".into())),
        (Some(o), None) | (None, Some(o)) => o,
        (None, None) => "table",
    };
    if !["table", "json", "yaml"].contains(&output) {
        return Err(Failure::Usage(format!(
            "--output {output:?} is not one of table, json, yaml"
        )));
    }
    // --daemonset takes the DaemonSets of its file; --nodes the Nodes and the Pods of its file
    // (a `kubectl get nodes,pods -A` dump); --pods the Pods of its file.
    let mut files = Inputs::new();
    let ds_file = files.take(ds_path, &["DaemonSet"])?;
    let nodes_file = files.take(nodes_path, &["Node", "Pod"])?;
    let pods_file = a.get("--pods").map(|p| files.take(p, &["Pod"])).transpose()?;
    let daemonsets = chosen_daemonsets(files.get(ds_file), ds_path, a.get("--name"))?;
    let nodes = &files.get(nodes_file).nodes;
    if nodes.is_empty() && !files.get(nodes_file).skipped_besides(&["Node"]).is_empty() {
        return Err(Failure::Input(format!(
            "{nodes_path}: found no Node; expected Node manifests (kubectl get nodes -o yaml)"
        )));
    }
    files.write_notes(notes);
    let mut pods = files.get(nodes_file).pods.clone();
    if let Some(f) = pods_file.filter(|f| *f != nodes_file) {
        pods.extend(files.get(f).pods.iter().cloned());
    }
    let plans: Vec<dslab_sim::Plan> = daemonsets.iter().map(|ds| plan(ds, nodes, &pods, mode)).collect();
    let text = match (output, plans.as_slice()) {
        ("json", [one]) => json(one),
        ("json", _) => json(&Plans { plans: &plans }),
        ("yaml", [one]) => dslab_sim::to_yaml(one),
        ("yaml", _) => dslab_sim::to_yaml(&Plans { plans: &plans }),
        (_, [one]) => table(one),
        _ => plans
            .iter()
            .map(|p| format!("=== DaemonSet {} ===\n{}", p.daemonset, table(p)))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::Input(format!("cannot write output: {e}")))
}

/// A file with several DaemonSets gives one plan each, in file order (documented in README).
#[derive(serde::Serialize)]
struct Plans<'a> {
    plans: &'a [dslab_sim::Plan],
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .unwrap_or_default()
}

/// The DaemonSets a command works on: the one `--name` picks, or all of them.
fn chosen_daemonsets<'a>(
    file: &'a Manifests,
    path: &str,
    name: Option<&str>,
) -> Result<Vec<&'a DaemonSet>, Failure> {
    let all = &file.daemonsets;
    if all.is_empty() {
        let holds = file.skipped_besides(&[]);
        let holds = if holds.is_empty() {
            String::new()
        } else {
            format!(" (it holds {})", holds.listing())
        };
        return Err(Failure::Input(format!(
            "{path}: found no DaemonSet{holds}; expected a DaemonSet (apps/v1)"
        )));
    }
    match name {
        Some(n) => pick_daemonset(all, n)
            .map(|d| vec![d])
            .map_err(|e| Failure::Input(format!("{path}: {e}"))),
        None => Ok(all.iter().collect()),
    }
}

/// kubectl-style columns, laid out as kubectl's tabwriter does (the core's `table`).
fn table(p: &dslab_sim::Plan) -> String {
    let mut rows = vec![[
        "NODE".to_string(),
        "RUN".into(),
        "SCHEDULABLE".into(),
        "REASON".into(),
    ]];
    for n in &p.nodes {
        let run = match (n.should_run, n.should_continue_running) {
            (true, _) => "yes",
            (false, true) => "keep",
            (false, false) => "no",
        };
        let sched = match n.scheduler.schedulable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let reason = match n.headline() {
            Some(r) => format!("{}: {}", r.code, r.message),
            None => n
                .notes
                .first()
                .map(|r| format!("(note) {}", r.message))
                .unwrap_or_else(|| "<none>".into()),
        };
        rows.push([n.name.clone(), run.into(), sched.into(), reason]);
    }
    let rows: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
    let mut s = dslab_sim::kubectl::words::table(&rows);
    for w in &p.warnings {
        s.push_str(&format!("warning: {}: {}\n", w.path, w.message));
    }
    for n in &p.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    s.push_str(&format!(
        "\n{} ({} mode): {}\n",
        p.daemonset,
        p.mode.as_str(),
        p.summary
    ));
    s
}

fn pod_cmd(argv: &[String], out: &mut dyn Write, notes: &mut dyn Write) -> Result<(), Failure> {
    if wants_help(argv) {
        return out
            .write_all(HELP.as_bytes())
            .map_err(|e| Failure::Input(e.to_string()));
    }
    let a = args::parse(argv, &["--daemonset", "--node", "--name", "--mode"], &[])?;
    no_positional(&a)?;
    let ds_path = a.required("--daemonset", "FILE (the DaemonSet manifest)")?;
    let node = a.required("--node", "NAME (the node to build the pod for)")?;
    if node.is_empty() {
        return Err(Failure::Usage("--node needs a node name".into()));
    }
    let mode = mode(&a)?;
    let mut files = Inputs::new();
    let ds_file = files.take(ds_path, &["DaemonSet"])?;
    let chosen = chosen_daemonsets(files.get(ds_file), ds_path, a.get("--name"))?;
    let all = &files.get(ds_file).daemonsets;
    let [ds] = chosen.as_slice() else {
        let names: Vec<String> = all.iter().map(daemonset_key).collect();
        return Err(Failure::Usage(format!(
            "{ds_path} holds {} DaemonSets ({}); pick one with --name [NAMESPACE/]NAME",
            names.len(),
            names.join(", ")
        )));
    };
    files.write_notes(notes);
    let pod = dslab_sim::new_daemon_pod(ds, node, mode);
    let header = match mode {
        Mode::Current => format!("# The Pod the DaemonSet controller creates for node {node} (v1.12+): pinned by the\n# required node affinity below; the default scheduler binds it (spec.nodeName stays empty).\n"),
        Mode::Legacy => format!("# The Pod the DaemonSet controller created for node {node} before v1.12: spec.nodeName is\n# set by the controller and the scheduler never sees the pod.\n"),
    };
    out.write_all(format!("{header}{}", dslab_sim::to_yaml(&pod)).as_bytes())
        .map_err(|e| Failure::Input(format!("cannot write output: {e}")))
}

fn simulate_cmd(argv: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    if wants_help(argv) {
        return out
            .write_all(HELP.as_bytes())
            .map_err(|e| Failure::Input(e.to_string()));
    }
    let a = args::parse(argv, &["--scenario", "--output", "-o"], &[])?;
    no_positional(&a)?;
    let path = a.required("--scenario", "FILE (the scenario YAML)")?;
    let output = match (a.get("--output"), a.get("-o")) {
        (Some(_), Some(_)) => return Err(Failure::Usage("give --output or -o, not both".into())),
        (Some(o), None) | (None, Some(o)) => o,
        (None, None) => "text",
    };
    if !["text", "json"].contains(&output) {
        return Err(Failure::Usage(format!(
            "--output {output:?} is not one of text, json"
        )));
    }
    let bytes = inputs::read(path)?;
    let scenario = dslab_sim::Scenario::from_yaml(&bytes, path).map_err(input)?;
    let timeline = dslab_sim::run(&scenario);
    let text = match output {
        "json" => dslab_sim::simulate::report::json(&timeline),
        _ => dslab_sim::simulate::report::text(&timeline),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::Input(format!("cannot write output: {e}")))
}

fn lessons_cmd(argv: &[String], out: &mut dyn Write) -> Result<(), Failure> {
    if wants_help(argv) {
        return out
            .write_all(HELP.as_bytes())
            .map_err(|e| Failure::Input(e.to_string()));
    }
    let a = args::parse(argv, &[], &[])?;
    let (sub, rest) = a
        .positional
        .split_first()
        .ok_or_else(|| Failure::Usage("lessons needs a subcommand: check".into()))?;
    if sub != "check" {
        return Err(Failure::Usage(format!(
            "unknown lessons subcommand {sub:?}; expected check"
        )));
    }
    if rest.len() > 1 {
        return Err(Failure::Usage(format!("unexpected argument {:?}", rest[1])));
    }
    let dir = rest.first().map_or("lessons", String::as_str);
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Failure::Input(format!("{dir}: cannot read the folder: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            n.ends_with(".md") && !n.starts_with('_') && n != "README.md"
        })
        .collect();
    names.sort();
    let mut files = Vec::new();
    for p in names {
        let bytes =
            std::fs::read(&p).map_err(|e| Failure::Input(format!("{}: cannot read: {e}", p.display())))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Failure::Input(format!("{}: not UTF-8 text", p.display())))?;
        files.push((p.display().to_string(), text));
    }
    let report = dslab_sim::lessons::check::check_texts(&files);
    if !report.errors.is_empty() {
        return Err(Failure::Input(format!(
            "{} problem(s) in the lessons:\n{}",
            report.errors.len(),
            report.errors.join("\n")
        )));
    }
    writeln!(out, "{}", report.summary()).map_err(|e| Failure::Input(format!("cannot write output: {e}")))
}
