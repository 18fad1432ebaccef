//! Style values as written in theme files: the shorthand string (`"bold yellow on blue"`)
//! and the table form (`{ fg = "yellow", bold = true }`), with colours still words.

use ratatui::style::Modifier;
use toml::Spanned;
use toml::de::DeValue;

/// Words with a meaning in a style string, so not usable as palette names.
pub(super) const MODIFIER_WORDS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("italic", Modifier::ITALIC),
    ("underline", Modifier::UNDERLINED),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("reverse", Modifier::REVERSED),
    ("dim", Modifier::DIM),
    ("strikethrough", Modifier::CROSSED_OUT),
];

/// A style as written: colours still words (palette names resolve after merging).
#[derive(Clone, Default)]
pub(super) struct StyleSpec {
    pub(super) fg: Option<String>,
    pub(super) bg: Option<String>,
    pub(super) add: Modifier,
    pub(super) sub: Modifier,
}

/// A colour as written: a string, or an integer index.
pub(super) fn color_word(v: &Spanned<DeValue<'_>>) -> Result<String, String> {
    match v.get_ref() {
        DeValue::String(s) => Ok(s.to_string()),
        DeValue::Integer(i) => Ok(i64::from_str_radix(i.as_str(), i.radix())
            .map_or_else(|_| i.as_str().to_string(), |n| n.to_string())),
        other => Err(format!(
            "expected a colour (\"#rrggbb\", a name, or 0-255), found {}",
            other.type_str()
        )),
    }
}

/// Parses a style: `"bold yellow on blue"`, or `{ fg = "yellow", bold = true }`.
pub(super) fn parse_style(v: &Spanned<DeValue<'_>>) -> Result<StyleSpec, String> {
    let mut spec = StyleSpec::default();
    match v.get_ref() {
        DeValue::String(s) => {
            let mut words = s.split_whitespace();
            while let Some(w) = words.next() {
                let lw = w.to_ascii_lowercase();
                if lw == "none" {
                    continue;
                }
                if let Some((_, m)) = MODIFIER_WORDS.iter().find(|(n, _)| *n == lw) {
                    spec.add |= *m;
                } else if lw == "on" {
                    let bg = words.next().ok_or_else(|| {
                        format!("\"{s}\": \"on\" must be followed by a background colour")
                    })?;
                    if spec.bg.replace(bg.to_string()).is_some() {
                        return Err(format!("\"{s}\" names two background colours"));
                    }
                } else if spec.fg.replace(w.to_string()).is_some() {
                    return Err(format!(
                        "\"{s}\" names two foreground colours (modifiers are {}; background is \"on COLOUR\")",
                        MODIFIER_WORDS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        DeValue::Table(t) => {
            for (k, val) in t {
                let field: &str = k.get_ref();
                match field {
                    "fg" => spec.fg = Some(color_word(val)?),
                    "bg" => spec.bg = Some(color_word(val)?),
                    _ => {
                        let (_, m) = MODIFIER_WORDS
                            .iter()
                            .find(|(n, _)| *n == field)
                            .ok_or_else(|| format!(
                                "unknown style field \"{field}\" (expected fg, bg, bold, italic, underline, reversed, dim, strikethrough)"
                            ))?;
                        match val.get_ref().as_bool() {
                            Some(true) => spec.add |= *m,
                            Some(false) => spec.sub |= *m,
                            None => return Err(format!("\"{field}\" must be true or false")),
                        }
                    }
                }
            }
        }
        other => {
            return Err(format!(
                "expected a style: a string like \"bold yellow on blue\" or a table like {{ fg = \"yellow\", bold = true }}, found {}",
                other.type_str()
            ));
        }
    }
    Ok(spec)
}
