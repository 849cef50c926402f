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
    /// Whether a graph file was being read (else policy files), for the help.
    pub(crate) graph: bool,
}

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
            graph: false,
        }
    }

    /// The same error, met while reading a graph file.
    pub(crate) fn for_graph(self) -> IoError {
        IoError {
            graph: true,
            ..self
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        if self.graph {
            "pass the path of a graph JSON file"
        } else {
            "pass a `.gate` file or a directory that holds some"
        }
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
    let mut out = Vec::new();
    for p in paths {
        let given = p.as_ref();
        let full = base.join(given);
        let meta = std::fs::metadata(&full).map_err(|e| IoError::from_io(&full, &e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(&full, &mut files, 0)?;
            if files.is_empty() {
                return Err(IoError {
                    path: display(&full),
                    message: "no `.gate` files below this directory".to_owned(),
                    graph: false,
                });
            }
            files.sort();
            for f in files {
                let below = f.strip_prefix(&full).unwrap_or(&f);
                let mut src = read(&f)?;
                src.name = display(&given.join(below));
                out.push(src);
            }
        } else {
            let mut src = read(&full)?;
            src.name = display(given);
            out.push(src);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) -> Result<(), IoError> {
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| IoError::from_io(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IoError::from_io(dir, &e))?;
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| IoError::from_io(&path, &e))?;
        if ft.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "gate") {
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
        graph: false,
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
