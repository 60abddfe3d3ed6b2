//! The events a received visit produces, with the snapshot that notifications send, so
//! no email or webhook has to read the visit tables.

use jiff::Timestamp;
use ronda_domain::checkin::{Outcome, Verdict};
use ronda_store::visit::{NewEvent, ResultCode, VisitContext};
use serde_json::{Value, json};
use uuid::Uuid;

use super::visit_request::CollectionFacts;

/// Everything the payload snapshot is made of.
pub struct VisitSnapshot<'a> {
    pub visit_id: Uuid,
    pub context: &'a VisitContext,
    pub agent_id: Uuid,
    pub agent_name: &'a str,
    pub finished_at: Timestamp,
    pub facts: &'a CollectionFacts,
    pub result: Option<&'a ResultCode>,
    pub verdict: &'a Verdict,
    pub photos: Vec<String>,
}

impl VisitSnapshot<'_> {
    /// Builds the payload every event of this visit carries.
    pub fn payload(&self) -> Value {
        let context = self.context;
        let address = &context.address;
        let zone = address
            .time_zone
            .as_deref()
            .and_then(ronda_domain::portfolio::bundled_zone)
            .unwrap_or(jiff::tz::TimeZone::UTC);
        let local_time = self
            .finished_at
            .to_zoned_datetime(zone)
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string();
        let promise = self.facts.promise_amount_cents.map(|amount_cents| {
            json!({
                "amount_cents": amount_cents,
                "due_date": self.facts.promise_date,
                "channel": self.facts.promise_channel,
            })
        });
        json!({
            "visit_id": self.visit_id,
            "account": {
                "id": context.account_id,
                "lender_id": context.lender_id,
                "lender_name": context.lender_name,
                "portfolio_id": context.portfolio_id,
                "portfolio_name": context.portfolio_name,
                "lender_account_id": context.lender_account_id,
                "debtor_name": context.debtor_name,
            },
            "agent": { "id": self.agent_id, "name": self.agent_name },
            "address": { "text": address.original_text, "time_zone": address.time_zone },
            "finished_at": self.finished_at.as_millisecond(),
            "local_time": local_time,
            "result_code": self.facts.result_code,
            "result_label_es": self.result.map(|code| code.label_es.clone()),
            "result_label_en": self.result.map(|code| code.label_en.clone()),
            "person_met": self.facts.person_met,
            "promise": promise,
            "verdict": { "outcome": self.verdict.outcome, "reasons": self.verdict.reasons },
            "photos": self.photos,
            "console_path": format!("/#/visits/{}", self.visit_id),
        })
    }

    fn event(&self, kind: &str, payload: &Value) -> NewEvent {
        NewEvent {
            id: Uuid::now_v7(),
            kind: kind.to_owned(),
            subject_id: self.visit_id,
            payload: payload.clone(),
            occurred_at: self.finished_at,
        }
    }

    /// Returns the events written as soon as the visit arrives: a rejected check-in, so a
    /// supervisor hears of it while photos are still uploading.
    pub fn receipt_events(&self, payload: &Value) -> Vec<NewEvent> {
        if self.verdict.outcome == Outcome::Rejected {
            vec![self.event("checkin.rejected", payload)]
        } else {
            Vec::new()
        }
    }

    /// Returns the events written when the visit is complete with every attachment.
    pub fn completion_events(&self, payload: &Value) -> Vec<NewEvent> {
        let mut events = vec![self.event("visit.completed", payload)];
        if self.facts.promise_amount_cents.is_some() {
            events.push(self.event("promise.created", payload));
        }
        if self.facts.result_code.as_deref() == Some("WRONG_PARTY") {
            events.push(self.event("account.wrong_party", payload));
        }
        events
    }
}

/// Maps a stored event kind to its name on the live feed, which carries visits and
/// rejected check-ins only.
pub fn live_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "visit.completed" => Some("visit.completed"),
        "checkin.rejected" => Some("checkin.rejected"),
        _ => None,
    }
}
