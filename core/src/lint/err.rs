//! The linter's one error: a configuration that is not valid.

use serde::Serialize;

/// A lint configuration that is not valid: the file, the key, what is wrong
/// and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{file}: {}{message}", key_prefix(key))]
pub struct ConfigError {
    /// The configuration file as named (or `configuration` when it came
    /// as a value).
    pub file: String,
    /// The dotted key that is wrong (`lint.unused-lets`); empty for the
    /// whole document.
    pub key: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

fn key_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("`{key}`: ")
    }
}

impl ConfigError {
    pub(super) fn new(file: &str, key: &str, message: String, help: &str) -> ConfigError {
        ConfigError {
            file: file.to_owned(),
            key: key.to_owned(),
            message,
            help: help.to_owned(),
        }
    }
}
