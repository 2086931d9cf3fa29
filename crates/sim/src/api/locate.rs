//! Finding the line and column of a field path in YAML text.
//!
//! serde_yaml keeps no positions in its values, but it stamps the position of the current node on
//! any error raised while visiting it. So we walk the document once more, following the path, and
//! raise an error on the node we want: the error's location is the node's position. Missing keys
//! stop at the nearest existing ancestor, which is where a person has to add the field.

use super::error::Seg;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

const FOUND: &str = "dslab: located";

/// Returns (line, column), both 1-based, of `path` inside document `doc` (1-based) of `text`,
/// or (0, 0) when the text cannot be walked (it parsed once, so that should not happen).
pub fn locate(text: &str, doc: usize, path: &[Seg]) -> (usize, usize) {
    let Some(de) = serde_yaml::Deserializer::from_str(text).nth(doc.saturating_sub(1)) else {
        return (0, 0);
    };
    match (Seek { path }).deserialize(de) {
        Err(e) => e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0)),
        Ok(()) => (0, 0),
    }
}

struct Seek<'p> {
    path: &'p [Seg],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(SeekVisitor { path: self.path })
    }
}

struct SeekVisitor<'p> {
    path: &'p [Seg],
}

fn found<E: de::Error>() -> Result<(), E> {
    Err(E::custom(FOUND))
}

impl<'de> Visitor<'de> for SeekVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        found()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        found()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        found()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        found()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        found()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        found()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        found()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Seg::Key(want), rest)) = self.path.split_first() else {
            return found();
        };
        while let Some(key) = map.next_key::<KeyText>()? {
            if key.0 == *want {
                map.next_value_seed(Seek { path: rest })?;
                return found();
            }
            map.next_value::<IgnoredAny>()?;
        }
        found()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.path.split_first() else {
            return found();
        };
        let mut i = 0;
        loop {
            if i == *want {
                return match seq.next_element_seed(Seek { path: rest })? {
                    Some(()) => found(),
                    None => found(),
                };
            }
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return found();
            }
            i += 1;
        }
    }
}

/// A mapping key read as text whatever its YAML type (`80: x` has the key "80").
struct KeyText(String);

impl<'de> de::Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::FieldPath;

    const TEXT: &str = "\
apiVersion: v1
kind: Node
metadata:
  name: a
---
apiVersion: v1
kind: Node
metadata:
  name: b
spec:
  taints:
  - key: k
    effect: NoSchedule
  - key: other
    effect: Bad
";

    #[test]
    fn locates_fields_by_path() {
        let cases = [
            ("name in the first document", 1, "metadata.name", (4, 9)),
            ("second taint's effect", 2, "spec.taints[1].effect", (15, 13)),
            ("a missing key stops at its parent", 2, "spec.podCIDR", (11, 3)),
            (
                "index past the end stops at the list",
                2,
                "spec.taints[5]",
                (12, 3),
            ),
            ("the document root", 2, "", (6, 1)),
        ];
        for (name, doc, path, want) in cases {
            let got = locate(TEXT, doc, &FieldPath::parse(path).0);
            assert_eq!(got, want, "{name}");
        }
    }
}
