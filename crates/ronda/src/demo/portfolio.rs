//! Demonstration portfolios: accounts placed in real urban localities of Ciudad de México
//! and Estado de México (Fuente: INEGI), written as lenders' CSV files and loaded through
//! the same importer that supervisors use. Each account carries its locality's postal code.

use anyhow::Context;
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_server::api::imports::account_import;
use ronda_store::portfolio::{AccountImport, Lender, Portfolio};
use ronda_store::{Actor, AuditEvent, Store};
use uuid::Uuid;

use super::gpx::Point;
use super::{accents, postal};

/// INEGI's urban localities with their centroids; see data/SOURCES.txt.
const LOCALITIES_CSV: &str =
    include_str!("../../data/inegi_localidades_urbanas_cdmx_edomex_jal_nl.csv");

const FIRST_NAMES: [&str; 16] = [
    "María",
    "José",
    "Guadalupe",
    "Juan",
    "Verónica",
    "Luis",
    "Alejandra",
    "Jorge",
    "Rocío",
    "Miguel",
    "Patricia",
    "Fernando",
    "Adriana",
    "Ricardo",
    "Mónica",
    "Arturo",
];
const SURNAMES: [&str; 16] = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Jiménez",
    "Núñez",
];
const STREETS: [&str; 10] = [
    "Av. Insurgentes",
    "Calle Morelos",
    "Av. Hidalgo",
    "Calle Allende",
    "Calz. de Tlalpan",
    "Calle Zaragoza",
    "Av. Juárez",
    "Calle 5 de Mayo",
    "Calle Independencia",
    "Av. Revolución",
];

struct Locality {
    name: String,
    municipality: String,
    state: &'static str,
    /// Five digits, shared by every account placed in this locality.
    postal_code: String,
    latitude: f64,
    longitude: f64,
    /// Inhabitants in the 2020 census, at least 1 so every locality can be chosen.
    population: u64,
}

/// Reads the bundled localities of Ciudad de México and Estado de México whose
/// municipality has a postal-code block, each with its postal code.
fn localities() -> anyhow::Result<Vec<Locality>> {
    let mut reader = csv::Reader::from_reader(LOCALITIES_CSV.as_bytes());
    let mut localities = Vec::new();
    for record in reader.records() {
        let record = record.context("the bundled INEGI localities file is malformed")?;
        let state = match record.get(3) {
            Some("Ciudad de Mexico") => "Ciudad de México",
            Some("Mexico") => "Estado de México",
            _ => continue,
        };
        if !postal::covers(record.get(2).unwrap_or_default()) {
            continue;
        }
        localities.push(Locality {
            name: record.get(1).unwrap_or_default().to_owned(),
            municipality: record.get(2).unwrap_or_default().to_owned(),
            state,
            postal_code: String::new(),
            latitude: record
                .get(4)
                .and_then(|v| v.parse().ok())
                .unwrap_or_default(),
            longitude: record
                .get(5)
                .and_then(|v| v.parse().ok())
                .unwrap_or_default(),
            population: record
                .get(7)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or_default()
                .max(1),
        });
    }
    anyhow::ensure!(
        !localities.is_empty(),
        "the bundled INEGI localities file has no CDMX rows"
    );
    let names: Vec<(&str, &str)> = localities
        .iter()
        .map(|locality| (locality.name.as_str(), locality.municipality.as_str()))
        .collect();
    let codes = postal::assign(&names);
    for (locality, code) in localities.iter_mut().zip(codes) {
        locality.postal_code = code.with_context(|| {
            format!(
                "no postal code for {} in {}",
                locality.name, locality.municipality
            )
        })?;
        // Postal codes are looked up by the file's spelling, so accents come after.
        locality.name = accents::with_accents(&locality.name);
        locality.municipality = accents::with_accents(&locality.municipality);
    }
    Ok(localities)
}

/// A small deterministic generator, so every demo starts with the same data.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        // xorshift64: fast, reproducible, and good enough for made-up names.
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// Returns a value in `[-1, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() % 2_000_000) as f64 / 1_000_000.0 - 1.0
    }
}

/// Picks a locality with a chance proportional to its population, as debtors are, so most
/// accounts fall in the dense localities of the Valle de México and agents' days stay
/// short enough to drive.
fn pick_by_population<'a>(localities: &'a [Locality], sequence: &mut Sequence) -> &'a Locality {
    let total: u64 = localities.iter().map(|locality| locality.population).sum();
    let mut target = sequence.next() % total.max(1);
    for locality in localities {
        if target < locality.population {
            return locality;
        }
        target -= locality.population;
    }
    &localities[localities.len() - 1]
}

/// A generated account: the lender's account id and the point written in its file.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    pub lender_account_id: String,
    pub point: Point,
}

/// Writes one lender's portfolio file as a CSV, quoting fields as a spreadsheet would, and
/// appends each account's point to `points`.
fn portfolio_csv(
    prefix: &str,
    accounts: usize,
    localities: &[Locality],
    sequence: &mut Sequence,
    points: &mut Vec<DemoAccount>,
) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "No. de crédito",
        "Nombre del cliente",
        "Calle",
        "Núm. ext.",
        "Colonia",
        "C.P.",
        "Alcaldía/Municipio",
        "Estado",
        "Saldo vencido",
        "Días de atraso",
        "Latitud",
        "Longitud",
        "Producto",
        "Teléfono",
    ];
    // csv::Writer over a Vec fails only on I/O errors, which a Vec never returns.
    let _ = writer.write_record(header);
    for i in 0..accounts {
        let locality = pick_by_population(localities, sequence);
        // About ±1.5 km around the locality's centroid.
        let latitude = locality.latitude + sequence.unit() * 0.0135;
        let longitude = locality.longitude + sequence.unit() * 0.0135;
        let name = format!(
            "{} {} {}",
            sequence.pick(&FIRST_NAMES),
            sequence.pick(&SURNAMES),
            sequence.pick(&SURNAMES)
        );
        let product = if i % 3 == 0 {
            "Tarjeta de crédito"
        } else {
            "Crédito personal"
        };
        let lender_account_id = format!("{prefix}-{i:05}");
        points.push(DemoAccount {
            lender_account_id: lender_account_id.clone(),
            point: Point {
                latitude,
                longitude,
            },
        });
        let record = [
            lender_account_id,
            name,
            sequence.pick(&STREETS).to_owned(),
            (1 + sequence.next() % 480).to_string(),
            locality.name.clone(),
            locality.postal_code.clone(),
            locality.municipality.clone(),
            locality.state.to_owned(),
            format!("${}.00", 1_500 + sequence.next() % 48_000),
            (15 + sequence.next() % 170).to_string(),
            format!("{latitude:.6}"),
            format!("{longitude:.6}"),
            product.to_owned(),
            // A ten-digit number in the 55 area (Mexico City and its metropolitan area).
            format!(
                "55 {:04} {:04}",
                1_000 + sequence.next() % 9_000,
                sequence.next() % 10_000
            ),
        ];
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn system_audit(org: OrganizationId, action: &'static str) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind: "portfolio",
        target_id: None,
        details: serde_json::json!({ "source": "ronda demo" }),
        at: Timestamp::now(),
    }
}

/// Creates two lenders with one portfolio each and imports `accounts_per_lender` accounts
/// into each through the importer. Returns the generated accounts with their points.
pub async fn load(
    store: &dyn Store,
    org: OrganizationId,
    accounts_per_lender: usize,
) -> anyhow::Result<Vec<DemoAccount>> {
    let localities = localities()?;
    let mut sequence = Sequence(0x5eed_2026_c0b2_a7a1);
    let lenders = [
        ("Financiera del Valle", "FV"),
        ("Crédito Popular Azteca", "CPA"),
    ];
    let mut generated = Vec::new();
    for (lender_name, prefix) in lenders {
        let lender = Lender {
            id: Uuid::now_v7(),
            organization_id: org,
            name: lender_name.to_owned(),
            redeco_registration: Some(format!("REDECO-{prefix}-2026-001")),
            complaint_unit_contact: Some("une@ejemplo.mx, 55 5000 1234".to_owned()),
            collection_phones: vec!["55 5000 2000".to_owned()],
            payment_references: vec![format!("Depósito BBVA convenio 1234 referencia {prefix}")],
            created_at: Timestamp::now(),
        };
        store
            .create_lender(&lender, &system_audit(org, "lender.created"))
            .await?;
        let portfolio = Portfolio {
            id: Uuid::now_v7(),
            organization_id: org,
            lender_id: lender.id,
            lender_name: lender.name.clone(),
            name: "Cartera diciembre 2026".to_owned(),
            account_count: 0,
            created_at: Timestamp::now(),
        };
        store
            .create_portfolio(&portfolio, &system_audit(org, "portfolio.created"))
            .await?;

        let file = portfolio_csv(
            prefix,
            accounts_per_lender,
            &localities,
            &mut sequence,
            &mut generated,
        );
        let table = ronda_import::read_table(file.as_bytes(), None)?;
        let validation =
            ronda_import::validate(&table, &ronda_import::Mapping::suggest(&table.headers));
        if let Some(problem) = validation.problems.first() {
            anyhow::bail!(
                "demo portfolio has an invalid row: {}",
                problem.message_en()
            );
        }
        let accounts: Vec<AccountImport> = validation
            .accounts
            .into_iter()
            .map(account_import)
            .collect();
        store
            .import_accounts(
                &portfolio,
                &accounts,
                true,
                &system_audit(org, "portfolio.imported"),
            )
            .await?;
    }
    Ok(generated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_files_import_cleanly() {
        let localities = localities().expect("bundled data");
        // The bundled file has 451 such localities, about 96 % of the two states' urban population.
        assert!(
            localities.len() > 400,
            "CDMX and Estado de México localities: {}",
            localities.len()
        );
        let mut points = Vec::new();
        let file = portfolio_csv("T", 300, &localities, &mut Sequence(7), &mut points);
        assert_eq!(points.len(), 300);
        let table = ronda_import::read_table(file.as_bytes(), None).expect("readable");
        let validation =
            ronda_import::validate(&table, &ronda_import::Mapping::suggest(&table.headers));
        assert!(
            validation.problems.is_empty(),
            "{:?}",
            validation.problems.first().map(|p| p.message_en())
        );
        assert_eq!(validation.accounts.len(), 300);
        for account in &validation.accounts {
            assert_eq!(account.phones.len(), 1, "{}", account.lender_account_id);
            assert_eq!(
                account.phones[0]
                    .chars()
                    .filter(char::is_ascii_digit)
                    .count(),
                10,
                "{:?}",
                account.phones
            );
        }
        let zones: std::collections::HashSet<_> = validation
            .accounts
            .iter()
            .filter_map(|a| a.address.time_zone.clone())
            .collect();
        assert_eq!(zones.len(), 1, "all in central Mexico time: {zones:?}");
    }

    #[test]
    fn demo_place_names_have_accents() {
        let localities = localities().expect("bundled data");
        let coyoacan = localities
            .iter()
            .find(|locality| locality.name == "Coyoacán")
            .expect("Coyoacán");
        assert_eq!(coyoacan.municipality, "Coyoacán");
        assert!(
            localities
                .iter()
                .any(|locality| locality.municipality == "Álvaro Obregón")
        );
        assert!(
            localities
                .iter()
                .all(|locality| locality.name != "Coyoacan")
        );
    }

    #[test]
    fn demo_accounts_have_postal_codes_of_their_state() {
        let localities = localities().expect("bundled data");
        let mut points = Vec::new();
        let file = portfolio_csv("T", 300, &localities, &mut Sequence(7), &mut points);
        let table = ronda_import::read_table(file.as_bytes(), None).expect("readable");
        let validation =
            ronda_import::validate(&table, &ronda_import::Mapping::suggest(&table.headers));
        assert!(validation.problems.is_empty());

        let mut codes_by_colonia = std::collections::HashMap::new();
        let mut accounts_by_code = std::collections::HashMap::new();
        for account in &validation.accounts {
            let address = &account.address;
            let code = address.postal_code.clone().expect("postal code imported");
            let number: u32 = code.parse().expect("digits");
            assert_eq!(code.len(), 5, "{code}");
            // The importer writes Estado de México by its official name, "México".
            match address.state.as_deref() {
                Some("Ciudad de México") => assert!((1000..17000).contains(&number), "{code}"),
                Some("México") => assert!((50000..58000).contains(&number), "{code}"),
                other => panic!("unexpected state {other:?}"),
            }
            let colonia = (address.colonia.clone(), address.municipality.clone());
            let previous = codes_by_colonia.insert(colonia.clone(), code.clone());
            assert!(
                previous.is_none_or(|previous| previous == code),
                "{colonia:?} has two postal codes"
            );
            *accounts_by_code.entry(code).or_insert(0) += 1;
        }
        // Assigning by postal code should select a group of accounts, not one at a time.
        let largest = accounts_by_code.values().copied().max().unwrap_or(0);
        assert!(largest >= 10, "largest postal code group: {largest}");
    }
}
