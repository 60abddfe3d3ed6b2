//! Reading a portfolio file into a header and rows of cells. CSV files may be UTF-8 (with
//! or without BOM), UTF-16 with BOM or Windows-1252, separated by commas, semicolons or
//! tabs. XLSX files may have the data on any sheet.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use serde::Serialize;

/// One cell as the file stored it. Excel dates stay serial numbers until a column's
/// meaning is known.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// Days since 1899-12-30, Excel's 1900 date system.
    ExcelDate(f64),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// Returns the cell as a person would read it in the file.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(number) | Cell::ExcelDate(number) => format_number(*number),
            Cell::Bool(value) => value.to_string(),
        }
    }
}

fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    }
}

/// A data row and its number in the file, counted from 1 as a spreadsheet shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

/// Format details of a file that was read, for the import report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Format {
    /// `csv` or `xlsx`.
    pub kind: &'static str,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
}

/// The header row and the data rows of one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Row number of the header.
    pub header_row: usize,
    pub rows: Vec<Row>,
    pub format: Format,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty or has no rows with data")]
    Empty,
    #[error("the XLSX file could not be read: {0}")]
    Xlsx(String),
    #[error("sheet {requested:?} not found; the file has {available:?}")]
    SheetNotFound {
        requested: String,
        available: Vec<String>,
    },
    #[error("row {row}: {message}")]
    Csv { row: usize, message: String },
    #[error("the header row has no column names")]
    NoHeaders,
    #[error("the file is neither text (CSV) nor an XLSX workbook")]
    NotText,
}

/// The ZIP signature that every XLSX file starts with.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads a whole CSV or XLSX file into memory. `sheet` chooses an XLSX sheet by name;
/// without it the first sheet that has data is read. Large imports use [`read_rows`].
pub fn read_table(bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    let mut rows = Vec::new();
    let head = read_rows(bytes, sheet, &mut |row| {
        rows.push(row);
        true
    })?;
    Ok(Table {
        headers: head.headers,
        header_row: head.header_row,
        rows,
        format: head.format,
    })
}

/// The header of a file and how it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct TableHead {
    pub headers: Vec<String>,
    /// Row number of the header.
    pub header_row: usize,
    pub format: Format,
}

/// Reads a CSV or XLSX file one data row at a time, so memory does not grow with the
/// number of rows. The first non-blank row is the header. Blank rows are skipped, and
/// columns past the last header are dropped. `on_row` returns `false` to stop reading.
/// Returns the header once the rows are read.
pub fn read_rows(
    bytes: &[u8],
    sheet: Option<&str>,
    on_row: &mut dyn FnMut(Row) -> bool,
) -> Result<TableHead, ReadError> {
    if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes, sheet, on_row)
    } else {
        read_csv(bytes, on_row)
    }
}

/// Lists the sheet names of an XLSX file; a CSV file has none.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    if !bytes.starts_with(ZIP_MAGIC) {
        return Ok(Vec::new());
    }
    let workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    Ok(workbook.sheet_names())
}

fn read_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    on_row: &mut dyn FnMut(Row) -> bool,
) -> Result<TableHead, ReadError> {
    let xlsx_error = |e: calamine::XlsxError| ReadError::Xlsx(e.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let names = workbook.sheet_names();
    let candidates: Vec<String> = match sheet {
        Some(requested) => {
            let found = names
                .iter()
                .find(|name| name.trim().eq_ignore_ascii_case(requested.trim()));
            let Some(found) = found else {
                return Err(ReadError::SheetNotFound {
                    requested: requested.to_owned(),
                    available: names,
                });
            };
            vec![found.clone()]
        }
        None => names,
    };
    for name in candidates {
        let format = Format {
            kind: "xlsx",
            encoding: None,
            delimiter: None,
            sheet: Some(name.clone()),
        };
        let read = {
            let mut ended = false;
            let mut cells = workbook.worksheet_cells_reader(&name).map_err(xlsx_error)?;
            let mut pending: Option<Row> = None;
            // Cells arrive row by row; a row is complete when a cell of a later row arrives.
            let rows = std::iter::from_fn(|| {
                loop {
                    if ended {
                        return None;
                    }
                    match cells.next_cell() {
                        Err(error) => return Some(Err(xlsx_error(error))),
                        Ok(None) => {
                            // The reader fails when asked again after the end.
                            ended = true;
                            return pending.take().map(Ok);
                        }
                        Ok(Some(cell)) => {
                            let (row_index, column) = cell.get_position();
                            let number = row_index as usize + 1;
                            let finished = match &pending {
                                Some(row) if row.number != number => pending.take(),
                                _ => None,
                            };
                            let row = pending.get_or_insert_with(|| Row {
                                number,
                                cells: Vec::new(),
                            });
                            let column = column as usize;
                            if row.cells.len() <= column {
                                row.cells.resize(column + 1, Cell::Empty);
                            }
                            row.cells[column] = xlsx_cell(cell.get_value());
                            if let Some(finished) = finished {
                                return Some(Ok(finished));
                            }
                        }
                    }
                }
            });
            feed(rows, format, on_row)
        };
        match read {
            Err(ReadError::Empty) if sheet.is_none() => continue,
            other => return other,
        }
    }
    Err(ReadError::Empty)
}

fn xlsx_cell(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(text) => text_cell(text),
        DataRef::SharedString(text) => text_cell(text),
        DataRef::Float(number) => Cell::Number(*number),
        DataRef::Int(number) => Cell::Number(*number as f64),
        DataRef::Bool(value) => Cell::Bool(*value),
        DataRef::DateTime(date) => Cell::ExcelDate(date.as_f64()),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Cell::Text(text.clone()),
        DataRef::Error(error) => Cell::Text(format!("#{error:?}")),
    }
}

/// Tells an image, PDF or old .xls file apart from a CSV: text files have almost no
/// control characters besides tabs and line breaks.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(4096).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        .count();
    // Compressed binary data has about one control character in eight; text has none.
    !sample.is_empty() && control * 20 > sample.len()
}

/// Makes a text cell without NUL characters, which PostgreSQL cannot store in text.
fn text_cell(value: &str) -> Cell {
    let text = value.replace('\0', "");
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}

/// Decodes text. A UTF-8 or UTF-16 byte-order mark wins. Otherwise valid UTF-8 is UTF-8,
/// and anything else is taken as Windows-1252, which Excel in Spanish writes as "CSV".
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_with_bom_removal(bytes);
        return (text.into_owned(), encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// Picks the delimiter that occurs most often, outside quotes, in the first non-blank line.
/// Ties go to the comma.
pub fn detect_delimiter(text: &str) -> u8 {
    let line = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if let Some(entry) = counts
            .iter_mut()
            .find(|(delimiter, _)| !quoted && *delimiter == byte)
        {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, entry| if entry.1 > best.1 { *entry } else { best },
        )
        .0
}

fn read_csv(bytes: &[u8], on_row: &mut dyn FnMut(Row) -> bool) -> Result<TableHead, ReadError> {
    let (text, encoding) = decode(bytes);
    if looks_binary(&text) {
        return Err(ReadError::NotText);
    }
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut count = 0;
    let rows = reader.records().map(|record| {
        let record = record.map_err(|error| ReadError::Csv {
            row: error.position().map_or(0, |p| p.line() as usize),
            message: error.to_string(),
        })?;
        count += 1;
        let number = record
            .position()
            .map_or(count, |p| record_line(text.as_bytes(), p));
        Ok(Row {
            number,
            cells: record.iter().map(text_cell).collect(),
        })
    });
    let format = Format {
        kind: "csv",
        encoding: Some(encoding),
        delimiter: Some(delimiter as char),
        sheet: None,
    };
    feed(rows, format, on_row)
}

/// Returns the line a CSV record starts on. The reader reports where the previous record
/// ended, so blank lines before the record are skipped here.
fn record_line(text: &[u8], position: &csv::Position) -> usize {
    let mut line = position.line() as usize;
    for byte in text.iter().skip(position.byte() as usize) {
        match byte {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// Takes the first non-blank row as the header and passes on the data rows, without blank
/// rows and cut to the header's width. Fails with [`ReadError::Empty`] when no data row
/// follows the header.
fn feed(
    rows: impl Iterator<Item = Result<Row, ReadError>>,
    format: Format,
    on_row: &mut dyn FnMut(Row) -> bool,
) -> Result<TableHead, ReadError> {
    let mut head: Option<TableHead> = None;
    let mut data_rows = 0usize;
    for row in rows {
        let mut row = row?;
        if row.cells.iter().all(Cell::is_empty) {
            continue;
        }
        let Some(head) = &head else {
            head = Some(header_of(&row, &format)?);
            continue;
        };
        row.cells.truncate(head.headers.len());
        if row.cells.iter().all(Cell::is_empty) {
            continue;
        }
        data_rows += 1;
        if !on_row(row) {
            break;
        }
    }
    match head {
        Some(head) if data_rows > 0 => Ok(head),
        _ => Err(ReadError::Empty),
    }
}

fn header_of(row: &Row, format: &Format) -> Result<TableHead, ReadError> {
    let mut headers: Vec<String> = row
        .cells
        .iter()
        .map(|cell| cell.display().trim().to_owned())
        .collect();
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    if headers.is_empty() {
        return Err(ReadError::NoHeaders);
    }
    Ok(TableHead {
        headers,
        header_row: row.number,
        format: format.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_files_are_not_csv() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06";
        assert_eq!(read_table(png, None), Err(ReadError::NotText));
        assert!(!looks_binary("No. de crédito;Nombre\tx\r\n"));
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(
            detect_delimiter("\"Saldo, vencido\";b;c"),
            b';',
            "commas inside quotes do not count"
        );
        assert_eq!(detect_delimiter("solo"), b',');
    }

    #[test]
    fn decoding_variants() {
        assert_eq!(decode("Núm".as_bytes()), ("Núm".to_owned(), "UTF-8"));
        assert_eq!(
            decode(b"\xEF\xBB\xBFN\xC3\xBAm"),
            ("Núm".to_owned(), "UTF-8")
        );
        assert_eq!(decode(b"N\xFAm"), ("Núm".to_owned(), "windows-1252"));
        assert_eq!(
            decode(b"\xFF\xFEN\x00\xFA\x00m\x00"),
            ("Núm".to_owned(), "UTF-16LE")
        );
    }
}
