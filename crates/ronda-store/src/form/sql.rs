//! Form statements that run unchanged on SQLite and PostgreSQL.

macro_rules! version_select {
    ($tail:literal) => {
        concat!(
            "SELECT v.id, v.organization_id, v.form_id, v.version, v.content_hash, \
             f.title_es, f.title_en, v.definition, v.source, v.published_by, v.published_at \
             FROM form_versions v JOIN forms f \
             ON f.organization_id = v.organization_id AND f.form_id = v.form_id ",
            $tail
        )
    };
}

pub(crate) const SELECT_VERSION: &str =
    version_select!("WHERE v.organization_id = $1 AND v.id = $2");
pub(crate) const SELECT_VERSION_BY_HASH: &str =
    version_select!("WHERE v.organization_id = $1 AND v.form_id = $2 AND v.content_hash = $3");
pub(crate) const SELECT_VERSION_BY_LABEL: &str =
    version_select!("WHERE v.organization_id = $1 AND v.form_id = $2 AND v.version = $3");
pub(crate) const SELECT_VERSIONS: &str = version_select!(
    "WHERE v.organization_id = $1 AND v.form_id = $2 ORDER BY v.published_at DESC, v.id DESC"
);
pub(crate) const SELECT_LATEST_VERSION: &str = version_select!(
    "WHERE v.organization_id = $1 AND v.form_id = $2 \
     ORDER BY v.published_at DESC, v.id DESC LIMIT 1"
);

/// Creates the form or refreshes its title to the newest version's.
pub(crate) const UPSERT_FORM: &str = "INSERT INTO forms (organization_id, form_id, title_es, \
    title_en, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
    ON CONFLICT (organization_id, form_id) DO UPDATE SET title_es = excluded.title_es, \
    title_en = excluded.title_en, updated_at = excluded.updated_at";

pub(crate) const INSERT_VERSION: &str = "INSERT INTO form_versions (id, organization_id, \
    form_id, version, content_hash, definition, source, published_by, published_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

pub(crate) const SELECT_FORMS: &str = "SELECT f.form_id, f.title_es, f.title_en, \
    f.created_at, f.updated_at, \
    (SELECT COUNT(*) FROM form_versions v WHERE v.organization_id = f.organization_id \
     AND v.form_id = f.form_id) AS version_count, \
    (SELECT v.id FROM form_versions v WHERE v.organization_id = f.organization_id \
     AND v.form_id = f.form_id ORDER BY v.published_at DESC, v.id DESC LIMIT 1) \
     AS latest_version_id, \
    (SELECT v.version FROM form_versions v WHERE v.organization_id = f.organization_id \
     AND v.form_id = f.form_id ORDER BY v.published_at DESC, v.id DESC LIMIT 1) \
     AS latest_version \
    FROM forms f WHERE f.organization_id = $1 ORDER BY f.form_id";
