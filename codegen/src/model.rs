//! The shapes of the JSON Schemas, read into a small model that the
//! TypeScript and Python writers share: named definitions, each an object
//! with fields, a set of string literals, or an alias of another type.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

/// A type as the writers need it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// A string; `format` is the schema's `format` (such as `date-time`).
    String { format: Option<String> },
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Any,
    /// One string literal.
    Literal(String),
    /// A list.
    Array(Box<Ty>),
    /// An object with arbitrary keys.
    Map(Box<Ty>),
    /// A named definition.
    Ref(String),
    /// `T | null`.
    Nullable(Box<Ty>),
    /// One of several types (literals, or objects tagged by a field).
    Union(Vec<Ty>),
    /// An object written in place (a variant of a tagged union).
    Object(Vec<Field>),
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The key.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// Whether the key must be present.
    pub required: bool,
    /// The doc comment.
    pub doc: Option<String>,
}

/// A named definition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Def {
    /// The name (the Rust type's, or its `schemars(rename)`).
    pub name: String,
    /// The doc comment.
    pub doc: Option<String>,
    /// What it is.
    pub ty: Ty,
}

/// Every definition of a set of schemas, by name; a definition that two
/// schemas share must be the same in both.
pub(crate) fn definitions(schemas: &[(String, Json)]) -> Result<BTreeMap<String, Def>, String> {
    let mut out: BTreeMap<String, Def> = BTreeMap::new();
    for (root, schema) in schemas {
        let mut named = vec![(root.clone(), schema)];
        if let Some(Json::Object(defs)) = schema.get("$defs") {
            named.extend(defs.iter().map(|(k, v)| (k.clone(), v)));
        }
        for (name, s) in named {
            let def = Def {
                name: name.clone(),
                doc: doc(s),
                ty: ty(s)?,
            };
            match out.get(&name) {
                Some(old) if *old != def => {
                    return Err(format!("`{name}` is defined twice, differently"));
                }
                _ => {
                    out.insert(name, def);
                }
            }
        }
    }
    Ok(out)
}

fn doc(s: &Json) -> Option<String> {
    s.get("description")
        .and_then(Json::as_str)
        .map(str::to_owned)
}

fn ty(s: &Json) -> Result<Ty, String> {
    let Json::Object(o) = s else {
        return Ok(Ty::Any);
    };
    if let Some(r) = o.get("$ref").and_then(Json::as_str) {
        return Ok(Ty::Ref(r.rsplit('/').next().unwrap_or(r).to_owned()));
    }
    if let Some(c) = o.get("const").and_then(Json::as_str) {
        return Ok(Ty::Literal(c.to_owned()));
    }
    if let Some(Json::Array(e)) = o.get("enum") {
        let lits = e
            .iter()
            .map(|v| v.as_str().map(|s| Ty::Literal(s.to_owned())))
            .collect::<Option<Vec<_>>>()
            .ok_or("an `enum` of something other than strings")?;
        return Ok(Ty::Union(lits));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Json::Array(alts)) = o.get(key) {
            let is_null = |a: &&Json| a.get("type") == Some(&Json::from("null"));
            let rest = alts
                .iter()
                .filter(|a| !is_null(a))
                .map(ty)
                .collect::<Result<Vec<_>, _>>()?;
            let t = one(rest);
            return Ok(if alts.iter().any(|a| is_null(&a)) {
                Ty::Nullable(Box::new(t))
            } else {
                t
            });
        }
    }
    let types: Vec<&str> = match o.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => return Ok(Ty::Any),
    };
    let nullable = types.contains(&"null");
    let base: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    let inner = match base.as_slice() {
        ["string"] => Ty::String {
            format: o.get("format").and_then(Json::as_str).map(str::to_owned),
        },
        ["integer"] => Ty::Integer,
        ["number"] => Ty::Number,
        ["boolean"] => Ty::Boolean,
        ["array"] => Ty::Array(Box::new(
            o.get("items").map(ty).transpose()?.unwrap_or(Ty::Any),
        )),
        ["object"] => object(o)?,
        [] => Ty::Any,
        other => return Err(format!("a type of several kinds: {other:?}")),
    };
    Ok(if nullable {
        Ty::Nullable(Box::new(inner))
    } else {
        inner
    })
}

fn one(mut tys: Vec<Ty>) -> Ty {
    if tys.len() == 1 {
        tys.remove(0)
    } else {
        Ty::Union(tys)
    }
}

fn object(o: &Map<String, Json>) -> Result<Ty, String> {
    let required: Vec<&str> = match o.get("required") {
        Some(Json::Array(r)) => r.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    match o.get("properties") {
        Some(Json::Object(props)) => {
            let fields = props
                .iter()
                .map(|(name, s)| {
                    Ok(Field {
                        name: name.clone(),
                        ty: ty(s)?,
                        required: required.contains(&name.as_str()),
                        doc: doc(s),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Ty::Object(fields))
        }
        _ => Ok(Ty::Map(Box::new(match o.get("additionalProperties") {
            Some(Json::Object(s)) => ty(&Json::Object(s.clone()))?,
            _ => Ty::Any,
        }))),
    }
}
