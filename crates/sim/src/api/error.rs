//! The one error type for bad input: where it is (file, document, line, column, field path) and what
//! was found versus what was expected, so a person can fix it without guessing.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputError {
    /// The name the caller gave the input ("nodes.yaml", "-", "Nodes YAML").
    pub file: String,
    /// 1-based YAML document number (`---` separated); 0 when the error is about the whole input.
    pub document: usize,
    /// 1-based line and column; 0 when unknown.
    pub line: usize,
    pub column: usize,
    /// Field path inside the document, as Kubernetes spells it: `spec.template.spec.tolerations[1].effect`.
    pub path: String,
    /// What was found and what was expected.
    pub message: String,
}

impl InputError {
    pub(crate) fn whole(file: &str, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            document: 0,
            line: 0,
            column: 0,
            path: String::new(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": ")?;
        if self.document > 0 {
            write!(f, "document {}", self.document)?;
            if !self.path.is_empty() {
                write!(f, ", {}", self.path)?;
            }
            write!(f, ": ")?;
        } else if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for InputError {}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A field path such as `spec.template.spec.tolerations[1]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        FieldPath(v)
    }
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }
    /// Parses the dotted form used in code (`spec.template.spec`); indexes as `[n]`.
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        for part in s.split('.').filter(|p| !p.is_empty()) {
            let (name, rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !name.is_empty() {
                segs.push(Seg::Key(name.to_string()));
            }
            for idx in rest.split('[').filter(|x| !x.is_empty()) {
                if let Ok(n) = idx.trim_end_matches(']').parse() {
                    segs.push(Seg::Index(n));
                }
            }
        }
        FieldPath(segs)
    }
    pub fn join(&self, other: &FieldPath) -> Self {
        let mut v = self.0.clone();
        v.extend(other.0.iter().cloned());
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// A problem found in an object, before it is placed in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: FieldPath,
    pub message: String,
}

impl Problem {
    pub fn new(path: FieldPath, message: impl Into<String>) -> Self {
        Problem {
            path,
            message: message.into(),
        }
    }
}
