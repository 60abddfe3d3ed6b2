//! The daily summary: once per local day, each organization with a rule for
//! `daily.summary` gets an event with the previous day's numbers, which the rule's
//! recipients receive by email like any other event.

use std::collections::HashMap;
use std::fmt::Write;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use ronda_domain::OrganizationId;
use ronda_store::outbox::{DayVisit, EventKind, Language, NewEvent};
use ronda_store::{Store, StoreResult};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::email::{RenderedEmail, escape, format_pesos};

/// Result codes that count as a success: a promise, an agreement or a payment.
const SUCCESS_CODES: [&str; 3] = ["PTP", "AGREEMENT", "PAID"];

/// Counts over a set of visits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub visits: u32,
    pub verified: u32,
    pub doubtful: u32,
    pub rejected: u32,
    /// Visits whose result reached the right party (result class `success`).
    pub right_party: u32,
    /// Promises, agreements and payments.
    pub successes: u32,
    pub promises: u32,
    pub promised_cents: i64,
    pub pin_corrections: u32,
    pub addresses_not_found: u32,
}

impl Counts {
    fn add(&mut self, visit: &DayVisit, right_party: bool) {
        self.visits += 1;
        match visit.verdict.as_str() {
            "verified" => self.verified += 1,
            "doubtful" => self.doubtful += 1,
            _ => self.rejected += 1,
        }
        self.right_party += u32::from(right_party);
        let code = visit.result_code.as_deref().unwrap_or_default();
        self.successes += u32::from(SUCCESS_CODES.contains(&code));
        if let Some(cents) = visit.promise_amount_cents {
            self.promises += 1;
            self.promised_cents += cents;
        }
        match visit.exception.as_deref() {
            Some("pin_correction") => self.pin_corrections += 1,
            Some("address_not_found") => self.addresses_not_found += 1,
            _ => {}
        }
    }
}

/// One agent's line of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCounts {
    pub agent_id: Uuid,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The payload of a `daily.summary` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySummary {
    /// The local day summarized, `YYYY-MM-DD`.
    pub day: String,
    pub time_zone: String,
    pub totals: Counts,
    /// Agents with visits that day, the busiest first.
    pub agents: Vec<AgentCounts>,
}

/// Adds up a day's visits. `right_party` returns whether a result code reached the right
/// party.
pub fn summarize(
    day: Date,
    time_zone: &str,
    visits: &[DayVisit],
    right_party: impl Fn(&str) -> bool,
) -> DailySummary {
    let mut totals = Counts::default();
    let mut agents: Vec<AgentCounts> = Vec::new();
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    for visit in visits {
        let reached = visit.result_code.as_deref().is_some_and(&right_party);
        totals.add(visit, reached);
        let slot = *index.entry(visit.agent_id.0).or_insert_with(|| {
            agents.push(AgentCounts {
                agent_id: visit.agent_id.0,
                name: visit.agent_name.clone(),
                counts: Counts::default(),
            });
            agents.len() - 1
        });
        agents[slot].counts.add(visit, reached);
    }
    agents.sort_by(|a, b| {
        b.counts
            .visits
            .cmp(&a.counts.visits)
            .then_with(|| a.name.cmp(&b.name))
    });
    DailySummary {
        day: day.to_string(),
        time_zone: time_zone.to_owned(),
        totals,
        agents,
    }
}

/// Records the summary of yesterday for every organization with a summary rule, once
/// `now` has reached `send_hour` in `zone`. Returns how many summaries were recorded;
/// a day already recorded counts nothing.
pub async fn record_due(
    store: &dyn Store,
    zone: &TimeZone,
    send_hour: i8,
    now: Timestamp,
) -> StoreResult<usize> {
    let local = now.to_zoned_datetime(zone.clone());
    if local.hour() < send_hour {
        return Ok(0);
    }
    let Ok(day) = local.date().yesterday() else {
        return Ok(0);
    };
    let (Ok(start), Ok(end)) = (
        day.to_zoned_datetime(zone.clone()),
        local.date().to_zoned_datetime(zone.clone()),
    ) else {
        return Ok(0);
    };
    let mut recorded = 0;
    for org in store.organizations_with_daily_summary().await? {
        if record_one(
            store,
            org,
            day,
            zone,
            start.timestamp(),
            end.timestamp(),
            now,
        )
        .await?
        {
            recorded += 1;
        }
    }
    Ok(recorded)
}

async fn record_one(
    store: &dyn Store,
    org: OrganizationId,
    day: Date,
    zone: &TimeZone,
    start: Timestamp,
    end: Timestamp,
    now: Timestamp,
) -> StoreResult<bool> {
    let visits = store.day_visits(org, start, end).await?;
    let codes = store.result_codes(org).await?;
    let right_party = |code: &str| {
        codes
            .iter()
            .any(|known| known.code == code && known.class == "success")
    };
    let zone_name = zone.iana_name().unwrap_or("UTC");
    let summary = summarize(day, zone_name, &visits, right_party);
    let payload = serde_json::to_value(&summary).unwrap_or_default();
    let event = NewEvent {
        id: Uuid::now_v7(),
        organization_id: org,
        kind: EventKind::DailySummary,
        subject_id: org.0,
        payload,
        occurred_at: start,
        created_at: now,
    };
    let stored = store.record_daily_summary(&event).await?;
    if stored {
        tracing::info!(org.id = %org, day = %day, visits = visits.len(), "daily summary recorded");
    }
    Ok(stored)
}

/// Renders the summary email in the recipient's language.
pub fn render(payload: &serde_json::Value, language: Language) -> RenderedEmail {
    let es = language == Language::Es;
    let pick = |spanish: &'static str, english: &'static str| if es { spanish } else { english };
    let summary: DailySummary =
        serde_json::from_value(payload.clone()).unwrap_or_else(|_| DailySummary {
            day: String::new(),
            time_zone: String::new(),
            totals: Counts::default(),
            agents: Vec::new(),
        });
    let subject = format!(
        "{} {}",
        pick("Resumen del día", "Daily summary"),
        summary.day
    );
    let t = &summary.totals;
    let totals = [
        (pick("Visitas", "Visits"), t.visits.to_string()),
        (
            pick(
                "Verificadas / dudosas / rechazadas",
                "Verified / doubtful / rejected",
            ),
            format!("{} / {} / {}", t.verified, t.doubtful, t.rejected),
        ),
        (
            pick("Contacto con el titular", "Right-party contacts"),
            t.right_party.to_string(),
        ),
        (
            pick(
                "Promesas, convenios y pagos",
                "Promises, agreements and payments",
            ),
            t.successes.to_string(),
        ),
        (
            pick("Monto prometido", "Amount promised"),
            format!("{} ({})", format_pesos(t.promised_cents), t.promises),
        ),
        (
            pick("Correcciones de ubicación", "Pin corrections"),
            t.pin_corrections.to_string(),
        ),
        (
            pick("Domicilios no localizados", "Addresses not found"),
            t.addresses_not_found.to_string(),
        ),
    ];
    let headers = [
        pick("Gestor", "Agent"),
        pick("Visitas", "Visits"),
        pick("Verificadas", "Verified"),
        pick("Promesas", "Promises"),
        pick("Monto prometido", "Amount promised"),
    ];
    let rows: Vec<[String; 5]> = summary
        .agents
        .iter()
        .map(|agent| {
            [
                agent.name.clone(),
                agent.counts.visits.to_string(),
                agent.counts.verified.to_string(),
                agent.counts.promises.to_string(),
                format_pesos(agent.counts.promised_cents),
            ]
        })
        .collect();
    let zone_line = format!(
        "{} {}",
        pick("Zona horaria:", "Time zone:"),
        summary.time_zone
    );
    let empty = pick("No hubo visitas ese día.", "There were no visits that day.");

    let mut text = format!("{subject}\n{zone_line}\n\n");
    for (label, value) in &totals {
        let _ = writeln!(text, "{label}: {value}");
    }
    text.push('\n');
    if rows.is_empty() {
        let _ = writeln!(text, "{empty}");
    }
    for row in &rows {
        let _ = writeln!(
            text,
            "{}: {} {}, {} {}, {} {} ({})",
            row[0],
            row[1],
            headers[1].to_lowercase(),
            row[2],
            headers[2].to_lowercase(),
            row[3],
            headers[3].to_lowercase(),
            row[4]
        );
    }

    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:sans-serif\">\
         <h1 style=\"font-size:20px\">{}</h1><p>{}</p><table>",
        if es { "es" } else { "en" },
        escape(&subject),
        escape(&zone_line)
    );
    for (label, value) in &totals {
        let _ = write!(
            html,
            "<tr><th style=\"text-align:left;padding-right:12px\">{}</th><td>{}</td></tr>",
            escape(label),
            escape(value)
        );
    }
    html.push_str("</table>");
    if rows.is_empty() {
        let _ = write!(html, "<p>{}</p>", escape(empty));
    } else {
        html.push_str("<table style=\"border-collapse:collapse;margin-top:16px\"><tr>");
        for header in headers {
            let _ = write!(
                html,
                "<th style=\"text-align:left;padding:4px 8px\">{}</th>",
                escape(header)
            );
        }
        html.push_str("</tr>");
        for row in &rows {
            html.push_str("<tr>");
            for cell in row {
                let _ = write!(html, "<td style=\"padding:4px 8px\">{}</td>", escape(cell));
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>");
    }
    html.push_str("</body></html>");
    RenderedEmail {
        subject,
        text,
        html,
        photos: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
