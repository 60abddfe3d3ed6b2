//! Assignments of accounts to agents, on SQLite and on PostgreSQL.

use std::sync::Arc;

use jiff::Timestamp;
use ronda_domain::zone::Zone;
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_store::assignment::{
    AgentProblem, AssignOutcome, AssignmentBatch, AssignmentCounts, DEFAULT_DAILY_CAPACITY,
};
use ronda_store::portfolio::{
    AccountImport, AccountQuery, AddressImport, GeoPoint, Geocode, Lender, Portfolio,
};
use ronda_store::{Actor, AuditEvent, NewUser, Organization, Store, User, testing};
use uuid::Uuid;

fn audit(org: OrganizationId, action: &'static str) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind: "assignment",
        target_id: None,
        details: serde_json::json!({}),
        at: Timestamp::now(),
    }
}

async fn organization(store: &Arc<dyn Store>, name: &str) -> OrganizationId {
    let org = Organization {
        id: OrganizationId::new(),
        name: name.into(),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created"))
        .await
        .expect("organization");
    org.id
}

async fn user(store: &Arc<dyn Store>, org: OrganizationId, email: &str, role: Role) -> User {
    let user = NewUser {
        id: UserId::new(),
        organization_id: org,
        email: Email::parse("email", email).expect("email"),
        name: PersonName::parse("name", email).expect("name"),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: Timestamp::now(),
    };
    store
        .create_user(&user, &audit(org, "user.created"))
        .await
        .expect("user")
}

fn account(id: &str, postal_code: &str, municipality: &str, point: (f64, f64)) -> AccountImport {
    AccountImport {
        lender_account_id: id.into(),
        product: None,
        principal_cents: None,
        overdue_cents: Some(10_000),
        days_past_due: Some(30),
        currency: "MXN".into(),
        custom_fields: serde_json::json!({}),
        debtor_name: format!("Titular {id}"),
        phones: vec![],
        emails: vec![],
        address: AddressImport {
            postal_code: Some(postal_code.into()),
            municipality: Some(municipality.into()),
            original_text: format!("Calle 1, C.P. {postal_code}"),
            geocode: Some(Geocode {
                point: GeoPoint {
                    latitude: point.0,
                    longitude: point.1,
                },
                source: "file".into(),
                confidence: 1.0,
            }),
            ..AddressImport::default()
        },
    }
}

/// Imports the accounts into a new portfolio and returns their ids by lender account id.
async fn import(
    store: &Arc<dyn Store>,
    org: OrganizationId,
    accounts: &[AccountImport],
) -> (Portfolio, Vec<Uuid>) {
    let lender = Lender {
        id: Uuid::now_v7(),
        organization_id: org,
        name: "Financiera del Bajío".into(),
        redeco_registration: None,
        complaint_unit_contact: None,
        collection_phones: vec![],
        payment_references: vec![],
        created_at: Timestamp::now(),
    };
    store
        .create_lender(&lender, &audit(org, "lender.created"))
        .await
        .expect("lender");
    let portfolio = Portfolio {
        id: Uuid::now_v7(),
        organization_id: org,
        lender_id: lender.id,
        lender_name: lender.name.clone(),
        name: "Diciembre 2026".into(),
        account_count: 0,
        created_at: Timestamp::now(),
    };
    store
        .create_portfolio(&portfolio, &audit(org, "portfolio.created"))
        .await
        .expect("portfolio");
    store
        .import_accounts(
            &portfolio,
            accounts,
            true,
            &audit(org, "portfolio.imported"),
        )
        .await
        .expect("import");
    let query = AccountQuery {
        portfolio_id: Some(portfolio.id),
        limit: 100,
        ..AccountQuery::default()
    };
    let (page, _) = store.accounts(org, &query).await.expect("list");
    (portfolio, page.into_iter().map(|a| a.id).collect())
}

fn batch(org: OrganizationId, agent: &User, account_ids: &[Uuid]) -> AssignmentBatch {
    AssignmentBatch {
        organization_id: org,
        agent_id: agent.id,
        account_ids: account_ids.to_vec(),
        assigned_by: None,
        capacity_days: 1,
        allow_over_capacity: false,
    }
}

async fn story(store: Arc<dyn Store>) {
    let norte = organization(&store, "Despacho Norte").await;
    let sur = organization(&store, "Despacho Sur").await;
    let ana = user(&store, norte, "ana@norte.mx", Role::Agent).await;
    let beto = user(&store, norte, "beto@norte.mx", Role::Agent).await;
    let supervisor = user(&store, norte, "supervisora@norte.mx", Role::Supervisor).await;
    let sur_agent = user(&store, sur, "carla@sur.mx", Role::Agent).await;

    // Ids sort by lender account id: CR-1 .. CR-4.
    let (portfolio, ids) = import(
        &store,
        norte,
        &[
            account("CR-1", "06000", "Cuauhtémoc", (19.4326, -99.1332)),
            account("CR-2", "06000", "CUAUHTEMOC", (19.4300, -99.1400)),
            account("CR-3", "64000", "Monterrey", (25.6866, -100.3161)),
            account("CR-4", "01000", "Álvaro Obregón", (19.3600, -99.1900)),
        ],
    )
    .await;
    let (_, sur_ids) = import(
        &store,
        sur,
        &[account("SUR-1", "06000", "Cuauhtémoc", (19.43, -99.13))],
    )
    .await;

    // Selections.
    let by_code = store
        .account_ids_by_postal_codes(norte, &["06000".into(), "01000".into()], None)
        .await
        .expect("postal codes");
    assert_eq!(by_code, [ids[0], ids[1], ids[3]]);
    let by_code_in_other_portfolio = store
        .account_ids_by_postal_codes(norte, &["06000".into()], Some(Uuid::now_v7()))
        .await
        .expect("postal codes");
    assert!(by_code_in_other_portfolio.is_empty());
    let by_name = store
        .account_ids_by_municipality(norte, "cuauhtemoc", Some(portfolio.id))
        .await
        .expect("municipality");
    assert_eq!(by_name, [ids[0], ids[1]], "case and accents ignored");
    let accented = store
        .account_ids_by_municipality(norte, "ALVARO OBREGÓN", None)
        .await
        .expect("municipality");
    assert_eq!(accented, [ids[3]]);
    // A "U" over central Mexico City with CR-2 in the notch and CR-1 in the east arm.
    let zone = Zone::new(&[
        [19.42, -99.15],
        [19.42, -99.12],
        [19.44, -99.12],
        [19.44, -99.135],
        [19.425, -99.135],
        [19.425, -99.145],
        [19.44, -99.145],
        [19.44, -99.15],
    ])
    .expect("zone");
    let in_zone = store
        .account_ids_in_zone(norte, &zone, None)
        .await
        .expect("zone");
    assert_eq!(in_zone, [ids[0]], "CR-2 lies in the notch");

    // Assign, then reassign part of it.
    let first = store
        .assign_accounts(
            &batch(norte, &ana, &ids[..3]),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("assign");
    assert_eq!(
        first,
        AssignOutcome::Done(AssignmentCounts {
            assigned: 3,
            reassigned: 0,
            unchanged: 0,
            agent_load: 3,
            daily_capacity: DEFAULT_DAILY_CAPACITY,
            over_capacity: false,
        })
    );
    let duplicated = [ids[1], ids[2], ids[2], ids[3]];
    let second = store
        .assign_accounts(
            &batch(norte, &beto, &duplicated),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("reassign");
    let AssignOutcome::Done(counts) = second else {
        panic!("expected a reassignment, got {second:?}");
    };
    assert_eq!(
        (counts.assigned, counts.reassigned, counts.unchanged),
        (1, 2, 0)
    );
    assert_eq!(counts.agent_load, 3);

    let history = store
        .assignment_history(norte, ids[1])
        .await
        .expect("history")
        .expect("account exists");
    assert_eq!(history.len(), 2, "reassignment keeps history");
    assert_eq!(history[0].agent_id, beto.id);
    assert!(history[0].unassigned_at.is_none(), "newest is current");
    assert_eq!(history[1].agent_id, ana.id);
    assert!(history[1].unassigned_at.is_some(), "older one was closed");

    let loads = store.agent_loads(norte).await.expect("loads");
    let load_of = |agent: &User| {
        loads
            .iter()
            .find(|load| load.agent_id == agent.id)
            .map(|load| load.current_assignments)
    };
    assert_eq!(load_of(&ana), Some(1));
    assert_eq!(load_of(&beto), Some(3));
    assert_eq!(loads.len(), 2, "only agents are listed");

    // With two visits per day, Beto cannot take a fourth account unless allowed.
    let set = store
        .set_daily_capacity(norte, beto.id, 2, &audit(norte, "agent.capacity_set"))
        .await
        .expect("capacity");
    assert_eq!(set, Ok(()));
    assert_eq!(
        store.daily_capacity(norte, beto.id).await.expect("read"),
        Ok(2)
    );
    let rejected = store
        .assign_accounts(
            &batch(norte, &beto, &ids[..1]),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("over capacity");
    assert_eq!(
        rejected,
        AssignOutcome::OverCapacity {
            agent_load: 4,
            daily_capacity: 2
        }
    );
    let mut two_days = batch(norte, &beto, &ids[..1]);
    two_days.capacity_days = 2;
    assert!(matches!(
        store
            .assign_accounts(&two_days, &audit(norte, "assignment.created"))
            .await
            .expect("two days"),
        AssignOutcome::Done(AssignmentCounts {
            agent_load: 4,
            over_capacity: false,
            ..
        })
    ));
    let unchanged = store
        .assignment_history(norte, ids[0])
        .await
        .expect("history")
        .expect("account");
    assert_eq!(unchanged[0].agent_id, beto.id);

    let mut forced = batch(norte, &beto, &ids[..1]);
    forced.allow_over_capacity = true;
    let AssignOutcome::Done(forced) = store
        .assign_accounts(&forced, &audit(norte, "assignment.created"))
        .await
        .expect("override")
    else {
        panic!("override must assign");
    };
    assert_eq!(forced.unchanged, 1);
    assert!(forced.over_capacity);

    // Nothing is written for a wrong agent or a foreign account.
    let not_agent = store
        .assign_accounts(
            &batch(norte, &supervisor, &ids[..1]),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("supervisor");
    assert_eq!(not_agent, AssignOutcome::Agent(AgentProblem::NotAnAgent));
    let foreign_agent = store
        .assign_accounts(
            &batch(norte, &sur_agent, &ids[..1]),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("foreign agent");
    assert_eq!(foreign_agent, AssignOutcome::Agent(AgentProblem::NotFound));
    let mixed = [ids[3], sur_ids[0]];
    let foreign_account = store
        .assign_accounts(
            &batch(norte, &ana, &mixed),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("foreign account");
    assert_eq!(
        foreign_account,
        AssignOutcome::UnknownAccounts(vec![sur_ids[0]])
    );
    let cr4 = store
        .assignment_history(norte, ids[3])
        .await
        .expect("history")
        .expect("account");
    assert_eq!(cr4.len(), 1, "CR-4 was not moved to Ana");
    assert!(
        store
            .assignment_history(norte, sur_ids[0])
            .await
            .expect("history")
            .is_none(),
        "other organization's account"
    );
    assert_eq!(
        store
            .set_daily_capacity(norte, supervisor.id, 5, &audit(norte, "agent.capacity_set"))
            .await
            .expect("capacity"),
        Err(AgentProblem::NotAnAgent)
    );

    // Deactivated agents receive nothing.
    store
        .set_user_active(norte, ana.id, false, &audit(norte, "user.deactivated"))
        .await
        .expect("deactivate");
    let inactive = store
        .assign_accounts(
            &batch(norte, &ana, &ids[3..]),
            &audit(norte, "assignment.created"),
        )
        .await
        .expect("inactive");
    assert_eq!(inactive, AssignOutcome::Agent(AgentProblem::Inactive));

    // Unassigning closes the current assignment once.
    let closed = store
        .unassign_account(norte, ids[3], &audit(norte, "assignment.ended"))
        .await
        .expect("unassign")
        .expect("was assigned");
    assert_eq!(closed.agent_id, beto.id);
    assert!(closed.unassigned_at.is_some());
    assert!(
        store
            .unassign_account(norte, ids[3], &audit(norte, "assignment.ended"))
            .await
            .expect("again")
            .is_none()
    );
    assert!(
        store
            .unassign_account(sur, ids[0], &audit(sur, "assignment.ended"))
            .await
            .expect("foreign")
            .is_none()
    );
    let mut allowed = batch(norte, &beto, &ids[3..]);
    allowed.allow_over_capacity = true;
    let AssignOutcome::Done(again) = store
        .assign_accounts(&allowed, &audit(norte, "assignment.created"))
        .await
        .expect("assign again")
    else {
        panic!("assign again");
    };
    assert_eq!(again.assigned, 1, "an unassigned account counts as new");
}

#[tokio::test]
async fn assignment_story_sqlite() {
    let test = testing::sqlite().await;
    story(test.store.clone()).await;
}

#[tokio::test]
async fn assignment_story_postgres() {
    if let Some(test) = testing::postgres().await {
        story(test.store.clone()).await;
    }
}
