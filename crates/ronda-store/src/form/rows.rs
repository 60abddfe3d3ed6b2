//! Form rows shared by both backends.

use ronda_domain::{OrganizationId, UserId};
use sqlx::FromRow;
use uuid::Uuid;

use super::{FormSource, FormSummary, StoredFormVersion};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

#[derive(FromRow)]
pub(crate) struct VersionRow {
    id: Uuid,
    organization_id: Uuid,
    form_id: String,
    version: String,
    content_hash: String,
    title_es: Option<String>,
    title_en: Option<String>,
    definition: String,
    source: String,
    published_by: Option<Uuid>,
    published_at: i64,
}

impl TryFrom<VersionRow> for StoredFormVersion {
    type Error = StoreError;

    fn try_from(row: VersionRow) -> StoreResult<Self> {
        let source = FormSource::from_name(&row.source).ok_or_else(|| StoreError::CorruptRow {
            table: "form_versions",
            column: "source",
            value: row.source.clone(),
        })?;
        Ok(StoredFormVersion {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            form_id: row.form_id,
            version: row.version,
            content_hash: row.content_hash,
            title_es: row.title_es,
            title_en: row.title_en,
            definition: row.definition,
            source,
            published_by: row.published_by.map(UserId),
            published_at: timestamp("form_versions", "published_at", row.published_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct FormRow {
    form_id: String,
    title_es: Option<String>,
    title_en: Option<String>,
    created_at: i64,
    updated_at: i64,
    version_count: i64,
    latest_version_id: Option<Uuid>,
    latest_version: Option<String>,
}

impl TryFrom<FormRow> for FormSummary {
    type Error = StoreError;

    fn try_from(row: FormRow) -> StoreResult<Self> {
        Ok(FormSummary {
            form_id: row.form_id,
            title_es: row.title_es,
            title_en: row.title_en,
            created_at: timestamp("forms", "created_at", row.created_at)?,
            updated_at: timestamp("forms", "updated_at", row.updated_at)?,
            version_count: row.version_count,
            latest_version_id: row.latest_version_id,
            latest_version: row.latest_version,
        })
    }
}
