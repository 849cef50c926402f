//! Policies: windows `w0…`, sets `s0…` (each may use earlier ones) and
//! rules `r0…`, kept as items so that properties can reorder them, spread
//! them over files or take a window out of a rule.

use std::fmt::{self, Write as _};

use arbitrary::Result;

use super::change::GROUPS;
use super::draw::Gen;

/// A generated policy.
#[derive(Clone)]
pub struct GPolicy {
    /// Each window's definition, after `window wN = `.
    pub windows: Vec<String>,
    /// Each set's definition, after `let sN = `.
    pub lets: Vec<String>,
    /// The rules.
    pub rules: Vec<GRule>,
    /// An item moved to the front (items may come in any order).
    pub first: Option<usize>,
}

/// A generated rule.
#[derive(Clone)]
pub struct GRule {
    /// Its name is `r{name}`.
    pub name: usize,
    /// Its `when` conditions.
    pub when: Vec<String>,
    /// Its `unless` conditions.
    pub unless: Vec<String>,
    /// Its effects.
    pub effects: Vec<GEffect>,
    /// Its `because`.
    pub because: Option<&'static str>,
    /// The groups of its `override by`.
    pub override_by: Vec<&'static str>,
}

/// A generated effect; window lists index [`GPolicy::windows`] (an index
/// past the end is a mistake: an unknown window).
#[derive(Clone, Debug)]
pub enum GEffect {
    /// Any effect but a window one, as text.
    Text(String),
    /// `deny during`.
    During(Vec<usize>),
    /// `deny outside`.
    Outside(Vec<usize>),
}

fn window_list(ws: &[usize]) -> String {
    let names: Vec<String> = ws.iter().map(|w| format!("w{w}")).collect();
    names.join(", ")
}

impl GRule {
    fn text(&self) -> String {
        let mut out = format!("rule r{} {{\n", self.name);
        for w in &self.when {
            let _ = writeln!(out, "  when {w}");
        }
        for u in &self.unless {
            let _ = writeln!(out, "  unless {u}");
        }
        for e in &self.effects {
            let _ = match e {
                GEffect::Text(t) => writeln!(out, "  {t}"),
                GEffect::During(ws) => writeln!(out, "  deny during {}", window_list(ws)),
                GEffect::Outside(ws) => writeln!(out, "  deny outside {}", window_list(ws)),
            };
        }
        if let Some(b) = self.because {
            let _ = writeln!(out, "  because \"{b}\"");
        }
        if !self.override_by.is_empty() {
            let gs: Vec<String> = self
                .override_by
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect();
            let _ = writeln!(out, "  override by {}", gs.join(", "));
        }
        out.push_str("}\n");
        out
    }
}

impl GPolicy {
    /// Every item's text: windows, then sets, then rules (one of them
    /// moved to the front, if [`GPolicy::first`] says so).
    pub fn items(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .windows
            .iter()
            .enumerate()
            .map(|(i, w)| format!("window w{i} = {w}\n"))
            .collect();
        out.extend(
            self.lets
                .iter()
                .enumerate()
                .map(|(i, l)| format!("let s{i} = {l}\n")),
        );
        out.extend(self.rules.iter().map(GRule::text));
        if let Some(k) = self.first.filter(|k| *k < out.len()) {
            let item = out.remove(k);
            out.insert(0, item);
        }
        out
    }

    /// The items spread over `files` files (item `i` into file `i % files`).
    pub fn sources(&self, files: usize) -> Vec<(String, String)> {
        spread(&self.items(), files)
    }
}

/// Items spread round-robin over `files` files named `p0.gate`, ….
pub fn spread(items: &[String], files: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = (0..files.max(1))
        .map(|f| (format!("p{f}.gate"), String::new()))
        .collect();
    let n = out.len();
    for (i, item) in items.iter().enumerate() {
        if let Some((_, text)) = out.get_mut(i % n) {
            text.push_str(item);
            text.push('\n');
        }
    }
    out
}

impl fmt::Debug for GRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl fmt::Debug for GPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.items().concat())
    }
}

impl Gen<'_, '_> {
    /// A policy: its windows, sets and rules.
    pub(crate) fn policy(&mut self) -> Result<GPolicy> {
        let least = usize::from(self.config.windowy);
        self.nwin = self.u.int_in_range(least..=4)?;
        let mut windows = Vec::new();
        for _ in 0..self.nwin {
            windows.push(self.window()?);
        }
        let nlet = self.u.int_in_range(0..=3usize)?;
        let mut lets = Vec::new();
        for i in 0..nlet {
            self.nlet = i;
            lets.push(self.set(2)?);
        }
        self.nlet = nlet;
        let nrules = self.u.int_in_range(1..=6usize)?;
        let mut rules = Vec::new();
        for name in 0..nrules {
            rules.push(self.rule(name)?);
        }
        let items = self.nwin + nlet + nrules;
        let first = if self.u.arbitrary()? {
            self.index(items)?
        } else {
            None
        };
        Ok(GPolicy {
            windows,
            lets,
            rules,
            first,
        })
    }

    fn rule(&mut self, name: usize) -> Result<GRule> {
        let deep = u32::from(self.config.heavy);
        let mut when = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            when.push(self.cond(false, 2 + deep)?);
        }
        let mut unless = Vec::new();
        for _ in 0..self.u.int_in_range(0..=1u8)? {
            unless.push(self.cond(false, 1 + deep)?);
        }
        let mut effects = Vec::new();
        for _ in 0..self.u.int_in_range(1..=3u8)? {
            effects.push(self.effect()?);
        }
        let because = match self.u.arbitrary()? {
            true => Some(self.pick(&["tier-0 systems are in the blast radius", "policy", ""])?),
            false => None,
        };
        let mut override_by = self.subsequence(&["cto", "vp", "cab"], 2)?;
        self.shuffle(&mut override_by)?;
        if self.wrong(30)? {
            override_by.push("");
        }
        Ok(GRule {
            name,
            when,
            unless,
            effects,
            because,
            override_by,
        })
    }

    /// One or two distinct windows. With `side`, `Some(0)` takes
    /// even-numbered windows (freezes) and `Some(1)` odd-numbered ones
    /// (maintenance), so that window rules are less often contradictory and
    /// `next_allowed_start` exists.
    fn windows_of(&mut self, side: Option<usize>) -> Result<Vec<usize>> {
        let mut pool: Vec<usize> = (0..self.nwin)
            .filter(|w| side.is_none_or(|s| w % 2 == s))
            .collect();
        if pool.is_empty() {
            pool = (0..self.nwin).collect();
        }
        self.shuffle(&mut pool)?;
        let n = self.u.int_in_range(1..=pool.len().clamp(1, 2))?;
        pool.truncate(n);
        if pool.is_empty() || self.wrong(20)? {
            // An unknown window.
            pool.push(self.nwin);
        }
        Ok(pool)
    }

    fn effect(&mut self) -> Result<GEffect> {
        let windowy = self.config.windowy;
        let (w, other) = if windowy { (6, 1) } else { (2, 2) };
        let choice = self.weighted(&[other, other, other, other, 1, w, w])?;
        if choice >= 5 && self.nwin == 0 && !self.wrong(10)? {
            return Ok(GEffect::Text("require approval \"cab\"".to_owned()));
        }
        Ok(match choice {
            0 => {
                let g = self.pick(&GROUPS)?;
                GEffect::Text(match self.u.int_in_range(0..=3u8)? {
                    0 if self.wrong(2)? => format!(
                        "require approval \"{g}\" count {}",
                        self.u.arbitrary::<i64>()?
                    ),
                    0 | 1 => format!("require approval \"{g}\""),
                    _ => format!(
                        "require approval \"{g}\" count {}",
                        self.u.int_in_range(1..=3u8)?
                    ),
                })
            }
            1 => GEffect::Text(format!("require approval owner of {}", self.set(1)?)),
            2 => {
                let v = if self.u.arbitrary()? { "verified " } else { "" };
                let s = self.set(1)?;
                let k = match self.u.arbitrary()? {
                    true => format!(" kind \"{}\"", self.pick(&["snapshot", "dump"])?),
                    false => String::new(),
                };
                let d = self.duration()?;
                GEffect::Text(format!("require {v}backup of {s}{k} within {d}"))
            }
            3 => {
                let e = self.cond(false, 1)?;
                // The last message is the one `require approval owner of`
                // adds for a node without an owner: the two must merge.
                let m = self.pick(&[
                    "a backout plan is required",
                    "risk must be assessed",
                    "`api` has no owner to approve the change",
                ])?;
                GEffect::Text(format!("require {e} else \"{m}\""))
            }
            4 => GEffect::Text(format!(
                "deny \"{}\"",
                self.pick(&["change freeze", "no", ""])?
            )),
            5 => GEffect::During(self.windows_of(windowy.then_some(0))?),
            _ => GEffect::Outside(self.windows_of(windowy.then_some(1))?),
        })
    }
}
