//! Editing a lender's data, and the column mappings saved for its imports.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use ronda_domain::{Permission, PersonName};
use ronda_store::portfolio::Lender;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::lenders::{CreateLenderRequest, LenderView, clean_list, optional_text};
use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/lenders/{id}", put(update_lender))
        .route("/api/lenders/{id}/import-templates", get(list_templates))
}

async fn own_lender(state: &AppState, principal: &Principal, id: &str) -> Result<Lender, ApiError> {
    let id = parse_id("id", id)?;
    state
        .store()
        .lender(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Replaces a lender's name, REDECO registration, complaint unit contact, collection
/// phones and payment references.
#[utoipa::path(put, path = "/api/lenders/{id}", tag = "portfolios", request_body = CreateLenderRequest,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = LenderView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "lender_name_taken")))]
pub async fn update_lender(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CreateLenderRequest>,
) -> Result<Json<LenderView>, ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let current = own_lender(&state, &principal, &id).await?;
    let name = PersonName::parse("name", &request.name)?;
    let lender = Lender {
        name: name.as_str().to_owned(),
        redeco_registration: optional_text(request.redeco_registration),
        complaint_unit_contact: optional_text(request.complaint_unit_contact),
        collection_phones: clean_list(request.collection_phones),
        payment_references: clean_list(request.payment_references),
        ..current
    };
    let audit = principal.audit(
        "lender.updated",
        "lender",
        Some(lender.id.to_string()),
        serde_json::json!({ "name": lender.name }),
    );
    if !state.store().update_lender(&lender, &audit).await? {
        return Err(ApiError::not_found());
    }
    Ok(Json(lender.into()))
}

/// One column of a saved mapping: the header it was saved from, when known, and its field.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateColumn {
    /// `null` for mappings saved before headers were kept; they apply by position.
    pub header: Option<String>,
    /// The field, or `null` to keep the column as a custom field.
    pub field: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportTemplateView {
    pub id: uuid::Uuid,
    pub name: String,
    pub columns: Vec<TemplateColumn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportTemplateList {
    pub templates: Vec<ImportTemplateView>,
}

/// Reads both shapes of a saved mapping: `{"headers", "fields"}` or a plain field array.
fn columns(mapping: &serde_json::Value) -> Vec<TemplateColumn> {
    let text = |value: &serde_json::Value| value.as_str().map(str::to_owned);
    match mapping {
        serde_json::Value::Array(fields) => fields
            .iter()
            .map(|field| TemplateColumn {
                header: None,
                field: text(field),
            })
            .collect(),
        serde_json::Value::Object(object) => {
            let empty = Vec::new();
            let headers = object
                .get("headers")
                .and_then(|h| h.as_array())
                .unwrap_or(&empty);
            let fields = object
                .get("fields")
                .and_then(|f| f.as_array())
                .unwrap_or(&empty);
            headers
                .iter()
                .zip(fields)
                .map(|(header, field)| TemplateColumn {
                    header: text(header),
                    field: text(field),
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Lists the column mappings saved for a lender's imports.
#[utoipa::path(get, path = "/api/lenders/{id}/import-templates", tag = "portfolios",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ImportTemplateList), (status = 404, body = ErrorBody)))]
pub async fn list_templates(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<ImportTemplateList>, ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let lender = own_lender(&state, &principal, &id).await?;
    let templates = state
        .store()
        .import_templates(principal.organization_id, lender.id)
        .await?;
    Ok(Json(ImportTemplateList {
        templates: templates
            .into_iter()
            .map(|template| ImportTemplateView {
                id: template.id,
                columns: columns(&template.mapping),
                name: template.name,
            })
            .collect(),
    }))
}
