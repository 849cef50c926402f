//! Cron expressions: parsed and matched by `croner` (see docs/language.md,
//! *`cron "EXPR" for DUR [in "TZ"]`*), with the language's own checks first.

use croner::Cron;
use croner::errors::CronError;
use croner::parser::{CronParser, Seconds, Year};
use jiff::civil;

use super::err::WindowError;

const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

pub(super) fn cron_parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .dom_and_dow(false)
        .build()
}

/// croner's message, lowercased and without a final period.
fn croner_reason(e: &CronError) -> String {
    let text = match e {
        CronError::IllegalCharacters(_) => "unexpected character".to_owned(),
        CronError::ComponentError(m) | CronError::InvalidPattern(m) => m.clone(),
        other => other.to_string(),
    };
    let text = text.trim().trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid".to_owned(),
    }
}

/// Parses and validates a five-field cron expression.
pub(super) fn parse_cron(expr: &str) -> Result<Cron, WindowError> {
    let parser = cron_parser();
    let trimmed = expr.trim();
    let invalid =
        |field: Option<usize>, value: Option<&str>, reason: String| WindowError::InvalidCron {
            expr: expr.to_owned(),
            field,
            value: value.map(str::to_owned),
            reason,
        };
    if trimmed.starts_with('@') {
        return parser
            .parse(trimmed)
            .map_err(|_| invalid(None, Some(trimmed), "unknown nickname".to_owned()));
    }
    let fields: Vec<&str> = trimmed.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(WindowError::CronFieldCount {
            expr: expr.to_owned(),
            found: fields.len(),
        });
    }
    // croner maps names anywhere in the pattern (`MON` in the month field
    // would be January) and takes `+` to mean AND; the language does neither.
    for (i, field) in fields.iter().enumerate() {
        let upper = field.to_uppercase();
        let forbidden: &[&[&str]] = match i {
            3 => &[&DAY_NAMES],
            4 => &[&MONTH_NAMES],
            _ => &[&DAY_NAMES, &MONTH_NAMES],
        };
        if let Some(name) = forbidden
            .iter()
            .flat_map(|names| names.iter())
            .find(|n| upper.contains(**n))
        {
            return Err(invalid(
                Some(i),
                Some(field),
                format!("`{name}` does not belong in this field"),
            ));
        }
        if field.contains('+') {
            return Err(invalid(
                Some(i),
                Some(field),
                "`+` is not supported: day-of-month and day-of-week combine with OR".to_owned(),
            ));
        }
    }
    let cron = match parser.parse(trimmed) {
        Ok(cron) => cron,
        Err(whole) => {
            // Find the faulty field by parsing it alone, the others `*`.
            for (i, field) in fields.iter().enumerate() {
                let probe: Vec<&str> = (0..5).map(|j| if j == i { *field } else { "*" }).collect();
                if let Err(e) = parser.parse(&probe.join(" ")) {
                    return Err(invalid(Some(i), Some(field), croner_reason(&e)));
                }
            }
            return Err(invalid(None, None, croner_reason(&whole)));
        }
    };
    // croner would look for February 30th until the year 5000, ~0.1 s a
    // window: decide it first, in a few thousand cheap steps.
    if !some_day_matches(&cron.pattern) {
        return Err(WindowError::CronNeverMatches {
            expr: expr.to_owned(),
        });
    }
    // Every pattern repeats within the 400-year Gregorian cycle; croner gives
    // up long before a pattern that never matches (February 30th) would.
    let origin = civil::date(2000, 1, 1).at(0, 0, 0, 0);
    match cron.find_next_occurrence(&origin, true) {
        Ok(found) if found.year() < 2400 => Ok(cron),
        _ => Err(WindowError::CronNeverMatches {
            expr: expr.to_owned(),
        }),
    }
}

/// Whether some day of some year matches the day-of-month, month and
/// day-of-week fields. Whether a day matches depends only on its month, the
/// month's length, the day and its weekday, and every month (a February of
/// 28 days and one of 29 alike) starts on every weekday in some year, so
/// trying each combination decides it.
pub(super) fn some_day_matches(p: &croner::CronPattern) -> bool {
    for month in 1..=12i8 {
        if !p.month_match(month as u32).unwrap_or(false) {
            continue;
        }
        // 2000 has a 29-day February and 2001 a 28-day one; no other
        // month's length depends on the year.
        let years: &[i16] = if month == 2 { &[2000, 2001] } else { &[2001] };
        for &year in years {
            let len = civil::date(year, month, 1).days_in_month();
            for first in 0..7 {
                let first = croner::Weekday::from_days_from_sunday(first);
                for day in 1..=len {
                    let weekday = first.shift(i32::from(day) - 1);
                    let (y, m, d) = (i32::from(year), month as u32, day as u32);
                    if p.day_match(y, m, d, weekday).unwrap_or(false) {
                        return true;
                    }
                }
            }
        }
    }
    false
}
