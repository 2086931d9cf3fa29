//! Offline use: registers the service worker (`sw.js`, beside index.html, by a relative URL so a
//! GitHub Pages project site under a sub-path works) and shows when the app's files are cached.
//! The worker's cache is named after this build's file names (trunk puts a content hash in each),
//! so a new build installs a new worker that replaces the old cache.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unsupported,
    Preparing,
    Ready,
    Failed,
}

/// FNV-1a, 64 bits, as hex: a short fingerprint of the build.
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// This build's files as the page names them (hashed names of the wasm, the JS glue and the CSS).
fn build_files(document: &web_sys::Document) -> String {
    let mut names = Vec::new();
    if let Ok(list) = document.query_selector_all("link[href], script") {
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
                continue;
            };
            if let Some(href) = el.get_attribute("href") {
                names.push(href);
            } else if let Some(src) = el.get_attribute("src") {
                names.push(src);
            } else if let Some(text) = el.text_content() {
                names.push(text);
            }
        }
    }
    names.join("\n")
}

async fn register() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let sw = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("serviceWorker"))?;
    if sw.is_undefined() || sw.is_null() {
        return Err(JsValue::from_str("unsupported"));
    }
    let container: web_sys::ServiceWorkerContainer = sw.unchecked_into();
    let version = fingerprint(&build_files(&document));
    let script = format!("sw.js?v={version}");
    let reg = JsFuture::from(container.register(&format!("./{script}"))).await?;
    // Ready when this build's worker is the active one (it cached the files when it installed),
    // not merely an older build's worker.
    let get =
        |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    for _ in 0..600 {
        let active = get(&reg, "active");
        if active.is_object()
            && get(&active, "scriptURL")
                .as_string()
                .is_some_and(|u| u.ends_with(&script))
            && get(&active, "state").as_string().as_deref() == Some("activated")
        {
            return Ok(());
        }
        sleep(100).await;
    }
    Err(JsValue::from_str("the service worker did not activate"))
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(p).await;
}

fn supported() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("serviceWorker")).ok())
        .is_some_and(|sw| !sw.is_undefined() && !sw.is_null())
}

/// "Offline ready" once the worker has cached the app; nothing is fetched from elsewhere.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let state = RwSignal::new(if supported() {
        State::Preparing
    } else {
        State::Unsupported
    });
    if state.get_untracked() == State::Preparing {
        leptos::task::spawn_local(async move {
            state.set(match register().await {
                Ok(()) => {
                    // The worker controls the page now: every lesson file fetched goes into its
                    // cache, so that lessons open offline too.
                    crate::lessons::data::fetch_all_for_offline().await;
                    State::Ready
                }
                Err(_) => State::Failed,
            });
        });
    }
    let text = move || match state.get() {
        State::Unsupported => "Online only",
        State::Preparing => "Preparing offline use…",
        State::Ready => "Offline ready",
        State::Failed => "Online only",
    };
    let title = move || match state.get() {
        State::Unsupported => {
            "This browser (or a page not served over https) cannot keep the app for offline use."
        }
        State::Preparing => "Caching the app's files and the lessons for offline use.",
        State::Ready => "The app's files and the lessons are cached: it keeps working without a network.",
        State::Failed => "The app's files could not be cached for offline use.",
    };
    view! {
        <span
            class="offline-state"
            class:ready=move || state.get() == State::Ready
            role="status"
            title=title
            data-offline=move || if state.get() == State::Ready { "ready" } else { "no" }
        >
            {text}
        </span>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_differ_and_are_stable() {
        let a = super::fingerprint("/app-1234.js");
        assert_eq!(a, super::fingerprint("/app-1234.js"));
        assert_ne!(a, super::fingerprint("/app-1235.js"));
        assert_eq!(a.len(), 16);
    }
}
