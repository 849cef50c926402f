//! TLS with rustls: the server's certificate and key, and optionally the
//! CA that client certificates must be signed by (mutual TLS). Read again
//! on every reload, so a renewed certificate is served without a restart.

use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsFiles;
use crate::err::ServeError;

fn certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, ServeError> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            ServeError::tls(
                path,
                format!("cannot read the {what}: {e}"),
                "give a PEM file of `-----BEGIN CERTIFICATE-----` blocks",
            )
        })?;
    if certs.is_empty() {
        return Err(ServeError::tls(
            path,
            format!("the {what} file holds no certificate"),
            "give a PEM file of `-----BEGIN CERTIFICATE-----` blocks",
        ));
    }
    Ok(certs)
}

/// The rustls configuration of `files`.
#[expect(
    deprecated,
    reason = "ring builds without a C toolchain; its provider lacks only the post-quantum key exchange"
)]
pub(crate) fn server_config(files: &TlsFiles) -> Result<Arc<rustls::ServerConfig>, ServeError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = certs(&files.cert, "certificate")?;
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| {
        ServeError::tls(
            &files.key,
            format!("cannot read the private key: {e}"),
            "give a PEM private key (PKCS#8, PKCS#1 or SEC1)",
        )
    })?;
    let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| ServeError::tls(&files.cert, e.to_string(), "this is a bug in changegate"))?;
    let builder = match &files.client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for cert in certs(ca, "client CA")? {
                roots.add(cert).map_err(|e| {
                    ServeError::tls(
                        ca,
                        format!("cannot use a client CA certificate: {e}"),
                        "give CA certificates in PEM",
                    )
                })?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| {
                    ServeError::tls(
                        ca,
                        format!("cannot use the client CA: {e}"),
                        "give CA certificates in PEM",
                    )
                })?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder.with_single_cert(chain, key).map_err(|e| {
        ServeError::tls(
            &files.key,
            format!("the key does not go with the certificate: {e}"),
            "give the private key of the first certificate of `--tls-cert`",
        )
    })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
