//! Seeds the running demo server through its API, as an admin would from the console:
//! the shipped questionnaires and one XLSForm, a tracking device per agent, each agent's
//! day of accounts, and notification rules whose emails wait in the outbox.

use std::collections::HashMap;

use anyhow::Context;
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use super::client::ApiClient;
use super::gpx::{Point, offset_from};
use super::people;

/// Accounts each agent gets: a day's work under the default capacity of 25 visits a day.
pub const ACCOUNTS_PER_AGENT: usize = 20;

/// The shipped templates the demo installs.
const TEMPLATES: [&str; 2] = ["visita_cobranza", "verificacion_domiciliaria"];

/// A real XLSForm from pyxform's test suite; see data/SOURCES.txt.
const XLSFORM_FILE_NAME: &str = "pyxform_choice_filter_test.xlsx";
const XLSFORM: &[u8] = include_bytes!("../../data/pyxform_choice_filter_test.xlsx");

/// Recipient of the visit emails: a lender's collection desk, on a reserved domain so no
/// message can reach a real mailbox even after someone configures SMTP.
const LENDER_DESK: &str = "cobranza@financiera-del-valle.example";

/// An agent with the tracking device the demo registered for them.
#[derive(Clone)]
pub struct AgentDevice {
    pub email: &'static str,
    pub device_identifier: String,
    pub secret: String,
}

/// An account id with the point of its address.
#[derive(Clone, Copy, Debug)]
pub struct PlacedAccount {
    pub id: Uuid,
    pub point: Point,
}

/// Splits accounts into up to `groups` groups of `size` nearby accounts. Each group starts
/// from the free account whose `size`-th nearest free neighbour is closest (the densest
/// spot left) and takes its nearest free accounts, so every agent's day stays compact.
pub fn nearby_groups(accounts: &[PlacedAccount], groups: usize, size: usize) -> Vec<Vec<Uuid>> {
    let mut free: Vec<PlacedAccount> = accounts.to_vec();
    let mut chosen = Vec::new();
    while chosen.len() < groups && free.len() >= size && size > 0 {
        let by_distance = |centre: Point, free: &[PlacedAccount]| {
            let mut distances: Vec<(f64, usize)> = free
                .iter()
                .enumerate()
                .map(|(index, account)| (offset_from(centre, account.point).length_m(), index))
                .collect();
            distances.sort_by(|a, b| a.0.total_cmp(&b.0));
            distances
        };
        let seed = free
            .iter()
            .map(|account| (by_distance(account.point, &free)[size - 1].0, account.point))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(free[0].point, |(_, point)| point);
        let mut nearest: Vec<usize> = by_distance(seed, &free)
            .into_iter()
            .take(size)
            .map(|(_, index)| index)
            .collect();
        let group = nearest.iter().map(|index| free[*index].id).collect();
        nearest.sort_unstable_by(|a, b| b.cmp(a));
        for index in nearest {
            free.swap_remove(index);
        }
        chosen.push(group);
    }
    chosen
}

/// Installs the forms, registers one OsmAnd device per agent, assigns `groups` (one per
/// agent, in the order of [`people::agents`]) and creates the notification rules.
/// Returns the agents with their device secrets.
pub async fn seed(admin: &ApiClient, groups: &[Vec<Uuid>]) -> anyhow::Result<Vec<AgentDevice>> {
    install_forms(admin).await?;
    let users = admin
        .expect(Method::GET, "/api/users", None, &[StatusCode::OK])
        .await?;
    let ids: HashMap<String, String> = users["users"]
        .as_array()
        .context("GET /api/users returned no users array")?
        .iter()
        .filter_map(|user| {
            Some((
                user["email"].as_str()?.to_owned(),
                user["id"].as_str()?.to_owned(),
            ))
        })
        .collect();

    let mut devices = Vec::new();
    for (agent, group) in
        people::agents().zip(groups.iter().map(Some).chain(std::iter::repeat(None)))
    {
        let agent_id = ids
            .get(agent.email)
            .with_context(|| format!("user {} was not created", agent.email))?;
        let first_name = agent.name.split(' ').next().unwrap_or(agent.name);
        let created = admin
            .expect(
                Method::POST,
                "/api/devices",
                Some(&json!({
                    "agent_id": agent_id,
                    "name": format!("Teléfono de {first_name}"),
                    "kind": "osmand",
                })),
                &[StatusCode::CREATED],
            )
            .await?;
        devices.push(AgentDevice {
            email: agent.email,
            device_identifier: created["device"]["device_identifier"]
                .as_str()
                .context("the created device has no device_identifier")?
                .to_owned(),
            secret: created["secret"]
                .as_str()
                .context("the created device has no secret")?
                .to_owned(),
        });
        if let Some(group) = group {
            let body =
                json!({ "agent_id": agent_id, "account_ids": group, "allow_over_capacity": true });
            admin
                .expect(
                    Method::POST,
                    "/api/assignments",
                    Some(&body),
                    &[StatusCode::OK],
                )
                .await?;
        }
    }
    create_rules(admin).await?;
    Ok(devices)
}

async fn install_forms(admin: &ApiClient) -> anyhow::Result<()> {
    for template in TEMPLATES {
        admin
            .expect(
                Method::POST,
                &format!("/api/forms/templates/{template}"),
                Some(&json!({})),
                &[StatusCode::CREATED, StatusCode::OK],
            )
            .await?;
    }
    let upload = admin
        .post_file(
            "/api/forms",
            XLSFORM_FILE_NAME,
            XLSFORM,
            &[("dry_run", "false")],
        )
        .await?;
    anyhow::ensure!(
        upload.status == StatusCode::CREATED,
        "uploading {XLSFORM_FILE_NAME} returned {}: {}",
        upload.status,
        upload.body
    );
    Ok(())
}

async fn create_rules(admin: &ApiClient) -> anyhow::Result<()> {
    let visits = json!({
        "name": "Avisos de visitas para Financiera del Valle",
        "event_kinds": ["visit.completed", "promise.created", "checkin.rejected"],
        "recipients": [LENDER_DESK],
        "language": "es",
    });
    let supervisors: Vec<&str> = people::supervisors().map(|user| user.email).collect();
    let summary = json!({
        "name": "Resumen diario para supervisores",
        "event_kinds": ["daily.summary"],
        "recipients": supervisors,
        "language": "es",
    });
    for rule in [visits, summary] {
        admin
            .expect(
                Method::POST,
                "/api/notifications/rules",
                Some(&rule),
                &[StatusCode::CREATED],
            )
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(latitude: f64, longitude: f64) -> PlacedAccount {
        PlacedAccount {
            id: Uuid::new_v4(),
            point: Point {
                latitude,
                longitude,
            },
        }
    }

    #[test]
    fn bundled_xlsform_imports() {
        let form = ronda_forms::xlsform::import_file(XLSFORM, XLSFORM_FILE_NAME);
        assert!(form.is_ok(), "{:?}", form.err());
    }

    #[test]
    fn groups_are_compact_and_disjoint() {
        // Two clusters 20 km apart, four accounts each, and one stray account.
        let mut accounts = Vec::new();
        for index in 0..4 {
            let step = f64::from(index) * 0.001;
            accounts.push(account(19.40 + step, -99.15));
            accounts.push(account(19.58 + step, -99.15));
        }
        accounts.push(account(19.0, -98.0));
        let groups = nearby_groups(&accounts, 3, 4);
        assert_eq!(
            groups.len(),
            2,
            "the stray account cannot fill a third group"
        );
        let point_of = |id: &Uuid| accounts.iter().find(|a| a.id == *id).expect("id").point;
        for group in &groups {
            assert_eq!(group.len(), 4);
            let first = point_of(&group[0]);
            for id in group {
                let distance = offset_from(first, point_of(id)).length_m();
                assert!(distance < 1_000.0, "group spans {distance} m");
            }
        }
        let mut all: Vec<&Uuid> = groups.iter().flatten().collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 8);
    }
}
