//! Reloads: on demand, on a file change; a set that does not load never
//! replaces the working one; requests never fail while the policy is
//! edited; shutdown finishes the requests in flight.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use common::{CHANGE, Client, eventually, fixture, scratch, start};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const EXTRA_RULE: &str = "\nrule extra {\n  require approval \"extra\"\n}\n";

fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn admin_reload_swaps_a_good_set_and_keeps_the_last_good_one() {
    let dir = scratch("admin");
    let server = start(fixture(&dir)).await;
    let client = Client::new(&server);
    let before = client.get("/v1/policy").await.json()["digest"].clone();
    let gate = dir.join("policy/change-control.gate");
    let good = std::fs::read_to_string(&gate).unwrap();

    std::fs::write(&gate, format!("{good}{EXTRA_RULE}")).unwrap();
    let reload = client.post("/v1/admin/reload", "").await;
    assert_eq!(reload.status, 200, "{}", reload.text());
    let policy = client.get("/v1/policy").await.json();
    assert_ne!(policy["digest"], before);
    assert!(
        policy["rules"]
            .as_array()
            .unwrap()
            .contains(&"extra".into())
    );
    assert_eq!(
        client.post("/v1/evaluate", CHANGE).await.json()["outcome"],
        "pending"
    );
    let digest = policy["digest"].clone();

    // A syntax error: refused, the previous set stays and decides.
    std::fs::write(&gate, format!("{good}\nrule broken {{\n")).unwrap();
    let refused = client.post("/v1/admin/reload", "").await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.json()["error"]["kind"], "policy");
    let diagnostic = &refused.json()["error"]["diagnostics"][0];
    assert!(
        diagnostic["file"]
            .as_str()
            .unwrap()
            .ends_with("change-control.gate"),
        "{diagnostic}"
    );
    assert_eq!(client.get("/v1/policy").await.json()["digest"], digest);
    let decision = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(decision.status, 200);
    assert_eq!(decision.json()["audit"]["policy_digest"], digest);
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, 200);
    let ready = ready.json();
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["policy_digest"], digest);
    assert_eq!(ready["last_reload"]["ok"], false);
    assert_eq!(ready["last_reload"]["trigger"], "admin");
    assert_eq!(ready["last_reload"]["error"]["kind"], "policy");
    let metrics = client.get("/metrics").await.text().to_owned();
    assert_eq!(
        metric(&metrics, "changegate_reloads_total{result=\"failed\"}"),
        Some(1.0)
    );
    assert_eq!(metric(&metrics, "changegate_reload_failing"), Some(1.0));

    // A graph that does not load: refused too.
    std::fs::write(&gate, &good).unwrap();
    let graph = dir.join("graph.json");
    let graph_text = std::fs::read_to_string(&graph).unwrap();
    std::fs::write(&graph, "{\"nodes\": [}").unwrap();
    let refused = client.post("/v1/admin/reload", "").await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json()["error"]["document"], "graph");
    assert_eq!(client.get("/v1/policy").await.json()["digest"], digest);

    // Fixed: swapped in, and readiness says so.
    std::fs::write(&graph, graph_text).unwrap();
    assert_eq!(client.post("/v1/admin/reload", "").await.status, 200);
    assert_eq!(client.get("/v1/policy").await.json()["digest"], before);
    assert_eq!(
        client.get("/readyz").await.json()["last_reload"]["ok"],
        true
    );
    let metrics = client.get("/metrics").await.text().to_owned();
    assert_eq!(metric(&metrics, "changegate_reload_failing"), Some(0.0));
    assert_eq!(
        metric(&metrics, "changegate_reloads_total{result=\"ok\"}"),
        Some(2.0)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_changed_file_is_reloaded() {
    let dir = scratch("watch");
    let mut config = fixture(&dir);
    config.watch = true;
    let server = start(config).await;
    let client = Client::new(&server);
    let before = client.get("/v1/policy").await.json()["digest"].clone();
    let gate = dir.join("policy/change-control.gate");
    let good = std::fs::read_to_string(&gate).unwrap();

    std::fs::write(&gate, format!("{good}{EXTRA_RULE}")).unwrap();
    let changed = eventually(Duration::from_secs(10), || async {
        client.get("/v1/policy").await.json()["digest"] != before
    })
    .await;
    assert!(changed, "the edited policy was not reloaded");
    assert_eq!(
        client.get("/readyz").await.json()["last_reload"]["trigger"],
        "watch"
    );

    // A new file in the policy folder counts too.
    let digest = client.get("/v1/policy").await.json()["digest"].clone();
    std::fs::write(
        dir.join("policy/more.gate"),
        "rule more {\n  require approval \"more\"\n}\n",
    )
    .unwrap();
    assert!(
        eventually(Duration::from_secs(10), || async {
            client.get("/v1/policy").await.json()["digest"] != digest
        })
        .await
    );

    // The graph replaced by a rename, as deploy tools do.
    let graph_digest = client.get("/v1/graph").await.json()["digest"].clone();
    let graph = std::fs::read_to_string(dir.join("graph.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&graph).unwrap();
    value["nodes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": "new-node"}));
    std::fs::write(dir.join("graph.json.tmp"), value.to_string()).unwrap();
    std::fs::rename(dir.join("graph.json.tmp"), dir.join("graph.json")).unwrap();
    assert!(
        eventually(Duration::from_secs(10), || async {
            let g = client.get("/v1/graph").await.json();
            g["digest"] != graph_digest && g["nodes"] == 4
        })
        .await
    );
    server.shutdown().await;
}

/// A client keeps asking while the policy is edited into a syntax error
/// and back, reloaded on every edit: no request fails, and every decision
/// is made by one of the two good policies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_under_load_fails_no_request() {
    let dir = scratch("under-load");
    let mut config = fixture(&dir);
    config.watch = true;
    let server = start(config).await;
    let client = Client::new(&server);
    let gate = dir.join("policy/change-control.gate");
    let good = std::fs::read_to_string(&gate).unwrap();
    let first = client.get("/v1/policy").await.json()["digest"].clone();
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (client, stop, done) = (client.clone(), Arc::clone(&stop), Arc::clone(&done));
        clients.push(tokio::spawn(async move {
            let mut digests = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                let r = client.post("/v1/evaluate", CHANGE).await;
                assert_eq!(
                    r.status,
                    200,
                    "a request failed during a reload: {}",
                    r.text()
                );
                digests.insert(
                    r.json()["audit"]["policy_digest"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
                done.fetch_add(1, Ordering::Relaxed);
            }
            digests
        }));
    }
    let extra = format!("{good}{EXTRA_RULE}");
    for round in 0..6 {
        let text = match round % 3 {
            0 => format!("{good}\nrule broken {{\n  when change.\n"),
            1 => extra.clone(),
            _ => good.clone(),
        };
        std::fs::write(&gate, text).unwrap();
        // Reloads on demand too, racing the watcher's.
        let r = client.post("/v1/admin/reload", "").await;
        assert!(r.status == 200 || r.status == 422, "{}", r.text());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut seen = std::collections::BTreeSet::new();
    for c in clients {
        seen.extend(c.await.unwrap());
    }
    assert!(
        done.load(Ordering::Relaxed) > 20,
        "too few requests: {}",
        done.load(Ordering::Relaxed)
    );
    assert!(seen.contains(first.as_str().unwrap()));
    assert!(
        seen.len() <= 2,
        "decided by more than the two good policies: {seen:?}"
    );
    let metrics = client.get("/metrics").await.text().to_owned();
    assert!(metric(&metrics, "changegate_reloads_total{result=\"failed\"}").unwrap_or(0.0) >= 1.0);
    server.shutdown().await;
}

/// A shutdown lets a request in flight finish, then stops.
#[tokio::test]
async fn shutdown_finishes_requests_in_flight() {
    let dir = scratch("shutdown");
    let server = start(fixture(&dir)).await;
    let addr = server.addr();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        CHANGE.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&CHANGE.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopping = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!stopping.is_finished(), "stopped with a request in flight");
    // No new connections once stopping.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    stream.write_all(&CHANGE.as_bytes()[10..]).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut raw))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("\"outcome\": \"approved\""));
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .unwrap()
        .unwrap();
}
