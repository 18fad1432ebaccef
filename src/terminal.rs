//! Escape sequences threadr emits on purpose: OSC 52 (copy to the reader's clipboard through
//! the terminal), with tmux's and GNU screen's passthrough wrappers, and OSC 8 hyperlinks.
//!
//! Pure functions of their input and an environment snapshot; the driver writes the result.
//! Text from the thread never reaches the terminal raw here either: OSC 52 carries it
//! base64-encoded, so no byte of it can end or extend the sequence.

use std::fmt::Write as _;

use base64::Engine as _;

/// Largest payload (before base64) we send. xterm accepts about 100 kB of base64 by
/// default and several terminals cap lower; above this we refuse with a message rather
/// than send something the terminal would cut or drop.
pub const OSC52_MAX_BYTES: usize = 74_994;

/// The multiplexer between threadr and the real terminal, which needs a wrapper for the
/// sequence to reach the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Multiplexer {
    /// None: write the sequence as it is.
    None,
    /// tmux (`$TMUX` set): DCS `tmux;` passthrough, ESCs doubled.
    Tmux,
    /// GNU screen (`$STY` set, or `TERM` starting with `screen` outside tmux): DCS passthrough,
    /// split into chunks screen accepts.
    Screen,
}

impl Multiplexer {
    /// Detects the multiplexer from the environment.
    #[must_use]
    pub fn detect(get: impl Fn(&str) -> Option<String>) -> Self {
        let get = &get;
        if get("TMUX").is_some_and(|v| !v.is_empty()) {
            Self::Tmux
        } else if get("STY").is_some_and(|v| !v.is_empty()) {
            Self::Screen
        } else {
            Self::None
        }
    }
}

/// Why a copy was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CopyError {
    /// The text is over [`OSC52_MAX_BYTES`].
    #[error("too long to copy through the terminal ({size} bytes; the limit is {max})")]
    TooLarge {
        /// Size of the text in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
}

/// The OSC 52 sequence that puts `text` on the clipboard, wrapped for `mux`.
///
/// # Errors
/// When the text is larger than [`OSC52_MAX_BYTES`].
pub fn osc52(text: &str, mux: Multiplexer) -> Result<String, CopyError> {
    if text.len() > OSC52_MAX_BYTES {
        return Err(CopyError::TooLarge {
            size: text.len(),
            max: OSC52_MAX_BYTES,
        });
    }
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let seq = format!("\x1b]52;c;{payload}\x07");
    Ok(wrap(&seq, mux))
}

/// Wraps a sequence so a multiplexer passes it through to the outer terminal.
#[must_use]
pub fn wrap(seq: &str, mux: Multiplexer) -> String {
    match mux {
        Multiplexer::None => seq.to_string(),
        Multiplexer::Tmux => format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b")),
        Multiplexer::Screen => {
            // screen limits a DCS string to 768 bytes: send the sequence in chunks, each in
            // its own DCS, which screen concatenates on the way out.
            let mut out = String::new();
            let bytes = seq.as_bytes();
            for chunk in bytes.chunks(760) {
                out.push_str("\x1bP");
                out.push_str(&String::from_utf8_lossy(chunk));
                out.push_str("\x1b\\");
            }
            out
        }
    }
}

/// What tmux does with a clipboard sequence from a program inside it, from its options
/// (`tmux show -gv allow-passthrough`, `tmux show -gv set-clipboard`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TmuxClipboard {
    /// `allow-passthrough on` (or `all`): the DCS-wrapped sequence reaches the terminal.
    Passthrough,
    /// `set-clipboard on`: tmux takes a plain OSC 52 itself and passes it on.
    SetClipboard,
    /// Neither (tmux's defaults): the sequence is dropped.
    Dropped,
    /// The options could not be read (tmux not found, an old tmux without the option).
    Unknown,
}

impl TmuxClipboard {
    /// Decides from the two options' values (`None`: could not be read).
    #[must_use]
    pub fn from_options(passthrough: Option<&str>, set_clipboard: Option<&str>) -> Self {
        let passthrough = passthrough.map(str::trim);
        let set_clipboard = set_clipboard.map(str::trim);
        if matches!(passthrough, Some("on" | "all")) {
            Self::Passthrough
        } else if set_clipboard == Some("on") {
            Self::SetClipboard
        } else if passthrough.is_some() && set_clipboard.is_some() {
            Self::Dropped
        } else {
            Self::Unknown
        }
    }

    /// The multiplexer wrapping to send with: tmux's own clipboard takes a plain sequence.
    #[must_use]
    pub fn wrapping(self) -> Multiplexer {
        match self {
            Self::SetClipboard => Multiplexer::None,
            _ => Multiplexer::Tmux,
        }
    }

    /// What to tell the reader after sending `what` (`chars` characters).
    #[must_use]
    pub fn message(self, what: &str, chars: usize) -> String {
        const NEEDS: &str = "set allow-passthrough on (or set-clipboard on) in ~/.tmux.conf";
        match self {
            Self::Passthrough => {
                format!("Copied {what} ({chars} characters) through tmux's passthrough")
            }
            Self::SetClipboard => {
                format!("Copied {what} ({chars} characters) to tmux's clipboard (set-clipboard on)")
            }
            Self::Dropped => format!(
                "Not copied: tmux drops clipboard sequences with its current options; {NEEDS}"
            ),
            Self::Unknown => {
                format!("Sent {what} ({chars} characters) to tmux; if it does not arrive, {NEEDS}")
            }
        }
    }
}

/// Longest URL made into an OSC 8 hyperlink; longer ones stay plain text.
pub const OSC8_MAX_URL: usize = 2048;

/// A URL made safe to put inside an OSC 8 sequence: every byte outside printable ASCII (and
/// the characters that could end or confuse the sequence) is percent-encoded, so nothing
/// from the thread can terminate the sequence or inject another. `None` for URLs that are
/// empty, too long, or not web or mail links.
#[must_use]
pub fn osc8_url(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:", "ftp://"];
    if trimmed.is_empty()
        || trimmed.len() > OSC8_MAX_URL
        || !allowed.iter().any(|p| lower.starts_with(p))
    {
        return None;
    }
    Some(clean_url(trimmed).replace(';', "%3B"))
}

/// A URL safe to paste anywhere: every byte outside printable ASCII, and the backslash, is
/// percent-encoded, so a link from a thread cannot carry control characters, escape
/// sequences or bidi overrides onto the reader's clipboard. Valid URLs stay valid.
#[must_use]
pub fn clean_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.trim().bytes() {
        if (0x21..0x7f).contains(&b) && b != b'\\' {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Wraps visible `text` (already sanitised) in an OSC 8 hyperlink to a URL from
/// [`osc8_url`].
#[must_use]
pub fn osc8(safe_url: &str, text: &str) -> String {
    format!("\x1b]8;;{safe_url}\x1b\\{text}\x1b]8;;\x1b\\")
}

/// Whether the terminal is known to show OSC 8 hyperlinks (the `osc8 = "auto"` choice).
/// Inside tmux or screen the answer depends on their configuration, so it is no.
#[must_use]
pub fn supports_osc8(get: impl Fn(&str) -> Option<String>) -> bool {
    if Multiplexer::detect(&get) != Multiplexer::None {
        return false;
    }
    let term = get("TERM").unwrap_or_default();
    let program = get("TERM_PROGRAM").unwrap_or_default();
    let vte = get("VTE_VERSION")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0);
    matches!(
        program.as_str(),
        "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper" | "rio"
    ) || ["kitty", "foot", "wezterm", "ghostty", "alacritty"]
        .iter()
        .any(|t| term.contains(t))
        || vte >= 5000
        || get("WT_SESSION").is_some()
}

/// Decodes the payload of an OSC 52 sequence (for tests and tools).
#[must_use]
pub fn decode_osc52(seq: &str) -> Option<String> {
    let start = seq.find("]52;c;")? + 6;
    let rest = &seq[start..];
    let end = rest.find(['\x07', '\x1b'])?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&rest[..end])
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment of fixed pairs.
    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_string())
        }
    }

    #[test]
    fn osc52_round_trips_hostile_text() {
        let text = "evil \x1b]0;x\x07 \u{202e} end";
        let seq = osc52(text, Multiplexer::None).unwrap();
        assert!(seq.starts_with("\x1b]52;c;"));
        assert_eq!(seq.matches('\x1b').count(), 1, "only our own ESC");
        assert_eq!(decode_osc52(&seq).as_deref(), Some(text));
    }

    #[test]
    fn tmux_options_decide_what_is_sent_and_said() {
        use TmuxClipboard as T;
        assert_eq!(
            T::from_options(Some("on\n"), Some("external")),
            T::Passthrough
        );
        assert_eq!(T::from_options(Some("all"), None), T::Passthrough);
        assert_eq!(T::from_options(Some("off"), Some("on")), T::SetClipboard);
        assert_eq!(T::from_options(Some("off"), Some("external")), T::Dropped);
        assert_eq!(T::from_options(None, Some("external")), T::Unknown);
        assert_eq!(T::SetClipboard.wrapping(), Multiplexer::None);
        assert_eq!(T::Passthrough.wrapping(), Multiplexer::Tmux);
        let said = T::Dropped.message("comment", 3);
        assert!(said.starts_with("Not copied") && said.contains("allow-passthrough on"));
        assert!(T::Unknown.message("link", 9).contains("set-clipboard on"));
    }

    #[test]
    fn tmux_doubles_escapes_inside_its_passthrough() {
        let seq = osc52("hi", Multiplexer::Tmux).unwrap();
        assert!(seq.starts_with("\x1bPtmux;\x1b\x1b]52;c;aGk="));
        assert!(seq.ends_with("\x07\x1b\\"));
    }

    #[test]
    fn screen_chunks_long_sequences() {
        let seq = osc52(&"x".repeat(3000), Multiplexer::Screen).unwrap();
        assert!(seq.matches("\x1bP").count() >= 5);
        assert!(seq.split("\x1bP").all(|c| c.len() <= 770));
    }

    #[test]
    fn too_large_is_refused() {
        let err = osc52(&"x".repeat(OSC52_MAX_BYTES + 1), Multiplexer::None).unwrap_err();
        assert!(err.to_string().contains("too long"));
    }

    #[test]
    fn osc8_urls_cannot_carry_escapes() {
        let url = osc8_url("https://example.org/a b\x1b]0;pwned\x07\u{9b}c;d").unwrap();
        assert_eq!(url, "https://example.org/a%20b%1B]0%3Bpwned%07%C2%9Bc%3Bd");
        assert!(url.bytes().all(|b| (0x21..0x7f).contains(&b)));
        assert_eq!(osc8_url("javascript:alert(1)"), None);
        assert_eq!(osc8_url(""), None);
        assert_eq!(
            osc8_url(&format!("https://x/{}", "a".repeat(OSC8_MAX_URL))),
            None
        );
        let seq = osc8(&url, "text");
        assert_eq!(
            seq.matches('\x1b').count(),
            4,
            "only the sequence's own ESCs"
        );
    }

    #[test]
    fn clean_urls_keep_valid_ones_and_encode_the_rest() {
        assert_eq!(
            clean_url("https://example.org/a?b=c;d#e"),
            "https://example.org/a?b=c;d#e"
        );
        assert_eq!(
            clean_url("https://x/\x1b]0;t\x07\u{202e}"),
            "https://x/%1B]0;t%07%E2%80%AE"
        );
    }

    #[test]
    fn osc8_support_is_only_assumed_for_known_terminals() {
        assert!(supports_osc8(env(&[("TERM", "xterm-kitty")])));
        assert!(supports_osc8(env(&[("VTE_VERSION", "7200")])));
        assert!(!supports_osc8(env(&[("TERM", "xterm-256color")])));
        assert!(!supports_osc8(env(&[
            ("TERM", "xterm-kitty"),
            ("TMUX", "x")
        ])));
    }

    #[test]
    fn detects_the_multiplexer() {
        assert_eq!(
            Multiplexer::detect(env(&[("TMUX", "/tmp/x,1,0")])),
            Multiplexer::Tmux
        );
        assert_eq!(
            Multiplexer::detect(env(&[("STY", "1.pts")])),
            Multiplexer::Screen
        );
        assert_eq!(Multiplexer::detect(env(&[])), Multiplexer::None);
    }
}
