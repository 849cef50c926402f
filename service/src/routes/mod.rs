//! The HTTP routes: `/v1` for decisions and the loaded set, and the
//! operations endpoints beside it. Handlers only read requests and write
//! responses; every decision, error and shape is core's.

mod decide;
mod decisions;
pub(crate) mod info;

mod ops;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{MethodRouter, get, post};

use crate::err::Reject;
use crate::state::Shared;

/// Every route: its method, its path and its handler. The router is made
/// of exactly these, and the OpenAPI document must describe exactly these
/// (a test holds the two together).
pub(crate) fn routes() -> Vec<(&'static str, &'static str, MethodRouter<Arc<Shared>>)> {
    vec![
        ("post", "/v1/evaluate", post(decide::evaluate)),
        ("post", "/v1/evaluate/servicenow", post(decide::servicenow)),
        ("post", "/v1/evaluate/batch", post(decide::batch)),
        ("get", "/v1/decisions", get(decisions::decisions)),
        ("post", "/v1/impact", post(info::impact)),
        ("post", "/v1/validate", post(info::validate)),
        ("get", "/v1/policy", get(info::policy)),
        ("get", "/v1/graph", get(info::graph)),
        ("get", "/v1/openapi.json", get(info::openapi)),
        ("post", "/v1/admin/reload", post(ops::reload)),
        ("get", "/healthz", get(ops::healthz)),
        ("get", "/readyz", get(ops::readyz)),
        ("get", "/metrics", get(ops::metrics)),
    ]
}

/// The router of every route with its middleware: authentication inside,
/// then the time limit, then the metrics and the access log outside.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    routes()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            crate::auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            time_limit,
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), observe))
        .with_state(shared)
}

async fn not_found(request: Request) -> Reject {
    Reject::http(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("there is no route `{}`", request.uri().path()),
        "the routes are listed at `/v1/openapi.json`",
    )
}

async fn method_not_allowed(request: Request) -> Reject {
    Reject::http(
        StatusCode::METHOD_NOT_ALLOWED,
        "method",
        format!(
            "`{}` does not take `{}`",
            request.uri().path(),
            request.method()
        ),
        "the routes and their methods are listed at `/v1/openapi.json`",
    )
}

/// The request time limit: a request whose body or handling takes longer
/// is answered 408 and dropped.
async fn time_limit(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let limit = shared.config.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => Reject::http(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request took longer than {} ms", limit.as_millis()),
            "send the whole request at once; a large batch can be split",
        )
        .into_response(),
    }
}

/// Counts every request in the metrics and writes one access-log line.
async fn observe(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    shared.metrics.request(&route, status, seconds);
    let caller = response
        .extensions()
        .get::<crate::auth::Caller>()
        .and_then(|c| c.0.clone());
    tracing::info!(
        method = %method,
        route,
        status,
        micros = started.elapsed().as_micros() as u64,
        caller,
        "request"
    );
    response
}

/// A JSON response with `body` as its bytes.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The request's body, refused beyond `limit` bytes (at once when its
/// `Content-Length` says so).
pub(crate) async fn read_body(request: Request, limit: usize) -> Result<Bytes, Reject> {
    let too_large = || {
        Reject::http(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is over {limit} bytes"),
            "send a smaller body (split a batch), or start the service with a larger `--max-body-bytes`",
        )
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|e| {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(s) = source {
                if s.to_string().contains("length limit exceeded") {
                    return too_large();
                }
                source = s.source();
            }
            Reject::http(
                StatusCode::BAD_REQUEST,
                "request",
                format!("cannot read the request body: {e}"),
                "send the whole body, with a correct `Content-Length`",
            )
        })
}

/// The body as text of `document`: bytes that are not UTF-8 are an input
/// error naming the first bad byte.
pub(crate) fn text(bytes: &Bytes, document: changegate::Document) -> Result<&str, Reject> {
    std::str::from_utf8(bytes).map_err(|e| {
        Reject::Core(changegate::Error::Input {
            document,
            error: changegate::InputError::new(
                "",
                format!("the body is not UTF-8 (byte {})", e.valid_up_to()),
            )
            .with_help("send JSON encoded as UTF-8"),
        })
    })
}
