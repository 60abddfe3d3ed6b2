//! Integration tests of the HTTP server, built as one test binary so the workspace
//! links the server once for all of them.

#[macro_use]
mod support;

mod field_common;
#[macro_use]
mod notify_support;

mod accounts_detail;
mod agent_alerts;
mod agent_profile;
mod assignments;
mod auth;
mod contact_promises;
mod edge;
mod field;
mod field_route;
mod field_verdicts;
mod forms;
mod geocoding;
mod import_jobs;
mod imports;
mod invitations;
mod lender_settings;
mod notify_api;
mod notify_email;
mod notify_summary;
mod notify_tls;
mod openapi_shapes;
mod organization;
mod payments;
mod productivity;
mod promise_list;
mod reports;
mod reports_custom;
mod result_codes;
mod roles;
mod tenancy;
mod today;
mod tracking;
mod tracking_cache;
mod tracking_day_visits;
mod tracking_days;
mod tracking_port;
mod tracking_store_ids;
mod visits;
