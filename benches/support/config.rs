//! The criterion settings every bench of `make bench` shares: short warm-up
//! and measurement, so the whole set stays within its time budget; command
//! line flags still override them.

use std::time::Duration;

use criterion::Criterion;

/// The shared criterion configuration.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}
