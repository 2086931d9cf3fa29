//! A YAML editor: a plain textarea with line numbers, and the parse error (line, column, the
//! faulty line marked) under it.

use leptos::prelude::*;

use crate::model::EditorError;

/// Pixel geometry shared with style/editor.css (.editor-body).
const LINE_PX: usize = 20;
const PAD_PX: usize = 8;
/// How long typing must pause before the text is parsed again.
const SETTLE_MS: u64 = 250;

#[component]
pub fn YamlEditor(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    text: RwSignal<String>,
    error: RwSignal<Option<EditorError>>,
    /// Called once typing has paused.
    on_settle: Callback<()>,
) -> impl IntoView {
    let line_count =
        Memo::new(move |_| text.with(|t| t.lines().count().max(1) + usize::from(t.ends_with('\n'))));
    let gutter = move || {
        let n = line_count.get();
        let mut s = String::with_capacity(n * 5);
        for i in 1..=n {
            s.push_str(&i.to_string());
            s.push('\n');
        }
        s
    };
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(
            move || on_settle.run(()),
            std::time::Duration::from_millis(SETTLE_MS),
        )
        .ok();
        pending.set_value(h);
    };
    let bad_line = move || error.with(|e| e.as_ref().map(|e| e.line).filter(|l| *l > 0));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="editor" class:has-error=move || error.with(Option::is_some)>
            <label class="editor-label" for=id>{label}</label>
            <p class="editor-hint" id=hint_id.clone()>{hint}</p>
            <div class="editor-body">
                <pre class="editor-gutter" aria-hidden="true">{gutter}</pre>
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
                        style:height=move || format!("{}px", line_count.get() * LINE_PX + 2 * PAD_PX + 16)
                        prop:value=move || text.get()
                        on:input=on_input
                    ></textarea>
                </div>
            </div>
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
                                <p class="error-keep">"The cluster below still shows the last YAML that parsed."</p>
                            }
                        })
                }}
            </div>
        </div>
    }
}
