//! Structure-aware fuzzing support (the `arbitrary` feature): turns the raw
//! bytes a fuzzer hands over into a [`Scenario`], a policy set, a graph and
//! a change that are valid most of the time, so that the fuzzer spends its
//! time in the checker, the compiler and the evaluator instead of in the
//! parser's error paths.
//!
//! The policy uses every construct of the language: `between` and `cron`
//! windows in several zones (DST gaps and overlaps, half-hour offsets),
//! `let` sets built on each other, graph walks with and without `depth`,
//! `where` filters, set functions, every comparison, `when`/`unless`, every
//! effect, `because` and `override by`. A small share of the choices is
//! deliberately wrong (a type mismatch, an unknown name or zone, a huge
//! number, an impossible cron field, `end` before `start`) so that the
//! error paths after parsing are exercised too. The graph has cycles and
//! self-loops, nodes without owners and attributes that shadow first-class
//! fields; the change has approvals (some by the requester), backups of
//! every status, and overrides good and bad. Some scenarios lower the
//! [`Limits`] so that the limit errors are reached as well.
//!
//! Used by `fuzz/fuzz_targets/compile_evaluate.rs`; not part of the stable
//! API.

use std::fmt::{self, Write as _};

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{Map, Value as Json, json};

use crate::limits::Limits;
use crate::source::Source;

/// A generated policy set, graph and change, and the limits to use for all
/// three.
#[derive(Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The policy files.
    pub sources: Vec<Source>,
    /// The graph, as JSON text.
    pub graph_json: String,
    /// The change, as JSON text.
    pub change_json: String,
    /// The limits to compile, load and evaluate with.
    pub limits: Limits,
}

impl fmt::Debug for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "limits: {:?}", self.limits)?;
        for s in &self.sources {
            writeln!(f, "----- {} -----\n{}", s.name, s.text)?;
        }
        writeln!(f, "----- graph.json -----\n{}", self.graph_json)?;
        writeln!(f, "----- change.json -----\n{}", self.change_json)
    }
}

impl<'a> Arbitrary<'a> for Scenario {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut g = Gen {
            u,
            nwin: 0,
            nlet: 0,
            nrules: 0,
            ids: Vec::new(),
            sloppy: false,
        };
        g.sloppy = g.chance(1, 5)?;
        let limits = g.limits()?;
        let graph = g.graph()?;
        let items = g.policy()?;
        let change = g.change()?;
        let files = g.u.int_in_range(1..=3usize)?;
        let mut sources: Vec<Source> = (0..files)
            .map(|i| Source {
                name: format!("p{i}.gate"),
                text: String::new(),
            })
            .collect();
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = sources.get_mut(i % files) {
                s.text.push_str(item);
                s.text.push('\n');
            }
        }
        Ok(Scenario {
            sources,
            graph_json: serde_json::to_string_pretty(&graph).unwrap_or_default(),
            change_json: serde_json::to_string_pretty(&change).unwrap_or_default(),
            limits,
        })
    }
}

const ZONES: [&str; 8] = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "Europe/London",
];

/// Cron expressions worth having: DST nights, month ends, `L`, `W`, `#`,
/// names, steps, Vixie day-of-month/day-of-week, never-matching dates.
const CRONS: [&str; 22] = [
    "0 22 * * SAT",
    "30 2 * * *",
    "0 0 25 3,6,9,12 *",
    "0 9-17 * * MON-FRI",
    "*/30 1-3 * * *",
    "0 0 13 * FRI",
    "0 0 29 2 *",
    "0 6 L * *",
    "0 6 LW * *",
    "0 6 15W * *",
    "0 18 * * 5L",
    "0 9 * * MON#2",
    "0 0 1 * MON",
    "0 */6 * * *",
    "15 0 * * 7",
    "@daily",
    "@weekly",
    "0 4 * JAN,JUL *",
    "0 20 * * 5-7",
    "* * * * *",
    "0 0 1 1 *",
    "59 23 31 12 *",
];

/// Wall-clock times near DST transitions of the zones above, and plain ones.
const CIVIL: [&str; 10] = [
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    "2026-03-29T02:30",
    "2026-10-25T02:30",
    "2026-04-05T01:45",
    "2026-12-19T00:00",
    "2026-06-13T00:00",
    "2027-01-04T00:00",
    "2026-02-28T23:59",
    "2028-02-29T12:00",
];

/// Instants around the same transitions, for changes.
const INSTANTS: [&str; 8] = [
    "2026-03-08T06:00:00Z",
    "2026-11-01T05:00:00Z",
    "2026-03-29T00:30:00Z",
    "2026-10-25T00:30:00Z",
    "2026-12-22T14:00:00Z",
    "2026-06-13T21:00:00Z",
    "2026-04-04T15:00:00Z",
    "2027-01-04T04:59:00Z",
];

const GROUPS: [&str; 8] = [
    "cab", "dba", "team-a", "team-b", "team-c", "cto", "vp", "security",
];
const PEOPLE: [&str; 4] = ["alice", "bob", "carol", "dana"];
const KINDS: [&str; 3] = ["database", "service", "frontend"];
const TAGS: [&str; 4] = ["pii", "customer-facing", "sox", "critical"];
const STRINGS: [&str; 8] = [
    "database",
    "schema",
    "high",
    "emergency",
    "normal",
    "team-a",
    "n0",
    "",
];

/// The generator: choices come from the fuzzer's bytes.
struct Gen<'u, 'a> {
    u: &'u mut Unstructured<'a>,
    nwin: usize,
    nlet: usize,
    nrules: usize,
    ids: Vec<String>,
    /// Whether this scenario may contain deliberate mistakes.
    sloppy: bool,
}

/// The static type an operand is known to have, to build well-typed
/// comparisons most of the time.
#[derive(Clone, Copy, Arbitrary)]
enum Ty {
    Num,
    Dur,
    Time,
    Str,
    List,
    Any,
}

impl Gen<'_, '_> {
    /// One of the items of `list`.
    fn pick<T: Copy>(&mut self, list: &[T]) -> Result<T> {
        self.u.choose(list).copied()
    }

    /// A deliberate mistake, now and then, in a sloppy scenario.
    fn wrong(&mut self, d: u8) -> Result<bool> {
        Ok(self.sloppy && self.chance(1, d)?)
    }

    /// True with probability `n / d`.
    fn chance(&mut self, n: u8, d: u8) -> Result<bool> {
        self.u.ratio(n, d)
    }

    fn limits(&mut self) -> Result<Limits> {
        // The scan limit bounds the window search. At the default (10^6
        // occurrences, ~0.5 s natively) a sanitized build spends minutes in
        // a search that ends at the limit by design (~40 µs an occurrence
        // in jiff's time zone code under ASan); a lower one keeps those runs
        // well under the fuzzer's 1 s timeout, so that a slow input is one
        // whose work the limit does not account for.
        let mut l = Limits {
            max_window_scan: 3_000,
            ..Limits::default()
        };
        if self.chance(1, 8)? {
            l.max_window_scan = self.pick(&[0, 1, 50, 1_000, 3_000])?;
        }
        if self.chance(1, 16)? {
            l.max_nesting = self.u.int_in_range(1..=8)?;
        }
        if self.chance(1, 16)? {
            l.max_graph_nodes = self.u.int_in_range(0..=4)?;
            l.max_graph_edges = self.u.int_in_range(0..=4)?;
        }
        if self.chance(1, 32)? {
            l.max_source_bytes = self.u.int_in_range(0..=200)?;
            l.max_input_bytes = self.u.int_in_range(0..=400)?;
        }
        Ok(l)
    }

    // ------------------------------------------------------------- graph

    fn graph(&mut self) -> Result<Json> {
        let n = if self.chance(1, 10)? {
            self.u.int_in_range(0..=40usize)?
        } else {
            self.u.int_in_range(1..=8usize)?
        };
        self.ids = (0..n)
            .map(|i| match i {
                1 => "db".to_owned(),
                2 => "api".to_owned(),
                _ => format!("n{i}"),
            })
            .collect();
        let mut nodes = Vec::new();
        for id in self.ids.clone() {
            nodes.push(self.node(&id)?);
        }
        let mut edges = Vec::new();
        let nedges = self.u.int_in_range(0..=(2 * n).min(60))?;
        for _ in 0..nedges {
            let (Some(from), Some(to)) = (self.index(n)?, self.index(n)?) else {
                break;
            };
            let to_id = self.ids.get(to).cloned().unwrap_or_default();
            if self.u.arbitrary()? {
                if let Some(Json::Object(o)) = nodes.get_mut(from) {
                    if let Json::Array(deps) = o.entry("depends_on").or_insert_with(|| json!([])) {
                        deps.push(json!(to_id));
                    }
                }
            } else {
                let from_id = self.ids.get(from).cloned().unwrap_or_default();
                edges.push(json!({"from": from_id, "to": to_id}));
            }
        }
        if self.wrong(20)? {
            // An edge to a node that does not exist.
            edges.push(json!({"from": "n0", "to": "ghost"}));
        }
        let mut g = Map::new();
        g.insert("nodes".to_owned(), Json::Array(nodes));
        if !edges.is_empty() || self.u.arbitrary()? {
            g.insert("edges".to_owned(), Json::Array(edges));
        }
        Ok(Json::Object(g))
    }

    fn index(&mut self, n: usize) -> Result<Option<usize>> {
        if n == 0 {
            return Ok(None);
        }
        Ok(Some(self.u.int_in_range(0..=n - 1)?))
    }

    fn node(&mut self, id: &str) -> Result<Json> {
        let mut o = Map::new();
        o.insert("id".to_owned(), json!(id));
        if self.u.arbitrary()? {
            o.insert("kind".to_owned(), json!(self.pick(&KINDS)?));
        }
        if self.chance(3, 4)? {
            let tier: i64 = if self.chance(1, 20)? {
                self.u.arbitrary()?
            } else {
                self.u.int_in_range(0..=3)?
            };
            o.insert("tier".to_owned(), json!(tier));
        }
        if self.chance(4, 5)? {
            o.insert("owner".to_owned(), json!(self.pick(&GROUPS[2..5])?));
        }
        if self.u.arbitrary()? {
            let mut tags = Vec::new();
            for t in TAGS {
                if self.chance(1, 3)? {
                    tags.push(json!(t));
                }
            }
            o.insert("tags".to_owned(), Json::Array(tags));
        }
        if self.u.arbitrary()? {
            let mut a = Map::new();
            if self.u.arbitrary()? {
                let r = self.pick(&["eu", "us-east-1"])?;
                a.insert("region".to_owned(), json!(r));
                a.insert("meta".to_owned(), json!({"zone": r}));
            }
            if self.u.arbitrary()? {
                let sla = self
                    .u
                    .choose(&[json!(99), json!(99.9), json!(50), json!(-0.0), json!(1e300)])?
                    .clone();
                a.insert("sla".to_owned(), sla);
            }
            if self.chance(1, 4)? {
                // First-class fields win over attributes of the same name.
                a.insert("owner".to_owned(), json!("shadow"));
                a.insert("tier".to_owned(), json!("nine"));
            }
            o.insert("attributes".to_owned(), Json::Object(a));
        }
        Ok(Json::Object(o))
    }

    // ------------------------------------------------------------ change

    fn change(&mut self) -> Result<Json> {
        let mut o = Map::new();
        let id = if self.wrong(20)? {
            ""
        } else {
            self.pick(&["CHG1", "CHG0031337"])?
        };
        o.insert("id".to_owned(), json!(id));
        o.insert(
            "type".to_owned(),
            json!(self.pick(&["standard", "normal", "normal", "emergency"])?),
        );
        let mut targets = Vec::new();
        let n = self.ids.len();
        let want = self.u.int_in_range(1..=3usize)?;
        for _ in 0..want {
            if let Some(i) = self.index(n)? {
                targets.push(json!(self.ids.get(i).cloned().unwrap_or_default()));
            }
        }
        if targets.is_empty() || self.wrong(20)? {
            targets.push(json!("ghost"));
        }
        o.insert("targets".to_owned(), Json::Array(targets));
        let base: jiff::Timestamp = self.pick(&INSTANTS)?.parse().unwrap_or_default();
        let shift = if self.chance(1, 10)? {
            self.u.int_in_range(-600_000..=600_000i64)?
        } else {
            self.u.int_in_range(-2_880..=2_880i64)?
        };
        let start = base
            .checked_add(jiff::SignedDuration::from_mins(shift))
            .unwrap_or(base);
        let minutes = if self.chance(1, 10)? {
            self.u.int_in_range(1..=600_000i64)?
        } else {
            self.pick(&[1, 30, 45, 60, 90, 120, 360, 1440])?
        };
        let end = start
            .checked_add(jiff::SignedDuration::from_mins(minutes))
            .unwrap_or(start);
        o.insert("start".to_owned(), json!(start.to_string()));
        o.insert("end".to_owned(), json!(end.to_string()));
        let requester = if self.chance(3, 4)? {
            let p = self.pick(&PEOPLE)?;
            o.insert("requested_by".to_owned(), json!(p));
            Some(p)
        } else {
            None
        };

        let mut approvals = Vec::new();
        for _ in 0..self.u.int_in_range(0..=5u8)? {
            let mut a = json!({"group": self.pick(&GROUPS)?, "by": self.pick(&PEOPLE)?});
            if self.u.arbitrary()? {
                if let Json::Object(a) = &mut a {
                    a.insert("at".to_owned(), json!(start.to_string()));
                }
            }
            approvals.push(a);
        }
        if !approvals.is_empty() || self.u.arbitrary()? {
            o.insert("approvals".to_owned(), Json::Array(approvals));
        }

        let mut backups = Vec::new();
        for _ in 0..self.u.int_in_range(0..=3u8)? {
            let resource = match self.index(n)? {
                Some(i) if !self.chance(1, 20)? => self.ids.get(i).cloned().unwrap_or_default(),
                _ => "ghost".to_owned(),
            };
            let before = self.pick(&[0i64, 1, 59, 60, 61, 1439, 1440, 1441, 10_000, -5])?;
            let taken = start
                .checked_sub(jiff::SignedDuration::from_mins(before))
                .unwrap_or(start);
            let mut b = Map::new();
            b.insert("resource".to_owned(), json!(resource));
            b.insert("taken_at".to_owned(), json!(taken.to_string()));
            if self.u.arbitrary()? {
                b.insert("kind".to_owned(), json!(self.pick(&["snapshot", "dump"])?));
            }
            if self.u.arbitrary()? {
                b.insert("verified".to_owned(), json!(self.u.arbitrary::<bool>()?));
            }
            if self.u.arbitrary()? {
                let st = self.pick(&["completed", "failed", "partial", "in_progress"])?;
                b.insert("status".to_owned(), json!(st));
            }
            backups.push(Json::Object(b));
        }
        if !backups.is_empty() {
            o.insert("backups".to_owned(), Json::Array(backups));
        }

        let mut overrides = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            let rule = match self.index(self.nrules)? {
                Some(i) if !self.chance(1, 8)? => format!("r{i}"),
                _ => "nope".to_owned(),
            };
            let by = match requester {
                Some(r) if self.chance(1, 4)? => r,
                _ => self.pick(&PEOPLE)?,
            };
            overrides.push(json!({
                "rule": rule,
                "group": self.pick(&["cto", "vp", "cab", "cfo"])?,
                "by": by,
                "reason": self.pick(&["sev-1 INC0042", "", "CVE"])?,
            }));
        }
        if !overrides.is_empty() {
            o.insert("overrides".to_owned(), Json::Array(overrides));
        }

        let mut a = Map::new();
        if self.u.arbitrary()? {
            a.insert(
                "category".to_owned(),
                json!(self.pick(&["database", "network"])?),
            );
        }
        if self.u.arbitrary()? {
            a.insert("tags".to_owned(), json!(["schema"]));
        }
        if self.u.arbitrary()? {
            a.insert("risk".to_owned(), json!(self.pick(&["high", "low"])?));
        }
        if self.u.arbitrary()? {
            a.insert("backout_plan".to_owned(), json!("restore"));
        }
        if self.u.arbitrary()? {
            let score: i64 = if self.chance(1, 8)? {
                self.u.arbitrary()?
            } else {
                self.u.int_in_range(0..=5)?
            };
            a.insert("score".to_owned(), json!(score));
        }
        if self.u.arbitrary()? {
            a.insert("flag".to_owned(), json!(self.u.arbitrary::<bool>()?));
        }
        if self.u.arbitrary()? {
            a.insert("meta".to_owned(), json!({"level": 2}));
        }
        if !a.is_empty() {
            o.insert("attributes".to_owned(), Json::Object(a));
        }
        Ok(Json::Object(o))
    }

    // ------------------------------------------------------------ policy

    /// Every item's text: windows, sets, rules, shuffled a little.
    fn policy(&mut self) -> Result<Vec<String>> {
        let mut items = Vec::new();
        self.nwin = self.u.int_in_range(0..=4)?;
        for i in 0..self.nwin {
            let w = self.window()?;
            items.push(format!("window w{i} = {w}"));
        }
        let nlet = self.u.int_in_range(0..=3usize)?;
        for i in 0..nlet {
            self.nlet = i;
            let s = self.set(2)?;
            items.push(format!("let s{i} = {s}"));
        }
        self.nlet = nlet;
        self.nrules = self.u.int_in_range(1..=6)?;
        for i in 0..self.nrules {
            let r = self.rule(i)?;
            items.push(r);
        }
        // Items may come in any order: move one to the front.
        if items.len() > 1 && self.u.arbitrary()? {
            let k = self.u.int_in_range(0..=items.len() - 1)?;
            let it = items.remove(k);
            items.insert(0, it);
        }
        Ok(items)
    }

    fn zone(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=40u8)? {
            0..=7 => String::new(),
            8 if self.wrong(2)? => " in \"Mars/Olympus\"".to_owned(),
            9 if self.wrong(2)? => " in \"europe/berlin\"".to_owned(),
            _ => format!(" in \"{}\"", self.pick(&ZONES)?),
        })
    }

    fn duration(&mut self) -> Result<String> {
        let unit = self.pick(&["w", "d", "h", "m", "s"])?;
        Ok(match self.u.int_in_range(0..=80u8)? {
            0 if self.wrong(2)? => format!("{}{unit}", self.u.arbitrary::<u64>()?),
            1 if self.wrong(2)? => "0m".to_owned(),
            2 => "2h30m".to_owned(),
            3 => "1d12h".to_owned(),
            _ => format!("{}{unit}", self.u.int_in_range(1..=48u32)?),
        })
    }

    fn window(&mut self) -> Result<String> {
        if self.chance(3, 5)? {
            let expr = if self.wrong(4)? {
                self.pick(&["0 0 30 2 *", "0 0 31 4,6,9,11 *", "61 * * * *", "* * *"])?
                    .to_owned()
            } else if self.chance(1, 3)? {
                self.cron()?
            } else {
                self.pick(&CRONS)?.to_owned()
            };
            let dur = self.duration()?;
            let z = self.zone()?;
            Ok(format!("cron \"{expr}\" for {dur}{z}"))
        } else {
            let a: jiff::civil::DateTime = self.pick(&CIVIL)?.parse().unwrap_or_default();
            let shift = self.u.int_in_range(-3_000..=3_000i64)?;
            let a = a
                .checked_add(jiff::SignedDuration::from_mins(shift))
                .unwrap_or(a);
            let len = if self.wrong(10)? {
                -60
            } else {
                self.pick(&[30i64, 60, 180, 360, 1_440, 4_320, 21_600, 600_000])?
            };
            let b = a
                .checked_add(jiff::SignedDuration::from_mins(len))
                .unwrap_or(a);
            let off = self.pick(&["", "", "Z", "+02:00", "-05:00", "+05:45"])?;
            let z = self.zone()?;
            Ok(format!(
                "between {}{off} and {}{off}{z}",
                a.strftime("%Y-%m-%dT%H:%M"),
                b.strftime("%Y-%m-%dT%H:%M")
            ))
        }
    }

    /// A five-field cron expression built field by field (sometimes with a
    /// value out of range or a name in the wrong field).
    fn cron(&mut self) -> Result<String> {
        let mut out = String::new();
        for (i, (lo, hi)) in [(0u32, 59u32), (0, 23), (1, 31), (1, 12), (0, 7)]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push(' ');
            }
            let wide = hi + 2;
            let v = |g: &mut Self| -> Result<u32> {
                if g.wrong(10)? {
                    g.u.int_in_range(0..=wide)
                } else {
                    g.u.int_in_range(lo..=hi)
                }
            };
            match self.u.int_in_range(0..=9u8)? {
                0..=2 => out.push('*'),
                3 | 4 => {
                    let x = v(self)?;
                    let _ = write!(out, "{x}");
                }
                5 => {
                    let (a, b) = (v(self)?, v(self)?);
                    let _ = write!(out, "{}-{}", a.min(b), a.max(b));
                }
                6 => {
                    let (a, b, c) = (v(self)?, v(self)?, v(self)?);
                    let _ = write!(out, "{a},{b},{c}");
                }
                7 => {
                    let s = self.u.int_in_range(1..=hi.max(1))?;
                    let _ = write!(out, "*/{s}");
                }
                8 => {
                    let (a, b) = (v(self)?, v(self)?);
                    let s = self.u.int_in_range(1..=7u32)?;
                    let _ = write!(out, "{}-{}/{s}", a.min(b), a.max(b));
                }
                _ => out.push_str(match i {
                    2 => self.pick(&["L", "LW", "15W", "1W", "31W", "L"])?,
                    3 if self.wrong(2)? => "MON",
                    3 => self.pick(&["JAN", "FEB-MAR", "DEC", "NOV-FEB"])?,
                    4 if self.wrong(2)? => "JAN",
                    4 => self.pick(&["MON", "SAT,SUN", "5L", "MON#2", "5#5", "MON-FRI"])?,
                    _ => "*",
                }),
            }
        }
        Ok(out)
    }

    fn rule(&mut self, i: usize) -> Result<String> {
        let mut out = format!("rule r{i} {{\n");
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            let e = self.cond(false, 3)?;
            let _ = writeln!(out, "  when {e}");
        }
        for _ in 0..self.u.int_in_range(0..=1u8)? {
            let e = self.cond(false, 2)?;
            let _ = writeln!(out, "  unless {e}");
        }
        let neffects = self.u.int_in_range(1..=3u8)?;
        for _ in 0..neffects {
            let e = self.effect()?;
            let _ = writeln!(out, "  {e}");
        }
        if self.u.arbitrary()? {
            let b = self.pick(&["tier-0 systems are in the blast radius", "policy", ""])?;
            let _ = writeln!(out, "  because \"{b}\"");
        }
        if self.u.arbitrary()? {
            let n = self.u.int_in_range(1..=3usize)?;
            let mut gs = Vec::new();
            for _ in 0..n {
                let g = if self.wrong(30)? {
                    ""
                } else {
                    self.pick(&["cto", "vp", "cab"])?
                };
                gs.push(format!("\"{g}\""));
            }
            let _ = writeln!(out, "  override by {}", gs.join(", "));
        }
        out.push('}');
        Ok(out)
    }

    fn windows_ref(&mut self) -> Result<String> {
        let mut names = Vec::new();
        for _ in 0..self.u.int_in_range(1..=2u8)? {
            match self.index(self.nwin)? {
                Some(w) if !self.wrong(20)? => names.push(format!("w{w}")),
                _ => names.push("nowhere".to_owned()),
            }
        }
        Ok(names.join(", "))
    }

    fn effect(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=11u8)? {
            0 | 1 => {
                let g = self.pick(&GROUPS)?;
                match self.u.int_in_range(0..=30u8)? {
                    0..=12 => format!("require approval \"{g}\""),
                    13 if self.wrong(2)? => {
                        format!(
                            "require approval \"{g}\" count {}",
                            self.u.arbitrary::<i64>()?
                        )
                    }
                    _ => format!(
                        "require approval \"{g}\" count {}",
                        self.u.int_in_range(1..=3)?
                    ),
                }
            }
            2 => format!("require approval owner of {}", self.set(2)?),
            3 | 4 => {
                let v = if self.u.arbitrary()? { "verified " } else { "" };
                let s = self.set(1)?;
                let k = if self.u.arbitrary()? {
                    format!(" kind \"{}\"", self.pick(&["snapshot", "dump"])?)
                } else {
                    String::new()
                };
                let d = self.duration()?;
                format!("require {v}backup of {s}{k} within {d}")
            }
            5 | 6 => {
                let e = self.cond(false, 2)?;
                let m = self.pick(&[
                    "a backout plan is required",
                    "risk must be assessed",
                    "`api` has no owner to approve the change",
                ])?;
                format!("require {e} else \"{m}\"")
            }
            7 => format!("deny \"{}\"", self.pick(&["change freeze", "no", ""])?),
            8 | 9 if self.nwin > 0 || self.wrong(10)? => {
                format!("deny during {}", self.windows_ref()?)
            }
            10 | 11 if self.nwin > 0 || self.wrong(10)? => {
                format!("deny outside {}", self.windows_ref()?)
            }
            _ => "require approval \"cab\"".to_owned(),
        })
    }

    /// A node set.
    fn set(&mut self, depth: u32) -> Result<String> {
        let choice = if depth == 0 {
            self.u.int_in_range(0..=2u8)?
        } else {
            self.u.int_in_range(0..=6u8)?
        };
        Ok(match choice {
            0 => "targets".to_owned(),
            1 => "impacted".to_owned(),
            2 => match self.index(self.nlet)? {
                Some(i) => format!("s{i}"),
                None if self.wrong(10)? => "s9".to_owned(),
                None => "targets".to_owned(),
            },
            3 | 4 => {
                let f = self.pick(&["dependents", "dependencies"])?;
                let inner = self.set(depth - 1)?;
                match self.u.int_in_range(0..=5u8)? {
                    0 | 1 => format!("{f}({inner}, depth {})", self.u.int_in_range(1..=3)?),
                    2 if self.wrong(4)? => {
                        format!("{f}({inner}, depth {})", self.u.arbitrary::<i64>()?)
                    }
                    _ => format!("{f}({inner})"),
                }
            }
            _ => {
                let inner = self.set(depth - 1)?;
                let e = self.cond(true, depth)?;
                if self.u.arbitrary()? {
                    format!("({inner}) where {e}")
                } else {
                    format!("{inner} where {e}")
                }
            }
        })
    }

    /// A boolean expression; `node` is bound when `in_node`.
    fn cond(&mut self, in_node: bool, depth: u32) -> Result<String> {
        let top = if depth == 0 { 3 } else { 9 };
        Ok(match self.u.int_in_range(0..=top)? {
            0 | 1 => self.compare(in_node)?,
            2 => match self.u.int_in_range(0..=4u8)? {
                0 => "true".to_owned(),
                1 => "false".to_owned(),
                2 => "change.flag".to_owned(),
                3 if in_node => "node.meta.ok".to_owned(),
                _ => "change.flag == true".to_owned(),
            },
            3 => {
                let x = self.operand(Ty::Str, in_node, 0)?;
                let l = self.operand(Ty::List, in_node, 0)?;
                let op = self.pick(&["in", "not in"])?;
                format!("{x} {op} {l}")
            }
            4 | 5 => {
                let f = self.pick(&["any", "all"])?;
                let s = self.set(depth.saturating_sub(1).min(2))?;
                let e = self.cond(true, depth - 1)?;
                format!("{f}({s}, {e})")
            }
            6 => format!("not ({})", self.cond(in_node, depth - 1)?),
            7 => {
                let a = self.cond(in_node, depth - 1)?;
                let b = self.cond(in_node, depth - 1)?;
                let op = self.pick(&["and", "or"])?;
                format!("({a} {op} {b})")
            }
            8 => {
                let a = self.cond(in_node, depth - 1)?;
                let b = self.cond(in_node, depth - 1)?;
                let op = self.pick(&["and", "or"])?;
                format!("{a} {op} {b}")
            }
            _ => self.compare(in_node)?,
        })
    }

    /// A comparison of two operands, almost always of the same type.
    fn compare(&mut self, in_node: bool) -> Result<String> {
        let ty: Ty = self.u.arbitrary()?;
        let other = if self.wrong(10)? {
            self.u.arbitrary()?
        } else {
            ty
        };
        let ordered = matches!(ty, Ty::Num | Ty::Dur | Ty::Time | Ty::Any);
        let op = if ordered {
            self.pick(&["==", "!=", "<", "<=", ">", ">="])?
        } else {
            self.pick(&["==", "!="])?
        };
        let a = self.operand(ty, in_node, 1)?;
        let b = self.operand(other, in_node, 1)?;
        Ok(format!("{a} {op} {b}"))
    }

    fn operand(&mut self, ty: Ty, in_node: bool, depth: u32) -> Result<String> {
        let node = in_node && self.u.arbitrary()?;
        Ok(match ty {
            Ty::Num => match self.u.int_in_range(0..=7u8)? {
                0 if node => "node.tier".to_owned(),
                1 if node => "node.depth".to_owned(),
                2 if node => "node.sla".to_owned(),
                3 if depth > 0 => format!("count({})", self.set(1)?),
                4 if depth > 0 => {
                    let f = self.pick(&["max", "min"])?;
                    let x = if self.wrong(4)? {
                        "node.kind"
                    } else {
                        self.pick(&["node.tier", "node.depth", "node.sla", "node.meta.zone"])?
                    };
                    format!("{f}({}, {x})", self.set(1)?)
                }
                5 => "change.score".to_owned(),
                6 if self.chance(1, 8)? => {
                    format!("{}", self.u.int_in_range(-99_999_999_999..=i64::MAX)?)
                }
                _ => format!("{}", self.u.int_in_range(-1..=5i64)?),
            },
            Ty::Dur => {
                if self.u.arbitrary()? {
                    "change.duration".to_owned()
                } else {
                    self.duration()?
                }
            }
            Ty::Time => match self.u.int_in_range(0..=3u8)? {
                0 => "change.start".to_owned(),
                1 => "change.end".to_owned(),
                _ => {
                    let c = self.pick(&CIVIL)?;
                    let off = self.pick(&["", "Z", "+02:00", ":30", ":30-04:00"])?;
                    format!("{c}{off}")
                }
            },
            Ty::Str => match self.u.int_in_range(0..=9u8)? {
                0 if node => "node.id".to_owned(),
                1 if node => "node.kind".to_owned(),
                2 if node => "node.owner".to_owned(),
                3 if node => "node.region".to_owned(),
                4 => "change.type".to_owned(),
                5 => "change.requested_by".to_owned(),
                6 => "change.risk".to_owned(),
                7 => "change.category".to_owned(),
                8 => "null".to_owned(),
                _ => format!("\"{}\"", self.pick(&STRINGS)?),
            },
            Ty::List => match self.u.int_in_range(0..=4u8)? {
                0 if node => "node.tags".to_owned(),
                1 => "change.tags".to_owned(),
                2 => "change.targets".to_owned(),
                3 => "[]".to_owned(),
                _ => {
                    let n = self.u.int_in_range(1..=3u8)?;
                    let mut xs = Vec::new();
                    for _ in 0..n {
                        xs.push(self.operand(Ty::Str, in_node, 0)?);
                    }
                    format!("[{}]", xs.join(", "))
                }
            },
            Ty::Any => match self.u.int_in_range(0..=4u8)? {
                0 if node => "node.meta.zone".to_owned(),
                1 => "change.meta.level".to_owned(),
                2 => "change.backout_plan".to_owned(),
                3 => "change.attr-with-dash".to_owned(),
                _ => "null".to_owned(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Change, Graph, Policy};

    /// Most scenarios compile, load and evaluate: the generator is worth
    /// fuzzing with.
    #[test]
    fn scenarios_are_mostly_valid() {
        let mut ok = 0;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..300 {
            let bytes: Vec<u8> = (0..2048)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed >> 24) as u8
                })
                .collect();
            let mut u = Unstructured::new(&bytes);
            let Ok(s) = Scenario::arbitrary(&mut u) else {
                continue;
            };
            let Ok(p) = Policy::compile(s.sources.clone(), &s.limits) else {
                continue;
            };
            let Ok(g) = Graph::from_json_with_limits(&s.graph_json, &s.limits) else {
                continue;
            };
            let Ok(c) = Change::from_json_with_limits(&s.change_json, &s.limits) else {
                continue;
            };
            if p.evaluate(&c, &g).is_ok() {
                ok += 1;
            }
        }
        assert!(ok > 180, "only {ok} of 300 scenarios evaluate");
    }
}
