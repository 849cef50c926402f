//! The report as JUnit XML, which CI systems read: one `testsuite` per test
//! file, one `testcase` per case, the differences in each `failure`.

use std::fmt::Write as _;

use super::report::{Status, TestReport};

/// `text` escaped for XML 1.0 text and attribute values. Characters XML 1.0
/// cannot hold at all (most controls, lone surrogates cannot occur in a
/// `str`) become U+FFFD, so the document stays well-formed.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as references so attribute values keep them too.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

impl TestReport {
    /// The report as JUnit XML.
    pub fn to_junit(&self) -> String {
        let s = &self.summary;
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"changegate\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            s.passed + s.failed + s.skipped + s.errors,
            s.failed,
            s.errors,
            s.skipped
        );
        for file in &self.files {
            let name = escape(&file.file);
            let failures = count(file, Status::Failed);
            let skipped = count(file, Status::Skipped);
            let (tests, errors) = match &file.error {
                Some(_) => (1, 1),
                None => (file.cases.len(), 0),
            };
            let _ = writeln!(
                out,
                "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
            );
            if let Some(e) = &file.error {
                let _ = writeln!(
                    out,
                    "    <testcase name=\"(test file)\" classname=\"{name}\">\n      <error message=\"{}\">{}</error>\n    </testcase>",
                    escape(&e.message),
                    escape(&e.describe(&file.file))
                );
            }
            for case in &file.cases {
                let _ = write!(
                    out,
                    "    <testcase name=\"{}\" classname=\"{name}\"",
                    escape(&case.name)
                );
                match case.status {
                    Status::Passed => out.push_str("/>\n"),
                    Status::Skipped => {
                        let _ = writeln!(
                            out,
                            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                            escape(case.skip.as_deref().unwrap_or_default())
                        );
                    }
                    Status::Failed => {
                        let n = case.mismatches.len();
                        let s = if n == 1 { "" } else { "s" };
                        let _ = writeln!(
                            out,
                            ">\n      <failure message=\"{n} difference{s}\">{}</failure>\n    </testcase>",
                            escape(&case.diff())
                        );
                    }
                }
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

fn count(file: &super::report::FileReport, status: Status) -> usize {
    file.cases.iter().filter(|c| c.status == status).count()
}
