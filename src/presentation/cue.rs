//! What the presenting window tells the speaker-notes window, and back, over a BroadcastChannel:
//! small messages in postcard's binary form, as the simulation worker's (both windows run this
//! same bundle; a message that does not read is ignored).

use serde::{Deserialize, Serialize};

pub const CHANNEL: &str = "daemonset-lab-presenter";

/// The presenter's screen, for the notes window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    /// The scenario's title ("" when none is on).
    pub title: String,
    /// 1-based position, as the player counts ("step 3 of 20"); 0 when no scenario is on.
    pub step: usize,
    pub total: usize,
    /// The message of the step on screen, and of the next one.
    pub current: String,
    pub next: Option<String>,
    /// The lesson's notes (Markdown source, shown as text), if a lesson is on screen.
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Message {
    /// Presenter → notes.
    Cue(Cue),
    /// Notes → presenter: "send me the current cue".
    Hello,
    /// Notes → presenter: move the player.
    Forward,
    Back,
}

impl Message {
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Message> {
        postcard::from_bytes(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_junk_is_ignored() {
        let cue = Message::Cue(Cue {
            title: "Rollout".into(),
            step: 3,
            total: 9,
            current: "a <b>".into(),
            next: None,
            notes: Some("# Notes".into()),
        });
        for m in [cue, Message::Hello, Message::Forward, Message::Back] {
            assert_eq!(Message::from_bytes(&m.to_bytes()), Some(m));
        }
        assert_eq!(Message::from_bytes(&[9, 9, 9]), None);
        assert_eq!(Message::from_bytes(b""), None);
    }
}
