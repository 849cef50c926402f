//! Parse + check + compile of generated policy sets of 10, 100, 1,000 and
//! 10,000 rules (`changegate_benches::generate::policy_set`: approvals,
//! backups, cron and dated windows, preconditions, named sets, overrides),
//! in files of 100 rules.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]

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

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    compile(&mut c);
    c.final_summary();
}
