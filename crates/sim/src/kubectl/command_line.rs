//! The console's command line: words as a shell splits them, kubectl's flags, and what a command
//! gives back (text, an error with kubectl's words, or a change to apply).

// See mod.rs: an Outcome is built once per typed command.
#![allow(clippy::result_large_err)]

use crate::simulate::Action;
use std::collections::BTreeMap;

/// What running a command gives.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Text for the console (stdout).
    Output(String),
    /// kubectl's error text, and a hint for the learner.
    Error { message: String, hint: Option<String> },
    /// The command changes the cluster: the event to apply now (for `daemonset`, if it names one),
    /// and what kubectl prints when it succeeds.
    Change {
        action: Action,
        daemonset: Option<String>,
        output: String,
    },
}

pub(super) fn error(message: impl Into<String>, hint: Option<&str>) -> Outcome {
    Outcome::Error {
        message: message.into(),
        hint: hint.map(str::to_string),
    }
}

/// Splits a command line like a shell does: spaces separate words; quotes group them.
pub fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut has = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                has = true;
            }
            (None, c) if c.is_whitespace() => {
                if has || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    if has || !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Flags of one command: `--name=value`, `--name value`, `-n value`, and bare switches.
pub(crate) struct Flags {
    pub values: BTreeMap<String, String>,
    pub args: Vec<String>,
}

impl Flags {
    pub fn get(&self, k: &str) -> Option<&str> {
        self.values.get(k).map(String::as_str)
    }
    pub fn has(&self, k: &str) -> bool {
        self.values.contains_key(k)
    }
}

/// Flag spellings: (names, takes a value). The first name is the canonical key.
type FlagSpec = &'static [(&'static [&'static str], bool)];

pub(super) fn parse_flags(words: &[String], spec: FlagSpec) -> Result<Flags, Outcome> {
    let mut values = BTreeMap::new();
    let mut args = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if !w.starts_with('-') || w == "-" {
            args.push(w.clone());
            continue;
        }
        let (name, inline) = match w.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (w.as_str(), None),
        };
        // -owide is the same as -o wide
        let (name, inline) = if name.len() > 2 && name.starts_with('-') && !name.starts_with("--") {
            (&name[..2], inline.or_else(|| Some(name[2..].to_string())))
        } else {
            (name, inline)
        };
        let Some((names, takes)) = spec.iter().find(|(names, _)| names.contains(&name)) else {
            return Err(error(
                format!("error: unknown flag: {name}"),
                Some(&format!(
                    "flags here: {}",
                    spec.iter()
                        .map(|(n, _)| n.join("|"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        };
        let key = names[0].to_string();
        if *takes {
            let v = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| error(format!("error: flag needs an argument: {name}"), None))?,
            };
            values.insert(key, v);
        } else {
            values.insert(key, inline.unwrap_or_else(|| "true".into()));
        }
    }
    Ok(Flags { values, args })
}

pub(super) const NAMESPACE: (&[&str], bool) = (&["--namespace", "-n"], true);
pub(super) const ALL_NS: (&[&str], bool) = (&["--all-namespaces", "-A"], false);
