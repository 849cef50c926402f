//! SIGHUP reloads the set. Alone in its test binary: the signal goes to
//! the whole process.

mod common;

use std::time::Duration;

use common::{Client, eventually, fixture, scratch, start};

#[tokio::test]
async fn sighup_reloads() {
    let dir = scratch("sighup");
    let server = start(fixture(&dir)).await;
    let client = Client::new(&server);
    let before = client.get("/v1/policy").await.json()["digest"].clone();
    let gate = dir.join("policy/change-control.gate");
    let good = std::fs::read_to_string(&gate).unwrap();
    std::fs::write(
        &gate,
        format!("{good}\nrule extra {{\n  require approval \"x\"\n}}\n"),
    )
    .unwrap();
    let status = std::process::Command::new("kill")
        .args(["-HUP", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        eventually(Duration::from_secs(10), || async {
            client.get("/v1/policy").await.json()["digest"] != before
        })
        .await,
        "SIGHUP did not reload"
    );
    assert_eq!(
        client.get("/readyz").await.json()["last_reload"]["trigger"],
        "sighup"
    );
    server.shutdown().await;
}
