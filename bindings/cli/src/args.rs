//! The command line's arguments (clap), apart from what the commands do, so
//! the commands (`run`), the output (`render`) and the colors (`style`) all
//! depend on this file and never on `main`.

use std::path::PathBuf;

use changegate::api::Adapter;
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  changegate check --policy policies/ --graph policies/estate.json --change change.json
  changegate check --policy itil/ freeze.gate --graph estate.json --change - < change.json
  changegate validate --policy policies/
  changegate impact --graph policies/estate.json --target orders-db
  changegate import backstage catalog/ > graph.json
  changegate fmt --check policies/
  changegate lsp    # the language server, for an editor (docs/editors.md)
  changegate check --policy policies/ --graph-from backstage --graph catalog/ \\
      --change-from servicenow --change chg.json --approvals approvals.json

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
  changegate check --policy policies/ --graph estate.json --change c.json | jq .outcome

Records of other tools (see `changegate import --help`):
  changegate check --policy policies/ \\
      --graph-from backstage --graph catalog/ \\
      --change-from servicenow --change change_request.json \\
      --approvals sysapproval_approver.json --affected task_ci.json \\
      --backups-from velero --backups velero-backups.json

  `--graph-from` reads the `--graph` paths (and `--relationships`) with an
  adapter, `--change-from` the `--change` file (and `--approvals`,
  `--affected`); `--backups-from` reads the `--backups` records, maps them
  onto the graph and adds them to the change's `backups`. Each adapter's
  notes go to stderr as `note:` lines, and the graph and change the engine
  reads are exactly what `changegate import` prints.";

const IMPORT_AFTER_HELP: &str = "\
Adapters and their inputs (the first one required):
  servicenow-change  --change FILE [--approvals PATH...] [--affected PATH...]
  servicenow-cmdb    --cis PATH... [--relationships PATH...]
  servicenow         servicenow-change with --change, servicenow-cmdb with --cis
  backstage          --catalog PATH...
  velero             --records PATH... --graph FILE
  aws-backup         --records PATH... --graph FILE

Paths given without a flag are the adapter's first input (`changegate import
backstage catalog/` is `--catalog catalog/`). A directory means every file
below it of the input's kind (`*.json`; for backstage also `*.yaml`, `*.yml`),
sorted by path.

Output: the document alone on stdout, changegate's own JSON (a graph, a change,
or a change's `backups` list), exactly what `check` reads; each note (a record
read but not counted) on stderr as a `note:` line. With `--with-notes`, stdout
is `{\"document\": ..., \"notes\": [...]}` and stderr stays quiet. Exit code 0,
or 1 on any error (stderr; as JSON with `--format json`, and by default when
stdout is not a terminal).

Examples:
  changegate import backstage catalog/ > graph.json
  changegate import servicenow --change change_request.json \\
      --approvals sysapproval_approver.json --affected task_ci.json
  changegate import servicenow --cis cmdb_ci.json --relationships cmdb_rel_ci.json \\
      --options '{\"ci_ids\": \"sys_id\"}'
  changegate import velero --records velero-backups.json --graph graph.json --with-notes";

const FMT_AFTER_HELP: &str = "\
The layout (docs/language.md, *Files, comments and names*): each clause of a
rule on its own line, indented two spaces; one space between tokens; a blank
line around every rule; a line over 100 characters broken before its
outermost `or`s (or `and`s). Only whitespace changes: every comment stays at
its place, and the file parses to the same policy. A file that does not parse
is not formatted: its errors are shown, and the exit code is 1.

Exit codes: 0 done (with `--check`: every file is formatted), 1 a file would
change (`--check`, with its diff on stdout) or an error.

Examples:
  changegate fmt policies/
  changegate fmt --check policies/
  changegate fmt --stdin < freeze.gate";

const TEST_AFTER_HELP: &str = "\
Each `*.test.json` names a policy, a graph, a base change and cases, each with
what the decision must be (docs/testing.md). Every case runs; each failure is
shown with the part of the decision that differs, and the last line counts
them: `N passed, M failed`.

Exit codes:
  0  every case passed
  3  some case failed
  1  error: a test file could not run (bad JSON, unknown field, a policy that
     does not compile, a missing graph), or no test files were found

Output: `--format text` (the default) for people, `--format json` for tools,
`--format junit` (JUnit XML) for CI. `--coverage` adds the rules, effects and
windows no case exercised both ways (fired and not fired, met and unmet,
blocked and cleared); with `--format junit` it goes to stderr.

Examples:
  changegate test policies/
  changegate test policies/itil/baseline.test.json --filter cab
  changegate test policies/ --format junit > test-results.xml
  changegate test policies/ --coverage";

const SERVE_AFTER_HELP: &str = "\
Routes: POST /v1/evaluate, /v1/evaluate/servicenow, /v1/evaluate/batch,
/v1/impact, /v1/validate, /v1/admin/reload; GET /v1/policy, /v1/graph,
/v1/openapi.json, /healthz, /readyz, /metrics. A decision is byte for byte
what `changegate check --format json` prints; an error is core's error JSON.

Reloads (SIGHUP, a changed file, POST /v1/admin/reload) swap the policy,
graph, tokens and certificates at once; a set that does not load never
replaces the working one (see /readyz). SIGTERM or Ctrl-C finish the
requests in flight, then stop. Logs are JSON lines on stderr.

Listening beyond loopback needs `--tokens`. A tokens file has one
`NAME sha256:HEX` line per caller:
  openssl rand -hex 32 | tee ci.token | changegate serve --hash-token ci >> tokens

Examples:
  changegate serve --policy policies/ --graph policies/estate.json
  changegate serve --policy policies/ --graph estate.json --listen 0.0.0.0:8443 \\
      --tokens tokens --tls-cert cert.pem --tls-key key.pem
  curl -s --data @change.json http://127.0.0.1:8080/v1/evaluate";

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
    /// Read other tools' records (ServiceNow, Backstage, Velero, AWS Backup)
    /// and print them as changegate's own graph, change or backups JSON.
    #[command(after_help = IMPORT_AFTER_HELP)]
    Import(ImportArgs),
    /// Rewrite policy files in the canonical layout; `--check` only shows
    /// what would change.
    #[command(after_help = FMT_AFTER_HELP)]
    Fmt(FmtArgs),
    /// Run the policy tests (`*.test.json`) and report each difference.
    #[command(after_help = TEST_AFTER_HELP)]
    Test(TestArgs),
    /// Find likely mistakes in a policy that compiles (unused names, empty
    /// messages, overrides by the approvers themselves, conditions that
    /// never hold, duplicate requirements, windows too short, and, given a
    /// graph or changes, misspelt attributes and sets without owners).
    #[command(after_help = "\
Lints: unused-let, unused-window, empty-else-message, override-by-approver,
never-holds (error: a `when` no change satisfies), duplicate-requirement,
window-never-occurs (a cron window with no date in the year from --at),
window-ended (info: a `between` window that ended before --at), short-window
(`deny outside` a window shorter than `min-window`, 1h by default),
empty-owner-set (with --graph: `owner of` a set that can hold unowned nodes or
none), unknown-attribute (with --graph/--change: `node.X`/`change.X` that no
input carries), unknown-lint (a name in an allow comment that is no lint),
unused-allow (an allow comment whose lint finds nothing where it allows; not
reported for a lint that did not run).

A comment `# changegate: allow(NAME, ...)` allows those lints on its line
(and on the next line when the comment stands alone); before the first item
of a file it allows them in the whole file.

Configuration: the `[lint]` table of `changegate.toml`, found in the folder
of the first --policy path or a folder above it (up to the repository's
root), or --config FILE (TOML, or JSON when it ends in .json):
  [lint]
  unused-let = \"off\"            # or \"error\", \"warning\", \"info\"
  [lint.options]
  min-window = \"2h\"

Exit codes: 0 no finding of severity error or warning (info findings are
shown but pass), 1 otherwise, or the policy does not compile, or a file
or the configuration cannot be read.

Examples:
  changegate lint --policy policies/
  changegate lint --policy policies/ --graph estate.json --change change.json
  changegate lint --policy policies/itil/baseline.gate --format sarif > lint.sarif")]
    Lint(LintArgs),
    /// Run the language server for editors (LSP over standard input and output).
    ///
    /// Diagnostics, hover, go to definition, references, completion,
    /// formatting and quick fixes; see docs/editors.md.
    #[command(after_help = "\
The policy set of an open file is every `*.gate` file of its folder (the
editor's unsaved text where the file is open). A graph for the completion
of node attributes is set by the client's initializationOptions
`{\"graph\": \"estate.json\"}` (relative to the workspace folder).

Example, for an editor's configuration:
  changegate lsp")]
    Lsp(LspArgs),
    /// The decision log a service writes: verify it, show a change's
    /// history, export a time range, replay it against today's policy.
    #[command(subcommand_required = true, arg_required_else_help = true)]
    Log(crate::log::LogArgs),
    /// Serve decisions over HTTP: a JSON API under `/v1`, reloads without
    /// dropping a request, metrics, bearer tokens and TLS (docs/serve.md).
    #[command(after_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),
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
    /// The impact graph (JSON); `-` reads standard input. With
    /// `--graph-from`, the adapter's records: files or directories.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pub(crate) graph: Vec<PathBuf>,
    /// The change (JSON); `-` reads standard input. With `--change-from`,
    /// the adapter's change record.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pub(crate) change: Vec<PathBuf>,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
    /// Read the `--graph` paths with this adapter (servicenow means
    /// servicenow-cmdb) instead of as changegate's graph JSON.
    #[arg(long, value_name = "ADAPTER", value_parser = adapter_names(Makes::Graph, "servicenow-cmdb"),
          help_heading = "Records of other tools")]
    pub(crate) graph_from: Option<String>,
    /// With `--graph-from servicenow`: the `cmdb_rel_ci` records.
    #[arg(long, num_args = 1.., value_name = "PATH", requires = "graph_from",
          help_heading = "Records of other tools")]
    pub(crate) relationships: Vec<PathBuf>,
    /// Read the `--change` file with this adapter (servicenow means
    /// servicenow-change) instead of as changegate's change JSON.
    #[arg(long, value_name = "ADAPTER", value_parser = adapter_names(Makes::Change, "servicenow-change"),
          help_heading = "Records of other tools")]
    pub(crate) change_from: Option<String>,
    /// With `--change-from servicenow`: the `sysapproval_approver` records.
    #[arg(long, num_args = 1.., value_name = "PATH", requires = "change_from",
          help_heading = "Records of other tools")]
    pub(crate) approvals: Vec<PathBuf>,
    /// With `--change-from servicenow`: the `task_ci` records (affected CIs).
    #[arg(long, num_args = 1.., value_name = "PATH", requires = "change_from",
          help_heading = "Records of other tools")]
    pub(crate) affected: Vec<PathBuf>,
    /// Read the `--backups` records with this adapter, map them onto the
    /// graph's nodes and add them to the change's `backups`.
    #[arg(long, value_name = "ADAPTER", value_parser = adapter_names(Makes::Backups, ""),
          requires = "backups", help_heading = "Records of other tools")]
    pub(crate) backups_from: Option<String>,
    /// With `--backups-from`: the backup tool's records, files or directories.
    #[arg(long, num_args = 1.., value_name = "PATH", requires = "backups_from",
          help_heading = "Records of other tools")]
    pub(crate) backups: Vec<PathBuf>,
    /// The adapters' options: a JSON object keyed by adapter name
    /// (`{"backstage": {"dangling": "report"}}`), or a file holding one.
    #[arg(
        long,
        value_name = "FILE_OR_JSON",
        help_heading = "Records of other tools"
    )]
    pub(crate) import_options: Option<String>,
}

/// `fmt`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Policy files, or directories whose `*.gate` files below them are all
    /// formatted.
    #[arg(
        value_name = "PATH",
        required_unless_present = "stdin",
        conflicts_with = "stdin"
    )]
    pub(crate) paths: Vec<PathBuf>,
    /// Write nothing: print a unified diff of each file that would change,
    /// and exit 1 if any would.
    #[arg(long)]
    pub(crate) check: bool,
    /// Read one policy from standard input and write it formatted to
    /// standard output (with `--check`, its diff).
    #[arg(long)]
    pub(crate) stdin: bool,
}

/// `import`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The adapter that reads the records.
    #[arg(value_name = "ADAPTER", value_parser = all_adapter_names())]
    pub(crate) adapter: String,
    /// Paths for the adapter's first input (`--catalog` for backstage,
    /// `--change` for servicenow-change, `--cis`, `--records`).
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// The adapter's inputs by role.
    #[command(flatten)]
    pub(crate) roles: RoleArgs,
    /// The adapter's options: a JSON object (`{"dangling": "report"}`), or a
    /// file holding one.
    #[arg(long, value_name = "FILE_OR_JSON")]
    pub(crate) options: Option<String>,
    /// Print `{"document": ..., "notes": [...]}` on stdout instead of the
    /// document alone, and no notes on stderr.
    #[arg(long)]
    pub(crate) with_notes: bool,
    /// Format of errors (the output is always JSON) [default: text on a
    /// terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
}

/// `import`'s input files by role: each flag is the role of the same name
/// (see each adapter's page in docs/sources/).
#[derive(Debug, Args)]
#[command(next_help_heading = "Inputs (by role)")]
pub(crate) struct RoleArgs {
    /// servicenow-change: the `change_request` record.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) change: Vec<PathBuf>,
    /// servicenow-change: `sysapproval_approver` records.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) approvals: Vec<PathBuf>,
    /// servicenow-change: `task_ci` records (affected CIs).
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) affected: Vec<PathBuf>,
    /// servicenow-cmdb: `cmdb_ci` records.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) cis: Vec<PathBuf>,
    /// servicenow-cmdb: `cmdb_rel_ci` records.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) relationships: Vec<PathBuf>,
    /// backstage: `catalog-info.yaml` files or the catalog API's JSON.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) catalog: Vec<PathBuf>,
    /// velero, aws-backup: the backup tool's records.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub(crate) records: Vec<PathBuf>,
    /// velero, aws-backup: changegate's graph JSON, whose nodes list what
    /// their backups are recorded under.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub(crate) graph: Vec<PathBuf>,
}

impl RoleArgs {
    /// Each role flag with the paths given for it, given or not.
    pub(crate) fn by_role(&self) -> [(&'static str, &[PathBuf]); 8] {
        [
            ("change", &self.change),
            ("approvals", &self.approvals),
            ("affected", &self.affected),
            ("cis", &self.cis),
            ("relationships", &self.relationships),
            ("catalog", &self.catalog),
            ("records", &self.records),
            ("graph", &self.graph),
        ]
    }
}

/// What an adapter makes: which of `check`'s documents it can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Makes {
    /// A change (`--change-from`).
    Change,
    /// A graph (`--graph-from`).
    Graph,
    /// A change's `backups` (`--backups-from`).
    Backups,
}

impl Makes {
    /// `a change`, `a graph`, `a change's backups`.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Makes::Change => "a change",
            Makes::Graph => "a graph",
            Makes::Backups => "a change's backups",
        }
    }

    /// What `adapter` makes (core's `ImportedDocument` variant for it).
    pub(crate) fn of(adapter: Adapter) -> Makes {
        match adapter {
            Adapter::ServicenowChange => Makes::Change,
            Adapter::ServicenowCmdb | Adapter::Backstage => Makes::Graph,
            Adapter::Velero | Adapter::AwsBackup => Makes::Backups,
        }
    }
}

/// The name that stands for the ServiceNow adapter a command's flags choose.
pub(crate) const SERVICENOW: &str = "servicenow";

/// A possible value for an adapter, with its inputs as help.
fn adapter_value(adapter: Adapter) -> PossibleValue {
    let roles: Vec<String> = adapter.roles().iter().map(|r| format!("--{r}")).collect();
    PossibleValue::new(adapter.name()).help(roles.join(" "))
}

/// `import`'s adapters: every adapter, and `servicenow`.
fn all_adapter_names() -> PossibleValuesParser {
    let servicenow = PossibleValue::new(SERVICENOW)
        .help("servicenow-change with --change, servicenow-cmdb with --cis");
    PossibleValuesParser::new(
        Adapter::ALL
            .into_iter()
            .map(adapter_value)
            .chain([servicenow]),
    )
}

/// The adapters that make `makes`, and `servicenow` standing for
/// `servicenow` (when not empty).
fn adapter_names(makes: Makes, servicenow: &'static str) -> PossibleValuesParser {
    let alias = (!servicenow.is_empty())
        .then(|| PossibleValue::new(SERVICENOW).help(format!("the same as {servicenow}")));
    PossibleValuesParser::new(
        Adapter::ALL
            .into_iter()
            .filter(|a| Makes::of(*a) == makes)
            // In `check` the inputs have other flags (`--graph`, `--change`).
            .map(|a| PossibleValue::new(a.name()))
            .chain(alias),
    )
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

/// `lint`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Policy files, or directories whose `*.gate` files below them are all read.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub(crate) policy: Vec<PathBuf>,
    /// The instant the window lints look from (RFC 3339, e.g.
    /// `2026-12-01T00:00:00Z`) [default: now].
    #[arg(long, value_name = "INSTANT")]
    pub(crate) at: Option<jiff::Timestamp>,
    /// The lint configuration [default: `changegate.toml` beside the
    /// policy or in a folder above it].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// A graph the policy is meant for: `node.X` is checked against its
    /// nodes, and `owner of` sets against their owners.
    #[arg(long, value_name = "FILE")]
    pub(crate) graph: Option<PathBuf>,
    /// Example changes: `change.X` is checked against their attributes.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub(crate) change: Vec<PathBuf>,
    /// Output format [default: text on a terminal, json otherwise].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<LintFormat>,
}

/// `lint`'s output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    /// The findings as compile errors are shown.
    Text,
    /// A JSON list of the findings.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

/// `lsp`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct LspArgs {
    /// Speak over standard input and output (the only transport; accepted
    /// because editor clients pass it).
    #[arg(long)]
    pub(crate) stdio: bool,
    /// The instant window occurrences and the window lints count from
    /// (RFC 3339) [default: now].
    #[arg(long, value_name = "INSTANT")]
    pub(crate) at: Option<jiff::Timestamp>,
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

/// `test`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Test files, or folders whose `*.test.json` files below them are all
    /// run (hidden folders, `target` and `node_modules` are not searched).
    #[arg(value_name = "PATH", default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// Run only the cases whose name contains this text.
    #[arg(long, value_name = "SUBSTRING")]
    pub(crate) filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TestFormat::Text)]
    pub(crate) format: TestFormat,
    /// Also report what no case exercised: rules, effects and windows.
    #[arg(long)]
    pub(crate) coverage: bool,
}

/// `test`'s output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TestFormat {
    /// Each case, each difference, and the counts.
    Text,
    /// The report as JSON.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
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

/// `serve`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Policy files, or directories whose `*.gate` files below them are all read.
    #[arg(long, num_args = 1.., value_name = "PATH", required_unless_present = "hash_token")]
    pub(crate) policy: Vec<PathBuf>,
    /// The impact graph (JSON).
    #[arg(long, value_name = "FILE", required_unless_present = "hash_token")]
    pub(crate) graph: Option<PathBuf>,
    /// The address to listen on; beyond loopback, `--tokens` is required.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub(crate) listen: String,
    /// The tokens file (`NAME sha256:HEX` lines): every request but
    /// /healthz and /readyz then needs `Authorization: Bearer TOKEN`.
    #[arg(long, value_name = "FILE", help_heading = "Security")]
    pub(crate) tokens: Option<PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM).
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        help_heading = "Security"
    )]
    pub(crate) tls_cert: Option<PathBuf>,
    /// The private key of `--tls-cert` (PEM).
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_cert",
        help_heading = "Security"
    )]
    pub(crate) tls_key: Option<PathBuf>,
    /// Require client certificates signed by these CAs (PEM): mutual TLS.
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_cert",
        help_heading = "Security"
    )]
    pub(crate) client_ca: Option<PathBuf>,
    /// Print the tokens-file line for caller NAME, the token read from
    /// standard input, and exit.
    #[arg(long, value_name = "NAME", help_heading = "Security")]
    pub(crate) hash_token: Option<String>,
    /// The largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub(crate) max_body_bytes: usize,
    /// The longest a request may take, headers and body included, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) request_timeout: u64,
    /// How long a shutdown waits for the requests in flight, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) shutdown_grace: u64,
    /// Do not reload when a file changes (SIGHUP and the admin endpoint still do).
    #[arg(long)]
    pub(crate) no_watch: bool,
    /// The decision log every decision is recorded in before it is
    /// answered: a path, `sqlite:PATH` or `postgres://…` (docs/log.md)
    /// [default: changegate-log.sqlite].
    #[arg(long, value_name = "URL", help_heading = "Decision log")]
    pub(crate) log: Option<String>,
    /// Record no decisions (answers do not wait for a log).
    #[arg(long, conflicts_with = "log", help_heading = "Decision log")]
    pub(crate) no_log: bool,
}
