//! The decision's JSON: serde_json's pretty layout, byte for byte, so the
//! same decision gives the same bytes on every front end.

use serde::Serialize;

use super::Decision;

impl Decision {
    /// The decision as JSON: two-space indented, keys in the order of
    /// docs/language.md, *The decision*, ending with a newline. The same
    /// decision always gives the same bytes.
    pub fn to_json(&self) -> String {
        // Sized for the usual decision, whose bulk is the impact report.
        let mut out = Vec::with_capacity(2048 + 160 * self.impact.len());
        if self.write_json(&mut out).is_err() {
            return String::new();
        }
        out.extend_from_slice(b"\n}\n");
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the decision but its closing brace: the fields as serde
    /// writes them (the order and the field skipped when absent are those
    /// of the derived `Serialize`, which a test compares), except the
    /// impact report, whose many short lines [`ImpactReport::write_json`]
    /// writes directly.
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        field(out, true, "change", &self.change)?;
        field(out, false, "outcome", &self.outcome)?;
        field(out, false, "approvals", &self.approvals)?;
        field(out, false, "backups", &self.backups)?;
        field(out, false, "conditions", &self.conditions)?;
        field(out, false, "blocks", &self.blocks)?;
        field(out, false, "next_allowed_start", &self.next_allowed_start)?;
        if let Some(limit) = &self.next_allowed_start_limit {
            field(out, false, "next_allowed_start_limit", limit)?;
        }
        key(out, false, "impact");
        self.impact.write_json(out, 1);
        field(out, false, "overrides", &self.overrides)?;
        field(out, false, "fired", &self.fired)?;
        field(out, false, "audit", &self.audit)
    }
}

/// Writes `"key": ` as a field of the top-level object, after a comma
/// unless it is the `first`.
fn key(out: &mut Vec<u8>, first: bool, key: &str) {
    if !first {
        out.push(b',');
    }
    newline(out, 1);
    write_str(out, key);
    out.extend_from_slice(b": ");
}

/// Writes field `name` of the top-level object with value `value`.
fn field<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    first: bool,
    name: &str,
    value: &T,
) -> serde_json::Result<()> {
    key(out, first, name);
    let pretty = Pretty {
        level: 1,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, pretty))
}

/// A line break and the indentation of `level`, as [`Pretty`] writes them.
pub(super) fn newline(out: &mut Vec<u8>, level: usize) {
    const LINE: &[u8; 33] = b"\n                                ";
    match LINE.get(..1 + 2 * level) {
        Some(line) => out.extend_from_slice(line),
        None => {
            out.push(b'\n');
            out.resize(out.len() + 2 * level, b' ');
        }
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it: ids are almost
/// always plain, and copied in one piece.
pub(super) fn write_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        // serde_json's own escaping, so that the bytes are the same;
        // writing to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
        return;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// `n` in decimal, as serde_json writes an integer.
pub(super) fn write_u32(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            // `n % 10` is below 10.
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// `value` as the decision JSON is written: serde_json's pretty layout
/// (see [`Pretty`]) and a final newline. `capacity` is a first guess of the
/// size.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty layout (two-space indent), byte for byte, but
/// writing each line break and its indentation in one piece: a decision's
/// impact report is mostly short, deeply indented lines.
#[derive(Default)]
pub(super) struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break and the indentation of the current level.
    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const LINE: &[u8; 65] =
            b"\n                                                                ";
        let mut width = 2 * self.level;
        w.write_all(LINE.get(..1 + width.min(64)).unwrap_or(b"\n"))?;
        while width > 64 {
            width -= 64;
            w.write_all(LINE.get(1..1 + width.min(64)).unwrap_or(b""))?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, open: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, close: &[u8]) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(close)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
