//! Shared, immutable text for the names and words a timeline repeats in every step: pod, node and
//! namespace names, images, hashes, actions, event reasons. A timeline of a rollout over
//! thousands of nodes holds tens of thousands of steps; with a `String` per field each step owned
//! a dozen copies (allocated, then freed with the timeline). A `Text` is either a `&'static str`
//! (fixed words: no allocation at all) or one shared `Arc<str>` (a name made once, cloned by a
//! reference count). It reads, compares, prints and serializes exactly like the string it holds.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Arc;

/// Two words: the address of the bytes and their length, whose top bit says whether the bytes
/// belong to an `Arc<str>` (shared: cloned and dropped through its count) or to a
/// `&'static str` (nothing to count). A step holds a dozen texts and a rollout keeps tens of
/// thousands of steps: a third smaller than an enum of the two (three words) is that much less
/// memory written and read back.
pub struct Text {
    ptr: NonNull<u8>,
    len: usize,
}

/// Set in `len` for the bytes of an `Arc<str>` (a `str` is never longer than `isize::MAX`).
const SHARED: usize = 1 << (usize::BITS - 1);

// SAFETY: a Text is either a `&'static str` or an `Arc<str>`, both Send and Sync.
unsafe impl Send for Text {}
unsafe impl Sync for Text {}

/// `format!` that makes a [`Text`] (see [`Text::format`]).
macro_rules! text {
    ($($arg:tt)*) => {
        $crate::text::Text::format(format_args!($($arg)*))
    };
}
pub(crate) use text;

impl Text {
    /// A fixed word: no allocation.
    pub const fn from_static(s: &'static str) -> Self {
        Text {
            // SAFETY: a reference is never null.
            ptr: unsafe { NonNull::new_unchecked(s.as_ptr() as *mut u8) },
            len: s.len(),
        }
    }
    fn from_arc(a: Arc<str>) -> Self {
        let len = a.len();
        let raw = Arc::into_raw(a) as *const u8 as *mut u8;
        Text {
            // SAFETY: `Arc::into_raw` never returns null.
            ptr: unsafe { NonNull::new_unchecked(raw) },
            len: len | SHARED,
        }
    }
    fn shared(&self) -> bool {
        self.len & SHARED != 0
    }
    /// The `*const str` that `Arc::into_raw` gave (only for a shared text).
    fn raw(&self) -> *const str {
        std::ptr::slice_from_raw_parts(self.ptr.as_ptr() as *const u8, self.len & !SHARED) as *const str
    }
    /// Formats straight into a shared text, through one reused buffer: the text's own allocation
    /// is the only one (`format!` then `Text::from` would grow a `String`, copy it, free it).
    /// A format without arguments is a fixed word.
    pub fn format(args: fmt::Arguments<'_>) -> Self {
        if let Some(s) = args.as_str() {
            return Text::from_static(s);
        }
        with_buffer(|buf| fmt::write(buf, args).expect("formatting into a String does not fail"))
    }
    /// The pieces one after the other (for the hottest messages: no formatting machinery, one
    /// allocation).
    pub fn concat(parts: &[&str]) -> Self {
        with_buffer(|buf| {
            for p in parts {
                buf.push_str(p);
            }
        })
    }
    pub fn as_str(&self) -> &str {
        // SAFETY: the bytes of a `&'static str`, or of an `Arc<str>` this text holds a count of
        // (alive at least as long as `self`); either way valid UTF-8 of that length.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr.as_ptr(), self.len & !SHARED))
        }
    }
}

impl Clone for Text {
    fn clone(&self) -> Self {
        if self.shared() {
            // SAFETY: `raw` is the pointer `Arc::into_raw` gave, and `self` holds a count.
            unsafe { Arc::increment_strong_count(self.raw()) };
        }
        Text {
            ptr: self.ptr,
            len: self.len,
        }
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        if self.shared() {
            // SAFETY: gives back the count this text holds, from the pointer `Arc::into_raw` gave.
            unsafe { drop(Arc::from_raw(self.raw())) };
        }
    }
}

/// Writes into one reused buffer and makes a text of it: the text's own allocation is the only one.
fn with_buffer(write: impl FnOnce(&mut String)) -> Text {
    thread_local! {
        static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUF.with(|buf| match buf.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            write(&mut buf);
            Text::from(buf.as_str())
        }
        // A text made while another is being written (inside a formatting argument): a buffer
        // of its own.
        Err(_) => {
            let mut own = String::new();
            write(&mut own);
            Text::from(own)
        }
    })
}

impl Default for Text {
    fn default() -> Self {
        Text::from_static("")
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::from_arc(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::from(s.as_str())
    }
}

/// Copies the string (use [`Text::from_static`] for a literal that should not be copied).
impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::from_arc(Arc::from(s))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.as_str().to_string()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        // The same bytes (a pod's owner and its DaemonSet's name share one text): no need to
        // compare them.
        (self.ptr == other.ptr && self.len == other.len) || self.as_str() == other.as_str()
    }
}
impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}
impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}
impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As `str` hashes, so that maps keyed by `Text` can be looked up with a `&str`.
impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// As `str` prints, padding and width included.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn reads_compares_and_serializes_like_the_string() {
        let shared = Text::from(String::from("node-1"));
        let fixed = Text::from_static("node-1");
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
        assert_eq!(Text::concat(&["pod/", "web-1"]), "pod/web-1");
        let mut set = std::collections::HashSet::new();
        set.insert(shared);
        assert!(set.contains("node-1"));
    }

    #[test]
    fn two_words_and_shared_bytes_outlive_any_one_clone() {
        let two_words = 2 * std::mem::size_of::<usize>();
        assert_eq!(std::mem::size_of::<Text>(), two_words);
        assert_eq!(std::mem::size_of::<Option<Text>>(), two_words);
        let a = Text::from(format!("pod-{}", 7));
        let b = a.clone();
        let c = b.clone();
        drop(a);
        assert_eq!(b, "pod-7");
        drop(b);
        assert_eq!(c.as_str(), "pod-7");
        let empty = Text::from(String::new());
        assert_eq!(empty.clone(), "");
        assert_eq!(Text::default(), empty);
        // Equal bytes at other addresses are equal texts, shared or fixed; other bytes are not.
        let long = Text::from("node-10");
        assert_ne!(long, Text::from("node-1"));
        assert_eq!(long, Text::from_static("node-10"));
        std::thread::spawn(move || assert_eq!(c, "pod-7")).join().unwrap();
    }
}
