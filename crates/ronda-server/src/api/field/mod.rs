//! The field app's API under `/api/field`: the day package, shifts, position batches,
//! visits and their attachments. Agents write; supervisors, admins and viewers may read.

pub mod answers;
pub mod attachments;
pub mod day;
pub mod events;
pub mod positions;
pub mod shifts;
pub mod visit_request;
pub mod visits;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use ronda_domain::{Role, UserId};
use ronda_store::visit::Event;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::live::LiveEvent;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/field/day", get(day::day_package))
        .route(
            "/api/field/settings",
            get(shifts::settings).put(shifts::set_settings),
        )
        .route("/api/field/shifts/{id}", put(shifts::put_shift))
        .route("/api/field/positions", post(positions::post_positions))
        .route("/api/field/visits/{id}", put(visits::put_visit))
        .route("/api/field/visits/{id}/receipt", get(visits::receipt))
        .route(
            "/api/field/attachments/{sha256}",
            put(attachments::put_attachment)
                .get(attachments::get_attachment)
                .layer(DefaultBodyLimit::max(visit_request::MAX_ATTACHMENT_BYTES)),
        )
}

/// Returns the agent behind a session. Field writes come only from an agent's own
/// session, so an API token or another role gets 403.
pub(crate) fn agent_of(principal: &Principal) -> Result<UserId, ApiError> {
    match (principal.role, principal.user_id) {
        (Role::Agent, Some(agent)) => Ok(agent),
        _ => Err(ApiError::forbidden()),
    }
}

/// Sends events to the live feed after their transaction committed.
pub(crate) fn publish_events(state: &AppState, events: &[Event]) {
    for event in events {
        if let Some(kind) = events::live_kind(&event.kind) {
            state.live().publish(LiveEvent {
                organization_id: event.organization_id,
                kind,
                data: event.payload.clone(),
            });
        }
    }
}
