//! Typed readers of JSON documents whose errors carry precise paths
//! (`nodes[17].tier`, `backups[0].taken_at`).

use jiff::Timestamp;
use serde_json::{Map, Value as Json};

use super::err::{InputError, backticked};
use super::suggest::did_you_mean;
use crate::limits::Limits;

/// A JSON path, built on the stack while reading and rendered only when an
/// error needs it, so that reading valid input allocates nothing for paths.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The document itself.
    Root,
    /// Field `.1` of the object at `.0`.
    Key(&'a Path<'a>, &'a str),
    /// Element `.1` of the list at `.0`.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of field `key` of the object at this path.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of element `i` of the list at this path.
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    /// The path as text: `nodes[3].depends_on[1]`; empty for the root.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.render_into(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.render_into(out);
                out.push_str(&format!("[{i}]"));
            }
        }
    }

    /// An error at this path.
    pub(crate) fn error(&self, message: impl Into<String>) -> InputError {
        InputError::new(self.render(), message)
    }
}

/// Rejects text over `limits.max_input_bytes`.
pub(crate) fn check_size(text: &str, limits: &Limits) -> Result<(), InputError> {
    if text.len() > limits.max_input_bytes {
        return Err(InputError::new(
            "",
            format!(
                "input is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_input_bytes
            ),
        )
        .with_help("raise `Limits::max_input_bytes` if this input is expected"));
    }
    Ok(())
}

/// The error for text that is not valid JSON; serde_json's message carries
/// the line and column.
pub(crate) fn json_error(e: &serde_json::Error) -> InputError {
    InputError::new("", format!("invalid JSON: {e}"))
}

/// `text` without a leading UTF-8 byte order mark, which some editors on
/// Windows write at the start of every file (RFC 8259 lets a parser ignore
/// it).
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses `text` as JSON after checking its size; a leading byte order mark
/// is ignored.
pub(crate) fn parse_json(text: &str, limits: &Limits) -> Result<Json, InputError> {
    check_size(text, limits)?;
    serde_json::from_str(strip_bom(text)).map_err(|e| json_error(&e))
}

/// Describes a JSON value for an error message: ``string `"1"` ``, ``number
/// `1.5` ``, `a list`, `an object`.
pub(crate) fn describe(v: &Json) -> String {
    match v {
        Json::Null => "`null`".to_owned(),
        Json::Bool(b) => format!("boolean `{b}`"),
        Json::Number(n) => format!("number `{n}`"),
        Json::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let ellipsis = if shown.len() < s.len() { "..." } else { "" };
            format!("string `{shown:?}{ellipsis}`")
        }
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => "an object".to_owned(),
    }
}

fn expected(path: &Path<'_>, what: &str, v: &Json) -> InputError {
    path.error(format!("expected {what}, found {}", describe(v)))
}

/// `v` as an object.
pub(crate) fn as_object<'v>(
    v: &'v Json,
    path: &Path<'_>,
) -> Result<&'v Map<String, Json>, InputError> {
    v.as_object().ok_or_else(|| expected(path, "an object", v))
}

/// `v` as a list.
pub(crate) fn as_list<'v>(v: &'v Json, path: &Path<'_>) -> Result<&'v [Json], InputError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| expected(path, "a list", v))
}

/// `v` as a string.
pub(crate) fn as_str<'v>(v: &'v Json, path: &Path<'_>) -> Result<&'v str, InputError> {
    v.as_str().ok_or_else(|| expected(path, "a string", v))
}

/// `v` as a non-empty string.
pub(crate) fn as_nonempty_str<'v>(v: &'v Json, path: &Path<'_>) -> Result<&'v str, InputError> {
    let s = as_str(v, path)?;
    if s.is_empty() {
        return Err(path.error("expected a non-empty string, found `\"\"`"));
    }
    Ok(s)
}

/// `v` as a 64-bit integer; floats and integers out of range are errors.
pub(crate) fn as_int(v: &Json, path: &Path<'_>) -> Result<i64, InputError> {
    match v {
        Json::Number(n) => match n.as_i64() {
            Some(i) => Ok(i),
            None if n.is_u64() => Err(path.error(format!(
                "integer `{n}` is out of range (at most {})",
                i64::MAX
            ))),
            None => Err(path.error(format!("expected an integer, found number `{n}`"))),
        },
        _ => Err(expected(path, "an integer", v)),
    }
}

/// `v` as a boolean.
pub(crate) fn as_bool(v: &Json, path: &Path<'_>) -> Result<bool, InputError> {
    v.as_bool()
        .ok_or_else(|| expected(path, "`true` or `false`", v))
}

/// `v` as an RFC 3339 timestamp with a UTC offset, such as
/// `2026-12-22T14:00:00Z` or `2026-12-22T15:00:00+01:00`.
pub(crate) fn as_timestamp(v: &Json, path: &Path<'_>) -> Result<Timestamp, InputError> {
    let s = v
        .as_str()
        .ok_or_else(|| expected(path, "an RFC 3339 timestamp string", v))?;
    match s.parse::<Timestamp>() {
        Ok(t) => Ok(t),
        Err(e) => {
            let civil = s.parse::<jiff::civil::DateTime>().is_ok();
            Err(if civil && s.contains(['T', 't', ' ']) {
                path.error(format!("timestamp `{s}` has no UTC offset"))
                    .with_help("add `Z` or an offset such as `+01:00`")
            } else if civil {
                path.error(format!("timestamp `{s}` has no time or UTC offset"))
                    .with_help(format!(
                        "write a time and an offset, such as `{s}T00:00:00Z`"
                    ))
            } else {
                path.error(format!("invalid timestamp `{s}`: {e}"))
                    .with_help("use RFC 3339 with an offset, such as `2026-12-22T14:00:00Z`")
            })
        }
    }
}

/// Field `key` of `obj`; an explicit `null` counts as absent.
pub(crate) fn get<'v>(obj: &'v Map<String, Json>, key: &str) -> Option<&'v Json> {
    obj.get(key).filter(|v| !v.is_null())
}

/// Field `key` of `obj`, which must be present (it may still be `null`, which
/// the typed reader then rejects). The error for a missing field is at the
/// field's own path (`nodes[1].id`).
pub(crate) fn required<'v>(
    obj: &'v Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<&'v Json, InputError> {
    obj.get(key).ok_or_else(|| {
        path.key(key)
            .error(format!("missing required field `{key}`"))
    })
}

/// Required non-empty string field `key` of the object at `path`.
pub(crate) fn req_str<'v>(
    obj: &'v Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<&'v str, InputError> {
    as_nonempty_str(required(obj, key, path)?, &path.key(key))
}

/// Optional string field `key` of the object at `path`.
pub(crate) fn opt_str<'v>(
    obj: &'v Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<&'v str>, InputError> {
    get(obj, key).map(|v| as_str(v, &path.key(key))).transpose()
}

/// Optional integer field `key` of the object at `path`.
pub(crate) fn opt_int(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<i64>, InputError> {
    get(obj, key).map(|v| as_int(v, &path.key(key))).transpose()
}

/// Optional boolean field `key` of the object at `path`.
pub(crate) fn opt_bool(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<bool>, InputError> {
    get(obj, key)
        .map(|v| as_bool(v, &path.key(key)))
        .transpose()
}

/// Optional timestamp field `key` of the object at `path`.
pub(crate) fn opt_timestamp(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Option<Timestamp>, InputError> {
    get(obj, key)
        .map(|v| as_timestamp(v, &path.key(key)))
        .transpose()
}

/// Required timestamp field `key` of the object at `path`.
pub(crate) fn req_timestamp(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<Timestamp, InputError> {
    as_timestamp(required(obj, key, path)?, &path.key(key))
}

/// Optional list-of-strings field `key` of the object at `path`; absent or
/// `null` is empty. Elements must be non-empty strings if `nonempty`.
pub(crate) fn opt_str_list<'v>(
    obj: &'v Map<String, Json>,
    key: &str,
    path: &Path<'_>,
    nonempty: bool,
) -> Result<Vec<&'v str>, InputError> {
    let Some(v) = get(obj, key) else {
        return Ok(Vec::new());
    };
    let lpath = path.key(key);
    as_list(v, &lpath)?
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if nonempty {
                as_nonempty_str(e, &lpath.index(i))
            } else {
                as_str(e, &lpath.index(i))
            }
        })
        .collect()
}

/// Rejects fields of the object at `path` that are not in `known`, so that a
/// typo such as `verifed` is reported instead of silently ignored. The help
/// suggests the closest known field, or else `attributes` when the object
/// has one (`attributes_hint`), or else lists the known fields.
pub(crate) fn check_fields(
    obj: &Map<String, Json>,
    known: &[&str],
    path: &Path<'_>,
    attributes_hint: bool,
) -> Result<(), InputError> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(unknown_field(unknown, known, path, attributes_hint)),
        None => Ok(()),
    }
}

/// The error for field `key` of the object at `path`, which is not one of
/// `known` (see [`check_fields`]).
pub(crate) fn unknown_field(
    key: &str,
    known: &[&str],
    path: &Path<'_>,
    attributes_hint: bool,
) -> InputError {
    let err = path.key(key).error(format!("unknown field `{key}`"));
    match did_you_mean(key, known.iter().copied()) {
        Some(m) => err.with_help(format!("did you mean `{m}`?")),
        None if attributes_hint => err.with_help("put custom data under `attributes`"),
        None => err.with_help(format!("known fields: {}", backticked(known))),
    }
}

/// Attributes object field `key` of the object at `path` as language values.
pub(crate) fn opt_attributes(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
) -> Result<std::collections::BTreeMap<String, crate::value::Value>, InputError> {
    let Some(v) = get(obj, key) else {
        return Ok(std::collections::BTreeMap::new());
    };
    Ok(as_object(v, &path.key(key))?
        .iter()
        .map(|(k, v)| (k.clone(), crate::value::Value::from_json(v)))
        .collect())
}
