//! `[[rules]]` in `config.toml`: conditions on a comment and what to do with the ones that
//! meet them (hide, fold, dim, mark).
//!
//! Owns parsing a rule with located errors (file, line, key) and deciding whether one
//! comment meets it. Must not: change any view state (the app applies the verdicts), or
//! recurse over the thread.

use std::fmt::Write as _;

use regex::Regex;
use toml::de::DeValue;

use super::{ConfigError, line_of};
use crate::model::Comment;

/// What a rule does to the comments that meet it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleAction {
    /// Leave the tree, with the whole subtree.
    Hide,
    /// Start folded.
    Fold,
    /// Drawn dimmed.
    Dim,
    /// Carry a marker.
    Mark,
}

impl RuleAction {
    /// The name in `config.toml`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Hide => "hide",
            Self::Fold => "fold",
            Self::Dim => "dim",
            Self::Mark => "mark",
        }
    }
}

/// One `[[rules]]` entry. Every condition given must hold; a rule with none is refused.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The author's exact name.
    pub author: Option<String>,
    /// A pattern the author's name must contain a match of.
    pub author_regex: Option<Regex>,
    /// A pattern the comment's text must contain a match of.
    pub text_regex: Option<Regex>,
    /// The score must be known and below this.
    pub score_below: Option<i64>,
    /// The depth (0 for top-level comments) must be above this.
    pub depth_over: Option<u32>,
    /// What to do.
    pub action: RuleAction,
    /// The line of `[[rules]]` in the file, for messages.
    pub line: usize,
}

const FIELDS: &str = "author, author_regex, text_regex, score_below, depth_over, action";

impl Rule {
    /// Whether `c` meets every condition of the rule.
    #[must_use]
    pub fn matches(&self, c: &Comment) -> bool {
        let author = c.author.as_deref();
        if let Some(a) = &self.author
            && author != Some(a.as_str())
        {
            return false;
        }
        if let Some(r) = &self.author_regex
            && !author.is_some_and(|a| r.is_match(a))
        {
            return false;
        }
        if let Some(s) = self.score_below
            && c.score.is_none_or(|v| v >= s)
        {
            return false;
        }
        if let Some(d) = self.depth_over
            && c.depth <= d
        {
            return false;
        }
        if let Some(r) = &self.text_regex
            && !c.body.blocks.iter().any(|b| r.is_match(&b.text))
        {
            return false;
        }
        true
    }

    /// The rule as it would be written in `config.toml` (for `threadr config`).
    #[must_use]
    pub fn describe(&self) -> String {
        let q =
            |s: &str| toml::Value::String(crate::text::sanitize_line(s).into_owned()).to_string();
        let mut out = String::from("[[rules]]\n");
        if let Some(a) = &self.author {
            let _ = writeln!(out, "author = {}", q(a));
        }
        if let Some(r) = &self.author_regex {
            let _ = writeln!(out, "author_regex = {}", q(r.as_str()));
        }
        if let Some(r) = &self.text_regex {
            let _ = writeln!(out, "text_regex = {}", q(r.as_str()));
        }
        if let Some(s) = self.score_below {
            let _ = writeln!(out, "score_below = {s}");
        }
        if let Some(d) = self.depth_over {
            let _ = writeln!(out, "depth_over = {d}");
        }
        let _ = writeln!(out, "action = \"{}\"", self.action.name());
        out
    }
}

/// Parses the value of `rules` (an array of tables) from `text`, named `file` in errors.
///
/// # Errors
/// A value that is not an array of tables, an unknown field, a wrong type, an invalid
/// pattern, a missing or unknown action, a rule without conditions: with file, line, key.
pub fn parse_rules(
    value: &toml::Spanned<DeValue<'_>>,
    text: &str,
    file: &str,
) -> Result<Vec<Rule>, ConfigError> {
    let err = |offset: usize, key: &str, message: String| ConfigError {
        file: file.to_string(),
        line: Some(line_of(text, offset)),
        key: Some(key.to_string()),
        message,
    };
    let DeValue::Array(items) = value.get_ref() else {
        return Err(err(
            value.span().start,
            "rules",
            "expected [[rules]] tables".to_string(),
        ));
    };
    let mut rules = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let start = item.span().start;
        let DeValue::Table(table) = item.get_ref() else {
            return Err(err(start, "rules", "expected [[rules]] tables".to_string()));
        };
        let mut rule = Rule {
            author: None,
            author_regex: None,
            text_regex: None,
            score_below: None,
            depth_over: None,
            action: RuleAction::Mark,
            line: line_of(text, start),
        };
        let mut action = None;
        for (k, v) in table {
            let name: &str = k.get_ref();
            let key = format!("[[rules]] #{} {name}", n + 1);
            let at = |m: String| err(k.span().start, &key, m);
            let string = || {
                v.get_ref().as_str().map(str::to_string).ok_or_else(|| {
                    at(format!(
                        "expected text in quotes, found {}",
                        v.get_ref().type_str()
                    ))
                })
            };
            let integer = || {
                v.get_ref()
                    .as_integer()
                    .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
                    .ok_or_else(|| {
                        at(format!(
                            "expected a whole number, found {}",
                            v.get_ref().type_str()
                        ))
                    })
            };
            let pattern = |s: String| {
                regex::RegexBuilder::new(&s)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| at(format!("invalid pattern: {}", one_line(&e.to_string()))))
            };
            match name {
                "author" => rule.author = Some(string()?),
                "author_regex" => rule.author_regex = Some(pattern(string()?)?),
                "text_regex" => rule.text_regex = Some(pattern(string()?)?),
                "score_below" => rule.score_below = Some(integer()?),
                "depth_over" => {
                    let d = integer()?;
                    rule.depth_over = Some(
                        u32::try_from(d)
                            .map_err(|_| at(format!("{d} is not a depth (0 or more)")))?,
                    );
                }
                "action" => {
                    let s = string()?;
                    action = Some(match s.as_str() {
                        "hide" => RuleAction::Hide,
                        "fold" => RuleAction::Fold,
                        "dim" => RuleAction::Dim,
                        "mark" => RuleAction::Mark,
                        _ => {
                            return Err(at(format!(
                                "unknown action \"{}\" (expected hide, fold, dim or mark)",
                                crate::text::sanitize_line(&s)
                            )));
                        }
                    });
                }
                _ => return Err(at(format!("unknown field (known: {FIELDS})"))),
            }
        }
        let key = format!("[[rules]] #{}", n + 1);
        rule.action = action.ok_or_else(|| {
            err(
                start,
                &key,
                "has no action (action = \"hide\", \"fold\", \"dim\" or \"mark\")".to_string(),
            )
        })?;
        if rule.author.is_none()
            && rule.author_regex.is_none()
            && rule.text_regex.is_none()
            && rule.score_below.is_none()
            && rule.depth_over.is_none()
        {
            return Err(err(
                start,
                &key,
                format!(
                    "has no condition, so it would apply to every comment (give one of {FIELDS})"
                ),
            ));
        }
        rules.push(rule);
    }
    Ok(rules)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
