//! Assignment rows shared by both backends.

use ronda_domain::UserId;
use sqlx::FromRow;
use uuid::Uuid;

use super::{AgentLoad, Assignment};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

/// A user's role and state, to check that they can receive assignments.
#[derive(FromRow)]
pub(crate) struct AgentRow {
    pub(crate) role: String,
    pub(crate) active: bool,
}

#[derive(FromRow)]
pub(crate) struct AssignmentRow {
    id: Uuid,
    account_id: Uuid,
    agent_id: Uuid,
    agent_name: String,
    assigned_by: Option<Uuid>,
    assigned_at: i64,
    unassigned_at: Option<i64>,
}

impl TryFrom<AssignmentRow> for Assignment {
    type Error = StoreError;

    fn try_from(row: AssignmentRow) -> StoreResult<Self> {
        Ok(Assignment {
            id: row.id,
            account_id: row.account_id,
            agent_id: UserId(row.agent_id),
            agent_name: row.agent_name,
            assigned_by: row.assigned_by.map(UserId),
            assigned_at: timestamp("assignments", "assigned_at", row.assigned_at)?,
            unassigned_at: row
                .unassigned_at
                .map(|ms| timestamp("assignments", "unassigned_at", ms))
                .transpose()?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct AgentLoadRow {
    agent_id: Uuid,
    name: String,
    active: bool,
    daily_capacity: i32,
    current_assignments: i64,
}

impl TryFrom<AgentLoadRow> for AgentLoad {
    type Error = StoreError;

    fn try_from(row: AgentLoadRow) -> StoreResult<Self> {
        Ok(AgentLoad {
            agent_id: UserId(row.agent_id),
            name: row.name,
            active: row.active,
            daily_capacity: row.daily_capacity,
            current_assignments: row.current_assignments,
        })
    }
}

/// An account and the point of its address, for the zone test.
#[derive(FromRow)]
pub(crate) struct AccountPointRow {
    pub(crate) id: Uuid,
    pub(crate) latitude: Option<f64>,
    pub(crate) longitude: Option<f64>,
}
