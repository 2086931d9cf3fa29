//! A YAML editor: a plain textarea with line numbers, and the parse error (line, column, the
//! faulty line marked) under it.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::EditorError;

/// Pixel geometry shared with style/editor.css (.editor-body).
const LINE_PX: usize = 20;
const PAD_PX: usize = 8;
/// How long typing must pause before the text is parsed again.
const SETTLE_MS: u64 = 250;
/// Above this many bytes the text is read but not kept in the text box: laying out a pasted
/// 7 MB dump in a textarea holds the page for seconds. The user may still ask to edit it.
pub const EDIT_LIMIT: usize = 1 << 20;
/// Above this many lines the gutter numbers only the lines around the visible ones (a pasted
/// cluster dump has hundreds of thousands: laying them all out would freeze the page).
const GUTTER_WINDOW_FROM: usize = 2_000;
/// Lines numbered above and below the visible ones in a windowed gutter.
const GUTTER_MARGIN: usize = 100;

#[component]
pub fn YamlEditor(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    text: RwSignal<String>,
    /// A paste over EDIT_LIMIT, kept as the browser's JS string (`text` is then empty).
    big: RwSignal<Option<js_sys::JsString>, LocalStorage>,
    error: RwSignal<Option<EditorError>>,
    /// Called once typing has paused.
    on_settle: Callback<()>,
) -> impl IntoView {
    let line_count =
        Memo::new(move |_| text.with(|t| t.lines().count().max(1) + usize::from(t.ends_with('\n'))));
    // A text over EDIT_LIMIT is out of the box unless the user asked to edit it anyway.
    let edit_anyway = RwSignal::new(false);
    let too_big = Memo::new(move |_| {
        big.with(Option::is_some) || (text.with(String::len) > EDIT_LIMIT && !edit_anyway.get())
    });
    // The lines in the box (one, empty, while the text is out of it).
    let shown_lines = move || if too_big.get() { 1 } else { line_count.get() };
    // Pixels scrolled in the editor, for the windowed gutter.
    let scrolled = RwSignal::new(0usize);
    let window = move || {
        let n = shown_lines();
        if n <= GUTTER_WINDOW_FROM {
            return (0, n);
        }
        let first = (scrolled.get() / LINE_PX).saturating_sub(GUTTER_MARGIN).min(n);
        (first, (first + 3 * GUTTER_MARGIN).min(n))
    };
    let gutter = move || {
        let (first, end) = window();
        let mut s = String::with_capacity((end - first) * 7);
        for i in first + 1..=end {
            s.push_str(&i.to_string());
            s.push('\n');
        }
        s
    };
    // The lines left out still take their height, so the numbers stay beside their lines.
    let gutter_pad = move || {
        let (first, end) = window();
        let after = shown_lines() - end;
        format!(
            "{}px 6px {}px 8px",
            PAD_PX + first * LINE_PX,
            PAD_PX + after * LINE_PX
        )
    };
    let area_ref = NodeRef::<leptos::html::Textarea>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // The textarea holds what was typed: its text is written back only when it changed from
    // elsewhere (an example, an import, a lesson). Writing a pasted 7 MB dump back into the box
    // it came from would lay it out twice.
    let typed = StoredValue::new(false);
    // Reads the text once `wait` ms have passed without a change.
    let settle_after = move |wait: u64| {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let h =
            set_timeout_with_handle(move || on_settle.run(()), std::time::Duration::from_millis(wait)).ok();
        pending.set_value(h);
    };
    // A read still waiting when the editor goes (the reader left the page) would run on its
    // disposed values.
    on_cleanup(move || {
        if let Some(Some(h)) = pending.try_get_value() {
            h.clear();
        }
    });
    let settle_now = move || settle_after(0);
    let on_input = move |ev: leptos::ev::Event| {
        typed.set_value(true);
        let value = event_target_value(&ev);
        if value.len() > EDIT_LIMIT && !edit_anyway.get_untracked() {
            // Emptied before the browser lays the text out (it does so at the next frame).
            if let Some(area) = area_ref.get_untracked() {
                area.set_value("");
            }
        }
        text.set(value);
        // A paste or a drop is whole at once: read it now rather than after a typing pause.
        let whole = ev
            .dyn_ref::<web_sys::InputEvent>()
            .is_some_and(|e| matches!(e.input_type().as_str(), "insertFromPaste" | "insertFromDrop"));
        settle_after(if whole { 0 } else { SETTLE_MS });
    };
    // A paste over EDIT_LIMIT never enters the box: the browser would lay the text out, and
    // emptying the box again costs as much (together ~0.4 s for a 7.5 MB dump). Nor does it
    // enter the wasm's memory: it stays the JS string the browser gave and goes to the worker as
    // it is (copying a 36 MB dump in and out cost a 158 ms task). The pasted text replaces the
    // selection, as the browser's own paste would.
    let on_paste = move |ev: web_sys::ClipboardEvent| {
        let Some(pasted) = ev.clipboard_data().map(|d| clipboard_text(&d)) else {
            return;
        };
        if (pasted.length() as usize) <= EDIT_LIMIT || edit_anyway.get_untracked() {
            return;
        }
        ev.prevent_default();
        let Some(area) = area_ref.get_untracked() else {
            return;
        };
        let value = js_sys::JsString::from(area.value());
        let whole = match (area.selection_start(), area.selection_end()) {
            (Ok(Some(s)), Ok(Some(e))) if !(s == 0 && e >= value.length()) => value
                .slice(0, s)
                .concat(&pasted)
                .concat(&value.slice(e, value.length())),
            // Over the whole box (or an empty one): the pasted text, without a copy.
            _ => pasted,
        };
        area.set_value(""); // the box's old, small text: what it shows for a big text
        typed.set_value(true);
        big.set(Some(whole));
        text.set(String::new());
        settle_now();
    };
    // Edit anyway: a big paste is copied out of its JS string into the box (slow, as asked). The
    // box opens once the new text has gone through the effects above (they close it for a text
    // from elsewhere).
    let edit_big = move |_| match big.get_untracked() {
        Some(js) => {
            big.set(None);
            text.set(String::from(js));
            set_timeout(move || _ = edit_anyway.try_set(true), std::time::Duration::ZERO);
        }
        None => edit_anyway.set(true),
    };
    let bad_line = move || error.with(|e| e.as_ref().map(|e| e.line).filter(|l| *l > 0));
    let body_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let area = area_ref.get();
        let too_big = too_big.get();
        text.with(|t| {
            if typed.try_update_value(std::mem::take).unwrap_or(false) {
                return;
            }
            if let Some(area) = area {
                area.set_value(if too_big { "" } else { t });
            }
        });
    });
    // A new text from elsewhere (an import, an example) starts out of the box again if big.
    Effect::new(move |_| {
        text.track();
        if !typed.get_value() {
            edit_anyway.set(false);
        }
    });
    let size_note = move || {
        if let Some(chars) = big.with(|b| b.as_ref().map(|b| b.length())) {
            return format!(
                "{:.1} million characters: too big to edit here without slowing the page; it is read as it is.",
                f64::from(chars) / 1e6
            );
        }
        text.with(|t| {
            format!(
                "{:.1} MB, {} lines: too big to edit here without slowing the page; it is read as it is.",
                t.len() as f64 / 1e6,
                thousands(line_count.get())
            )
        })
    };
    // Scrolls the editor to the faulty line and selects it, so it can be fixed at once.
    let show_line = move |line: usize, column: usize| {
        if let Some(area) = area_ref.get() {
            let (start, end) = text.with(|t| line_span(t, line));
            let caret = (start + column.saturating_sub(1)).min(end);
            let _ = area.focus();
            let _ = area.set_selection_range(caret as u32, end as u32);
        }
        // Last: focusing scrolls to the old caret.
        if let Some(body) = body_ref.get() {
            body.set_scroll_top(((line.saturating_sub(3)) * LINE_PX) as i32);
        }
    };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="editor" class:has-error=move || error.with(Option::is_some)>
            <label class="editor-label" for=id>{label}</label>
            <p class="editor-hint" id=hint_id.clone()>{hint}</p>
            <div
                class="editor-body"
                node_ref=body_ref
                on:scroll=move |_| {
                    if let Some(body) = body_ref.get_untracked() {
                        scrolled.set(body.scroll_top().max(0) as usize);
                    }
                }
            >
                <pre class="editor-gutter" aria-hidden="true" style:padding=gutter_pad>{gutter}</pre>
                <div class="editor-area">
                    {move || {
                        bad_line()
                            .map(|l| {
                                view! {
                                    <div
                                        class="editor-bad-line"
                                        aria-hidden="true"
                                        style:top=format!("{}px", PAD_PX + (l - 1) * LINE_PX)
                                    ></div>
                                }
                            })
                    }}
                    <textarea
                        id=id
                        class="editor-text"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-label=label
                        aria-describedby=described
                        aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                        style:height=move || {
                            format!("{}px", shown_lines() * LINE_PX + 2 * PAD_PX + 16)
                        }
                        node_ref=area_ref
                        prop:readOnly=move || too_big.get()
                        placeholder=move || too_big.get().then_some("(the text is read but not shown: see below)")
                        on:input=on_input
                        on:paste=on_paste
                    ></textarea>
                </div>
            </div>
            <Show when=move || too_big.get()>
                <div class="editor-big" role="group" aria-label=format!("{label}: too big to edit")>
                    <p>{size_note}</p>
                    <button class="btn small" type="button" on:click=edit_big>
                        "Edit anyway (slow)"
                    </button>
                    " "
                    <button class="btn small" type="button" on:click=move |_| {
                        big.set(None);
                        text.set(String::new());
                        on_settle.run(());
                    }>
                        "Clear"
                    </button>
                </div>
            </Show>
            <div class="editor-error" id=error_id role="status" aria-live="polite">
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error-line">
                                    <span class="error-icon" aria-hidden="true">"⚠ "</span>
                                    <strong>"Parse error. "</strong>
                                    {e.headline()}
                                </p>
                                {(e.line > 0)
                                    .then(|| {
                                        let (line, column) = (e.line, e.column);
                                        view! {
                                            <button class="btn small" type="button" on:click=move |_| show_line(line, column)>
                                                {format!("Show line {line}")}
                                            </button>
                                        }
                                    })}
                                <p class="error-keep">"The cluster below still shows the last YAML that parsed."</p>
                            }
                        })
                }}
            </div>
        </div>
    }
}

#[wasm_bindgen]
extern "C" {
    /// A `DataTransfer` whose `getData` gives the JS string it is (web-sys copies it into a Rust
    /// `String`).
    #[wasm_bindgen(js_name = DataTransfer)]
    type JsDataTransfer;
    #[wasm_bindgen(method, js_name = getData)]
    fn get_data(this: &JsDataTransfer, format: &str) -> js_sys::JsString;
}

pub fn clipboard_text(data: &web_sys::DataTransfer) -> js_sys::JsString {
    data.unchecked_ref::<JsDataTransfer>().get_data("text/plain")
}

/// The UTF-16 offsets (what the textarea's selection counts) of the start and end of a 1-based line.
fn line_span(text: &str, line: usize) -> (usize, usize) {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count();
        if i + 1 == line {
            return (offset, offset + len);
        }
        offset += len + 1;
    }
    (offset, offset)
}

/// 241798 → "241,798".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{line_span, thousands};

    #[test]
    fn line_span_counts_utf16() {
        let t = "a: 1\nbé: 2\nc: 3";
        assert_eq!(line_span(t, 1), (0, 4));
        assert_eq!(line_span(t, 2), (5, 10));
        assert_eq!(line_span(t, 3), (11, 15));
    }

    #[test]
    fn line_counts_read_with_thousands_separators() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (241_798, "241,798"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), want);
        }
    }
}
