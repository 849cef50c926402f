//! `changegate fmt`: policy files in the canonical layout (core's
//! `api::format`), rewritten in place, checked (`--check`, with a unified
//! diff of each file that would change), or from standard input to
//! standard output (`--stdin`).

use std::path::Path;

use changegate::api;
use changegate::{Error, Limits, Source};

use crate::args::{FmtArgs, Format};
use crate::err::Failure;
use crate::run::{fail, read_input, read_limits};
use crate::style::{self, ColorChoice};

/// Exit code when a file is not formatted (`--check`) or on any error.
const FAILED: u8 = 1;

/// `changegate fmt`.
pub(crate) fn fmt(args: &FmtArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let limits = match read_limits(limits) {
        Ok(l) => l,
        Err(f) => return fail(&f, Format::Text, color),
    };
    if args.stdin {
        return stdin(args.check, &limits, color);
    }
    let sources = match api::load_sources(&args.paths) {
        Ok(s) => s,
        Err(e) => return fail(&Failure::Core(Error::from(e)), Format::Text, color),
    };
    let mut code = 0;
    let mut unformatted = false;
    for source in &sources {
        let formatted = match api::format_with_limits(source, &limits) {
            Ok(f) => f,
            Err(e) => {
                code = fail(&Failure::Core(e), Format::Text, color);
                continue;
            }
        };
        if formatted == source.text {
            continue;
        }
        unformatted = true;
        if args.check {
            if let Err(code) = print(&diff(&source.name, &source.text, &formatted)) {
                return code;
            }
        } else if let Err(e) = std::fs::write(&source.name, &formatted) {
            code = fail(
                &Failure::Usage {
                    message: format!("cannot write `{}`: {e}", source.name),
                    help: None,
                },
                Format::Text,
                color,
            );
        }
    }
    if args.check && unformatted {
        code = FAILED;
    }
    code
}

/// `--stdin`: the formatted text on stdout, or with `--check` its diff.
fn stdin(check: bool, limits: &Limits, color: ColorChoice) -> u8 {
    let source = match read_input(Path::new("-")) {
        Ok(text) => Source {
            name: "standard input".to_owned(),
            text,
        },
        Err(f) => return fail(&f, Format::Text, color),
    };
    let formatted = match api::format_with_limits(&source, limits) {
        Ok(f) => f,
        Err(e) => return fail(&Failure::Core(e), Format::Text, color),
    };
    let (text, code) = match (check, formatted == source.text) {
        (false, _) => (formatted, 0),
        (true, true) => (String::new(), 0),
        (true, false) => (diff(&source.name, &source.text, &formatted), FAILED),
    };
    print(&text).map_or_else(|c| c, |()| code)
}

/// A unified diff from the file to its formatted text, three lines of
/// context.
fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}

/// Prints to stdout; a closed pipe ends quietly, another write error is an
/// error.
fn print(text: &str) -> Result<(), u8> {
    match style::print_raw(text) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(FAILED),
        Err(e) => {
            style::eprint_plain(&format!("error: cannot write the output: {e}\n"));
            Err(FAILED)
        }
    }
}
