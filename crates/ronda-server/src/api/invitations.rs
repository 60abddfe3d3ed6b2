//! Invitations: an admin creates an agent or supervisor without a password and gets a
//! one-time link, valid for 72 hours, where the person sets one. The link opens a small
//! server page with a plain HTML form, so it works without a session or script.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use jiff::{SignedDuration, Timestamp};
use ronda_domain::{Email, NewPassword, Permission, PersonName, Role, UserId};
use ronda_store::organization::invitation::{NewInvitation, PendingInvitation};
use ronda_store::{Actor, AuditEvent, NewUser};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::api::invitation_email::send_invitation;
use crate::api::views::UserView;
use crate::auth::{Principal, password, secret};
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

/// How long an invitation link works.
const INVITATION_TTL: SignedDuration = SignedDuration::from_hours(72);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/invitations", post(create_invitation))
        .route(
            "/invitation/{token}",
            get(invitation_page).post(accept_form),
        )
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    pub email: String,
    pub name: String,
    /// `agent` or `supervisor`.
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitation {
    pub user: UserView,
    /// Path of the one-time link, such as `/invitation/abc…`. The token appears only here.
    pub invitation_path: String,
    /// Unix milliseconds after which the link no longer works.
    pub expires_at: i64,
    /// `sent`, `not_configured` (no SMTP server or public URL) or `failed`.
    pub email: String,
}

/// Creates a user without a usable password and returns the one-time link where the
/// person sets one. Admins only.
#[utoipa::path(post, path = "/api/invitations", tag = "users", request_body = InvitationRequest,
    responses((status = 201, body = CreatedInvitation), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "email_taken"),
        (status = 422, body = ErrorBody)))]
pub async fn create_invitation(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<InvitationRequest>,
) -> Result<(StatusCode, Json<CreatedInvitation>), ApiError> {
    principal.require(Permission::ManageUsers)?;
    let email = Email::parse("email", &request.email)?;
    let name = PersonName::parse("name", &request.name)?;
    let role = match request.role.as_str() {
        "agent" => Role::Agent,
        "supervisor" => Role::Supervisor,
        _ => {
            return Err(ApiError::invalid(
                "role",
                InputProblem::NotOneOf("agent, supervisor"),
            ));
        }
    };

    // The user gets the hash of a random secret that is thrown away, so no password
    // works until the invitation is accepted.
    let unusable = password::hash_password(secret::random_secret())
        .await
        .map_err(ApiError::internal)?;
    let now = Timestamp::now();
    let user = NewUser {
        id: UserId::new(),
        organization_id: principal.organization_id,
        email,
        name,
        role,
        password_hash: unusable,
        created_at: now,
    };
    let token = secret::random_secret();
    let expires_at = now
        .checked_add(INVITATION_TTL)
        .map_err(ApiError::internal)?;
    let invitation = NewInvitation {
        token_hash: secret::sha256(&token),
        created_by: principal.user_id,
        created_at: now,
        expires_at,
    };
    let details = serde_json::json!({ "email": user.email, "role": role });
    let audit = principal.audit("user.invited", "user", Some(user.id.to_string()), details);
    let created = state
        .store()
        .create_invitation(&user, &invitation, &audit)
        .await?;
    tracing::info!(invited_user.id = %created.id, role = %role, "user invited");
    let path = format!("/invitation/{token}");
    let email = send_invitation(
        &state,
        created.organization_id,
        created.email.as_str(),
        created.name.as_str(),
        &path,
    )
    .await;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvitation {
            user: created.into(),
            invitation_path: path,
            expires_at: expires_at.as_millisecond(),
            email: email.as_str().to_owned(),
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    pub password: String,
    pub password_confirmation: String,
}

async fn pending(state: &AppState, token: &str) -> Result<Option<PendingInvitation>, ApiError> {
    Ok(state
        .store()
        .pending_invitation(&secret::sha256(token), Timestamp::now())
        .await?)
}

/// Shows the form to set a password, or a page saying the link does not work.
pub async fn invitation_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    Ok(match pending(&state, &token).await? {
        Some(invitation) => page(StatusCode::OK, &form_body(&invitation, None)),
        None => expired_page(),
    })
}

/// Sets the password from the form and marks the invitation used.
pub async fn accept_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, ApiError> {
    let Some(invitation) = pending(&state, &token).await? else {
        return Ok(expired_page());
    };
    if form.password != form.password_confirmation {
        let body = form_body(
            &invitation,
            Some("Las contraseñas no coinciden. Escríbela igual dos veces."),
        );
        return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &body));
    }
    let Ok(password) = NewPassword::parse("password", &form.password) else {
        let problem = format!(
            "La contraseña debe tener de {} a {} caracteres.",
            NewPassword::MIN_LEN,
            NewPassword::MAX_LEN
        );
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_body(&invitation, Some(&problem)),
        ));
    };
    let password_hash = password::hash_password(password.expose().to_owned())
        .await
        .map_err(ApiError::internal)?;
    let audit = AuditEvent {
        organization_id: invitation.organization_id,
        actor: Actor::User(invitation.user_id),
        action: "user.invitation_accepted",
        target_kind: "user",
        target_id: Some(invitation.user_id.to_string()),
        details: serde_json::json!({}),
        at: Timestamp::now(),
    };
    let accepted = state
        .store()
        .accept_invitation(&secret::sha256(&token), &password_hash, audit.at, &audit)
        .await?;
    if !accepted {
        return Ok(expired_page());
    }
    tracing::info!(user.id = %invitation.user_id, "invitation accepted");
    let body = "<h1>Contraseña guardada</h1><p>Ya puedes <a href=\"/\">iniciar sesión</a> \
        con tu correo y tu contraseña.</p>";
    Ok(page(StatusCode::OK, body))
}

fn expired_page() -> Response {
    // The token is a credential, so the log names no token.
    tracing::info!("invitation link rejected: unknown, used or expired");
    let body = "<h1>Invitación no válida</h1><p>Este enlace ya se usó o venció. Pide a un \
        administrador de tu despacho una invitación nueva.</p>";
    page(StatusCode::NOT_FOUND, body)
}

fn form_body(invitation: &PendingInvitation, problem: Option<&str>) -> String {
    let problem = problem
        .map(|text| format!("<p role=\"alert\"><strong>{}</strong></p>", escape(text)))
        .unwrap_or_default();
    format!(
        "<h1>Bienvenido a Ronda, {name}</h1>\
         <p>Elige la contraseña de {email}. Debe tener al menos {min} caracteres.</p>{problem}\
         <form method=\"post\">\
         <p><label>Contraseña<br><input type=\"password\" name=\"password\" required \
         minlength=\"{min}\" autocomplete=\"new-password\"></label></p>\
         <p><label>Repite la contraseña<br><input type=\"password\" \
         name=\"password_confirmation\" required minlength=\"{min}\" \
         autocomplete=\"new-password\"></label></p>\
         <p><button type=\"submit\">Guardar contraseña</button></p></form>",
        name = escape(&invitation.name),
        email = escape(&invitation.email),
        min = NewPassword::MIN_LEN,
    )
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"es-MX\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>Invitación · Ronda</title></head><body>{body}</body></html>"
    );
    (status, Html(html)).into_response()
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
