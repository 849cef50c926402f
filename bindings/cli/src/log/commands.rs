//! The `changegate log` commands: open the log, call the log crate (and
//! core, to replay), print, pick the exit code.

use std::io::{BufReader, Write as _};
use std::path::Path;

use changegate::api;
use changegate_log::{Error, Log, Range};
use serde_json::json;

use super::bar::Bar;
use super::render;
use super::{ExportArgs, RangeArgs, ReplayArgs, ShowArgs, VerifyArgs};
use crate::args::Format;
use crate::err::Failure;
use crate::run::{ERROR, emit, fail, format_or_default, load_graph, read_limits};
use crate::style::{self, ColorChoice};

/// Exit code of `replay` when some decision would differ.
const DIFFERENT: u8 = 3;

/// Why a log command failed.
enum LogFailure {
    /// The log's error.
    Log(Error),
    /// Reading the policy, the graph or the limits (core's errors).
    Other(Failure),
}

impl From<Error> for LogFailure {
    fn from(e: Error) -> LogFailure {
        LogFailure::Log(e)
    }
}

impl From<Failure> for LogFailure {
    fn from(f: Failure) -> LogFailure {
        LogFailure::Other(f)
    }
}

fn failed(f: LogFailure, format: Format, color: ColorChoice) -> u8 {
    match f {
        LogFailure::Other(f) => fail(&f, format, color),
        LogFailure::Log(e) => {
            match format {
                Format::Json => {
                    let v = json!({"error": {"kind": e.kind(), "message": e.to_string(), "help": e.help()}});
                    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
                    s.push('\n');
                    style::eprint_plain(&s);
                }
                Format::Text => style::eprint(color, &render::error(&e)),
            }
            ERROR
        }
    }
}

fn usage(message: String, help: &str) -> LogFailure {
    LogFailure::Other(Failure::Usage {
        message,
        help: Some(help.to_owned()),
    })
}

/// A time of `--from`/`--to`: RFC 3339, or a date for its midnight UTC.
fn time(flag: &str, text: &str) -> Result<jiff::Timestamp, LogFailure> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    text.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            usage(
                format!("`{flag} {text}` is not a time"),
                "give an RFC 3339 time such as `2026-06-10T10:00:00Z`, or a date such as `2026-06-10`",
            )
        })
}

/// A receipt, `SEQ:HASH`.
fn receipt(text: &str) -> Result<changegate_log::Receipt, LogFailure> {
    text.split_once(':')
        .and_then(|(seq, hash)| {
            let ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            Some(changegate_log::Receipt { seq: seq.parse().ok()?, hash: ok.then(|| hash.to_owned())? })
        })
        .ok_or_else(|| {
            usage(
                format!("`--receipt {text}` is not a receipt"),
                "give the record's sequence number and its hash (64 lowercase hex digits): `--receipt 42:5c0f…`",
            )
        })
}

fn range(args: &RangeArgs) -> Result<Range, LogFailure> {
    Ok(Range {
        from: args
            .from
            .as_deref()
            .map(|t| time("--from", t))
            .transpose()?,
        to: args.to.as_deref().map(|t| time("--to", t)).transpose()?,
    })
}

/// `changegate log verify`.
pub(crate) fn verify(args: &VerifyArgs, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let result = (|| -> Result<changegate_log::Verified, LogFailure> {
        let receipts = args
            .receipt
            .iter()
            .map(|r| receipt(r))
            .collect::<Result<Vec<_>, _>>()?;
        let bar = Bar::start("verifying", format == Format::Json);
        let verified = match &args.export {
            Some(path) => {
                let text = crate::run::read_input(path)?;
                changegate_log::verify_export(
                    BufReader::new(text.as_bytes()),
                    &receipts,
                    &mut |p| bar.show(p),
                )?
            }
            None => {
                Log::open_existing(&args.log.url)?.verify_with(&receipts, &mut |p| bar.show(p))?
            }
        };
        Ok(verified)
    })();
    match result {
        Ok(v) => {
            let code = if v.first_break.is_some() { ERROR } else { 0 };
            let text = match format {
                Format::Json => pretty(&v),
                Format::Text => render::verified(&v),
            };
            emit(&text, format, color, code)
        }
        Err(f) => failed(f, format, color),
    }
}

/// `changegate log show`.
pub(crate) fn show(args: &ShowArgs, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let result = (|| -> Result<Vec<(String, Vec<changegate_log::Record>)>, LogFailure> {
        let log = Log::open_existing(&args.log.url)?;
        let mut out = Vec::new();
        for id in &args.changes {
            out.push((id.clone(), log.history(id)?));
        }
        Ok(out)
    })();
    match result {
        Ok(histories) => {
            let text = match format {
                Format::Json => render::histories_json(&histories),
                Format::Text => render::histories(&histories),
            };
            emit(&text, format, color, 0)
        }
        Err(f) => failed(f, format, color),
    }
}

/// `changegate log export`.
pub(crate) fn export(args: &ExportArgs, color: ColorChoice) -> u8 {
    let result = (|| -> Result<u64, LogFailure> {
        let range = range(&args.range)?;
        let log = Log::open_existing(&args.log.url)?;
        let bar = Bar::start("exporting", false);
        let mut progress = |p| bar.show(p);
        match &args.out {
            Some(path) => {
                let file = std::fs::File::create(path).map_err(|e| {
                    usage(
                        format!("cannot write `{}`: {e}", path.display()),
                        "check the path of `--out`",
                    )
                })?;
                let mut out = std::io::BufWriter::new(file);
                Ok(log.export(range, &mut out, &mut progress)?)
            }
            None => {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                match log.export(range, &mut out, &mut progress) {
                    Err(Error::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
                    r => Ok(r?),
                }
            }
        }
    })();
    match result {
        Ok(n) => {
            if let Some(path) = &args.out {
                let _ = std::io::stderr().write_all(
                    format!("exported {} to `{}`\n", render::records(n), path.display()).as_bytes(),
                );
            }
            0
        }
        Err(f) => failed(f, Format::Text, color),
    }
}

/// `changegate log replay`.
pub(crate) fn replay(args: &ReplayArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let result = (|| -> Result<changegate_log::Replay, LogFailure> {
        let range = range(&args.range)?;
        let limits = read_limits(limits)?;
        let policy =
            api::compile_paths(Path::new(""), &args.policy, &limits).map_err(Failure::from)?;
        let graph = load_graph(&args.graph, &limits)?;
        let log = Log::open_existing(&args.log.url)?;
        let bar = Bar::start("replaying", format == Format::Json);
        Ok(changegate_log::replay(
            &log,
            &policy,
            &graph,
            range,
            &mut |p| bar.show(p),
        )?)
    })();
    match result {
        Ok(r) => {
            let code = if r.different.is_empty() { 0 } else { DIFFERENT };
            let text = match format {
                Format::Json => pretty(&r),
                Format::Text => render::replay(&r),
            };
            emit(&text, format, color, code)
        }
        Err(f) => failed(f, format, color),
    }
}

fn pretty(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
