//! Import problems: a code, where (sheet, row, column) and the fix, in
//! Spanish and English.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// Stable code, such as `unsupported_type`.
    pub code: String,
    /// Sheet name as normalised (`survey`, `choices`, `settings`), or empty
    /// for the whole file.
    pub sheet: String,
    /// Row number as the spreadsheet (or text file) shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// Column header as written in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message_es: String,
    pub message_en: String,
}

impl ImportProblem {
    pub(crate) fn new(code: &str, sheet: &str, es: String, en: String) -> Self {
        ImportProblem {
            code: code.to_string(),
            sheet: sheet.to_string(),
            row: None,
            column: None,
            message_es: es,
            message_en: en,
        }
    }

    pub(crate) fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    pub(crate) fn column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.code, self.sheet)?;
        if let Some(row) = self.row {
            write!(f, " row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, " column {column}")?;
        }
        write!(f, ": {}", self.message_en)
    }
}
