//! The light and dark themes: a labelled switch; the default follows the system
//! (`prefers-color-scheme`); the choice is remembered in localStorage, and a storage that throws
//! or is absent only means it is not remembered.

use leptos::prelude::*;

const KEY: &str = "daemonset-lab.theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn remembered() -> Option<bool> {
    match storage()?.get_item(KEY).ok().flatten()?.as_str() {
        "dark" => Some(true),
        "light" => Some(false),
        _ => None,
    }
}

fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn apply(dark: bool) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let dark = RwSignal::new(remembered().unwrap_or_else(system_dark));
    Effect::new(move |_| apply(dark.get()));
    view! {
        <label class="theme-switch">
            <input
                type="checkbox"
                role="switch"
                prop:checked=move || dark.get()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    dark.set(on);
                    if let Some(s) = storage() {
                        let _ = s.set_item(KEY, if on { "dark" } else { "light" });
                    }
                }
            />
            <span>"Dark theme"</span>
        </label>
    }
}
