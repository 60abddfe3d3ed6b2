//! Roles and what each one may do. The server checks these on every request; the
//! browser only hides what a role cannot use.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A user's role inside one organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages users, API tokens and settings, and does everything a supervisor does.
    Admin,
    /// Assigns work, reviews visits and reads reports.
    Supervisor,
    /// Field agent: works the day's visits from the field app.
    Agent,
    /// Reads everything a supervisor reads and changes nothing.
    Viewer,
}

/// An action that a role may or may not perform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read the organization's users, audit log and operational data.
    ReadOrganization,
    /// Create, deactivate and reactivate users.
    ManageUsers,
    /// Create and revoke API tokens.
    ManageApiTokens,
    /// Create lenders and portfolios, and import accounts.
    ManagePortfolios,
    /// Register and revoke agents' tracking devices.
    ManageDevices,
    /// Assign accounts to agents and set agents' daily capacity.
    AssignAccounts,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Supervisor, Role::Agent, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
        }
    }

    /// Returns whether this role may perform `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::ReadOrganization => self != Role::Agent,
            Permission::ManageUsers | Permission::ManageApiTokens => self == Role::Admin,
            Permission::ManagePortfolios
            | Permission::ManageDevices
            | Permission::AssignAccounts => {
                matches!(self, Role::Admin | Role::Supervisor)
            }
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a role name that is not one of admin, supervisor, agent or viewer.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected admin, supervisor, agent or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| UnknownRole(value.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("owner".parse::<Role>().is_err());
    }

    #[test]
    fn only_admin_manages_users_and_tokens() {
        for role in Role::ALL {
            let is_admin = role == Role::Admin;
            assert_eq!(role.allows(Permission::ManageUsers), is_admin, "{role}");
            assert_eq!(role.allows(Permission::ManageApiTokens), is_admin, "{role}");
        }
    }

    #[test]
    fn supervisors_manage_portfolios() {
        assert!(Role::Admin.allows(Permission::ManagePortfolios));
        assert!(Role::Supervisor.allows(Permission::ManagePortfolios));
        assert!(!Role::Agent.allows(Permission::ManagePortfolios));
        assert!(!Role::Viewer.allows(Permission::ManagePortfolios));
    }

    #[test]
    fn supervisors_assign_accounts() {
        assert!(Role::Admin.allows(Permission::AssignAccounts));
        assert!(Role::Supervisor.allows(Permission::AssignAccounts));
        assert!(!Role::Agent.allows(Permission::AssignAccounts));
        assert!(!Role::Viewer.allows(Permission::AssignAccounts));
    }

    #[test]
    fn agent_cannot_read_organization() {
        assert!(!Role::Agent.allows(Permission::ReadOrganization));
        assert!(Role::Viewer.allows(Permission::ReadOrganization));
        assert!(Role::Supervisor.allows(Permission::ReadOrganization));
    }
}
