//! The text of a notification email, in Spanish or English, as plain text and HTML.

use std::fmt::Write;

use jiff::Timestamp;
use ronda_store::outbox::Language;

use super::payload::EventPayload;

/// A photo to show inside the HTML part, referenced as `cid:{content_id}`.
#[derive(Clone, Debug)]
pub struct InlinePhoto {
    pub content_id: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A rendered email, ready for the SMTP client.
#[derive(Clone, Debug)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub photos: Vec<InlinePhoto>,
}

/// Inputs of an email besides the payload.
pub struct EmailContext<'a> {
    pub kind: &'a str,
    pub language: Language,
    /// The console's base URL, such as `https://ronda.example.mx`; without it the email
    /// shows the visit's path alone.
    pub public_url: Option<&'a str>,
    /// When the event happened, used when the payload carries no finish time.
    pub occurred_at: Timestamp,
    pub photos: Vec<InlinePhoto>,
}

/// One labelled line of the email.
struct Line {
    label: &'static str,
    value: String,
}

pub fn render(payload: &EventPayload, context: EmailContext<'_>) -> RenderedEmail {
    let es = context.language == Language::Es;
    let pick = |spanish: &'static str, english: &'static str| if es { spanish } else { english };
    let none = pick("(sin dato)", "(not given)");
    let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| none.to_owned());

    let debtor = or_none(&payload.account.debtor_name);
    let result_label = if es {
        payload.result_label_es.clone()
    } else {
        payload.result_label_en.clone()
    }
    .or_else(|| payload.result_code.clone())
    .unwrap_or_else(|| none.to_owned());
    let headline = headline(context.kind, es);
    let subject = format!("{headline}: {debtor} · {result_label}");

    let mut lines = vec![
        Line {
            label: pick("Gestor", "Agent"),
            value: or_none(&payload.agent.name),
        },
        Line {
            label: pick("Cuenta", "Account"),
            value: account_text(payload, none),
        },
        Line {
            label: pick("Titular", "Debtor"),
            value: debtor.clone(),
        },
        Line {
            label: pick("Domicilio", "Address"),
            value: or_none(&payload.address.text),
        },
        Line {
            label: pick("Hora", "Time"),
            value: local_time(payload, context.occurred_at),
        },
        Line {
            label: pick("Resultado", "Result"),
            value: result_label.clone(),
        },
    ];
    if let Some(promise) = &payload.promise {
        let amount = promise
            .amount_cents
            .map(format_pesos)
            .unwrap_or_else(|| none.to_owned());
        let due = promise.due_date.clone().unwrap_or_else(|| none.to_owned());
        let mut value = format!("{amount}, {} {due}", pick("a pagar el", "due on"));
        if let Some(channel) = &promise.channel {
            let _ = write!(value, " ({channel})");
        }
        lines.push(Line {
            label: pick("Promesa de pago", "Promise to pay"),
            value,
        });
    }
    lines.push(Line {
        label: pick("Registro (check-in)", "Check-in"),
        value: verdict_text(payload, es, none),
    });

    let link = console_link(payload, context.public_url);
    let photo_note = photo_note(payload, &context.photos, es);
    let text = plain_text(
        &headline,
        &lines,
        link.as_deref(),
        photo_note.as_deref(),
        es,
    );
    let html = html(
        &headline,
        &lines,
        link.as_deref(),
        &context.photos,
        photo_note.as_deref(),
        es,
    );
    RenderedEmail {
        subject,
        text,
        html,
        photos: context.photos,
    }
}

fn headline(kind: &str, es: bool) -> String {
    let (spanish, english) = match kind {
        "visit.completed" => ("Visita terminada", "Visit completed"),
        "promise.created" => ("Nueva promesa de pago", "New promise to pay"),
        "checkin.rejected" => ("Registro rechazado", "Check-in rejected"),
        "account.wrong_party" => ("La persona no es el deudor", "Wrong party"),
        _ => ("Aviso de visita", "Visit notice"),
    };
    if es { spanish } else { english }.to_owned()
}

fn account_text(payload: &EventPayload, none: &str) -> String {
    let account = &payload.account;
    let mut parts = Vec::new();
    if let Some(lender) = &account.lender_name {
        parts.push(lender.clone());
    }
    if let Some(portfolio) = &account.portfolio_name {
        parts.push(portfolio.clone());
    }
    if let Some(number) = &account.lender_account_id {
        parts.push(number.clone());
    }
    if parts.is_empty() {
        none.to_owned()
    } else {
        parts.join(" · ")
    }
}

/// Formats the finish time in the address's time zone, such as
/// `04/12/2026 17:05 (America/Mexico_City)`. Falls back to the payload's local time text,
/// and then to UTC when the zone is unknown.
fn local_time(payload: &EventPayload, occurred_at: Timestamp) -> String {
    let at = payload
        .finished_at
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .unwrap_or(occurred_at);
    if let Some(zone_name) = &payload.address.time_zone
        && let Some(zone) = ronda_domain::portfolio::bundled_zone(zone_name)
    {
        let local = at.to_zoned_datetime(zone);
        return format!("{} ({zone_name})", local.strftime("%d/%m/%Y %H:%M"));
    }
    if let Some(text) = &payload.local_time {
        return text.clone();
    }
    format!("{} (UTC)", at.strftime("%d/%m/%Y %H:%M"))
}

/// Formats cents as Mexican pesos with thousands separators, such as `$1,234.50 MXN`.
pub fn format_pesos(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}${grouped}.{:02} MXN", cents % 100)
}

fn verdict_text(payload: &EventPayload, es: bool, none: &str) -> String {
    let Some(outcome) = payload.verdict.as_ref().and_then(|v| v.outcome.as_deref()) else {
        return none.to_owned();
    };
    let label = match (outcome, es) {
        ("verified", true) => "verificado",
        ("verified", false) => "verified",
        ("doubtful", true) => "dudoso",
        ("doubtful", false) => "doubtful",
        ("rejected", true) => "rechazado",
        ("rejected", false) => "rejected",
        (other, _) => other,
    };
    let reasons = payload.verdict_reason_codes();
    if reasons.is_empty() {
        label.to_owned()
    } else {
        format!("{label} ({})", reasons.join(", "))
    }
}

fn console_link(payload: &EventPayload, public_url: Option<&str>) -> Option<String> {
    let path = payload.console_path.as_deref()?;
    Some(match public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => path.to_owned(),
    })
}

/// Mentions photos that could not be shown inline.
fn photo_note(payload: &EventPayload, inline: &[InlinePhoto], es: bool) -> Option<String> {
    let missing = payload.photos.len().saturating_sub(inline.len());
    if missing == 0 {
        return None;
    }
    Some(if es {
        format!("{missing} foto(s) más en la consola.")
    } else {
        format!("{missing} more photo(s) in the console.")
    })
}

fn plain_text(
    headline: &str,
    lines: &[Line],
    link: Option<&str>,
    photo_note: Option<&str>,
    es: bool,
) -> String {
    let mut text = format!("{headline}\n\n");
    for line in lines {
        let _ = writeln!(text, "{}: {}", line.label, line.value);
    }
    if let Some(note) = photo_note {
        let _ = writeln!(text, "\n{note}");
    }
    if let Some(link) = link {
        let label = if es {
            "Ver la visita"
        } else {
            "Open the visit"
        };
        let _ = writeln!(text, "\n{label}: {link}");
    }
    text.push_str(footer(es));
    text.push('\n');
    text
}

fn footer(es: bool) -> &'static str {
    if es {
        "\n--\nRonda envió este aviso por una regla de notificación de tu organización."
    } else {
        "\n--\nRonda sent this notice because of a notification rule of your organization."
    }
}

fn html(
    headline: &str,
    lines: &[Line],
    link: Option<&str>,
    photos: &[InlinePhoto],
    photo_note: Option<&str>,
    es: bool,
) -> String {
    let lang = if es { "es" } else { "en" };
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;color:#1f2933\"><h2>{}</h2>\
         <table cellpadding=\"4\" style=\"border-collapse:collapse\">",
        escape(headline),
        escape(headline)
    );
    for line in lines {
        let _ = write!(
            html,
            "<tr><th align=\"left\" valign=\"top\">{}</th><td>{}</td></tr>",
            escape(line.label),
            escape(&line.value)
        );
    }
    html.push_str("</table>");
    if !photos.is_empty() {
        html.push_str("<p>");
        for photo in photos {
            let _ = write!(
                html,
                "<img src=\"cid:{}\" width=\"160\" alt=\"foto\" style=\"margin:4px\">",
                escape(&photo.content_id)
            );
        }
        html.push_str("</p>");
    }
    if let Some(note) = photo_note {
        let _ = write!(html, "<p>{}</p>", escape(note));
    }
    if let Some(link) = link {
        let label = if es {
            "Ver la visita en la consola"
        } else {
            "Open the visit in the console"
        };
        let _ = write!(
            html,
            "<p><a href=\"{}\">{}</a></p>",
            escape(link),
            escape(label)
        );
    }
    let _ = write!(
        html,
        "<p style=\"color:#7b8794;font-size:small\">{}</p></body></html>",
        escape(footer(es).trim_start_matches("\n--\n"))
    );
    html
}

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EventPayload {
        EventPayload::read(&serde_json::json!({
            "account": {"lender_name": "Banco <Norte>", "lender_account_id": "CR-1",
                "debtor_name": "Ana López"},
            "agent": {"name": "Beto Ruiz"},
            "address": {"text": "Calle 5 #10, Centro", "time_zone": "America/Mexico_City"},
            "finished_at": 1_764_889_500_000_i64,
            "result_code": "PTP", "result_label_es": "Promesa de pago",
            "result_label_en": "Promise to pay",
            "promise": {"amount_cents": 123_450, "due_date": "2025-12-10", "channel": "OXXO"},
            "verdict": {"outcome": "doubtful", "reasons": [{"code": "clock_offset"}]},
            "photos": ["aa", "bb"],
            "console_path": "/visitas/1"
        }))
    }

    fn context(language: Language) -> EmailContext<'static> {
        EmailContext {
            kind: "visit.completed",
            language,
            public_url: Some("https://ronda.example.mx/"),
            occurred_at: Timestamp::UNIX_EPOCH,
            photos: Vec::new(),
        }
    }

    #[test]
    fn spanish_email_has_every_line() {
        let email = render(&sample(), context(Language::Es));
        assert_eq!(
            email.subject,
            "Visita terminada: Ana López · Promesa de pago"
        );
        assert!(email.text.contains("Gestor: Beto Ruiz"), "{}", email.text);
        assert!(
            email
                .text
                .contains("$1,234.50 MXN, a pagar el 2025-12-10 (OXXO)")
        );
        // 1764889500000 ms is 2025-12-04 23:05 UTC, 17:05 in Mexico City (UTC-6).
        assert!(
            email
                .text
                .contains("04/12/2025 17:05 (America/Mexico_City)"),
            "{}",
            email.text
        );
        assert!(email.text.contains("dudoso (clock_offset)"));
        assert!(email.text.contains("https://ronda.example.mx/visitas/1"));
        assert!(email.text.contains("2 foto(s) más"));
    }

    #[test]
    fn english_email_and_html_escaping() {
        let email = render(&sample(), context(Language::En));
        assert!(email.subject.starts_with("Visit completed: "));
        assert!(email.html.contains("Banco &lt;Norte&gt;"));
        assert!(!email.html.contains("Banco <Norte>"));
        assert!(email.html.contains("<html lang=\"en\">"));
    }

    #[test]
    fn pesos_are_grouped() {
        assert_eq!(format_pesos(5), "$0.05 MXN");
        assert_eq!(format_pesos(100_000_000), "$1,000,000.00 MXN");
        assert_eq!(format_pesos(-123_456), "-$1,234.56 MXN");
    }
}
