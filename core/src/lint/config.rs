//! What a project says about its lints: each lint's level (`error`,
//! `warning`, `info` or `off`) and the lint options, read from the `[lint]`
//! table of `changegate.toml` (the CLI) or the same shape as JSON (every
//! front end), and the options of one lint run.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::err::ConfigError;
use super::{Lint, Severity};
use crate::change::Change;
use crate::graph::Graph;

/// The shortest occurrence `deny outside` may allow by default: a change
/// shorter than an hour is rare, so a window shorter than that blocks
/// nearly every change.
pub const DEFAULT_MIN_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// A lint's level in the configuration: a severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as information (does not fail `changegate lint`).
    Info,
    /// Do not run the lint.
    Off,
}

impl Level {
    const NAMES: [&'static str; 4] = ["error", "warning", "info", "off"];

    fn from_name(name: &str) -> Option<Level> {
        match name {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

/// The lint options of the configuration (`[lint.options]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
#[serde(rename_all = "kebab-case")]
pub struct LintSettings {
    /// `short-window`: the shortest occurrence a window used in `deny
    /// outside` may have, as the language writes durations (`1h`, `2h30m`);
    /// by default `1h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_window: Option<String>,
}

/// The `[lint]` table: a level per lint name, and `options`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LintConfig {
    /// Each lint's level, by name (`unused-let = "off"`); the others keep
    /// their default severity.
    #[serde(flatten)]
    pub levels: BTreeMap<String, Level>,
    /// The lint options.
    #[serde(default)]
    pub options: LintSettings,
}

/// A resolved configuration: a level for every lint and the options, as
/// values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    levels: BTreeMap<&'static str, Level>,
    /// `short-window`'s minimum occurrence.
    pub min_window: SignedDuration,
}

impl Default for Resolved {
    fn default() -> Resolved {
        Resolved {
            levels: BTreeMap::new(),
            min_window: DEFAULT_MIN_WINDOW,
        }
    }
}

impl Resolved {
    /// The severity of `lint`'s findings, or `None` when it is off.
    pub fn severity(&self, lint: Lint) -> Option<Severity> {
        match self.levels.get(lint.name()) {
            None => Some(lint.severity()),
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Info) => Some(Severity::Info),
            Some(Level::Off) => None,
        }
    }
}

impl LintConfig {
    /// Reads a configuration file's JSON (a TOML file converted to JSON
    /// reads the same): an object whose `lint` table is the configuration;
    /// other top-level tables belong to other tools and are left alone.
    /// `file` names the file in errors.
    pub fn from_file_json(file: &str, doc: &Json) -> Result<LintConfig, ConfigError> {
        let Json::Object(top) = doc else {
            return Err(ConfigError::new(
                file,
                "",
                "the configuration is not a table".to_owned(),
                "write a `[lint]` table, e.g. `[lint]` then `unused-let = \"off\"`",
            ));
        };
        match top.get("lint") {
            None => Ok(LintConfig::default()),
            Some(lint) => LintConfig::from_json(file, lint),
        }
    }

    /// Reads the `[lint]` table itself, as JSON (`{"unused-let": "off",
    /// "options": {"min-window": "2h"}}`), checking every name and value.
    pub fn from_json(file: &str, table: &Json) -> Result<LintConfig, ConfigError> {
        let Json::Object(map) = table else {
            return Err(ConfigError::new(
                file,
                "lint",
                "`lint` is not a table".to_owned(),
                "write `[lint]` on a line of its own, then `NAME = \"LEVEL\"` lines",
            ));
        };
        let mut config = LintConfig::default();
        for (key, value) in map {
            if key == "options" {
                config.options = settings(file, value)?;
                continue;
            }
            let path = format!("lint.{key}");
            if Lint::from_name(key).is_none() {
                let names = Lint::ALL.map(Lint::name);
                let help = match crate::input::did_you_mean(key, names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "the lints are {}, and `options`",
                        names.map(|n| format!("`{n}`")).join(", ")
                    ),
                };
                return Err(ConfigError::new(
                    file,
                    &path,
                    format!("`{key}` is not a lint"),
                    &help,
                ));
            }
            let level = value.as_str().and_then(Level::from_name).ok_or_else(|| {
                ConfigError::new(
                    file,
                    &path,
                    format!("the level of `{key}` is `{value}`"),
                    &format!(
                        "a level is one of {}",
                        Level::NAMES.map(|n| format!("`\"{n}\"`")).join(", ")
                    ),
                )
            })?;
            config.levels.insert(key.clone(), level);
        }
        Ok(config)
    }

    /// The configuration as values; an error names the option that is not
    /// valid.
    pub fn resolve(&self, file: &str) -> Result<Resolved, ConfigError> {
        let mut out = Resolved::default();
        for (name, level) in &self.levels {
            let Some(lint) = Lint::from_name(name) else {
                return Err(ConfigError::new(
                    file,
                    &format!("lint.{name}"),
                    format!("`{name}` is not a lint"),
                    "remove it",
                ));
            };
            out.levels.insert(lint.name(), *level);
        }
        if let Some(text) = &self.options.min_window {
            out.min_window = duration(text).ok_or_else(|| {
                ConfigError::new(
                    file,
                    "lint.options.min-window",
                    format!("`{text}` is not a duration"),
                    "write a positive duration as the language does, such as `\"1h\"` or `\"2h30m\"`",
                )
            })?;
        }
        Ok(out)
    }
}

fn settings(file: &str, value: &Json) -> Result<LintSettings, ConfigError> {
    let Json::Object(map) = value else {
        return Err(ConfigError::new(
            file,
            "lint.options",
            "`lint.options` is not a table".to_owned(),
            "write `[lint.options]` on a line of its own, then `min-window = \"1h\"`",
        ));
    };
    let mut out = LintSettings::default();
    for (key, value) in map {
        let path = format!("lint.options.{key}");
        match key.as_str() {
            "min-window" => match value.as_str() {
                Some(text) if duration(text).is_some() => out.min_window = Some(text.to_owned()),
                _ => {
                    return Err(ConfigError::new(
                        file,
                        &path,
                        format!("`{value}` is not a duration"),
                        "write a positive duration as the language does, such as `\"1h\"` or \
                         `\"2h30m\"`",
                    ));
                }
            },
            _ => {
                let help = match crate::input::did_you_mean(key, ["min-window"]) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "the only option is `min-window`".to_owned(),
                };
                return Err(ConfigError::new(
                    file,
                    &path,
                    format!("`{key}` is not a lint option"),
                    &help,
                ));
            }
        }
    }
    Ok(out)
}

/// A duration written as the language writes them (digits and a unit, `w`
/// `d` `h` `m` `s`, repeated: `2h30m`), positive and at most a hundred
/// years.
fn duration(text: &str) -> Option<SignedDuration> {
    let mut chars = text.chars().peekable();
    let mut total: i64 = 0;
    while chars.peek().is_some() {
        let mut n: i64 = 0;
        let mut digits = 0;
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            n = n.checked_mul(10)?.checked_add(i64::from(d.to_digit(10)?))?;
            digits += 1;
        }
        let unit: i64 = match chars.next() {
            Some('w') => 7 * 86_400,
            Some('d') => 86_400,
            Some('h') => 3_600,
            Some('m') => 60,
            Some('s') => 1,
            _ => return None,
        };
        if digits == 0 {
            return None;
        }
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    (total > 0 && total <= 100 * 366 * 86_400).then(|| SignedDuration::from_secs(total))
}

/// The inputs and settings of one lint run beyond the policy: the instant
/// the window lints look from, the configuration, and the graph and example
/// changes the attribute and owner lints read.
#[derive(Debug, Clone, Default)]
pub struct LintOptions<'a> {
    /// The instant the window lints look from; without it they do not run.
    pub at: Option<Timestamp>,
    /// Levels and options.
    pub config: Resolved,
    /// A graph: `unknown-attribute` checks `node.X` against its nodes, and
    /// `empty-owner-set` runs.
    pub graph: Option<&'a Graph>,
    /// Example changes: `unknown-attribute` checks `change.X` against them
    /// (when there is at least one).
    pub changes: &'a [Change],
}
