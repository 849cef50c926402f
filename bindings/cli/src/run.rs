//! The commands: read the inputs, call core, print the result, pick the
//! exit code. No policy logic lives here.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;

use changegate::api::{self, ChangeInput};
use changegate::{Change, Decision, Document, Error, Graph, Limits, Outcome, Policy};

use crate::args::{CheckArgs, Format, ImpactArgs, ValidateArgs};
use crate::err::Failure;
use crate::render;
use crate::style::{self, ColorChoice};

/// Exit code for any error.
const ERROR: u8 = 1;

/// `--format`, or text on a terminal and JSON otherwise.
fn format_or_default(format: Option<Format>) -> Format {
    format.unwrap_or_else(|| {
        if std::io::stdout().is_terminal() {
            Format::Text
        } else {
            Format::Json
        }
    })
}

/// Prints the failure on stderr and returns the exit code for errors.
fn fail(failure: &Failure, format: Format, color: ColorChoice) -> u8 {
    match format {
        Format::Json => style::eprint_plain(&failure.to_json()),
        Format::Text => style::eprint(color, &render::failure(failure, color.stderr_colored())),
    }
    ERROR
}

/// Prints the output; a closed pipe is not worth a message, any other
/// write error is an error.
fn emit(text: &str, format: Format, color: ColorChoice, code: u8) -> u8 {
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
    match read_limits(limits).and_then(|limits| evaluate(args, &limits)) {
        Ok((policy, change, decision)) => {
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
        Err(f) => fail(&f, format, color),
    }
}

/// Compiles the policy, reads the inputs and evaluates, in the order the
/// corpus does (policy, graph, change), so the first error is the same one.
fn evaluate(args: &CheckArgs, limits: &Limits) -> Result<(Policy, Change, Decision), Failure> {
    if is_stdin(&args.graph) && is_stdin(&args.change) {
        return Err(Failure::Usage {
            message: "`--graph -` and `--change -` cannot both read standard input".to_owned(),
            help: Some("pass one of them as a file".to_owned()),
        });
    }
    let policy = compile(&args.policy, limits)?;
    let graph = load_graph(&args.graph, limits)?;
    let change_text = read_input(&args.change)?;
    let change = api::read_change(ChangeInput::Text(&change_text), limits)?;
    let decision = policy.evaluate(&change, &graph)?;
    Ok((policy, change, decision))
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

fn compile(paths: &[std::path::PathBuf], limits: &Limits) -> Result<Policy, Failure> {
    Ok(api::compile_paths(Path::new(""), paths, limits)?)
}

fn load_graph(path: &Path, limits: &Limits) -> Result<Graph, Failure> {
    let text = read_input(path)?;
    Ok(api::load_graph(&text, limits)?)
}

/// `--limits FILE`, or the defaults.
fn read_limits(path: Option<&Path>) -> Result<Limits, Failure> {
    match path {
        Some(path) => Ok(api::limits_from_json(&read_input(path)?)?),
        None => Ok(Limits::default()),
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads a graph or change document: a file, or standard input for `-`.
fn read_input(path: &Path) -> Result<String, Failure> {
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
