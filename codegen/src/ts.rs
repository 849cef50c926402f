//! TypeScript declarations of every shape, for both JavaScript packages
//! (Node and WASM): one file, included by each package's declarations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Def, Field, Ty};

/// The declarations, with a header saying where they come from.
pub(crate) fn write(defs: &BTreeMap<String, Def>) -> String {
    let mut out = String::from(crate::HEADER_JS);
    out.push_str(
        "// The shapes of changegate's documents: what the Node and WASM packages\n\
         // take and return. Keys are the JSON documents' own.\n",
    );
    for def in defs.values() {
        out.push('\n');
        doc(&mut out, def.doc.as_deref(), "");
        match &def.ty {
            Ty::Object(fields) => {
                let _ = writeln!(out, "export interface {} {{", def.name);
                for f in fields {
                    field(&mut out, f, "  ");
                }
                out.push_str("}\n");
            }
            other => {
                let _ = writeln!(out, "export type {} ={}", def.name, {
                    let t = ty(other, "");
                    if t.starts_with('\n') {
                        t
                    } else {
                        format!(" {t}")
                    }
                });
            }
        }
    }
    out.push_str(ERROR_CLASS);
    out
}

/// The class both packages throw, built from an [`ErrorReport`]'s fields
/// by `bindings/types/error.js`.
const ERROR_CLASS: &str = "
/**
 * What every operation of both packages throws: an `ErrorReport` as an
 * `Error`. `kind` says which fields are set: `policy` has `diagnostics`,
 * `input` has `document` and `path`, `io` has `path`; `internal` is a bug.
 */
export declare class ChangegateError extends Error implements ErrorReport {
  readonly name: 'ChangegateError'
  kind: ErrorKind
  message: string
  help: string | null
  diagnostics: Diagnostic[]
  document: Document | null
  path: string | null
  /** In a batch (`evaluateMany`), the position of the change that failed. */
  index?: number
}
";

fn doc(out: &mut String, text: Option<&str>, indent: &str) {
    let Some(text) = text else { return };
    let lines: Vec<&str> = text.lines().collect();
    if let [one] = lines.as_slice() {
        let _ = writeln!(out, "{indent}/** {one} */");
        return;
    }
    let _ = writeln!(out, "{indent}/**");
    for l in lines {
        let _ = writeln!(out, "{indent} *{}{l}", if l.is_empty() { "" } else { " " });
    }
    let _ = writeln!(out, "{indent} */");
}

fn field(out: &mut String, f: &Field, indent: &str) {
    doc(out, f.doc.as_deref(), indent);
    let _ = writeln!(
        out,
        "{indent}{}{}: {}",
        key(&f.name),
        if f.required { "" } else { "?" },
        ty(&f.ty, indent)
    );
}

fn key(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{name}'")
    }
}

fn ty(t: &Ty, indent: &str) -> String {
    match t {
        Ty::String { .. } => "string".to_owned(),
        Ty::Integer | Ty::Number => "number".to_owned(),
        Ty::Boolean => "boolean".to_owned(),
        Ty::Any => "unknown".to_owned(),
        Ty::Literal(s) => format!("'{s}'"),
        Ty::Array(inner) => match **inner {
            Ty::Union(_) | Ty::Nullable(_) => format!("Array<{}>", ty(inner, indent)),
            _ => format!("{}[]", ty(inner, indent)),
        },
        Ty::Map(inner) => format!("Record<string, {}>", ty(inner, indent)),
        Ty::Ref(name) => name.clone(),
        Ty::Nullable(inner) => format!("{} | null", ty(inner, indent)),
        Ty::Union(alts) => {
            let inner = format!("{indent}  ");
            let parts: Vec<String> = alts.iter().map(|a| ty(a, &inner)).collect();
            if alts.iter().any(|a| matches!(a, Ty::Object(_))) {
                parts
                    .iter()
                    .map(|p| format!("\n{inner}| {p}"))
                    .collect::<String>()
            } else {
                parts.join(" | ")
            }
        }
        Ty::Object(fields) => {
            let mut s = String::from("{\n");
            let inner = format!("{indent}  ");
            for f in fields {
                field(&mut s, f, &inner);
            }
            s.push_str(indent);
            s.push('}');
            s
        }
    }
}
