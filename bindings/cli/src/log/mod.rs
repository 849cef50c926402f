//! `changegate log`: the decision log a service writes, read from the
//! command line: verified, a change's history, exported, replayed against
//! the policy of today. The log itself is the `changegate-log` crate; the
//! decisions of a replay are core's.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::args::Format;
use crate::style::ColorChoice;

mod bar;
mod commands;
mod render;

/// `changegate log`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct LogArgs {
    #[command(subcommand)]
    pub(crate) command: LogCommand,
}

const LOG_HELP: &str = "The log: a PostgreSQL URL (`postgres://…`, `postgresql://…`), or an SQLite file (a path or `sqlite:PATH`)";

/// What to do with the log.
#[derive(Debug, Subcommand)]
pub(crate) enum LogCommand {
    /// Prove the chain unbroken, or name the first bad record.
    #[command(after_help = "\
Checks every record from the first: the sequence numbers follow each other,
each record's prev is the hash of the record before, and each hash
recomputes from the record's fields (docs/log.md). The first bad record is
named with its change and the check it failed. The chain alone cannot show
records cut from its end: `--receipt SEQ:HASH` (a receipt of an append, or a
head printed earlier, kept elsewhere) checks that the record is still there.

Exit codes: 0 the chain is unbroken, 1 a record breaks it, or an error.

Examples:
  changegate log verify
  changegate log verify --log postgresql://changegate@db/changegate
  changegate log verify --export decisions.jsonl
  changegate log verify --receipt 1042:5c0f…e1")]
    Verify(VerifyArgs),
    /// Show every decision logged for changes, oldest first.
    #[command(after_help = "\
Exit codes: 0 done (a change with no decisions is shown as such), 1 an error.

Examples:
  changegate log show CHG-1
  changegate log show CHG-1 CHG-2 --format json")]
    Show(ShowArgs),
    /// Write the records of a time range as JSON lines, verifiable on their own.
    #[command(after_help = "\
One record per line, in sequence order, with its seq, prev and hash, so the
export verifies on its own (`changegate log verify --export FILE`, or any
tool that follows docs/log.md). The same records give the same bytes.

Times are RFC 3339 (`2026-06-10T10:00:00Z`) or a date (`2026-06-10`, midnight
UTC); --from is included, --to is not.

Examples:
  changegate log export --from 2026-06-01 --to 2026-07-01 --out june.jsonl
  changegate log export --log postgresql://changegate@db/changegate | gzip > all.jsonl.gz")]
    Export(ExportArgs),
    /// Decide the logged changes again with today's policy and graph; show what would differ.
    #[command(after_help = "\
Each logged change (in the time range) is decided again from its text as
logged; a decision depends on the policy, the graph and the change alone,
not on the clock, so this is the decision at the change's own time. Shown:
each decision that would differ, with its outcome then and now and the
requirements met or unmet since, then a summary line.

Exit codes: 0 every decision would be the same, 3 some would differ, 1 an
error.

Examples:
  changegate log replay --policy policies/ --graph policies/estate.json
  changegate log replay --policy policies/ --graph estate.json --from 2026-06-01 --format json")]
    Replay(ReplayArgs),
}

/// Where the log is.
#[derive(Debug, Args)]
pub(crate) struct LogLocation {
    #[arg(long = "log", value_name = "URL", default_value = changegate_log::DEFAULT_LOCATION, help = LOG_HELP)]
    pub(crate) url: String,
}

/// `log verify`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) log: LogLocation,
    /// Verify this export (JSON lines; `-` reads standard input) instead of a log.
    #[arg(long, value_name = "FILE", conflicts_with = "url")]
    pub(crate) export: Option<PathBuf>,
    /// A receipt kept elsewhere, `SEQ:HASH`: the record `SEQ` must be there
    /// with this hash (finds records cut from the end of the log).
    #[arg(long, value_name = "SEQ:HASH")]
    pub(crate) receipt: Vec<String>,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// `log show`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The change ids.
    #[arg(required = true, num_args = 1.., value_name = "CHANGE")]
    pub(crate) changes: Vec<String>,
    #[command(flatten)]
    pub(crate) log: LogLocation,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// A time range.
#[derive(Debug, Args)]
pub(crate) struct RangeArgs {
    /// The first time included (RFC 3339, or a date for its midnight UTC).
    #[arg(long, value_name = "TIME")]
    pub(crate) from: Option<String>,
    /// The first time no longer included.
    #[arg(long, value_name = "TIME")]
    pub(crate) to: Option<String>,
}

/// `log export`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) range: RangeArgs,
    #[command(flatten)]
    pub(crate) log: LogLocation,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `log replay`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// Policy files, or directories whose `*.gate` files below them are all read.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub(crate) policy: Vec<PathBuf>,
    /// The impact graph (JSON).
    #[arg(long, required = true, value_name = "FILE")]
    pub(crate) graph: PathBuf,
    #[command(flatten)]
    pub(crate) range: RangeArgs,
    #[command(flatten)]
    pub(crate) log: LogLocation,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// Runs a `changegate log` command; returns the exit code.
pub(crate) fn run(args: &LogArgs, limits: Option<&std::path::Path>, color: ColorChoice) -> u8 {
    match &args.command {
        LogCommand::Verify(a) => commands::verify(a, color),
        LogCommand::Show(a) => commands::show(a, color),
        LogCommand::Export(a) => commands::export(a, color),
        LogCommand::Replay(a) => commands::replay(a, limits, color),
    }
}
