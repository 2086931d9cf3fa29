//! `dslab`: DaemonSet Lab on the command line. Reads real cluster YAML and says, node by node,
//! whether a DaemonSet pod runs there and why not. All decisions are the core's (`dslab_sim`).

#![forbid(unsafe_code)]

mod args;
mod audit;
mod commands;
mod inputs;

use std::process::ExitCode;

/// Exit codes: 0 success, 1 bad input (the YAML), 2 bad usage (the command line).
pub enum Failure {
    Input(String),
    Usage(String),
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr();
    match commands::run(&argv, &mut stdout, &mut stderr) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {msg}\n\nRun 'dslab --help' for usage.");
            ExitCode::from(2)
        }
    }
}
