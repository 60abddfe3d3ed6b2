//! The three XLSForm containers (.xlsx, .csv, markdown tables) read into
//! one shape: named sheets of text cells with their spreadsheet row numbers.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// One row of a sheet, cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Row number as the user's spreadsheet shows it (1-based).
    pub number: usize,
    pub cells: Vec<String>,
}

/// One sheet: its name as written and its rows, the header row first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

/// A failure to read a file as a workbook at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Xlsx(String),
    Csv(String),
    NotUtf8,
}

/// Reads an .xlsx workbook. Typed cells become text the way pyxform does:
/// whole numbers without ".0", booleans as TRUE/FALSE, dates as ISO 8601.
pub fn read_xlsx(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| ReadError::Xlsx(e.to_string()))?;
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let first_column = range.start().map_or(0, |(_, column)| column as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(index, cells)| {
                let mut row = vec![String::new(); first_column];
                row.extend(cells.iter().map(cell_text));
                Row {
                    number: first_row + index + 1,
                    cells: row,
                }
            })
            .filter(|row| row.cells.iter().any(|cell| !cell.trim().is_empty()))
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook { sheets })
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) => float_text(*number),
        Data::Int(number) => number.to_string(),
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        Data::DateTime(date) => {
            let (year, month, day, hour, minute, second, milli) = date.to_ymd_hms_milli();
            if date.is_duration() {
                float_text(date.as_f64())
            } else if (hour, minute, second, milli) == (0, 0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn float_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

/// Reads pyxform's CSV layout: a value in the first column starts a sheet of
/// that name; the rows below it, from the second column on, are the sheet's
/// rows, the header first.
pub fn read_csv(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::Csv(e.to_string()))?;
        let number = record.position().map_or(index + 1, |p| p.line() as usize);
        lines.push((number, record.iter().map(str::to_string).collect()));
    }
    Ok(split_sheets(lines))
}

/// Reads pyxform's markdown layout: table lines `| sheet | | |` where a
/// value in the first cell starts a sheet, as in the CSV layout.
pub fn read_markdown(text: &str) -> Workbook {
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if !trimmed.starts_with('|') {
            continue;
        }
        let cells = split_markdown_row(trimmed);
        let is_rule = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
        if is_rule {
            continue;
        }
        lines.push((index + 1, cells));
    }
    split_sheets(lines)
}

fn split_markdown_row(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

/// Splits first-column-named sheets. A row's number is the line it came
/// from, which is what an author of a CSV or markdown form sees.
fn split_sheets(lines: Vec<(usize, Vec<String>)>) -> Workbook {
    let mut sheets: Vec<Sheet> = Vec::new();
    for (number, cells) in lines {
        let first = cells.first().map(|c| c.trim()).unwrap_or_default();
        let rest: Vec<String> = cells.iter().skip(1).cloned().collect();
        let has_rest = rest.iter().any(|c| !c.trim().is_empty());
        if !first.is_empty() {
            sheets.push(Sheet {
                name: first.to_string(),
                rows: Vec::new(),
            });
        }
        if has_rest && let Some(sheet) = sheets.last_mut() {
            sheet.rows.push(Row {
                number,
                cells: rest,
            });
        }
    }
    Workbook { sheets }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_sheets_and_escaped_pipes() {
        let book = read_markdown(
            "| survey |\n|  | type | name | label |\n|  | text | a | x \\| y |\n\n| choices |\n|  | list_name | name |\n",
        );
        assert_eq!(book.sheets.len(), 2);
        assert_eq!(book.sheets[0].rows[1].cells, vec!["text", "a", "x | y"]);
        assert_eq!(book.sheets[0].rows[1].number, 3);
        assert_eq!(book.sheets[1].rows.len(), 1);
    }

    #[test]
    fn csv_sheets() {
        let book = read_csv(b"survey,,\n,type,name\n,text,a\nchoices,,\n").expect("csv reads");
        assert_eq!(book.sheets[0].rows[1].cells, vec!["text", "a"]);
        assert!(book.sheets[1].rows.is_empty());
    }

    #[test]
    fn typed_numbers_drop_the_fraction() {
        assert_eq!(float_text(8.0), "8");
        assert_eq!(float_text(18.31), "18.31");
    }
}
