//! Parse + check + compile of generated policy sets of 10, 100, 1,000 and
//! 10,000 rules (`changegate_benches::generate::policy_set`: approvals,
//! backups, cron and dated windows, preconditions, named sets, overrides),
//! in files of 100 rules.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]

use std::time::Duration;

use changegate::Policy;
use changegate_benches::generate::policy_set;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for rules in [10usize, 100, 1_000, 10_000] {
        let set = policy_set(rules);
        let policy = Policy::from_sources(set.clone()).expect("the generated set compiles");
        assert_eq!(policy.rules().count(), rules);
        if rules >= 1_000 {
            group.sampling_mode(SamplingMode::Flat).sample_size(10);
        }
        group.throughput(Throughput::Elements(rules as u64));
        group.bench_with_input(BenchmarkId::new("rules", rules), &set, |b, set| {
            b.iter(|| {
                Policy::from_sources(set.iter().map(|(n, s)| (n.as_str(), s.as_str())))
                    .expect("compiles")
            });
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    compile(&mut c);
    c.final_summary();
}
