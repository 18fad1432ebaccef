//! `[[rules]]` in `config.toml`: conditions on a comment and what to do with the ones that
//! meet them (hide, fold, dim, mark).
//!
//! Owns parsing a rule with located errors (file, line, key) and deciding whether one
//! comment meets it. Must not: change any view state (the app applies the verdicts), or
//! recurse over the thread.

use std::fmt::Write as _;

use regex::Regex;
use toml::{Spanned, Value};

use super::ConfigError;
use super::located::{Located, line_of};
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

/// One `[[rules]]` table as written: serde finds unknown fields; [`parse_rules`] checks
/// each value so the message says what was expected.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    author: Option<Spanned<Value>>,
    author_regex: Option<Spanned<Value>>,
    text_regex: Option<Spanned<Value>>,
    score_below: Option<Spanned<Value>>,
    depth_over: Option<Spanned<Value>>,
    action: Option<Spanned<Value>>,
}

/// The fields of a rule, for "known: ..." (the fields of [`RuleFile`]).
pub(super) const RULE_FIELDS: &[&str] = &[
    "author",
    "author_regex",
    "text_regex",
    "score_below",
    "depth_over",
    "action",
];

/// Checks the `[[rules]]` tables of a file (`doc` names it in errors).
///
/// # Errors
/// A wrong type, an invalid pattern, a missing or unknown action, a rule without
/// conditions: with file, line, key.
pub(super) fn parse_rules(
    items: &[Spanned<RuleFile>],
    doc: &Located<'_>,
) -> Result<Vec<Rule>, ConfigError> {
    let mut rules = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let start = item.span();
        let table = item.get_ref();
        let label = |name: &str| format!("[[rules]] #{} {name}", n + 1);
        let string = |v: &Spanned<Value>, name: &str| {
            doc.expect(v, &label(name), "text in quotes", |v| {
                v.as_str().map(str::to_string)
            })
        };
        let integer = |v: &Spanned<Value>, name: &str| {
            doc.expect(v, &label(name), "a whole number", Value::as_integer)
        };
        let pattern = |v: &Spanned<Value>, name: &str| {
            let s = string(v, name)?;
            regex::RegexBuilder::new(&s)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| {
                    doc.at(
                        v.span(),
                        &label(name),
                        format!("invalid pattern: {}", one_line(&e.to_string())),
                    )
                })
        };
        let mut rule = Rule {
            author: table
                .author
                .as_ref()
                .map(|v| string(v, "author"))
                .transpose()?,
            author_regex: table
                .author_regex
                .as_ref()
                .map(|v| pattern(v, "author_regex"))
                .transpose()?,
            text_regex: table
                .text_regex
                .as_ref()
                .map(|v| pattern(v, "text_regex"))
                .transpose()?,
            score_below: table
                .score_below
                .as_ref()
                .map(|v| integer(v, "score_below"))
                .transpose()?,
            depth_over: None,
            action: RuleAction::Mark,
            line: line_of(doc.text, start.start),
        };
        if let Some(v) = &table.depth_over {
            let d = integer(v, "depth_over")?;
            rule.depth_over = Some(u32::try_from(d).map_err(|_| {
                doc.at(
                    v.span(),
                    &label("depth_over"),
                    format!("{d} is not a depth (0 or more)"),
                )
            })?);
        }
        let key = format!("[[rules]] #{}", n + 1);
        let Some(v) = &table.action else {
            return Err(doc.at(
                start,
                &key,
                "has no action (action = \"hide\", \"fold\", \"dim\" or \"mark\")".to_string(),
            ));
        };
        let s = string(v, "action")?;
        rule.action = match s.as_str() {
            "hide" => RuleAction::Hide,
            "fold" => RuleAction::Fold,
            "dim" => RuleAction::Dim,
            "mark" => RuleAction::Mark,
            _ => {
                return Err(doc.at(
                    v.span(),
                    &label("action"),
                    format!(
                        "unknown action \"{}\" (expected hide, fold, dim or mark)",
                        crate::text::sanitize_line(&s)
                    ),
                ));
            }
        };
        if rule.author.is_none()
            && rule.author_regex.is_none()
            && rule.text_regex.is_none()
            && rule.score_below.is_none()
            && rule.depth_over.is_none()
        {
            return Err(doc.at(
                start,
                &key,
                format!(
                    "has no condition, so it would apply to every comment (give one of {})",
                    RULE_FIELDS.join(", ")
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
