//! Settings an organization changes in the console (display name, default time zone,
//! contact rule) and each agent's profile (working hours, start location, zones).

pub mod invitation;
pub(crate) mod shared_impl;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::portfolio::{ClockTime, ContactRule, Weekday};
use ronda_domain::{OrganizationId, UserId};
use serde::{Deserialize, Serialize};

use crate::{AuditEvent, StoreResult};

/// An organization's settings. Every `None` means the shipped default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrganizationSettings {
    /// Name shown in the console, or `None` to show the organization's registered name.
    pub display_name: Option<String>,
    /// IANA zone for contact hours at addresses whose state is unknown.
    pub default_time_zone: Option<String>,
    /// Contact hours, or `None` for [`ContactRule::mexico`].
    pub contact_rule: Option<ContactRule>,
    /// `None` while the organization has never saved its settings.
    pub updated_at: Option<Timestamp>,
}

/// Hours an agent works on one day of the week, local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingDay {
    pub day: Weekday,
    pub start: ClockTime,
    pub end: ClockTime,
}

/// The place an agent starts the day from, such as home or the branch office.
#[derive(Clone, Debug, PartialEq)]
pub struct StartLocation {
    pub latitude: f64,
    pub longitude: f64,
    pub label: Option<String>,
}

/// A named polygon of `[latitude, longitude]` vertices that an agent covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedZone {
    pub name: String,
    pub vertices: Vec<[f64; 2]>,
}

/// An agent's profile. Callers check that `agent_id` is an agent of `organization_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentProfile {
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub working_hours: Vec<WorkingDay>,
    pub start_location: Option<StartLocation>,
    pub zones: Vec<NamedZone>,
    pub updated_at: Timestamp,
}

#[async_trait]
pub trait OrganizationSettingsStore: invitation::InvitationStore + Send + Sync {
    /// Returns the organization's settings, all defaults when it never saved them.
    async fn organization_settings(&self, org: OrganizationId)
    -> StoreResult<OrganizationSettings>;

    /// Replaces the organization's settings and writes `audit` in the same transaction.
    async fn put_organization_settings(
        &self,
        org: OrganizationId,
        settings: &OrganizationSettings,
        audit: &AuditEvent,
    ) -> StoreResult<()>;

    /// Returns the agent's profile, or `None` when none was saved in `org`.
    async fn agent_profile(
        &self,
        org: OrganizationId,
        agent: UserId,
    ) -> StoreResult<Option<AgentProfile>>;

    /// Replaces the agent's profile and writes `audit` in the same transaction.
    async fn put_agent_profile(
        &self,
        profile: &AgentProfile,
        audit: &AuditEvent,
    ) -> StoreResult<()>;
}

pub(crate) mod sql {
    pub(crate) const SELECT_SETTINGS: &str = "SELECT display_name, default_time_zone, \
        contact_rule, updated_at FROM organization_settings WHERE organization_id = $1";
    pub(crate) const UPSERT_SETTINGS: &str = "INSERT INTO organization_settings \
        (organization_id, display_name, default_time_zone, contact_rule, updated_at) \
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id) DO UPDATE SET \
        display_name = excluded.display_name, default_time_zone = excluded.default_time_zone, \
        contact_rule = excluded.contact_rule, updated_at = excluded.updated_at";
    pub(crate) const SELECT_PROFILE: &str = "SELECT organization_id, agent_id, working_hours, \
        start_latitude, start_longitude, start_label, zones, updated_at FROM agent_profiles \
        WHERE organization_id = $1 AND agent_id = $2";
    // The WHERE clause keeps an update from moving a profile into another organization.
    pub(crate) const UPSERT_PROFILE: &str = "INSERT INTO agent_profiles \
        (agent_id, organization_id, working_hours, start_latitude, start_longitude, \
        start_label, zones, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
        ON CONFLICT (agent_id) DO UPDATE SET working_hours = excluded.working_hours, \
        start_latitude = excluded.start_latitude, start_longitude = excluded.start_longitude, \
        start_label = excluded.start_label, zones = excluded.zones, \
        updated_at = excluded.updated_at \
        WHERE agent_profiles.organization_id = excluded.organization_id";
}

pub(crate) mod rows {
    use ronda_domain::portfolio::ContactRule;
    use sqlx::types::Json;
    use uuid::Uuid;

    use super::{AgentProfile, NamedZone, OrganizationSettings, StartLocation, WorkingDay};
    use crate::StoreError;
    use crate::rows::timestamp;

    #[derive(sqlx::FromRow)]
    pub(crate) struct SettingsRow {
        display_name: Option<String>,
        default_time_zone: Option<String>,
        contact_rule: Option<Json<ContactRule>>,
        updated_at: i64,
    }

    impl TryFrom<SettingsRow> for OrganizationSettings {
        type Error = StoreError;

        fn try_from(row: SettingsRow) -> Result<Self, StoreError> {
            Ok(OrganizationSettings {
                display_name: row.display_name,
                default_time_zone: row.default_time_zone,
                contact_rule: row.contact_rule.map(|rule| rule.0),
                updated_at: Some(timestamp(
                    "organization_settings",
                    "updated_at",
                    row.updated_at,
                )?),
            })
        }
    }

    #[derive(sqlx::FromRow)]
    pub(crate) struct ProfileRow {
        organization_id: Uuid,
        agent_id: Uuid,
        working_hours: Json<Vec<WorkingDay>>,
        start_latitude: Option<f64>,
        start_longitude: Option<f64>,
        start_label: Option<String>,
        zones: Json<Vec<NamedZone>>,
        updated_at: i64,
    }

    impl TryFrom<ProfileRow> for AgentProfile {
        type Error = StoreError;

        fn try_from(row: ProfileRow) -> Result<Self, StoreError> {
            let start_location = match (row.start_latitude, row.start_longitude) {
                (Some(latitude), Some(longitude)) => Some(StartLocation {
                    latitude,
                    longitude,
                    label: row.start_label,
                }),
                _ => None,
            };
            Ok(AgentProfile {
                organization_id: ronda_domain::OrganizationId(row.organization_id),
                agent_id: ronda_domain::UserId(row.agent_id),
                working_hours: row.working_hours.0,
                start_location,
                zones: row.zones.0,
                updated_at: timestamp("agent_profiles", "updated_at", row.updated_at)?,
            })
        }
    }
}
