//! A small Markdown renderer for the subset the lessons use, producing Leptos views (text nodes
//! only: nothing is ever parsed as HTML). Blocks: headings with `{#anchor}` ids, paragraphs,
//! lists, tables, fenced code and block quotes. Inline: code, bold, italic, links.
//!
//! Links: `#anchor` and `lesson:ID#anchor` become in-app links (`#/lesson/ID#anchor`);
//! `https://` links open in a new tab with `rel="noopener noreferrer"`; anything else is text.
//! A paragraph starting with `**Myth:**` becomes a callout labelled in words ("Myth:", then
//! "Truth:" when the paragraph has one), not by colour alone.

use leptos::prelude::*;

/// Where relative links point: the lesson the text belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkCtx {
    pub lesson: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: usize,
        id: String,
        text: String,
    },
    Para(String),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Code {
        lang: String,
        text: String,
    },
    Quote(Vec<Block>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Em(Vec<Inline>),
    Link { text: Vec<Inline>, href: String },
}

/// `## Title {#id}` → (level, title, id); the id defaults to the core's slug.
fn heading(line: &str) -> Option<(usize, String, String)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if level == 0 || level > 6 || !line[level..].starts_with(' ') {
        return None;
    }
    let rest = line[level..].trim();
    if let Some(open) = rest.rfind("{#") {
        if rest.ends_with('}') {
            let id = rest[open + 2..rest.len() - 1].trim().to_string();
            return Some((level, rest[..open].trim().to_string(), id));
        }
    }
    Some((level, rest.to_string(), dslab_sim::lessons::slug(rest)))
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = line[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

/// Splits a table row on `|`, ignoring pipes inside backticks and escaped `\|`.
fn table_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut in_code = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '`' => {
                in_code = !in_code;
                cur.push(c);
            }
            '|' if !in_code => cells.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    cells.push(cur.trim().to_string());
    cells
}

fn is_table_sep(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn starts_block(line: &str) -> bool {
    line.starts_with("```")
        || heading(line).is_some()
        || list_item(line).is_some()
        || line.starts_with('>')
        || line.trim_start().starts_with('|')
}

pub fn parse_blocks(md: &str) -> Vec<Block> {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            let mut text = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                text.push(lines[i]);
                i += 1;
            }
            i += 1;
            out.push(Block::Code {
                lang: lang.trim().to_string(),
                text: text.join("\n"),
            });
            continue;
        }
        if let Some((level, text, id)) = heading(line) {
            out.push(Block::Heading { level, id, text });
            i += 1;
            continue;
        }
        if line.starts_with('>') {
            let mut inner = Vec::new();
            while i < lines.len() && lines[i].starts_with('>') {
                let l = &lines[i][1..];
                inner.push(l.strip_prefix(' ').unwrap_or(l));
                i += 1;
            }
            out.push(Block::Quote(parse_blocks(&inner.join("\n"))));
            continue;
        }
        if line.trim_start().starts_with('|') && lines.get(i + 1).is_some_and(|l| is_table_sep(l)) {
            let head = table_cells(line);
            i += 2;
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(table_cells(lines[i]));
                i += 1;
            }
            out.push(Block::Table { head, rows });
            continue;
        }
        if let Some((ordered, first)) = list_item(line) {
            let mut items = vec![first.to_string()];
            i += 1;
            while i < lines.len() {
                let l = lines[i];
                if l.trim().is_empty() {
                    // A blank line ends the list unless another item follows.
                    if lines
                        .get(i + 1)
                        .and_then(|n| list_item(n))
                        .is_some_and(|(o, _)| o == ordered)
                    {
                        i += 1;
                        continue;
                    }
                    break;
                }
                if let Some((o, rest)) = list_item(l) {
                    if o != ordered {
                        break;
                    }
                    items.push(rest.to_string());
                } else if l.starts_with(' ') {
                    let last = items.last_mut().expect("one item");
                    last.push(' ');
                    last.push_str(l.trim());
                } else {
                    break;
                }
                i += 1;
            }
            out.push(Block::List { ordered, items });
            continue;
        }
        let mut para = vec![line.trim()];
        i += 1;
        while i < lines.len() && !lines[i].trim().is_empty() && !starts_block(lines[i]) {
            para.push(lines[i].trim());
            i += 1;
        }
        out.push(Block::Para(para.join(" ")));
    }
    out
}

fn find_from(chars: &[char], from: usize, pat: &[char]) -> Option<usize> {
    (from..chars.len().saturating_sub(pat.len() - 1)).find(|&k| chars[k..].starts_with(pat))
}

pub fn parse_inline(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    inline_of(&chars)
}

fn inline_of(chars: &[char]) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let flush = |buf: &mut String, out: &mut Vec<Inline>| {
        if !buf.is_empty() {
            out.push(Inline::Text(std::mem::take(buf)));
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                buf.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '`' => {
                if let Some(end) = find_from(chars, i + 1, &['`']) {
                    flush(&mut buf, &mut out);
                    out.push(Inline::Code(chars[i + 1..end].iter().collect()));
                    i = end + 1;
                    continue;
                }
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                if let Some(mut end) = find_from(chars, i + 2, &['*', '*']) {
                    // `**a *b***`: the strong run closes on the last two stars.
                    while chars.get(end + 2) == Some(&'*') {
                        end += 1;
                    }
                    if end > i + 2 {
                        flush(&mut buf, &mut out);
                        out.push(Inline::Strong(inline_of(&chars[i + 2..end])));
                        i = end + 2;
                        continue;
                    }
                }
            }
            '*' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                if let Some(end) = find_from(chars, i + 1, &['*']) {
                    if end > i + 1 && !chars[end - 1].is_whitespace() {
                        flush(&mut buf, &mut out);
                        out.push(Inline::Em(inline_of(&chars[i + 1..end])));
                        i = end + 1;
                        continue;
                    }
                }
            }
            '[' => {
                if let Some(close) = find_from(chars, i + 1, &[']']) {
                    if chars.get(close + 1) == Some(&'(') {
                        if let Some(end) = find_from(chars, close + 2, &[')']) {
                            flush(&mut buf, &mut out);
                            out.push(Inline::Link {
                                text: inline_of(&chars[i + 1..close]),
                                href: chars[close + 2..end].iter().collect(),
                            });
                            i = end + 1;
                            continue;
                        }
                    }
                }
            }
            _ => {}
        }
        buf.push(c);
        i += 1;
    }
    flush(&mut buf, &mut out);
    out
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Where a Markdown link goes in the app, and whether it leaves the app (a new tab); `None`: the
/// link is shown as plain text (relative paths, `http:`, `javascript:`, malformed ids).
pub fn resolve_href(href: &str, ctx: &LinkCtx) -> Option<(String, bool)> {
    let href = href.trim();
    if let Some(anchor) = href.strip_prefix('#') {
        return (is_id(anchor) && is_id(&ctx.lesson))
            .then(|| (format!("#/lesson/{}#{}", ctx.lesson, anchor), false));
    }
    if let Some(rest) = href.strip_prefix("lesson:") {
        let (id, anchor) = match rest.split_once('#') {
            Some((id, a)) => (id, Some(a)),
            None => (rest, None),
        };
        return match anchor {
            None if is_id(id) => Some((format!("#/lesson/{id}"), false)),
            Some(a) if is_id(id) && is_id(a) => Some((format!("#/lesson/{id}#{a}"), false)),
            _ => None,
        };
    }
    let external = href.strip_prefix("https://").is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && !href.chars().any(|c| c.is_whitespace() || c.is_control())
    });
    external.then(|| (href.to_string(), true))
}

fn plain(inl: &[Inline]) -> String {
    inl.iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Code(t) => t.clone(),
            Inline::Strong(x) | Inline::Em(x) | Inline::Link { text: x, .. } => plain(x),
        })
        .collect()
}

fn inline_views(inl: Vec<Inline>, ctx: &LinkCtx) -> Vec<AnyView> {
    inl.into_iter()
        .map(|i| match i {
            Inline::Text(t) => t.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Strong(x) => view! { <strong>{inline_views(x, ctx)}</strong> }.into_any(),
            Inline::Em(x) => view! { <em>{inline_views(x, ctx)}</em> }.into_any(),
            Inline::Link { text, href } => match resolve_href(&href, ctx) {
                Some((url, true)) => view! {
                    <a href=url target="_blank" rel="noopener noreferrer">{inline_views(text, ctx)}</a>
                }
                .into_any(),
                Some((url, false)) => view! { <a href=url>{inline_views(text, ctx)}</a> }.into_any(),
                None => view! { <span>{plain(&text)}</span> }.into_any(),
            },
        })
        .collect()
}

/// Renders one line of inline Markdown (a question prompt, a choice).
pub fn inline(text: &str, ctx: &LinkCtx) -> Vec<AnyView> {
    inline_views(parse_inline(text), ctx)
}

/// Renders Markdown blocks. Headings are shifted down by `shift` levels (the page has its own h1).
pub fn render(md: &str, ctx: &LinkCtx, shift: usize) -> Vec<AnyView> {
    blocks_views(parse_blocks(md), ctx, shift)
}

/// A myth paragraph: the myth, and the truth that follows `**Truth:**` if any.
fn split_myth(text: &str) -> (String, Option<String>) {
    match text.find("**Truth:**") {
        Some(i) => (text[..i].trim().to_string(), Some(text[i..].to_string())),
        None => (text.to_string(), None),
    }
}

fn blocks_views(blocks: Vec<Block>, ctx: &LinkCtx, shift: usize) -> Vec<AnyView> {
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Heading { level, id, text } => {
                let body = inline(&text, ctx);
                match (level + shift).min(6) {
                    1 => view! { <h1 id=id>{body}</h1> }.into_any(),
                    2 => view! { <h2 id=id>{body}</h2> }.into_any(),
                    3 => view! { <h3 id=id>{body}</h3> }.into_any(),
                    4 => view! { <h4 id=id>{body}</h4> }.into_any(),
                    5 => view! { <h5 id=id>{body}</h5> }.into_any(),
                    _ => view! { <h6 id=id>{body}</h6> }.into_any(),
                }
            }
            Block::Para(text) if text.starts_with("**Myth:**") => {
                let (myth, truth) = split_myth(&text);
                let myth = myth.trim_start_matches("**Myth:**").trim().to_string();
                view! {
                    <div class="myth-callout" role="note" aria-label="Myth and truth">
                        <p class="myth-line">
                            <strong class="myth-label">
                                <span class="myth-icon" aria-hidden="true">"✗ "</span>
                                "Myth:"
                            </strong>
                            " "
                            {inline(&myth, ctx)}
                        </p>
                        {truth.map(|t| {
                            let t = t.trim_start_matches("**Truth:**").trim().to_string();
                            view! {
                                <p class="truth-line">
                                    <strong class="truth-label">
                                        <span class="myth-icon" aria-hidden="true">"✓ "</span>
                                        "Truth:"
                                    </strong>
                                    " "
                                    {inline(&t, ctx)}
                                </p>
                            }
                        })}
                    </div>
                }
                .into_any()
            }
            Block::Para(text) => view! { <p>{inline(&text, ctx)}</p> }.into_any(),
            Block::List { ordered, items } => {
                let items: Vec<_> = items
                    .iter()
                    .map(|t| view! { <li>{inline(t, ctx)}</li> })
                    .collect();
                if ordered {
                    view! { <ol>{items}</ol> }.into_any()
                } else {
                    view! { <ul>{items}</ul> }.into_any()
                }
            }
            Block::Table { head, rows } => {
                let head: Vec<_> = head
                    .iter()
                    .map(|c| view! { <th scope="col">{inline(c, ctx)}</th> })
                    .collect();
                let rows: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        let cells: Vec<_> = r.iter().map(|c| view! { <td>{inline(c, ctx)}</td> }).collect();
                        view! { <tr>{cells}</tr> }
                    })
                    .collect();
                view! {
                    <div class="md-table" tabindex="0" role="region" aria-label="Table">
                        <table>
                            <thead><tr>{head}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
            Block::Code { lang, text } => view! {
                <pre class="md-code" data-lang=lang tabindex="0"><code>{text}</code></pre>
            }
            .into_any(),
            Block::Quote(inner) => {
                view! { <blockquote>{blocks_views(inner, ctx, shift)}</blockquote> }.into_any()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(s: &str) -> Block {
        Block::Para(s.into())
    }
    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }
    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn blocks() {
        let h = |level, id: &str, text: &str| Block::Heading {
            level,
            id: id.into(),
            text: text.into(),
        };
        let cases: Vec<(&str, &str, Vec<Block>)> = vec![
            ("empty", "", vec![]),
            (
                "heading with anchor",
                "## The pod {#the-pod}",
                vec![h(2, "the-pod", "The pod")],
            ),
            (
                "heading without anchor: the core's slug",
                "# Taints & tolerations!",
                vec![h(1, "taints-tolerations", "Taints & tolerations!")],
            ),
            ("hash without space is text", "#hashtag", vec![para("#hashtag")]),
            ("paragraph lines join", "a\nb\n\nc", vec![para("a b"), para("c")]),
            (
                "heading ends a paragraph",
                "a\n## B {#b}\nc",
                vec![para("a"), h(2, "b", "B"), para("c")],
            ),
            (
                "bullet list with continuation",
                "- x\n- y\n  z",
                vec![Block::List {
                    ordered: false,
                    items: strs(&["x", "y z"]),
                }],
            ),
            (
                "ordered list across a blank line",
                "1. one\n\n2. two",
                vec![Block::List {
                    ordered: true,
                    items: strs(&["one", "two"]),
                }],
            ),
            (
                "list kinds do not mix",
                "- a\n1. b",
                vec![
                    Block::List {
                        ordered: false,
                        items: strs(&["a"]),
                    },
                    Block::List {
                        ordered: true,
                        items: strs(&["b"]),
                    },
                ],
            ),
            (
                "table with a pipe in code and an escaped pipe",
                "| a | b |\n|---|:-:|\n| `x|y` | 1 \\| 2 |",
                vec![Block::Table {
                    head: strs(&["a", "b"]),
                    rows: vec![strs(&["`x|y`", "1 | 2"])],
                }],
            ),
            (
                "a pipe line without separator is a paragraph",
                "| a |",
                vec![para("| a |")],
            ),
            (
                "fenced code keeps headings and blank lines",
                "```yaml\nk: v\n\n# not a heading\n```",
                vec![Block::Code {
                    lang: "yaml".into(),
                    text: "k: v\n\n# not a heading".into(),
                }],
            ),
            (
                "unclosed fence runs to the end",
                "```\nx",
                vec![Block::Code {
                    lang: "".into(),
                    text: "x".into(),
                }],
            ),
            (
                "quote",
                "> q\n> r\n>\n> s",
                vec![Block::Quote(vec![para("q r"), para("s")])],
            ),
            (
                "myth paragraph stays one paragraph",
                "**Myth:** m.\n**Truth:** t.",
                vec![para("**Myth:** m. **Truth:** t.")],
            ),
        ];
        for (name, md, want) in cases {
            assert_eq!(parse_blocks(md), want, "{name}");
        }
    }

    #[test]
    fn inlines() {
        let link = |text: Vec<Inline>, href: &str| Inline::Link {
            text,
            href: href.into(),
        };
        let cases: Vec<(&str, &str, Vec<Inline>)> = vec![
            ("plain", "just text", vec![t("just text")]),
            (
                "code keeps stars",
                "a `c*d` b",
                vec![t("a "), Inline::Code("c*d".into()), t(" b")],
            ),
            ("strong", "**b**", vec![Inline::Strong(vec![t("b")])]),
            ("em", "*e*", vec![Inline::Em(vec![t("e")])]),
            (
                "em inside strong",
                "**b *e***",
                vec![Inline::Strong(vec![t("b "), Inline::Em(vec![t("e")])])],
            ),
            ("a lone star is text", "2 * 3", vec![t("2 * 3")]),
            ("unclosed code is text", "a `b", vec![t("a `b")]),
            ("escaped star", r"\*x\*", vec![t("*x*")]),
            ("link", "[l](lesson:x#y)", vec![link(vec![t("l")], "lesson:x#y")]),
            (
                "link with code text",
                "[`k`](#a)",
                vec![link(vec![Inline::Code("k".into())], "#a")],
            ),
            (
                "brackets without link",
                "[a] b [c](d)",
                vec![t("[a] b "), link(vec![t("c")], "d")],
            ),
            ("unclosed link", "[a](b", vec![t("[a](b")]),
        ];
        for (name, text, want) in cases {
            assert_eq!(parse_inline(text), want, "{name}");
        }
    }

    #[test]
    fn links() {
        let ctx = LinkCtx { lesson: "me".into() };
        let inapp = |s: &str| Some((s.to_string(), false));
        let cases = [
            ("anchor in this lesson", "#a", inapp("#/lesson/me#a")),
            ("another lesson", "lesson:x", inapp("#/lesson/x")),
            ("another lesson's section", "lesson:x#y", inapp("#/lesson/x#y")),
            (
                "https opens a new tab",
                "https://kubernetes.io/docs",
                Some(("https://kubernetes.io/docs".into(), true)),
            ),
            ("http stays text", "http://x", None),
            ("javascript stays text", "javascript:alert(1)", None),
            ("relative path stays text", "../README.md", None),
            ("protocol-relative stays text", "//evil.example", None),
            ("data stays text", "data:text/html,x", None),
            ("empty anchor stays text", "#", None),
            ("empty lesson stays text", "lesson:", None),
            ("odd characters in an id stay text", "lesson:x\"y", None),
            ("https without host stays text", "https://", None),
            ("https with a space stays text", "https://a b", None),
        ];
        for (name, href, want) in cases {
            assert_eq!(resolve_href(href, &ctx), want, "{name}");
        }
    }

    #[test]
    fn myth_split() {
        let cases = [
            (
                "myth and truth",
                "**Myth:** a **Truth:** b",
                ("**Myth:** a", Some("**Truth:** b")),
            ),
            ("myth alone", "**Myth:** a", ("**Myth:** a", None)),
        ];
        for (name, text, (myth, truth)) in cases {
            let (m, tr) = split_myth(text);
            assert_eq!(m, myth, "{name}");
            assert_eq!(tr.as_deref(), truth, "{name}");
        }
    }
}
