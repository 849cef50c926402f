//! Many changes decided at once on every core: a change calendar, a
//! what-if over a quarter's changes. The policy and the graph are
//! immutable and shared read-only by the threads; each change is decided
//! exactly as [`evaluate`] decides it alone, and the results come back in
//! the order the changes were given, whatever the number of threads.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{ChangeInput, evaluate, guard};
use crate::decision::Decision;
use crate::error::Error;
use crate::graph::Graph;
use crate::policy::Policy;

/// The most changes a thread claims at a time: few enough that a handful
/// of slow changes (a deep blast radius, a long window scan) do not leave
/// one thread working alone at the end, enough that claiming costs nothing
/// beside a decision (about 2 µs). Small batches claim one at a time.
const CLAIM: usize = 8;

/// Decides on every change of `changes` against `policy` and `graph`, on
/// `threads` threads (0: as many as the machine runs at once). Result `i`
/// is change `i`'s decision or error, the same as [`evaluate`] gives for
/// it alone; a panic while deciding one change becomes that change's
/// [`Error::Internal`] and the others are decided as usual.
pub fn evaluate_many(
    policy: &Policy,
    changes: &[ChangeInput<'_>],
    graph: &Graph,
    threads: usize,
) -> Vec<Result<Decision, Error>> {
    in_parallel(changes, threads, |change| evaluate(policy, *change, graph))
}

/// [`evaluate_many`] with each decision as its JSON, as [`super::evaluate_json`]
/// writes it.
pub fn evaluate_many_json(
    policy: &Policy,
    changes: &[&str],
    graph: &Graph,
    threads: usize,
) -> Vec<Result<String, Error>> {
    in_parallel(changes, threads, |change| {
        super::evaluate_json(policy, change, graph)
    })
}

/// The number of threads `threads` asks for: 0 is the machine's
/// parallelism (1 where it cannot be known, as in WASM).
pub fn batch_threads(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        n => n,
    }
}

/// `f` over `items` on up to `threads` scoped threads, results in input
/// order. Threads claim up to [`CLAIM`] items at a time from a shared counter,
/// so uneven items spread out; each result is written at its item's index,
/// so the order never depends on which thread ran what.
fn in_parallel<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<Result<R, Error>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Result<R, Error> + Sync,
{
    let one = |item: &T| guard(|| f(item));
    let threads = batch_threads(threads).min(items.len());
    if threads <= 1 {
        return items.iter().map(one).collect();
    }
    let claim = (items.len() / (threads * 4)).clamp(1, CLAIM);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(claim, Ordering::Relaxed);
            let Some(claimed) = items.get(start..items.len().min(start + claim)) else {
                break;
            };
            if claimed.is_empty() {
                break;
            }
            done.extend(claimed.iter().enumerate().map(|(i, t)| (start + i, one(t))));
        }
        done
    };
    let mut slots: Vec<Option<Result<R, Error>>> = Vec::new();
    slots.resize_with(items.len(), || None);
    std::thread::scope(|scope| {
        // This thread works too; where no thread can be started (WASM, a
        // process at its thread limit) it does all the work itself.
        let others: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut place = |done: Vec<(usize, Result<R, Error>)>| {
            for (i, result) in done {
                if let Some(slot) = slots.get_mut(i) {
                    *slot = Some(result);
                }
            }
        };
        place(work());
        for handle in others {
            // `work` catches each item's panic, so a thread cannot end in
            // one; its items, if it did, are left empty and reported below.
            if let Ok(done) = handle.join() {
                place(done);
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err(Error::internal("a batch thread stopped early"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(n: &u64) -> Result<u64, Error> {
        match n {
            13 => panic!("unlucky"),
            17 => Err(Error::internal("seventeen")),
            n => Ok(n * n),
        }
    }

    fn expected(len: u64) -> Vec<Result<u64, String>> {
        (0..len)
            .map(|n| match n {
                13 => Err("internal error in changegate: unlucky".to_owned()),
                17 => Err("internal error in changegate: seventeen".to_owned()),
                n => Ok(n * n),
            })
            .collect()
    }

    fn shown(results: Vec<Result<u64, Error>>) -> Vec<Result<u64, String>> {
        results
            .into_iter()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn results_are_in_input_order_with_errors_and_panics_in_place() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [0, 1, 2, 3, 7, 64] {
            let results = shown(in_parallel(&items, threads, square));
            assert_eq!(results, expected(1000), "threads = {threads}");
        }
    }

    #[test]
    fn small_and_empty_batches() {
        for len in [0, 1, 8, 9, 20] {
            let items: Vec<u64> = (0..len).collect();
            assert_eq!(shown(in_parallel(&items, 4, square)), expected(len));
        }
    }

    #[test]
    fn zero_threads_is_the_machines_parallelism() {
        assert!(batch_threads(0) >= 1);
        assert_eq!(batch_threads(3), 3);
    }
}
