//! Every route over HTTP, the answers byte for byte core's (over the
//! decision corpus), the OpenAPI document against the router, and bad
//! requests: malformed, oversized, slow, hostile.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use changegate::api;
use common::{CHANGE, Client, fixture, repo, scratch, start};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt as _;

#[tokio::test]
async fn every_route_answers() {
    let dir = scratch("routes");
    let server = start(fixture(&dir)).await;
    let client = Client::new(&server);

    let evaluate = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(evaluate.status, 200, "{}", evaluate.text());
    assert_eq!(evaluate.header("content-type"), Some("application/json"));
    assert_eq!(evaluate.json()["outcome"], "approved");

    let batch = client
        .post("/v1/evaluate/batch", &format!("[{CHANGE}, {{\"id\": 1}}]"))
        .await;
    assert_eq!(batch.status, 200, "{}", batch.text());
    let items = batch.json();
    assert_eq!(items[0]["outcome"], "approved");
    assert_eq!(items[1]["error"]["kind"], "input");

    let impact = client
        .post("/v1/impact", r#"{"targets": ["orders-db"]}"#)
        .await;
    assert_eq!(impact.status, 200, "{}", impact.text());
    let graph_text = std::fs::read_to_string(dir.join("graph.json")).unwrap();
    let graph = api::load_graph(&graph_text, &changegate::Limits::default()).unwrap();
    assert_eq!(
        impact.text(),
        api::impact_json(&graph, &["orders-db".to_owned()]).unwrap()
    );
    let unknown = client.post("/v1/impact", r#"{"targets": ["nope"]}"#).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["error"]["path"], "targets[0]");

    let valid = client
        .post(
            "/v1/validate",
            r#"{"sources": [{"name": "a.gate", "text": "rule r {\n  require approval \"cab\"\n}\n"}]}"#,
        )
        .await;
    assert_eq!((valid.status, valid.text()), (200, "[]\n"));
    let invalid = client
        .post(
            "/v1/validate",
            r#"{"sources": [{"name": "a.gate", "text": "rule r {"}]}"#,
        )
        .await;
    assert_eq!(invalid.status, 200);
    assert_eq!(invalid.json()[0]["file"], "a.gate", "{}", invalid.text());

    let policy = client.get("/v1/policy").await.json();
    let compiled = api::compile_paths(&dir, &["policy"], &changegate::Limits::default()).unwrap();
    assert_eq!(policy["digest"], compiled.digest());
    assert_eq!(
        policy["rules"],
        json!(["cab", "cab_high_risk", "snapshot", "year_end_freeze"])
    );

    let graph_info = client.get("/v1/graph").await.json();
    assert_eq!(graph_info["nodes"], 3);
    assert!(
        graph_info["digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );

    assert_eq!(client.get("/healthz").await.json(), json!({"status": "ok"}));
    let ready = client.get("/readyz").await.json();
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["policy_digest"], compiled.digest());

    let metrics = client.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    for needle in [
        "changegate_decisions_total{outcome=\"approved\"} 2",
        "changegate_http_request_duration_seconds_bucket",
        "changegate_log_write_duration_seconds",
        "changegate_reloads",
    ] {
        assert!(
            metrics.text().contains(needle),
            "no `{needle}` in\n{}",
            metrics.text()
        );
    }

    let reload = client.post("/v1/admin/reload", "").await;
    assert_eq!(reload.status, 200, "{}", reload.text());
    assert_eq!(reload.json()["reloaded"], true);

    let not_found = client.get("/v1/nope").await;
    assert_eq!(
        (not_found.status, not_found.error_kind()),
        (404, "not_found".to_owned())
    );
    let wrong_method = client.get("/v1/evaluate").await;
    assert_eq!(
        (wrong_method.status, wrong_method.error_kind()),
        (405, "method".to_owned())
    );
    server.shutdown().await;
}

/// The decision corpus over HTTP: every case's answer (or the error that
/// keeps the service from starting) is its `expected.json`, byte for byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_bytes_equal_core() {
    let repo = repo();
    let cases = changegate_testkit::corpus::read(&repo).unwrap();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("core/tests/corpus/manifest.json")).unwrap(),
    )
    .unwrap();
    let scratch_dir = scratch("corpus");
    let (mut served, mut refused) = (0, 0);
    for (i, (case, entry)) in cases
        .iter()
        .zip(manifest["cases"].as_array().unwrap())
        .enumerate()
    {
        let dir = repo.join(&case.dir);
        let expected = std::fs::read_to_string(dir.join("expected.json")).unwrap();
        let (graph, change) = match changegate_testkit::corpus::documents(&repo, entry) {
            Ok(docs) => docs,
            // A case whose imported records are refused never reaches the service.
            Err(_) => continue,
        };
        let graph_file = scratch_dir.join(format!("graph-{i}.json"));
        std::fs::write(&graph_file, graph).unwrap();
        let mut config = changegate_service::Config::new(
            case.policy.iter().map(Into::into).collect(),
            graph_file,
        );
        config.base = dir.clone();
        config.listen = "127.0.0.1:0".to_owned();
        config.watch = false;
        match changegate_service::start(config).await {
            Err(e) => {
                refused += 1;
                assert_eq!(e.to_json(), expected, "{}: the start error", case.dir);
            }
            Ok(server) => {
                served += 1;
                let got = Client::new(&server).post("/v1/evaluate", &change).await;
                assert_eq!(got.text(), expected, "{}", case.dir);
                let ok = !expected.starts_with("{\n  \"error\"");
                assert_eq!(got.status == 200, ok, "{}: status {}", case.dir, got.status);
                server.shutdown().await;
            }
        }
    }
    assert!(
        served > 150 && refused > 10,
        "served {served}, refused {refused}"
    );
}

/// A batch answers each change's own bytes, in order.
#[tokio::test]
async fn batch_items_are_the_single_answers() {
    let dir = scratch("batch");
    let server = start(fixture(&dir)).await;
    let client = Client::new(&server);
    let changes = [
        CHANGE.to_owned(),
        CHANGE.replace(
            "\"targets\": [\"orders-api\"]",
            "\"targets\": [\"orders-db\"]",
        ),
        CHANGE.replace("2026-06-10", "2026-12-28"),
        r#"{"id": "x", "targets": ["nope"]}"#.to_owned(),
        r#"{"id": "dup", "id": "dup"}"#.to_owned(),
    ];
    let mut singles = Vec::new();
    for c in &changes {
        singles.push(client.post("/v1/evaluate", c).await.text().to_owned());
    }
    let batch = client
        .post("/v1/evaluate/batch", &format!("[{}]", changes.join(",")))
        .await;
    assert_eq!(batch.status, 200);
    let expected = format!(
        "[\n{}\n]\n",
        singles
            .iter()
            .map(|s| s.trim_end_matches('\n'))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    assert_eq!(batch.text(), expected);
    let outcomes: Vec<Value> = batch
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d.get("outcome")
                .cloned()
                .unwrap_or(d["error"]["kind"].clone())
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            json!("approved"),
            json!("pending"),
            json!("denied"),
            json!("input"),
            json!("input")
        ]
    );
    assert_eq!(client.post("/v1/evaluate/batch", "[]").await.text(), "[]\n");
    let not_a_list = client.post("/v1/evaluate/batch", CHANGE).await;
    assert_eq!(
        (not_a_list.status, not_a_list.error_kind()),
        (400, "input".to_owned())
    );
    server.shutdown().await;
}

/// A ServiceNow record is decided as `changegate check --change-from
/// servicenow` decides it (the corpus case of ServiceNow records): core's
/// adapter, then core's evaluation, the same bytes.
#[tokio::test]
async fn servicenow_record_is_read_by_the_adapter() {
    let repo = repo();
    let case = repo.join("policies/examples/from-servicenow-records");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("core/tests/corpus/manifest.json")).unwrap(),
    )
    .unwrap();
    let entry = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["dir"] == "policies/examples/from-servicenow-records")
        .unwrap();
    let (graph, _) = changegate_testkit::corpus::documents(&repo, entry).unwrap();
    let dir = scratch("servicenow");
    std::fs::write(dir.join("graph.json"), graph).unwrap();
    let mut config = changegate_service::Config::new(vec!["../..".into()], dir.join("graph.json"));
    config.base = case.clone();
    config.listen = "127.0.0.1:0".to_owned();
    config.watch = false;
    let server = start(config).await;
    let client = Client::new(&server);
    let read = |name: &str| std::fs::read_to_string(case.join(name)).unwrap();
    let body = format!(
        "{{\"change\": {}, \"approvals\": {}}}",
        read("change_request.json"),
        read("sysapproval_approver.json")
    );
    let got = client.post("/v1/evaluate/servicenow", &body).await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.text(), read("expected.json"));

    let bad = client
        .post("/v1/evaluate/servicenow", r#"{"change": {}, "extra": 1}"#)
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json()["error"]["document"],
        "servicenow",
        "{}",
        bad.text()
    );
    let bad_record = client
        .post("/v1/evaluate/servicenow", r#"{"change": 5}"#)
        .await;
    assert_eq!(bad_record.status, 400, "{}", bad_record.text());
    let bad_options = client
        .post(
            "/v1/evaluate/servicenow",
            &body.replacen('{', "{\"options\": {\"nope\": 1}, ", 1),
        )
        .await;
    assert_eq!(bad_options.status, 400, "{}", bad_options.text());
    server.shutdown().await;
}

/// The OpenAPI document lists exactly the router's routes, and the
/// answers validate against its schemas.
#[tokio::test]
async fn openapi_matches_the_router() {
    let dir = scratch("openapi");
    let server = start(fixture(&dir)).await;
    let client = Client::new(&server);
    let doc = client.get("/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = changegate_service::routes()
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .collect();
    assert_eq!(documented, routed);
    // Every documented route is answered (not the fallbacks' 404 or 405).
    for (method, path) in &documented {
        let got = client
            .send(&method.to_uppercase(), path, &[], b"{}")
            .await
            .unwrap();
        assert!(
            ![404, 405].contains(&got.status),
            "{method} {path}: {}",
            got.status
        );
    }

    let schemas = &doc["components"]["schemas"];
    let validator = |name: &str| {
        let schema = schemas[name].clone();
        assert!(!schema.is_null(), "no schema `{name}`");
        jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let check = |name: &str, value: &Value| {
        let v = validator(name);
        let errors: Vec<String> = v.iter_errors(value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\n{value}");
    };
    check(
        "Decision",
        &client.post("/v1/evaluate", CHANGE).await.json(),
    );
    check("CoreError", &client.post("/v1/evaluate", "{").await.json());
    check(
        "Impact",
        &client
            .post("/v1/impact", r#"{"targets": ["orders-db"]}"#)
            .await
            .json(),
    );
    check(
        "Diagnostics",
        &client
            .post(
                "/v1/validate",
                r#"{"sources": [{"name": "a.gate", "text": "rule"}]}"#,
            )
            .await
            .json(),
    );
    check("PolicyInfo", &client.get("/v1/policy").await.json());
    check("GraphInfo", &client.get("/v1/graph").await.json());
    check("Health", &client.get("/healthz").await.json());
    check("Ready", &client.get("/readyz").await.json());
    check(
        "Reloaded",
        &client.post("/v1/admin/reload", "").await.json(),
    );
    check("Ready", &client.get("/readyz").await.json());
    check("ServiceError", &client.get("/nope").await.json());
    for item in client
        .post("/v1/evaluate/batch", &format!("[{CHANGE}, 1]"))
        .await
        .json()
        .as_array()
        .unwrap()
    {
        let name = if item.get("error").is_some() {
            "CoreError"
        } else {
            "Decision"
        };
        check(name, item);
    }
    server.shutdown().await;
}

/// Malformed, oversized and slow requests are refused with the error JSON,
/// and the service goes on serving.
#[tokio::test]
async fn bad_requests_are_refused_clearly() {
    let dir = scratch("bad");
    let mut config = fixture(&dir);
    config.max_body_bytes = 4096;
    config.request_timeout = Duration::from_millis(700);
    let server = start(config).await;
    let client = Client::new(&server);

    let malformed = client.post("/v1/evaluate", "{\"id\": ").await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.json()["error"]["kind"], "input");
    assert_eq!(malformed.json()["error"]["document"], "change");
    let lone = client.post("/v1/impact", "[1]").await;
    assert_eq!(
        (lone.status, lone.error_kind()),
        (400, "request".to_owned())
    );
    assert!(
        lone.json()["error"]["help"]
            .as_str()
            .unwrap()
            .contains("targets")
    );
    let unknown_field = client.post("/v1/validate", r#"{"source": []}"#).await;
    assert_eq!(
        (unknown_field.status, unknown_field.error_kind()),
        (400, "request".to_owned())
    );
    assert!(
        unknown_field.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`source`")
    );

    let big = "x".repeat(5000);
    let oversized = client.post("/v1/evaluate", &big).await;
    assert_eq!(
        (oversized.status, oversized.error_kind()),
        (413, "too_large".to_owned())
    );
    assert!(
        oversized.json()["error"]["help"]
            .as_str()
            .unwrap()
            .contains("--max-body-bytes")
    );

    // A body larger than it says, sent without a length: chunked.
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let chunk = "y".repeat(3000);
    let request = format!(
        "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len(),
        chunk.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut raw)
        .await
        .unwrap();
    assert!(
        String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&raw)
    );

    // A body that never finishes: the time limit answers.
    let mut slow = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    slow.write_all(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"id\"")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read_to_end(&mut slow, &mut raw),
    )
    .await;
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"kind\": \"timeout\""), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Headers that never finish: the connection is closed.
    let mut slower = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    slower
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut raw = Vec::new();
    let closed = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::io::AsyncReadExt::read_to_end(&mut slower, &mut raw),
    )
    .await;
    assert!(
        closed.is_ok(),
        "a connection with unfinished headers stays open"
    );

    let after = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(after.status, 200);
    server.shutdown().await;
}

/// The hostile changes over HTTP: each answer is core's, the service never
/// fails with a 5xx, and it keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_changes_over_http() {
    let list = changegate_testkit::hostile::load(&repo()).unwrap();
    let mut tried = 0;
    for case in list.cases.iter().filter(|c| c.name.starts_with("change-")) {
        let dir = scratch("hostile");
        let mut names = Vec::new();
        for doc in &case.policy {
            std::fs::write(dir.join("policy").join(&doc.name), &*doc.bytes).unwrap();
            names.push(std::path::PathBuf::from("policy").join(&doc.name));
        }
        std::fs::write(dir.join("graph.json"), &*case.graph.bytes).unwrap();
        let limits = match &case.limits {
            Some(l) => api::limits_from_json(&Value::Object(l.clone()).to_string()).unwrap(),
            None => changegate::Limits::default(),
        };
        let mut config = changegate_service::Config::new(names.clone(), dir.join("graph.json"));
        config.base = dir.clone();
        config.limits = limits.clone();
        config.listen = "127.0.0.1:0".to_owned();
        config.watch = false;
        config.max_body_bytes = 64 * 1024 * 1024;
        let server = start(config).await;
        let client = Client::new(&server);
        let started = std::time::Instant::now();
        let got = client
            .send("POST", "/v1/evaluate", &[], &case.change.bytes)
            .await
            .unwrap();
        assert!(
            started.elapsed() < list.time_limit,
            "{}: too slow",
            case.name
        );
        assert!(
            got.status < 500,
            "{}: {} {}",
            case.name,
            got.status,
            got.text()
        );
        let expected = match std::str::from_utf8(&case.change.bytes) {
            Ok(text) => {
                let policy = api::compile_paths(&dir, &names, &limits).unwrap();
                let graph = api::load_graph_file(&dir.join("graph.json"), &limits).unwrap();
                match api::evaluate_json(&policy, text, &graph) {
                    Ok(d) => d,
                    Err(e) => e.to_json(),
                }
            }
            Err(_) => {
                assert_eq!(got.json()["error"]["document"], "change", "{}", case.name);
                got.text().to_owned()
            }
        };
        assert_eq!(got.text(), expected, "{}", case.name);
        assert_eq!(client.get("/healthz").await.status, 200, "{}", case.name);
        server.shutdown().await;
        tried += 1;
    }
    assert!(tried >= 25, "only {tried} hostile changes");
}
