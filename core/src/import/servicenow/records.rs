//! Table API records: a file's `{"result": {...}}` or `{"result": [...]}`,
//! and each field in every shape the API writes it.
//!
//! With `sysparm_display_value=false` (the default) a field is its raw
//! value, a string (`"3"`, `"2026-12-22 14:00:00"`, a sys_id), and a
//! reference field is `{"link", "value"}` or, with
//! `sysparm_exclude_reference_link=true`, the bare sys_id. With
//! `sysparm_display_value=all` every field is `{"display_value", "value"}`
//! (with `link` for references). With `sysparm_display_value=true` fields
//! are display values only: strings, and references `{"display_value",
//! "link"}`. An empty string is an unset field.

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use super::err;
use crate::error::Error;
use crate::input::{describe, parse_json};
use crate::limits::Limits;
use crate::source::Source;

/// A file read as JSON.
pub(super) struct Parsed {
    /// The file's name, as shown in errors.
    pub(super) name: String,
    pub(super) json: Json,
}

/// Reads each file as JSON (bounded by `limits.max_input_bytes`).
pub(super) fn parse(sources: &[Source], limits: &Limits) -> Result<Vec<Parsed>, Error> {
    sources
        .iter()
        .map(|s| {
            let json = parse_json(&s.text, limits).map_err(|e| err::json(&s.name, e))?;
            Ok(Parsed {
                name: s.name.clone(),
                json,
            })
        })
        .collect()
}

/// One record of a file.
pub(super) struct Record<'a> {
    /// The file's name.
    pub(super) file: &'a str,
    /// Where the record is in the file: `result` or `result[3]`.
    pub(super) place: String,
    pub(super) fields: &'a Map<String, Json>,
    /// Whether the export has display values only (`sysparm_display_value=
    /// true`): then a plain string is a display value too.
    pub(super) display_only: bool,
}

/// The records of every file, in order; `table` names what they should be
/// (`change_request`) in errors.
pub(super) fn records<'a>(files: &'a [Parsed], table: &str) -> Result<Vec<Record<'a>>, Error> {
    let mut out = Vec::new();
    for f in files {
        let help = format!(
            "export `{table}` records with the Table API (`GET /api/now/table/{table}`), \
             which wraps them as `{{\"result\": [...]}}`"
        );
        let Some(result) = f.json.as_object().and_then(|o| o.get("result")) else {
            let message = format!(
                "expected the Table API's `{{\"result\": ...}}`, found {}",
                describe(&f.json)
            );
            return Err(err::at(&f.name, "", message, &help));
        };
        match result {
            Json::Object(fields) => out.push(record(&f.name, "result".to_owned(), fields)),
            Json::Array(list) => {
                for (i, r) in list.iter().enumerate() {
                    let place = format!("result[{i}]");
                    let Json::Object(fields) = r else {
                        let message = format!("expected a record, found {}", describe(r));
                        return Err(err::at(&f.name, &place, message, &help));
                    };
                    out.push(record(&f.name, place, fields));
                }
            }
            other => {
                let message = format!("expected a record or a list, found {}", describe(other));
                return Err(err::at(&f.name, "result", message, &help));
            }
        }
    }
    Ok(out)
}

fn record<'a>(file: &'a str, place: String, fields: &'a Map<String, Json>) -> Record<'a> {
    let display_only = fields.values().any(|v| {
        v.as_object()
            .is_some_and(|o| o.contains_key("display_value") && !o.contains_key("value"))
    });
    Record {
        file,
        place,
        fields,
        display_only,
    }
}

/// A field as read: its raw value and its display value, each absent when
/// the export does not carry it or it is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Field {
    pub(super) value: Option<String>,
    pub(super) display: Option<String>,
    /// Whether it is a reference (an object with a `link`).
    pub(super) reference: bool,
}

impl Field {
    /// Whether the field is unset (absent, `null`, or empty).
    pub(super) fn is_unset(&self) -> bool {
        self.value.is_none() && self.display.is_none()
    }

    /// The readable form: the display value, else the raw value.
    pub(super) fn shown(&self) -> Option<&str> {
        self.display.as_deref().or(self.value.as_deref())
    }
}

/// A scalar as text; an empty string is unset.
fn scalar(v: &Json) -> Option<Option<String>> {
    match v {
        Json::Null => Some(None),
        Json::String(s) if s.is_empty() => Some(None),
        Json::String(s) => Some(Some(s.clone())),
        Json::Number(n) => Some(Some(n.to_string())),
        Json::Bool(b) => Some(Some(b.to_string())),
        Json::Array(_) | Json::Object(_) => None,
    }
}

impl Record<'_> {
    /// The path of field `name` of this record.
    pub(super) fn path(&self, name: &str) -> String {
        format!("{}.{name}", self.place)
    }

    /// Field `name`, in whichever shape the export wrote it.
    pub(super) fn field(&self, name: &str, label: &str) -> Result<Field, Error> {
        let Some(v) = self.fields.get(name) else {
            return Ok(Field::default());
        };
        let bad = |what: String| {
            err::at(
                self.file,
                &self.path(name),
                format!("{label}: `{name}` is {what}"),
                "the Table API writes a field as a string, as `{\"link\", \"value\"}` for a \
                 reference, or as `{\"display_value\", \"value\"}` with \
                 `sysparm_display_value=all`",
            )
        };
        if let Some(text) = scalar(v) {
            return Ok(if self.display_only {
                Field {
                    value: None,
                    display: text,
                    reference: false,
                }
            } else {
                Field {
                    value: text,
                    display: None,
                    reference: false,
                }
            });
        }
        let Json::Object(o) = v else {
            return Err(bad(describe(v)));
        };
        if let Some(k) = o
            .keys()
            .find(|k| !matches!(k.as_str(), "value" | "display_value" | "link"))
        {
            return Err(bad(format!("an object with a field `{k}`")));
        }
        let part = |key: &str| match o.get(key) {
            None => Ok(None),
            Some(x) => {
                scalar(x).ok_or_else(|| bad(format!("an object whose `{key}` is {}", describe(x))))
            }
        };
        Ok(Field {
            value: part("value")?,
            display: part("display_value")?,
            reference: o.contains_key("link"),
        })
    }

    /// The record's `sys_id`, when it has one.
    pub(super) fn sys_id(&self) -> Option<String> {
        self.field("sys_id", "record")
            .ok()
            .and_then(|f| f.value.or(f.display))
    }

    /// Field names of the record, in its order.
    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }
}

/// What the export says a sys_id is called: from every reference that
/// carries both its value and its display value (`sysparm_display_value=
/// all`), so that a reference elsewhere given by sys_id alone reads by the
/// same name. The first name seen for a sys_id wins.
#[derive(Debug, Default)]
pub(super) struct Names(HashMap<String, String>);

impl Names {
    /// Learns the names the references of `records` carry.
    pub(super) fn learn(&mut self, records: &[Record<'_>]) {
        for r in records {
            for v in r.fields.values() {
                let Json::Object(o) = v else { continue };
                if !o.contains_key("link") {
                    continue;
                }
                let (Some(Json::String(id)), Some(Json::String(name))) =
                    (o.get("value"), o.get("display_value"))
                else {
                    continue;
                };
                if !id.is_empty() && !name.is_empty() {
                    self.0.entry(id.clone()).or_insert_with(|| name.clone());
                }
            }
        }
    }

    /// Records that sys_id `id` is called `name`, unless known already.
    pub(super) fn insert(&mut self, id: &str, name: &str) {
        if !id.is_empty() && !name.is_empty() {
            self.0
                .entry(id.to_owned())
                .or_insert_with(|| name.to_owned());
        }
    }

    /// The name of sys_id `id`, if the export carries one.
    pub(super) fn get(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }

    /// A reference field's readable form: its display value, else the name
    /// learnt for its sys_id, else the sys_id.
    pub(super) fn shown(&self, f: &Field) -> Option<String> {
        if let Some(d) = &f.display {
            return Some(d.clone());
        }
        let id = f.value.as_deref()?;
        Some(self.get(id).unwrap_or(id).to_owned())
    }
}

/// A field kept as an attribute: a reference by its readable form, any
/// other field by its raw value (its display value when the export has no
/// raw one); `"true"` and `"false"` are booleans. `None` when unset.
pub(super) fn attribute(f: &Field, names: &Names) -> Option<Json> {
    let text = if f.reference {
        names.shown(f)?
    } else {
        f.value.clone().or_else(|| f.display.clone())?
    };
    Some(match text.as_str() {
        "true" => Json::Bool(true),
        "false" => Json::Bool(false),
        _ => Json::String(text),
    })
}
