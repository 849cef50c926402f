//! Literals: strings with their escapes, integers, durations and datetimes.

use jiff::SignedDuration;
use jiff::civil::DateTime;
use jiff::tz::Offset;
use pest::iterators::Pair;

use super::Rule;
use super::build::{Builder, Built, not_keyword};
use super::err::ParseError;
use crate::ast::{DateTimeLit, DurationLit, StrLit};

impl Builder {
    pub(super) fn string(&self, pair: Pair<'_, Rule>) -> Built<StrLit> {
        let span = self.span(&pair);
        let raw = pair
            .into_inner()
            .find(not_keyword)
            .map_or("", |p| p.as_str());
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => return Err(vec![(span, ParseError::BadEscape(other))]),
                None => return Err(vec![(span, ParseError::BadEscape(' '))]),
            }
        }
        Ok(StrLit { value: out, span })
    }

    pub(super) fn integer(&self, pair: &Pair<'_, Rule>) -> Built<i64> {
        pair.as_str()
            .parse::<i64>()
            .or_else(|_| self.err(pair, ParseError::IntRange(pair.as_str().to_owned())))
    }

    pub(super) fn duration(&self, pair: &Pair<'_, Rule>) -> Built<DurationLit> {
        match parse_duration(pair.as_str()) {
            Some(value) => Ok(DurationLit {
                value,
                span: self.span(pair),
            }),
            None => self.err(pair, ParseError::DurationRange(pair.as_str().to_owned())),
        }
    }

    pub(super) fn datetime(&self, pair: &Pair<'_, Rule>) -> Built<DateTimeLit> {
        let text = pair.as_str();
        let bad = || vec![(self.span(pair), ParseError::BadDateTime(text.to_owned()))];
        let (civil_text, offset_text) = split_offset(text);
        let civil: DateTime = civil_text.parse().map_err(|_| bad())?;
        let offset = match offset_text {
            None => None,
            Some("Z") => Some(Offset::UTC),
            Some(o) => Some(parse_offset(o).ok_or_else(bad)?),
        };
        Ok(DateTimeLit {
            civil,
            offset,
            span: self.span(pair),
        })
    }
}

/// `2h30m` → 9000 seconds; `None` on overflow.
pub(crate) fn parse_duration(text: &str) -> Option<SignedDuration> {
    let mut total: i64 = 0;
    let mut n: i64 = 0;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n.checked_mul(10)?.checked_add(i64::from(d))?;
            continue;
        }
        let unit: i64 = match c {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            _ => 1,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        n = 0;
    }
    // Keep durations well inside what timestamps can add (about 10,000 years).
    (total <= 100 * 366 * 86_400).then(|| SignedDuration::from_secs(total))
}

fn split_offset(text: &str) -> (&str, Option<&str>) {
    if let Some(stripped) = text.strip_suffix('Z') {
        return (stripped, Some("Z"));
    }
    // An offset is `+HH:MM` or `-HH:MM` after the `T`.
    if let Some(t) = text.find('T') {
        if let Some(i) = text
            .get(t..)
            .and_then(|rest| rest.find(['+', '-']))
            .map(|i| i + t)
        {
            return (text.get(..i).unwrap_or(text), text.get(i..));
        }
    }
    (text, None)
}

fn parse_offset(text: &str) -> Option<Offset> {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let h: i32 = text.get(1..3)?.parse().ok()?;
    let m: i32 = text.get(4..6)?.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}
