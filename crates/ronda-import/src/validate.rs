//! Turns a table and its mapping into account records, with a problem report for every
//! row that cannot be imported. A row with any problem is rejected whole.

use std::collections::HashMap;

use ronda_domain::portfolio::time_zone_name;
use serde::Serialize;

use crate::mapping::{Field, Mapping};
use crate::problem::{Problem, ProblemCode};
use crate::table::{Cell, Row, Table};
use crate::values;

/// Rough bounds of Mexico's territory, islands included, for catching swapped columns.
const MEXICO_LATITUDE: (f64, f64) = (14.0, 33.0);
const MEXICO_LONGITUDE: (f64, f64) = (-118.7, -86.5);

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AddressRecord {
    pub street: Option<String>,
    pub exterior_number: Option<String>,
    pub interior_number: Option<String>,
    pub colonia: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
    pub between_streets: Option<String>,
    pub landmarks: Option<String>,
    /// The address as the lender wrote it: the address column, or the parts joined.
    pub original_text: String,
    /// IANA time zone from state and municipality; `None` without a state.
    pub time_zone: Option<String>,
    /// Latitude and longitude from the file, in decimal degrees.
    pub point: Option<(f64, f64)>,
}

/// One account ready to import. Amounts are in cents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountRecord {
    pub row: usize,
    pub lender_account_id: String,
    pub product: Option<String>,
    pub principal_cents: Option<i64>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<u32>,
    pub currency: String,
    pub debtor_name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: AddressRecord,
    /// Unmapped columns, by header. Excel dates become `YYYY-MM-DD`.
    pub custom_fields: serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Validation {
    pub rows_read: usize,
    pub accounts: Vec<AccountRecord>,
    pub problems: Vec<Problem>,
}

impl Validation {
    pub fn rejected_rows(&self) -> usize {
        let mut rows: Vec<usize> = self.problems.iter().map(|p| p.row).collect();
        rows.sort_unstable();
        rows.dedup();
        rows.len()
    }
}

/// Validates every row of `table` under `mapping`.
pub fn validate(table: &Table, mapping: &Mapping) -> Validation {
    let mut validator = Validator::new(&table.headers, mapping);
    let mut validation = Validation {
        rows_read: table.rows.len(),
        ..Validation::default()
    };
    for row in &table.rows {
        match validator.row(row) {
            Ok(record) => validation.accounts.push(record),
            Err(mut problems) => validation.problems.append(&mut problems),
        }
    }
    validation
}

/// Validates rows one at a time, so a file can be checked while it is read. It remembers
/// the row of each account id it accepted, to report duplicates across the whole file.
pub struct Validator<'a> {
    headers: &'a [String],
    mapping: &'a Mapping,
    first_rows: HashMap<String, usize>,
}

impl<'a> Validator<'a> {
    pub fn new(headers: &'a [String], mapping: &'a Mapping) -> Self {
        Self {
            headers,
            mapping,
            first_rows: HashMap::new(),
        }
    }

    /// Returns the row's account, or every problem that rejects the row.
    pub fn row(&mut self, row: &Row) -> Result<AccountRecord, Vec<Problem>> {
        let mut reader = RowReader {
            headers: self.headers,
            mapping: self.mapping,
            row,
            problems: Vec::new(),
        };
        let record = reader.account();
        if let Some(record) = &record {
            match self.first_rows.get(&record.lender_account_id) {
                Some(first) => reader.problems.push(Problem {
                    row: row.number,
                    column: reader.header(Field::LenderAccountId),
                    value: record.lender_account_id.clone(),
                    code: ProblemCode::DuplicateAccountId,
                    first_row: Some(*first),
                }),
                None => {
                    self.first_rows
                        .insert(record.lender_account_id.clone(), row.number);
                }
            }
        }
        match record {
            Some(record) if reader.problems.is_empty() => Ok(record),
            _ => Err(reader.problems),
        }
    }
}

struct RowReader<'a> {
    headers: &'a [String],
    mapping: &'a Mapping,
    row: &'a Row,
    problems: Vec<Problem>,
}

impl RowReader<'_> {
    fn header(&self, field: Field) -> String {
        self.mapping
            .column_of(field)
            .and_then(|column| self.headers.get(column).cloned())
            .unwrap_or_else(|| field.label_es().to_owned())
    }

    fn cell(&self, field: Field) -> &Cell {
        self.mapping
            .column_of(field)
            .map_or(&Cell::Empty, |column| self.row.cell(column))
    }

    fn text(&self, field: Field) -> Option<String> {
        values::parse_text(self.cell(field))
    }

    fn problem(&mut self, field: Field, code: ProblemCode) {
        let value = self.cell(field).display();
        self.problems.push(Problem {
            row: self.row.number,
            column: self.header(field),
            value,
            code,
            first_row: None,
        });
    }

    /// Parses one field, recording a problem and returning `None` when the value is invalid.
    fn parse<T>(
        &mut self,
        field: Field,
        parser: impl Fn(&Cell) -> Result<Option<T>, ProblemCode>,
    ) -> Option<T> {
        match parser(self.cell(field)) {
            Ok(value) => value,
            Err(code) => {
                self.problem(field, code);
                None
            }
        }
    }

    fn account(&mut self) -> Option<AccountRecord> {
        let lender_account_id = self.text(Field::LenderAccountId);
        if lender_account_id.is_none() {
            self.problem(Field::LenderAccountId, ProblemCode::MissingAccountId);
        }
        let debtor_name = self.text(Field::DebtorName);
        if debtor_name.is_none() {
            self.problem(Field::DebtorName, ProblemCode::MissingDebtorName);
        }
        let principal_cents = self.parse(Field::Principal, values::parse_amount);
        let overdue_cents = self.parse(Field::OverdueAmount, values::parse_amount);
        let days_past_due = self.parse(Field::DaysPastDue, values::parse_days);
        let currency = self.currency();
        let emails = self.emails();
        let address = self.address();
        Some(AccountRecord {
            row: self.row.number,
            lender_account_id: lender_account_id?,
            product: self.text(Field::Product),
            principal_cents,
            overdue_cents,
            days_past_due,
            currency,
            debtor_name: debtor_name?,
            phones: split_list(self.text(Field::Phone)),
            emails,
            address,
            custom_fields: self.custom_fields(),
        })
    }

    fn currency(&mut self) -> String {
        match self.text(Field::Currency) {
            None => "MXN".to_owned(),
            Some(code) if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
                code.to_uppercase()
            }
            Some(_) => {
                self.problem(Field::Currency, ProblemCode::InvalidCurrency);
                "MXN".to_owned()
            }
        }
    }

    fn emails(&mut self) -> Vec<String> {
        let emails = split_list(self.text(Field::Email));
        if emails.iter().any(|email| !looks_like_email(email)) {
            self.problem(Field::Email, ProblemCode::InvalidEmail);
        }
        emails
            .into_iter()
            .map(|email| email.to_lowercase())
            .collect()
    }

    fn address(&mut self) -> AddressRecord {
        let postal_code = self.parse(Field::PostalCode, values::parse_postal_code);
        let state = self.parse(Field::State, values::parse_state);
        let municipality = self.text(Field::Municipality);
        let time_zone =
            state.map(|state| time_zone_name(state, municipality.as_deref()).to_owned());
        let point = self.point();
        let mut address = AddressRecord {
            street: self.text(Field::Street),
            exterior_number: self
                .text(Field::ExteriorNumber)
                .map(|n| values::normalize_house_number(&n)),
            interior_number: self
                .text(Field::InteriorNumber)
                .map(|n| values::normalize_house_number(&n)),
            colonia: self.text(Field::Colonia),
            postal_code,
            locality: self.text(Field::Locality),
            municipality,
            state: state.map(|state| state.name().to_owned()),
            between_streets: self.text(Field::BetweenStreets),
            landmarks: self.text(Field::Landmarks),
            original_text: String::new(),
            time_zone,
            point,
        };
        address.original_text = self
            .text(Field::AddressText)
            .unwrap_or_else(|| joined_address(&address));
        address
    }

    fn point(&mut self) -> Option<(f64, f64)> {
        // Latitude takes the longitude's range here so that swapped columns are reported
        // as such below, not as an invalid latitude.
        let latitude = self.parse(Field::Latitude, |cell| {
            values::parse_coordinate(cell, -180.0, 180.0)
        });
        let longitude = self.parse(Field::Longitude, |cell| {
            values::parse_coordinate(cell, -180.0, 180.0)
        });
        match (latitude, longitude) {
            (Some(lat), Some(lon)) => {
                let inside = (MEXICO_LATITUDE.0..=MEXICO_LATITUDE.1).contains(&lat)
                    && (MEXICO_LONGITUDE.0..=MEXICO_LONGITUDE.1).contains(&lon);
                if !inside {
                    self.problems.push(Problem {
                        row: self.row.number,
                        column: format!(
                            "{} / {}",
                            self.header(Field::Latitude),
                            self.header(Field::Longitude)
                        ),
                        value: format!("({lat}, {lon})"),
                        code: ProblemCode::OutsideMexico,
                        first_row: None,
                    });
                }
                Some((lat, lon))
            }
            (None, None) => None,
            (Some(_), None) => {
                if self.cell(Field::Longitude).is_empty() {
                    self.problem(Field::Longitude, ProblemCode::HalfCoordinate);
                }
                None
            }
            (None, Some(_)) => {
                if self.cell(Field::Latitude).is_empty() {
                    self.problem(Field::Latitude, ProblemCode::HalfCoordinate);
                }
                None
            }
        }
    }

    fn custom_fields(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut fields = serde_json::Map::new();
        for (column, header) in self.headers.iter().enumerate() {
            if self
                .mapping
                .columns
                .get(column)
                .copied()
                .flatten()
                .is_some()
                || header.is_empty()
            {
                continue;
            }
            let value = match self.row.cell(column) {
                Cell::Empty => continue,
                Cell::ExcelDate(serial) => {
                    values::excel_date(*serial).map_or(serde_json::Value::Null, Into::into)
                }
                Cell::Number(number) => serde_json::Number::from_f64(*number)
                    .map_or(serde_json::Value::Null, Into::into),
                Cell::Bool(value) => (*value).into(),
                Cell::Text(text) => text.trim().into(),
            };
            fields.insert(header.clone(), value);
        }
        fields
    }
}

/// Splits "55 1234 5678 / 55 8765 4321" style lists on slashes, semicolons and commas.
fn split_list(text: Option<String>) -> Vec<String> {
    text.map(|text| {
        text.split(['/', ';', ','])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !text.contains(' ')
        }
        None => false,
    }
}

fn joined_address(address: &AddressRecord) -> String {
    let street = [
        address.street.as_deref(),
        address.exterior_number.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let interior = address
        .interior_number
        .as_ref()
        .map(|n| format!("Int. {n}"));
    let colonia = address.colonia.as_ref().map(|c| format!("Col. {c}"));
    let postal_code = address.postal_code.as_ref().map(|c| format!("C.P. {c}"));
    [
        Some(street).filter(|s| !s.is_empty()),
        interior,
        colonia,
        postal_code,
        address.locality.clone(),
        address.municipality.clone(),
        address.state.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}
