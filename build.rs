//! Indexes the lessons (`lessons/*.md`, not README.md) at build time: writes
//! `$OUT_DIR/lessons.rs`, the list `LESSON_INDEX` of every lesson's file name, id, title, order,
//! summary and question ids, sorted by order then file name, that `src/lessons/data.rs` includes.
//! The lesson files themselves are not compiled in: trunk copies them beside the app
//! (`index.html`, `copy-dir`) and a lesson is fetched when it is opened.
//!
//! A file whose front matter cannot be read is still listed (under its file name), so that the
//! app reports the core's own error when the lesson is opened; `dslab lessons check` fails on it
//! long before.

use std::{env, fs, path::PathBuf};

struct Entry {
    file: String,
    id: String,
    title: String,
    order: i64,
    summary: String,
    questions: Vec<String>,
}

fn entry(file: &str, text: &str) -> Entry {
    let fallback = || Entry {
        file: file.to_string(),
        id: file.trim_end_matches(".md").to_string(),
        title: file.to_string(),
        order: i64::MAX,
        summary: String::new(),
        questions: Vec::new(),
    };
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let Some(rest) = text.strip_prefix("---\n") else {
        return fallback();
    };
    let Some(end) = rest
        .find("\n---\n")
        .or_else(|| rest.ends_with("\n---").then(|| rest.len() - 4))
    else {
        return fallback();
    };
    let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(&rest[..end]) else {
        return fallback();
    };
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let (Some(id), Some(title), Some(order)) = (s("id"), s("title"), v.get("order").and_then(|o| o.as_i64()))
    else {
        return fallback();
    };
    let questions = v
        .get("questions")
        .and_then(|q| q.as_sequence())
        .map(|qs| {
            qs.iter()
                .filter_map(|q| q.get("id").and_then(|i| i.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Entry {
        file: file.to_string(),
        id,
        title,
        order,
        summary: s("summary").unwrap_or_default(),
        questions,
    }
}

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("lessons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "README.md")
    });
    let mut entries: Vec<Entry> = files
        .iter()
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            entry(&name, &fs::read_to_string(p).unwrap_or_default())
        })
        .collect();
    entries.sort_by(|a, b| (a.order, &a.file).cmp(&(b.order, &b.file)));
    let mut out = String::from("pub static LESSON_INDEX: &[LessonEntry] = &[\n");
    for e in &entries {
        out.push_str(&format!(
            "    LessonEntry {{ file: {:?}, id: {:?}, title: {:?}, order: {}, summary: {:?}, questions: &{:?} }},\n",
            e.file, e.id, e.title, e.order, e.summary, e.questions
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap()).join("lessons.rs");
    fs::write(dest, out).unwrap();
}
