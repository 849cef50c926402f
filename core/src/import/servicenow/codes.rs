//! The change's choice codes and their names: ServiceNow stores `risk`,
//! `impact`, `urgency`, `priority` and `state` as integers whose labels an
//! instance may rename; the names here are those of a base instance,
//! lowercase, so that a policy can say `change.risk == "high"` (the number
//! is `change.risk_code`).

/// A coded field of `change_request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Code {
    Risk,
    Impact,
    Urgency,
    Priority,
    State,
}

pub(super) const CODES: [(&str, Code); 5] = [
    ("risk", Code::Risk),
    ("impact", Code::Impact),
    ("urgency", Code::Urgency),
    ("priority", Code::Priority),
    ("state", Code::State),
];

impl Code {
    /// Each code and its name.
    pub(super) fn names(self) -> &'static [(i64, &'static str)] {
        match self {
            Code::Risk => &[(1, "very high"), (2, "high"), (3, "moderate"), (4, "low")],
            Code::Impact | Code::Urgency => &[(1, "high"), (2, "medium"), (3, "low")],
            Code::Priority => &[
                (1, "critical"),
                (2, "high"),
                (3, "moderate"),
                (4, "low"),
                (5, "planning"),
            ],
            Code::State => &[
                (-5, "new"),
                (-4, "assess"),
                (-3, "authorize"),
                (-2, "scheduled"),
                (-1, "implement"),
                (0, "review"),
                (3, "closed"),
                (4, "canceled"),
            ],
        }
    }

    /// The name of code `n`, if a base instance has one.
    pub(super) fn name(self, n: i64) -> Option<&'static str> {
        self.names().iter().find(|(c, _)| *c == n).map(|(_, s)| *s)
    }

    /// A raw value: the code as an integer (`"3"`, `"-5"`).
    pub(super) fn raw(text: &str) -> Option<i64> {
        text.trim().parse().ok()
    }

    /// A display label: `3 - Moderate` (the number first, as impact,
    /// urgency and priority are labelled), `Moderate`, `Very High`,
    /// `Cancelled`; case does not matter.
    pub(super) fn label(self, text: &str) -> Option<i64> {
        let text = text.trim();
        let head = text.split(" - ").next().unwrap_or(text);
        if let Some(n) = Code::raw(head) {
            return Some(n);
        }
        let lower = text.to_lowercase();
        let lower = if lower == "cancelled" {
            "canceled".to_owned()
        } else {
            lower
        };
        self.names()
            .iter()
            .find(|(_, s)| *s == lower)
            .map(|(c, _)| *c)
    }
}
