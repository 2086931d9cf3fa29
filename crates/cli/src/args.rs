//! A small flag parser: `--flag value`, `--flag=value`, and positional words, with errors that
//! name the flag. Enough for dslab's few commands, without a dependency.

use crate::Failure;
use std::collections::BTreeMap;

pub struct Args {
    pub flags: BTreeMap<String, String>,
    pub positional: Vec<String>,
}

/// Parses `argv` accepting only `allowed` flags (all of which take a value) and `switches`
/// (flags without a value).
pub fn parse(argv: &[String], allowed: &[&str], switches: &[&str]) -> Result<Args, Failure> {
    let mut flags = BTreeMap::new();
    let mut positional = Vec::new();
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        if a == "-" || !a.starts_with('-') {
            positional.push(a.clone());
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if switches.contains(&name.as_str()) {
            flags.insert(name, String::new());
            continue;
        }
        if !allowed.contains(&name.as_str()) {
            return Err(Failure::Usage(format!(
                "unknown flag {name}; this command takes {}",
                allowed
                    .iter()
                    .chain(switches)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| Failure::Usage(format!("flag {name} needs a value")))?,
        };
        if flags.insert(name.clone(), value).is_some() {
            return Err(Failure::Usage(format!("flag {name} is given twice")));
        }
    }
    Ok(Args { flags, positional })
}

impl Args {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }
    pub fn required(&self, name: &str, what: &str) -> Result<&str, Failure> {
        self.get(name)
            .ok_or_else(|| Failure::Usage(format!("missing {name} {what}")))
    }
    /// A flag whose value must be one of `choices`.
    pub fn choice<'a>(
        &'a self,
        name: &str,
        choices: &[&'a str],
        default: &'a str,
    ) -> Result<&'a str, Failure> {
        match self.get(name) {
            None => Ok(default),
            Some(v) if choices.contains(&v) => Ok(v),
            Some(v) => Err(Failure::Usage(format!(
                "{name} {v:?} is not one of {}",
                choices.join(", ")
            ))),
        }
    }
}
