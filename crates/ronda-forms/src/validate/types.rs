//! Whether an answer's text fits its question type.

use crate::model::QuestionType;

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// An XPath number: `-?(\d+(\.\d*)?|\.\d+)`, without surrounding spaces.
pub(super) fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    match unsigned.split_once('.') {
        None => all_digits(unsigned),
        Some((whole, fraction)) => {
            (all_digits(whole) && (fraction.is_empty() || all_digits(fraction)))
                || (whole.is_empty() && all_digits(fraction))
        }
    }
}

fn is_integer(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    all_digits(unsigned) && unsigned.len() <= 15
}

fn number_in(text: &str, width: usize, max: u32) -> Option<u32> {
    if text.len() != width || !all_digits(text) {
        return None;
    }
    text.parse().ok().filter(|value| *value <= max)
}

pub(super) fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (
        number_in(year, 4, 9999),
        number_in(month, 2, 12),
        number_in(day, 2, 31),
    ) else {
        return false;
    };
    if year == 0 || month == 0 || day == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days_in_month
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`, then optionally `Z` or `±HH:MM`.
pub(super) fn is_time(text: &str) -> bool {
    let (clock, offset) = split_offset(text);
    if let Some(offset) = offset
        && offset != "Z"
    {
        let Some(rest) = offset.strip_prefix(['+', '-']) else {
            return false;
        };
        let Some((hours, minutes)) = rest.split_once(':') else {
            return false;
        };
        if number_in(hours, 2, 14).is_none() || number_in(minutes, 2, 59).is_none() {
            return false;
        }
    }
    let parts: Vec<&str> = clock.split(':').collect();
    match parts.as_slice() {
        [hours, minutes] => {
            number_in(hours, 2, 23).is_some() && number_in(minutes, 2, 59).is_some()
        }
        [hours, minutes, seconds] => {
            let (whole, fraction) = match seconds.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (*seconds, None),
            };
            number_in(hours, 2, 23).is_some()
                && number_in(minutes, 2, 59).is_some()
                && number_in(whole, 2, 59).is_some()
                && fraction.is_none_or(all_digits)
        }
        _ => false,
    }
}

fn split_offset(text: &str) -> (&str, Option<&str>) {
    if let Some(clock) = text.strip_suffix('Z') {
        return (clock, Some("Z"));
    }
    match text.rfind(['+', '-']) {
        Some(at) => (&text[..at], Some(&text[at..])),
        None => (text, None),
    }
}

fn is_datetime(text: &str) -> bool {
    match text.split_once('T') {
        Some((date, time)) => is_date(date) && is_time(time),
        None => false,
    }
}

/// `latitude longitude [altitude [accuracy]]`, separated by single spaces.
fn is_geopoint(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    if !(2..=4).contains(&parts.len()) || !parts.iter().all(|part| is_number(part)) {
        return false;
    }
    let number = |index: usize| parts.get(index).and_then(|p| p.parse::<f64>().ok());
    let latitude_ok = number(0).is_some_and(|lat| (-90.0..=90.0).contains(&lat));
    let longitude_ok = number(1).is_some_and(|lon| (-180.0..=180.0).contains(&lon));
    let accuracy_ok = number(3).is_none_or(|acc| acc >= 0.0);
    latitude_ok && longitude_ok && accuracy_ok
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// True when non-blank `text` is a valid answer of type `kind`, leaving
/// choice membership aside.
pub(super) fn fits_type(kind: QuestionType, text: &str) -> bool {
    match kind {
        QuestionType::Integer => is_integer(text),
        QuestionType::Decimal => is_number(text),
        QuestionType::Date => is_date(text),
        QuestionType::Time => is_time(text),
        QuestionType::Datetime => is_datetime(text),
        QuestionType::Geopoint => is_geopoint(text),
        QuestionType::Image | QuestionType::Signature => is_sha256_hex(text),
        QuestionType::Acknowledge => text == "OK",
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_checks() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-2-01"));
        assert!(is_time("07:30"));
        assert!(is_time("07:30:15.250-06:00"));
        assert!(!is_time("24:00"));
        assert!(is_datetime("2026-08-07T10:30:00-06:00"));
        assert!(!is_datetime("2026-08-07 10:30"));
        assert!(is_geopoint("19.43 -99.13 2240 5"));
        assert!(!is_geopoint("91 0"));
        assert!(is_number("-.5"));
        assert!(is_number("3."));
        assert!(!is_number("."));
        assert!(!is_number("1e3"));
        assert!(is_integer("-12"));
        assert!(!is_integer("1.0"));
    }
}
