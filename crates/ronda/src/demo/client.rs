//! A logged-in HTTP client of the demo's own server, as the console or the field app
//! would be: session cookie plus the CSRF token on every request that changes something.

use std::time::Duration;

use anyhow::Context;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Time allowed for one request, generous because logins hash passwords.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Header that carries the session's CSRF token.
const CSRF_HEADER: &str = "x-csrf-token";

/// An HTTP response reduced to what the demo reads.
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base_url: String,
    cookie: String,
    csrf_token: String,
}

/// Builds the HTTP client every demo request uses.
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("could not build the demo's HTTP client")
}

impl ApiClient {
    /// Logs in through `POST /api/auth/login` and keeps the session cookie and CSRF token.
    pub async fn login(
        http: reqwest::Client,
        base_url: &str,
        email: &str,
        password: &str,
    ) -> anyhow::Result<Self> {
        let response = http
            .post(format!("{base_url}/api/auth/login"))
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::json!({ "email": email, "password": password }).to_string())
            .send()
            .await
            .with_context(|| format!("login request for {email} failed"))?;
        let status = response.status();
        let cookie = response
            .headers()
            .get(SET_COOKIE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(str::to_owned);
        let bytes = response.bytes().await.unwrap_or_default();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        anyhow::ensure!(
            status == StatusCode::OK,
            "login of {email} failed with {status}: {body}"
        );
        let cookie = cookie.with_context(|| format!("login of {email} set no session cookie"))?;
        let csrf_token = body["csrf_token"]
            .as_str()
            .with_context(|| format!("login of {email} returned no csrf_token"))?
            .to_owned();
        Ok(Self {
            http,
            base_url: base_url.to_owned(),
            cookie,
            csrf_token,
        })
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base_url))
            .header(COOKIE, &self.cookie)
            .header(CSRF_HEADER, &self.csrf_token)
    }

    /// Sends a JSON request (or none, for a GET) and returns the status and JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Reply> {
        let mut request = self.request(method.clone(), path);
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        read_reply(request.send().await, &method, path).await
    }

    /// Sends like [`ApiClient::send`] and fails unless the status is one of `expected`.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        expected: &[StatusCode],
    ) -> anyhow::Result<Value> {
        let reply = self.send(method.clone(), path, body).await?;
        anyhow::ensure!(
            expected.contains(&reply.status),
            "{method} {path} returned {}: {}",
            reply.status,
            reply.body
        );
        Ok(reply.body)
    }

    /// Uploads raw bytes with their content type, as the field app sends attachments.
    pub async fn put_bytes(
        &self,
        path: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> anyhow::Result<Reply> {
        let request = self
            .request(Method::PUT, path)
            .header(CONTENT_TYPE, content_type)
            .body(bytes);
        read_reply(request.send().await, &Method::PUT, path).await
    }

    /// Posts a `multipart/form-data` body with one file part `file` and text parts.
    pub async fn post_file(
        &self,
        path: &str,
        file_name: &str,
        file: &[u8],
        fields: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let boundary = format!("ronda-demo-{}", uuid::Uuid::new_v4().simple());
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = self
            .request(Method::POST, path)
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        read_reply(request.send().await, &Method::POST, path).await
    }
}

async fn read_reply(
    sent: reqwest::Result<reqwest::Response>,
    method: &Method,
    path: &str,
) -> anyhow::Result<Reply> {
    let response = sent.with_context(|| format!("{method} {path} failed"))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .with_context(|| format!("reading the response of {method} {path} failed"))?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Reply { status, body })
}
