//! The OpenAPI 3.1 description of the API, served at `/api/openapi.json`.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::api::field;
use crate::api::forms;
use crate::api::import_jobs;
use crate::api::lender_settings;
use crate::api::today;
use crate::api::webhooks;
use crate::api::{
    accounts, assignments, audit, auth, devices, imports, lenders, tokens, tracking, users, views,
};
use crate::api::{accounts_detail, contact_attempts};
use crate::api::{agent_profile, invitations, organization};
use crate::api::{funnel, payments, productivity};
use crate::api::{live, notifications, reports, reports_export, result_codes, smtp_settings};
use crate::api::{reports_custom_export, reports_query, reports_saved, reports_shares};
use crate::api::{visits, visits_detail, visits_pin};
use crate::error::{ErrorBody, ErrorCode};
use crate::tracking::{osmand, owntracks};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ronda API",
        description = "Field operations for collection agencies. Authenticate with a bearer API \
            token, or with the session cookie plus the X-CSRF-Token header for requests that \
            change data. Errors are {code, message, field}; messages follow Accept-Language \
            (Spanish when absent)."
    ),
    paths(
        auth::login, auth::logout, auth::current_session,
        users::list_users, users::create_user, users::get_user, users::deactivate_user,
        users::reactivate_user,
        tokens::list_tokens, tokens::create_token, tokens::get_token, tokens::revoke_token,
        organization::get_organization, organization::put_organization,
        agent_profile::get_profile, agent_profile::put_profile, invitations::create_invitation,
        audit::list_entries, audit::get_entry,
        lenders::list_lenders, lenders::create_lender, lenders::list_portfolios,
        lenders::create_portfolio, lender_settings::update_lender,
        lender_settings::list_templates, imports::preview, imports::import, import_jobs::start_job,
        import_jobs::get_job, today::today, accounts::list_accounts,
        assignments::assign, assignments::unassign, assignments::history,
        assignments::set_capacity, assignments::agent_loads,
        devices::list_devices, devices::create_device, devices::revoke_device,
        tracking::live_positions, tracking::agent_day,
        field::day::day_package, field::shifts::put_shift, field::shifts::settings,
        field::shifts::set_settings, field::positions::post_positions, field::visits::put_visit,
        field::visits::receipt, field::attachments::put_attachment,
        field::attachments::get_attachment,
        notifications::list_rules, notifications::get_rule, notifications::create_rule,
        notifications::update_rule, notifications::delete_rule, notifications::list_deliveries,
        notifications::retry_delivery, smtp_settings::get_smtp, smtp_settings::put_smtp,
        smtp_settings::delete_smtp, smtp_settings::send_test, webhooks::list_webhooks,
        webhooks::get_webhook, webhooks::create_webhook, webhooks::update_webhook,
        webhooks::delete_webhook, webhooks::list_deliveries, webhooks::list_attempts,
        webhooks::retry_delivery, live::live, reports::contact_hours, reports::zones,
        reports_export::export_contact_hours, result_codes::list_result_codes,
        result_codes::put_result_code,
        forms::list_forms, forms::upload_form, forms::list_versions, forms::get_version,
        forms::download_version, forms::list_templates, forms::install_template,
        visits::list_visits, visits_detail::get_visit, visits_detail::get_attachment,
        visits_pin::decide_pin_correction,
        accounts_detail::get_account, contact_attempts::record_contact_attempt,
        contact_attempts::set_address_point,
        payments::preview, payments::import, productivity::productivity, funnel::funnel,
        payments::promises::list_promises,
        reports_query::query_report, reports_custom_export::export_query,
        reports_saved::list_saved, reports_saved::create_saved, reports_saved::get_saved,
        reports_saved::update_saved, reports_saved::delete_saved, reports_saved::run_saved,
        reports_custom_export::export_saved, reports_shares::create_share,
        reports_shares::list_shares, reports_shares::revoke_share, reports_shares::shared_report,
        osmand::ingest_with_path, osmand::ingest_with_header, owntracks::ingest,
    ),
    components(schemas(ErrorBody, ErrorCode, views::UserView, views::OrganizationView,
        views::ApiTokenView, views::AuditEntryView)),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("session" = [])),
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "owntracks_basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod schema_names;
