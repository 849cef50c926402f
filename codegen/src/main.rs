//! `make generate`: writes every file generated from changegate's Rust types.

use std::process::ExitCode;

fn main() -> ExitCode {
    let root = changegate_codegen::repo_root();
    let files = match changegate_codegen::outputs() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (path, text) in files {
        let full = root.join(&path);
        let same = std::fs::read_to_string(&full).is_ok_and(|old| old == text);
        if same {
            continue;
        }
        let written = full
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&full, text));
        if let Err(e) = written {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
