//! Checks on the raw text before a YAML parser sees it: the encoding (a UTF-16 file, as Windows
//! PowerShell writes `kubectl get … > file`), and how deeply the text nests. The parser we use
//! loads a whole document before its own depth limit applies, and a few hundred kilobytes of
//! `{a: {a: …` keep it busy for a minute; this scan is one pass over the bytes.
//!
//! Also the hints added to an error when the text is not a manifest yet (a Helm or Go template).

/// Deeper than any real manifest: a Node with managedFields nests about 15 levels, a CRD's
/// schema 30 to 40; the YAML parser itself gives up at 128.
pub const MAX_DEPTH: usize = 100;

/// A place in the text that nests too deeply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

/// The encoding a byte-order mark or a pattern of zero bytes gives away, for inputs that are not
/// UTF-8.
pub fn utf16_name(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE"),
        // No mark: ASCII text in UTF-16 has a zero byte beside every character.
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some("UTF-16LE"),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some("UTF-16BE"),
        _ => None,
    }
}

/// The first place where block indentation plus open flow collections (`{`, `[`) go deeper than
/// `max`. One pass, linear in the text: quoted scalars, comments and block scalars (`|`, `>`)
/// are skipped so their contents never count.
pub fn first_too_deep(text: &str, max: usize) -> Option<TooDeep> {
    let mut scan = DepthScan::default();
    for (i, line) in text.lines().enumerate() {
        if let Some(column) = scan.line(line, max) {
            return Some(TooDeep { line: i + 1, column });
        }
    }
    None
}

/// What the scan carries from one line to the next.
#[derive(Default)]
struct DepthScan {
    /// Indentation of each open block level.
    indents: Vec<usize>,
    /// Open flow collections (they may span lines).
    flow: usize,
    /// Inside a quoted scalar that spans lines: its closing quote.
    quote: Option<u8>,
    /// Inside a block scalar: lines indented more than this belong to it.
    block_scalar: Option<usize>,
}

impl DepthScan {
    /// Scans one line; returns the 1-based column where the depth first exceeds `max`.
    fn line(&mut self, line: &str, max: usize) -> Option<usize> {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let blank = indent == bytes.len() || bytes[indent] == b'#';
        if let Some(header) = self.block_scalar {
            if blank || indent > header {
                return None;
            }
            self.block_scalar = None;
        }
        if blank && self.quote.is_none() {
            return None;
        }
        let mut i = 0;
        if self.quote.is_none() && self.flow == 0 {
            if bytes.starts_with(b"---") || bytes.starts_with(b"...") {
                self.indents.clear();
                i = 3;
            } else {
                while self.indents.last().is_some_and(|top| *top >= indent) {
                    self.indents.pop();
                }
                self.indents.push(indent);
                if self.indents.len() > max {
                    return Some(indent + 1);
                }
                i = indent;
            }
        }
        // A value may start a flow collection or a quoted scalar at the start of a line, after
        // `- `, `? ` or `: `; inside a flow collection, after `{`, `[` or `,` as well.
        let mut value_start = true;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = self.quote {
                match b {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    _ if b == q => self.quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let block = self.flow == 0;
            match b {
                b' ' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => break,
                b'"' | b'\'' if value_start || !block => self.quote = Some(b),
                b'{' | b'[' if value_start || !block => {
                    self.flow += 1;
                    if self.indents.len() + self.flow > max {
                        return Some(i + 1);
                    }
                }
                b'}' | b']' if !block => self.flow -= 1,
                b'-' | b'?' if block && value_start && is_blank_at(bytes, i + 1) => {
                    // The item's content is one level deeper, at its own column; `- - x` nests
                    // one sequence per dash.
                    let content = i + 1 + bytes[i + 1..].iter().take_while(|b| **b == b' ').count();
                    self.indents.push(content);
                    if self.indents.len() > max {
                        return Some(i + 1);
                    }
                    i += 1;
                    continue;
                }
                b':' if block && is_blank_at(bytes, i + 1) => {
                    value_start = true;
                    i += 1;
                    continue;
                }
                b'|' | b'>' if block && value_start => {
                    self.block_scalar = Some(indent);
                    break;
                }
                _ => {}
            }
            value_start = !block && matches!(b, b'{' | b'[' | b',');
            i += 1;
            if self.flow == 0 && self.quote.is_none() && !value_start {
                // In a key or a plain scalar, in block context: until the line ends only `: `
                // (a value starts) and ` #` (a comment) matter. Most of a dump's bytes are
                // there, so jump to the next `:` or `#` (the scan was most of a read's text work).
                match memchr::memchr2(b':', b'#', &bytes[i..]) {
                    Some(skip) => i += skip,
                    None => break,
                }
            }
        }
        None
    }
}

fn is_blank_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i).is_none_or(|b| matches!(b, b' ' | b'\t'))
}

/// The first line (1-based) holding template markup (`{{ … }}`) outside a comment.
pub fn template_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let code = l.trim_start();
            !code.starts_with('#') && code.contains("{{") && l.contains("}}")
        })
        .map(|i| i + 1)
}

/// The hint for an error in a file that is still a template.
pub fn template_hint(line: usize) -> String {
    format!(
        " (line {line} holds `{{{{ … }}}}`: this looks like a Helm or Go template, not a manifest; \
         render it first, e.g. `helm template NAME CHART > manifest.yaml`, and use that output)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_of_real_shapes() {
        // (name, text, deepest level allowed before it is refused)
        type Case<'a> = (&'a str, &'a str, Option<(usize, usize)>);
        let cases: &[Case] = &[
            ("flat mapping", "a: 1\nb: 2\n", None),
            (
                "kubectl list",
                "items:\n- kind: Node\n  metadata:\n    name: a\n  spec: {}\n",
                None,
            ),
            (
                "kubectl list, one level more",
                "items:\n- kind: Node\n  metadata:\n    labels:\n      a: b\n",
                Some((5, 7)),
            ),
            (
                "flow inside block",
                "taints:\n- {key: a, effect: NoSchedule}\n",
                None,
            ),
            ("braces in a plain scalar", "a: x{y[z\nb: 1\n", None),
            ("braces in quotes", "a: \"{{{{{{{{\"\nb: '[[[['\n", None),
            ("braces in a comment", "a: 1 # {{{{{{{{{{{\n", None),
            (
                "braces in a block scalar",
                "a: |\n  {{{{{{{{{{{{\n  [[[[[[[[\nb: 1\n",
                None,
            ),
            ("json", "{\"a\": [\"}}}\", \"]\\\"]\"], \"b\": 1}\n", None),
            ("json too deep", "{\"a\": [{\"b\": 1}]}\n", Some((1, 8))),
            ("nested flow too deep", "a: {b: {c: {d: 1}}}\n", Some((1, 12))),
            ("nested sequences too deep", "- - - - x\n", Some((1, 5))),
            ("dashes inside a plain scalar", "a: x - y - z - w - v\n", None),
            // The scan jumps from a plain scalar's start to its next `:` or `#`.
            ("quote inside a plain scalar", "a: it's {{{{\nb: x\"[[[[\n", None),
            (
                "colons and a hash inside a plain scalar",
                "a: http://x:80/#{{{{ [[[[\n",
                None,
            ),
            (
                "a value after a colon in a key",
                "f:a:b: {c: {d: {e: 1}}}\n",
                Some((1, 16)),
            ),
            ("a comment after a plain scalar", "a: x #: {{{{\n", None),
            (
                "flow after a plain scalar in flow",
                "a: [x, {b: {c: 1}}]\n",
                Some((1, 12)),
            ),
            (
                "block indentation too deep",
                "a:\n b:\n  c:\n   d:\n    e: 1\n",
                Some((4, 4)),
            ),
        ];
        for (name, text, want) in cases {
            let got = first_too_deep(text, 3).map(|t| (t.line, t.column));
            assert_eq!(got, *want, "{name}");
        }
    }

    #[test]
    fn a_hundred_thousand_levels_are_found_in_one_pass() {
        // Linear by construction: each byte is looked at once, whatever the nesting.
        let text = "{a: ".repeat(100_000) + &"}".repeat(100_000);
        let deep = first_too_deep(&text, MAX_DEPTH).expect("too deep");
        // Line 1's mapping is one level, each `{a: ` one more: the 100th brace is one too many.
        assert_eq!((deep.line, deep.column), (1, 4 * (MAX_DEPTH - 1) + 1));
    }

    #[test]
    fn utf16_is_recognised() {
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("little-endian mark", b"\xFF\xFEa\0", Some("UTF-16LE")),
            ("big-endian mark", b"\xFE\xFF\0a", Some("UTF-16BE")),
            ("little-endian, no mark", b"a\0p\0i\0", Some("UTF-16LE")),
            ("big-endian, no mark", b"\0a\0p", Some("UTF-16BE")),
            ("utf-8", b"apiVersion: v1", None),
            ("utf-8 mark", b"\xEF\xBB\xBFapiVersion", None),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(utf16_name(bytes), *want, "{name}");
        }
    }

    #[test]
    fn templates_are_recognised_outside_comments() {
        let cases: &[(&str, &str, Option<usize>)] = &[
            (
                "helm value",
                "kind: DaemonSet\nimage: {{ .Values.image }}\n",
                Some(2),
            ),
            (
                "helm control",
                "{{- if .Values.enabled }}\nkind: DaemonSet\n",
                Some(1),
            ),
            ("comment only", "# {{ .Values.image }}\nkind: DaemonSet\n", None),
            ("no template", "kind: DaemonSet\n", None),
        ];
        for (name, text, want) in cases {
            assert_eq!(template_line(text), *want, "{name}");
        }
    }
}
