//! Ronda's domain types and rules. Nothing here performs I/O, so every rule can be
//! tested in isolation and reused by the store, the server and the command line.

pub mod checkin;
pub mod ids;
pub mod portfolio;
pub mod role;
pub mod route;
pub mod tracking;
pub mod user;
pub mod zone;

pub use ids::{OrganizationId, UserId};
pub use role::{Permission, Role};
pub use user::{Email, InputError, NewPassword, PersonName};
