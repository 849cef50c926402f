//! One design of a lazy decision for every host: the host object holds
//! core's [`Decision`] and builds each field the first time it is read,
//! from that field's JSON alone, with the host's own JSON parser (which is
//! the fastest way to make host objects in V8 and in CPython).

use serde::Serialize;

use crate::decision::Decision;

/// A field of the decision, named as in the decision JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionField {
    /// `change`: the change's id.
    Change,
    /// `outcome`.
    Outcome,
    /// `approvals`.
    Approvals,
    /// `backups`.
    Backups,
    /// `conditions`.
    Conditions,
    /// `blocks`.
    Blocks,
    /// `next_allowed_start`.
    NextAllowedStart,
    /// `next_allowed_start_limit`: `null` (and absent from the decision
    /// JSON) unless a limit stopped the search for the next allowed start.
    NextAllowedStartLimit,
    /// `impact`.
    Impact,
    /// `overrides`.
    Overrides,
    /// `fired`.
    Fired,
    /// `audit`.
    Audit,
}

impl DecisionField {
    /// Every field, in the decision JSON's order.
    pub const ALL: [DecisionField; 12] = [
        DecisionField::Change,
        DecisionField::Outcome,
        DecisionField::Approvals,
        DecisionField::Backups,
        DecisionField::Conditions,
        DecisionField::Blocks,
        DecisionField::NextAllowedStart,
        DecisionField::NextAllowedStartLimit,
        DecisionField::Impact,
        DecisionField::Overrides,
        DecisionField::Fired,
        DecisionField::Audit,
    ];

    /// The field's key in the decision JSON.
    pub fn name(self) -> &'static str {
        match self {
            DecisionField::Change => "change",
            DecisionField::Outcome => "outcome",
            DecisionField::Approvals => "approvals",
            DecisionField::Backups => "backups",
            DecisionField::Conditions => "conditions",
            DecisionField::Blocks => "blocks",
            DecisionField::NextAllowedStart => "next_allowed_start",
            DecisionField::NextAllowedStartLimit => "next_allowed_start_limit",
            DecisionField::Impact => "impact",
            DecisionField::Overrides => "overrides",
            DecisionField::Fired => "fired",
            DecisionField::Audit => "audit",
        }
    }

    /// Whether the decision JSON leaves the field out when it is `null`
    /// (`next_allowed_start_limit`); every other field is always written.
    pub fn omitted_when_null(self) -> bool {
        matches!(self, DecisionField::NextAllowedStartLimit)
    }

    /// The field of that key; `None` for a key the decision does not have.
    pub fn from_name(name: &str) -> Option<DecisionField> {
        DecisionField::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One field of a decision as compact JSON text: exactly the value the
/// decision JSON holds under that key.
pub fn decision_field_json(d: &Decision, field: DecisionField) -> String {
    fn text<T: Serialize + ?Sized>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
    }
    match field {
        DecisionField::Change => text(&*d.change),
        DecisionField::Outcome => text(&d.outcome),
        DecisionField::Approvals => text(&d.approvals),
        DecisionField::Backups => text(&d.backups),
        DecisionField::Conditions => text(&d.conditions),
        DecisionField::Blocks => text(&d.blocks),
        DecisionField::NextAllowedStart => text(&d.next_allowed_start),
        DecisionField::NextAllowedStartLimit => text(&d.next_allowed_start_limit),
        DecisionField::Impact => text(&d.impact),
        DecisionField::Overrides => text(&d.overrides),
        DecisionField::Fired => text(&d.fired),
        DecisionField::Audit => text(&d.audit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each field's JSON is the decision JSON's value under its key (`null`
    /// for the one key written only when set), and the fields are the
    /// decision JSON's keys in its order.
    #[test]
    fn fields_are_the_decision_json() {
        let policy = crate::Policy::from_sources([(
            "p.gate",
            "rule r { require approval \"cab\" }\nrule d { when false deny \"no\" }",
        )])
        .unwrap();
        let graph = crate::Graph::from_json(
            r#"{"nodes": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}"#,
        )
        .unwrap();
        let change = crate::Change::from_json(
            r#"{"id": "C1", "type": "normal", "targets": ["a"],
                "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"}"#,
        )
        .unwrap();
        let d = policy.evaluate(&change, &graph).unwrap();
        let whole: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&d.to_json()).unwrap();
        let keys: Vec<&str> = whole.keys().map(String::as_str).collect();
        let names: Vec<&str> = DecisionField::ALL
            .iter()
            .filter(|f| !f.omitted_when_null())
            .map(|f| f.name())
            .collect();
        assert_eq!(keys, names);
        for f in DecisionField::ALL {
            let part: serde_json::Value =
                serde_json::from_str(&decision_field_json(&d, f)).unwrap();
            let null = serde_json::Value::Null;
            assert_eq!(&part, whole.get(f.name()).unwrap_or(&null), "{}", f.name());
            assert_eq!(DecisionField::from_name(f.name()), Some(f));
        }
        assert_eq!(DecisionField::from_name("nope"), None);
    }
}
