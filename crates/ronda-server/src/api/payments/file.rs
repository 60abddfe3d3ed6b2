//! Reading a lender's payments file: finding its columns by header, parsing each row, and
//! reporting every problem with its row, column, value and fix in Spanish and English.

use std::collections::HashMap;

use jiff::civil::Date;
use ronda_import::problem::ProblemCode;
use ronda_import::table::{Cell, Table};
use ronda_import::values::{excel_date, parse_amount, parse_text};
use ronda_store::payment::NewPayment;
use uuid::Uuid;

/// A column of a payments file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentColumn {
    AccountId,
    PaidOn,
    Amount,
    Reference,
}

impl PaymentColumn {
    /// Normalized headers that name the column, tried in order.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Self::AccountId => &[
                "numero de credito",
                "no de credito",
                "num de credito",
                "no credito",
                "credito",
                "cuenta",
                "numero de cuenta",
                "no de cuenta",
                "id credito",
                "lender account id",
                "account id",
                "account",
            ],
            Self::PaidOn => &[
                "fecha de pago",
                "fecha pago",
                "fecha",
                "payment date",
                "date",
            ],
            Self::Amount => &["monto", "importe", "monto pagado", "pago", "amount"],
            Self::Reference => &["referencia", "folio", "reference"],
        }
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Self::AccountId => "número de crédito",
            Self::PaidOn => "fecha de pago",
            Self::Amount => "monto",
            Self::Reference => "referencia",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Self::AccountId => "account id",
            Self::PaidOn => "payment date",
            Self::Amount => "amount",
            Self::Reference => "reference",
        }
    }
}

/// Lowercases a header, drops accents and turns every other symbol into one space.
fn normalize_header(header: &str) -> String {
    let folded: String = header
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' => 'n',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Index of each column in the file. The reference is optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub account_id: usize,
    pub paid_on: usize,
    pub amount: usize,
    pub reference: Option<usize>,
}

/// Finds the columns by header, or returns the first required column that is missing.
pub fn find_columns(headers: &[String]) -> Result<Columns, PaymentColumn> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let find = |column: PaymentColumn| {
        column
            .headers()
            .iter()
            .find_map(|name| normalized.iter().position(|header| header == name))
    };
    Ok(Columns {
        account_id: find(PaymentColumn::AccountId).ok_or(PaymentColumn::AccountId)?,
        paid_on: find(PaymentColumn::PaidOn).ok_or(PaymentColumn::PaidOn)?,
        amount: find(PaymentColumn::Amount).ok_or(PaymentColumn::Amount)?,
        reference: find(PaymentColumn::Reference),
    })
}

/// Kind of problem in one cell of a payments file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentProblemCode {
    MissingAccountId,
    UnknownAccount,
    MissingDate,
    InvalidDate,
    FutureDate,
    MissingAmount,
    ZeroAmount,
    /// An amount problem found by the shared amount parser.
    Amount(ProblemCode),
    DuplicateRow,
}

/// One problem in one row; `row` counts from 1 as a spreadsheet shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentProblem {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub code: PaymentProblemCode,
    /// Row of the first occurrence, for duplicates.
    pub first_row: Option<usize>,
}

impl PaymentProblem {
    pub fn code_name(&self) -> &'static str {
        match self.code {
            PaymentProblemCode::MissingAccountId => "missing_account_id",
            PaymentProblemCode::UnknownAccount => "unknown_account",
            PaymentProblemCode::MissingDate => "missing_date",
            PaymentProblemCode::InvalidDate => "invalid_date",
            PaymentProblemCode::FutureDate => "future_date",
            PaymentProblemCode::MissingAmount => "missing_amount",
            PaymentProblemCode::ZeroAmount => "zero_amount",
            PaymentProblemCode::Amount(ProblemCode::NegativeAmount) => "negative_amount",
            PaymentProblemCode::Amount(ProblemCode::DecimalComma) => "decimal_comma",
            PaymentProblemCode::Amount(_) => "invalid_amount",
            PaymentProblemCode::DuplicateRow => "duplicate_row",
        }
    }

    /// Returns what is wrong and how to fix it, in Spanish.
    pub fn spanish(&self) -> (String, String) {
        let value = &self.value;
        let first = self.first_row.unwrap_or_default();
        let (what, fix) = match self.code {
            PaymentProblemCode::MissingAccountId => (
                "Falta el número de crédito.".to_owned(),
                "Escribe el número de crédito del otorgante en esta fila.",
            ),
            PaymentProblemCode::UnknownAccount => (
                format!("El crédito «{value}» no existe en la cartera de este otorgante."),
                "Revisa el número o importa primero la cuenta con su cartera.",
            ),
            PaymentProblemCode::MissingDate => (
                "Falta la fecha de pago.".to_owned(),
                "Escribe la fecha como AAAA-MM-DD o DD/MM/AAAA.",
            ),
            PaymentProblemCode::InvalidDate => (
                format!("«{value}» no es una fecha válida."),
                "Escribe la fecha como AAAA-MM-DD o DD/MM/AAAA, por ejemplo 2026-12-03.",
            ),
            PaymentProblemCode::FutureDate => (
                format!("La fecha «{value}» es posterior a hoy."),
                "Un pago ya recibido no puede tener fecha futura; corrige la fecha.",
            ),
            PaymentProblemCode::MissingAmount => (
                "Falta el monto.".to_owned(),
                "Escribe el monto pagado, por ejemplo 1500.50.",
            ),
            PaymentProblemCode::ZeroAmount => (
                "El monto es cero.".to_owned(),
                "Escribe el monto pagado o quita la fila.",
            ),
            PaymentProblemCode::Amount(ProblemCode::NegativeAmount) => (
                format!("El monto «{value}» es negativo."),
                "Escribe el pago como número positivo; las devoluciones no se importan.",
            ),
            PaymentProblemCode::Amount(ProblemCode::DecimalComma) => (
                format!("En «{value}» la coma parece separar decimales."),
                "Usa punto para los decimales y coma para los miles, por ejemplo 1,234.56.",
            ),
            PaymentProblemCode::Amount(_) => (
                format!("«{value}» no es un monto válido."),
                "Escribe solo cifras, por ejemplo 1500.50 o $1,500.50.",
            ),
            PaymentProblemCode::DuplicateRow => (
                format!("La fila repite el pago de la fila {first}."),
                "Quita la fila repetida o agrega una referencia que distinga los pagos.",
            ),
        };
        (what, fix.to_owned())
    }

    /// Returns what is wrong and how to fix it, in English.
    pub fn english(&self) -> (String, String) {
        let value = &self.value;
        let first = self.first_row.unwrap_or_default();
        let (what, fix) = match self.code {
            PaymentProblemCode::MissingAccountId => (
                "the account id is missing".to_owned(),
                "enter the lender's account id",
            ),
            PaymentProblemCode::UnknownAccount => (
                format!("account {value:?} is not in this lender's portfolios"),
                "check the number or import the account first",
            ),
            PaymentProblemCode::MissingDate => (
                "the payment date is missing".to_owned(),
                "write the date as YYYY-MM-DD or DD/MM/YYYY",
            ),
            PaymentProblemCode::InvalidDate => (
                format!("{value:?} is not a valid date"),
                "write the date as YYYY-MM-DD or DD/MM/YYYY, such as 2026-12-03",
            ),
            PaymentProblemCode::FutureDate => (
                format!("date {value:?} is after today"),
                "a received payment cannot be dated in the future",
            ),
            PaymentProblemCode::MissingAmount => (
                "the amount is missing".to_owned(),
                "write the amount paid, such as 1500.50",
            ),
            PaymentProblemCode::ZeroAmount => (
                "the amount is zero".to_owned(),
                "write the amount paid or remove the row",
            ),
            PaymentProblemCode::Amount(ProblemCode::NegativeAmount) => (
                format!("amount {value:?} is negative"),
                "write a positive amount; refunds are not imported",
            ),
            PaymentProblemCode::Amount(ProblemCode::DecimalComma) => (
                format!("{value:?} uses a decimal comma"),
                "use a decimal point, as in 1,234.56",
            ),
            PaymentProblemCode::Amount(_) => (
                format!("{value:?} is not an amount"),
                "write digits such as 1500.50",
            ),
            PaymentProblemCode::DuplicateRow => (
                format!("the row repeats the payment of row {first}"),
                "remove the repeated row or add a reference that tells them apart",
            ),
        };
        (what, fix.to_owned())
    }
}

/// Parses a payment date: an Excel date cell or serial, `YYYY-MM-DD` (a time after it is
/// ignored), or `DD/MM/YYYY` and `DD-MM-YYYY` as Mexican files write them.
pub fn parse_date(cell: &Cell) -> Result<Option<Date>, PaymentProblemCode> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::ExcelDate(serial) | Cell::Number(serial) => {
            return excel_date(*serial)
                .and_then(|text| text.parse().ok())
                .map(Some)
                .ok_or(PaymentProblemCode::InvalidDate);
        }
        Cell::Bool(_) => return Err(PaymentProblemCode::InvalidDate),
        Cell::Text(text) => text.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }

    let date_part = text.split([' ', 'T']).next().unwrap_or_default();
    if let Ok(date) = date_part.parse::<Date>() {
        return Ok(Some(date));
    }

    // Mexican files write the day first.
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return Err(PaymentProblemCode::InvalidDate);
    };
    let number = |part: &str| {
        part.parse::<i16>()
            .map_err(|_| PaymentProblemCode::InvalidDate)
    };
    let (day, month, year) = (number(day)?, number(month)?, number(year)?);
    if !(1900..=9999).contains(&year) {
        return Err(PaymentProblemCode::InvalidDate);
    }
    let month = i8::try_from(month).map_err(|_| PaymentProblemCode::InvalidDate)?;
    let day = i8::try_from(day).map_err(|_| PaymentProblemCode::InvalidDate)?;
    Date::new(year, month, day)
        .map(Some)
        .map_err(|_| PaymentProblemCode::InvalidDate)
}

/// The outcome of reading every row of a payments file.
#[derive(Debug, Default)]
pub struct PaymentValidation {
    pub rows_read: usize,
    pub payments: Vec<NewPayment>,
    pub problems: Vec<PaymentProblem>,
}

impl PaymentValidation {
    /// Counts the rows with at least one problem.
    pub fn rejected_rows(&self) -> usize {
        let mut rows: Vec<usize> = self.problems.iter().map(|p| p.row).collect();
        rows.dedup();
        rows.len()
    }
}

/// Checks every row of `table` and matches its account id against `accounts` (lender
/// account id to account id). A row with any problem adds no payment.
pub fn validate(
    table: &Table,
    columns: Columns,
    accounts: &HashMap<String, Uuid>,
    today: Date,
) -> PaymentValidation {
    let mut validation = PaymentValidation::default();
    let mut seen: HashMap<(Uuid, String, i64, String), usize> = HashMap::new();
    for row in &table.rows {
        if row.cells.iter().all(Cell::is_empty) {
            continue;
        }
        validation.rows_read += 1;
        let mut problems = Vec::new();
        let mut problem = |column: usize, cell: &Cell, code| {
            problems.push(PaymentProblem {
                row: row.number,
                column: table.headers.get(column).cloned().unwrap_or_default(),
                value: cell.display(),
                code,
                first_row: None,
            });
        };

        let account_cell = row.cell(columns.account_id);
        let account = match parse_text(account_cell) {
            None => {
                problem(
                    columns.account_id,
                    account_cell,
                    PaymentProblemCode::MissingAccountId,
                );
                None
            }
            Some(text) => match accounts.get(&text) {
                Some(id) => Some(*id),
                None => {
                    problem(
                        columns.account_id,
                        account_cell,
                        PaymentProblemCode::UnknownAccount,
                    );
                    None
                }
            },
        };

        let date_cell = row.cell(columns.paid_on);
        let paid_on = match parse_date(date_cell) {
            Ok(Some(date)) if date > today => {
                problem(columns.paid_on, date_cell, PaymentProblemCode::FutureDate);
                None
            }
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                problem(columns.paid_on, date_cell, PaymentProblemCode::MissingDate);
                None
            }
            Err(code) => {
                problem(columns.paid_on, date_cell, code);
                None
            }
        };

        let amount_cell = row.cell(columns.amount);
        let amount = match parse_amount(amount_cell) {
            Ok(Some(0)) => {
                problem(columns.amount, amount_cell, PaymentProblemCode::ZeroAmount);
                None
            }
            Ok(Some(cents)) => Some(cents),
            Ok(None) => {
                problem(
                    columns.amount,
                    amount_cell,
                    PaymentProblemCode::MissingAmount,
                );
                None
            }
            Err(code) => {
                problem(
                    columns.amount,
                    amount_cell,
                    PaymentProblemCode::Amount(code),
                );
                None
            }
        };
        let reference = columns
            .reference
            .and_then(|column| parse_text(row.cell(column)))
            .unwrap_or_default();

        if let (Some(account_id), Some(paid_on), Some(amount_cents)) = (account, paid_on, amount) {
            let key = (
                account_id,
                paid_on.to_string(),
                amount_cents,
                reference.clone(),
            );
            if let Some(first) = seen.get(&key) {
                problems.push(PaymentProblem {
                    row: row.number,
                    column: table.headers[columns.account_id].clone(),
                    value: account_cell.display(),
                    code: PaymentProblemCode::DuplicateRow,
                    first_row: Some(*first),
                });
            } else {
                seen.insert(key, row.number);
                validation.payments.push(NewPayment {
                    account_id,
                    paid_on: paid_on.to_string(),
                    amount_cents,
                    reference,
                });
            }
        }
        validation.problems.extend(problems);
    }
    validation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }

    #[test]
    fn portfolio_style_account_header() {
        let headers = ["No. de crédito", "Fecha de pago", "Monto"].map(String::from);
        let columns = find_columns(&headers).expect("columns");
        assert_eq!(columns.account_id, 0);
    }

    #[test]
    fn headers_found_with_accents_and_case() {
        let headers = ["Número de Crédito", "FECHA_PAGO", "Importe", "Folio"]
            .map(str::to_owned)
            .to_vec();
        let columns = find_columns(&headers).expect("columns");
        assert_eq!(columns.account_id, 0);
        assert_eq!(columns.paid_on, 1);
        assert_eq!(columns.amount, 2);
        assert_eq!(columns.reference, Some(3));
    }

    #[test]
    fn missing_amount_column_is_named() {
        let headers = ["credito", "fecha"].map(str::to_owned).to_vec();
        assert_eq!(find_columns(&headers), Err(PaymentColumn::Amount));
    }

    #[test]
    fn dates_as_lenders_write_them() {
        let expected: Date = "2026-12-03".parse().expect("date");
        assert_eq!(parse_date(&text("2026-12-03")), Ok(Some(expected)));
        assert_eq!(parse_date(&text("03/12/2026")), Ok(Some(expected)));
        assert_eq!(parse_date(&text("3-12-2026")), Ok(Some(expected)));
        assert_eq!(parse_date(&text("2026-12-03 00:00:00")), Ok(Some(expected)));
        assert_eq!(parse_date(&Cell::ExcelDate(46_359.0)), Ok(Some(expected)));
        assert_eq!(parse_date(&Cell::Empty), Ok(None));
    }

    #[test]
    fn impossible_dates_are_invalid() {
        for value in ["31/02/2026", "2026-13-01", "ayer", "12/2026", "01/01/26"] {
            assert_eq!(
                parse_date(&text(value)),
                Err(PaymentProblemCode::InvalidDate),
                "{value}"
            );
        }
    }
}
