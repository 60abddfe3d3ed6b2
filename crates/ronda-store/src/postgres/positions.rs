//! Position inserts on PostgreSQL: multi-row statements in one transaction through the
//! pool, and one live-position upsert per agent.

use sqlx::Postgres;
use sqlx::postgres::PgArguments;
use sqlx::types::Json;

use super::PgStore;
use crate::tracking::{NewPosition, PositionFix, newest_live, sql};
use crate::{StoreError, StoreResult};

impl PgStore {
    pub(crate) async fn insert_positions(
        &self,
        positions: &[NewPosition],
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let mut ids: Vec<i64> = Vec::with_capacity(positions.len());
        let mut offset = 0;
        for rows in sql::statement_sizes(positions.len()) {
            let mut query = sqlx::query(sql::insert_positions(rows));
            for position in &positions[offset..offset + rows] {
                let fix = position.fix.finite();
                query = query
                    .bind(position.organization_id.0)
                    .bind(position.device_id)
                    .bind(position.agent_id.0)
                    .bind(position.fix_time.as_millisecond())
                    .bind(position.received_at.as_millisecond());
                query = bind_fix(query, &fix)
                    .bind(fix.mock)
                    .bind(position.status.as_str())
                    .bind(&position.flag_reason)
                    .bind(position.flag_details.as_ref().map(Json))
                    .bind(position.older_than_latest)
                    .bind(Json(position.raw.as_raw_value()));
            }
            let mut returned = query
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|row| sqlx::Row::try_get::<i64, _>(row, 0))
                .collect::<Result<Vec<i64>, _>>()?;
            if returned.len() != rows {
                return Err(StoreError::Database(sqlx::Error::RowNotFound));
            }
            // One statement numbers its rows in order, so sorting the returned ids lines
            // them up with the rows.
            returned.sort_unstable();
            ids.extend(returned);
            offset += rows;
        }

        let newest = newest_live(positions);
        let mut offset = 0;
        for rows in sql::statement_sizes(newest.len()) {
            let mut query = sqlx::query(sql::upsert_live_positions(rows));
            for &index in &newest[offset..offset + rows] {
                let position = &positions[index];
                let fix = position.fix.finite();
                query = query
                    .bind(position.agent_id.0)
                    .bind(position.organization_id.0)
                    .bind(position.device_id)
                    .bind(ids[index])
                    .bind(position.fix_time.as_millisecond())
                    .bind(position.received_at.as_millisecond());
                query = bind_fix(query, &fix);
            }
            query.execute(&mut *tx).await?;
            offset += rows;
        }
        tx.commit().await?;
        Ok(ids)
    }
}

type Query<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

/// Binds the fix's columns from latitude to charging, in the order both statements list
/// them.
fn bind_fix<'q>(query: Query<'q>, fix: &PositionFix) -> Query<'q> {
    query
        .bind(fix.latitude)
        .bind(fix.longitude)
        .bind(fix.accuracy_m)
        .bind(fix.speed_mps)
        .bind(fix.bearing)
        .bind(fix.altitude)
        .bind(fix.battery_pct)
        .bind(fix.charging)
}
