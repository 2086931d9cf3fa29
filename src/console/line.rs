//! The console's line editing, without the DOM: history with Up/Down, and Tab completion of the
//! last word from the core's candidates.

/// Typed commands, oldest first, and where Up/Down is in them.
#[derive(Default, Debug)]
pub struct History {
    items: Vec<String>,
    /// `None`: editing a new line (the draft); `Some(i)`: showing `items[i]`.
    pos: Option<usize>,
    draft: String,
}

impl History {
    pub fn push(&mut self, line: &str) {
        if !line.is_empty() && self.items.last().map(String::as_str) != Some(line) {
            self.items.push(line.to_string());
        }
        self.pos = None;
        self.draft.clear();
    }

    /// Up: the previous command (the line being typed is kept as the draft).
    pub fn up(&mut self, current: &str) -> Option<String> {
        let next = match self.pos {
            None if self.items.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.items.len() - 1
            }
            Some(0) => 0,
            Some(i) => i - 1,
        };
        self.pos = Some(next);
        Some(self.items[next].clone())
    }

    /// Down: the next command, then the draft.
    pub fn down(&mut self) -> Option<String> {
        match self.pos {
            None => None,
            Some(i) if i + 1 < self.items.len() => {
                self.pos = Some(i + 1);
                Some(self.items[i + 1].clone())
            }
            Some(_) => {
                self.pos = None;
                Some(std::mem::take(&mut self.draft))
            }
        }
    }
}

/// The longest common prefix of the candidates.
fn common_prefix(cands: &[String]) -> String {
    let Some(first) = cands.first() else {
        return String::new();
    };
    let mut len = first.len();
    for c in &cands[1..] {
        len = first
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    first[..len].to_string()
}

/// Tab: the line with its last word completed as far as the candidates agree (a space after a
/// single candidate), and whether to list the candidates (several, none of them chosen yet).
pub fn complete_line(line: &str, candidates: &[String]) -> (String, bool) {
    if candidates.is_empty() {
        return (line.to_string(), false);
    }
    let start = if line.ends_with(' ') || line.is_empty() {
        line.len()
    } else {
        line.rfind(' ').map_or(0, |i| i + 1)
    };
    let partial = &line[start..];
    let head = &line[..start];
    if let [one] = candidates {
        return (format!("{head}{one} "), false);
    }
    let prefix = common_prefix(candidates);
    if prefix.len() > partial.len() {
        (format!("{head}{prefix}"), false)
    } else {
        (line.to_string(), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn history_walks_back_and_forth_and_keeps_the_draft() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        h.push("get nodes");
        h.push("get pods");
        h.push("get pods");
        h.push("");
        assert_eq!(h.up("draft").as_deref(), Some("get pods"));
        assert_eq!(h.up("").as_deref(), Some("get nodes"));
        assert_eq!(h.up("").as_deref(), Some("get nodes"));
        assert_eq!(h.down().as_deref(), Some("get pods"));
        assert_eq!(h.down().as_deref(), Some("draft"));
        assert_eq!(h.down(), None);
    }

    #[test]
    fn tab_completes_one_or_the_common_part() {
        assert_eq!(
            complete_line("kubectl cor", &v(&["cordon"])),
            ("kubectl cordon ".into(), false)
        );
        assert_eq!(
            complete_line("cordon ", &v(&["worker-1"])),
            ("cordon worker-1 ".into(), false)
        );
        assert_eq!(
            complete_line("cordon w", &v(&["worker-1", "worker-2"])),
            ("cordon worker-".into(), false)
        );
        assert_eq!(
            complete_line("cordon worker-", &v(&["worker-1", "worker-2"])),
            ("cordon worker-".into(), true)
        );
        assert_eq!(complete_line("zz", &[]), ("zz".into(), false));
        assert_eq!(complete_line("", &v(&["get", "describe"])), ("".into(), true));
    }
}
