//! Entity references, read with Backstage's rules: the string form
//! `[<kind>:][<namespace>/]<name>`, a kind and namespace taken from the
//! field's context when left out, and every part compared without case.

/// An entity reference with its three parts known, spelled as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct EntityRef {
    pub(super) kind: String,
    pub(super) namespace: String,
    pub(super) name: String,
}

/// What identifies an entity: its kind, namespace and name in lower case
/// (Backstage compares all three without case).
pub(super) type RefKey = (String, String, String);

/// The namespace of an entity that names none.
pub(super) const DEFAULT_NAMESPACE: &str = "default";

impl EntityRef {
    /// The parts in lower case, for comparing.
    pub(super) fn key(&self) -> RefKey {
        (
            self.kind.to_lowercase(),
            self.namespace.to_lowercase(),
            self.name.to_lowercase(),
        )
    }

    /// The full reference as Backstage writes it: kind and namespace in
    /// lower case, the name as spelled (`component:default/Artist-Lookup`).
    pub(super) fn canonical(&self) -> String {
        format!(
            "{}:{}/{}",
            self.kind.to_lowercase(),
            self.namespace.to_lowercase(),
            self.name
        )
    }
}

/// Reads the string form `[<kind>:][<namespace>/]<name>`. A `/` before the
/// first `:` means there is no kind (the colon is part of the name); the
/// name is everything after the namespace's `/`. A missing kind is
/// `default_kind` (an error where the field has none, as for `dependsOn`);
/// a missing namespace is `default_namespace`. The error is a message
/// without the record's name.
pub(super) fn parse(
    text: &str,
    default_kind: Option<&str>,
    default_namespace: &str,
) -> Result<EntityRef, String> {
    let slash = text.find('/');
    let colon = text.find(':').filter(|c| slash.is_none_or(|s| *c < s));
    let (kind, rest) = match colon {
        Some(c) => (
            Some(text.get(..c).unwrap_or("")),
            text.get(c + 1..).unwrap_or(""),
        ),
        None => (None, text),
    };
    let (namespace, name) = match rest.split_once('/') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, rest),
    };
    if kind == Some("") || namespace == Some("") || name.is_empty() {
        return Err(format!(
            "`{text}` is not an entity reference of the form `[<kind>:][<namespace>/]<name>`"
        ));
    }
    let Some(kind) = kind.or(default_kind) else {
        return Err(format!("`{text}` has no kind"));
    };
    Ok(EntityRef {
        kind: kind.to_owned(),
        namespace: namespace.unwrap_or(default_namespace).to_owned(),
        name: name.to_owned(),
    })
}

/// Whether `kind` is a valid kind: a letter, then letters and digits, at
/// most 63 characters (Backstage's rule).
pub(super) fn valid_kind(kind: &str) -> bool {
    let mut chars = kind.chars();
    kind.len() <= 63
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Whether `ns` is a valid namespace: letters and digits in runs separated
/// by single `-`, at most 63 characters (Backstage's rule).
pub(super) fn valid_namespace(ns: &str) -> bool {
    ns.len() <= 63
        && ns
            .split('-')
            .all(|run| !run.is_empty() && run.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `name` can be an entity's name here: not empty, at most 253
/// characters, without spaces or control characters. (Backstage's default
/// rule is stricter and configurable; these are what a node id needs.)
pub(super) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 253
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// How a relation or a `spec` field links two entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    /// The entity depends on the target.
    DependsOn,
    /// The target depends on the entity.
    DependencyOf,
    /// The entity is part of the target (`partOf`): the whole depends on
    /// its part. Between two components it is a subcomponent, always an
    /// edge; otherwise (a system, a domain) an edge only with the option
    /// `part_of_edges`.
    PartOf,
    /// The target is part of the entity (`hasPart`).
    HasPart,
}

/// The meaning of a relation type of an API export: a link, or `None` for
/// the organisational ones (ownership, membership, the group tree), which
/// say who is responsible, not what a change impacts. Types are compared
/// as Backstage writes them (camel case); an unknown type is `Err`.
pub(super) fn relation(kind: &str) -> Result<Option<Link>, ()> {
    Ok(Some(match kind {
        "dependsOn" | "consumesApi" | "apiProvidedBy" => Link::DependsOn,
        "dependencyOf" | "apiConsumedBy" | "providesApi" => Link::DependencyOf,
        "partOf" => Link::PartOf,
        "hasPart" => Link::HasPart,
        "ownedBy" | "ownerOf" | "memberOf" | "hasMember" | "childOf" | "parentOf" => {
            return Ok(None);
        }
        _ => return Err(()),
    }))
}

/// The relation types [`relation`] knows, for help texts.
pub(super) const RELATIONS: &[&str] = &[
    "dependsOn",
    "dependencyOf",
    "consumesApi",
    "apiConsumedBy",
    "providesApi",
    "apiProvidedBy",
    "partOf",
    "hasPart",
    "ownedBy",
    "ownerOf",
    "memberOf",
    "hasMember",
    "childOf",
    "parentOf",
];

/// The `spec` fields that link entities: name, the kind a reference
/// without one has, whether it holds a list, and the link.
pub(super) const SPEC_LINKS: &[(&str, Option<&str>, bool, Link)] = &[
    ("dependsOn", None, true, Link::DependsOn),
    ("dependencyOf", None, true, Link::DependencyOf),
    ("consumesApis", Some("api"), true, Link::DependsOn),
    ("providesApis", Some("api"), true, Link::DependencyOf),
    ("subcomponentOf", Some("component"), false, Link::PartOf),
    ("system", Some("system"), false, Link::PartOf),
    ("domain", Some("domain"), false, Link::PartOf),
    ("subdomainOf", Some("domain"), false, Link::PartOf),
];
