//! Ronda's HTTP server. [`router`] builds the whole application from an [`AppState`], so
//! the binary serves it and tests drive it in-process.

pub mod agent_watch;
pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod geocode;
pub mod i18n;
pub mod json_detail;
pub mod live;
pub mod messages;
pub mod notify;
pub mod openapi;
pub mod ops;
pub mod portfolio_import;
pub mod productivity;
pub mod reports;
pub mod state;
pub mod telemetry;
pub mod tracking;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use state::{AppState, ServerSettings};

/// Largest request body the JSON API accepts.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Content Security Policy: only this origin's scripts, no inline scripts, no framing.
/// Inline styles are allowed because the API docs page sets them. Images may also come
/// from any HTTPS host, because map tiles come from OpenStreetMap or from the tile server
/// a browser is set to use.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob: https:; \
    style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .route("/api/openapi.json", get(openapi::openapi_json))
        .route("/api/docs", get(assets::redirect_to_api_docs))
        .merge(ops::router())
        .merge(tracking::routes())
        .fallback(assets::serve_asset)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(error::localize_errors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            telemetry::record_metrics,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(telemetry::request_span))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security_header(header::REFERRER_POLICY, "same-origin"))
        .layer(security_header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .with_state(state)
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
