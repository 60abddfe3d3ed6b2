//! Custom reports over `report_rollups`: counts grouped by any of the rolled-up
//! dimensions, filtered by the same dimensions, within one organization and period.

use async_trait::async_trait;
use ronda_domain::OrganizationId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::StoreResult;

/// A column a report can group and filter by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Local date of the attempt, `YYYY-MM-DD`.
    Date,
    /// Local hour, 0 to 23.
    Hour,
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    Weekday,
    Agent,
    Lender,
    Portfolio,
    /// `state|municipality` of the address.
    Zone,
    ResultCode,
    /// `verified`, `doubtful`, `rejected`, or `none` for attempts without a check-in.
    Verdict,
    /// Class of the main finding of a doubtful or rejected check-in.
    ReasonClass,
    /// `visit`, or the channel of a manual contact attempt.
    Channel,
}

/// How a dimension's values are stored, which decides how they are bound and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Text,
    Number,
    Id,
}

impl Dimension {
    pub const ALL: [Dimension; 11] = [
        Dimension::Date,
        Dimension::Hour,
        Dimension::Weekday,
        Dimension::Agent,
        Dimension::Lender,
        Dimension::Portfolio,
        Dimension::Zone,
        Dimension::ResultCode,
        Dimension::Verdict,
        Dimension::ReasonClass,
        Dimension::Channel,
    ];

    /// Returns the name used in report definitions and the API.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Date => "date",
            Dimension::Hour => "hour",
            Dimension::Weekday => "weekday",
            Dimension::Agent => "agent",
            Dimension::Lender => "lender",
            Dimension::Portfolio => "portfolio",
            Dimension::Zone => "zone",
            Dimension::ResultCode => "result_code",
            Dimension::Verdict => "verdict",
            Dimension::ReasonClass => "reason_class",
            Dimension::Channel => "channel",
        }
    }

    pub fn parse(name: &str) -> Option<Dimension> {
        Dimension::ALL
            .into_iter()
            .find(|dimension| dimension.name() == name)
    }

    pub fn kind(self) -> ValueKind {
        match self {
            Dimension::Hour | Dimension::Weekday => ValueKind::Number,
            Dimension::Agent | Dimension::Lender | Dimension::Portfolio => ValueKind::Id,
            _ => ValueKind::Text,
        }
    }

    /// Returns the SQL expression of the dimension over `table`.
    fn expression(self, table: RollupTable) -> &'static str {
        match self {
            Dimension::Zone if table == RollupTable::ZoneTotals => "zone",
            Dimension::Date => "local_date",
            Dimension::Hour => "hour",
            Dimension::Weekday => "weekday",
            Dimension::Agent => "agent_id",
            Dimension::Lender => "lender_id",
            Dimension::Portfolio => "portfolio_id",
            Dimension::Zone => "(zone_state || '|' || zone_municipality)",
            Dimension::ResultCode => "result_code",
            Dimension::Verdict => "verdict",
            Dimension::ReasonClass => "reason_class",
            Dimension::Channel => "channel",
        }
    }
}

/// The accepted values of one filtered dimension, already parsed to its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterValues {
    Text(Vec<String>),
    Number(Vec<i32>),
    Id(Vec<Uuid>),
}

impl FilterValues {
    fn len(&self) -> usize {
        match self {
            FilterValues::Text(values) => values.len(),
            FilterValues::Number(values) => values.len(),
            FilterValues::Id(values) => values.len(),
        }
    }
}

/// The period, groups and filters of a custom report. Dates are local `YYYY-MM-DD`,
/// both included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollupQuery {
    pub from: String,
    pub to: String,
    pub dimensions: Vec<Dimension>,
    /// Each dimension keeps rows whose value is one of its values. An empty list matches
    /// nothing.
    pub filters: Vec<(Dimension, FilterValues)>,
    /// Maximum number of groups returned.
    pub limit: u32,
}

/// One group of a custom report: its dimension values, in the query's order, and counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RollupRow {
    /// Ids and numbers as text, so every dimension reads the same way.
    pub keys: Vec<String>,
    pub attempts: i64,
    pub right_party: i64,
    pub successes: i64,
    pub promises: i64,
    pub promised_cents: i64,
}

#[async_trait]
pub trait RollupQueryStore: Send + Sync {
    /// Adds up the organization's report rollups per group of the query's dimensions,
    /// ordered by those dimensions. Without dimensions, returns one row of totals.
    async fn report_rows(
        &self,
        org: OrganizationId,
        query: &RollupQuery,
    ) -> StoreResult<Vec<RollupRow>>;
}

/// A rollup table that reports read. The tables contain the same counts for the same
/// attempts, split by fewer or more dimensions. Any table that keeps every dimension of a
/// query gives the same result, and the one with the fewest rows is the fastest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RollupTable {
    /// `contact_hour_totals`: no agent and none of the custom reports' extra dimensions.
    Totals,
    /// `contact_hour_zone_totals`: the totals split by zone.
    ZoneTotals,
    /// `contact_hour_rollups`: the totals split by agent.
    Hours,
    /// `report_rollups`: every dimension.
    Reports,
}

impl RollupTable {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RollupTable::Totals => "contact_hour_totals",
            RollupTable::ZoneTotals => "contact_hour_zone_totals",
            RollupTable::Hours => "contact_hour_rollups",
            RollupTable::Reports => "report_rollups",
        }
    }

    fn keeps(self, dimension: Dimension) -> bool {
        let common = matches!(
            dimension,
            Dimension::Date
                | Dimension::Hour
                | Dimension::Weekday
                | Dimension::Lender
                | Dimension::Portfolio
                | Dimension::Channel
        );
        match self {
            RollupTable::Totals => common,
            RollupTable::ZoneTotals => common || dimension == Dimension::Zone,
            RollupTable::Hours => common || dimension == Dimension::Agent,
            RollupTable::Reports => true,
        }
    }

    /// Returns the smallest table that keeps every dimension `query` groups or filters by.
    pub(crate) fn for_query(query: &RollupQuery) -> RollupTable {
        let needed = query
            .dimensions
            .iter()
            .chain(query.filters.iter().map(|(dimension, _)| dimension));
        [
            RollupTable::Totals,
            RollupTable::ZoneTotals,
            RollupTable::Hours,
        ]
        .into_iter()
        .find(|table| needed.clone().all(|dimension| table.keeps(*dimension)))
        .unwrap_or(RollupTable::Reports)
    }
}

/// Builds the SELECT for `query`. Placeholders are `$1` the organization, `$2` and `$3`
/// the period, then each filter value in the order of `query.filters`.
pub(crate) fn select_sql(query: &RollupQuery) -> String {
    let table = RollupTable::for_query(query);
    let groups: Vec<&str> = query
        .dimensions
        .iter()
        .map(|dimension| dimension.expression(table))
        .collect();
    let mut sql = String::from("SELECT ");
    for group in &groups {
        sql.push_str(group);
        sql.push_str(", ");
    }
    sql.push_str(
        "COALESCE(CAST(SUM(attempts) AS BIGINT), 0), \
         COALESCE(CAST(SUM(right_party) AS BIGINT), 0), \
         COALESCE(CAST(SUM(successes) AS BIGINT), 0), \
         COALESCE(CAST(SUM(promises) AS BIGINT), 0), \
         COALESCE(CAST(SUM(promised_cents) AS BIGINT), 0) FROM ",
    );
    sql.push_str(table.name());
    sql.push_str(" WHERE organization_id = $1 AND local_date >= $2 AND local_date <= $3");
    let mut next = 4;
    for (dimension, values) in &query.filters {
        if values.len() == 0 {
            sql.push_str(" AND 1 = 0");
            continue;
        }
        let placeholders: Vec<String> = (next..next + values.len())
            .map(|index| format!("${index}"))
            .collect();
        next += values.len();
        sql.push_str(&format!(
            " AND {} IN ({})",
            dimension.expression(table),
            placeholders.join(", ")
        ));
    }
    if !groups.is_empty() {
        let list = groups.join(", ");
        sql.push_str(&format!(" GROUP BY {list} ORDER BY {list}"));
        sql.push_str(&format!(" LIMIT {}", query.limit));
    }
    sql
}

/// Implements [`RollupQueryStore`] for a store type.
macro_rules! impl_rollup_query_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::report::query::RollupQueryStore for $store {
            async fn report_rows(
                &self,
                org: ronda_domain::OrganizationId,
                query: &$crate::report::query::RollupQuery,
            ) -> $crate::StoreResult<Vec<$crate::report::query::RollupRow>> {
                use sqlx::Row as _;
                use $crate::report::query::{FilterValues, ValueKind};

                // The SQL is built only from fixed dimension expressions and numbered
                // placeholders, never from request text.
                let sql = $crate::report::query::select_sql(query);
                let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(org.0)
                    .bind(&query.from)
                    .bind(&query.to);
                for (_, values) in &query.filters {
                    match values {
                        FilterValues::Text(values) => {
                            for value in values {
                                statement = statement.bind(value);
                            }
                        }
                        FilterValues::Number(values) => {
                            for value in values {
                                statement = statement.bind(*value);
                            }
                        }
                        FilterValues::Id(values) => {
                            for value in values {
                                statement = statement.bind(*value);
                            }
                        }
                    }
                }
                let mut tx = self.pool.begin().await?;
                if let Some(setup) = Self::CUSTOM_PLANS {
                    sqlx::query(setup).execute(&mut *tx).await?;
                }
                let rows = statement.fetch_all(&mut *tx).await?;
                tx.commit().await?;

                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut keys = Vec::with_capacity(query.dimensions.len());
                    for (index, dimension) in query.dimensions.iter().enumerate() {
                        let key = match dimension.kind() {
                            ValueKind::Text => row.try_get::<String, _>(index)?,
                            ValueKind::Number => row.try_get::<i32, _>(index)?.to_string(),
                            ValueKind::Id => row.try_get::<uuid::Uuid, _>(index)?.to_string(),
                        };
                        keys.push(key);
                    }
                    let first = query.dimensions.len();
                    out.push($crate::report::query::RollupRow {
                        keys,
                        attempts: row.try_get::<i64, _>(first)?,
                        right_party: row.try_get::<i64, _>(first + 1)?,
                        successes: row.try_get::<i64, _>(first + 2)?,
                        promises: row.try_get::<i64, _>(first + 3)?,
                        promised_cents: row.try_get::<i64, _>(first + 4)?,
                    });
                }
                Ok(out)
            }
        }
    };
}

pub(crate) use impl_rollup_query_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_number_their_placeholders() {
        let query = RollupQuery {
            from: "2026-07-01".into(),
            to: "2026-07-31".into(),
            dimensions: vec![Dimension::Agent, Dimension::Zone],
            filters: vec![
                (
                    Dimension::Verdict,
                    FilterValues::Text(vec!["doubtful".into(), "rejected".into()]),
                ),
                (Dimension::Hour, FilterValues::Number(vec![9])),
            ],
            limit: 100,
        };
        let sql = select_sql(&query);
        assert!(sql.contains("verdict IN ($4, $5)"), "{sql}");
        assert!(sql.contains("hour IN ($6)"), "{sql}");
        assert!(
            sql.ends_with(
                "GROUP BY agent_id, (zone_state || '|' || zone_municipality) \
                 ORDER BY agent_id, (zone_state || '|' || zone_municipality) LIMIT 100"
            ),
            "{sql}"
        );
    }

    #[test]
    fn totals_have_no_group_by() {
        let query = RollupQuery {
            from: "2026-07-01".into(),
            to: "2026-07-31".into(),
            dimensions: Vec::new(),
            filters: vec![(Dimension::Channel, FilterValues::Text(Vec::new()))],
            limit: 100,
        };
        let sql = select_sql(&query);
        assert!(!sql.contains("GROUP BY"), "{sql}");
        assert!(sql.contains("AND 1 = 0"), "{sql}");
    }

    fn query(dimensions: Vec<Dimension>, filters: Vec<(Dimension, FilterValues)>) -> RollupQuery {
        RollupQuery {
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            dimensions,
            filters,
            limit: 100,
        }
    }

    #[test]
    fn rollup_table_smallest_that_fits() {
        let heatmap = query(vec![Dimension::Weekday, Dimension::Hour], Vec::new());
        assert_eq!(RollupTable::for_query(&heatmap), RollupTable::Totals);
        assert!(select_sql(&heatmap).contains("FROM contact_hour_totals WHERE"));

        let agent = Uuid::nil();
        let one_agent = query(
            vec![Dimension::Weekday, Dimension::Hour],
            vec![(Dimension::Agent, FilterValues::Id(vec![agent]))],
        );
        assert_eq!(RollupTable::for_query(&one_agent), RollupTable::Hours);

        let by_agent = query(vec![Dimension::Agent, Dimension::Date], Vec::new());
        assert_eq!(RollupTable::for_query(&by_agent), RollupTable::Hours);

        let zone = query(
            vec![Dimension::Hour],
            vec![(
                Dimension::Zone,
                FilterValues::Text(vec!["CDMX|Coyoacán".into()]),
            )],
        );
        assert_eq!(RollupTable::for_query(&zone), RollupTable::ZoneTotals);
        assert!(select_sql(&zone).contains("FROM contact_hour_zone_totals WHERE"));
        assert!(select_sql(&zone).contains("AND zone IN ($4)"));

        let mut zone_and_agent = zone.clone();
        zone_and_agent
            .filters
            .push((Dimension::Agent, FilterValues::Id(vec![agent])));
        assert_eq!(
            RollupTable::for_query(&zone_and_agent),
            RollupTable::Reports
        );

        let verdicts = query(vec![Dimension::Lender, Dimension::Verdict], Vec::new());
        assert_eq!(RollupTable::for_query(&verdicts), RollupTable::Reports);
        assert!(select_sql(&verdicts).contains("FROM report_rollups WHERE"));
    }

    #[test]
    fn dimension_names_round_trip() {
        for dimension in Dimension::ALL {
            assert_eq!(Dimension::parse(dimension.name()), Some(dimension));
        }
        assert_eq!(Dimension::parse("colonia"), None);
    }
}
