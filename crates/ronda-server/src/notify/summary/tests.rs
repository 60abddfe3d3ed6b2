use jiff::civil::date;
use ronda_domain::UserId;
use ronda_store::outbox::{DayVisit, Language};

use super::{render, summarize};

fn visit(agent: UserId, name: &str, verdict: &str, code: &str, cents: Option<i64>) -> DayVisit {
    DayVisit {
        agent_id: agent,
        agent_name: name.into(),
        verdict: verdict.into(),
        result_code: Some(code.into()),
        promise_amount_cents: cents,
        exception: None,
    }
}

fn right_party(code: &str) -> bool {
    ["PTP", "PAID", "REFUSED"].contains(&code)
}

#[test]
fn totals_and_agents_add_up() {
    let (ana, beto) = (UserId::new(), UserId::new());
    let mut not_found = visit(beto, "Beto Ruiz", "doubtful", "NOT_FOUND", None);
    not_found.exception = Some("address_not_found".into());
    let visits = [
        visit(ana, "Ana Gómez", "verified", "PTP", Some(250_000)),
        visit(beto, "Beto Ruiz", "verified", "REFUSED", None),
        visit(ana, "Ana Gómez", "rejected", "PAID", None),
        not_found,
        visit(beto, "Beto Ruiz", "verified", "PTP", Some(120_050)),
        visit(beto, "Beto Ruiz", "verified", "MESSAGE_LEFT", None),
    ];
    let summary = summarize(
        date(2026, 12, 4),
        "America/Mexico_City",
        &visits,
        right_party,
    );

    assert_eq!(summary.day, "2026-12-04");
    let t = &summary.totals;
    assert_eq!(t.visits, 6);
    assert_eq!((t.verified, t.doubtful, t.rejected), (4, 1, 1));
    assert_eq!(t.right_party, 4);
    assert_eq!(t.successes, 3, "two promises and a payment");
    assert_eq!(t.promises, 2);
    assert_eq!(t.promised_cents, 370_050);
    assert_eq!(t.addresses_not_found, 1);

    assert_eq!(summary.agents.len(), 2);
    assert_eq!(summary.agents[0].name, "Beto Ruiz", "busiest first");
    assert_eq!(summary.agents[0].counts.visits, 4);
    assert_eq!(summary.agents[0].counts.promised_cents, 120_050);
    assert_eq!(summary.agents[1].counts.verified, 1);
}

#[test]
fn email_in_both_languages() {
    let ana = UserId::new();
    let visits = [visit(
        ana,
        "Ana <Gómez>",
        "verified",
        "PTP",
        Some(1_234_550),
    )];
    let summary = summarize(
        date(2026, 12, 4),
        "America/Mexico_City",
        &visits,
        right_party,
    );
    let payload = serde_json::to_value(&summary).expect("payload");

    let spanish = render(&payload, Language::Es);
    assert_eq!(spanish.subject, "Resumen del día 2026-12-04");
    assert!(spanish.text.contains("Visitas: 1"), "{}", spanish.text);
    assert!(
        spanish.text.contains("Monto prometido: $12,345.50 MXN (1)"),
        "{}",
        spanish.text
    );
    assert!(
        spanish.html.contains("Ana &lt;Gómez&gt;"),
        "names are escaped"
    );

    let english = render(&payload, Language::En);
    assert_eq!(english.subject, "Daily summary 2026-12-04");
    assert!(
        english.text.contains("Right-party contacts: 1"),
        "{}",
        english.text
    );
}

#[test]
fn empty_day_says_so() {
    let summary = summarize(date(2026, 12, 4), "America/Mexico_City", &[], right_party);
    let payload = serde_json::to_value(&summary).expect("payload");
    let email = render(&payload, Language::Es);
    assert!(
        email.text.contains("No hubo visitas ese día."),
        "{}",
        email.text
    );
    assert!(email.text.contains("Visitas: 0"));
}
