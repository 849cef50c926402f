//! The decision-log hook: every decision answered is on record first, in
//! group commits; a log that fails turns the answer into a 503, never a
//! decision without a record.

#![expect(
    clippy::unwrap_used,
    reason = "the in-memory log's helpers are not test functions; a poisoned lock should stop the test"
)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use changegate_service::{DecisionLog, Entry, LOCAL, Log, LogSink, hash_token};
use common::{CHANGE, Client, fixture, scratch, start};

/// Records every batch in memory; optionally slow, held, or failing.
#[derive(Default)]
struct MemoryLog {
    batches: Mutex<Vec<Vec<Entry>>>,
    delay: Duration,
    fail: bool,
    /// While set, appends wait until it is cleared.
    hold: Mutex<bool>,
}

impl DecisionLog for MemoryLog {
    fn append(&self, batch: &[Entry]) -> Result<(), String> {
        while *self.hold.lock().unwrap() {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(self.delay);
        if self.fail {
            return Err("disk full".to_owned());
        }
        self.batches.lock().unwrap().push(batch.to_vec());
        Ok(())
    }
}

impl MemoryLog {
    fn entries(&self) -> Vec<Entry> {
        self.batches
            .lock()
            .unwrap()
            .iter()
            .flatten()
            .cloned()
            .collect()
    }
}

#[tokio::test]
async fn every_decision_is_recorded_before_it_is_answered() {
    let dir = scratch("log");
    let log = Arc::new(MemoryLog::default());
    let mut config = fixture(&dir);
    std::fs::write(
        dir.join("tokens"),
        hash_token("ci-pipeline", "0123456789abcdef-token").unwrap(),
    )
    .unwrap();
    config.tokens = Some(dir.join("tokens"));
    config.log = Some(LogSink::Custom(log.clone()));
    let server = start(config).await;
    let client = Client::new(&server).with_token("0123456789abcdef-token");

    let answer = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(answer.status, 200);
    let entries = log.entries();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.caller, "ci-pipeline");
    assert_eq!(entry.change_id.as_deref(), Some("CHG-1"));
    assert_eq!(entry.change, CHANGE);
    assert_eq!(entry.decision, answer.text());
    assert_eq!(entry.outcome, "approved");
    assert_eq!(entry.policy_digest, answer.json()["audit"]["policy_digest"]);
    assert_eq!(entry.engine, answer.json()["audit"]["engine"]);
    assert_eq!(
        entry.graph_digest,
        client.get("/v1/graph").await.json()["digest"]
    );
    assert!(entry.at <= jiff::Timestamp::now());

    // A batch: one entry per decision, in order; errors are not decisions.
    let second = CHANGE.replace("CHG-1", "CHG-2");
    let batch = client
        .post(
            "/v1/evaluate/batch",
            &format!("[{CHANGE}, {{\"id\": \"bad\"}}, {second}]"),
        )
        .await;
    assert_eq!(batch.status, 200);
    let ids: Vec<Option<String>> = log.entries()[1..]
        .iter()
        .map(|e| e.change_id.clone())
        .collect();
    assert_eq!(ids, [Some("CHG-1".to_owned()), Some("CHG-2".to_owned())]);
    assert!(batch.text().contains(log.entries()[2].decision.trim_end()));
    // A refused change is not a decision: nothing recorded.
    let before = log.entries().len();
    assert_eq!(client.post("/v1/evaluate", "{").await.status, 400);
    assert_eq!(log.entries().len(), before);

    // Held: the answer waits for the record.
    *log.hold.lock().unwrap() = true;
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { client.post("/v1/evaluate", CHANGE).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "answered before the decision was on record"
    );
    *log.hold.lock().unwrap() = false;
    assert_eq!(waiting.await.unwrap().status, 200);
    assert_eq!(log.entries().len(), before + 1);
    let metrics = client.get("/metrics").await.text().to_owned();
    assert!(
        metrics.contains("changegate_log_entries_total 4"),
        "{metrics}"
    );
    assert!(
        metrics.contains("changegate_log_write_duration_seconds_count"),
        "{metrics}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_decisions_are_committed_in_groups() {
    let dir = scratch("group");
    let log = Arc::new(MemoryLog {
        delay: Duration::from_millis(50),
        ..MemoryLog::default()
    });
    let mut config = fixture(&dir);
    config.log = Some(LogSink::Custom(log.clone()));
    let server = start(config).await;
    let client = Client::new(&server);
    let requests: Vec<_> = (0..24)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .post(
                        "/v1/evaluate",
                        &CHANGE.replace("CHG-1", &format!("CHG-{i}")),
                    )
                    .await
            })
        })
        .collect();
    for r in requests {
        assert_eq!(r.await.unwrap().status, 200);
    }
    let batches = log.batches.lock().unwrap().clone();
    let total: usize = batches.iter().map(Vec::len).sum();
    assert_eq!(total, 24);
    assert!(
        batches.len() < 24,
        "no group commit: {} appends",
        batches.len()
    );
    assert!(batches.iter().any(|b| b.len() > 1));
    let mut ids: Vec<String> = batches
        .iter()
        .flatten()
        .filter_map(|e| e.change_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24);
    server.shutdown().await;
}

#[tokio::test]
async fn a_failing_log_refuses_the_decision() {
    let dir = scratch("failing-log");
    let log = Arc::new(MemoryLog {
        fail: true,
        ..MemoryLog::default()
    });
    let mut config = fixture(&dir);
    config.log = Some(LogSink::Custom(log.clone()));
    let server = start(config).await;
    let client = Client::new(&server);
    for (path, body) in [
        ("/v1/evaluate", CHANGE.to_owned()),
        ("/v1/evaluate/batch", format!("[{CHANGE}]")),
    ] {
        let r = client.post(path, &body).await;
        assert_eq!(r.status, 503, "{path}: {}", r.text());
        assert_eq!(r.error_kind(), "unavailable");
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("disk full")
        );
        assert!(
            !r.text().contains("outcome"),
            "a decision without a record: {}",
            r.text()
        );
    }
    let metrics = client.get("/metrics").await.text().to_owned();
    assert!(
        !metrics.contains("changegate_decisions_total{"),
        "{metrics}"
    );
    assert_eq!(client.get("/healthz").await.status, 200);
    // Requests that make no decision need no log.
    assert_eq!(
        client
            .post("/v1/impact", r#"{"targets": ["orders-db"]}"#)
            .await
            .status,
        200
    );
    server.shutdown().await;
}

/// With the log crate's SQLite store: the decision is in the chain, and
/// `GET /v1/decisions` gives it back byte for byte, as `changegate log
/// show` would; without a log, or a log that cannot be read, the route
/// says so.
#[tokio::test]
async fn decisions_are_read_back_from_the_log() {
    let dir = scratch("history");
    let url = dir.join("decisions.sqlite").display().to_string();
    let log = Arc::new(Log::open(&url).unwrap());
    let mut config = fixture(&dir);
    config.log = Some(LogSink::Custom(log.clone()));
    let server = start(config).await;
    let client = Client::new(&server);

    let first = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(first.status, 200);
    let second = client.post("/v1/evaluate", CHANGE).await;
    let history = client.get("/v1/decisions?change=CHG-1").await;
    assert_eq!(history.status, 200, "{}", history.text());
    let json = history.json();
    assert_eq!(json["change_id"], "CHG-1");
    let decisions = json["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0]["decision"], first.text());
    assert_eq!(decisions[1]["decision"], second.text());
    assert_eq!(decisions[0]["change"], CHANGE);
    assert_eq!(decisions[0]["caller"], LOCAL);
    assert_eq!(decisions[1]["seq"], 2);
    assert_eq!(decisions[1]["prev"], decisions[0]["hash"]);
    // The answer is what the OpenAPI document says it is.
    let doc = client.get("/v1/openapi.json").await.json();
    let schema = jsonschema::validator_for(&doc["components"]["schemas"]["Decisions"]).unwrap();
    let errors: Vec<String> = schema.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let verified = log.verify(&mut |_| {}).unwrap();
    assert!(verified.first_break.is_none());
    assert_eq!(verified.records, 2);

    // An id to encode, a change never decided, a query that is not one.
    let none = client.get("/v1/decisions?change=CHG%2099").await;
    assert_eq!(none.status, 200);
    assert_eq!(none.json()["change_id"], "CHG 99");
    assert_eq!(none.json()["decisions"], serde_json::json!([]));
    for bad in ["/v1/decisions", "/v1/decisions?id=CHG-1"] {
        let r = client.get(bad).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
        assert_eq!(r.error_kind(), "request");
    }
    server.shutdown().await;

    // No log: 404, naming the flag.
    let server = start(fixture(&dir)).await;
    let r = Client::new(&server).get("/v1/decisions?change=CHG-1").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_kind(), "not_found");
    assert!(r.text().contains("--no-log"), "{}", r.text());
    server.shutdown().await;

    // A log that cannot be read back: 503.
    let mut config = fixture(&dir);
    config.log = Some(LogSink::Custom(Arc::new(MemoryLog::default())));
    let server = start(config).await;
    let r = Client::new(&server).get("/v1/decisions?change=CHG-1").await;
    assert_eq!(r.status, 503);
    assert_eq!(r.error_kind(), "unavailable");
    server.shutdown().await;
}
