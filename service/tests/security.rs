//! Authentication, TLS and mutual TLS: every refusal is a clear 4xx (or
//! a failed handshake), and nothing about the policy or the graph reaches
//! an unauthenticated caller.

#![expect(
    clippy::unwrap_used,
    reason = "the fixture helpers are not test functions; a broken fixture should stop the test"
)]

mod common;

use std::path::Path;

use changegate_service::{ServeError, TlsFiles, hash_token};
use common::{CHANGE, Client, Pki, fixture, scratch, start};

const CI_TOKEN: &str = "ci-0123456789abcdef0123456789abcdef";
const BOT_TOKEN: &str = "bot-fedcba9876543210fedcba9876543210";

fn tokens_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("tokens");
    let text = format!(
        "# callers of the test service\n{}\n{}",
        hash_token("ci-pipeline", CI_TOKEN).unwrap(),
        hash_token("chat-bot", &format!("{BOT_TOKEN}\n")).unwrap()
    );
    assert!(!text.contains(CI_TOKEN), "the file must not hold the token");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn bearer_tokens() {
    let dir = scratch("tokens");
    let mut config = fixture(&dir);
    config.tokens = Some(tokens_file(&dir));
    let server = start(config).await;
    let anonymous = Client::new(&server);

    for (method, path) in changegate_service::routes()
        .into_iter()
        .chain([("get", "/v1/nope")])
    {
        let r = anonymous
            .send(&method.to_uppercase(), path, &[], b"{}")
            .await
            .unwrap();
        if matches!(path, "/healthz" | "/readyz") {
            assert_eq!(r.status, 200, "{path}");
            continue;
        }
        assert_eq!(r.status, 401, "{method} {path}: {}", r.text());
        assert_eq!(r.error_kind(), "unauthorized");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert!(!r.text().contains("sha256"), "{}", r.text());
    }
    let ready = anonymous.get("/readyz").await;
    assert_eq!(ready.json(), serde_json::json!({"ready": true}));

    let wrong = anonymous.with_token("not-a-known-token-at-all");
    let r = wrong.post("/v1/evaluate", CHANGE).await;
    assert_eq!((r.status, r.error_kind()), (401, "unauthorized".to_owned()));
    assert_eq!(
        r.json()["error"]["message"],
        "the bearer token is not known"
    );
    let basic = anonymous
        .send(
            "POST",
            "/v1/evaluate",
            &[("Authorization", "Basic Y2k6eA==")],
            CHANGE.as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(basic.status, 401);
    assert!(
        basic.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Bearer TOKEN")
    );

    for token in [CI_TOKEN, BOT_TOKEN] {
        let client = anonymous.with_token(token);
        let r = client.post("/v1/evaluate", CHANGE).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let ready = client.get("/readyz").await.json();
        assert!(
            ready["policy_digest"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn beyond_loopback_needs_authentication() {
    let dir = scratch("exposed");
    let mut config = fixture(&dir);
    config.listen = "0.0.0.0:0".to_owned();
    let Err(e) = changegate_service::start(config.clone()).await else {
        panic!("started on 0.0.0.0 without authentication");
    };
    assert!(matches!(e, ServeError::Config { .. }), "{e}");
    assert!(
        e.to_string().contains("`0.0.0.0:0` without authentication"),
        "{e}"
    );
    assert!(e.help().unwrap().contains("--tokens"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&e.to_json()).unwrap()["error"]["kind"],
        "config"
    );
    config.tokens = Some(tokens_file(&dir));
    let server = start(config).await;
    assert!(server.addr().ip().is_unspecified());
    server.shutdown().await;
}

#[tokio::test]
async fn bad_tokens_files_and_tokens_are_refused() {
    let dir = scratch("bad-tokens");
    let mut config = fixture(&dir);
    let tokens = dir.join("tokens");
    config.tokens = Some(tokens.clone());
    for (text, line, needle) in [
        ("ci sha256:abc\n", 1, "is not `sha256:` and 64 hex digits"),
        ("\n# c\nci\n", 3, "is not a token entry"),
        (
            "c!i sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
            1,
            "is not a caller name",
        ),
        (
            "a sha256:0000000000000000000000000000000000000000000000000000000000000000\na sha256:1000000000000000000000000000000000000000000000000000000000000000\n",
            2,
            "already on line 1",
        ),
    ] {
        std::fs::write(&tokens, text).unwrap();
        let Err(e) = changegate_service::start(config.clone()).await else {
            panic!("started with the tokens file {text:?}");
        };
        let ServeError::Tokens {
            line: at, message, ..
        } = &e
        else {
            panic!("{e}");
        };
        assert_eq!(*at, line, "{e}");
        assert!(message.contains(needle), "{e}");
    }
    assert!(
        hash_token("ci", "short")
            .unwrap_err()
            .to_string()
            .contains("at least 16")
    );
    assert!(hash_token("c i", CI_TOKEN).is_err());
    let line = hash_token("ci", CI_TOKEN).unwrap();
    assert!(line.starts_with("ci sha256:") && line.len() == "ci sha256:".len() + 65);
}

fn tls_files(dir: &Path, pki: &Pki, client_ca: Option<&Pki>) -> TlsFiles {
    let issued = pki.issue("localhost", false, false);
    std::fs::write(dir.join("cert.pem"), &issued.cert_pem).unwrap();
    std::fs::write(dir.join("key.pem"), &issued.key_pem).unwrap();
    let client_ca = client_ca.map(|ca| {
        let path = dir.join("client-ca.pem");
        std::fs::write(&path, ca.ca.pem()).unwrap();
        path
    });
    TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
        client_ca,
    }
}

#[tokio::test]
async fn tls_serves_and_reloads_its_certificate() {
    let dir = scratch("tls");
    let pki = Pki::new("test ca");
    let mut config = fixture(&dir);
    config.tls = Some(tls_files(&dir, &pki, None));
    let server = start(config).await;
    let mut client = Client::new(&server);
    let plain = client.send("GET", "/healthz", &[], b"").await;
    assert!(
        plain.is_err() || plain.unwrap().status != 200,
        "plain HTTP answered on the TLS port"
    );
    client.tls = Some(pki.connector(None));
    let r = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["outcome"], "approved");

    // A renewed certificate (another CA here) is served after a reload.
    let renewed = Pki::new("renewed ca");
    tls_files(&dir, &renewed, None);
    assert_eq!(client.post("/v1/admin/reload", "").await.status, 200);
    assert!(
        client.send("GET", "/healthz", &[], b"").await.is_err(),
        "the old certificate is still served"
    );
    client.tls = Some(renewed.connector(None));
    assert_eq!(client.get("/healthz").await.status, 200);

    // A key that does not go with the certificate: the reload is refused.
    std::fs::write(dir.join("key.pem"), pki.issue("x", false, false).key_pem).unwrap();
    let refused = client.post("/v1/admin/reload", "").await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.error_kind(), "config");
    assert_eq!(client.get("/healthz").await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn client_certificates_when_required() {
    let dir = scratch("mtls");
    let server_pki = Pki::new("server ca");
    let client_pki = Pki::new("client ca");
    let mut config = fixture(&dir);
    config.tls = Some(tls_files(&dir, &server_pki, Some(&client_pki)));
    let server = start(config).await;
    let mut client = Client::new(&server);

    client.tls = Some(server_pki.connector(None));
    assert!(
        client.send("GET", "/healthz", &[], b"").await.is_err(),
        "answered without a client certificate"
    );

    let good = client_pki.issue("ci-pipeline", true, false);
    client.tls = Some(server_pki.connector(Some(&good)));
    let r = client.post("/v1/evaluate", CHANGE).await;
    assert_eq!(r.status, 200, "{}", r.text());

    let expired = client_pki.issue("old", true, true);
    client.tls = Some(server_pki.connector(Some(&expired)));
    assert!(
        client.send("GET", "/healthz", &[], b"").await.is_err(),
        "an expired client certificate was accepted"
    );

    let stranger = Pki::new("other ca").issue("stranger", true, false);
    client.tls = Some(server_pki.connector(Some(&stranger)));
    assert!(
        client.send("GET", "/healthz", &[], b"").await.is_err(),
        "a certificate of another CA was accepted"
    );

    client.tls = Some(server_pki.connector(Some(&good)));
    assert_eq!(client.get("/healthz").await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn an_expired_server_certificate_is_rejected_by_clients() {
    let dir = scratch("expired");
    let pki = Pki::new("test ca");
    let issued = pki.issue("localhost", false, true);
    std::fs::write(dir.join("cert.pem"), &issued.cert_pem).unwrap();
    std::fs::write(dir.join("key.pem"), &issued.key_pem).unwrap();
    let mut config = fixture(&dir);
    config.tls = Some(TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
        client_ca: None,
    });
    let server = start(config).await;
    let mut client = Client::new(&server);
    client.tls = Some(pki.connector(None));
    let err = client.send("GET", "/healthz", &[], b"").await.unwrap_err();
    assert!(err.to_string().to_lowercase().contains("expired"), "{err}");
    server.shutdown().await;
}
