//! The web console and the field app, embedded into the binary at build time.

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::ApiError;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
struct WebAssets;

/// Serves a built file, or the right single-page shell for a client-side route: the field
/// app's for paths under `/app/`, the console's for the rest. Pages are only read, so any
/// other method gets 405, and a tracking client posting to `/` gets a failure, not a page.
pub async fn serve_asset(method: Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return ApiError::not_found().into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed: web pages take GET and HEAD",
        )
            .into_response();
    }
    if path == "app" {
        return redirect("/app/");
    }
    if path == "api-docs" {
        return redirect("/api-docs/");
    }
    let candidates = [
        path.to_owned(),
        format!("{path}index.html"),
        format!("{path}/index.html"),
    ];
    for candidate in candidates.iter().filter(|c| !c.is_empty()) {
        if let Some(file) = WebAssets::get(candidate) {
            return file_response(candidate, file);
        }
    }
    let looks_like_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if looks_like_file {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let shell = if path.starts_with("app/") {
        "app/index.html"
    } else {
        "index.html"
    };
    match WebAssets::get(shell) {
        Some(file) => file_response(shell, file),
        None => (
            StatusCode::NOT_FOUND,
            "web assets were not built into this binary",
        )
            .into_response(),
    }
}

/// Sends `/api/docs` to the bundled API documentation page.
pub async fn redirect_to_api_docs() -> Response {
    redirect("/api-docs/")
}

fn redirect(location: &'static str) -> Response {
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, location)],
    )
        .into_response()
}

fn file_response(path: &str, file: rust_embed::EmbeddedFile) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    // Vite puts a content hash in every file name under assets/, so those never change.
    // Pages, the manifest and the service worker are revalidated to pick up releases.
    let cache = if path.contains("/assets/") || path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = Response::new(Body::from(file.data.into_owned()));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
