//! Shared, immutable text for the names and words a timeline repeats in every step: pod, node and
//! namespace names, images, hashes, actions, event reasons. A timeline of a rollout over
//! thousands of nodes holds tens of thousands of steps; with a `String` per field each step owned
//! a dozen copies (allocated, then freed with the timeline).
//!
//! [`Text`] is `smol_str::SmolStr`, a well-kept crate that does exactly this: a fixed word is a
//! `&'static str` (`Text::new_static`, no allocation), a text of up to 23 bytes sits inline (most
//! node, pod and namespace names: no allocation, a clone is a copy), a longer one is one shared
//! `Arc<str>` cloned by its count. It reads, compares, hashes, prints and serializes exactly like
//! the string it holds. Chosen over `arcstr` because it makes a `&'static str` known only at run
//! time (the actors' fixed words come from tables) a text without allocating, which `arcstr`
//! does only for literals.

pub type Text = smol_str::SmolStr;

/// `format!` that makes a [`Text`].
macro_rules! text {
    ($($arg:tt)*) => {
        smol_str::format_smolstr!($($arg)*)
    };
}
pub(crate) use text;

/// The pieces one after the other, as one text (for the hottest messages: no formatting
/// machinery, and no allocation at all when the result is short).
pub fn concat(parts: &[&str]) -> Text {
    let mut out = smol_str::SmolStrBuilder::new();
    for p in parts {
        out.push_str(p);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::{concat, Text};

    #[test]
    fn reads_compares_and_serializes_like_the_string() {
        let shared = Text::from(String::from("node-1"));
        let fixed = Text::new_static("node-1");
        assert_eq!(shared, fixed);
        assert_eq!(shared, "node-1");
        assert_eq!(format!("[{shared:<8}]"), "[node-1  ]");
        assert_eq!(format!("{fixed:?}"), "\"node-1\"");
        assert_eq!(serde_json::to_string(&shared).unwrap(), "\"node-1\"");
        let back: Text = serde_json::from_str("\"node-1\"").unwrap();
        assert_eq!(back, fixed);
        let n = 3;
        assert_eq!(text!("node-{n}"), "node-3");
        assert_eq!(text!("{}", text!("a{n}")), "a3");
        assert_eq!(concat(&["pod/", "web-1"]), "pod/web-1");
        let long = concat(&["a-name-longer-than-", "twenty-three-bytes"]);
        assert_eq!(long, "a-name-longer-than-twenty-three-bytes");
        let mut set = std::collections::HashSet::new();
        set.insert(shared);
        assert!(set.contains("node-1"));
        assert_eq!(Text::default(), "");
    }
}
