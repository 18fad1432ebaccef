//! Colour words and colour depth: parsing `#rrggbb` / ANSI names / indices, detecting what
//! the terminal can show from an environment snapshot, and mapping colours down to it.
//!
//! Pure functions; no IO.

use ratatui::style::Color;

use crate::config::Env;

/// How many colours the terminal can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColorDepth {
    /// No colour codes at all (`NO_COLOR`, `TERM=dumb`): only bold, underline, reverse, dim.
    None,
    /// The 16 ANSI colours.
    Ansi16,
    /// The xterm 256-colour palette.
    Ansi256,
    /// 24-bit colour.
    TrueColor,
}

impl ColorDepth {
    /// What the environment says the terminal supports.
    ///
    /// `NO_COLOR` (set and not empty) wins; then `COLORTERM=truecolor|24bit` (or a `TERM`
    /// ending in `-direct`) means 24-bit; a `TERM` containing `256color` means 256; `dumb`
    /// means none; any other `TERM` (`xterm`, `linux`, `screen`, `vt100`, unset) means 16.
    #[must_use]
    pub fn detect(env: &Env) -> Self {
        if env.get("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return Self::None;
        }
        let term = env.get("TERM").unwrap_or("").to_ascii_lowercase();
        if term == "dumb" {
            return Self::None;
        }
        let colorterm = env.get("COLORTERM").unwrap_or("").to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" || term.ends_with("-direct") {
            return Self::TrueColor;
        }
        if term.contains("256color") {
            Self::Ansi256
        } else {
            Self::Ansi16
        }
    }

    /// The name used by the `colors` setting and `threadr config`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Ansi16 => "16",
            Self::Ansi256 => "256",
            Self::TrueColor => "truecolor",
        }
    }

    /// Looks a depth up by its setting name (`none`, `16`, `256`, `truecolor`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "none" => Some(Self::None),
            "16" => Some(Self::Ansi16),
            "256" => Some(Self::Ansi256),
            "truecolor" | "24bit" => Some(Self::TrueColor),
            _ => None,
        }
    }

    /// Maps one colour to this depth (`None` at [`ColorDepth::None`]).
    #[must_use]
    pub fn map(self, color: Color) -> Option<Color> {
        match self {
            Self::None => None,
            Self::TrueColor => Some(color),
            Self::Ansi256 => Some(match color {
                Color::Rgb(r, g, b) => Color::Indexed(nearest((r, g, b), 16..=255)),
                other => other,
            }),
            Self::Ansi16 => Some(match color {
                Color::Rgb(r, g, b) => ANSI16[usize::from(to_ansi16((r, g, b)))],
                Color::Indexed(i) if i < 16 => ANSI16[usize::from(i)],
                Color::Indexed(i) => ANSI16[usize::from(to_ansi16(xterm_rgb(i)))],
                other => other,
            }),
        }
    }
}

/// The 16 ANSI colours in index order, as ratatui names them.
const ANSI16: [Color; 16] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// The colour names accepted in theme files, in ANSI index order.
pub const ANSI_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "bright-black",
    "bright-red",
    "bright-green",
    "bright-yellow",
    "bright-blue",
    "bright-magenta",
    "bright-cyan",
    "bright-white",
];

/// xterm's default values for the first 16 colours (terminals differ; these are a guide).
const XTERM16: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The RGB value of an xterm palette index.
#[must_use]
pub fn xterm_rgb(index: u8) -> (u8, u8, u8) {
    match index {
        0..=15 => XTERM16[usize::from(index)],
        16..=231 => {
            let i = index - 16;
            (
                CUBE[usize::from(i / 36)],
                CUBE[usize::from(i / 6 % 6)],
                CUBE[usize::from(i % 6)],
            )
        }
        _ => {
            let v = 8 + 10 * (index - 232);
            (v, v, v)
        }
    }
}

/// The palette index in `range` closest to `rgb`, by the "redmean" weighted distance (a
/// cheap approximation of perceived difference).
fn nearest(rgb: (u8, u8, u8), range: std::ops::RangeInclusive<u8>) -> u8 {
    let mut best = *range.start();
    let mut best_d = i64::MAX;
    for i in range {
        let d = distance(rgb, xterm_rgb(i));
        if d < best_d {
            best = i;
            best_d = d;
        }
    }
    best
}

/// The ANSI colour (0-15) for an RGB value, keeping its hue: the 16 colours' real values
/// are the terminal's choice, so nearest-by-distance would turn every pastel accent grey.
/// Very dark colours become black, unsaturated ones a grey by lightness, the rest the
/// nearest of the six hues, bright when light.
fn to_ansi16((r, g, b): (u8, u8, u8)) -> u8 {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let chroma = max - min;
    let lightness = i32::midpoint(max, min);
    if max < 70 {
        return 0;
    }
    if chroma < 48 {
        return match lightness {
            ..48 => 0,
            48..140 => 8,
            140..210 => 7,
            _ => 15,
        };
    }
    // Hue in degrees, 0 = red.
    let hue = if max == r {
        (60 * (g - b) / chroma).rem_euclid(360)
    } else if max == g {
        60 * (b - r) / chroma + 120
    } else {
        60 * (r - g) / chroma + 240
    };
    // ANSI order: red 1, yellow 3, green 2, cyan 6, blue 4, magenta 5 at 0, 60, ... 300.
    let base = [1u8, 3, 2, 6, 4, 5][((hue + 30) / 60 % 6) as usize];
    if max > 230 || lightness >= 150 {
        base + 8
    } else {
        base
    }
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> i64 {
    let rmean = i64::midpoint(i64::from(a.0), i64::from(b.0));
    let dr = i64::from(a.0) - i64::from(b.0);
    let dg = i64::from(a.1) - i64::from(b.1);
    let db = i64::from(a.2) - i64::from(b.2);
    (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8)
}

/// Parses a literal colour word: `#rrggbb`, `#rgb`, an ANSI name (`red`, `bright-blue`),
/// `reset` (the terminal's own colour), or a palette index `0`-`255`. Palette names are
/// resolved by the caller before this.
///
/// # Errors
/// A message saying what the word is not.
pub fn parse_color(word: &str) -> Result<Color, String> {
    let lower = word.to_ascii_lowercase();
    if lower == "reset" {
        return Ok(Color::Reset);
    }
    if let Some(i) = ANSI_NAMES.iter().position(|n| *n == lower) {
        return Ok(ANSI16[i]);
    }
    if let Some(hex) = lower.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("\"{word}\" is not a hex colour (expected #rrggbb)"))?;
        return match digits.as_slice() {
            [r, g, b] => Ok(Color::Rgb(r * 17, g * 17, b * 17)),
            [r1, r2, g1, g2, b1, b2] => Ok(Color::Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
            _ => Err(format!(
                "\"{word}\" is not a hex colour (expected #rrggbb or #rgb)"
            )),
        };
    }
    if !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit()) {
        return lower
            .parse::<u8>()
            .map(Color::Indexed)
            .map_err(|_| format!("colour index {word} is out of range (0-255)"));
    }
    Err(format!(
        "unknown colour \"{word}\" (not in [palette]; expected #rrggbb, 0-255, reset, or one of {})",
        ANSI_NAMES.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn detection_follows_the_environment() {
        assert_eq!(
            ColorDepth::detect(&env(&[
                ("COLORTERM", "truecolor"),
                ("TERM", "xterm-256color")
            ])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(&env(&[("COLORTERM", "24bit"), ("TERM", "xterm")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            ColorDepth::detect(&env(&[("TERM", "screen-256color")])),
            ColorDepth::Ansi256
        );
        for term in ["xterm", "linux", "screen", "vt100"] {
            assert_eq!(
                ColorDepth::detect(&env(&[("TERM", term)])),
                ColorDepth::Ansi16,
                "{term}"
            );
        }
        assert_eq!(ColorDepth::detect(&env(&[])), ColorDepth::Ansi16);
        assert_eq!(
            ColorDepth::detect(&env(&[("TERM", "dumb"), ("COLORTERM", "truecolor")])),
            ColorDepth::None
        );
        assert_eq!(
            ColorDepth::detect(&env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
            ColorDepth::None
        );
        // no-color.org: an empty NO_COLOR does not count.
        assert_eq!(
            ColorDepth::detect(&env(&[("NO_COLOR", ""), ("TERM", "xterm-256color")])),
            ColorDepth::Ansi256
        );
    }

    #[test]
    fn colours_parse() {
        assert_eq!(parse_color("#ff8000"), Ok(Color::Rgb(255, 128, 0)));
        assert_eq!(parse_color("#F80"), Ok(Color::Rgb(255, 136, 0)));
        assert_eq!(parse_color("bright-blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("white"), Ok(Color::Gray));
        assert_eq!(parse_color("bright-white"), Ok(Color::White));
        assert_eq!(parse_color("Reset"), Ok(Color::Reset));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
        assert!(parse_color("256").unwrap_err().contains("out of range"));
        assert!(parse_color("#12345").is_err());
        assert!(parse_color("#gg0000").is_err());
        assert!(
            parse_color("purple")
                .unwrap_err()
                .contains("unknown colour \"purple\"")
        );
    }

    #[test]
    fn depth_mapping_goes_down_the_ladder() {
        let orange = Color::Rgb(255, 135, 0);
        assert_eq!(ColorDepth::TrueColor.map(orange), Some(orange));
        assert_eq!(ColorDepth::Ansi256.map(orange), Some(Color::Indexed(208)));
        assert_eq!(ColorDepth::Ansi16.map(orange), Some(Color::LightYellow));
        assert_eq!(ColorDepth::None.map(orange), None);
        // Exact cube and grey entries map to themselves.
        for i in 16..=255u8 {
            let (r, g, b) = xterm_rgb(i);
            assert_eq!(
                ColorDepth::Ansi256.map(Color::Rgb(r, g, b)),
                Some(Color::Indexed(i))
            );
        }
        assert_eq!(
            ColorDepth::Ansi256.map(Color::Rgb(0x28, 0x28, 0x28)),
            Some(Color::Indexed(235))
        );
        assert_eq!(
            ColorDepth::Ansi16.map(Color::Indexed(196)),
            Some(Color::LightRed)
        );
        assert_eq!(ColorDepth::Ansi16.map(Color::Indexed(4)), Some(Color::Blue));
        assert_eq!(
            ColorDepth::Ansi16.map(Color::Rgb(10, 10, 10)),
            Some(Color::Black)
        );
        // Hue survives: pastel green is bright green, not grey; dark teal is black.
        let m = |r, g, b| ColorDepth::Ansi16.map(Color::Rgb(r, g, b)).unwrap();
        assert_eq!(m(0x93, 0xd1, 0x8c), Color::LightGreen);
        assert_eq!(m(0x4e, 0x9a, 0x06), Color::Green);
        assert_eq!(m(0x85, 0x99, 0x00), Color::Yellow);
        assert_eq!(m(0x33, 0x66, 0xff), Color::LightBlue);
        assert_eq!(m(0x26, 0x8b, 0xd2), Color::Cyan);
        assert_eq!(m(0xdd, 0x44, 0xdd), Color::Magenta);
        assert_eq!(m(0xd3, 0x36, 0x82), Color::Red);
        assert_eq!(m(0x00, 0x2b, 0x36), Color::Black);
        assert_eq!(m(0x3b, 0x43, 0x52), Color::DarkGray);
        assert_eq!(m(0xd3, 0xd7, 0xde), Color::White);
        assert_eq!(m(0x8a, 0x93, 0xa1), Color::Gray);
        assert_eq!(m(0x2a, 0xa1, 0x98), Color::Cyan);
        assert_eq!(ColorDepth::Ansi16.map(Color::Reset), Some(Color::Reset));
        assert_eq!(ColorDepth::Ansi256.map(Color::Red), Some(Color::Red));
    }
}
