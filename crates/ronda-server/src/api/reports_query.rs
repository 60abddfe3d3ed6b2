//! The custom report engine: runs a checked definition over the report rollups of one
//! organization and labels each group in the caller's language.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use jiff::civil::Date;
use ronda_domain::{OrganizationId, Role};
use ronda_store::report::RollupRow;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::ApiJson;
use super::reports::rate;
use super::reports_definition::{CheckedDefinition, Measure, ReportDefinition, check};
use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Locale;
use crate::state::AppState;

/// Maximum number of groups a report returns. `truncated` is true when more exist.
const MAX_GROUPS: u32 = 2000;

/// Roles that read reports.
pub(crate) const READERS: [Role; 3] = [Role::Admin, Role::Supervisor, Role::Viewer];

/// One group of a report.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ResultRow {
    /// Dimension values in the order of `dimensions`: ids, dates and numbers as text.
    pub keys: Vec<String>,
    /// The same values as people read them, in the request's language.
    pub labels: Vec<String>,
    /// Measure name to value. Rates are fractions from 0 to 1, amounts are pesos.
    #[schema(value_type = Object)]
    pub values: Map<String, Value>,
}

/// The numbers of a report.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReportResult {
    pub from: String,
    pub to: String,
    pub dimensions: Vec<String>,
    pub measures: Vec<String>,
    pub rows: Vec<ResultRow>,
    /// The measures over every group, not only the returned ones.
    #[schema(value_type = Object)]
    pub totals: Map<String, Value>,
    /// True when more groups exist than the report returns; narrow the filters.
    pub truncated: bool,
}

/// Returns today in the server's tracking time zone.
pub(crate) fn today(state: &AppState) -> Date {
    let zone = state.settings().tracking_time_zone.clone();
    Timestamp::now().to_zoned_datetime(zone).date()
}

pub(crate) fn measure_values(measures: &[Measure], row: &RollupRow) -> Map<String, Value> {
    let mut values = Map::new();
    for measure in measures {
        let value = match measure {
            Measure::Attempts => Value::from(row.attempts),
            Measure::ContactRate => Value::from(rate(row.right_party, row.attempts)),
            Measure::SuccessRate => Value::from(rate(row.successes, row.attempts)),
            Measure::Promises => Value::from(row.promises),
            Measure::AmountPromised => Value::from(row.promised_cents as f64 / 100.0),
        };
        values.insert(measure.name().to_owned(), value);
    }
    values
}

/// Brings the rollups up to date and runs `checked` for the organization.
pub(crate) async fn run(
    state: &AppState,
    org: OrganizationId,
    locale: Locale,
    checked: &CheckedDefinition,
) -> Result<ReportResult, ApiError> {
    let zone = &state.settings().tracking_time_zone;
    crate::reports::roll_up_pending(state.store(), zone).await?;

    let store = state.store();
    let mut rows = store
        .report_rows(org, &checked.rollup_query(MAX_GROUPS + 1))
        .await?;
    let truncated = rows.len() > MAX_GROUPS as usize;
    rows.truncate(MAX_GROUPS as usize);
    let mut totals_query = checked.rollup_query(1);
    totals_query.dimensions.clear();
    let totals = store.report_rows(org, &totals_query).await?;
    let totals = totals.into_iter().next().unwrap_or_default();

    let labels =
        super::reports_labels::Labels::load(state, org, locale, &checked.dimensions).await?;
    let rows = rows
        .into_iter()
        .map(|row| ResultRow {
            labels: checked
                .dimensions
                .iter()
                .zip(&row.keys)
                .map(|(dimension, key)| labels.label(*dimension, key))
                .collect(),
            values: measure_values(&checked.measures, &row),
            keys: row.keys,
        })
        .collect();
    Ok(ReportResult {
        from: checked.from.to_string(),
        to: checked.to.to_string(),
        dimensions: checked
            .dimensions
            .iter()
            .map(|d| d.name().to_owned())
            .collect(),
        measures: checked
            .measures
            .iter()
            .map(|m| m.name().to_owned())
            .collect(),
        rows,
        totals: measure_values(&checked.measures, &totals),
        truncated,
    })
}

/// Runs an ad-hoc report definition.
#[utoipa::path(post, path = "/api/reports/query", tag = "reports",
    request_body = ReportDefinition,
    responses((status = 200, body = ReportResult), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn query_report(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    ApiJson(definition): ApiJson<ReportDefinition>,
) -> Result<Json<ReportResult>, ApiError> {
    require_role(&principal, &READERS)?;
    let checked = check(&definition, today(&state))?;
    let result = run(&state, principal.organization_id, locale, &checked).await?;
    Ok(Json(result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ronda_store::report::Dimension;

    #[test]
    fn measures_compute_rates_and_pesos() {
        let row = RollupRow {
            keys: Vec::new(),
            attempts: 4,
            right_party: 3,
            successes: 1,
            promises: 1,
            promised_cents: 150_050,
        };
        let values = measure_values(&Measure::ALL, &row);
        assert_eq!(values["attempts"], 4);
        assert_eq!(values["contact_rate"], 0.75);
        assert_eq!(values["success_rate"], 0.25);
        assert_eq!(values["promises"], 1);
        assert_eq!(values["amount_promised"], 1500.5);
        assert_eq!(Dimension::parse("zone"), Some(Dimension::Zone));
    }
}
