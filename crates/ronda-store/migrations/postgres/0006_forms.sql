-- Forms (questionnaires) and their published versions. A version never changes once
-- published: a change adds a version, so a visit started on an older version is still
-- checked against the version it names.
CREATE TABLE forms (
    organization_id uuid NOT NULL
        CONSTRAINT forms_organization_id_fkey REFERENCES organizations (id),
    -- The form's own identifier (XLSForm settings form_id), unique per organization.
    form_id text NOT NULL,
    title_es text,
    title_en text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    CONSTRAINT forms_pkey PRIMARY KEY (organization_id, form_id)
);

CREATE TABLE form_versions (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    form_id text NOT NULL,
    -- The version label (XLSForm settings version).
    version text NOT NULL,
    -- SHA-256 hex of the definition's canonical JSON.
    content_hash text NOT NULL,
    -- The form definition as JSON (spec/forms/model.md).
    definition text NOT NULL,
    source text NOT NULL
        CONSTRAINT form_versions_source_check CHECK (source IN ('xlsform', 'json', 'template')),
    published_by uuid CONSTRAINT form_versions_published_by_fkey REFERENCES users (id),
    published_at bigint NOT NULL,
    CONSTRAINT form_versions_form_fkey FOREIGN KEY (organization_id, form_id)
        REFERENCES forms (organization_id, form_id),
    CONSTRAINT form_versions_content_key UNIQUE (organization_id, form_id, content_hash),
    CONSTRAINT form_versions_version_key UNIQUE (organization_id, form_id, version)
);
CREATE INDEX form_versions_published_idx ON form_versions (organization_id, form_id, published_at);
