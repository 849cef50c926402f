//! Python shapes: the input documents as `TypedDict`s (so a plain dict is
//! typed), the outputs as frozen dataclasses, each with a `_from` that
//! builds it from the parsed JSON (times as aware `datetime`s, durations as
//! `timedelta`s).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::{Def, Field, Ty};

/// The module's text; `inputs` and `outputs` are the roots of each side.
pub(crate) fn write(defs: &BTreeMap<String, Def>, inputs: &[&str], outputs: &[&str]) -> String {
    let ins = reachable(defs, inputs);
    let outs = reachable(defs, outputs);
    let mut out = String::from(crate::HEADER_PY);
    out.push_str(PRELUDE);
    for def in defs.values() {
        // A union of literals is a `Literal[...]`; any other union is `Any`
        // (the value stays as the JSON gives it).
        if matches!(def.ty, Ty::Union(_)) && (ins.contains(&def.name) || outs.contains(&def.name)) {
            let _ = writeln!(out, "\n{} = {}", def.name, ty(&def.ty));
            if let Some(d) = &def.doc {
                let _ = writeln!(out, "{}", docstring(d, ""));
            }
        }
    }
    for def in defs.values() {
        if let Ty::Object(fields) = &def.ty {
            if ins.contains(&def.name) {
                typed_dict(&mut out, def, fields);
            }
        }
    }
    let objects: BTreeSet<String> = defs
        .values()
        .filter(|d| matches!(d.ty, Ty::Object(_)))
        .map(|d| d.name.clone())
        .collect();
    for def in defs.values() {
        if let Ty::Object(fields) = &def.ty {
            if outs.contains(&def.name) {
                dataclass(&mut out, def, fields, &objects);
            }
        }
    }
    out
}

const PRELUDE: &str = r#""""The shapes of changegate's documents, generated from the engine's Rust
types: never edit this file, run ``make generate``."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Mapping, Optional, TypedDict


def _time(text: str) -> _dt.datetime:
    """An RFC 3339 time as the engine writes it (UTC, ``Z``), aware.

    The fraction, of 1 to 9 digits, is cut or padded to microseconds: Python
    3.10's ``fromisoformat`` reads only 3 or 6.
    """
    head, dot, fraction = text.rstrip("Z").partition(".")
    if dot:
        head += "." + (fraction + "000000")[:6]
    return _dt.datetime.fromisoformat(head + "+00:00")


_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def _duration(text: str) -> _dt.timedelta:
    """A duration as the engine writes it (``7d``, ``2h30m``, ``-90s``)."""
    sign, rest = (-1, text[1:]) if text.startswith("-") else (1, text)
    total, number = 0, ""
    for c in rest:
        if c.isdigit():
            number += c
        else:
            total += int(number) * _UNITS[c]
            number = ""
    return _dt.timedelta(seconds=sign * total)
"#;

fn reachable(defs: &BTreeMap<String, Def>, roots: &[&str]) -> BTreeSet<String> {
    fn refs(t: &Ty, out: &mut Vec<String>) {
        match t {
            Ty::Ref(n) => out.push(n.clone()),
            Ty::Array(i) | Ty::Map(i) | Ty::Nullable(i) => refs(i, out),
            // Other unions are `Any`: what they name is not needed.
            Ty::Union(a) if a.iter().all(|t| matches!(t, Ty::Literal(_))) => {}
            Ty::Object(f) => f.iter().for_each(|f| refs(&f.ty, out)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.iter().map(|s| (*s).to_owned()).collect();
    while let Some(n) = todo.pop() {
        if let Some(d) = defs.get(&n) {
            if seen.insert(n) {
                refs(&d.ty, &mut todo);
            }
        }
    }
    seen
}

fn docstring(text: &str, indent: &str) -> String {
    let text = text.replace('`', "``").replace("````", "``");
    let body: Vec<String> = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect();
    let body = body.join("\n");
    let body = body.strip_prefix(indent).unwrap_or(&body);
    format!("{indent}\"\"\"{body}\"\"\"")
}

fn ty(t: &Ty) -> String {
    match t {
        Ty::String { format } => match format.as_deref() {
            Some("date-time") => "_dt.datetime".to_owned(),
            Some("changegate-duration") => "_dt.timedelta".to_owned(),
            _ => "str".to_owned(),
        },
        Ty::Integer => "int".to_owned(),
        Ty::Number => "float".to_owned(),
        Ty::Boolean => "bool".to_owned(),
        Ty::Any => "Any".to_owned(),
        Ty::Literal(s) => format!("Literal[\"{s}\"]"),
        Ty::Array(i) => format!("List[{}]", ty(i)),
        Ty::Map(i) => format!("Dict[str, {}]", ty(i)),
        Ty::Ref(n) => n.clone(),
        Ty::Nullable(i) => format!("Optional[{}]", ty(i)),
        Ty::Union(a) if a.iter().all(|t| matches!(t, Ty::Literal(_))) => {
            let lits: Vec<String> = a
                .iter()
                .filter_map(|t| match t {
                    Ty::Literal(s) => Some(format!("\"{s}\"")),
                    _ => None,
                })
                .collect();
            format!("Literal[{}]", lits.join(", "))
        }
        Ty::Union(_) | Ty::Object(_) => "Any".to_owned(),
    }
}

/// Input documents are typed as the JSON is, so their times stay text.
fn input_ty(t: &Ty) -> String {
    match t {
        Ty::String { .. } => "str".to_owned(),
        Ty::Array(i) => format!("List[{}]", input_ty(i)),
        Ty::Map(i) => format!("Dict[str, {}]", input_ty(i)),
        Ty::Nullable(i) => format!("Optional[{}]", input_ty(i)),
        other => ty(other),
    }
}

fn typed_dict(out: &mut String, def: &Def, fields: &[Field]) {
    let entries = |required: bool| {
        fields
            .iter()
            .filter(|f| f.required == required)
            // Quoted: a TypedDict made by a call reads its types at once,
            // and some name a TypedDict defined further down.
            .map(|f| format!("\"{}\": '{}'", f.name, input_ty(&f.ty)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = &def.name;
    let _ = writeln!(
        out,
        "\n\n_{name}Required = TypedDict(\"_{name}Required\", {{{}}})",
        entries(true)
    );
    let _ = writeln!(
        out,
        "_{name}Optional = TypedDict(\"_{name}Optional\", {{{}}}, total=False)",
        entries(false)
    );
    let _ = writeln!(out, "\n\nclass {name}(_{name}Required, _{name}Optional):");
    let mut doc = def.doc.clone().unwrap_or_default();
    for f in fields {
        let _ = write!(
            doc,
            "\n\n``{}``{}: {}",
            f.name,
            if f.required { "" } else { " (optional)" },
            f.doc.as_deref().unwrap_or("")
        );
    }
    let _ = writeln!(out, "{}", docstring(doc.trim(), "    "));
}

fn dataclass(out: &mut String, def: &Def, fields: &[Field], objects: &BTreeSet<String>) {
    let name = &def.name;
    let _ = writeln!(out, "\n\n@dataclass(frozen=True)\nclass {name}:");
    if let Some(d) = &def.doc {
        let _ = writeln!(out, "{}\n", docstring(d, "    "));
    }
    for f in fields {
        let t = match &f.ty {
            Ty::Nullable(_) => ty(&f.ty),
            other if !f.required => format!("Optional[{}]", ty(other)),
            other => ty(other),
        };
        let _ = writeln!(out, "    {}: {t}", f.name);
        if let Some(d) = &f.doc {
            let _ = writeln!(out, "{}", docstring(d, "    "));
        }
    }
    let _ = writeln!(
        out,
        "\n    @classmethod\n    def _from(cls, d: Mapping[str, Any]) -> {name}:\n        \"\"\"Builds it from its parsed JSON.\"\"\"\n        return cls("
    );
    for f in fields {
        // A key written only when set reads as `None` when absent.
        let (value, got) = (
            format!("d[\"{}\"]", f.name),
            format!("d.get(\"{}\")", f.name),
        );
        let inner = match &f.ty {
            Ty::Nullable(i) => i.as_ref(),
            t => t,
        };
        let built = if f.required {
            convert(&f.ty, &value, 0, objects)
        } else if needs_build(inner, objects) {
            let built = convert(inner, &value, 1, objects);
            format!("None if {got} is None else {built}")
        } else {
            got
        };
        let _ = writeln!(out, "            {built},");
    }
    out.push_str("        )\n");
}

/// The Python expression that turns parsed JSON `v` into type `t`.
fn convert(t: &Ty, v: &str, depth: usize, objects: &BTreeSet<String>) -> String {
    let x = format!("x{depth}");
    match t {
        Ty::String {
            format: Some(f), ..
        } if f == "date-time" => format!("_time({v})"),
        Ty::String {
            format: Some(f), ..
        } if f == "changegate-duration" => format!("_duration({v})"),
        Ty::Ref(n) if objects.contains(n) => format!("{n}._from({v})"),
        Ty::Array(i) if needs_build(i, objects) => {
            format!("[{} for {x} in {v}]", convert(i, &x, depth + 1, objects))
        }
        Ty::Nullable(i) if needs_build(i, objects) => {
            format!(
                "None if {v} is None else {}",
                convert(i, v, depth + 1, objects)
            )
        }
        _ => v.to_owned(),
    }
}

fn needs_build(t: &Ty, objects: &BTreeSet<String>) -> bool {
    match t {
        Ty::String { format } => {
            matches!(format.as_deref(), Some("date-time" | "changegate-duration"))
        }
        Ty::Ref(n) => objects.contains(n),
        Ty::Array(i) | Ty::Nullable(i) => needs_build(i, objects),
        _ => false,
    }
}
