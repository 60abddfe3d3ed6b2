//! The event payload snapshot, read leniently: a field that is missing or of the wrong
//! type becomes empty instead of stopping the notification.

use serde::Deserialize;
use serde_json::Value;

/// What emails, rules and webhooks read from an event's payload.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventPayload {
    pub visit_id: Option<String>,
    pub account: AccountSnapshot,
    pub agent: AgentSnapshot,
    pub address: AddressSnapshot,
    /// Unix milliseconds.
    pub finished_at: Option<i64>,
    /// RFC 3339 with the offset of the address's time zone.
    pub local_time: Option<String>,
    pub result_code: Option<String>,
    pub result_label_es: Option<String>,
    pub result_label_en: Option<String>,
    pub person_met: Option<String>,
    pub promise: Option<PromiseSnapshot>,
    pub verdict: Option<VerdictSnapshot>,
    /// SHA-256 (hex) of each photo.
    pub photos: Vec<String>,
    /// Path of the visit in the console, such as `/visitas/{id}`.
    pub console_path: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountSnapshot {
    pub id: Option<String>,
    pub lender_id: Option<String>,
    pub lender_name: Option<String>,
    pub portfolio_id: Option<String>,
    pub portfolio_name: Option<String>,
    pub lender_account_id: Option<String>,
    pub debtor_name: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AgentSnapshot {
    pub id: Option<String>,
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddressSnapshot {
    pub text: Option<String>,
    /// IANA time zone, such as `America/Mexico_City`.
    pub time_zone: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PromiseSnapshot {
    pub amount_cents: Option<i64>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub channel: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct VerdictSnapshot {
    /// `verified`, `doubtful` or `rejected`.
    pub outcome: Option<String>,
    pub reasons: Vec<Value>,
}

impl EventPayload {
    /// Reads a payload; a payload that is not an object, or whose fields have
    /// unexpected types, gives the fields that could be read.
    pub fn read(value: &Value) -> Self {
        if let Ok(payload) = serde_json::from_value::<EventPayload>(value.clone()) {
            return payload;
        }
        let Some(object) = value.as_object() else {
            return Self::default();
        };
        // Field by field, so one field of the wrong type loses only itself.
        let field = |name: &str| object.get(name).cloned().unwrap_or(Value::Null);
        let text = |name: &str| field(name).as_str().map(str::to_owned);
        Self {
            visit_id: text("visit_id"),
            account: serde_json::from_value(field("account")).unwrap_or_default(),
            agent: serde_json::from_value(field("agent")).unwrap_or_default(),
            address: serde_json::from_value(field("address")).unwrap_or_default(),
            finished_at: field("finished_at").as_i64(),
            local_time: text("local_time"),
            result_code: text("result_code"),
            result_label_es: text("result_label_es"),
            result_label_en: text("result_label_en"),
            person_met: text("person_met"),
            promise: serde_json::from_value(field("promise")).unwrap_or_default(),
            verdict: serde_json::from_value(field("verdict")).unwrap_or_default(),
            photos: serde_json::from_value(field("photos")).unwrap_or_default(),
            console_path: text("console_path"),
        }
    }

    /// Returns the reason codes of the check-in verdict.
    pub fn verdict_reason_codes(&self) -> Vec<String> {
        let Some(verdict) = &self.verdict else {
            return Vec::new();
        };
        verdict
            .reasons
            .iter()
            .filter_map(|reason| match reason {
                Value::String(code) => Some(code.clone()),
                Value::Object(fields) => fields
                    .get("code")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_snapshot() {
        let value = serde_json::json!({
            "visit_id": "v1",
            "account": {"lender_id": "l1", "debtor_name": "Ana"},
            "agent": {"id": "a1", "name": "Beto"},
            "promise": {"amount_cents": 150000, "due_date": "2026-12-10", "channel": "oxxo"},
            "verdict": {"outcome": "doubtful", "reasons": [{"code": "clock_offset", "offset_ms": 400000}]},
            "photos": ["ab"]
        });
        let payload = EventPayload::read(&value);
        assert_eq!(payload.account.lender_id.as_deref(), Some("l1"));
        assert_eq!(payload.promise.and_then(|p| p.amount_cents), Some(150000));
    }

    #[test]
    fn wrong_field_type_loses_only_that_field() {
        let value = serde_json::json!({"agent": {"name": "Beto"}, "photos": "not a list"});
        let payload = EventPayload::read(&value);
        assert_eq!(payload.agent.name.as_deref(), Some("Beto"));
        assert!(payload.photos.is_empty());
    }

    #[test]
    fn reason_codes_from_objects_and_strings() {
        let value = serde_json::json!({"verdict": {"outcome": "rejected",
            "reasons": [{"code": "mock_location"}, "far_from_address", 3]}});
        let payload = EventPayload::read(&value);
        assert_eq!(
            payload.verdict_reason_codes(),
            vec!["mock_location".to_owned(), "far_from_address".to_owned()]
        );
    }
}
