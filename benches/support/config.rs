//! The criterion settings every bench of `make bench` shares: short warm-up
//! and measurement, so the whole set stays within its time budget; command
//! line flags still override them.
//!
//! 10,000 bootstrap resamples instead of criterion's 100,000: the resamples
//! only give the confidence intervals (the summary reads the sample's median,
//! which does not depend on them), and 100,000 cost 1–2 s of analysis per
//! benchmark on a 2-core machine, about a minute over the 41 of `make bench`.

use std::time::Duration;

use criterion::Criterion;

/// The shared criterion configuration.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .nresamples(10_000)
        .configure_from_args()
}
