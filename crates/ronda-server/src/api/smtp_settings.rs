//! The organization's SMTP server for notification emails. Admins set it and send a test
//! email; other roles but agent read it. The password is never returned.

use std::str::FromStr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use lettre::message::Mailbox;
use ronda_domain::{Email, Permission, Role};
use ronda_store::outbox::{Language, PasswordChange, SmtpSecurity, SmtpSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::notify::email::{self, EmailContext};
use crate::notify::payload::EventPayload;
use crate::notify::smtp::{self, Outgoing, SmtpServer};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/notifications/smtp",
            get(get_smtp).put(put_smtp).delete(delete_smtp),
        )
        .route("/api/notifications/smtp/test", post(send_test))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SmtpView {
    /// `organization` (set in the console), `installation` (the configuration file's
    /// default) or `none` (emails wait in the outbox).
    pub source: String,
    pub host: Option<String>,
    pub port: Option<u16>,
    /// `none`, `starttls` or `tls`.
    pub security: Option<String>,
    pub username: Option<String>,
    /// Whether a password is stored; the password itself is never returned.
    pub has_password: bool,
    pub from_address: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub updated_at: Option<Timestamp>,
}

impl SmtpView {
    fn from_organization(settings: SmtpSettings) -> Self {
        Self {
            source: "organization".into(),
            host: Some(settings.host),
            port: Some(settings.port),
            security: Some(settings.security.as_str().into()),
            username: settings.username,
            has_password: settings.password.is_some(),
            from_address: Some(settings.from_address),
            updated_at: Some(settings.updated_at),
        }
    }

    /// Shows where the installation default sends from, but not its account.
    fn from_installation(server: &SmtpServer) -> Self {
        Self {
            source: "installation".into(),
            host: Some(server.host.clone()),
            port: Some(server.port),
            security: Some(server.security.as_str().into()),
            username: None,
            has_password: false,
            from_address: Some(server.from_address.clone()),
            updated_at: None,
        }
    }

    fn none() -> Self {
        Self {
            source: "none".into(),
            host: None,
            port: None,
            security: None,
            username: None,
            has_password: false,
            from_address: None,
            updated_at: None,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmtpRequest {
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    /// Absent or empty to send without authentication.
    pub username: Option<String>,
    /// A new password; absent keeps the stored one.
    pub password: Option<String>,
    /// Removes the stored password.
    #[serde(default)]
    pub clear_password: bool,
    /// The From mailbox, such as `Despacho Norte <avisos@norte.mx>`.
    pub from_address: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestEmailRequest {
    /// Address that receives the test email.
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestEmailResult {
    pub sent: bool,
    /// Source of the settings used: `organization` or `installation`.
    pub source: String,
}

/// Returns the SMTP settings that send this organization's emails.
#[utoipa::path(get, path = "/api/notifications/smtp", tag = "notifications",
    responses((status = 200, body = SmtpView), (status = 403, body = ErrorBody)))]
pub async fn get_smtp(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<SmtpView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    Ok(Json(current_view(&state, &principal).await?))
}

async fn current_view(state: &AppState, principal: &Principal) -> Result<SmtpView, ApiError> {
    let own = state
        .store()
        .smtp_settings(principal.organization_id)
        .await?;
    Ok(match (own, &state.settings().notify.default_smtp) {
        (Some(settings), _) => SmtpView::from_organization(settings),
        (None, Some(server)) => SmtpView::from_installation(server),
        (None, None) => SmtpView::none(),
    })
}

/// Sets the organization's own SMTP server.
#[utoipa::path(put, path = "/api/notifications/smtp", tag = "notifications",
    request_body = SmtpRequest,
    responses((status = 200, body = SmtpView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_smtp(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<SmtpRequest>,
) -> Result<Json<SmtpView>, ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let host = parse_host(&request.host)?;
    if request.port == 0 {
        return Err(ApiError::invalid(
            "port",
            InputProblem::OutOfRange { min: 1, max: 65535 },
        ));
    }
    let security = SmtpSecurity::from_name(request.security.trim()).ok_or_else(|| {
        ApiError::invalid("security", InputProblem::NotOneOf("none, starttls, tls"))
    })?;
    let from_address = parse_mailbox(&request.from_address)?;
    let username = request
        .username
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let password = match (request.password, request.clear_password) {
        (Some(_), true) => {
            return Err(ApiError::invalid(
                "clear_password",
                InputProblem::Explained {
                    es: "Envía «password» o «clear_password», no ambos.".to_owned(),
                    en: "Send \"password\" or \"clear_password\", not both.".to_owned(),
                },
            ));
        }
        (Some(password), false) => PasswordChange::Set(password),
        (None, true) => PasswordChange::Clear,
        (None, false) => PasswordChange::Keep,
    };
    let settings = SmtpSettings {
        organization_id: principal.organization_id,
        host,
        port: request.port,
        security,
        username,
        password: None,
        from_address,
        updated_at: Timestamp::now(),
    };
    let details = serde_json::json!({
        "host": settings.host,
        "port": settings.port,
        "security": settings.security,
        "password_changed": password != PasswordChange::Keep,
    });
    let audit = principal.audit("smtp_settings.updated", "smtp_settings", None, details);
    let saved = state
        .store()
        .put_smtp_settings(&settings, &password, &audit)
        .await?;
    Ok(Json(SmtpView::from_organization(saved)))
}

/// Removes the organization's SMTP server; the installation default applies again.
#[utoipa::path(delete, path = "/api/notifications/smtp", tag = "notifications",
    responses((status = 200, body = SmtpView), (status = 404, body = ErrorBody)))]
pub async fn delete_smtp(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<SmtpView>, ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let audit = principal.audit(
        "smtp_settings.deleted",
        "smtp_settings",
        None,
        serde_json::json!({}),
    );
    let deleted = state
        .store()
        .delete_smtp_settings(principal.organization_id, &audit)
        .await?;
    if !deleted {
        return Err(ApiError::not_found());
    }
    Ok(Json(current_view(&state, &principal).await?))
}

/// Sends a test email through the settings in effect and waits for the SMTP reply.
#[utoipa::path(post, path = "/api/notifications/smtp/test", tag = "notifications",
    request_body = TestEmailRequest,
    responses((status = 200, body = TestEmailResult),
        (status = 409, body = ErrorBody, description = "smtp_not_configured"),
        (status = 502, body = ErrorBody, description = "smtp_failed")))]
pub async fn send_test(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<TestEmailRequest>,
) -> Result<Json<TestEmailResult>, ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let to = Email::parse("to", &request.to)?;
    let org = principal.organization_id;
    let own = state.store().smtp_settings(org).await?;
    let (server, source) = match (own, &state.settings().notify.default_smtp) {
        (Some(settings), _) => (SmtpServer::from(settings), "organization"),
        (None, Some(server)) => (server.clone(), "installation"),
        (None, None) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::SmtpNotConfigured,
            ));
        }
    };
    let rendered = test_email(&state);
    let message_id = format!("<test.{}@ronda.invalid>", uuid::Uuid::now_v7().simple());
    let outgoing = Outgoing {
        to: to.as_str(),
        message_id: &message_id,
        email: &rendered,
    };
    let notify = &state.settings().notify;
    let sent = smtp::send(
        &server,
        outgoing,
        notify.send_timeout,
        &notify.smtp_extra_roots,
    )
    .await;
    if let Err(error) = sent {
        tracing::warn!(org.id = %org, error = %error, "test email failed");
        return Err(ApiError::Client {
            status: StatusCode::BAD_GATEWAY,
            code: ErrorCode::SmtpFailed,
            field: Some("smtp".into()),
            problem: Some(InputProblem::Explained {
                es: format!(
                    "No se pudo enviar el correo de prueba: {error}. Revisa servidor, puerto, seguridad y credenciales."
                ),
                en: format!(
                    "The test email could not be sent: {error}. Check the server, port, security and credentials."
                ),
            }),
        });
    }
    let audit = principal.audit(
        "smtp_settings.tested",
        "smtp_settings",
        None,
        serde_json::json!({"to": to.as_str(), "source": source}),
    );
    state.store().append_audit(&audit).await?;
    Ok(Json(TestEmailResult {
        sent: true,
        source: source.into(),
    }))
}

/// A short email that shows what a notification looks like, with made-up data.
fn test_email(state: &AppState) -> email::RenderedEmail {
    let payload = EventPayload::read(&serde_json::json!({
        "account": {"lender_name": "Otorgante de prueba", "debtor_name": "Persona de prueba"},
        "agent": {"name": "Gestor de prueba"},
        "address": {"text": "Domicilio de prueba", "time_zone": "America/Mexico_City"},
        "result_label_es": "Correo de prueba de Ronda",
        "result_label_en": "Ronda test email",
    }));
    let mut rendered = email::render(
        &payload,
        EmailContext {
            kind: "test",
            language: Language::Es,
            public_url: state.settings().notify.public_url.as_deref(),
            occurred_at: Timestamp::now(),
            photos: Vec::new(),
        },
    );
    rendered.subject = "Ronda: correo de prueba".to_owned();
    rendered
}

fn parse_host(value: &str) -> Result<String, ApiError> {
    let host = value.trim();
    let valid = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if valid {
        return Ok(host.to_owned());
    }
    Err(ApiError::invalid(
        "host",
        InputProblem::Explained {
            es: "«host» debe ser un nombre o dirección de servidor, como smtp.ejemplo.mx."
                .to_owned(),
            en: "\"host\" must be a server name or address, such as smtp.example.mx.".to_owned(),
        },
    ))
}

fn parse_mailbox(value: &str) -> Result<String, ApiError> {
    let value = value.trim();
    match Mailbox::from_str(value) {
        Ok(_) => Ok(value.to_owned()),
        Err(_) => Err(ApiError::invalid(
            "from_address",
            InputProblem::Explained {
                es: "«from_address» debe ser un correo, como avisos@ejemplo.mx o Despacho <avisos@ejemplo.mx>.".to_owned(),
                en: "\"from_address\" must be an email, such as alerts@example.mx or Agency <alerts@example.mx>.".to_owned(),
            },
        )),
    }
}
