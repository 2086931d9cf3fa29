//! Pages, from the URL fragment, so that a static host (GitHub Pages) needs no server rewrite:
//! `#/` the playground, `#/lessons` the lesson list, `#/lesson/ID` a lesson (optionally
//! `#/lesson/ID#anchor`), `#/review` the review session, `#/notes` the speaker notes, `#/audit`
//! the audit of a cluster dump. Anything else (a share link `#v1.…`,
//! an empty fragment) is the playground; the share module reads share links itself.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Playground,
    Lessons,
    Lesson {
        id: String,
        anchor: Option<String>,
    },
    Review,
    /// The speaker-notes window of presentation mode.
    Notes,
    /// The audit of a whole cluster dump.
    Audit,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#');
        let Some(path) = h.strip_prefix('/') else {
            return Route::Playground;
        };
        let (path, anchor) = match path.split_once('#') {
            Some((p, a)) if !a.is_empty() => (p, Some(a.to_string())),
            Some((p, _)) => (p, None),
            None => (path, None),
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            ["lessons"] => Route::Lessons,
            ["lesson", id] => Route::Lesson {
                id: id.to_string(),
                anchor,
            },
            ["review"] => Route::Review,
            ["notes"] => Route::Notes,
            ["audit"] => Route::Audit,
            _ => Route::Playground,
        }
    }

    /// The fragment for this page (with `#`).
    pub fn href(&self) -> String {
        match self {
            Route::Playground => "#/".to_string(),
            Route::Lessons => "#/lessons".to_string(),
            Route::Lesson { id, anchor: None } => format!("#/lesson/{id}"),
            Route::Lesson { id, anchor: Some(a) } => format!("#/lesson/{id}#{a}"),
            Route::Review => "#/review".to_string(),
            Route::Notes => "#/notes".to_string(),
            Route::Audit => "#/audit".to_string(),
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page on screen, kept in step with the fragment (links, back and forward buttons).
#[derive(Clone, Copy)]
pub struct Router {
    pub route: RwSignal<Route>,
}

impl Router {
    pub fn install() -> Router {
        let route = RwSignal::new(Route::parse(&current_hash()));
        if let Some(w) = web_sys::window() {
            let on_change = Closure::<dyn Fn()>::new(move || route.set(Route::parse(&current_hash())));
            let _ = w.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
            // The listener lives as long as the page.
            on_change.forget();
        }
        let router = Router { route };
        provide_context(router);
        router
    }

    /// Goes to a page (a new history entry, as a link would).
    pub fn go(&self, to: Route) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(to.href().trim_start_matches('#'));
        }
        self.route.set(to);
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_pages() {
        let cases = [
            ("", Route::Playground),
            ("#", Route::Playground),
            ("#/", Route::Playground),
            ("#v1.abc", Route::Playground),
            ("#/lessons", Route::Lessons),
            ("#/lessons/", Route::Lessons),
            (
                "#/lesson/node-join",
                Route::Lesson {
                    id: "node-join".into(),
                    anchor: None,
                },
            ),
            (
                "#/lesson/taints#builtin",
                Route::Lesson {
                    id: "taints".into(),
                    anchor: Some("builtin".into()),
                },
            ),
            ("#/review", Route::Review),
            ("#/notes", Route::Notes),
            ("#/audit", Route::Audit),
            ("#/audit/", Route::Audit),
            ("#/nowhere", Route::Playground),
        ];
        for (hash, want) in cases {
            assert_eq!(Route::parse(hash), want, "{hash:?}");
        }
    }

    #[test]
    fn href_reads_back() {
        for r in [
            Route::Playground,
            Route::Lessons,
            Route::Review,
            Route::Notes,
            Route::Audit,
            Route::Lesson {
                id: "a".into(),
                anchor: Some("b".into()),
            },
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }
}
