//! The core's modules use each other in one direction: no import circles (issue 15). Reads every
//! file under src/, takes the paths it names (`crate::a::b`, `super::c`, `use` lines and inline
//! paths alike, test modules left out), resolves each to the deepest module it names, and looks
//! for strongly connected components in that graph. A module's own children (`mod x;`, `x::y`)
//! are not edges unless the parent's code uses them (`pub use child::X`, a façade, is not a use);
//! a child using its parent is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `api/mod.rs` → `api`, `scheduler/taints.rs` → `scheduler::taints`, `lib.rs` → ``.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(SRC).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The text without test-only code: from the first `#[cfg(test)]` on (test modules and test
/// helpers sit at the end of each file in this crate), and files that are test modules.
fn non_test_text(module: &str, text: &str) -> String {
    if module.ends_with("::tests") || module == "testutil" {
        return String::new();
    }
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

/// Every path starting at `crate::` or `super::` in `text`, with `{a, b::c}` groups expanded to
/// their first segment (enough to know which module is named).
fn named_paths(text: &str, module: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b':') {
                continue;
            }
            let mut base: Vec<String> = if start == "crate::" {
                Vec::new()
            } else {
                let mut m: Vec<String> = module.split("::").map(str::to_string).collect();
                m.pop();
                m
            };
            let mut rest = &text[at + start.len()..];
            // Further `super::` segments.
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            let mut segs = base.clone();
            loop {
                let end = rest.bytes().position(|b| !is_ident(b)).unwrap_or(rest.len());
                if end == 0 {
                    // A group `{a, b}`: each member is a path below `segs`.
                    if let Some(group) = rest.strip_prefix('{') {
                        let close = group.find('}').unwrap_or(group.len());
                        for member in group[..close].split(',') {
                            let first: String =
                                member.trim().chars().take_while(|c| is_ident(*c as u8)).collect();
                            if !first.is_empty() && first != "self" {
                                let mut p = segs.clone();
                                p.push(first);
                                out.push(p);
                            }
                        }
                    }
                    break;
                }
                segs.push(rest[..end].to_string());
                rest = &rest[end..];
                match rest.strip_prefix("::") {
                    Some(r) => rest = r,
                    None => break,
                }
            }
            out.push(segs);
        }
    }
    out
}

/// Paths through the module's own children (`child::item` in a `mod.rs`), outside `pub use`
/// lines: the parent's code using its child.
fn child_paths(text: &str, module: &str, children: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("pub use")
            || trimmed.starts_with("//")
            || trimmed.starts_with("pub(crate) use")
        {
            continue;
        }
        for child in children {
            let needle = format!("{child}::");
            let mut from = 0;
            while let Some(i) = line[from..].find(&needle) {
                let at = from + i;
                from = at + needle.len();
                let before = line.as_bytes().get(at.wrapping_sub(1)).copied();
                if before.is_some_and(|b| is_ident(b) || b == b':') {
                    continue;
                }
                let mut p: Vec<String> = module
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                p.push(child.clone());
                out.push(p);
            }
        }
    }
    out
}

/// Tarjan's strongly connected components of size > 1 (or with a self edge, ignored here).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

/// The module graph of the crate: for each module, the modules it names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let module = module_of(f);
        let text = non_test_text(&module, &std::fs::read_to_string(f).expect("read a source file"));
        let prefix = if module.is_empty() {
            String::new()
        } else {
            format!("{module}::")
        };
        let children: Vec<String> = modules
            .iter()
            .filter_map(|m| {
                m.strip_prefix(&prefix)
                    .filter(|rest| !rest.is_empty() && !rest.contains("::"))
            })
            .map(str::to_string)
            .collect();
        let mut paths = named_paths(&text, &module);
        paths.extend(child_paths(&text, &module, &children));
        let edges = graph.entry(module.clone()).or_default();
        for path in paths {
            // The deepest prefix of the path that is a module of the crate.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|p| modules.contains(p));
            let Some(target) = target else { continue };
            if target == module {
                continue;
            }
            edges.insert(target);
        }
    }
    graph
}

#[test]
fn the_core_has_no_import_circles() {
    let graph = module_graph();
    assert!(
        graph.len() > 30,
        "found only {} modules: is SRC right?",
        graph.len()
    );
    // No circle is allowed, not even a known one: the last (the store calling the DaemonSet
    // controller's refresh as it recorded a step) is gone since the controllers keep their own
    // caches and the store reaches them through `cluster::Controllers`.
    let found: Vec<String> = circles(&graph).iter().map(|c| c.join(" <-> ")).collect();
    assert!(
        found.is_empty(),
        "modules that use each other in a circle:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_shared_words_are_a_leaf() {
    let graph = module_graph();
    for leaf in ["words", "text", "sort"] {
        assert_eq!(
            graph.get(leaf),
            Some(&BTreeSet::new()),
            "{leaf} uses other modules of the crate"
        );
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(
        circles(&g),
        vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]
    );
}

#[test]
fn paths_are_read_from_use_lines_groups_and_super() {
    let text =
        "use crate::api::{labels::x, quantity};\nuse super::status::Y;\nlet z = crate::words::Mode::Current;";
    let got = named_paths(text, "controller::daemonset::rolling_update");
    assert!(got.contains(&vec!["api".to_string(), "labels".to_string()]));
    assert!(got.contains(&vec!["api".to_string(), "quantity".to_string()]));
    assert!(got.contains(&vec![
        "controller".into(),
        "daemonset".into(),
        "status".into(),
        "Y".into()
    ]));
    assert!(got.contains(&vec![
        "words".to_string(),
        "Mode".to_string(),
        "Current".to_string()
    ]));
}
