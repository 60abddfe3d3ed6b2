//! The definition of a custom report (dimensions, measures, filters, period and chart
//! type) and its validation, with errors that name the parameter and the fix.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use ronda_store::report::query::ValueKind;
use ronda_store::report::{Dimension, FilterValues, RollupQuery};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, InputProblem};

/// Maximum number of days a period may cover.
pub const MAX_DAYS: i64 = 366;
/// Maximum number of dimensions a report groups by.
const MAX_DIMENSIONS: usize = 3;
/// Maximum number of values one filter accepts.
const MAX_FILTER_VALUES: usize = 200;

const DIMENSION_NAMES: &str = "date, hour, weekday, agent, lender, portfolio, zone, result_code, verdict, reason_class, channel";
const MEASURE_NAMES: &str = "attempts, contact_rate, success_rate, promises, amount_promised";
const CHART_NAMES: &str = "heatmap, bars, lines, table";
const VERDICTS: [&str; 4] = ["verified", "doubtful", "rejected", "none"];
const REASON_CLASSES: [&str; 5] = ["location", "schedule", "device", "track", "declared"];
const CHANNELS: [&str; 5] = ["visit", "phone", "email", "sms", "whatsapp"];

/// A report definition as clients send and saved reports store it.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDefinition {
    /// Up to three of: date, hour, weekday, agent, lender, portfolio, zone, result_code,
    /// verdict, reason_class, channel.
    pub dimensions: Vec<String>,
    /// One or more of: attempts, contact_rate, success_rate, promises, amount_promised.
    pub measures: Vec<String>,
    /// Dimension name to the values to keep, as strings or numbers.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filters: BTreeMap<String, Vec<Value>>,
    pub period: PeriodInput,
    /// heatmap, bars, lines or table; table when absent.
    #[serde(default)]
    pub chart: Option<String>,
}

/// Either fixed local dates or the last `last_days` days up to today.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodInput {
    /// First local day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last local day, `YYYY-MM-DD`, included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// 1 to 366: the period ends today and covers this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_days: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Attempts,
    ContactRate,
    SuccessRate,
    Promises,
    /// In pesos.
    AmountPromised,
}

impl Measure {
    pub const ALL: [Measure; 5] = [
        Measure::Attempts,
        Measure::ContactRate,
        Measure::SuccessRate,
        Measure::Promises,
        Measure::AmountPromised,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Attempts => "attempts",
            Measure::ContactRate => "contact_rate",
            Measure::SuccessRate => "success_rate",
            Measure::Promises => "promises",
            Measure::AmountPromised => "amount_promised",
        }
    }
}

/// A definition whose every part was checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedDefinition {
    pub dimensions: Vec<Dimension>,
    pub measures: Vec<Measure>,
    pub filters: Vec<(Dimension, FilterValues)>,
    pub from: Date,
    pub to: Date,
}

fn explained(field: impl Into<String>, es: String, en: String) -> ApiError {
    ApiError::invalid(field, InputProblem::Explained { es, en })
}

/// Checks every part of `definition` and resolves its period against `today`.
pub fn check(definition: &ReportDefinition, today: Date) -> Result<CheckedDefinition, ApiError> {
    let dimensions = check_dimensions(&definition.dimensions)?;
    let measures = check_measures(&definition.measures)?;
    if let Some(chart) = definition.chart.as_deref()
        && !["heatmap", "bars", "lines", "table"].contains(&chart)
    {
        return Err(ApiError::invalid(
            "chart",
            InputProblem::NotOneOf(CHART_NAMES),
        ));
    }
    let mut filters = Vec::with_capacity(definition.filters.len());
    for (name, values) in &definition.filters {
        let field = format!("filters.{name}");
        let Some(dimension) = Dimension::parse(name) else {
            return Err(ApiError::invalid(
                field,
                InputProblem::NotOneOf(DIMENSION_NAMES),
            ));
        };
        filters.push((dimension, check_filter(&field, dimension, values)?));
    }
    let (from, to) = check_period(&definition.period, today)?;
    Ok(CheckedDefinition {
        dimensions,
        measures,
        filters,
        from,
        to,
    })
}

impl CheckedDefinition {
    /// Builds the store query of this definition, returning at most `limit` groups.
    pub fn rollup_query(&self, limit: u32) -> RollupQuery {
        RollupQuery {
            from: self.from.to_string(),
            to: self.to.to_string(),
            dimensions: self.dimensions.clone(),
            filters: self.filters.clone(),
            limit,
        }
    }
}

fn check_dimensions(names: &[String]) -> Result<Vec<Dimension>, ApiError> {
    if names.len() > MAX_DIMENSIONS {
        return Err(explained(
            "dimensions",
            format!("Un reporte agrupa por a lo más {MAX_DIMENSIONS} dimensiones. Quita alguna."),
            format!("A report groups by at most {MAX_DIMENSIONS} dimensions. Remove some."),
        ));
    }
    let mut dimensions = Vec::with_capacity(names.len());
    for name in names {
        let dimension = Dimension::parse(name).ok_or_else(|| {
            ApiError::invalid("dimensions", InputProblem::NotOneOf(DIMENSION_NAMES))
        })?;
        if dimensions.contains(&dimension) {
            return Err(explained(
                "dimensions",
                format!("La dimensión «{name}» aparece dos veces. Déjala una sola vez."),
                format!("The dimension \"{name}\" appears twice. Keep it once."),
            ));
        }
        dimensions.push(dimension);
    }
    Ok(dimensions)
}

fn check_measures(names: &[String]) -> Result<Vec<Measure>, ApiError> {
    if names.is_empty() {
        return Err(explained(
            "measures",
            format!("Elige al menos una medida: {MEASURE_NAMES}."),
            format!("Choose at least one measure: {MEASURE_NAMES}."),
        ));
    }
    let mut measures = Vec::with_capacity(names.len());
    for name in names {
        let measure = Measure::ALL
            .into_iter()
            .find(|measure| measure.name() == name)
            .ok_or_else(|| ApiError::invalid("measures", InputProblem::NotOneOf(MEASURE_NAMES)))?;
        if !measures.contains(&measure) {
            measures.push(measure);
        }
    }
    Ok(measures)
}

/// Reads one filter value as text, accepting JSON strings and numbers.
fn value_text(field: &str, value: &Value) -> Result<String, ApiError> {
    match value {
        Value::String(text) => Ok(text.trim().to_owned()),
        Value::Number(number) => Ok(number.to_string()),
        _ => Err(explained(
            field,
            format!("Los valores de «{field}» deben ser textos o números."),
            format!("The values of \"{field}\" must be strings or numbers."),
        )),
    }
}

fn check_filter(
    field: &str,
    dimension: Dimension,
    values: &[Value],
) -> Result<FilterValues, ApiError> {
    if values.len() > MAX_FILTER_VALUES {
        return Err(explained(
            field,
            format!("«{field}» admite a lo más {MAX_FILTER_VALUES} valores. Quita algunos."),
            format!("\"{field}\" accepts at most {MAX_FILTER_VALUES} values. Remove some."),
        ));
    }
    let texts = values
        .iter()
        .map(|value| value_text(field, value))
        .collect::<Result<Vec<_>, _>>()?;
    match dimension.kind() {
        ValueKind::Id => texts
            .iter()
            .map(|text| {
                Uuid::parse_str(text).map_err(|_| ApiError::invalid(field, InputProblem::NotAnId))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(FilterValues::Id),
        ValueKind::Number => {
            let (min, max) = if dimension == Dimension::Hour {
                (0, 23)
            } else {
                (1, 7)
            };
            texts
                .iter()
                .map(|text| {
                    text.parse::<i32>()
                        .ok()
                        .filter(|number| (min..=max).contains(&i64::from(*number)))
                        .ok_or_else(|| {
                            ApiError::invalid(field, InputProblem::OutOfRange { min, max })
                        })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(FilterValues::Number)
        }
        ValueKind::Text => {
            for text in &texts {
                check_text_value(field, dimension, text)?;
            }
            Ok(FilterValues::Text(texts))
        }
    }
}

fn check_text_value(field: &str, dimension: Dimension, text: &str) -> Result<(), ApiError> {
    let allowed: Option<(&[&str], &'static str)> = match dimension {
        Dimension::Verdict => Some((&VERDICTS, "verified, doubtful, rejected, none")),
        Dimension::ReasonClass => Some((
            &REASON_CLASSES,
            "location, schedule, device, track, declared",
        )),
        Dimension::Channel => Some((&CHANNELS, "visit, phone, email, sms, whatsapp")),
        _ => None,
    };
    if let Some((choices, names)) = allowed {
        if choices.contains(&text) {
            return Ok(());
        }
        return Err(ApiError::invalid(field, InputProblem::NotOneOf(names)));
    }
    if dimension == Dimension::Date {
        parse_date(field, text)?;
    }
    if text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(explained(
            field,
            format!("Un valor de «{field}» es demasiado largo o tiene caracteres de control."),
            format!("A value of \"{field}\" is too long or contains control characters."),
        ));
    }
    Ok(())
}

fn parse_date(field: &str, value: &str) -> Result<Date, ApiError> {
    value.trim().parse::<Date>().map_err(|_| {
        explained(
            field,
            format!("«{field}» debe ser una fecha AAAA-MM-DD, por ejemplo 2026-12-01."),
            format!("\"{field}\" must be a date YYYY-MM-DD, such as 2026-12-01."),
        )
    })
}

fn check_period(period: &PeriodInput, today: Date) -> Result<(Date, Date), ApiError> {
    if let Some(days) = period.last_days {
        if period.from.is_some() || period.to.is_some() {
            return Err(explained(
                "period.last_days",
                "Usa «period.last_days» o «period.from» y «period.to», no ambos.".into(),
                "Use \"period.last_days\" or \"period.from\" and \"period.to\", not both.".into(),
            ));
        }
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(ApiError::invalid(
                "period.last_days",
                InputProblem::OutOfRange {
                    min: 1,
                    max: MAX_DAYS,
                },
            ));
        }
        return Ok((today.saturating_sub((days - 1).days()), today));
    }
    let (Some(from), Some(to)) = (period.from.as_deref(), period.to.as_deref()) else {
        let field = if period.from.is_none() {
            "period.from"
        } else {
            "period.to"
        };
        return Err(explained(
            field,
            format!("Falta «{field}». Da «period.from» y «period.to», o «period.last_days»."),
            format!(
                "\"{field}\" is missing. Give \"period.from\" and \"period.to\", or \"period.last_days\"."
            ),
        ));
    };
    let from = parse_date("period.from", from)?;
    let to = parse_date("period.to", to)?;
    let span = i64::from((to - from).get_days());
    if span < 0 {
        return Err(explained(
            "period.from",
            "«period.from» no puede ser posterior a «period.to». Cambia el periodo.".into(),
            "\"period.from\" cannot be after \"period.to\". Change the period.".into(),
        ));
    }
    if span >= MAX_DAYS {
        return Err(explained(
            "period.from",
            format!("El periodo puede abarcar a lo más {MAX_DAYS} días. Acórtalo."),
            format!("The period can cover at most {MAX_DAYS} days. Shorten it."),
        ));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(json: Value) -> ReportDefinition {
        serde_json::from_value(json).expect("definition")
    }

    fn field_of(result: Result<CheckedDefinition, ApiError>) -> String {
        match result {
            Err(ApiError::Client { field, .. }) => field.unwrap_or_default(),
            other => panic!("expected a client error, got {other:?}"),
        }
    }

    #[test]
    fn last_days_ends_today() {
        let today: Date = "2026-12-05".parse().expect("date");
        let checked = check(
            &definition(serde_json::json!({
                "dimensions": ["agent"], "measures": ["attempts"],
                "filters": {"hour": [9, "10"], "verdict": ["doubtful"]},
                "period": {"last_days": 7}
            })),
            today,
        )
        .expect("valid");
        assert_eq!(checked.from.to_string(), "2026-11-29");
        assert_eq!(checked.to, today);
        assert!(
            checked
                .filters
                .contains(&(Dimension::Hour, FilterValues::Number(vec![9, 10])))
        );
    }

    #[test]
    fn bad_parts_name_their_field() {
        let today: Date = "2026-12-05".parse().expect("date");
        let cases = [
            (
                serde_json::json!({"dimensions": ["colonia"], "measures": ["attempts"], "period": {"last_days": 7}}),
                "dimensions",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": [], "period": {"last_days": 7}}),
                "measures",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 0}}),
                "period.last_days",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"from": "2026-01-01"}}),
                "period.to",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"from": "2024-01-01", "to": "2026-01-01"}}),
                "period.from",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 7}, "chart": "pie"}),
                "chart",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 7}, "filters": {"agent": ["abc"]}}),
                "filters.agent",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 7}, "filters": {"hour": [24]}}),
                "filters.hour",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 7}, "filters": {"verdict": ["maybe"]}}),
                "filters.verdict",
            ),
            (
                serde_json::json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 7}, "filters": {"colonia": ["Centro"]}}),
                "filters.colonia",
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(
                field_of(check(&definition(json.clone()), today)),
                expected,
                "{json}"
            );
        }
    }
}
