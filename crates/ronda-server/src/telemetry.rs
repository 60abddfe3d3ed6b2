//! Request spans and Prometheus metrics.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Response;
use axum::middleware::Next;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use tracing::Span;

use crate::state::AppState;

/// The server's Prometheus registry. Each server has its own, so tests can run several.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "ronda_http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("valid metric definition");
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "ronda_http_request_duration_seconds",
                "HTTP request duration in seconds by route",
            ),
            &["route", "method"],
        )
        .expect("valid metric definition");
        registry
            .register(Box::new(requests.clone()))
            .expect("metric registered once");
        registry
            .register(Box::new(durations.clone()))
            .expect("metric registered once");
        Self {
            registry,
            requests,
            durations,
        }
    }

    /// Renders every metric in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        let families = self.registry.gather();
        if let Err(error) = TextEncoder::new().encode(&families, &mut buffer) {
            tracing::error!(%error, "encoding metrics failed");
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Route label for a request: the matched route pattern, so `/api/users/{id}` is one
/// series however many ids exist.
fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned())
}

/// Creates the span of one request. Authentication fills in `org.id` and `user.id`.
pub fn request_span(request: &Request) -> Span {
    let route = route_of(request);
    if route == "/healthz" || route == "/readyz" || route == "/metrics" {
        tracing::debug_span!("request", http.method = %request.method(), http.route = %route, org.id = tracing::field::Empty, user.id = tracing::field::Empty)
    } else {
        tracing::info_span!("request", http.method = %request.method(), http.route = %route, org.id = tracing::field::Empty, user.id = tracing::field::Empty)
    }
}

/// Middleware that counts requests and observes their duration.
pub async fn record_metrics(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response<axum::body::Body> {
    let route = route_of(&request);
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let metrics = state.metrics();
    metrics
        .requests
        .with_label_values(&[route.as_str(), method.as_str(), response.status().as_str()])
        .inc();
    metrics
        .durations
        .with_label_values(&[route.as_str(), method.as_str()])
        .observe(started.elapsed().as_secs_f64());
    response
}

/// Encodes metrics for the `/metrics` handler.
pub fn encode(state: &AppState) -> String {
    state.metrics().render()
}
