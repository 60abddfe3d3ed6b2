//! Assignments of accounts to agents, with their history, and each agent's daily capacity.

pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::zone::Zone;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEvent, StoreResult};

/// Visits per day of an agent whose capacity was never set. The migrations repeat it as
/// the column default, and `SELECT_AGENT_LOADS` as its fallback.
pub const DEFAULT_DAILY_CAPACITY: i32 = 25;

/// One period during which an agent had an account. `unassigned_at` is `None` while the
/// assignment is current.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assignment {
    pub id: Uuid,
    pub account_id: Uuid,
    pub agent_id: UserId,
    pub agent_name: String,
    pub assigned_by: Option<UserId>,
    pub assigned_at: Timestamp,
    pub unassigned_at: Option<Timestamp>,
}

/// A request to give a set of accounts to one agent.
#[derive(Clone, Debug)]
pub struct AssignmentBatch {
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    /// Duplicates are ignored.
    pub account_ids: Vec<Uuid>,
    /// The user who assigns, `None` for an API token.
    pub assigned_by: Option<UserId>,
    /// The agent may hold at most `daily_capacity × capacity_days` current assignments.
    pub capacity_days: u32,
    /// Assigns even when the agent ends up over that limit.
    pub allow_over_capacity: bool,
}

/// Result of an assignment: the changes and the agent's load afterwards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AssignmentCounts {
    /// Accounts that had no agent.
    pub assigned: u64,
    /// Accounts taken from another agent.
    pub reassigned: u64,
    /// Accounts that already belonged to this agent.
    pub unchanged: u64,
    /// The agent's current assignments after the change.
    pub agent_load: i64,
    pub daily_capacity: i32,
    /// The load exceeds `daily_capacity × capacity_days`.
    pub over_capacity: bool,
}

/// Reason a user cannot receive assignments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentProblem {
    /// No such user in the organization.
    NotFound,
    /// The user's role is not agent.
    NotAnAgent,
    /// The user is deactivated.
    Inactive,
}

/// Result of [`AssignmentStore::assign_accounts`]. Every outcome but `Done` writes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignOutcome {
    Done(AssignmentCounts),
    Agent(AgentProblem),
    /// These ids name no account of the organization.
    UnknownAccounts(Vec<Uuid>),
    /// The agent would end up with `agent_load` current assignments, more than
    /// `daily_capacity × capacity_days`.
    OverCapacity {
        agent_load: i64,
        daily_capacity: i32,
    },
}

/// An agent with the daily capacity and the number of current assignments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgentLoad {
    pub agent_id: UserId,
    pub name: String,
    pub active: bool,
    pub daily_capacity: i32,
    pub current_assignments: i64,
}

#[async_trait]
pub trait AssignmentStore: Send + Sync {
    /// Assigns the accounts to the agent in one transaction. An account assigned to another
    /// agent has that assignment closed and a new one opened, so history is kept. The
    /// agent must be an active agent of the organization and every account must belong
    /// to it, or nothing is written.
    async fn assign_accounts(
        &self,
        batch: &AssignmentBatch,
        audit: &AuditEvent,
    ) -> StoreResult<AssignOutcome>;

    /// Closes the current assignment of an account. Returns `None`, writing nothing, when
    /// the account is not in `org` or has no current assignment.
    async fn unassign_account(
        &self,
        org: OrganizationId,
        account_id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<Option<Assignment>>;

    /// Lists the assignments of an account, newest first. Returns `None` when the account
    /// is not in `org`.
    async fn assignment_history(
        &self,
        org: OrganizationId,
        account_id: Uuid,
    ) -> StoreResult<Option<Vec<Assignment>>>;

    /// Lists the organization's agents, active or not, by name, with their current load.
    async fn agent_loads(&self, org: OrganizationId) -> StoreResult<Vec<AgentLoad>>;

    /// Returns the agent's visits per day, [`DEFAULT_DAILY_CAPACITY`] when never set.
    async fn daily_capacity(
        &self,
        org: OrganizationId,
        agent_id: UserId,
    ) -> StoreResult<Result<i32, AgentProblem>>;

    /// Sets the agent's visits per day. The caller has checked the range 1 to 200, which
    /// the migrations also enforce.
    async fn set_daily_capacity(
        &self,
        org: OrganizationId,
        agent_id: UserId,
        daily_capacity: i32,
        audit: &AuditEvent,
    ) -> StoreResult<Result<(), AgentProblem>>;

    /// Lists the ids of accounts whose address has one of the postal codes, optionally
    /// only in one portfolio, ordered by the lender's account id.
    async fn account_ids_by_postal_codes(
        &self,
        org: OrganizationId,
        postal_codes: &[String],
        portfolio_id: Option<Uuid>,
    ) -> StoreResult<Vec<Uuid>>;

    /// Lists the ids of accounts in a municipality, compared without regard to case,
    /// accents or punctuation.
    async fn account_ids_by_municipality(
        &self,
        org: OrganizationId,
        municipality: &str,
        portfolio_id: Option<Uuid>,
    ) -> StoreResult<Vec<Uuid>>;

    /// Lists the ids of accounts whose address point lies inside the zone or on its
    /// border. The point is the agent-verified one when present, else the geocoded one.
    /// Accounts without either point are never selected.
    async fn account_ids_in_zone(
        &self,
        org: OrganizationId,
        zone: &Zone,
        portfolio_id: Option<Uuid>,
    ) -> StoreResult<Vec<Uuid>>;
}

/// Returns the user's problem as an assignee, or `None` for an active agent.
pub(crate) fn agent_problem(user: Option<&rows::AgentRow>) -> Option<AgentProblem> {
    match user {
        None => Some(AgentProblem::NotFound),
        Some(user) if user.role != ronda_domain::Role::Agent.as_str() => {
            Some(AgentProblem::NotAnAgent)
        }
        Some(user) if !user.active => Some(AgentProblem::Inactive),
        Some(_) => None,
    }
}

/// Returns whether `load` current assignments exceed the agent's limit over `days`.
pub(crate) fn exceeds_capacity(load: i64, daily_capacity: i32, days: u32) -> bool {
    load > i64::from(daily_capacity) * i64::from(days)
}
