//! Share links: the whole playground (both YAMLs, the events, the mode, the current step) in a
//! URL fragment, deflated and base64url-encoded, so a static host needs no server. A damaged,
//! oversized or future-format link is a clear error, never a panic.
//!
//! Format: `v1.` + base64url(deflate(JSON of [`Shared`])).

use serde::{Deserialize, Serialize};

pub const PREFIX: &str = "v1.";
/// Browsers and chat tools cope with fragments far longer, but links this long stop being
/// shareable; the playground says to export the scenario as a file instead.
pub const MAX_LINK_CHARS: usize = 32_000;
/// What an inflated payload may grow to (a deflate bomb is refused).
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Shared {
    pub daemonset_yaml: String,
    pub nodes_yaml: String,
    /// The scenario events as YAML (a list), possibly empty.
    #[serde(default)]
    pub events_yaml: String,
    /// "current" or "legacy".
    pub mode: String,
    /// The step shown (None: before the first step).
    #[serde(default)]
    pub step: Option<usize>,
    /// A lesson the link was made from, if any.
    #[serde(default)]
    pub lesson: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// A link to open is longer than [`MAX_LINK_CHARS`].
    TooLong(usize),
    /// The state to share would make a link longer than [`MAX_LINK_CHARS`].
    TooBig,
    Damaged(String),
    OtherVersion(String),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLong(n) => write!(f, "This link is too long ({n} characters; at most {MAX_LINK_CHARS}). Export the scenario as a YAML file to share it."),
            ShareError::TooBig => write!(f, "This scenario is too big for a link (a link holds at most {MAX_LINK_CHARS} characters, about {} KB compressed). Export the scenario as a YAML file to share it.", MAX_LINK_CHARS * 3 / 4 / 1000),
            ShareError::Damaged(why) => write!(f, "This link is damaged ({why}): it may have been cut when it was copied. The playground starts empty."),
            ShareError::OtherVersion(v) => write!(f, "This link was made by another version of DaemonSet Lab (format {v:?}); this version reads format \"v1\". The playground starts empty."),
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64_encode(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            s.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    s
}

fn b64_decode(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for (i, c) in s.bytes().enumerate() {
        let v = B64
            .iter()
            .position(|b| *b == c)
            .ok_or_else(|| format!("character {} is not part of a link", i + 1))? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return Err("it ends in the middle of a character".into());
    }
    Ok(out)
}

/// The fragment for a playground state (without the leading `#`), or `TooBig` when it would be
/// longer than [`MAX_LINK_CHARS`].
pub fn encode(state: &Shared) -> Result<String, ShareError> {
    // A payload that could not be read back is refused before any work (its JSON is longer
    // than its texts).
    let texts = state.daemonset_yaml.len() + state.nodes_yaml.len() + state.events_yaml.len();
    if texts > MAX_INFLATED {
        return Err(ShareError::TooBig);
    }
    let json = serde_json::to_vec(state).unwrap_or_default();
    if json.len() > MAX_INFLATED {
        return Err(ShareError::TooBig);
    }
    // Base64 takes 4 characters for 3 bytes (no padding).
    let room = (MAX_LINK_CHARS - PREFIX.len()) * 3 / 4;
    let packed = deflate_within(&json, room).ok_or(ShareError::TooBig)?;
    Ok(format!("{PREFIX}{}", b64_encode(&packed)))
}

/// `data` deflated (level 9, as `compress_to_vec`), or None when that takes more than `room`
/// bytes. The compressor stops once its output buffer is full, so a cluster too big for a link
/// costs the part of it that filled the buffer, not the whole (a 2.9 MB node list, natively:
/// 13 ms to give up, 26 ms to compress it all).
fn deflate_within(data: &[u8], room: usize) -> Option<Vec<u8>> {
    use miniz_oxide::deflate::core::{
        compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
    };
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(9, 0, 0));
    // One byte more than the room: a full buffer means "too big", not "exactly fits".
    let mut out = vec![0; room + 1];
    let (status, _, written) = compress(&mut compressor, data, &mut out, TDEFLFlush::Finish);
    if status != TDEFLStatus::Done || written > room {
        return None;
    }
    out.truncate(written);
    Some(out)
}

/// Reads a fragment back (with or without `#`, with or without a `s=` key).
pub fn decode(fragment: &str) -> Result<Shared, ShareError> {
    let f = fragment.trim().trim_start_matches('#');
    let f = f.strip_prefix("s=").unwrap_or(f);
    if f.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(f.len()));
    }
    let Some(body) = f.strip_prefix(PREFIX) else {
        let version = f.split('.').next().unwrap_or_default();
        return Err(
            if version.starts_with('v') && version.len() < 6 && f.contains('.') {
                ShareError::OtherVersion(version.to_string())
            } else {
                ShareError::Damaged("it does not start with v1.".into())
            },
        );
    };
    let packed = b64_decode(body).map_err(ShareError::Damaged)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| ShareError::Damaged("its compressed data is cut or altered".into()))?;
    serde_json::from_slice(&json)
        .map_err(|e| ShareError::Damaged(format!("its content does not read back: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Shared {
        Shared {
            daemonset_yaml: "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\n".repeat(20),
            nodes_yaml: "- {apiVersion: v1, kind: Node, metadata: {name: n1}}\n".into(),
            events_yaml: "- {at: 10, action: cordon, node: n1}\n".into(),
            mode: "legacy".into(),
            step: Some(7),
            lesson: None,
        }
    }

    #[test]
    fn round_trips_and_compresses() {
        let s = sample();
        let link = encode(&s).unwrap();
        assert!(link.starts_with("v1."));
        assert!(
            link.len() < s.daemonset_yaml.len() / 2,
            "deflate works: {}",
            link.len()
        );
        assert!(link
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'));
        assert_eq!(decode(&link), Ok(s.clone()));
        assert_eq!(decode(&format!("#{link}")), Ok(s));
        for data in [&b""[..], b"a", b"ab", b"abc", b"abcd", &[0, 255, 128, 7, 9]] {
            assert_eq!(b64_decode(&b64_encode(data)).unwrap(), data);
        }
    }

    #[test]
    fn bad_links_are_clear_errors() {
        let link = encode(&sample()).unwrap();
        let cut = &link[..link.len() / 2];
        let cases: Vec<(&str, String, &str)> = vec![
            ("cut in half", cut.to_string(), "damaged"),
            (
                "a character changed",
                format!("{}*{}", &link[..10], &link[11..]),
                "damaged",
            ),
            ("not a link at all", "hello".into(), "damaged"),
            ("a future format", "v2.AAAA".into(), "another version"),
            (
                "too long",
                format!("v1.{}", "A".repeat(MAX_LINK_CHARS + 1)),
                "too long",
            ),
            ("valid base64, not deflate", "v1.QUJDREVGRw".into(), "damaged"),
            ("empty", String::new(), "damaged"),
        ];
        for (name, input, want) in cases {
            let e = decode(&input).unwrap_err().to_string();
            assert!(e.contains(want), "{name}: {e}");
        }
    }

    /// Text that deflate cannot shrink much (a pseudo-random run of letters), `n` bytes of it.
    fn noise(n: usize) -> String {
        let mut x: u32 = 2_463_534_242;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect()
    }

    #[test]
    fn a_state_too_big_for_a_link_is_refused_and_the_others_fit() {
        let with_nodes = |nodes_yaml: String| Shared {
            nodes_yaml,
            ..sample()
        };
        let cases: Vec<(&str, Shared, bool)> = vec![
            ("small", sample(), true),
            (
                "30 KB of noise (about 19 KB deflated)",
                with_nodes(noise(30_000)),
                true,
            ),
            (
                "40 KB of noise (about 25 KB deflated: just over)",
                with_nodes(noise(40_000)),
                false,
            ),
            (
                "3 MB that deflates to a few KB fits (the limit is on the link)",
                with_nodes("- {kind: Node}\n".repeat(200_000)),
                true,
            ),
            (
                "over the 4 MB a link may inflate to, refused unread",
                with_nodes("a".repeat(MAX_INFLATED + 1)),
                false,
            ),
        ];
        for (name, state, fits) in cases {
            match encode(&state) {
                Ok(link) => {
                    assert!(fits, "{name}: a link of {} characters", link.len());
                    assert!(link.len() <= MAX_LINK_CHARS, "{name}: {}", link.len());
                    assert_eq!(decode(&link), Ok(state), "{name}");
                }
                Err(e) => {
                    assert!(!fits, "{name}: {e}");
                    assert_eq!(e, ShareError::TooBig, "{name}");
                }
            }
        }
    }
}
