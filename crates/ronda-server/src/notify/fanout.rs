//! Matching of events to rules and webhooks: pure functions over the event and the
//! organization's configuration, so the matching is tested without a store.

use ronda_store::outbox::{EventKind, Language, NotificationRule, Webhook};
use uuid::Uuid;

use super::payload::EventPayload;

/// One email to create: who receives it, in which language, because of which rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub rule_id: Uuid,
    pub email: String,
    pub language: Language,
}

/// Returns whether `rule` selects an event of `kind` with this payload. A rule's
/// filters compare against the payload's ids as text, case-insensitively.
pub fn rule_matches(rule: &NotificationRule, kind: EventKind, payload: &EventPayload) -> bool {
    let same = |filter: Option<String>, value: &Option<String>| match filter {
        None => true,
        Some(filter) => value
            .as_deref()
            .is_some_and(|value| value.eq_ignore_ascii_case(&filter)),
    };
    rule.active
        && rule.event_kinds.contains(&kind)
        && same(
            rule.lender_id.map(|id| id.to_string()),
            &payload.account.lender_id,
        )
        && same(
            rule.portfolio_id.map(|id| id.to_string()),
            &payload.account.portfolio_id,
        )
        && same(rule.agent_id.map(|id| id.0.to_string()), &payload.agent.id)
        && (rule.result_codes.is_empty()
            || payload
                .result_code
                .as_deref()
                .is_some_and(|code| rule.result_codes.iter().any(|c| c == code)))
}

/// Lists the recipients of an event over all matching rules, each address once. When
/// two rules name the same address, the first rule in `rules` order decides the language.
pub fn recipients(
    rules: &[NotificationRule],
    kind: EventKind,
    payload: &EventPayload,
) -> Vec<Recipient> {
    let mut recipients: Vec<Recipient> = Vec::new();
    for rule in rules
        .iter()
        .filter(|rule| rule_matches(rule, kind, payload))
    {
        for email in &rule.recipients {
            let email = email.trim().to_lowercase();
            if recipients.iter().any(|known| known.email == email) {
                continue;
            }
            recipients.push(Recipient {
                rule_id: rule.id,
                email,
                language: rule.language,
            });
        }
    }
    recipients
}

/// Lists the active webhooks subscribed to `kind`.
pub fn webhooks(webhooks: &[Webhook], kind: EventKind) -> Vec<Uuid> {
    webhooks
        .iter()
        .filter(|webhook| webhook.active && webhook.kinds.contains(&kind))
        .map(|webhook| webhook.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use ronda_domain::{OrganizationId, UserId};

    use super::*;

    fn rule(recipients: &[&str]) -> NotificationRule {
        NotificationRule {
            id: Uuid::now_v7(),
            organization_id: OrganizationId::new(),
            name: "regla".into(),
            event_kinds: vec![EventKind::VisitCompleted],
            lender_id: None,
            portfolio_id: None,
            agent_id: None,
            result_codes: Vec::new(),
            recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
            language: Language::Es,
            active: true,
            created_at: Timestamp::now(),
            updated_at: Timestamp::now(),
        }
    }

    fn payload(lender: Uuid, agent: UserId, code: &str) -> EventPayload {
        EventPayload::read(&serde_json::json!({
            "account": {"lender_id": lender.to_string(), "portfolio_id": Uuid::nil().to_string()},
            "agent": {"id": agent.0.to_string()},
            "result_code": code,
        }))
    }

    #[test]
    fn every_filter_must_match() {
        let lender = Uuid::now_v7();
        let agent = UserId::new();
        let event = payload(lender, agent, "PTP");
        let mut by_lender = rule(&["a@b.mx"]);
        by_lender.lender_id = Some(lender);
        assert!(rule_matches(&by_lender, EventKind::VisitCompleted, &event));
        by_lender.lender_id = Some(Uuid::now_v7());
        assert!(!rule_matches(&by_lender, EventKind::VisitCompleted, &event));

        let mut by_code = rule(&["a@b.mx"]);
        by_code.result_codes = vec!["NOBODY_HOME".into()];
        assert!(!rule_matches(&by_code, EventKind::VisitCompleted, &event));
        by_code.result_codes.push("PTP".into());
        assert!(rule_matches(&by_code, EventKind::VisitCompleted, &event));

        let mut by_agent = rule(&["a@b.mx"]);
        by_agent.agent_id = Some(UserId::new());
        assert!(!rule_matches(&by_agent, EventKind::VisitCompleted, &event));
    }

    #[test]
    fn kind_and_active_flag_apply() {
        let event = payload(Uuid::now_v7(), UserId::new(), "PTP");
        let mut any = rule(&["a@b.mx"]);
        assert!(!rule_matches(&any, EventKind::PromiseCreated, &event));
        any.active = false;
        assert!(!rule_matches(&any, EventKind::VisitCompleted, &event));
    }

    #[test]
    fn filter_on_missing_payload_field_does_not_match() {
        let mut by_lender = rule(&["a@b.mx"]);
        by_lender.lender_id = Some(Uuid::now_v7());
        let empty = EventPayload::default();
        assert!(!rule_matches(&by_lender, EventKind::VisitCompleted, &empty));
    }

    #[test]
    fn recipients_are_unique_and_first_rule_wins() {
        let event = payload(Uuid::now_v7(), UserId::new(), "PTP");
        let first = rule(&["Ana@Norte.mx", "beto@norte.mx"]);
        let mut second = rule(&["ana@norte.mx", "carla@norte.mx"]);
        second.language = Language::En;
        let list = recipients(
            &[first.clone(), second.clone()],
            EventKind::VisitCompleted,
            &event,
        );
        let emails: Vec<&str> = list.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(emails, ["ana@norte.mx", "beto@norte.mx", "carla@norte.mx"]);
        assert_eq!(list[0].rule_id, first.id);
        assert_eq!(list[2].language, Language::En);
    }
}
