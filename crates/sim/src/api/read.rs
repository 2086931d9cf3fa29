//! Reading one document (or one item of a List) into an API type, with every failure placed at
//! its file, line, column and field path; the input's size, encoding and nesting are checked
//! first (`guard`).

use super::error::{FieldPath, InputError, Seg};
use super::error_path::deserialize_with_path;
use super::{guard, locate};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_yaml::Value;

/// Larger inputs are refused. 256 MiB holds `kubectl get nodes -o yaml` of a 10,000-node cluster
/// with its managedFields (about 80 MB) three times over; beyond it a stray log or binary is more
/// likely than a cluster, and reading it would take gigabytes.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// The text of one input, with its name, for placing errors.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
    /// Set when `text` is one item of a big List read on its own (see [`list_items`]).
    pub item: Option<ItemOrigin>,
}

/// Where an item read on its own sits in its file, to place its errors in the whole text.
#[derive(Clone, Copy, Debug)]
pub struct ItemOrigin {
    pub line: usize,
    pub column: usize,
    /// The item's text is `- item` (YAML), not the item itself (JSON).
    pub in_sequence: bool,
}

impl<'a> Source<'a> {
    /// Checks size, encoding and nesting depth before anything is parsed.
    pub fn decode(bytes: &'a [u8], file: &'a str) -> Result<Self, InputError> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(InputError::whole(
                file,
                format!(
                    "input is {:.1} MB; expected at most {} MiB ({} bytes), more than a 10,000-node \
                     dump with managedFields: split the dump (e.g. by node pool with kubectl -l) or \
                     leave managedFields out (kubectl's default since v1.21)",
                    bytes.len() as f64 / 1_000_000.0,
                    MAX_INPUT_BYTES / (1024 * 1024),
                    MAX_INPUT_BYTES
                ),
            ));
        }
        if let Some(encoding) = guard::utf16_name(bytes) {
            return Err(InputError::whole(
                file,
                format!(
                    "found {encoding} text (as Windows PowerShell writes `kubectl … > file`); \
                     expected UTF-8: save the file as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`, or \
                     `kubectl … | Out-File -Encoding utf8 file`) and try again"
                ),
            ));
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.valid_up_to();
                let (line, column) = line_col(&bytes[..at]);
                return Err(InputError {
                    line,
                    column,
                    ..InputError::whole(
                        file,
                        format!(
                            "found invalid UTF-8 (byte 0x{:02X} at offset {at}); expected UTF-8 text",
                            bytes[at]
                        ),
                    )
                });
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(deep) = guard::first_too_deep(text, guard::MAX_DEPTH) {
            return Err(InputError {
                line: deep.line,
                column: deep.column,
                ..InputError::whole(
                    file,
                    format!(
                        "found values nested more than {} levels deep; expected a Kubernetes \
                         manifest (they nest a few dozen levels at most)",
                        guard::MAX_DEPTH
                    ),
                )
            });
        }
        Ok(Source {
            file,
            text,
            item: None,
        })
    }

    /// Places a problem of document `doc` in the text.
    pub fn error_at(&self, doc: usize, path: &FieldPath, message: impl Into<String>) -> InputError {
        let (line, column) = match self.item {
            None => locate::locate(self.text, doc, &path.0),
            Some(origin) => {
                // `path` starts with `items[N]`; inside the item's own text the item is the
                // root (JSON) or the first entry of a sequence of one (YAML).
                let inner = path.0.get(2..).unwrap_or_default();
                let local: Vec<Seg> = if origin.in_sequence {
                    std::iter::once(Seg::Index(0))
                        .chain(inner.iter().cloned())
                        .collect()
                } else {
                    inner.to_vec()
                };
                match locate::locate(self.text, 1, &local) {
                    (0, _) => (0, 0),
                    (1, c) => (origin.line, (origin.column + c).saturating_sub(1)),
                    (l, c) => (origin.line + l - 1, c),
                }
            }
        };
        InputError {
            file: self.file.to_string(),
            document: doc,
            line,
            column,
            path: path.to_string(),
            message: message.into(),
        }
    }

    /// Splits the text into its non-empty YAML documents (1-based numbers kept).
    pub fn documents(&self) -> Result<Vec<(usize, Value)>, InputError> {
        let mut docs = Vec::new();
        for (i, de) in serde_yaml::Deserializer::from_str(self.text).enumerate() {
            match Value::deserialize(de) {
                Ok(Value::Null) => {}
                Ok(v) => docs.push((i + 1, v)),
                Err(e) => return Err(self.yaml_error(i + 1, &e)),
            }
        }
        if docs.is_empty() {
            return Err(InputError::whole(
                self.file,
                "is empty (no YAML document with content); expected a Kubernetes manifest",
            ));
        }
        Ok(docs)
    }

    fn yaml_error(&self, doc: usize, e: &serde_yaml::Error) -> InputError {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        InputError {
            file: self.file.to_string(),
            document: doc,
            line,
            column,
            path: String::new(),
            message: format!("invalid YAML: {}", strip_position(&e.to_string())),
        }
    }
}

/// The line of a field path in document 1 (0 when unknown), for naming scenario events.
pub(crate) fn locate_line(src: &Source, path: &FieldPath) -> usize {
    locate::locate(src.text, 1, &path.0).0
}

fn line_col(before: &[u8]) -> (usize, usize) {
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// serde_yaml appends " at line L column C"; we report the position in our own fields.
fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// An object read from a file, with where it came from so later checks can point into the text.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub object: T,
    pub document: usize,
    /// Path of the object inside its document: empty, or `items[3]` inside a List.
    pub base: FieldPath,
}

/// What a Kubernetes kind is called and where it lives, for the kind checks.
pub trait Kind: DeserializeOwned {
    const KIND: &'static str;
    const API_VERSION: &'static str;
    /// A hint for apiVersions that used to hold this kind.
    fn old_api_hint(_api_version: &str) -> Option<&'static str> {
        None
    }
    /// Required structure that k8s-openapi would silently default (its required fields fall back
    /// to empty values): checked on the raw YAML so a missing block is named as missing.
    fn required_structure(_v: &Value) -> Option<(FieldPath, String)> {
        None
    }
}

impl Kind for DaemonSet {
    const KIND: &'static str = "DaemonSet";
    const API_VERSION: &'static str = "apps/v1";
    fn old_api_hint(v: &str) -> Option<&'static str> {
        matches!(v, "extensions/v1beta1" | "apps/v1beta2" | "apps/v1beta1")
            .then_some(" (that API version was removed in Kubernetes v1.16; use apps/v1)")
    }
    fn required_structure(v: &Value) -> Option<(FieldPath, String)> {
        let root = FieldPath::root();
        let Some(spec) = v.get("spec").filter(|s| s.is_mapping()) else {
            return Some((
                root.key("spec"),
                "found no spec; expected spec.selector and spec.template".into(),
            ));
        };
        let sp = root.key("spec");
        if spec.get("selector").is_none_or(Value::is_null) {
            return Some((sp.key("selector"), "found no selector; expected spec.selector with matchLabels (apps/v1 requires it, and it must select the template's labels)".into()));
        }
        let Some(t) = spec.get("template").filter(|t| t.is_mapping()) else {
            return Some((
                sp.key("template"),
                "found no template; expected spec.template with metadata.labels and spec.containers".into(),
            ));
        };
        if t.get("spec").is_none_or(|s| !s.is_mapping()) {
            return Some((
                sp.key("template").key("spec"),
                "found no pod spec; expected spec.template.spec with containers".into(),
            ));
        }
        None
    }
}
impl Kind for Node {
    const KIND: &'static str = "Node";
    const API_VERSION: &'static str = "v1";
}
impl Kind for Pod {
    const KIND: &'static str = "Pod";
    const API_VERSION: &'static str = "v1";
}

fn str_field<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text {s:?}"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

pub(crate) fn read_one<T: Kind>(
    src: &Source,
    doc: usize,
    base: FieldPath,
    value: &Value,
    kind_implied: bool,
) -> Result<Located<T>, InputError> {
    if !value.is_mapping() {
        return Err(src.error_at(
            doc,
            &base,
            format!("found {}; expected a {} manifest", describe(value), T::KIND),
        ));
    }
    let kind = str_field(value, "kind");
    let api = str_field(value, "apiVersion");
    match kind {
        Some(k) if k == T::KIND => {}
        None if kind_implied => {}
        None => {
            return Err(src.error_at(
                doc,
                &base,
                format!("missing field `kind`; expected kind: {}", T::KIND),
            ))
        }
        Some(k) => {
            let got = api.map_or(String::new(), |a| format!(" ({a})"));
            return Err(src.error_at(
                doc,
                &base.key("kind"),
                format!("found a {k}{got}; expected a {} ({})", T::KIND, T::API_VERSION),
            ));
        }
    }
    match api {
        Some(a) if a == T::API_VERSION => {}
        None if kind_implied => {}
        None => {
            return Err(src.error_at(
                doc,
                &base,
                format!(
                    "missing field `apiVersion`; expected apiVersion: {}",
                    T::API_VERSION
                ),
            ))
        }
        Some(a) => {
            return Err(src.error_at(
                doc,
                &base.key("apiVersion"),
                format!(
                    "found apiVersion {a}; expected {}{}",
                    T::API_VERSION,
                    T::old_api_hint(a).unwrap_or("")
                ),
            ))
        }
    }
    if let Some((path, msg)) = T::required_structure(value) {
        return Err(src.error_at(doc, &base.join(&path), msg));
    }
    // k8s-openapi checks kind/apiVersion itself when present; fill them in for typed lists.
    // Otherwise the object is read from the document as it is: copying it first cost time, and
    // the object's strings, allocated one after another, sit together for the verdict to read.
    let filled;
    let value = if kind.is_some() && api.is_some() {
        value
    } else {
        let mut copy = value.clone();
        if let Some(m) = copy.as_mapping_mut() {
            m.insert("kind".into(), T::KIND.into());
            m.insert("apiVersion".into(), T::API_VERSION.into());
        }
        filled = copy;
        &filled
    };
    match deserialize_with_path::<T>(value) {
        Ok(object) => Ok(Located {
            object,
            document: doc,
            base,
        }),
        Err((at, e)) => {
            let path = base.join(&at);
            let msg = strip_position(&e.to_string());
            Err(src.error_at(doc, &path, explain_serde(&msg)))
        }
    }
}

/// serde's wording is "invalid type: X, expected Y"; we keep it (it already says found/expected)
/// but turn "missing field" into the same found/expected shape.
fn explain_serde(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("found no {rest}; expected it to be set (it is required)");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return format!("found {rest}").replacen(", expected ", "; expected ", 1);
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        return format!("found {rest}").replacen(", expected ", "; expected ", 1);
    }
    msg.to_string()
}
