//! Lenders, portfolios and account imports, on SQLite and on PostgreSQL.

use std::sync::Arc;

use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_store::portfolio::{
    AccountImport, AccountQuery, AddressImport, GeoPoint, Geocode, ImportCounts, Lender, Portfolio,
};
use ronda_store::{Actor, AuditEvent, Constraint, Organization, Store, StoreError, testing};
use uuid::Uuid;

fn audit(org: OrganizationId, action: &'static str) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind: "portfolio",
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

async fn lender_and_portfolio(
    store: &Arc<dyn Store>,
    org: OrganizationId,
    name: &str,
) -> Portfolio {
    let lender = Lender {
        id: Uuid::now_v7(),
        organization_id: org,
        name: name.into(),
        redeco_registration: Some("REDECO-123".into()),
        complaint_unit_contact: Some("une@financiera.mx".into()),
        collection_phones: vec!["55 1234 5678".into()],
        payment_references: vec!["BBVA CIE 1234567".into()],
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
        name: "Noviembre 2026".into(),
        account_count: 0,
        created_at: Timestamp::now(),
    };
    store
        .create_portfolio(&portfolio, &audit(org, "portfolio.created"))
        .await
        .expect("portfolio");
    portfolio
}

fn account(id: &str, name: &str, overdue_cents: i64, point: Option<(f64, f64)>) -> AccountImport {
    AccountImport {
        lender_account_id: id.into(),
        product: Some("Crédito personal".into()),
        principal_cents: Some(5_000_000),
        overdue_cents: Some(overdue_cents),
        days_past_due: Some(45),
        currency: "MXN".into(),
        custom_fields: serde_json::json!({"Sucursal": "Centro"}),
        debtor_name: name.into(),
        phones: vec!["55 1111 2222".into()],
        emails: vec![],
        address: AddressImport {
            street: Some("Av. Juárez".into()),
            exterior_number: Some("S/N".into()),
            postal_code: Some("06000".into()),
            municipality: Some("Cuauhtémoc".into()),
            state: Some("Ciudad de México".into()),
            original_text: "Av. Juárez S/N, Col. Centro, C.P. 06000".into(),
            geocode: point.map(|(latitude, longitude)| Geocode {
                point: GeoPoint {
                    latitude,
                    longitude,
                },
                source: "file".into(),
                confidence: 1.0,
            }),
            time_zone: Some("America/Mexico_City".into()),
            ..AddressImport::default()
        },
    }
}

async fn story(store: Arc<dyn Store>) {
    let norte = organization(&store, "Despacho Norte").await;
    let sur = organization(&store, "Despacho Sur").await;
    let portfolio = lender_and_portfolio(&store, norte, "Financiera del Bajío").await;
    let sur_portfolio = lender_and_portfolio(&store, sur, "Financiera del Bajío").await;

    // Names are unique per organization, not across organizations.
    let duplicate = Lender {
        id: Uuid::now_v7(),
        ..store
            .lender(norte, portfolio.lender_id)
            .await
            .expect("read")
            .expect("lender")
    };
    let error = store
        .create_lender(&duplicate, &audit(norte, "lender.created"))
        .await
        .expect_err("duplicate");
    assert!(
        matches!(error, StoreError::Conflict(Constraint::LenderName)),
        "{error:?}"
    );
    assert_eq!(store.lenders(norte).await.expect("list").len(), 1);
    assert!(
        store
            .lender(sur, portfolio.lender_id)
            .await
            .expect("read")
            .is_none(),
        "other organization"
    );

    let accounts = [
        account("CR-1", "María Peña", 1_234_550, Some((19.4326, -99.1332))),
        account("CR-2", "José Núñez", 90_000, None),
    ];

    // A dry run counts exactly and writes nothing.
    let dry = store
        .import_accounts(
            &portfolio,
            &accounts,
            false,
            &audit(norte, "portfolio.imported"),
        )
        .await
        .expect("dry run");
    assert_eq!(
        dry,
        ImportCounts {
            created: 2,
            updated: 0,
            unchanged: 0
        }
    );
    let (page, total) = store
        .accounts(
            norte,
            &AccountQuery {
                limit: 50,
                ..AccountQuery::default()
            },
        )
        .await
        .expect("list");
    assert_eq!((page.len(), total), (0, 0));

    let first = store
        .import_accounts(
            &portfolio,
            &accounts,
            true,
            &audit(norte, "portfolio.imported"),
        )
        .await
        .expect("import");
    assert_eq!(
        first,
        ImportCounts {
            created: 2,
            updated: 0,
            unchanged: 0
        }
    );

    // Re-importing updates by the lender's account id.
    let changed = [
        accounts[0].clone(),
        account("CR-2", "José Núñez", 95_000, None),
        account("CR-3", "Ana Ruiz", 10, None),
    ];
    let second = store
        .import_accounts(
            &portfolio,
            &changed,
            true,
            &audit(norte, "portfolio.imported"),
        )
        .await
        .expect("import");
    assert_eq!(
        second,
        ImportCounts {
            created: 1,
            updated: 1,
            unchanged: 1
        }
    );

    let query = AccountQuery {
        portfolio_id: Some(portfolio.id),
        limit: 2,
        ..AccountQuery::default()
    };
    let (page, total) = store.accounts(norte, &query).await.expect("list");
    assert_eq!(total, 3);
    assert_eq!(
        page.iter()
            .map(|a| a.lender_account_id.as_str())
            .collect::<Vec<_>>(),
        ["CR-1", "CR-2"]
    );
    assert_eq!(page[0].debtor_name, "María Peña");
    assert_eq!(page[0].lender_name, "Financiera del Bajío");
    assert!(!page[0].needs_pin, "the file had coordinates");
    assert!(page[1].needs_pin, "no point: a supervisor must pin it");
    assert_eq!(page[1].overdue_cents, Some(95_000));
    assert_eq!(page[0].time_zone.as_deref(), Some("America/Mexico_City"));

    let second_page = AccountQuery {
        offset: 2,
        ..query.clone()
    };
    let (page, _) = store.accounts(norte, &second_page).await.expect("list");
    assert_eq!(
        page.iter()
            .map(|a| a.lender_account_id.as_str())
            .collect::<Vec<_>>(),
        ["CR-3"]
    );

    for (search, expected) in [
        ("peña", vec!["CR-1"]),
        ("PENA", vec!["CR-1"]),
        ("maría", vec!["CR-1"]),
        ("nunez", vec!["CR-2"]),
        ("cr-2", vec!["CR-2"]),
        ("100%", vec![]),
        // Only punctuation: nothing to search, so every account is listed.
        ("_", vec!["CR-1", "CR-2", "CR-3"]),
    ] {
        let query = AccountQuery {
            search: Some(search.into()),
            limit: 50,
            ..AccountQuery::default()
        };
        let (page, _) = store.accounts(norte, &query).await.expect("search");
        let ids: Vec<&str> = page.iter().map(|a| a.lender_account_id.as_str()).collect();
        assert_eq!(ids, expected, "search {search:?}");
    }

    let listed = store.portfolios(norte, None).await.expect("portfolios");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].account_count, 3);
    assert_eq!(
        store
            .portfolio(norte, portfolio.id)
            .await
            .expect("read")
            .map(|p| p.account_count),
        Some(3)
    );
    assert!(
        store
            .portfolio(sur, portfolio.id)
            .await
            .expect("read")
            .is_none(),
        "other organization"
    );

    // The other organization reads none of it, even with the same lender name and ids.
    let (sur_page, sur_total) = store
        .accounts(
            sur,
            &AccountQuery {
                limit: 50,
                ..AccountQuery::default()
            },
        )
        .await
        .expect("list");
    assert_eq!((sur_page.len(), sur_total), (0, 0));
    let sur_import = store
        .import_accounts(
            &sur_portfolio,
            &accounts[..1],
            true,
            &audit(sur, "portfolio.imported"),
        )
        .await
        .expect("import");
    assert_eq!(
        sur_import.created, 1,
        "same lender account id, other organization"
    );

    // An import that fails half-way leaves nothing behind.
    let mut bad = account("CR-9", "Roto", 1, None);
    bad.address.postal_code = Some("123".into());
    let batch = [account("CR-8", "Bien", 1, None), bad];
    assert!(
        store
            .import_accounts(
                &portfolio,
                &batch,
                true,
                &audit(norte, "portfolio.imported")
            )
            .await
            .is_err()
    );
    let (_, total) = store
        .accounts(
            norte,
            &AccountQuery {
                limit: 50,
                ..AccountQuery::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(total, 3, "CR-8 was rolled back with the failed row");

    store
        .save_import_template(
            norte,
            portfolio.lender_id,
            "Formato Bajío",
            &serde_json::json!(["lender_account_id"]),
        )
        .await
        .expect("template");
    store
        .save_import_template(
            norte,
            portfolio.lender_id,
            "Formato Bajío",
            &serde_json::json!(["debtor_name"]),
        )
        .await
        .expect("template replaced");
}

#[tokio::test]
async fn portfolio_story_sqlite() {
    let test = testing::sqlite().await;
    story(test.store.clone()).await;
}

#[tokio::test]
async fn portfolio_story_postgres() {
    if let Some(test) = testing::postgres().await {
        story(test.store.clone()).await;
    }
}
