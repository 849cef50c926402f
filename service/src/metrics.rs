//! The service's metrics, in Prometheus' text format at `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: String,
}

/// Latency buckets from 25 µs to ~1.6 s: a decision takes microseconds, a
/// batch or a slow log append much longer.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.000_025, 2.0, 17))
}

/// Every metric, and the registry that writes them.
pub(crate) struct Metrics {
    registry: Registry,
    decisions: Family<OutcomeLabel, Counter>,
    requests: Family<StatusLabel, Counter>,
    latency: Family<RouteLabel, Histogram, fn() -> Histogram>,
    reloads: Family<ResultLabel, Counter>,
    reload_failing: Gauge,
    log_write: Histogram,
    log_entries: Counter,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::default();
        let decisions = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "changegate_decisions",
            "Decisions returned, by outcome",
            decisions.clone(),
        );
        let requests = Family::<StatusLabel, Counter>::default();
        registry.register(
            "changegate_http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        let latency: Family<RouteLabel, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency);
        registry.register(
            "changegate_http_request_duration_seconds",
            "Time from a request's headers to its response, by route",
            latency.clone(),
        );
        let reloads = Family::<ResultLabel, Counter>::default();
        registry.register(
            "changegate_reloads",
            "Reloads of the policy, graph and certificates, by result (ok, failed)",
            reloads.clone(),
        );
        let reload_failing = Gauge::default();
        registry.register(
            "changegate_reload_failing",
            "1 while the last reload failed and the previous set is served",
            reload_failing.clone(),
        );
        let log_write = Histogram::new(exponential_buckets(0.000_025, 2.0, 17));
        registry.register(
            "changegate_log_write_duration_seconds",
            "Time of one append of a batch to the decision log",
            log_write.clone(),
        );
        let log_entries = Counter::default();
        registry.register(
            "changegate_log_entries",
            "Decisions appended to the decision log",
            log_entries.clone(),
        );
        Metrics {
            registry,
            decisions,
            requests,
            latency,
            reloads,
            reload_failing,
            log_write,
            log_entries,
        }
    }

    pub(crate) fn decision(&self, outcome: &str) {
        self.decisions
            .get_or_create(&OutcomeLabel {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    pub(crate) fn request(&self, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&StatusLabel {
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabel {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    pub(crate) fn reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "failed" };
        self.reloads
            .get_or_create(&ResultLabel {
                result: result.to_owned(),
            })
            .inc();
        self.reload_failing.set(i64::from(!ok));
    }

    pub(crate) fn log_write(&self, seconds: f64, entries: usize) {
        self.log_write.observe(seconds);
        self.log_entries
            .inc_by(u64::try_from(entries).unwrap_or(u64::MAX));
    }

    /// The text exposition format.
    pub(crate) fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
