//! Parsing of cell values as lenders' files write them: amounts with "$" and thousands
//! separators, postal codes that Excel turned into numbers, Excel date serials.

use ronda_domain::portfolio::{PostalCode, State};

use crate::problem::ProblemCode;
use crate::table::Cell;

/// Parses an amount in pesos into cents. Accepts "$12,345.50", "12 345.5", "MXN 900" and
/// numeric cells; rejects negative amounts and a comma used as the decimal separator,
/// which is ambiguous next to thousands separators.
pub fn parse_amount(cell: &Cell) -> Result<Option<i64>, ProblemCode> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(number) => return cents_from_number(*number).map(Some),
        Cell::Text(text) => text,
        Cell::ExcelDate(_) | Cell::Bool(_) => return Err(ProblemCode::InvalidAmount),
    };
    let cleaned: String = text
        .trim()
        .trim_start_matches("MXN")
        .trim_end_matches("MXN")
        .chars()
        .filter(|c| !matches!(c, '$' | ' ' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    if cleaned.starts_with('-') {
        return Err(ProblemCode::NegativeAmount);
    }
    let without_thousands = match (cleaned.rfind(','), cleaned.rfind('.')) {
        (Some(comma), Some(dot)) if comma > dot => return Err(ProblemCode::DecimalComma),
        (Some(comma), None) if cleaned.len() - comma - 1 != 3 => {
            return Err(ProblemCode::DecimalComma);
        }
        _ => cleaned.replace(',', ""),
    };
    let number: f64 = without_thousands
        .parse()
        .map_err(|_| ProblemCode::InvalidAmount)?;
    cents_from_number(number).map(Some)
}

fn cents_from_number(number: f64) -> Result<i64, ProblemCode> {
    if !number.is_finite() {
        return Err(ProblemCode::InvalidAmount);
    }
    if number < 0.0 {
        return Err(ProblemCode::NegativeAmount);
    }
    // Above a trillion pesos is a typo, and keeps the conversion exact.
    if number > 1e12 {
        return Err(ProblemCode::InvalidAmount);
    }
    Ok((number * 100.0).round() as i64)
}

/// Parses a whole, non-negative number of days.
pub fn parse_days(cell: &Cell) -> Result<Option<u32>, ProblemCode> {
    let number = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(number) => *number,
        Cell::Text(text) if text.trim().is_empty() => return Ok(None),
        Cell::Text(text) => text
            .trim()
            .replace(',', "")
            .parse::<f64>()
            .map_err(|_| ProblemCode::InvalidDays)?,
        Cell::ExcelDate(_) | Cell::Bool(_) => return Err(ProblemCode::InvalidDays),
    };
    if number.fract() != 0.0 || !(0.0..=36_500.0).contains(&number) {
        return Err(ProblemCode::InvalidDays);
    }
    Ok(Some(number as u32))
}

/// Normalizes a Mexican postal code to five digits. Excel drops the leading zero of
/// codes such as 01000 (Álvaro Obregón, CDMX), so four digits get it back.
pub fn parse_postal_code(cell: &Cell) -> Result<Option<String>, ProblemCode> {
    let parsed = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(number) => PostalCode::from_number(*number),
        Cell::Text(text) => {
            let trimmed = text
                .trim()
                .trim_start_matches("C.P.")
                .trim_start_matches("CP")
                .trim();
            if trimmed.is_empty() {
                return Ok(None);
            }
            PostalCode::parse(trimmed)
        }
        Cell::ExcelDate(_) | Cell::Bool(_) => return Err(ProblemCode::InvalidPostalCode),
    };
    parsed
        .map(|code| Some(code.as_str().to_owned()))
        .map_err(|_| ProblemCode::InvalidPostalCode)
}

/// Parses a Mexican state from its name, abbreviation or code, and returns its name.
pub fn parse_state(cell: &Cell) -> Result<Option<State>, ProblemCode> {
    match parse_text(cell) {
        None => Ok(None),
        Some(text) => State::parse(&text)
            .map(Some)
            .map_err(|_| ProblemCode::UnknownState),
    }
}

/// Parses a latitude or longitude in decimal degrees within `min..=max`.
pub fn parse_coordinate(cell: &Cell, min: f64, max: f64) -> Result<Option<f64>, ProblemCode> {
    let value = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(number) => *number,
        Cell::Text(text) if text.trim().is_empty() => return Ok(None),
        Cell::Text(text) => text
            .trim()
            .parse::<f64>()
            .map_err(|_| ProblemCode::InvalidCoordinate)?,
        _ => return Err(ProblemCode::InvalidCoordinate),
    };
    if !value.is_finite() || !(min..=max).contains(&value) {
        return Err(ProblemCode::InvalidCoordinate);
    }
    Ok(Some(value))
}

/// Returns trimmed text, or `None` for a blank cell. Numbers read back as written, so an
/// account id stored as a number keeps its digits.
pub fn parse_text(cell: &Cell) -> Option<String> {
    let text = cell.display();
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Writes "sin número" in its one usual form, "S/N".
pub fn normalize_house_number(text: &str) -> String {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect::<String>()
        .to_uppercase();
    if matches!(
        compact.as_str(),
        "S/N" | "SN" | "SIN" | "SINNUMERO" | "SINNÚMERO" | "S/NUM"
    ) {
        "S/N".to_owned()
    } else {
        text.trim().to_owned()
    }
}

/// Converts an Excel serial date (1900 system) to `YYYY-MM-DD`.
pub fn excel_date(serial: f64) -> Option<String> {
    // Serial 60 is 1900-02-29, a day that did not exist; Excel keeps it for compatibility
    // with Lotus 1-2-3, so serials from 61 on count from 1899-12-30.
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    let days_since_1970 = if whole >= 61 {
        whole - 25_569
    } else {
        whole - 25_568
    };
    Some(civil_date(days_since_1970))
}

/// Turns days since 1970-01-01 into a proleptic Gregorian `YYYY-MM-DD`.
fn civil_date(days: i64) -> String {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }

    #[test]
    fn amounts_as_lenders_write_them() {
        assert_eq!(parse_amount(&text("$12,345.50")), Ok(Some(1_234_550)));
        assert_eq!(parse_amount(&text(" $ 1,234 ")), Ok(Some(123_400)));
        assert_eq!(parse_amount(&text("12 345.5")), Ok(Some(1_234_550)));
        assert_eq!(parse_amount(&text("MXN 900")), Ok(Some(90_000)));
        assert_eq!(parse_amount(&text("1,234,567.89")), Ok(Some(123_456_789)));
        assert_eq!(parse_amount(&Cell::Number(2500.256)), Ok(Some(250_026)));
        assert_eq!(parse_amount(&text("")), Ok(None));
        assert_eq!(parse_amount(&Cell::Empty), Ok(None));
    }

    #[test]
    fn ambiguous_or_bad_amounts_are_rejected() {
        assert_eq!(
            parse_amount(&text("1.234,56")),
            Err(ProblemCode::DecimalComma)
        );
        assert_eq!(
            parse_amount(&text("1234,5")),
            Err(ProblemCode::DecimalComma)
        );
        assert_eq!(
            parse_amount(&text("-500")),
            Err(ProblemCode::NegativeAmount)
        );
        assert_eq!(
            parse_amount(&text("doce mil")),
            Err(ProblemCode::InvalidAmount)
        );
    }

    #[test]
    fn postal_codes_get_their_leading_zero_back() {
        assert_eq!(
            parse_postal_code(&Cell::Number(1000.0)),
            Ok(Some("01000".into()))
        );
        assert_eq!(parse_postal_code(&text("1000")), Ok(Some("01000".into())));
        assert_eq!(parse_postal_code(&text("1000.0")), Ok(Some("01000".into())));
        assert_eq!(
            parse_postal_code(&text("C.P. 64000")),
            Ok(Some("64000".into()))
        );
        assert_eq!(
            parse_postal_code(&text("640")),
            Err(ProblemCode::InvalidPostalCode)
        );
        assert_eq!(
            parse_postal_code(&text("6400A")),
            Err(ProblemCode::InvalidPostalCode)
        );
        assert_eq!(
            parse_postal_code(&Cell::Number(123_456.0)),
            Err(ProblemCode::InvalidPostalCode)
        );
    }

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(excel_date(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(excel_date(59.0).as_deref(), Some("1900-02-28"));
        assert_eq!(excel_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(excel_date(45_000.0).as_deref(), Some("2023-03-15"));
        assert_eq!(excel_date(46_360.75).as_deref(), Some("2026-12-04"));
        assert_eq!(excel_date(-3.0), None);
    }

    #[test]
    fn house_numbers() {
        assert_eq!(normalize_house_number("s/n"), "S/N");
        assert_eq!(normalize_house_number("S N"), "S/N");
        assert_eq!(normalize_house_number("Sin número"), "S/N");
        assert_eq!(normalize_house_number(" 115-B "), "115-B");
    }

    #[test]
    fn days_and_coordinates() {
        assert_eq!(parse_days(&text("45")), Ok(Some(45)));
        assert_eq!(parse_days(&Cell::Number(12.0)), Ok(Some(12)));
        assert_eq!(parse_days(&text("4.5")), Err(ProblemCode::InvalidDays));
        assert_eq!(parse_days(&text("-1")), Err(ProblemCode::InvalidDays));
        assert_eq!(
            parse_coordinate(&text("19.4326"), -90.0, 90.0),
            Ok(Some(19.4326))
        );
        assert_eq!(
            parse_coordinate(&text("119.4"), -90.0, 90.0),
            Err(ProblemCode::InvalidCoordinate)
        );
    }
}
