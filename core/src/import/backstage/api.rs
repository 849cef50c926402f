//! A catalog file, YAML or JSON, as the entities it holds.
//!
//! A file whose name ends in `.json` is the catalog API's JSON, read by
//! changegate's JSON reader (a repeated key is an error; places are JSON
//! paths); any other file is a YAML stream. Either holds, at its root or in
//! each YAML document: one entity (a mapping with a `kind`), a list of
//! entities (`GET /api/catalog/entities`), or a mapping whose `items` is
//! that list (`GET /api/catalog/entities/by-query`, whose `totalItems` and
//! `pageInfo` are not read). A blank YAML document (a `---` with nothing
//! after it) holds nothing, as Backstage reads it.

use super::tree::{At, Node, Value};
use super::yaml;
use crate::import::ImportNote;
use crate::input::{InputError, Path, parse_json};
use crate::limits::Limits;
use crate::source::Source;

/// Whether `name` is read as JSON.
pub(super) fn is_json(name: &str) -> bool {
    name.len() >= 5
        && name
            .get(name.len() - 5..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".json"))
}

/// The file's documents (YAML) or its one value (JSON), with its places
/// prefixed by the file's name.
pub(super) fn parse(file: &Source, limits: &Limits) -> Result<Vec<Node>, InputError> {
    let located = |mut e: InputError| {
        e.path = if e.path.is_empty() {
            file.name.clone()
        } else {
            format!("{}: {}", file.name, e.path)
        };
        e
    };
    if is_json(&file.name) {
        let v = parse_json(&file.text, limits).map_err(located)?;
        return Ok(vec![Node::from_json(v)]);
    }
    crate::input::check_size(&file.text, limits).map_err(located)?;
    yaml::documents(&file.name, crate::input::strip_bom(&file.text))
}

/// What [`each_entity`] calls with each entity, its path and the notes.
pub(super) type EntityFn<'f> =
    dyn FnMut(&Node, &Path<'_>, &mut Vec<ImportNote>) -> Result<(), InputError> + 'f;

/// Calls `f` with each entity of the document `doc` of `file`, and its
/// path; an empty item of a list (`null`, which `by-refs` writes for a
/// reference it did not find) is a note.
pub(super) fn each_entity(
    file: &str,
    doc: &Node,
    notes: &mut Vec<ImportNote>,
    f: &mut EntityFn<'_>,
) -> Result<(), InputError> {
    let root = Path::Root;
    let items_path = root.key("items");
    let (items, path) = match &doc.value {
        Value::Null => return Ok(()),
        Value::List(items) => (items, &root),
        Value::Map(_) if doc.get("kind").is_none() => match doc.get("items") {
            Some(Node {
                value: Value::List(items),
                ..
            }) => (items, &items_path),
            Some(other) => {
                return Err(InputError::new(
                    At::new(file, &items_path, other).render(),
                    format!("`items` is {}, not a list of entities", other.describe()),
                )
                .with_help("the catalog API's `by-query` answer has its entities in `items`"));
            }
            None => return f(doc, &root, notes),
        },
        _ => return f(doc, &root, notes),
    };
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        if item.value == Value::Null {
            notes.push(ImportNote {
                record: At::new(file, &p, item).render(),
                field: None,
                message: "an empty item (`null`) of the list holds no entity".to_owned(),
            });
            continue;
        }
        f(item, &p, notes)?;
    }
    Ok(())
}
