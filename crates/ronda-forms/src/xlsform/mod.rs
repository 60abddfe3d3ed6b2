//! XLSForm import and export: `.xlsx`, `.csv` and markdown-table forms for
//! the subset of XLSForm described in `spec/forms/xlsform.md`.

mod export;
mod headers;
mod import;
mod problem;
mod table;
mod types;
pub mod workbook;

pub use export::export_xlsx;
pub use import::{import_workbook, sanitize_id};
pub use problem::ImportProblem;

use crate::model::FormDefinition;
use workbook::{ReadError, read_csv, read_markdown, read_xlsx};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Imports a form file, choosing the reader by content (.xlsx is a zip
/// archive) and then by the file name's extension (.csv, .md).
pub fn import_file(bytes: &[u8], file_name: &str) -> Result<FormDefinition, Vec<ImportProblem>> {
    let lower = file_name.to_ascii_lowercase();
    let stem = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .split('.')
        .next()
        .unwrap_or("form");
    let book = if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes)
    } else if lower.ends_with(".csv") {
        read_csv(bytes)
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".txt") {
        std::str::from_utf8(bytes)
            .map(read_markdown)
            .map_err(|_| ReadError::NotUtf8)
    } else {
        return Err(vec![ImportProblem::new(
            "unsupported_file",
            "",
            "El archivo no es un XLSForm .xlsx, .csv ni una tabla markdown (.md).".to_string(),
            "The file is not an .xlsx, .csv or markdown-table (.md) XLSForm.".to_string(),
        )]);
    };
    let book = book.map_err(|error| vec![read_problem(&error)])?;
    import_workbook(&book, stem)
}

fn read_problem(error: &ReadError) -> ImportProblem {
    let (es, en) = match error {
        ReadError::Xlsx(detail) => (
            format!("No se pudo leer el libro .xlsx: {detail}. Guárdelo de nuevo como .xlsx."),
            format!("The .xlsx workbook could not be read: {detail}. Save it again as .xlsx."),
        ),
        ReadError::Csv(detail) => (
            format!("No se pudo leer el CSV: {detail}."),
            format!("The CSV file could not be read: {detail}."),
        ),
        ReadError::NotUtf8 => (
            "El archivo de texto no está en UTF-8; guárdelo con codificación UTF-8.".to_string(),
            "The text file is not UTF-8; save it with UTF-8 encoding.".to_string(),
        ),
    };
    ImportProblem::new("unreadable_file", "", es, en)
}
