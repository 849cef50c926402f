//! Other tools' records through core's adapters: `changegate import`, and
//! the adapter half of `check --graph-from/--change-from/--backups-from`.
//! Which adapter, which files for which role and which options: the
//! reading itself is core's (`changegate::api::import_paths`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use changegate::api::{self, Adapter, ImportNote, Imported, ImportedDocument};
use changegate::{Limits, Source};
use serde_json::Value as Json;

use crate::args::{Format, ImportArgs, Makes, SERVICENOW};
use crate::err::Failure;
use crate::progress::Spinner;

/// Files by role, as `import_paths` takes them.
pub(crate) type Paths = BTreeMap<String, Vec<PathBuf>>;

/// Advice for an adapter's input that cannot be read (core's wording).
const INPUT_HELP: &str = "pass the path of an export file, or a directory that holds some";

/// The adapter `name` names, `servicenow` standing for `servicenow` (clap
/// has already checked the name; core's error is the backstop).
pub(crate) fn adapter(name: &str, servicenow: Option<Adapter>) -> Result<Adapter, Failure> {
    if name == SERVICENOW {
        return servicenow.ok_or_else(|| Failure::Usage {
            message: "`servicenow` is two adapters: say which records these are".to_owned(),
            help: Some(
                "pass `--change` (a change request: servicenow-change) or `--cis` (CMDB records: \
                 servicenow-cmdb), or name the adapter"
                    .to_owned(),
            ),
        });
    }
    Ok(api::adapter(name)?)
}

/// `servicenow-change`, `servicenow-cmdb`, … for help texts.
pub(crate) fn adapter_list() -> String {
    Adapter::ALL.map(|a| format!("`{}`", a.name())).join(", ")
}

/// `--change` (required), `--approvals` and `--affected`: an adapter's
/// inputs as flags.
fn role_flags(adapter: Adapter) -> String {
    let flags: Vec<String> = adapter.roles().iter().map(|r| format!("`--{r}`")).collect();
    match flags.split_first() {
        Some((first, [])) => format!("{first} (required)"),
        Some((first, rest)) => format!("{first} (required), {}", rest.join(", ")),
        None => String::new(),
    }
}

/// `changegate import`'s files by role, with the positional paths as the
/// adapter's first role, after checking each role flag is one the adapter
/// takes.
pub(crate) fn import_paths(args: &ImportArgs) -> Result<(Adapter, Paths), Failure> {
    let given = |role: &str| {
        args.roles
            .by_role()
            .iter()
            .any(|(r, paths)| *r == role && !paths.is_empty())
    };
    let servicenow = match (given("change"), given("cis")) {
        (true, false) => Some(Adapter::ServicenowChange),
        (false, true) => Some(Adapter::ServicenowCmdb),
        _ => None,
    };
    let adapter = adapter(&args.adapter, servicenow)?;
    let roles = adapter.roles();
    let mut paths = Paths::new();
    if let Some(first) = roles.first() {
        if !args.paths.is_empty() {
            paths.insert((*first).to_owned(), args.paths.clone());
        }
    }
    for (role, given) in args.roles.by_role() {
        if given.is_empty() {
            continue;
        }
        if !roles.contains(&role) {
            return Err(Failure::Usage {
                message: format!("the {} adapter takes no `--{role}`", adapter.name()),
                help: Some(format!("its inputs are {}", role_flags(adapter))),
            });
        }
        paths
            .entry(role.to_owned())
            .or_default()
            .extend_from_slice(given);
    }
    if let Some(first) = roles.first() {
        if !paths.contains_key(*first) {
            return Err(Failure::Usage {
                message: format!("the {} adapter needs `--{first}`", adapter.name()),
                help: Some(format!(
                    "its inputs are {}; paths given without a flag are `--{first}`",
                    role_flags(adapter)
                )),
            });
        }
    }
    Ok((adapter, paths))
}

/// Reads records with `adapter`: core's `import_paths`, after refusing
/// standard input, which adapters do not read.
pub(crate) fn import(
    adapter: Adapter,
    paths: &Paths,
    options: &Json,
    limits: &Limits,
    format: Option<Format>,
) -> Result<Imported<ImportedDocument>, Failure> {
    no_stdin(adapter, paths.values().flatten())?;
    let _spinner = Spinner::start(format!("reading records with {}", adapter.name()), format);
    Ok(api::import_paths(
        adapter,
        Path::new(""),
        paths,
        options,
        limits,
    )?)
}

/// Reads backup records with `adapter`, mapped onto `graph` (changegate's
/// graph JSON, named `graph_name` in errors).
pub(crate) fn import_backups(
    adapter: Adapter,
    records: &[PathBuf],
    graph_name: &str,
    graph: &str,
    options: &Json,
    limits: &Limits,
    format: Option<Format>,
) -> Result<Imported<ImportedDocument>, Failure> {
    no_stdin(adapter, records.iter())?;
    let _spinner = Spinner::start(format!("reading records with {}", adapter.name()), format);
    let files = changegate::load_files_in(
        Path::new(""),
        records,
        adapter.extensions("records"),
        INPUT_HELP,
    )
    .map_err(changegate::Error::from)?;
    let graph = Source {
        name: graph_name.to_owned(),
        text: graph.to_owned(),
    };
    let inputs = BTreeMap::from([
        ("records".to_owned(), files),
        ("graph".to_owned(), vec![graph]),
    ]);
    Ok(api::import(adapter, &inputs, options, limits)?)
}

fn no_stdin<'a>(
    adapter: Adapter,
    mut paths: impl Iterator<Item = &'a PathBuf>,
) -> Result<(), Failure> {
    if paths.any(|p| p.as_os_str() == "-") {
        return Err(Failure::Usage {
            message: format!(
                "the {} adapter does not read standard input",
                adapter.name()
            ),
            help: Some("save the export to a file and pass its path".to_owned()),
        });
    }
    Ok(())
}

/// Whether the import made what `makes` asks for.
pub(crate) fn made(imported: &Imported<ImportedDocument>, makes: Makes) -> bool {
    matches!(
        (&imported.document, makes),
        (ImportedDocument::Change(_), Makes::Change)
            | (ImportedDocument::Graph(_), Makes::Graph)
            | (ImportedDocument::Backups(_), Makes::Backups)
    )
}

/// `--options`/`--import-options`: JSON text when it starts with `{` (or
/// is `null`), else the path of a file holding it.
pub(crate) fn read_options(arg: Option<&str>, limits: &Limits) -> Result<Json, Failure> {
    let Some(arg) = arg else {
        return Ok(Json::Null);
    };
    let trimmed = arg.trim_start();
    let text = if trimmed.starts_with('{') || trimmed == "null" {
        arg.to_owned()
    } else {
        crate::run::read_input(Path::new(arg))?
    };
    Ok(api::options_from_json(&text, limits)?)
}

/// `--import-options`: one object per adapter, keyed by its name.
pub(crate) fn options_by_adapter(
    arg: Option<&str>,
    limits: &Limits,
) -> Result<BTreeMap<&'static str, Json>, Failure> {
    let Json::Object(all) = read_options(arg, limits)? else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (name, options) in all {
        let Some(adapter) = Adapter::from_name(&name) else {
            return Err(Failure::Usage {
                message: format!("`--import-options` names no adapter `{name}`"),
                help: Some(format!(
                    "its keys are adapter names: {}; each holds that adapter's options",
                    adapter_list()
                )),
            });
        };
        out.insert(adapter.name(), options);
    }
    Ok(out)
}

/// The notes as lines for stderr: `note: RECORD (FIELD): MESSAGE`, with
/// `ADAPTER: ` after `note: ` when `adapter` is given (`check` reads with
/// several).
pub(crate) fn note_lines(adapter: Option<Adapter>, notes: &[ImportNote]) -> String {
    use std::fmt::Write as _;
    let label = crate::style::paint(crate::style::warn(), "note");
    let mut out = String::new();
    for note in notes {
        let _ = write!(out, "{label}: ");
        if let Some(adapter) = adapter {
            let _ = write!(out, "{}: ", adapter.name());
        }
        let _ = match &note.field {
            Some(field) => writeln!(out, "{} ({field}): {}", note.record, note.message),
            None => writeln!(out, "{}: {}", note.record, note.message),
        };
    }
    out
}
