//! The command line's arguments (clap), apart from what the commands do, so
//! the commands (`run`), the output (`render`) and the colors (`style`) all
//! depend on this file and never on `main`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  changegate check --policy policies/ --graph policies/estate.json --change change.json
  changegate check --policy itil/ freeze.gate --graph estate.json --change - < change.json
  changegate validate --policy policies/
  changegate impact --graph policies/estate.json --target orders-db

Exit codes of `check`: 0 approved, 2 pending, 3 denied, 1 any error.
Every command exits 1 on an error (bad policy, bad input, unknown target,
unreadable file), with the error on stderr.";

const CHECK_AFTER_HELP: &str = "\
Exit codes:
  0  approved: nothing blocks the change and every requirement is met
  2  pending:  nothing blocks it, but a requirement is unmet
  3  denied:   a rule blocks it
  1  error:    bad policy, bad graph or change, unknown target, unreadable file

Output: `--format json` prints the decision JSON on stdout, byte for byte what
every changegate front end prints, and an error as `{\"error\": …}` JSON on
stderr. `--format text` prints a checklist for people. Without `--format`, the
output is text when stdout is a terminal and JSON otherwise (pipes, files).

Examples:
  changegate check --policy policies/ --graph policies/estate.json \\
      --change policies/examples/demo/change.json
  generate-rfc | changegate check --policy policies/ --graph estate.json --change -
  changegate check --policy policies/ --graph estate.json --change c.json | jq .outcome";

/// Check a change (an RFC) against change policies and an impact graph.
#[derive(Debug, Parser)]
#[command(name = "changegate", version, after_help = AFTER_HELP, arg_required_else_help = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    /// When to color the text output: `auto` colors on a terminal unless
    /// NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true, value_name = "WHEN")]
    pub(crate) color: ColorWhen,

    /// Resource limits as a JSON file with any of `max_source_bytes`,
    /// `max_nesting`, `max_graph_nodes`, `max_graph_edges`,
    /// `max_window_scan`, `max_input_bytes` (the rest keep their defaults).
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) limits: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check a change against a policy and a graph; the exit code is the outcome.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Compile policy files and report every error.
    #[command(after_help = "\
Exit codes: 0 the policy compiles, 1 it does not (every error of every file
is shown), or a file cannot be read.

`--format json` prints the diagnostics as a JSON list (empty when the policy
compiles), for editors and CI annotations.

Examples:
  changegate validate --policy policies/
  changegate validate --policy policies/itil/baseline.gate --format json")]
    Validate(ValidateArgs),
    /// Show the blast radius of changing some nodes: every node that depends on them.
    #[command(after_help = "\
Each impacted node is shown with its distance from the nearest target and one
shortest dependency path that explains why it is impacted.

Examples:
  changegate impact --graph policies/estate.json --target orders-db
  changegate impact --graph policies/estate.json --target orders-db payments-db --format json")]
    Impact(ImpactArgs),
    /// Test-only, hidden: panics, so the tests can check that a panic ends
    /// as an error (exit 1), never as a crash or a decision code.
    #[command(name = "__panic-for-tests", hide = true)]
    PanicForTests,
}

/// `check`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Policy files, or directories whose `*.gate` files below them are all read.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub(crate) policy: Vec<PathBuf>,
    /// The impact graph (JSON); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) graph: PathBuf,
    /// The change (JSON); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) change: PathBuf,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// `validate`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Policy files, or directories whose `*.gate` files below them are all read.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub(crate) policy: Vec<PathBuf>,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// `impact`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ImpactArgs {
    /// The impact graph (JSON); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) graph: PathBuf,
    /// The ids of the nodes to change.
    #[arg(long, required = true, num_args = 1.., value_name = "ID")]
    pub(crate) target: Vec<String>,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A readable checklist.
    Text,
    /// JSON, exactly as every changegate front end prints it.
    Json,
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces them).
    Auto,
    /// Always, even into a pipe or with NO_COLOR set.
    Always,
    /// Never.
    Never,
}
