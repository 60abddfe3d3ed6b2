//! Forms and their published versions. A version is never changed or deleted: publishing
//! adds one, so visits started on an older version can still be checked against it.

pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEvent, StoreResult};

/// The origin of a version: an XLSForm upload, a JSON upload or a shipped template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormSource {
    Xlsform,
    Json,
    Template,
}

impl FormSource {
    pub fn as_str(self) -> &'static str {
        match self {
            FormSource::Xlsform => "xlsform",
            FormSource::Json => "json",
            FormSource::Template => "template",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [FormSource::Xlsform, FormSource::Json, FormSource::Template]
            .into_iter()
            .find(|source| source.as_str() == name)
    }
}

/// One published version of a form. `definition` is the JSON of the form model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredFormVersion {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub form_id: String,
    pub version: String,
    pub content_hash: String,
    pub title_es: Option<String>,
    pub title_en: Option<String>,
    pub definition: String,
    pub source: FormSource,
    pub published_by: Option<UserId>,
    pub published_at: Timestamp,
}

/// A form with its newest version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FormSummary {
    pub form_id: String,
    pub title_es: Option<String>,
    pub title_en: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version_count: i64,
    pub latest_version_id: Option<Uuid>,
    pub latest_version: Option<String>,
}

/// Result of [`FormStore::publish_form_version`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishOutcome {
    Published(StoredFormVersion),
    /// A version with the same content exists already; nothing was written.
    Unchanged(StoredFormVersion),
    /// The version label is taken by a version with other content.
    VersionTaken(StoredFormVersion),
}

#[async_trait]
pub trait FormStore {
    /// Publishes `version` (its `id`, `published_at` and `published_by` are used as given)
    /// and writes `audit` in the same transaction, unless the content or the label is
    /// already published.
    async fn publish_form_version(
        &self,
        version: &StoredFormVersion,
        audit: &AuditEvent,
    ) -> StoreResult<PublishOutcome>;

    /// Lists the organization's forms, by form id.
    async fn forms(&self, org: OrganizationId) -> StoreResult<Vec<FormSummary>>;

    /// Lists the versions of one form, newest first.
    async fn form_versions(
        &self,
        org: OrganizationId,
        form_id: &str,
    ) -> StoreResult<Vec<StoredFormVersion>>;

    async fn form_version(
        &self,
        org: OrganizationId,
        id: Uuid,
    ) -> StoreResult<Option<StoredFormVersion>>;

    /// The newest version of a form.
    async fn latest_form_version(
        &self,
        org: OrganizationId,
        form_id: &str,
    ) -> StoreResult<Option<StoredFormVersion>>;
}
