//! Reading policy files from disk into [`Source`]s.

use std::path::Path;

use crate::source::Source;

/// A policy file or directory, or a graph file, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read `{path}`: {message}")]
pub struct IoError {
    /// The file or directory, with `/` separators.
    pub path: String,
    /// What went wrong, such as `no such file or directory`.
    pub message: String,
    /// How to fix it: what the path should have been.
    pub(crate) help: &'static str,
}

const POLICY_HELP: &str = "pass a `.gate` file or a directory that holds some";

impl IoError {
    pub(crate) fn from_io(path: &Path, e: &std::io::Error) -> IoError {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string().to_lowercase(),
        };
        IoError {
            path: display(path),
            message,
            help: POLICY_HELP,
        }
    }

    /// The same error, met while reading a graph file.
    pub(crate) fn for_graph(self) -> IoError {
        IoError {
            help: "pass the path of a graph JSON file",
            ..self
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        self.help
    }
}

/// Reads policy files: each path is a `.gate` file (read whatever its
/// extension) or a directory whose `*.gate` files below it are read, sorted.
/// Names are the paths as given, joined with the path below a directory,
/// with `/` separators.
pub fn load_sources<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Source>, IoError> {
    load_sources_in(Path::new(""), paths)
}

/// Like [`load_sources`], with relative paths resolved against `base`; the
/// names stay as given (relative to `base`), so a test corpus or a policy
/// repository gives the same names wherever it is checked out.
pub fn load_sources_in<P: AsRef<Path>>(base: &Path, paths: &[P]) -> Result<Vec<Source>, IoError> {
    load_files_in(base, paths, &["gate"], POLICY_HELP)
}

/// Reads input files for an adapter: each path is a file (read whatever its
/// extension) or a directory whose files below it with one of `extensions`
/// are read, sorted; named as [`load_sources_in`] names them. `help` says
/// what the paths should be when one cannot be read.
pub fn load_files_in<P: AsRef<Path>>(
    base: &Path,
    paths: &[P],
    extensions: &[&str],
    help: &'static str,
) -> Result<Vec<Source>, IoError> {
    let io = |e: IoError| IoError { help, ..e };
    let mut out = Vec::new();
    for p in paths {
        let given = p.as_ref();
        let full = base.join(given);
        let meta = std::fs::metadata(&full).map_err(|e| io(IoError::from_io(&full, &e)))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(&full, &mut files, 0, extensions).map_err(io)?;
            if files.is_empty() {
                let wanted = extensions
                    .iter()
                    .map(|e| format!("`.{e}`"))
                    .collect::<Vec<_>>();
                return Err(IoError {
                    path: display(&full),
                    message: format!("no {} files below this directory", wanted.join(" or ")),
                    help,
                });
            }
            files.sort();
            for f in files {
                let below = f.strip_prefix(&full).unwrap_or(&f);
                let mut src = read(&f).map_err(io)?;
                src.name = display(&given.join(below));
                out.push(src);
            }
        } else {
            let mut src = read(&full).map_err(io)?;
            src.name = display(given);
            out.push(src);
        }
    }
    Ok(out)
}

fn walk(
    dir: &Path,
    out: &mut Vec<std::path::PathBuf>,
    depth: usize,
    extensions: &[&str],
) -> Result<(), IoError> {
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| IoError::from_io(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IoError::from_io(dir, &e))?;
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| IoError::from_io(&path, &e))?;
        if ft.is_dir() {
            walk(&path, out, depth + 1, extensions)?;
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
    Ok(())
}

pub(crate) fn read(path: &Path) -> Result<Source, IoError> {
    let bytes = std::fs::read(path).map_err(|e| IoError::from_io(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| IoError {
        path: display(path),
        message: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        help: POLICY_HELP,
    })?;
    Ok(Source {
        name: display(path),
        text,
    })
}

pub(crate) fn display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}
