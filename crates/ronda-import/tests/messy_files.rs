//! Portfolio files as lenders really send them: every encoding and delimiter, Excel's
//! damage to postal codes and dates, amounts with symbols, blank lines, trailing empty
//! columns and duplicated accounts.

use ronda_import::{
    Cell, Field, Mapping, ProblemCode, ReadError, read_table, sheet_names, validate,
};

const HEADER: &str = "No. de crédito,Nombre del cliente,Calle,Núm. ext.,Colonia,C.P.,Alcaldía/Municipio,Estado,Saldo vencido,Días de atraso,Latitud,Longitud";

fn import(bytes: &[u8]) -> ronda_import::Validation {
    let table = read_table(bytes, None).expect("readable file");
    let mapping = Mapping::suggest(&table.headers);
    validate(&table, &mapping)
}

#[test]
fn utf8_csv_with_everything_right() {
    let file = format!(
        "{HEADER}\nCR-001,María Peña Núñez,Av. Insurgentes Sur,1602,Crédito Constructor,03940,Benito Juárez,CDMX,\"$12,345.50\",45,19.3635,-99.1793\n"
    );
    let result = import(file.as_bytes());
    assert!(result.problems.is_empty(), "{:?}", result.problems);
    let account = &result.accounts[0];
    assert_eq!(account.lender_account_id, "CR-001");
    assert_eq!(account.debtor_name, "María Peña Núñez");
    assert_eq!(account.overdue_cents, Some(1_234_550));
    assert_eq!(account.days_past_due, Some(45));
    assert_eq!(account.currency, "MXN");
    assert_eq!(account.address.postal_code.as_deref(), Some("03940"));
    assert_eq!(account.address.point, Some((19.3635, -99.1793)));
    assert_eq!(account.address.state.as_deref(), Some("Ciudad de México"));
    assert_eq!(
        account.address.time_zone.as_deref(),
        Some("America/Mexico_City")
    );
    assert_eq!(account.row, 2);
    assert!(
        account
            .address
            .original_text
            .contains("Av. Insurgentes Sur 1602"),
        "{}",
        account.address.original_text
    );
}

#[test]
fn bom_and_windows_1252_read_the_same_accents() {
    let text = format!(
        "{HEADER}\nCR-002,José Ñañez,Calle 5,S/N,Centro,1000,Álvaro Obregón,CDMX,900,3,,\n"
    );
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(text.as_bytes());
    let (windows, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    for bytes in [with_bom, windows.into_owned()] {
        let table = read_table(&bytes, None).expect("readable");
        assert_eq!(table.headers[0], "No. de crédito");
        let result = validate(&table, &Mapping::suggest(&table.headers));
        assert!(result.problems.is_empty(), "{:?}", result.problems);
        assert_eq!(result.accounts[0].debtor_name, "José Ñañez");
        assert_eq!(
            result.accounts[0].address.municipality.as_deref(),
            Some("Álvaro Obregón")
        );
        assert_eq!(
            result.accounts[0].address.postal_code.as_deref(),
            Some("01000"),
            "leading zero restored"
        );
        assert_eq!(
            result.accounts[0].address.exterior_number.as_deref(),
            Some("S/N")
        );
    }
}

#[test]
fn semicolon_and_tab_delimiters() {
    for delimiter in [';', '\t'] {
        let header = HEADER.replace(',', &delimiter.to_string());
        let line = [
            "CR-3",
            "Ana",
            "Roble",
            "4",
            "Centro",
            "64000",
            "Monterrey",
            "NL",
            "$1,500.00",
            "10",
            "25.67",
            "-100.31",
        ]
        .join(&delimiter.to_string());
        let result = import(format!("{header}\n{line}\n").as_bytes());
        assert!(
            result.problems.is_empty(),
            "{delimiter:?}: {:?}",
            result.problems
        );
        assert_eq!(
            result.accounts[0].overdue_cents,
            Some(150_000),
            "{delimiter:?}"
        );
    }
}

#[test]
fn blank_lines_and_trailing_empty_columns() {
    let file = format!(
        "\n\n{HEADER},,,\nCR-1,Ana,,,,,,,100,1,,,,,\n\n,,,,,,,,,,,\nCR-2,Beto,,,,,,,200,2,,\n\n"
    );
    let table = read_table(file.as_bytes(), None).expect("readable");
    assert_eq!(table.headers.len(), 12, "trailing empty headers dropped");
    assert_eq!(table.header_row, 3);
    let result = validate(&table, &Mapping::suggest(&table.headers));
    assert_eq!(result.rows_read, 2);
    assert_eq!(result.accounts.len(), 2);
    assert_eq!(result.accounts[1].row, 7, "row numbers match the file");
}

#[test]
fn bad_values_name_row_and_column() {
    let file = format!(
        "{HEADER}\n\
         CR-1,Ana,,,,,,,\"1.234,56\",10,,\n\
         ,Beto,,,,,,,100,10,,\n\
         CR-3,,,,,,,,100,diez,,\n\
         CR-4,Carla,,,,640,,,100,1,,\n\
         CR-5,Dora,,,,,,,100,1,-99.13,19.43\n\
         CR-6,Eva,,,,,,,100,1,19.43,\n\
         CR-1,Otra Ana,,,,,,,100,1,,\n"
    );
    let result = import(file.as_bytes());
    let found: Vec<(usize, &str, ProblemCode)> = result
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.code))
        .collect();
    let expected = [
        (2, "Saldo vencido", ProblemCode::DecimalComma),
        (3, "No. de crédito", ProblemCode::MissingAccountId),
        (4, "Nombre del cliente", ProblemCode::MissingDebtorName),
        (4, "Días de atraso", ProblemCode::InvalidDays),
        (5, "C.P.", ProblemCode::InvalidPostalCode),
        (6, "Latitud / Longitud", ProblemCode::OutsideMexico),
        (7, "Longitud", ProblemCode::HalfCoordinate),
        // Row 2 was rejected, but the file still contains CR-1 twice.
        (8, "No. de crédito", ProblemCode::DuplicateAccountId),
    ];
    for problem in expected {
        assert!(found.contains(&problem), "missing {problem:?} in {found:?}");
    }
    assert!(result.accounts.is_empty(), "{:?}", result.accounts);
    assert_eq!(result.rejected_rows(), 7);
}

#[test]
fn states_give_time_zones() {
    let file = format!(
        "{HEADER}\nA,Ana,,,,,Benito Juárez,Q. Roo,1,1,,\nB,Beto,,,,,Juárez,Chihuahua,1,1,,\nC,Cata,,,,,,Narnia,1,1,,\n"
    );
    let result = import(file.as_bytes());
    let zones: Vec<Option<&str>> = result
        .accounts
        .iter()
        .map(|a| a.address.time_zone.as_deref())
        .collect();
    assert_eq!(
        zones,
        [Some("America/Cancun"), Some("America/Ciudad_Juarez")]
    );
    assert_eq!(result.problems.len(), 1);
    assert_eq!(result.problems[0].code, ProblemCode::UnknownState);
    assert_eq!(
        (result.problems[0].row, result.problems[0].column.as_str()),
        (4, "Estado")
    );
}

#[test]
fn duplicate_account_ids_name_the_first_row() {
    let file = format!("{HEADER}\nCR-9,Ana,,,,,,,100,1,,\nCR-9,Ana Bis,,,,,,,100,1,,\n");
    let result = import(file.as_bytes());
    assert_eq!(result.accounts.len(), 1);
    let problem = &result.problems[0];
    assert_eq!(problem.code, ProblemCode::DuplicateAccountId);
    assert_eq!((problem.row, problem.first_row), (3, Some(2)));
    assert!(
        problem.message_es().contains("fila 2"),
        "{}",
        problem.message_es()
    );
    assert!(problem.fix_es().contains("una sola fila"));
    assert!(
        problem
            .message_en()
            .starts_with("row 3, column \"No. de crédito\""),
        "{}",
        problem.message_en()
    );
}

fn workbook_bytes() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("Instrucciones").expect("sheet name");
    let sheet = workbook.add_worksheet();
    sheet.set_name("Cartera Nov").expect("sheet name");
    let headers = [
        "No. de crédito",
        "Nombre del cliente",
        "C.P.",
        "Saldo vencido",
        "Fecha de último pago",
        "Latitud",
        "Longitud",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet
            .write_string(1, column as u16, *header)
            .expect("write header");
    }
    sheet.write_number(2, 0, 100_234.0).expect("write");
    sheet.write_string(2, 1, "Rocío Ibáñez").expect("write");
    sheet.write_number(2, 2, 1000.0).expect("write");
    sheet.write_number(2, 3, 15_999.9).expect("write");
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_number_with_format(2, 4, 46_360.0, &date_format)
        .expect("write");
    sheet.write_number(2, 5, 20.6597).expect("write");
    sheet.write_number(2, 6, -103.3496).expect("write");
    workbook.save_to_buffer().expect("xlsx bytes")
}

#[test]
fn xlsx_on_second_sheet_with_excel_types() {
    let bytes = workbook_bytes();
    assert_eq!(
        sheet_names(&bytes).expect("names"),
        ["Instrucciones", "Cartera Nov"]
    );
    let table = read_table(&bytes, None).expect("first sheet with data");
    assert_eq!(table.format.sheet.as_deref(), Some("Cartera Nov"));
    assert_eq!(table.header_row, 2);
    let mapping = Mapping::suggest(&table.headers);
    assert_eq!(mapping.columns[4], None, "the date column stays custom");
    let result = validate(&table, &mapping);
    assert!(result.problems.is_empty(), "{:?}", result.problems);
    let account = &result.accounts[0];
    assert_eq!(account.row, 3);
    assert_eq!(
        account.lender_account_id, "100234",
        "numeric ids keep their digits"
    );
    assert_eq!(account.address.postal_code.as_deref(), Some("01000"));
    assert_eq!(account.overdue_cents, Some(1_599_990));
    assert_eq!(account.custom_fields["Fecha de último pago"], "2026-12-04");

    let named = read_table(&bytes, Some("cartera nov")).expect("sheet by name");
    assert_eq!(named.rows.len(), 1);
    let missing = read_table(&bytes, Some("Diciembre")).expect_err("no such sheet");
    assert!(
        matches!(missing, ReadError::SheetNotFound { ref available, .. } if available.len() == 2),
        "{missing:?}"
    );
}

#[test]
fn unreadable_files_get_clear_errors() {
    assert_eq!(read_table(b"", None), Err(ReadError::Empty));
    assert_eq!(read_table(b"\n\n,,,\n", None), Err(ReadError::Empty));
    assert_eq!(
        read_table(format!("{HEADER}\n").as_bytes(), None),
        Err(ReadError::Empty)
    );
    assert!(matches!(
        read_table(b"PK\x03\x04garbage", None),
        Err(ReadError::Xlsx(_))
    ));
}

#[test]
fn mapping_can_be_edited() {
    let file = "Folio,Titular,Monto vencido,Teléfonos\nA1,Luis,500,55 1234 5678 / 55 8765 4321\n";
    let table = read_table(file.as_bytes(), None).expect("readable");
    let mut mapping = Mapping::suggest(&table.headers);
    assert_eq!(mapping.columns[2], Some(Field::OverdueAmount));
    assert_eq!(
        mapping.columns[3], None,
        "'Teléfonos' is not a known spelling"
    );
    mapping.columns[3] = Some(Field::Phone);
    let result = validate(&table, &mapping);
    assert_eq!(result.accounts[0].phones, ["55 1234 5678", "55 8765 4321"]);
    assert_eq!(table.rows[0].cell(0), &Cell::Text("A1".into()));
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(table) = ronda_import::read_table(&bytes, None) {
                let mapping = ronda_import::Mapping::suggest(&table.headers);
                let _ = ronda_import::validate(&table, &mapping);
            }
        }

        #[test]
        fn on_arbitrary_csv_text(lines in proptest::collection::vec("[a-zA-Z0-9ñá$,.;\"/ \t-]{0,40}", 0..12)) {
            let text = format!("{}\n{}", super::HEADER, lines.join("\n"));
            if let Ok(table) = ronda_import::read_table(text.as_bytes(), None) {
                let mapping = ronda_import::Mapping::suggest(&table.headers);
                let result = ronda_import::validate(&table, &mapping);
                prop_assert!(result.accounts.len() + result.rejected_rows() <= result.rows_read);
            }
        }
    }
}
