//! A problem found in one cell of a portfolio file: where it is, what is wrong, and how
//! to fix it, in Spanish for the supervisor and in English for logs and the API.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    MissingAccountId,
    MissingDebtorName,
    DuplicateAccountId,
    InvalidAmount,
    NegativeAmount,
    DecimalComma,
    InvalidDays,
    InvalidPostalCode,
    InvalidCoordinate,
    /// Only one of latitude and longitude is present.
    HalfCoordinate,
    /// The point is far outside Mexico, which usually means swapped columns.
    OutsideMexico,
    InvalidEmail,
    InvalidCurrency,
    UnknownState,
}

/// One problem in one row. `column` is the header as the file wrote it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub code: ProblemCode,
    /// Row of the first occurrence, for duplicates.
    pub first_row: Option<usize>,
}

impl Problem {
    /// Describes what is wrong, in Spanish.
    pub fn message_es(&self) -> String {
        let value = &self.value;
        match self.code {
            ProblemCode::MissingAccountId => "Falta el número de crédito.".to_owned(),
            ProblemCode::MissingDebtorName => "Falta el nombre del cliente.".to_owned(),
            ProblemCode::DuplicateAccountId => format!(
                "El crédito «{value}» ya aparece en la fila {}.",
                self.first_row.unwrap_or_default()
            ),
            ProblemCode::InvalidAmount => format!("«{value}» no es un monto válido."),
            ProblemCode::NegativeAmount => format!("El monto «{value}» es negativo."),
            ProblemCode::DecimalComma => format!("En «{value}» la coma parece separar decimales."),
            ProblemCode::InvalidDays => format!("«{value}» no es un número entero de días."),
            ProblemCode::InvalidPostalCode => {
                format!("«{value}» no es un código postal de cinco dígitos.")
            }
            ProblemCode::InvalidCoordinate => format!("«{value}» no es una coordenada válida."),
            ProblemCode::HalfCoordinate => "Hay latitud o longitud, pero no ambas.".to_owned(),
            ProblemCode::OutsideMexico => format!("El punto {value} queda fuera de México."),
            ProblemCode::InvalidEmail => format!("«{value}» no es un correo válido."),
            ProblemCode::InvalidCurrency => format!("«{value}» no es una moneda válida."),
            ProblemCode::UnknownState => format!("«{value}» no es un estado de México."),
        }
    }

    /// Says how to fix it, in Spanish.
    pub fn fix_es(&self) -> &'static str {
        match self.code {
            ProblemCode::MissingAccountId => {
                "Escribe el número de crédito del otorgante en esta fila."
            }
            ProblemCode::MissingDebtorName => "Escribe el nombre completo del titular.",
            ProblemCode::DuplicateAccountId => {
                "Deja una sola fila por crédito o corrige el número."
            }
            ProblemCode::InvalidAmount => "Escribe solo cifras, por ejemplo 12345.50 o $12,345.50.",
            ProblemCode::NegativeAmount => "Escribe el saldo como número positivo.",
            ProblemCode::DecimalComma => {
                "Usa punto para los decimales y coma para los miles, por ejemplo 1,234.56."
            }
            ProblemCode::InvalidDays => {
                "Escribe los días de atraso como número entero, por ejemplo 45."
            }
            ProblemCode::InvalidPostalCode => {
                "Escribe los cinco dígitos del código postal, por ejemplo 01000."
            }
            ProblemCode::InvalidCoordinate => {
                "Usa grados decimales: latitud entre -90 y 90, longitud entre -180 y 180."
            }
            ProblemCode::HalfCoordinate => "Llena latitud y longitud juntas, o deja ambas vacías.",
            ProblemCode::OutsideMexico => {
                "Revisa que latitud y longitud no estén invertidas; en México la longitud es negativa."
            }
            ProblemCode::InvalidEmail => {
                "Escribe el correo como nombre@dominio.mx o deja la celda vacía."
            }
            ProblemCode::InvalidCurrency => "Usa un código de tres letras, por ejemplo MXN o USD.",
            ProblemCode::UnknownState => {
                "Escribe el nombre del estado o su abreviatura, por ejemplo Jalisco, CDMX o NL."
            }
        }
    }

    /// Describes what is wrong and the fix, in English, for logs.
    pub fn message_en(&self) -> String {
        let (what, fix) = self.english();
        format!("row {}, column {:?}: {what}; {fix}", self.row, self.column)
    }

    /// Describes what is wrong, in English.
    pub fn what_en(&self) -> String {
        self.english().0
    }

    /// Says how to fix it, in English.
    pub fn fix_en(&self) -> &'static str {
        self.english().1
    }

    fn english(&self) -> (String, &'static str) {
        let value = &self.value;
        match self.code {
            ProblemCode::MissingAccountId => (
                "the account id is missing".to_owned(),
                "enter the lender's account id",
            ),
            ProblemCode::MissingDebtorName => (
                "the debtor's name is missing".to_owned(),
                "enter the full name",
            ),
            ProblemCode::DuplicateAccountId => (
                format!(
                    "account {value:?} already appears in row {}",
                    self.first_row.unwrap_or_default()
                ),
                "keep one row per account",
            ),
            ProblemCode::InvalidAmount => (
                format!("{value:?} is not an amount"),
                "write digits such as 12345.50",
            ),
            ProblemCode::NegativeAmount => (
                format!("amount {value:?} is negative"),
                "write a positive amount",
            ),
            ProblemCode::DecimalComma => (
                format!("{value:?} uses a decimal comma"),
                "use a decimal point, as in 1,234.56",
            ),
            ProblemCode::InvalidDays => (
                format!("{value:?} is not a whole number of days"),
                "write a whole number",
            ),
            ProblemCode::InvalidPostalCode => (
                format!("{value:?} is not a five-digit postal code"),
                "write five digits, as in 01000",
            ),
            ProblemCode::InvalidCoordinate => (
                format!("{value:?} is not a coordinate"),
                "use decimal degrees",
            ),
            ProblemCode::HalfCoordinate => (
                "only one of latitude and longitude is present".to_owned(),
                "fill both or neither",
            ),
            ProblemCode::OutsideMexico => (
                format!("point {value} is outside Mexico"),
                "check for swapped latitude and longitude",
            ),
            ProblemCode::InvalidEmail => (
                format!("{value:?} is not an email address"),
                "write name@domain.mx or leave it blank",
            ),
            ProblemCode::InvalidCurrency => (
                format!("{value:?} is not a currency code"),
                "use a three-letter code such as MXN",
            ),
            ProblemCode::UnknownState => (
                format!("{value:?} is not a Mexican state"),
                "write the state's name or abbreviation, such as Jalisco or CDMX",
            ),
        }
    }
}
