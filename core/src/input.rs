//! Errors in graph and change documents, and the helpers that read JSON with
//! precise paths (`nodes[17].tier`, `backups[0].taken_at`) in their errors.

use jiff::Timestamp;
use serde_json::{Map, Value as Json};

use crate::limits::Limits;

/// An error in a graph or change document, naming the JSON path of the
/// offending value.
///
/// `path` is written the way a person would point at the value: `targets[2]`,
/// `nodes[17].tier`, `edges[4].to`; it is empty for the document as a whole
/// (invalid JSON, a document over the size limit). The message is lowercase,
/// without a final period, with user input in backticks; `help`, when present,
/// says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", located(.message, .path))]
pub struct InputError {
    /// JSON path of the offending value, such as `nodes[17].tier`; empty for
    /// the whole document.
    pub path: String,
    /// What is wrong, such as ``expected an integer, found string `"1"` ``.
    pub message: String,
    /// How to fix it, such as ``did you mean `verified`?``.
    pub help: Option<String>,
}

fn located(message: &str, path: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        format!("{message} at `{path}`")
    }
}

impl InputError {
    /// An error at `path` (empty for the whole document) without help.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError {
            path: path.into(),
            message: message.into(),
            help: None,
        }
    }

    /// The same error with `help` attached.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> InputError {
        self.help = Some(help.into());
        self
    }
}

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

/// Longest word, and longest candidate, in bytes, that a typo search
/// compares: an edit distance is quadratic in the lengths, and nobody needs
/// a did-you-mean for a megabyte-long id.
const SUGGEST_MAX_BYTES: usize = 256;
/// Most edit-distance cells one typo search computes over all its
/// candidates (every node of a large graph); past that it stops looking.
const SUGGEST_MAX_CELLS: usize = 50_000_000;

/// Bounds the work of one typo search, so that hostile input (megabyte-long
/// names, a million candidates) cannot make an error slow to report.
pub(crate) struct Suggest {
    bytes: usize,
    chars: usize,
    cells: usize,
}

impl Suggest {
    /// A search for typos of `word`; `None` when it is too long to look.
    pub(crate) fn new(word: &str) -> Option<Suggest> {
        (word.len() <= SUGGEST_MAX_BYTES).then(|| Suggest {
            bytes: word.len(),
            chars: word.chars().count(),
            cells: 0,
        })
    }

    /// Whether `candidate` is worth an edit distance: not too long, its
    /// length within `slack(longer byte length)` characters of the word's
    /// (an edit distance is at least the difference in length), and the
    /// budget not yet spent.
    pub(crate) fn worth(&mut self, candidate: &str, slack: impl Fn(usize) -> usize) -> bool {
        if candidate.len() > SUGGEST_MAX_BYTES || self.cells > SUGGEST_MAX_CELLS {
            return false;
        }
        let chars = candidate.chars().count();
        if self.chars.abs_diff(chars) > slack(self.bytes.max(candidate.len())) {
            return false;
        }
        self.cells += (self.chars + 2) * (chars + 2);
        true
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let mut search = Suggest::new(word)?;
    let mut best: Option<(f64, &str)> = None;
    // A score of at least 0.7 is an edit distance of at most 0.3 × the longer length.
    for c in candidates {
        if !search.worth(c, |longer| longer * 3 / 10) {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(word, c);
        if score >= 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
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

/// `a`, `b`, `c` (for help texts).
pub(crate) fn backticked(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
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

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_render_like_json_paths() {
        let root = Path::Root;
        let nodes = root.key("nodes");
        let n3 = nodes.index(3);
        let dep = n3.key("depends_on");
        assert_eq!(dep.index(1).render(), "nodes[3].depends_on[1]");
        assert_eq!(root.render(), "");
        assert_eq!(root.index(0).render(), "[0]");
    }

    #[test]
    fn display_names_path_unless_root() {
        assert_eq!(
            InputError::new("nodes[1].tier", "expected an integer").to_string(),
            "expected an integer at `nodes[1].tier`"
        );
        assert_eq!(
            InputError::new("", "invalid JSON").to_string(),
            "invalid JSON"
        );
    }

    #[test]
    fn integers_reject_floats_strings_and_huge_numbers() {
        let p = Path::Root;
        assert_eq!(as_int(&json!(-3), &p), Ok(-3));
        let e = as_int(&json!(1.5), &p).unwrap_err();
        assert_eq!(e.message, "expected an integer, found number `1.5`");
        let e = as_int(&json!(u64::MAX), &p).unwrap_err();
        assert!(e.message.contains("out of range"), "{}", e.message);
        let e = as_int(&json!("1"), &p).unwrap_err();
        assert_eq!(e.message, "expected an integer, found string `\"1\"`");
    }

    #[test]
    fn timestamps_need_an_offset() {
        let p = Path::Root;
        let t = as_timestamp(&json!("2026-12-22T15:00:00+01:00"), &p).unwrap();
        assert_eq!(t.to_string(), "2026-12-22T14:00:00Z");
        let e = as_timestamp(&json!("2026-12-22T14:00:00"), &p).unwrap_err();
        assert!(e.message.contains("no UTC offset"), "{}", e.message);
        assert_eq!(
            e.help.as_deref(),
            Some("add `Z` or an offset such as `+01:00`")
        );
        let e = as_timestamp(&json!("2026-12-22"), &p).unwrap_err();
        assert!(e.message.contains("no time"), "{}", e.message);
        let e = as_timestamp(&json!("tomorrow"), &p).unwrap_err();
        assert!(
            e.message.starts_with("invalid timestamp `tomorrow`"),
            "{}",
            e.message
        );
        let e = as_timestamp(&json!(5), &p).unwrap_err();
        assert!(e.message.contains("found number `5`"), "{}", e.message);
    }

    #[test]
    fn unknown_fields_suggest_a_fix() {
        let obj = json!({"resource": "db", "verifed": true});
        let obj = obj.as_object().unwrap();
        let root = Path::Root;
        let p = root.key("backups");
        let p = p.index(0);
        let e = check_fields(obj, &["resource", "verified"], &p, false).unwrap_err();
        assert_eq!(e.path, "backups[0].verifed");
        assert_eq!(e.message, "unknown field `verifed`");
        assert_eq!(e.help.as_deref(), Some("did you mean `verified`?"));
        let obj = json!({"region": "eu"});
        let e =
            check_fields(obj.as_object().unwrap(), &["id", "kind"], &Path::Root, true).unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("put custom data under `attributes`")
        );
        let e = check_fields(
            obj.as_object().unwrap(),
            &["id", "kind"],
            &Path::Root,
            false,
        )
        .unwrap_err();
        assert_eq!(e.help.as_deref(), Some("known fields: `id`, `kind`"));
    }

    #[test]
    fn bad_json_and_oversized_text_are_errors_at_the_root() {
        let e = parse_json("{\"a\": 1,}", &Limits::default()).unwrap_err();
        assert_eq!(e.path, "");
        assert!(e.message.contains("line 1 column 9"), "{}", e.message);
        let limits = Limits {
            max_input_bytes: 4,
            ..Limits::default()
        };
        let e = parse_json("[1, 2]", &limits).unwrap_err();
        assert!(
            e.message.contains("more than the limit of 4 bytes"),
            "{}",
            e.message
        );
    }

    #[test]
    fn null_optional_fields_are_absent_but_required_ones_are_not() {
        let obj = json!({"kind": null, "id": null});
        let obj = obj.as_object().unwrap();
        assert_eq!(opt_str(obj, "kind", &Path::Root), Ok(None));
        let e = req_str(obj, "id", &Path::Root).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            ("id", "expected a string, found `null`")
        );
        let e = req_str(obj, "owner", &Path::Root).unwrap_err();
        assert_eq!(e.message, "missing required field `owner`");
        assert_eq!(e.path, "owner");
    }
}
