//! Tracking statements. Most run unchanged on SQLite and PostgreSQL; the multi-row inserts
//! differ only in their placeholders.

use std::sync::LazyLock;

use crate::Backend;

macro_rules! device_select {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.organization_id, d.agent_id, d.name, d.kind, d.device_identifier, \
             d.secret_hash, d.created_at, d.revoked_at FROM devices d ",
            $tail
        )
    };
}

pub(crate) const INSERT_DEVICE: &str = "INSERT INTO devices (id, organization_id, agent_id, \
    name, kind, device_identifier, secret_hash, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const SELECT_DEVICES: &str =
    device_select!("WHERE d.organization_id = $1 ORDER BY d.created_at DESC, d.id DESC");
pub(crate) const SELECT_DEVICE: &str = device_select!("WHERE d.organization_id = $1 AND d.id = $2");
/// An unrevoked device whose agent is active, so deactivating a user also stops the
/// user's phones from reporting.
pub(crate) const SELECT_ACTIVE_DEVICE: &str = device_select!(
    "JOIN users u ON u.id = d.agent_id AND u.organization_id = d.organization_id \
     WHERE d.device_identifier = $1 AND d.revoked_at IS NULL AND u.active"
);
pub(crate) const REVOKE_DEVICE: &str = "UPDATE devices \
    SET revoked_at = COALESCE(revoked_at, $3) WHERE organization_id = $1 AND id = $2";

macro_rules! position_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, device_id, agent_id, fix_time, received_at, latitude, \
             longitude, accuracy_m, speed_mps, bearing, altitude, battery_pct, charging, mock, \
             status, flag_reason, flag_details, older_than_latest, raw FROM positions ",
            $tail
        )
    };
}

/// Rows of one multi-row statement on PostgreSQL, largest first. A few fixed sizes keep
/// the number of distinct prepared statements small.
pub(crate) const ROWS_PER_STATEMENT: [usize; 5] = [256, 64, 16, 4, 1];

/// Splits `count` rows into statement sizes from [`ROWS_PER_STATEMENT`].
pub(crate) fn statement_sizes(mut count: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    for size in ROWS_PER_STATEMENT {
        while count >= size {
            sizes.push(size);
            count -= size;
        }
    }
    sizes
}

/// `rows` groups of `columns` placeholders. PostgreSQL gets numbered ones, `($1, $2), ($3,
/// $4)`. SQLite gets anonymous `?` ones, bound in order.
fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let marks: Vec<String> = (1..=columns)
                .map(|column| match backend {
                    Backend::Postgres => format!("${}", row * columns + column),
                    Backend::Sqlite => "?".to_owned(),
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Columns bound for each position.
pub(crate) const POSITION_COLUMNS: usize = 19;

/// PostgreSQL statements of every size in [`ROWS_PER_STATEMENT`], built once from
/// constant text and numbers only.
struct Statements([String; ROWS_PER_STATEMENT.len()]);

impl Statements {
    fn new(text: fn(Backend, usize) -> String) -> Self {
        Self(ROWS_PER_STATEMENT.map(|rows| text(Backend::Postgres, rows)))
    }

    /// Picks the statement for `rows` rows, one of [`ROWS_PER_STATEMENT`].
    fn get(&self, rows: usize) -> &str {
        let index = ROWS_PER_STATEMENT
            .iter()
            .position(|&size| size == rows)
            .unwrap_or(ROWS_PER_STATEMENT.len() - 1);
        &self.0[index]
    }
}

/// Inserts `rows` positions on PostgreSQL and returns their ids, which grow in the order
/// of the rows, so the sorted ids match the rows one by one. `rows` is one of
/// [`ROWS_PER_STATEMENT`].
pub(crate) fn insert_positions(rows: usize) -> &'static str {
    static STATEMENTS: LazyLock<Statements> =
        LazyLock::new(|| Statements::new(insert_positions_text));
    STATEMENTS.get(rows)
}

/// Makes each of `rows` positions its agent's live one on PostgreSQL, as
/// [`upsert_live_positions_text`].
pub(crate) fn upsert_live_positions(rows: usize) -> &'static str {
    static STATEMENTS: LazyLock<Statements> =
        LazyLock::new(|| Statements::new(upsert_live_positions_text));
    STATEMENTS.get(rows)
}

/// Inserts one position on SQLite, where the positions thread reuses one prepared
/// statement for every row.
pub(crate) static INSERT_POSITION_SQLITE: LazyLock<String> =
    LazyLock::new(|| insert_positions_text(Backend::Sqlite, 1));

/// Makes one position its agent's live one on SQLite.
pub(crate) static UPSERT_LIVE_POSITION_SQLITE: LazyLock<String> =
    LazyLock::new(|| upsert_live_positions_text(Backend::Sqlite, 1));

fn insert_positions_text(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO positions (organization_id, device_id, agent_id, fix_time, received_at, \
         latitude, longitude, accuracy_m, speed_mps, bearing, altitude, battery_pct, charging, \
         mock, status, flag_reason, flag_details, older_than_latest, raw) VALUES {}{}",
        placeholders(backend, rows, POSITION_COLUMNS),
        match backend {
            Backend::Postgres => " RETURNING id",
            Backend::Sqlite => "",
        }
    )
}
pub(crate) const SELECT_LATEST_ACCEPTED_POSITION: &str = position_select!(
    "WHERE organization_id = $1 AND device_id = $2 AND status = 'accepted' \
     ORDER BY fix_time DESC, id DESC LIMIT 1"
);
pub(crate) const SELECT_AGENT_POSITIONS: &str = position_select!(
    "WHERE organization_id = $1 AND agent_id = $2 AND fix_time >= $3 AND fix_time < $4 \
     ORDER BY fix_time, id"
);

/// Columns bound for each live position.
pub(crate) const LIVE_COLUMNS: usize = 14;

/// Makes each of `rows` positions its agent's live one unless the stored live fix is at
/// least as new, so a late report never moves the live position back. The rows must be of
/// different agents.
fn upsert_live_positions_text(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO agent_live_positions (agent_id, organization_id, device_id, position_id, \
         fix_time, received_at, latitude, longitude, accuracy_m, speed_mps, bearing, altitude, \
         battery_pct, charging) VALUES {} \
         ON CONFLICT (agent_id) DO UPDATE SET device_id = excluded.device_id, \
         position_id = excluded.position_id, fix_time = excluded.fix_time, \
         received_at = excluded.received_at, latitude = excluded.latitude, \
         longitude = excluded.longitude, accuracy_m = excluded.accuracy_m, \
         speed_mps = excluded.speed_mps, bearing = excluded.bearing, \
         altitude = excluded.altitude, battery_pct = excluded.battery_pct, \
         charging = excluded.charging \
         WHERE agent_live_positions.fix_time < excluded.fix_time",
        placeholders(backend, rows, LIVE_COLUMNS)
    )
}
pub(crate) const SELECT_LIVE_POSITIONS: &str = "SELECT agent_id, organization_id, device_id, \
    position_id, fix_time, received_at, latitude, longitude, accuracy_m, speed_mps, bearing, \
    altitude, battery_pct, charging FROM agent_live_positions WHERE organization_id = $1 \
    ORDER BY fix_time DESC";

pub(crate) const SELECT_AGENT_SHIFTS_SINCE: &str = "SELECT id, organization_id, agent_id, \
    clocked_in_at, clocked_out_at FROM shifts WHERE organization_id = $1 AND agent_id = $2 \
    AND (clocked_out_at IS NULL OR clocked_out_at > $3) ORDER BY clocked_in_at, id";

pub(crate) const SELECT_AGENT_DAY_VISITS: &str = "SELECT v.id, v.started_at, v.finished_at, \
    v.account_id, a.lender_account_id, l.name AS lender_name, \
    (SELECT p.name FROM persons p WHERE p.account_id = a.id \
     AND p.organization_id = a.organization_id AND p.role = 'debtor' \
     ORDER BY p.name LIMIT 1) AS debtor_name, \
    v.result_code, v.verdict, v.status, v.checkin_latitude, v.checkin_longitude, \
    v.checkin_accuracy_m FROM visits v \
    JOIN accounts a ON a.id = v.account_id AND a.organization_id = v.organization_id \
    JOIN lenders l ON l.id = a.lender_id AND l.organization_id = a.organization_id \
    WHERE v.organization_id = $1 AND v.agent_id = $2 AND v.finished_at >= $3 \
    AND v.finished_at < $4 ORDER BY v.finished_at, v.id";

#[cfg(test)]
mod tests {
    #[test]
    fn statements_cover_every_row() {
        for count in [0, 1, 3, 16, 17, 500, 1024] {
            let sizes = super::statement_sizes(count);
            assert_eq!(sizes.iter().sum::<usize>(), count);
        }
        assert_eq!(super::statement_sizes(21), vec![16, 4, 1]);
    }

    use crate::Backend;

    #[test]
    fn postgres_placeholders_number_every_column() {
        assert_eq!(
            super::placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        let sql = super::insert_positions(4);
        assert!(sql.ends_with("$75, $76) RETURNING id"), "{sql}");
        assert!(super::upsert_live_positions(16).contains("$224)"));
    }

    #[test]
    fn sqlite_placeholders_are_anonymous() {
        assert_eq!(super::placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        let sql = super::INSERT_POSITION_SQLITE.as_str();
        assert_eq!(sql.matches('?').count(), super::POSITION_COLUMNS);
        assert!(!sql.contains('$'), "{sql}");
        let live = super::UPSERT_LIVE_POSITION_SQLITE.as_str();
        assert_eq!(live.matches('?').count(), super::LIVE_COLUMNS);
    }
}
