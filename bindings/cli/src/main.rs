//! `changegate`: check a change against change policies from the command line.
//!
//! This file only parses arguments and dispatches; the arguments are in
//! `args.rs`, the commands in `run.rs` (`fmt` in `fmt.rs`, `log` in `log/`), their errors in `err.rs`, the text
//! output in `render/`.

use std::process::ExitCode;

use clap::Parser as _;

use crate::args::{Cli, Command};

mod args;
mod err;
mod fmt;
mod import;
mod lint;
mod log;
mod lsp;
mod progress;
mod render;
mod run;
mod serve;
mod style;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with exit 0; usage errors exit 1,
            // never clap's 2, which means "pending" here.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    // A last resort: a bug must still end as "error", exit 1, never as a
    // decision code or a Rust panic code. The panic hook has already printed
    // what happened.
    match std::panic::catch_unwind(|| dispatch(&cli)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => {
            style::eprint_plain(
                "error: internal error in changegate (this is a bug; please report it)\n",
            );
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: &Cli) -> u8 {
    let color = style::ColorChoice::from(cli.color);
    match &cli.command {
        Command::Check(args) => run::check(args, cli.limits.as_deref(), color),
        Command::Validate(args) => run::validate(args, cli.limits.as_deref(), color),
        Command::Impact(args) => run::impact(args, cli.limits.as_deref(), color),
        Command::Import(args) => run::import(args, cli.limits.as_deref(), color),
        Command::Fmt(args) => fmt::fmt(args, cli.limits.as_deref(), color),
        Command::Test(args) => run::test(args, cli.limits.as_deref(), color),
        Command::Lint(args) => lint::lint(args, cli.limits.as_deref(), color),
        Command::Lsp(args) => lsp::run(args, cli.limits.as_deref(), color),
        Command::Log(args) => log::run(args, cli.limits.as_deref(), color),
        Command::Serve(args) => serve::serve(args, cli.limits.as_deref(), color),
        #[expect(clippy::panic, reason = "the test-only command exists to panic")]
        Command::PanicForTests => panic!("a deliberate panic"),
    }
}
