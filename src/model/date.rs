//! Timestamps as sources give them: seconds since the epoch, or text we could not parse.
//!
//! RFC 3339 is formatted and parsed here (UTC only on output) so the model needs no date
//! crate; the civil-date arithmetic is Howard Hinnant's `days_from_civil` algorithm.

/// When something was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    Unix(i64),
    /// A date as text that could not be parsed (for example "March 3, 2017 at 4:12 pm").
    Text(String),
}

impl Timestamp {
    /// Parses RFC 3339 (`2017-08-11T14:03:00Z`, with offset or fraction), else keeps text.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        parse_rfc3339(text.trim()).map_or_else(|| Self::Text(text.to_string()), Self::Unix)
    }

    /// Seconds since the epoch when known.
    #[must_use]
    pub fn unix(&self) -> Option<i64> {
        match self {
            Self::Unix(s) => Some(*s),
            Self::Text(_) => None,
        }
    }

    /// RFC 3339 in UTC for known times, else the original text.
    #[must_use]
    pub fn to_rfc3339(&self) -> String {
        match self {
            Self::Unix(secs) => format_rfc3339(*secs),
            Self::Text(t) => t.clone(),
        }
    }

    /// A short age relative to `now` (`5m`, `3h`, `2d`, `4mo`, `3y`), or the text.
    #[must_use]
    pub fn age(&self, now: i64) -> String {
        match self {
            Self::Unix(secs) => {
                let d = (now - secs).max(0);
                match d {
                    0..60 => format!("{d}s"),
                    60..3600 => format!("{}m", d / 60),
                    3600..86_400 => format!("{}h", d / 3600),
                    86_400..2_592_000 => format!("{}d", d / 86_400),
                    2_592_000..31_536_000 => format!("{}mo", d / 2_592_000),
                    _ => format!("{}y", d / 31_536_000),
                }
            }
            Self::Text(t) => t.clone(),
        }
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
#[must_use]
pub fn format_rfc3339(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fff](Z|±HH:MM)`; `None` for anything else.
#[must_use]
pub fn parse_rfc3339(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &t[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339() {
        for secs in [0, 1_502_460_180, -86_401, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&format_rfc3339(secs)), Some(secs));
        }
        assert_eq!(format_rfc3339(1_502_460_180), "2017-08-11T14:03:00Z");
        assert_eq!(
            parse_rfc3339("2017-08-11T16:03:00.123+02:00"),
            Some(1_502_460_180)
        );
        assert_eq!(parse_rfc3339("March 3, 2017"), None);
    }

    #[test]
    fn ages() {
        let t = Timestamp::Unix(1000);
        assert_eq!(t.age(1030), "30s");
        assert_eq!(t.age(1000 + 7200), "2h");
        assert_eq!(Timestamp::parse("yesterday").age(0), "yesterday");
    }
}
