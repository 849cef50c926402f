//! Errors of window definitions, and of searches that reach a limit.

/// An error in a window definition, or a search that ran out of budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// The time zone name is not in the time zone database.
    #[error("unknown time zone `{name}`")]
    UnknownTimeZone {
        /// The name as written.
        name: String,
        /// Close names from the database, best first.
        suggestions: Vec<String>,
    },
    /// The cron expression does not have five fields.
    #[error("cron expression `{expr}` has {found} fields, expected 5")]
    CronFieldCount {
        /// The expression as written.
        expr: String,
        /// How many whitespace-separated fields it has.
        found: usize,
    },
    /// A field of the cron expression (or the whole of it) is invalid.
    #[error("{}", invalid_cron_message(.expr, *.field, .value.as_deref(), .reason))]
    InvalidCron {
        /// The expression as written.
        expr: String,
        /// The index (0 = minute ... 4 = day-of-week) of the faulty field, if known.
        field: Option<usize>,
        /// The faulty field's text, if known.
        value: Option<String>,
        /// What is wrong with it.
        reason: String,
    },
    /// The cron expression is valid but no date and time ever matches it.
    #[error("cron expression `{expr}` never matches")]
    CronNeverMatches {
        /// The expression as written.
        expr: String,
    },
    /// A window's `for` duration is zero or negative.
    #[error("window duration must be positive, found `{duration}`")]
    NonPositiveDuration {
        /// The duration, written as the language writes durations.
        duration: String,
    },
    /// A `between` window whose end is not after its start.
    #[error("window end `{end}` is not after its start `{start}`")]
    EmptyBetween {
        /// The start instant (RFC 3339, UTC).
        start: String,
        /// The end instant (RFC 3339, UTC).
        end: String,
    },
    /// A datetime that cannot be placed on the time line.
    #[error("datetime `{datetime}` is out of range")]
    OutOfRange {
        /// The datetime as given.
        datetime: String,
    },
    /// A search examined more occurrences than its budget allows.
    #[error("window search examined more than {limit} occurrences")]
    ScanLimit {
        /// The budget the search started with.
        limit: usize,
    },
    /// A cron window was searched outside the years whose occurrences can
    /// be computed (1 to 4999): a search there could miss an occurrence.
    #[error(
        "cron window occurrences can be computed only from the year {} to {}, and the search reached `{at}`",
        CRON_YEARS.0,
        CRON_YEARS.1
    )]
    BeyondCalendar {
        /// The wall-clock time the search reached.
        at: String,
    },
}

/// The first and last year whose cron occurrences can be computed
/// (`croner`'s calendar).
pub(super) const CRON_YEARS: (i16, i16) = (1, 4999);

/// Names of the five cron fields, in order.
const FIELD_NAMES: [&str; 5] = ["minute", "hour", "day-of-month", "month", "day-of-week"];
/// What each cron field accepts, for help texts.
const FIELD_HELP: [&str; 5] = [
    "minute takes 0-59",
    "hour takes 0-23",
    "day-of-month takes 1-31",
    "month takes 1-12 or JAN-DEC",
    "day-of-week takes 0-7 (0 and 7 are Sunday) or SUN-SAT",
];

fn field_name(field: Option<usize>) -> Option<&'static str> {
    field.and_then(|i| FIELD_NAMES.get(i).copied())
}

fn invalid_cron_message(
    expr: &str,
    field: Option<usize>,
    value: Option<&str>,
    reason: &str,
) -> String {
    match (field_name(field), value) {
        (Some(name), Some(value)) => {
            format!("invalid {name} field `{value}` in cron expression `{expr}`: {reason}")
        }
        _ => format!("invalid cron expression `{expr}`: {reason}"),
    }
}

impl WindowError {
    /// The limit a search reached, by name: `max_window_scan` (the field of
    /// [`crate::Limits`]) or `cron_calendar` (the years 1 to 4999); `None`
    /// for an error in a window definition.
    pub fn limit(&self) -> Option<&'static str> {
        match self {
            WindowError::ScanLimit { .. } => Some("max_window_scan"),
            WindowError::BeyondCalendar { .. } => Some("cron_calendar"),
            _ => None,
        }
    }

    /// A hint on how to fix the error, if there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            WindowError::UnknownTimeZone { suggestions, .. } => {
                Some(match suggestions.as_slice() {
                    [] => "use an IANA time zone name such as `Europe/Berlin`, `America/New_York` \
                       or `UTC`"
                        .to_owned(),
                    [one] => format!("did you mean `{one}`?"),
                    [init @ .., last] => {
                        let init: Vec<String> = init.iter().map(|s| format!("`{s}`")).collect();
                        format!("did you mean {} or `{last}`?", init.join(", "))
                    }
                })
            }
            WindowError::CronFieldCount { .. } => Some(
                "use five fields: minute hour day-of-month month day-of-week \
                 (seconds and years are not supported)"
                    .to_owned(),
            ),
            WindowError::InvalidCron { field, value, .. } => match field {
                Some(i) => FIELD_HELP
                    .get(*i)
                    .map(|h| format!("{h}, with `,` lists, `-` ranges and `/` steps")),
                None if value.as_deref().is_some_and(|v| v.starts_with('@')) => Some(
                    "the nicknames are `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily` \
                     and `@hourly`"
                        .to_owned(),
                ),
                None => None,
            },
            WindowError::CronNeverMatches { .. } => Some(
                "no day has that day-of-month in those months (day-of-month `30` with month `2` \
                 is February 30th)"
                    .to_owned(),
            ),
            WindowError::NonPositiveDuration { .. } => {
                Some("give a duration such as `30m`, `6h` or `2d`".to_owned())
            }
            WindowError::EmptyBetween { .. } => {
                Some("write the earlier datetime first: `between START and END`".to_owned())
            }
            WindowError::OutOfRange { .. } => {
                Some("use a datetime between the years -9999 and 9999".to_owned())
            }
            WindowError::ScanLimit { .. } => Some(
                "a window with very frequent occurrences was searched over a long span; \
                 raise `max_window_scan` or use a less frequent cron expression"
                    .to_owned(),
            ),
            WindowError::BeyondCalendar { .. } => Some(format!(
                "give the change a start and end between the years {} and {}",
                CRON_YEARS.0, CRON_YEARS.1
            )),
        }
    }
}
