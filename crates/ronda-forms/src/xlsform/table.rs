//! A sheet read through its header row: which column holds what, with
//! duplicate and language problems reported against the header.

use std::collections::HashMap;

use super::headers::{ColumnKind, column_kind, language_code};
use super::problem::ImportProblem;
use super::workbook::{Row, Sheet};

/// A column key: a plain column, or a translated one in `es`/`en`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Plain(String),
    Translated(String, &'static str),
}

pub struct Table<'a> {
    /// Column index -> (header as written, key). Columns with an unsupported
    /// language are left out (and reported).
    pub columns: Vec<(usize, String, Key)>,
    pub rows: &'a [Row],
}

impl<'a> Table<'a> {
    /// Reads the header row of `sheet`. `default_language` gives the
    /// language of translated columns written without one.
    pub fn read(
        sheet: &'a Sheet,
        name: &'static str,
        default_language: &'static str,
        problems: &mut Vec<ImportProblem>,
    ) -> Table<'a> {
        let Some((header, rows)) = sheet.rows.split_first() else {
            return Table {
                columns: Vec::new(),
                rows: &[],
            };
        };
        let mut columns = Vec::new();
        let mut seen: HashMap<Key, String> = HashMap::new();
        for (index, raw) in header.cells.iter().enumerate() {
            let written = raw.trim();
            if written.is_empty() {
                continue;
            }
            let key = match column_kind(written) {
                ColumnKind::Plain(base) => Key::Plain(base),
                ColumnKind::Translated(base, None) => Key::Translated(base, default_language),
                ColumnKind::Translated(base, Some(language)) => match language_code(&language) {
                    Some(code) => Key::Translated(base, code),
                    None => {
                        let used = rows
                            .iter()
                            .any(|r| r.cells.get(index).is_some_and(|c| !c.trim().is_empty()));
                        if used {
                            problems.push(
                                ImportProblem::new(
                                    "unsupported_language",
                                    name,
                                    format!("La columna «{written}» está en el idioma «{language}»; Ronda admite español (es) e inglés (en). Cambie el encabezado a «{base}::Español (es)» o «{base}::English (en)», o borre la columna."),
                                    format!("Column '{written}' is in language '{language}'; Ronda supports Spanish (es) and English (en). Rename it to '{base}::Español (es)' or '{base}::English (en)', or delete it."),
                                )
                                .row(header.number)
                                .column(written),
                            );
                        }
                        continue;
                    }
                },
            };
            if let Some(first) = seen.get(&key) {
                problems.push(
                    ImportProblem::new(
                        "duplicate_column",
                        name,
                        format!("La columna «{written}» repite a «{first}» en la hoja {name}; deje solo una."),
                        format!("Column '{written}' repeats '{first}' on sheet {name}; keep only one."),
                    )
                    .row(header.number)
                    .column(written),
                );
                continue;
            }
            seen.insert(key.clone(), written.to_string());
            columns.push((index, written.to_string(), key));
        }
        Table { columns, rows }
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.columns
            .iter()
            .any(|(_, _, key)| matches!(key, Key::Plain(base) if base == name))
    }

    /// Languages of the translated columns that hold a value.
    pub fn languages(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (index, _, key) in &self.columns {
            if let Key::Translated(_, language) = key
                && self
                    .rows
                    .iter()
                    .any(|r| r.cells.get(*index).is_some_and(|c| !c.trim().is_empty()))
                && !out.contains(language)
            {
                out.push(*language);
            }
        }
        out
    }
}

/// Reads the header languages of a sheet before the default language is
/// known: explicit languages only.
pub fn explicit_languages(sheet: &Sheet) -> Vec<&'static str> {
    let Some((header, rows)) = sheet.rows.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, raw) in header.cells.iter().enumerate() {
        if let ColumnKind::Translated(_, Some(language)) = column_kind(raw)
            && let Some(code) = language_code(&language)
            && rows
                .iter()
                .any(|r| r.cells.get(index).is_some_and(|c| !c.trim().is_empty()))
            && !out.contains(&code)
        {
            out.push(code);
        }
    }
    out
}

/// One data row seen through its table's columns.
pub struct RowView<'t, 'a> {
    pub table: &'t Table<'a>,
    pub row: &'a Row,
}

impl RowView<'_, '_> {
    /// The trimmed, non-empty value of a plain column.
    pub fn plain(&self, name: &str) -> Option<&str> {
        self.find(|key| matches!(key, Key::Plain(base) if base == name))
    }

    /// The trimmed, non-empty value of a translated column in `language`.
    pub fn translated(&self, name: &str, language: &str) -> Option<&str> {
        self.find(|key| matches!(key, Key::Translated(base, l) if base == name && *l == language))
    }

    fn find(&self, matches: impl Fn(&Key) -> bool) -> Option<&str> {
        let (index, _, _) = self.table.columns.iter().find(|(_, _, key)| matches(key))?;
        let value = self.row.cells.get(*index)?.trim();
        (!value.is_empty()).then_some(value)
    }

    /// Columns with a value that are not among `known`, as (header, value).
    pub fn unknown(&self, known: &[&str]) -> Vec<&str> {
        self.table
            .columns
            .iter()
            .filter(|(index, _, key)| {
                let base = match key {
                    Key::Plain(base) | Key::Translated(base, _) => base,
                };
                !known.contains(&base.as_str())
                    && self
                        .row
                        .cells
                        .get(*index)
                        .is_some_and(|c| !c.trim().is_empty())
            })
            .map(|(_, header, _)| header.as_str())
            .collect()
    }

    pub fn is_blank(&self) -> bool {
        self.row.cells.iter().all(|c| c.trim().is_empty())
    }
}
