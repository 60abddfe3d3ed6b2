//! Readable labels for the dimension values of a custom report, in the caller's language.

use std::collections::HashMap;

use ronda_domain::OrganizationId;
use ronda_store::report::Dimension;

use crate::error::ApiError;
use crate::i18n::Locale;
use crate::state::AppState;

/// Names of the ids and codes that appear in a report, loaded once per report.
pub(crate) struct Labels {
    locale: Locale,
    names: HashMap<(Dimension, String), String>,
}

impl Labels {
    /// Loads the names the report's dimensions need: agents, lenders, portfolios and
    /// result codes of the organization.
    pub(crate) async fn load(
        state: &AppState,
        org: OrganizationId,
        locale: Locale,
        dimensions: &[Dimension],
    ) -> Result<Labels, ApiError> {
        let store = state.store();
        let mut names = HashMap::new();
        if dimensions.contains(&Dimension::Agent) {
            for user in store.users(org).await? {
                names.insert((Dimension::Agent, user.id.0.to_string()), user.name);
            }
        }
        if dimensions.contains(&Dimension::Lender) {
            for lender in store.lenders(org).await? {
                names.insert((Dimension::Lender, lender.id.to_string()), lender.name);
            }
        }
        if dimensions.contains(&Dimension::Portfolio) {
            for portfolio in store.portfolios(org, None).await? {
                let name = format!("{} · {}", portfolio.lender_name, portfolio.name);
                names.insert((Dimension::Portfolio, portfolio.id.to_string()), name);
            }
        }
        if dimensions.contains(&Dimension::ResultCode) {
            for code in store.result_codes(org).await? {
                let label = match locale {
                    Locale::Es => code.label_es,
                    Locale::En => code.label_en,
                };
                names.insert((Dimension::ResultCode, code.code), label);
            }
        }
        Ok(Labels { locale, names })
    }

    /// Returns the label of one dimension value, or the value itself when it has none.
    pub(crate) fn label(&self, dimension: Dimension, key: &str) -> String {
        if let Some(name) = self.names.get(&(dimension, key.to_owned())) {
            return name.clone();
        }
        let es = self.locale == Locale::Es;
        match dimension {
            Dimension::Hour => {
                let hour: i8 = key.parse().unwrap_or(0);
                super::reports_export::hours(hour)
            }
            Dimension::Weekday => {
                let day: i8 = key.parse().unwrap_or(1);
                super::reports_export::weekday(self.locale, day).to_owned()
            }
            Dimension::Zone => zone_label(key, es),
            Dimension::Verdict => fixed_label(VERDICT_LABELS, key, es),
            Dimension::ReasonClass => fixed_label(REASON_LABELS, key, es),
            Dimension::Channel => fixed_label(CHANNEL_LABELS, key, es),
            Dimension::ResultCode if key.is_empty() => {
                (if es { "Sin resultado" } else { "No result" }).to_owned()
            }
            _ => key.to_owned(),
        }
    }
}

type FixedLabels = &'static [(&'static str, &'static str, &'static str)];

const VERDICT_LABELS: FixedLabels = &[
    ("verified", "Verificada", "Verified"),
    ("doubtful", "Dudosa", "Doubtful"),
    ("rejected", "Rechazada", "Rejected"),
    ("none", "Sin registro de llegada", "No check-in"),
];
const REASON_LABELS: FixedLabels = &[
    ("location", "Ubicación", "Location"),
    ("schedule", "Horario", "Schedule"),
    ("device", "Dispositivo", "Device"),
    ("track", "Recorrido", "Track"),
    ("declared", "Excepción declarada", "Declared exception"),
    ("", "Sin hallazgo", "No finding"),
];
const CHANNEL_LABELS: FixedLabels = &[
    ("visit", "Visita", "Visit"),
    ("phone", "Teléfono", "Phone"),
    ("email", "Correo", "Email"),
    ("sms", "SMS", "SMS"),
    ("whatsapp", "WhatsApp", "WhatsApp"),
];

fn fixed_label(labels: FixedLabels, key: &str, es: bool) -> String {
    labels
        .iter()
        .find(|(code, _, _)| *code == key)
        .map(|(_, spanish, english)| if es { *spanish } else { *english })
        .unwrap_or(key)
        .to_owned()
}

/// Turns `state|municipality` into "Municipality, State".
fn zone_label(key: &str, es: bool) -> String {
    let (state, municipality) = key.split_once('|').unwrap_or((key, ""));
    match (state.is_empty(), municipality.is_empty()) {
        (true, true) => (if es { "Sin zona" } else { "No zone" }).to_owned(),
        (false, true) => state.to_owned(),
        (true, false) => municipality.to_owned(),
        (false, false) => format!("{municipality}, {state}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_label_reads_municipality_first() {
        assert_eq!(
            zone_label("Quintana Roo|Benito Juárez", true),
            "Benito Juárez, Quintana Roo"
        );
        assert_eq!(zone_label("|", true), "Sin zona");
        assert_eq!(zone_label("Jalisco|", false), "Jalisco");
    }

    #[test]
    fn fixed_labels_fall_back_to_the_key() {
        assert_eq!(fixed_label(VERDICT_LABELS, "doubtful", true), "Dudosa");
        assert_eq!(fixed_label(CHANNEL_LABELS, "fax", true), "fax");
    }
}
