//! Bearer tokens: the tokens file holds each caller's name and the SHA-256
//! of its token, never the token itself, so the file leaks no secret.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use sha2::{Digest as _, Sha256};

use crate::err::{Reject, ServeError};
use crate::state::Shared;

/// The caller's name when the service runs without authentication (on
/// loopback only): the access log and the decision log name it so.
pub const LOCAL: &str = "local";

/// The shortest token accepted: shorter ones can be guessed.
const MIN_TOKEN: usize = 16;

/// The caller of a request: the name of its token, `local` when the
/// service runs without authentication, or `None` when the request is not
/// authenticated (only `/healthz` and `/readyz` answer it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller(pub Option<String>);

/// The names of the callers, by the SHA-256 of their tokens.
pub(crate) struct Tokens {
    by_hash: HashMap<[u8; 32], String>,
}

impl Tokens {
    /// Reads a tokens file: one `NAME sha256:HEX` per line; blank lines
    /// and lines starting with `#` are skipped.
    pub(crate) fn read(path: &Path) -> Result<Tokens, ServeError> {
        let shown = path.display().to_string();
        let fail = |line: usize, message: String, help: &str| ServeError::Tokens {
            path: shown.clone(),
            line,
            message,
            help: help.to_owned(),
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            fail(
                0,
                format!("cannot read the tokens file: {e}"),
                "check the `--tokens` path; make entries with `changegate serve --hash-token NAME`",
            )
        })?;
        let mut by_hash = HashMap::new();
        let mut names = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let help =
                "each line is `NAME sha256:HEX`, as `changegate serve --hash-token NAME` prints it";
            let mut parts = line.split_whitespace();
            let (Some(name), Some(hash), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(fail(
                    line_no,
                    format!("`{line}` is not a token entry"),
                    help,
                ));
            };
            check_name(name).map_err(|m| fail(line_no, m, help))?;
            let hash = parse_hash(hash).ok_or_else(|| {
                fail(
                    line_no,
                    format!("`{hash}` is not `sha256:` and 64 hex digits"),
                    help,
                )
            })?;
            if let Some(first) = names.insert(name.to_owned(), line_no) {
                return Err(fail(
                    line_no,
                    format!("the name `{name}` is already on line {first}"),
                    "give each caller its own name, so that the decision log tells them apart",
                ));
            }
            if by_hash.insert(hash, name.to_owned()).is_some() {
                return Err(fail(
                    line_no,
                    format!("`{name}` has the same token as an earlier entry"),
                    "give each caller its own token",
                ));
            }
        }
        Ok(Tokens { by_hash })
    }

    /// The caller whose token is `token`.
    fn caller(&self, token: &str) -> Option<&str> {
        let hash: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        self.by_hash.get(&hash).map(String::as_str)
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a caller name: use up to 64 letters, digits, `-`, `_`, `.` or `@`"
        ))
    }
}

fn parse_hash(text: &str) -> Option<[u8; 32]> {
    let hex = text.strip_prefix("sha256:")?;
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The tokens-file line for caller `name` with token `secret` (a trailing
/// newline of the secret is not part of it).
pub fn hash_token(name: &str, secret: &str) -> Result<String, ServeError> {
    let config = |message: String, help: &str| ServeError::config(message, help);
    check_name(name).map_err(|m| config(m, "pick another name for `--hash-token`"))?;
    let secret = secret.trim_end_matches(['\n', '\r']);
    if secret.chars().count() < MIN_TOKEN {
        return Err(config(
            format!(
                "the token is {} characters long; at least {MIN_TOKEN} are needed",
                secret.chars().count()
            ),
            "make a random one, such as `openssl rand -hex 32`, and give it on standard input",
        ));
    }
    if secret.chars().any(char::is_whitespace) {
        return Err(config(
            "the token holds whitespace".to_owned(),
            "use a token without spaces, such as `openssl rand -hex 32` prints",
        ));
    }
    Ok(format!(
        "{name} {}\n",
        crate::state::digest(secret.as_bytes())
    ))
}

/// Paths any caller may ask: liveness and (without detail) readiness.
fn is_public(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz")
}

/// Finds the caller of every request; refuses requests without a known
/// token unless the path is public.
pub(crate) async fn authenticate(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let loaded = shared.current.load();
    let caller = match &loaded.tokens {
        None => Ok(LOCAL.to_owned()),
        Some(tokens) => match request.headers().get(AUTHORIZATION) {
            None => Err(Reject::unauthorized("the request has no bearer token")),
            Some(value) => {
                let token = value.to_str().ok().and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                });
                match token.map(str::trim).and_then(|t| tokens.caller(t)) {
                    Some(name) => Ok(name.to_owned()),
                    None if token.is_none() => Err(Reject::unauthorized(
                        "the `Authorization` header is not `Bearer TOKEN`",
                    )),
                    None => Err(Reject::unauthorized("the bearer token is not known")),
                }
            }
        },
    };
    drop(loaded);
    match caller {
        Ok(name) => {
            let caller = Caller(Some(name));
            request.extensions_mut().insert(caller.clone());
            // The access log, outside, names the caller.
            let mut response = next.run(request).await;
            response.extensions_mut().insert(caller);
            response
        }
        Err(_) if is_public(request.uri().path()) => {
            request.extensions_mut().insert(Caller(None));
            next.run(request).await
        }
        Err(reject) => {
            let mut response = reject.into_response();
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}
