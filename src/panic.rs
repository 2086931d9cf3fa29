//! Never a blank page: a panic is logged to the console (console_error_panic_hook) and shown on the
//! page, as text, with what failed.

use wasm_bindgen::JsCast;

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_failure(&info.to_string());
    }));
}

/// `#selftest-panic` in the URL makes the app panic once it has started and drawn its first node
/// cards (they come from the worker), so that the browser tests (and anyone curious) can see what
/// a failure looks like over a page with content.
pub fn self_test_from_url() {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash == "#selftest-panic" {
        panic_once_drawn(100);
    }
}

fn panic_once_drawn(tries_left: u32) {
    let drawn = document()
        .and_then(|d| d.query_selector("[data-node]").ok().flatten())
        .is_some();
    leptos::prelude::set_timeout(
        move || {
            if drawn || tries_left == 0 {
                panic!("self-test panic requested by #selftest-panic in the URL");
            }
            panic_once_drawn(tries_left - 1);
        },
        std::time::Duration::from_millis(100),
    );
}

/// Removes the "Loading…" line that index.html shows until the app starts.
pub fn remove_boot_message() {
    if let Some(boot) = document().and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Puts a visible banner at the top of the page (text only) saying what failed.
pub fn show_failure(what: &str) {
    let Some(doc) = document() else { return };
    let Some(body) = doc.body() else { return };
    let Ok(banner) = doc.create_element("div") else {
        return;
    };
    banner.set_class_name("fatal");
    let _ = banner.set_attribute("role", "alert");
    let title = doc.create_element("strong").ok();
    if let Some(title) = &title {
        title.set_text_content(Some("DaemonSet Lab stopped because of an internal error. "));
        let _ = banner.append_child(title);
    }
    let detail = doc.create_element("code").ok();
    if let Some(detail) = &detail {
        detail.set_text_content(Some(what));
        let _ = banner.append_child(detail);
    }
    let hint = doc.create_element("p").ok();
    if let Some(hint) = &hint {
        hint.set_text_content(Some(
            "Reload the page to start again. The browser console has the details.",
        ));
        let _ = banner.append_child(hint);
    }
    let first = body.first_child();
    let _ = body.insert_before(banner.unchecked_ref(), first.as_ref());
}
