//! The commands: read the inputs, call core, print the result, pick the
//! exit code. No policy logic lives here.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;

use changegate::api::{self, Adapter, ChangeInput, ImportNote};
use changegate::{Change, Decision, Document, Error, Graph, Limits, Outcome, Policy};

use crate::args::{
    CheckArgs, Format, ImpactArgs, ImportArgs, Makes, TestArgs, TestFormat, ValidateArgs,
};
use crate::err::Failure;
use crate::import;
use crate::render;
use crate::style::{self, ColorChoice};

/// Exit code for any error.
pub(crate) const ERROR: u8 = 1;

/// `--format`, or text on a terminal and JSON otherwise.
pub(crate) fn format_or_default(format: Option<Format>) -> Format {
    format.unwrap_or_else(|| {
        if std::io::stdout().is_terminal() {
            Format::Text
        } else {
            Format::Json
        }
    })
}

/// Prints the failure on stderr and returns the exit code for errors.
pub(crate) fn fail(failure: &Failure, format: Format, color: ColorChoice) -> u8 {
    match format {
        Format::Json => style::eprint_plain(&failure.to_json()),
        Format::Text => style::eprint(color, &render::failure(failure, color.stderr_colored())),
    }
    ERROR
}

/// Prints the output; a closed pipe is not worth a message, any other
/// write error is an error.
pub(crate) fn emit(text: &str, format: Format, color: ColorChoice, code: u8) -> u8 {
    let written = match format {
        Format::Json => style::print_raw(text),
        Format::Text => style::print(color, text),
    };
    match written {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            style::eprint_plain(&format!("error: cannot write the output: {e}\n"));
            ERROR
        }
    }
}

/// `changegate check`.
pub(crate) fn check(args: &CheckArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let mut notes = String::new();
    match read_limits(limits).and_then(|limits| evaluate(args, &limits, &mut notes)) {
        Ok((policy, change, decision)) => {
            style::eprint(color, &notes);
            let code = match decision.outcome {
                Outcome::Approved => 0,
                Outcome::Pending => 2,
                Outcome::Denied => 3,
            };
            let text = match format {
                Format::Json => decision.to_json(),
                Format::Text => {
                    render::decision(&decision, &change, &policy, color.stdout_colored())
                }
            };
            emit(&text, format, color, code)
        }
        Err(f) => {
            // On stderr an error in JSON stays one JSON document.
            if format == Format::Text {
                style::eprint(color, &notes);
            }
            fail(&f, format, color)
        }
    }
}

/// Compiles the policy, reads the inputs and evaluates, in the order the
/// corpus does (policy, graph, change), so the first error is the same one.
fn evaluate(
    args: &CheckArgs,
    limits: &Limits,
    notes: &mut String,
) -> Result<(Policy, Change, Decision), Failure> {
    let graph_file = single(&args.graph, "--graph", args.graph_from.is_some())?;
    let change_file = single(&args.change, "--change", args.change_from.is_some())?;
    if graph_file.is_some_and(is_stdin) && change_file.is_some_and(is_stdin) {
        return Err(Failure::Usage {
            message: "`--graph -` and `--change -` cannot both read standard input".to_owned(),
            help: Some("pass one of them as a file".to_owned()),
        });
    }
    let policy = compile(&args.policy, limits)?;
    let options = import::options_by_adapter(args.import_options.as_deref(), limits)?;
    let options = |a: Adapter| options.get(a.name()).cloned().unwrap_or_default();
    let mut note = |adapter: Adapter, found: &[ImportNote]| {
        notes.push_str(&import::note_lines(Some(adapter), found));
    };

    // The graph: changegate's JSON, or exactly what `import` prints.
    let (graph_name, graph_text) = match (&args.graph_from, graph_file) {
        (Some(name), _) => {
            let adapter = import::adapter(name, Some(Adapter::ServicenowCmdb))?;
            let paths = with_first_role(
                adapter,
                &args.graph,
                [("relationships", &args.relationships)],
            );
            let imported = import_as(
                adapter,
                &paths,
                &options(adapter),
                limits,
                Makes::Graph,
                args.format,
            )?;
            note(adapter, &imported.notes);
            (
                format!("the graph read by {}", adapter.name()),
                api::document_json(&imported),
            )
        }
        (None, Some(file)) => (shown(file), read_input(file)?),
        (None, None) => unreachable_usage("--graph")?,
    };
    let graph = api::load_graph(&graph_text, limits)?;

    let change_text = match (&args.change_from, change_file) {
        (Some(name), _) => {
            let adapter = import::adapter(name, Some(Adapter::ServicenowChange))?;
            let paths = with_first_role(
                adapter,
                &args.change,
                [("approvals", &args.approvals), ("affected", &args.affected)],
            );
            let imported = import_as(
                adapter,
                &paths,
                &options(adapter),
                limits,
                Makes::Change,
                args.format,
            )?;
            note(adapter, &imported.notes);
            api::document_json(&imported)
        }
        (None, Some(file)) => read_input(file)?,
        (None, None) => unreachable_usage("--change")?,
    };
    let mut change = api::read_change(ChangeInput::Text(&change_text), limits)?;

    if let Some(name) = &args.backups_from {
        let adapter = import::adapter(name, None)?;
        let imported = import::import_backups(
            adapter,
            &args.backups,
            &graph_name,
            &graph_text,
            &options(adapter),
            limits,
            args.format,
        )?;
        note(adapter, &imported.notes);
        change = with_backups(&change_text, &imported.document, limits)?;
    }
    let decision = policy.evaluate(&change, &graph)?;
    Ok((policy, change, decision))
}

/// The one file `flag` names, unless an adapter reads it (`None` then).
fn single<'a>(
    paths: &'a [std::path::PathBuf],
    flag: &str,
    adapter: bool,
) -> Result<Option<&'a Path>, Failure> {
    match paths {
        _ if adapter => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(Failure::Usage {
            message: format!("`{flag}` takes one JSON file"),
            help: Some(format!(
                "several paths are records for an adapter: name it with `{flag}-from`"
            )),
        }),
    }
}

/// clap makes `--graph` and `--change` required; this keeps that promise
/// without a panic.
fn unreachable_usage<T>(flag: &str) -> Result<T, Failure> {
    Err(Failure::Usage {
        message: format!("`{flag}` is required"),
        help: None,
    })
}

/// `check`'s paths for an adapter: `first` for its first role, and the
/// other flags under their role.
fn with_first_role<const N: usize>(
    adapter: Adapter,
    first: &[std::path::PathBuf],
    others: [(&str, &Vec<std::path::PathBuf>); N],
) -> import::Paths {
    let mut paths = import::Paths::new();
    if let Some(role) = adapter.roles().first() {
        paths.insert((*role).to_owned(), first.to_vec());
    }
    for (role, given) in others {
        if !given.is_empty() {
            paths.insert(role.to_owned(), given.clone());
        }
    }
    paths
}

/// Imports with `adapter`, which must make `makes` (clap offers only such
/// adapters; this is the backstop).
fn import_as(
    adapter: Adapter,
    paths: &import::Paths,
    options: &serde_json::Value,
    limits: &Limits,
    makes: Makes,
    format: Option<Format>,
) -> Result<api::Imported<api::ImportedDocument>, Failure> {
    let imported = import::import(adapter, paths, options, limits, format)?;
    if import::made(&imported, makes) {
        Ok(imported)
    } else {
        Err(Failure::Usage {
            message: format!(
                "the {} adapter does not make {}",
                adapter.name(),
                makes.what()
            ),
            help: None,
        })
    }
}

/// The change with the imported backups after its own `backups`. The
/// change text has been read once already, so it is valid JSON here.
fn with_backups(
    change: &str,
    backups: &api::ImportedDocument,
    limits: &Limits,
) -> Result<Change, Failure> {
    let mut value: serde_json::Value = serde_json::from_str(change).unwrap_or_default();
    let imported = serde_json::to_value(backups).unwrap_or_default();
    if let (Some(object), serde_json::Value::Array(imported)) = (value.as_object_mut(), imported) {
        let list = object
            .entry("backups")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let Some(list) = list.as_array_mut() {
            list.extend(imported);
        }
    }
    Ok(api::read_change(ChangeInput::Value(&value), limits)?)
}

/// `changegate import`.
pub(crate) fn import(args: &ImportArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let result = read_limits(limits).and_then(|limits| {
        let (adapter, paths) = import::import_paths(args)?;
        let options = import::read_options(args.options.as_deref(), &limits)?;
        import::import(adapter, &paths, &options, &limits, args.format)
    });
    match result {
        Ok(imported) if args.with_notes => {
            emit(&api::imported_json(&imported), Format::Json, color, 0)
        }
        Ok(imported) => {
            style::eprint(color, &import::note_lines(None, &imported.notes));
            emit(&api::document_json(&imported), Format::Json, color, 0)
        }
        Err(f) => fail(&f, format, color),
    }
}

fn shown(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.to_string_lossy().replace('\\', "/")
    }
}

/// `changegate validate`.
pub(crate) fn validate(args: &ValidateArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let read = read_limits(limits).and_then(|limits| {
        let sources = api::load_sources(&args.policy).map_err(Error::from)?;
        Ok((sources, limits))
    });
    let (sources, limits) = match read {
        Ok(r) => r,
        Err(f) => return fail(&f, format, color),
    };
    match format {
        Format::Json => {
            let diagnostics = api::validate_json(sources, &limits);
            let code = if diagnostics.trim() == "[]" { 0 } else { ERROR };
            emit(&diagnostics, format, color, code)
        }
        Format::Text => match api::compile(sources, &limits) {
            Ok(policy) => emit(&render::validated(&policy), format, color, 0),
            Err(e) => fail(&Failure::Core(e), format, color),
        },
    }
}

/// `changegate impact`.
pub(crate) fn impact(args: &ImpactArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let graph = read_limits(limits).and_then(|limits| load_graph(&args.graph, &limits));
    let result = graph.and_then(|graph| match format {
        Format::Json => Ok(api::impact_json(&graph, &args.target)?),
        Format::Text => match api::impact(&graph, &args.target) {
            Ok(report) => Ok(render::impact_report(&report)),
            // There is no change document here: the targets are arguments.
            Err(Error::Input {
                document: Document::Change,
                error,
            }) => Err(Failure::Usage {
                message: error.message,
                help: error.help,
            }),
            Err(e) => Err(Failure::Core(e)),
        },
    });
    match result {
        Ok(text) => emit(&text, format, color, 0),
        Err(f) => fail(&f, format, color),
    }
}

/// Exit code of `test` when some case failed (and every file ran).
const TEST_FAILED: u8 = 3;

/// `changegate test`.
pub(crate) fn test(args: &TestArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let options = api::TestOptions {
        filter: args.filter.clone(),
        coverage: args.coverage,
    };
    let report = read_limits(limits).and_then(|limits| {
        Ok(api::run_tests(
            Path::new(""),
            &args.paths,
            &options,
            &limits,
        )?)
    });
    let error_format = match args.format {
        TestFormat::Json => Format::Json,
        TestFormat::Text | TestFormat::Junit => Format::Text,
    };
    let report = match report {
        Ok(r) => r,
        Err(f) => return fail(&f, error_format, color),
    };
    let code = if report.summary.errors > 0 {
        ERROR
    } else if report.summary.failed > 0 {
        TEST_FAILED
    } else {
        0
    };
    match args.format {
        TestFormat::Json => emit(&report.to_json(), Format::Json, color, code),
        TestFormat::Junit => {
            if let Some(coverage) = &report.coverage {
                style::eprint(color, &render::coverage(coverage));
            }
            emit(&report.to_junit(), Format::Json, color, code)
        }
        TestFormat::Text => emit(&render::test_report(&report), Format::Text, color, code),
    }
}

fn compile(paths: &[std::path::PathBuf], limits: &Limits) -> Result<Policy, Failure> {
    Ok(api::compile_paths(Path::new(""), paths, limits)?)
}

pub(crate) fn load_graph(path: &Path, limits: &Limits) -> Result<Graph, Failure> {
    let text = read_input(path)?;
    Ok(api::load_graph(&text, limits)?)
}

/// `--limits FILE`, or the defaults.
pub(crate) fn read_limits(path: Option<&Path>) -> Result<Limits, Failure> {
    match path {
        Some(path) => Ok(api::limits_from_json(&read_input(path)?)?),
        None => Ok(Limits::default()),
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads a graph or change document: a file, or standard input for `-`.
pub(crate) fn read_input(path: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    let (shown, result) = if is_stdin(path) {
        (
            "standard input".to_owned(),
            std::io::stdin().lock().read_to_string(&mut text),
        )
    } else {
        let shown = path.to_string_lossy().replace('\\', "/");
        (
            shown,
            std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text)),
        )
    };
    match result {
        Ok(_) => Ok(text),
        Err(e) => Err(Failure::Read {
            path: shown,
            message: io_message(&e),
        }),
    }
}

/// A short lowercase description of an I/O error, as core words them.
fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
        ErrorKind::InvalidData => "not valid UTF-8".to_owned(),
        _ => {
            let s = e.to_string().to_lowercase();
            match s.find(" (os error") {
                Some(i) => s.get(..i).unwrap_or(&s).to_owned(),
                None => s,
            }
        }
    }
}
