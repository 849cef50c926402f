//! Dates and times: the Table API's raw `YYYY-MM-DD HH:MM:SS`, in UTC; a
//! display value is in the exporting user's time zone, which the export
//! does not say, so it is read only with the `time_zone` option.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::err;
use super::records::Record;
use crate::error::Error;

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `YYYY-MM-DD HH:MM:SS` as a civil date and time.
pub(super) fn civil(text: &str) -> Option<DateTime> {
    DateTime::strptime(FORMAT, text.trim()).ok()
}

/// A raw value, which the Table API writes in UTC.
pub(super) fn utc(text: &str) -> Option<Timestamp> {
    civil(text).and_then(|dt| TimeZone::UTC.to_timestamp(dt).ok())
}

/// A display value in zone `tz`; `Err` says why not (not a date, or a local
/// time that a clock change makes ambiguous or skips).
pub(super) fn in_zone(text: &str, tz: &TimeZone) -> Result<Timestamp, &'static str> {
    let dt = civil(text).ok_or("is not a date and time")?;
    tz.to_ambiguous_zoned(dt)
        .unambiguous()
        .map(|z| z.timestamp())
        .map_err(|_| "does not name one instant in that zone (a clock change)")
}

/// Field `name` of `rec` as RFC 3339 in UTC, or `None` when unset; `label`
/// names the record (``change `CHG0030001` ``).
pub(super) fn read(
    rec: &Record<'_>,
    name: &str,
    label: &str,
    tz: Option<&TimeZone>,
) -> Result<Option<String>, Error> {
    let f = rec.field(name, label)?;
    let path = rec.path(name);
    if let Some(v) = &f.value {
        let Some(t) = utc(v) else {
            return Err(err::at(
                rec.file,
                &path,
                format!("{label}: `{name}` `{v}` is not a date and time"),
                "the Table API writes `YYYY-MM-DD HH:MM:SS` in UTC",
            ));
        };
        return Ok(Some(t.to_string()));
    }
    let Some(d) = &f.display else {
        return Ok(None);
    };
    let Some(tz) = tz else {
        return Err(err::at(
            rec.file,
            &path,
            format!(
                "{label}: `{name}` `{d}` is a display value, in the time zone of the user who \
                 exported it"
            ),
            "export with `sysparm_display_value=all` or `false` so that the record carries the \
             UTC value, or set the `time_zone` option to that user's time zone (an IANA name \
             such as `Europe/Berlin`)",
        ));
    };
    match in_zone(d, tz) {
        Ok(t) => Ok(Some(t.to_string())),
        Err(why) => Err(err::at(
            rec.file,
            &path,
            format!(
                "{label}: `{name}` `{d}` {why} in time zone `{}`",
                tz.iana_name().unwrap_or("the option's")
            ),
            "a display value is read as `YYYY-MM-DD HH:MM:SS` in the `time_zone` option's zone; \
             export with `sysparm_display_value=all` to read the UTC value instead",
        )),
    }
}

/// The order of two RFC 3339 timestamps, `None` if either is not one.
pub(super) fn utc_order(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let a: Timestamp = a.parse().ok()?;
    let b: Timestamp = b.parse().ok()?;
    Some(a.cmp(&b))
}
