//! The files of one command: each path read once (a dump may be given as --daemonset and as
//! --nodes), each flag taking its kinds from its file, and one note per file for what was left.

use crate::Failure;
use dslab_sim::api::{parse_manifests, Manifests};
use std::io::{Read, Write};

pub struct Inputs {
    /// Per distinct path: its objects and the kinds the command takes from it.
    files: Vec<(String, Manifests, Vec<&'static str>)>,
}

impl Inputs {
    pub fn new() -> Self {
        Inputs { files: Vec::new() }
    }

    /// Reads `path` (or standard input for `-`, at most once) unless it was read already, and
    /// marks `kinds` as taken from it. Returns the file's index.
    pub fn take(&mut self, path: &str, kinds: &[&'static str]) -> Result<usize, Failure> {
        let i = match self.files.iter().position(|(p, _, _)| p == path) {
            Some(i) => i,
            None => {
                let bytes = read(path)?;
                let m = parse_manifests(&bytes, path).map_err(|e| Failure::Input(e.to_string()))?;
                self.files.push((path.to_string(), m, Vec::new()));
                self.files.len() - 1
            }
        };
        let taken = &mut self.files[i].2;
        for k in kinds {
            if !taken.contains(k) {
                taken.push(k);
            }
        }
        Ok(i)
    }

    pub fn get(&self, i: usize) -> &Manifests {
        &self.files[i].1
    }

    /// Every file's path and objects, in the order they were first taken (no copy).
    pub fn into_files(self) -> impl Iterator<Item = (String, Manifests)> {
        self.files.into_iter().map(|(path, m, _)| (path, m))
    }

    /// One line per file that holds objects the command does not use.
    pub fn write_notes(&self, notes: &mut dyn Write) {
        for (path, m, taken) in &self.files {
            if let Some(note) = m.skipped_besides(taken).note() {
                // Notes are a courtesy: a closed stderr must not fail the command.
                let _ = writeln!(notes, "note: {path}: {note}");
            }
        }
    }
}

/// A file's bytes, or standard input's for `-`.
pub fn read(path: &str) -> Result<Vec<u8>, Failure> {
    if path == "-" {
        let mut buf = Vec::new();
        // Read one byte past the limit so an oversized input is reported, not truncated.
        std::io::stdin()
            .take(dslab_sim::api::MAX_INPUT_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Failure::Input(format!("-: cannot read standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| Failure::Input(format!("{path}: cannot read: {e}")))
}
