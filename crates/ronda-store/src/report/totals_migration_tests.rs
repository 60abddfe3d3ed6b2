//! Migration 0020 on both stores: the new rollup tables start with the counts of the rows
//! already there, and the triggers keep the promise counts in step with later changes.

use std::path::Path;

use sqlx::migrate::Migrator;
use uuid::Uuid;

use super::migration_tests::{INSERT_VISIT_PORTABLE, PostgresBefore, sqlite_before};

const INSERT_HOURS: &str = "INSERT INTO contact_hour_rollups (organization_id, local_date, \
    weekday, hour, lender_id, portfolio_id, agent_id, channel, attempts, right_party, successes, \
    promises, promised_cents) VALUES ($1, '2026-07-15', 3, 12, $2, $2, $3, 'visit', $4, 1, 1, 1, \
    $5)";

const INSERT_REPORT_ROLLUP: &str = "INSERT INTO report_rollups (organization_id, local_date, \
    weekday, hour, lender_id, portfolio_id, agent_id, channel, zone_state, zone_municipality, \
    result_code, verdict, reason_class, attempts, right_party, successes, promises, \
    promised_cents) VALUES ($1, '2026-07-15', 3, 12, $2, $2, $3, 'visit', 'Jalisco', \
    'Guadalajara', $4, 'verified', '', 1, 1, 1, 0, 0)";

const INSERT_PROMISE: &str = "INSERT INTO promise_outcomes (visit_id, organization_id, \
    account_id, agent_id, lender_id, portfolio_id, created_on, promised_on, due_on, \
    amount_cents, paid_cents, status, evaluated_at) VALUES ($1, $2, $3, $3, $3, $3, \
    '2026-07-15', '2026-07-20', '2026-07-23', $4, 0, $5, 1)";

const PROMISE_COUNTS: &str = "SELECT kept, broken, pending, kept_cents \
    FROM visit_promise_rollups WHERE organization_id = $1";

/// Runs the checks on `$pool`, a database migrated up to 0019 whose foreign keys and
/// triggers wait for `$enforce`. A macro because the two pools have different types.
macro_rules! check_totals {
    ($pool:expr, $all:expr, $enforce:expr) => {{
        let pool = $pool;
        let (org, lender, person) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        // The triggers' rows need their organization once foreign keys are enforced.
        sqlx::query("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, 1)")
            .bind(org)
            .bind(org.to_string())
            .execute(pool)
            .await
            .expect("insert organization");
        // Two agents in the same hour: one row of totals.
        for (attempts, cents) in [(2_i64, 100_i64), (3, 250)] {
            sqlx::query(INSERT_HOURS)
                .bind(org)
                .bind(lender)
                .bind(Uuid::new_v4())
                .bind(attempts)
                .bind(cents)
                .execute(pool)
                .await
                .expect("insert hour rollup");
        }
        // Two result codes in one zone and hour: one row of zone totals.
        for code in ["PTP", "PAID"] {
            sqlx::query(INSERT_REPORT_ROLLUP)
                .bind(org)
                .bind(lender)
                .bind(Uuid::new_v4())
                .bind(code)
                .execute(pool)
                .await
                .expect("insert report rollup");
        }
        let (broken, pending) = (Uuid::new_v4(), Uuid::new_v4());
        for (visit, amount, status) in [(broken, 700_i64, "broken"), (pending, 900, "pending")] {
            let mut insert = sqlx::query(INSERT_VISIT_PORTABLE).bind(visit).bind(org);
            for _ in 0..4 {
                insert = insert.bind(Uuid::new_v4());
            }
            insert.execute(pool).await.expect("insert visit");
            sqlx::query(INSERT_PROMISE)
                .bind(visit)
                .bind(org)
                .bind(person)
                .bind(amount)
                .bind(status)
                .execute(pool)
                .await
                .expect("insert promise");
        }

        Migrator::new($all)
            .await
            .expect("load all migrations")
            .run(pool)
            .await
            .expect("run migration 0020");

        let totals: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT CAST(attempts AS BIGINT), CAST(promised_cents AS BIGINT) \
             FROM contact_hour_totals WHERE organization_id = $1",
        )
        .bind(org)
        .fetch_all(pool)
        .await
        .expect("totals");
        assert_eq!(totals, [(5, 350)], "both agents' rows add up to one total");
        let zones: Vec<(String, i64)> = sqlx::query_as(
            "SELECT zone, CAST(attempts AS BIGINT) FROM contact_hour_zone_totals \
             WHERE organization_id = $1",
        )
        .bind(org)
        .fetch_all(pool)
        .await
        .expect("zone totals");
        assert_eq!(zones, [("Jalisco|Guadalajara".to_owned(), 2)]);
        let counts = || async {
            let row: (i64, i64, i64, i64) = sqlx::query_as(PROMISE_COUNTS)
                .bind(org)
                .fetch_one(pool)
                .await
                .expect("promise counts");
            row
        };
        assert_eq!(
            counts().await,
            (0, 1, 1, 0),
            "existing promises are counted"
        );

        sqlx::query(sqlx::AssertSqlSafe($enforce))
            .execute(pool)
            .await
            .expect("enforce foreign keys and triggers");
        sqlx::query("UPDATE promise_outcomes SET paid_cents = 100 WHERE visit_id = $1")
            .bind(pending)
            .execute(pool)
            .await
            .expect("pay part");
        assert_eq!(
            counts().await,
            (0, 1, 1, 0),
            "a partial payment moves no count"
        );
        sqlx::query("UPDATE promise_outcomes SET status = 'kept' WHERE visit_id = $1")
            .bind(pending)
            .execute(pool)
            .await
            .expect("keep");
        assert_eq!(
            counts().await,
            (1, 1, 0, 900),
            "a kept promise moves to kept"
        );
        sqlx::query("DELETE FROM visits WHERE id = $1")
            .bind(broken)
            .execute(pool)
            .await
            .expect("delete visit");
        assert_eq!(
            counts().await,
            (1, 0, 0, 900),
            "a deleted promise leaves the counts"
        );
    }};
}

#[tokio::test]
async fn migration_0020_on_sqlite() {
    let (pool, dir) = sqlite_before("0020").await;
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    check_totals!(&pool, all, "PRAGMA foreign_keys = ON");
    pool.close().await;
    std::fs::remove_dir_all(&dir).expect("remove temporary directory");
}

#[tokio::test]
async fn migration_0020_on_postgres() {
    let Some(database) = PostgresBefore::create("0020").await else {
        return;
    };
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    check_totals!(&database.pool, all, "SET session_replication_role = origin");
    database.drop().await;
}
