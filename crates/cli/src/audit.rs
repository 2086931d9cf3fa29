//! `dslab audit FILE...`: every DaemonSet of a cluster dump, node by node (the core's `audit`).

use crate::args;
use crate::commands::{wants_help, HELP};
use crate::inputs::Inputs;
use crate::Failure;
use dslab_sim::api::Manifests;
use dslab_sim::audit::{self, format, parse_strategy, AuditError};
use std::collections::HashMap;
use std::io::Write;

pub fn run(argv: &[String], out: &mut dyn Write, notes: &mut dyn Write) -> Result<(), Failure> {
    if wants_help(argv) {
        return out
            .write_all(HELP.as_bytes())
            .map_err(|e| Failure::Input(e.to_string()));
    }
    let a = args::parse(argv, &["--output", "-o", "--what-if"], &[])?;
    let output = match (a.get("--output"), a.get("-o")) {
        (Some(_), Some(_)) => return Err(Failure::Usage("give --output or -o, not both".into())),
        (Some(o), None) | (None, Some(o)) => o,
        (None, None) => "table",
    };
    if !["table", "json", "markdown"].contains(&output) {
        return Err(Failure::Usage(format!(
            "--output {output:?} is not one of table, json, markdown"
        )));
    }
    let what_if = a
        .get("--what-if")
        .map(|w| parse_strategy(w).map_err(|e| Failure::Usage(format!("--what-if: {e}"))))
        .transpose()?;
    if a.positional.is_empty() {
        return Err(Failure::Usage(
            "audit needs FILE... (e.g. the output of kubectl get ds,nodes,pods -A -o yaml; - for standard input)".into(),
        ));
    }
    let mut files = Inputs::new();
    for path in &a.positional {
        files.take(path, &["DaemonSet", "Node", "Pod"])?;
    }
    files.write_notes(notes);
    let paths = a.positional.join(", ");
    // Each path was read once, in the order given; its objects are moved, not copied.
    let mut all = Manifests::default();
    let mut node_file: HashMap<String, String> = HashMap::new();
    for (path, m) in files.into_files() {
        for n in &m.nodes {
            let name = n.metadata.name.clone().unwrap_or_default();
            if let Some(first) = node_file.insert(name.clone(), path.clone()) {
                return Err(Failure::Input(format!(
                    "node {name} is in {first} and in {path}; expected each node once (give each dump once)"
                )));
            }
        }
        all.daemonsets.extend(m.daemonsets);
        all.nodes.extend(m.nodes);
        all.pods.extend(m.pods);
        for (kind, n) in &m.skipped.0 {
            all.skipped.add(kind, *n);
        }
    }
    let report = match audit::audit_with(all, what_if.as_ref()) {
        Ok(r) => r,
        Err(e @ AuditError::WhatIf(_)) => return Err(Failure::Usage(e.to_string())),
        Err(e) => return Err(Failure::Input(format!("{paths}: {e}"))),
    };
    let text = match output {
        "json" => format::json(&report),
        "markdown" => format::markdown(&report),
        _ => format::table(&report),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::Input(format!("cannot write output: {e}")))
}
