//! The commands: read the inputs, call core, print the result, pick the
//! exit code. No policy logic lives here.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;

use changegate::{Change, Decision, Document, Error, Graph, Limits, Outcome, Policy, api};

use crate::err::Failure;
use crate::style::{self, ColorChoice};
use crate::{CheckArgs, Format, ImpactArgs, ValidateArgs, render};

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
pub(crate) fn check(args: &CheckArgs, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    match evaluate(args) {
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
fn evaluate(args: &CheckArgs) -> Result<(Policy, Change, Decision), Failure> {
    if is_stdin(&args.graph) && is_stdin(&args.change) {
        return Err(Failure::Usage {
            message: "`--graph -` and `--change -` cannot both read standard input".to_owned(),
            help: Some("pass one of them as a file".to_owned()),
        });
    }
    let policy = compile(&args.policy)?;
    let graph = load_graph(&args.graph)?;
    let change_text = read_input(&args.change)?;
    let change = Change::from_json_with_limits(&change_text, policy.limits()).map_err(|error| {
        Error::Input {
            document: Document::Change,
            error,
        }
    })?;
    let decision = policy.evaluate(&change, &graph)?;
    Ok((policy, change, decision))
}

/// `changegate validate`.
pub(crate) fn validate(args: &ValidateArgs, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let sources = match changegate::load_sources(&args.policy) {
        Ok(s) => s,
        Err(e) => return fail(&Failure::Core(e.into()), format, color),
    };
    match format {
        Format::Json => {
            let diagnostics = api::validate_json(sources, &Limits::default());
            let code = if diagnostics.trim() == "[]" { 0 } else { ERROR };
            emit(&diagnostics, format, color, code)
        }
        Format::Text => match Policy::compile(sources, &Limits::default()) {
            Ok(policy) => emit(&render::validated(&policy), format, color, 0),
            Err(e) => fail(&Failure::Core(Error::Policy(e)), format, color),
        },
    }
}

/// `changegate impact`.
pub(crate) fn impact(args: &ImpactArgs, color: ColorChoice) -> u8 {
    let format = format_or_default(args.format);
    let result = load_graph(&args.graph).and_then(|graph| match format {
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

fn compile(paths: &[std::path::PathBuf]) -> Result<Policy, Failure> {
    let sources = changegate::load_sources(paths).map_err(Error::from)?;
    Ok(api::compile(sources, &Limits::default())?)
}

fn load_graph(path: &Path) -> Result<Graph, Failure> {
    let text = read_input(path)?;
    Ok(api::load_graph(&text, &Limits::default())?)
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
