//! Reading theme files: lookup by name or path, parsing with line numbers, inheritance,
//! palette resolution. Reads files; never falls back silently.
//!
//! Walked, not serde-derived as `config.toml` is: a theme's keys are the data in
//! [`super::STYLE_KEYS`] (one list for the loader, the README and `threadr themes`), so a
//! derived struct would be a second copy of it. "Did you mean" is the config's
//! ([`crate::config::did_you_mean`], `strsim`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::{Color, Style};
use toml::de::DeTable;

use super::color::parse_color;
use super::style::{MODIFIER_WORDS, StyleSpec, color_word, parse_style};
use super::{DEPTH_KEY, STYLE_KEYS, Styles, ThemeInfo, ThemeOrigin};
use crate::config::line_of;

/// The bundled themes: (name, file text), embedded from `themes/` at the top of the repo.
pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "solarized-dark",
        include_str!("../../themes/solarized-dark.toml"),
    ),
    ("gruvbox", include_str!("../../themes/gruvbox.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// A problem with a theme, located as precisely as known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ThemeError {
    /// The file (`themes/dark.toml (bundled)`, a path), or the name asked for.
    pub file: String,
    /// 1-based line in that file, when the problem is in one place.
    pub line: Option<usize>,
    /// The key at fault (`tree.selected`, `palette.accent`, `inherits`).
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A theme file's text and how to name it.
struct Source {
    name: String,
    label: String,
    text: String,
    user: bool,
}

/// Where an entry was written.
#[derive(Clone)]
struct Loc {
    file: String,
    line: usize,
}

#[derive(Clone)]
enum StyleValue {
    One(StyleSpec),
    List(Vec<StyleSpec>),
}

/// One parsed file, before inheritance.
struct ThemeFile {
    inherits: Option<(String, Loc)>,
    palette: BTreeMap<String, (Color, Loc)>,
    styles: BTreeMap<String, (StyleValue, Loc)>,
}

fn themes_dir(config_dir: Option<&Path>) -> Option<PathBuf> {
    config_dir.map(|d| d.join("themes"))
}

fn bundled(name: &str) -> Option<Source> {
    BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| Source {
            name: (*n).to_string(),
            label: format!("themes/{n}.toml (bundled)"),
            text: (*text).to_string(),
            user: false,
        })
}

fn is_path(s: &str) -> bool {
    s.contains('/')
        || s.contains('\\')
        || Path::new(s)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn read_source(path: &Path, user: bool) -> Result<Source, ThemeError> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ThemeError {
        file: label.clone(),
        line: None,
        key: None,
        message: format!("cannot read the file: {e}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ThemeError {
        file: label.clone(),
        line: None,
        key: None,
        message: "is not UTF-8 text".to_string(),
    })?;
    let name = path
        .file_stem()
        .map_or_else(|| label.clone(), |s| s.to_string_lossy().into_owned());
    Ok(Source {
        name,
        label,
        text,
        user,
    })
}

/// Finds a theme by name (user folder first, then bundled) or by path.
fn find(name_or_path: &str, config_dir: Option<&Path>) -> Result<Source, ThemeError> {
    if is_path(name_or_path) {
        return read_source(Path::new(name_or_path), true);
    }
    if !valid_name(name_or_path) {
        return Err(ThemeError {
            file: format!("theme \"{name_or_path}\""),
            line: None,
            key: None,
            message: "a theme name has only letters, digits, '-' and '_' (or give a path to a .toml file)".to_string(),
        });
    }
    if let Some(dir) = themes_dir(config_dir) {
        let path = dir.join(format!("{name_or_path}.toml"));
        if path.is_file() {
            return read_source(&path, true);
        }
    }
    bundled(name_or_path).ok_or_else(|| ThemeError {
        file: format!("theme \"{name_or_path}\""),
        line: None,
        key: None,
        message: format!(
            "no such theme (bundled: {}{}); `threadr themes` lists them",
            BUNDLED
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
            themes_dir(config_dir)
                .map(|d| format!("; user themes go in {}", d.display()))
                .unwrap_or_default()
        ),
    })
}

fn err(src: &Source, offset: Option<usize>, key: Option<&str>, message: String) -> ThemeError {
    ThemeError {
        file: src.label.clone(),
        line: offset.map(|o| line_of(&src.text, o)),
        key: key.map(str::to_string),
        message,
    }
}

fn parse(src: &Source) -> Result<ThemeFile, ThemeError> {
    let doc = DeTable::parse(&src.text).map_err(|e| {
        err(
            src,
            e.span().map(|s| s.start),
            None,
            format!("not valid TOML: {}", e.message().trim()),
        )
    })?;
    let mut file = ThemeFile {
        inherits: None,
        palette: BTreeMap::new(),
        styles: BTreeMap::new(),
    };
    let loc = |offset: usize| Loc {
        file: src.label.clone(),
        line: line_of(&src.text, offset),
    };
    for (key, value) in doc.get_ref() {
        let name: &str = key.get_ref();
        let at = key.span().start;
        match name {
            "inherits" => {
                let parent = value.get_ref().as_str().ok_or_else(|| {
                    err(
                        src,
                        Some(at),
                        Some("inherits"),
                        format!(
                            "expected a theme name in quotes, found {}",
                            value.get_ref().type_str()
                        ),
                    )
                })?;
                file.inherits = Some((parent.to_string(), loc(at)));
            }
            "description" => {
                if !value.get_ref().is_str() {
                    return Err(err(
                        src,
                        Some(at),
                        Some("description"),
                        "expected a string".to_string(),
                    ));
                }
            }
            "palette" => {
                let table = value.get_ref().as_table().ok_or_else(|| {
                    err(
                        src,
                        Some(at),
                        Some("palette"),
                        "expected a table of name = \"colour\"".to_string(),
                    )
                })?;
                for (pk, pv) in table {
                    let pname: &str = pk.get_ref();
                    let key = format!("palette.{pname}");
                    let pat = pk.span().start;
                    if !valid_name(pname)
                        || pname == "on"
                        || MODIFIER_WORDS.iter().any(|(w, _)| *w == pname)
                        || pname.bytes().all(|b| b.is_ascii_digit())
                    {
                        return Err(err(
                            src,
                            Some(pat),
                            Some(&key),
                            format!(
                                "\"{pname}\" cannot be a colour name (use letters, digits, '-', '_'; not a number, \"on\" or a modifier)"
                            ),
                        ));
                    }
                    let word = color_word(pv)
                        .map_err(|m| err(src, Some(pv.span().start), Some(&key), m))?;
                    let color = parse_color(&word).map_err(|m| {
                        err(
                            src,
                            Some(pv.span().start),
                            Some(&key),
                            format!(
                                "{m} (palette entries must be colours, not other palette names)"
                            ),
                        )
                    })?;
                    file.palette.insert(pname.to_string(), (color, loc(pat)));
                }
            }
            group => {
                let Some(table) = value.get_ref().as_table() else {
                    return Err(unknown_key(src, at, group));
                };
                for (sk, sv) in table {
                    let full = format!("{group}.{}", sk.get_ref());
                    let sat = sk.span().start;
                    let style = if full == DEPTH_KEY.0 {
                        let items = sv.get_ref().as_array().ok_or_else(|| {
                            err(
                                src,
                                Some(sat),
                                Some(&full),
                                "expected a list of styles, one per depth: [\"blue\", \"green\"]"
                                    .to_string(),
                            )
                        })?;
                        if items.is_empty() {
                            return Err(err(
                                src,
                                Some(sat),
                                Some(&full),
                                "the list needs at least one style".to_string(),
                            ));
                        }
                        let specs = items
                            .iter()
                            .map(|item| {
                                parse_style(item)
                                    .map_err(|m| err(src, Some(item.span().start), Some(&full), m))
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        StyleValue::List(specs)
                    } else if STYLE_KEYS.iter().any(|(k, _)| *k == full) {
                        StyleValue::One(
                            parse_style(sv)
                                .map_err(|m| err(src, Some(sv.span().start), Some(&full), m))?,
                        )
                    } else {
                        return Err(unknown_key(src, sat, &full));
                    };
                    file.styles.insert(full, (style, loc(sat)));
                }
            }
        }
    }
    Ok(file)
}

fn unknown_key(src: &Source, at: usize, key: &str) -> ThemeError {
    let known: Vec<&str> = STYLE_KEYS
        .iter()
        .map(|(k, _)| *k)
        .chain([DEPTH_KEY.0, "inherits", "description", "palette"])
        .collect();
    err(
        src,
        Some(at),
        Some(key),
        format!(
            "unknown key{}; the README lists every theme key",
            crate::config::did_you_mean(key, &known)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default()
        ),
    )
}

/// Loads, follows `inherits`, merges and resolves: (name, source label, styles).
pub(super) fn load(
    name_or_path: &str,
    config_dir: Option<&Path>,
) -> Result<(String, String, Styles), ThemeError> {
    let leaf = find(name_or_path, config_dir)?;
    let (name, label) = (leaf.name.clone(), leaf.label.clone());
    // The chain, leaf first. Iterative: a long chain cannot overflow the stack.
    let mut chain: Vec<(Source, ThemeFile)> = Vec::new();
    let mut next = Some(leaf);
    while let Some(src) = next.take() {
        let parsed = parse(&src)?;
        if let Some((parent, loc)) = &parsed.inherits {
            let at = |message: String| ThemeError {
                file: loc.file.clone(),
                line: Some(loc.line),
                key: Some("inherits".to_string()),
                message,
            };
            if is_path(parent) || !valid_name(parent) {
                return Err(at(format!(
                    "\"{parent}\" is not a theme name (inherits takes a name, not a path)"
                )));
            }
            // A user theme named like a bundled one may extend it: `default.toml` with
            // `inherits = "default"` means the bundled default, not itself.
            let parent_src = if src.user && *parent == src.name {
                bundled(parent).ok_or_else(|| {
                    at(format!(
                        "\"{parent}\" inherits itself and there is no bundled theme of that name"
                    ))
                })?
            } else {
                find(parent, config_dir).map_err(|e| {
                    at(format!(
                        "parent theme \"{parent}\" not found: {}",
                        e.message
                    ))
                })?
            };
            let seen = |s: &Source| s.label == parent_src.label;
            if seen(&src) || chain.iter().any(|(s, _)| seen(s)) {
                let mut names: Vec<&str> = chain.iter().map(|(s, _)| s.name.as_str()).collect();
                names.push(&src.name);
                names.push(parent);
                return Err(at(format!("inheritance cycle: {}", names.join(" -> "))));
            }
            next = Some(parent_src);
        }
        chain.push((src, parsed));
    }
    // Merge root first so children override.
    let mut palette: BTreeMap<String, (Color, Loc)> = BTreeMap::new();
    let mut styles: BTreeMap<String, (StyleValue, Loc)> = BTreeMap::new();
    for (_, file) in chain.into_iter().rev() {
        palette.extend(file.palette);
        styles.extend(file.styles);
    }
    let mut missing: Vec<&str> = STYLE_KEYS
        .iter()
        .map(|(k, _)| *k)
        .chain([DEPTH_KEY.0])
        .filter(|k| !styles.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        let first = missing.remove(0);
        return Err(ThemeError {
            file: label,
            line: None,
            key: Some(first.to_string()),
            message: format!(
                "not defined{}; define every key or start with inherits = \"default\"",
                if missing.is_empty() {
                    String::new()
                } else {
                    format!(" (nor are {})", missing.join(", "))
                }
            ),
        });
    }
    let mut out = Styles::default();
    for (key, (value, loc)) in &styles {
        let resolve = |spec: &StyleSpec| resolve_style(spec, &palette, key, loc);
        match value {
            StyleValue::List(specs) => {
                out.tree.depth = specs.iter().map(resolve).collect::<Result<_, _>>()?;
            }
            StyleValue::One(spec) => {
                let style = resolve(spec)?;
                if let Some(slot) = out.slot_mut(key) {
                    *slot = style;
                }
            }
        }
    }
    Ok((name, label, out))
}

fn resolve_style(
    spec: &StyleSpec,
    palette: &BTreeMap<String, (Color, Loc)>,
    key: &str,
    loc: &Loc,
) -> Result<Style, ThemeError> {
    let color = |word: &str| -> Result<Color, ThemeError> {
        if let Some((c, _)) = palette.get(word) {
            return Ok(*c);
        }
        parse_color(word).map_err(|message| ThemeError {
            file: loc.file.clone(),
            line: Some(loc.line),
            key: Some(key.to_string()),
            message,
        })
    };
    let mut style = Style::default();
    if let Some(fg) = &spec.fg {
        style = style.fg(color(fg)?);
    }
    if let Some(bg) = &spec.bg {
        style = style.bg(color(bg)?);
    }
    Ok(style.add_modifier(spec.add).remove_modifier(spec.sub))
}

/// See [`super::Theme::list`].
pub(super) fn list(config_dir: Option<&Path>) -> Result<Vec<ThemeInfo>, ThemeError> {
    let mut out: Vec<ThemeInfo> = BUNDLED
        .iter()
        .map(|(n, _)| ThemeInfo {
            name: (*n).to_string(),
            origin: ThemeOrigin::Bundled,
        })
        .collect();
    if let Some(dir) = themes_dir(config_dir) {
        match std::fs::read_dir(&dir) {
            Ok(entries) => {
                let mut paths: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                    .collect();
                paths.sort();
                for path in paths {
                    let Some(name) = path.file_stem().map(|s| s.to_string_lossy().into_owned())
                    else {
                        continue;
                    };
                    let overrides = BUNDLED.iter().any(|(n, _)| *n == name);
                    out.retain(|t| t.name != name);
                    out.push(ThemeInfo {
                        name,
                        origin: ThemeOrigin::User { path, overrides },
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ThemeError {
                    file: dir.display().to_string(),
                    line: None,
                    key: None,
                    message: format!("cannot list the theme folder: {e}"),
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
