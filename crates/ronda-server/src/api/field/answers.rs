//! The server's check of a visit's answers against the form version the app used, with
//! the same rules the app ran offline.

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_forms::expr::Clock;
use ronda_forms::model::FormDefinition;
use ronda_forms::validate::{Answers, SubmissionContext, SubmissionProblem, validate_submission};
use ronda_store::visit::VisitContext;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::organization::organization_rules;
use crate::error::{ApiError, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;

/// A 422 body listing each question whose answer breaks the form's rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerProblemsBody {
    /// Always `invalid_answers`.
    pub code: &'static str,
    pub message: String,
    /// Always `answers`.
    pub field: &'static str,
    pub problems: Vec<AnswerProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerProblem {
    /// The question name, or `repeat[index].name` inside a repeat.
    pub path: String,
    /// Such as `required`, `constraint` or `not_a_choice`.
    pub code: String,
    /// In the request's language.
    pub message: String,
}

/// Why answers were not accepted: the request names no known form version, or the
/// answers break its rules.
pub enum AnswersRejected {
    Api(ApiError),
    Problems(Vec<SubmissionProblem>),
}

impl From<ApiError> for AnswersRejected {
    fn from(error: ApiError) -> Self {
        AnswersRejected::Api(error)
    }
}

impl AnswersRejected {
    pub fn into_response(self, headers: &HeaderMap) -> Response {
        match self {
            AnswersRejected::Api(error) => error.into_response(),
            AnswersRejected::Problems(problems) => {
                let locale = Locale::from_headers(headers);
                let english = locale == Locale::En;
                let (es, en) = (
                    "Algunas respuestas no cumplen las reglas del cuestionario. Corrige cada pregunta indicada.",
                    "Some answers break the form's rules. Fix each listed question.",
                );
                let body = AnswerProblemsBody {
                    code: "invalid_answers",
                    message: if english { en } else { es }.to_owned(),
                    field: "answers",
                    problems: problems
                        .into_iter()
                        .map(|problem| AnswerProblem {
                            path: problem.path,
                            code: problem.code,
                            message: if english {
                                problem.message_en
                            } else {
                                problem.message_es
                            },
                        })
                        .collect(),
                };
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
        }
    }
}

/// Picks the zone in which `today()` is read, as the check-in verdict does: the address's
/// zone, else the organization's default, else Mexico City.
async fn answer_zone(
    state: &AppState,
    org: OrganizationId,
    context: &VisitContext,
) -> Result<jiff::tz::TimeZone, ApiError> {
    let name = match context.address.time_zone.clone() {
        Some(zone) => Some(zone),
        None => organization_rules(state, org).await?.default_time_zone,
    };
    Ok(name
        .as_deref()
        .and_then(ronda_domain::portfolio::bundled_zone)
        .or_else(|| {
            ronda_domain::portfolio::bundled_zone(ronda_domain::checkin::FALLBACK_TIME_ZONE)
        })
        .unwrap_or(jiff::tz::TimeZone::UTC))
}

/// Validates `answers` against the organization's form version `form_version_id`, with
/// `today()` at the visit's finish in the zone [`answer_zone`] picks and the account's
/// overdue balance as the external `overdue_amount`. Differences between the app's computed
/// values and the server's are logged; the stored answers stay as the app sent them.
pub async fn check_answers(
    state: &AppState,
    org: OrganizationId,
    form_version_id: Uuid,
    answers: &Answers,
    context: &VisitContext,
    finished_at: Timestamp,
) -> Result<(), AnswersRejected> {
    let version = state
        .store()
        .form_version(org, form_version_id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::invalid("form_version_id", InputProblem::UnknownId))?;
    let definition: FormDefinition =
        serde_json::from_str(&version.definition).map_err(ApiError::internal)?;
    let zone = answer_zone(state, org, context).await?;
    let clock = Clock::from_zoned(&finished_at.to_zoned_datetime(zone));
    let mut submission = SubmissionContext::new(clock);
    if let Some(cents) = context.overdue_cents {
        // Cents as an exact decimal, so 1250050 becomes 12500.5.
        let pesos = ronda_forms::expr::format_number(cents as f64 / 100.0);
        submission = submission.with_external("overdue_amount", &pesos);
    }
    let validated = validate_submission(&definition, answers, &submission)
        .map_err(AnswersRejected::Problems)?;
    if !validated.recomputed.is_empty() || !validated.dropped.is_empty() {
        tracing::info!(
            form.version = %form_version_id,
            recomputed = ?validated.recomputed,
            dropped = ?validated.dropped,
            "visit answers differ from the server's computation"
        );
    }
    Ok(())
}
