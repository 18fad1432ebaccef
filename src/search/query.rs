//! A compiled query: the text as typed, its folded form, smart case, and the matcher
//! (a substring finder, or a regex compiled against folded text).

use std::ops::Range;

use memchr::memmem;
use regex::{Regex, RegexBuilder};
use regex_syntax::ast::{self, Ast, ClassSetItem};

use super::fold::{fold, fold_into, map_end, map_start};

/// Why a query could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The regex does not parse or is too big; the message is one short line.
    #[error("invalid regex: {0}")]
    Regex(String),
}

/// How a query matches.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// Substring search for the folded query.
    Literal(Box<memmem::Finder<'static>>),
    /// A regex over folded text.
    Regex(Regex),
}

/// A query ready to run: see the module header of [`crate::search`] for the rules.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    folded: String,
    case_sensitive: bool,
    pub(crate) matcher: Matcher,
}

impl Query {
    /// Compiles `text` as typed; `regex` is the prompt's regex toggle.
    /// `Ok(None)` for an empty query (no search).
    pub fn new(text: &str, regex: bool) -> Result<Option<Self>, QueryError> {
        if text.is_empty() {
            return Ok(None);
        }
        if regex {
            let case_sensitive = regex_has_uppercase(text)?;
            // Fold accents in the pattern like in the text; case is handled by the flag so
            // escapes such as `\W` keep their meaning.
            let folded = fold(text, false);
            let re = RegexBuilder::new(&folded)
                .case_insensitive(!case_sensitive)
                .multi_line(true)
                .build()
                .map_err(|e| QueryError::Regex(short_regex_error(&e)))?;
            return Ok(Some(Self {
                text: text.to_owned(),
                folded,
                case_sensitive,
                matcher: Matcher::Regex(re),
            }));
        }
        let case_sensitive = text.chars().any(char::is_uppercase);
        let folded = fold(text, !case_sensitive);
        if folded.is_empty() {
            // Only combining marks: nothing left to look for.
            return Ok(None);
        }
        let finder = Box::new(memmem::Finder::new(folded.as_bytes()).into_owned());
        Ok(Some(Self {
            text: text.to_owned(),
            folded,
            case_sensitive,
            matcher: Matcher::Literal(finder),
        }))
    }

    /// The query as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the query contains a capital (smart case), so case must match.
    pub fn is_case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// True for a regex query.
    pub fn is_regex(&self) -> bool {
        matches!(self.matcher, Matcher::Regex(_))
    }

    /// The query as matched: accents folded, lowercased unless case-sensitive.
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// True when every match of `next` lies inside text matched by `self`: both literal, same
    /// case mode, and `next`'s folded text extends `self`'s. Then only documents that matched
    /// `self` can match `next`.
    pub fn is_refined_by(&self, next: &Query) -> bool {
        !self.is_regex()
            && !next.is_regex()
            && self.case_sensitive == next.case_sensitive
            && next.folded.starts_with(&self.folded)
    }

    /// Same query, same mode: its results can be reused as they are.
    pub(crate) fn same_as(&self, other: &Query) -> bool {
        self.is_regex() == other.is_regex()
            && self.case_sensitive == other.case_sensitive
            && self.folded == other.folded
    }

    /// Finds the first non-empty match in `hay[from..]`, as folded byte offsets.
    pub(crate) fn find_at(&self, hay: &str, from: usize) -> Option<Range<usize>> {
        match &self.matcher {
            Matcher::Literal(f) => f
                .find(&hay.as_bytes()[from..])
                .map(|s| from + s..from + s + self.folded.len()),
            Matcher::Regex(re) => {
                let mut at = from;
                loop {
                    let m = re.find_at(hay, at)?;
                    if !m.range().is_empty() {
                        return Some(m.range());
                    }
                    // Empty matches are not reported; look again one character on.
                    at = m.end() + hay[m.end()..].chars().next()?.len_utf8();
                }
            }
        }
    }

    /// Byte ranges of matches in one line of display text (sanitised, maybe a wrapped
    /// fragment), by the same rules as the thread search: for highlighting what is shown.
    /// Regex anchors apply to this line, not to the block it came from.
    pub fn highlight_line(&self, line: &str) -> Vec<Range<usize>> {
        let mut folded = String::with_capacity(line.len());
        let mut map = Vec::new();
        fold_into(line, !self.case_sensitive, &mut folded, &mut map);
        let mut out = Vec::new();
        let mut at = 0;
        while at < folded.len() {
            let Some(m) = self.find_at(&folded, at) else {
                break;
            };
            out.push(map_start(&map, m.start)..map_end(&map, m.end));
            at = m.end;
        }
        out
    }
}

/// Smart case for a regex: case-sensitive when a literal character of the pattern (not an
/// escape such as `\W`) is uppercase, or when the pattern names a case class (`\p{Lu}`,
/// `\p{Lowercase}`, `[[:upper:]]`): ignoring case would make those match every letter.
fn is_case_class_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        n.as_str(),
        "lu" | "ll"
            | "lt"
            | "lc"
            | "upper"
            | "lower"
            | "uppercase"
            | "lowercase"
            | "uppercaseletter"
            | "lowercaseletter"
            | "titlecaseletter"
            | "casedletter"
            | "cased"
    )
}

fn is_case_class(c: &ast::ClassUnicode) -> bool {
    match &c.kind {
        ast::ClassUnicodeKind::OneLetter(_) => false,
        ast::ClassUnicodeKind::Named(name) => is_case_class_name(name),
        ast::ClassUnicodeKind::NamedValue { value, .. } => is_case_class_name(value),
    }
}

/// See [`is_case_class_name`].
fn regex_has_uppercase(pattern: &str) -> Result<bool, QueryError> {
    struct Upper(bool);
    impl ast::Visitor for Upper {
        type Output = bool;
        type Err = std::convert::Infallible;
        fn finish(self) -> Result<bool, Self::Err> {
            Ok(self.0)
        }
        fn visit_pre(&mut self, ast: &Ast) -> Result<(), Self::Err> {
            match ast {
                Ast::Literal(l) => self.0 |= l.c.is_uppercase(),
                Ast::ClassUnicode(c) => self.0 |= is_case_class(c),
                _ => {}
            }
            Ok(())
        }
        fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), Self::Err> {
            match item {
                ClassSetItem::Literal(l) => self.0 |= l.c.is_uppercase(),
                ClassSetItem::Range(r) => {
                    self.0 |= r.start.c.is_uppercase() || r.end.c.is_uppercase();
                }
                ClassSetItem::Unicode(c) => self.0 |= is_case_class(c),
                ClassSetItem::Ascii(a) => {
                    self.0 |= matches!(
                        a.kind,
                        ast::ClassAsciiKind::Upper | ast::ClassAsciiKind::Lower
                    );
                }
                _ => {}
            }
            Ok(())
        }
    }
    let parsed = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| QueryError::Regex(first_error_line(&e.to_string())))?;
    Ok(ast::visit(&parsed, Upper(false)).unwrap_or(false))
}

/// The regex crate's messages span several lines (pattern, caret, error); keep the error.
fn short_regex_error(e: &regex::Error) -> String {
    first_error_line(&e.to_string())
}

fn first_error_line(msg: &str) -> String {
    let line = msg
        .lines()
        .find_map(|l| l.trim().strip_prefix("error:"))
        .or_else(|| msg.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("unknown error");
    crate::text::sanitize_line(line.trim()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str, regex: bool) -> Query {
        Query::new(text, regex).unwrap().unwrap()
    }

    #[test]
    fn smart_case_literal() {
        assert!(!q("maria", false).is_case_sensitive());
        assert!(q("María", false).is_case_sensitive());
        assert_eq!(q("María", false).folded(), "Maria");
        assert_eq!(q("acción", false).folded(), "accion");
    }

    #[test]
    fn smart_case_regex_ignores_escapes() {
        assert!(!q(r"\W\S\d\pL", true).is_case_sensitive());
        // A case class is a request for case: it makes the search case-sensitive.
        for p in [
            r"\p{Lu}",
            r"\p{Lowercase}",
            r"x\P{ll}",
            r"[[:upper:]]",
            r"[\p{Lu}x]",
        ] {
            assert!(q(p, true).is_case_sensitive(), "{p}");
        }
        assert!(q(r"[A-Z]x", true).is_case_sensitive());
        assert!(q(r"foo|Bar", true).is_case_sensitive());
    }

    #[test]
    fn empty_and_invalid() {
        assert!(Query::new("", false).unwrap().is_none());
        assert!(Query::new("", true).unwrap().is_none());
        let err = Query::new("(unclosed", true).unwrap_err();
        let QueryError::Regex(msg) = &err;
        assert!(!msg.contains('\n'), "{msg}");
        assert!(!msg.is_empty());
        assert!(Query::new("a{99999999}", true).is_err());
    }

    #[test]
    fn highlight_line_maps_back() {
        let line = "La Acción de María, acción.";
        let got: Vec<&str> = q("accion", false)
            .highlight_line(line)
            .into_iter()
            .map(|r| &line[r])
            .collect();
        assert_eq!(got, ["Acción", "acción"]);
        let got: Vec<&str> = q("Acci", false)
            .highlight_line(line)
            .into_iter()
            .map(|r| &line[r])
            .collect();
        assert_eq!(got, ["Acci"]);
        let got: Vec<&str> = q(r"\bmar\w+", true)
            .highlight_line(line)
            .into_iter()
            .map(|r| &line[r])
            .collect();
        assert_eq!(got, ["María"]);
        assert!(q("a*", true).highlight_line("bbb").is_empty());
    }
}
