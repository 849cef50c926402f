//! `cargo run -p changegate-testkit -- hostile DIR` expands the hostile-input
//! list (`core/tests/hostile/cases.json`) into DIR for the Python, Node and
//! WASM harnesses (`make test-python`, `test-node` and `test-wasm` run it
//! with DIR = `target/hostile`).

use std::path::Path;
use std::process::ExitCode;

use changegate_testkit::{corpus, hostile};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command, dir] = args.as_slice() else {
        eprintln!("usage: changegate-testkit hostile DIR");
        return ExitCode::from(2);
    };
    if command != "hostile" {
        eprintln!("error: unknown command `{command}`; usage: changegate-testkit hostile DIR");
        return ExitCode::from(2);
    }
    let written = hostile::load(&corpus::repo())
        .and_then(|list| hostile::write(&list, Path::new(dir)).map_err(|e| e.to_string()));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
