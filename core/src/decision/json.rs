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
        to_json(self, 2048 + 160 * self.impact.len())
    }
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

/// Formats an instant as the decision writes it: RFC 3339 in UTC.
pub(crate) fn ts(t: jiff::Timestamp) -> String {
    t.to_string()
}
