//! Resource limits: every input is bounded, so no policy, graph or change can
//! make the engine overflow its stack, run for ever or exhaust memory.

/// Bounds on the work one compilation, graph load or evaluation may do.
///
/// The defaults are generous for real estates and policy libraries; an
/// embedding application that takes input from less trusted sources can
/// lower them. Every limit that is hit produces an error that names it.
///
/// Front ends take them as a JSON object with any of these keys (the rest
/// keep their defaults), e.g. `{"max_graph_nodes": 50000}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest policy source file, in bytes.
    pub max_source_bytes: usize,
    /// Deepest nesting of expressions and set expressions.
    pub max_nesting: usize,
    /// Most nodes in a graph.
    pub max_graph_nodes: usize,
    /// Most edges in a graph (`depends_on` entries plus `edges`).
    pub max_graph_edges: usize,
    /// Most window occurrences one evaluation may examine; each search of a
    /// window counts as one too, even when it finds nothing.
    pub max_window_scan: usize,
    /// Largest change or graph JSON text, in bytes.
    pub max_input_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_source_bytes: 4 * 1024 * 1024,
            max_nesting: 64,
            max_graph_nodes: 1_000_000,
            max_graph_edges: 4_000_000,
            max_window_scan: 1_000_000,
            max_input_bytes: 256 * 1024 * 1024,
        }
    }
}
