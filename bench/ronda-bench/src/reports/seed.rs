//! The organization the reports benchmark measures: lenders, portfolios, agents and
//! accounts made through the store or in bulk, then a year of field visits and
//! hand-recorded contact attempts, each also handed to the rollup aggregator.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_store::contact::{ContactChannel, PendingAttempt};
use ronda_store::portfolio::{Lender, Portfolio};
use ronda_store::report::PendingVisit;
use ronda_store::report::productivity::ProductivityVisit;
use ronda_store::{NewUser, Organization, Store};
use uuid::Uuid;

use super::db::{Loader, opt_int, opt_text, text};
use super::rollup::Rollups;
use crate::http::BenchResult;
use crate::import::audit;

/// Zone, state, municipality, latitude and longitude of each agent territory.
pub(crate) const TERRITORIES: [(&str, &str, &str, f64, f64); 6] = [
    (
        "America/Mexico_City",
        "Ciudad de México",
        "Iztapalapa",
        19.3574,
        -99.0671,
    ),
    (
        "America/Mexico_City",
        "Jalisco",
        "Guadalajara",
        20.6597,
        -103.3496,
    ),
    (
        "America/Monterrey",
        "Nuevo León",
        "Monterrey",
        25.6866,
        -100.3161,
    ),
    (
        "America/Cancun",
        "Quintana Roo",
        "Benito Juárez",
        21.1619,
        -86.8515,
    ),
    (
        "America/Hermosillo",
        "Sonora",
        "Hermosillo",
        29.0729,
        -110.9559,
    ),
    (
        "America/Tijuana",
        "Baja California",
        "Tijuana",
        32.5149,
        -117.0382,
    ),
];
pub(crate) const AGENTS: usize = 60;
const SUPERVISORS: usize = 4;
const ACCOUNTS_PER_AGENT: usize = 1_000;
const LENDERS: [&str; 3] = [
    "Financiera Azteca Bench",
    "Crédito Norte",
    "Caja Popular Sur",
];
/// Weights of the local hours 8 to 20 in which a visit ends.
const HOUR_WEIGHTS: [u64; 13] = [4, 8, 10, 10, 9, 7, 6, 8, 9, 8, 6, 4, 2];
/// Result codes of the default catalogue with their weight among visits.
const VISIT_CODES: [(&str, u64); 12] = [
    ("NOBODY_HOME", 35),
    ("MESSAGE_LEFT", 20),
    ("PTP", 12),
    ("REFUSED", 8),
    ("MOVED", 5),
    ("PAID", 4),
    ("ADDRESS_NOT_FOUND", 4),
    ("AGREEMENT", 3),
    ("UNINHABITED", 3),
    ("WRONG_PARTY", 3),
    ("DISPUTED", 2),
    ("UNSAFE", 1),
];
const ATTEMPT_CODES: [(&str, u64); 5] = [
    ("MESSAGE_LEFT", 40),
    ("PTP", 20),
    ("REFUSED", 15),
    ("WRONG_PARTY", 15),
    ("DISPUTED", 10),
];
const DOUBTFUL_REASONS: [&str; 4] = [
    r#"[{"code":"poor_accuracy","accuracy_m":180.0}]"#,
    r#"[{"code":"stale_fix","fix_age_ms":900000}]"#,
    r#"[{"code":"outside_contact_window"}]"#,
    r#"[{"code":"track_not_near"}]"#,
];
const REJECTED_REASONS: [&str; 2] = [
    r#"[{"code":"too_far","distance_m":850.0}]"#,
    r#"[{"code":"mock_location"}]"#,
];
const NAMES: [&str; 12] = [
    "María",
    "José",
    "Guadalupe",
    "Juan",
    "Fernanda",
    "Luis",
    "Ximena",
    "Carlos",
    "Sofía",
    "Jorge",
    "Andrea",
    "Miguel",
];
const SURNAMES: [&str; 10] = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Núñez",
];

const VISIT_HEAD: &str = "INSERT INTO visits (id, organization_id, agent_id, account_id, \
    address_id, assigned_to_agent, form_version_id, content_sha256, received_at, status, \
    completed_at, started_at, finished_at, checkin_latitude, checkin_longitude, \
    checkin_accuracy_m, checkin_fix_time, checkin_mock, device_time, server_offset_ms, \
    on_device_decision, on_device_reasons, verdict, verdict_reasons, answers, result_code, \
    person_met, promise_amount_cents, promise_date, promise_channel, body, rolled_up_at, \
    productivity_rolled_up_at) VALUES ";
const ATTEMPT_HEAD: &str = "INSERT INTO contact_attempts (id, organization_id, account_id, \
    channel, occurred_at, result_code, person_met, promise_amount_cents, promise_date, \
    recorded_by, created_at, rolled_up_at) VALUES ";
const PAYMENT_HEAD: &str = "INSERT INTO payments (id, organization_id, lender_id, account_id, \
    paid_on, amount_cents, reference, imported_at) VALUES ";
const ACCOUNT_HEAD: &str = "INSERT INTO accounts (id, organization_id, lender_id, \
    portfolio_id, lender_account_id, overdue_cents, days_past_due, content_hash, created_at, \
    updated_at) VALUES ";
const ADDRESS_HEAD: &str = "INSERT INTO addresses (id, organization_id, account_id, street, \
    exterior_number, colonia, postal_code, municipality, state, original_text, \
    geocoded_latitude, geocoded_longitude, geocode_source, geocode_confidence, time_zone, \
    needs_pin) VALUES ";

/// A small deterministic generator (SplitMix64). Runs with the same N draw the same
/// choices, though ids and dates differ with the day of the run.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % bound
    }

    fn weighted<T: Copy>(&mut self, table: &[(T, u64)]) -> T {
        let total: u64 = table.iter().map(|entry| entry.1).sum();
        let mut pick = self.below(total);
        for entry in table {
            if pick < entry.1 {
                return entry.0;
            }
            pick -= entry.1;
        }
        table[0].0
    }
}

pub(crate) struct Account {
    id: Uuid,
    address_id: Uuid,
    lender_id: Uuid,
    portfolio_id: Uuid,
    territory: usize,
}

pub(crate) struct Fixture {
    pub(crate) org: OrganizationId,
    pub(crate) agents: Vec<UserId>,
    supervisors: Vec<UserId>,
    accounts: Vec<Account>,
    zones: Vec<TimeZone>,
    /// Working days (Monday to Saturday) of the year before today.
    days: Vec<Date>,
    form_version: Uuid,
}

async fn user(
    store: &dyn Store,
    org: OrganizationId,
    index: usize,
    role: Role,
) -> BenchResult<UserId> {
    let name = format!(
        "{} {} {}",
        NAMES[index % NAMES.len()],
        SURNAMES[index / NAMES.len() % SURNAMES.len()],
        SURNAMES[index % SURNAMES.len()]
    );
    let user = NewUser {
        id: UserId::new(),
        organization_id: org,
        email: Email::parse(
            "email",
            &format!("usuario{index}.{}@bench.mx", org.0.simple()),
        )?,
        name: PersonName::parse("name", &name)?,
        role,
        // Never used to log in.
        password_hash: "not-a-password-hash".into(),
        created_at: Timestamp::now(),
    };
    store
        .create_user(&user, &audit(org, "user.created"))
        .await?;
    Ok(user.id)
}

/// Creates the organization, its lenders, portfolios and users through the store, seeds
/// its result-code catalogue, and loads its accounts with one address each in bulk.
pub(crate) async fn organization(
    store: &dyn Store,
    loader: &mut Loader,
    today: Date,
) -> BenchResult<Fixture> {
    let org = Organization {
        id: OrganizationId::new(),
        name: format!("Despacho Bench {}", Uuid::now_v7().simple()),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created"))
        .await?;
    let mut portfolios = Vec::new();
    for name in LENDERS {
        let lender = Lender {
            id: Uuid::now_v7(),
            organization_id: org.id,
            name: name.into(),
            redeco_registration: None,
            complaint_unit_contact: None,
            collection_phones: vec![],
            payment_references: vec![],
            created_at: Timestamp::now(),
        };
        store
            .create_lender(&lender, &audit(org.id, "lender.created"))
            .await?;
        for campaign in ["Cartera vencida 2026", "Recuperación temprana"] {
            let portfolio = Portfolio {
                id: Uuid::now_v7(),
                organization_id: org.id,
                lender_id: lender.id,
                lender_name: lender.name.clone(),
                name: campaign.into(),
                account_count: 0,
                created_at: Timestamp::now(),
            };
            store
                .create_portfolio(&portfolio, &audit(org.id, "portfolio.created"))
                .await?;
            portfolios.push((lender.id, portfolio.id));
        }
    }
    // An organization gets the default catalogue on its first read, as in production.
    store.result_codes(org.id).await?;

    let mut agents = Vec::new();
    for index in 0..AGENTS {
        agents.push(user(store, org.id, index, Role::Agent).await?);
    }
    let mut supervisors = Vec::new();
    for index in 0..SUPERVISORS {
        supervisors.push(user(store, org.id, AGENTS + index, Role::Supervisor).await?);
    }

    let db = loader.db().clone();
    let now = Timestamp::now().as_millisecond();
    let mut accounts = Vec::new();
    for agent in 0..AGENTS {
        let territory = agent % TERRITORIES.len();
        // Each agent works two portfolios of its territory.
        let first = agent % portfolios.len();
        let second =
            (first + 1 + agent / portfolios.len() % (portfolios.len() - 1)) % portfolios.len();
        for index in 0..ACCOUNTS_PER_AGENT {
            let (lender_id, portfolio_id) = portfolios[if index % 3 == 0 { second } else { first }];
            let account = Account {
                id: Uuid::now_v7(),
                address_id: Uuid::now_v7(),
                lender_id,
                portfolio_id,
                territory,
            };
            let number = accounts.len();
            let values = format!(
                "{}, {}, {}, {}, 'CR-{number:07}', {}, {}, 'bench', {now}, {now}",
                db.uuid(account.id),
                db.uuid(org.id.0),
                db.uuid(lender_id),
                db.uuid(portfolio_id),
                150_000 + number as i64 % 90_000 * 100,
                number % 180,
            );
            loader.push(ACCOUNT_HEAD, &values).await?;
            let (zone, state, municipality, lat, lon) = TERRITORIES[territory];
            let jitter = (number % 997) as f64 / 10_000.0;
            let street = format!(
                "Calle {} {}",
                SURNAMES[number % SURNAMES.len()],
                number % 400 + 1
            );
            let values = format!(
                "{}, {}, {}, {}, '{}', 'Centro', '{:05}', {}, {}, {}, {:.6}, {:.6}, 'file', 1.0, {}, false",
                db.uuid(account.address_id),
                db.uuid(org.id.0),
                db.uuid(account.id),
                text(&street),
                number % 900 + 1,
                10_000 + territory * 10_000 + number % 500,
                text(municipality),
                text(state),
                text(&format!("{street}, {municipality}, {state}")),
                lat + jitter,
                lon - jitter,
                text(zone),
            );
            loader.push(ADDRESS_HEAD, &values).await?;
            accounts.push(account);
        }
    }
    let zones = TERRITORIES
        .iter()
        .map(|territory| {
            ronda_domain::portfolio::bundled_zone(territory.0)
                .ok_or(format!("zone {} not bundled", territory.0))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let days = (1..=365)
        .rev()
        .filter_map(|back| today.checked_sub(back.days()).ok())
        .filter(|day| day.weekday() != Weekday::Sunday)
        .collect();
    Ok(Fixture {
        org: org.id,
        agents,
        supervisors,
        accounts,
        zones,
        days,
        form_version: Uuid::now_v7(),
    })
}

impl Fixture {
    /// Returns the instant of local `day` at `hour` plus `second` seconds in the zone of
    /// `territory`.
    fn instant(
        &self,
        territory: usize,
        day: Date,
        hour: u64,
        second: u64,
    ) -> BenchResult<Timestamp> {
        let time = jiff::civil::time(hour as i8, (second / 60) as i8, (second % 60) as i8, 0);
        Ok(day
            .to_datetime(time)
            .to_zoned_datetime(self.zones[territory].clone())?
            .timestamp())
    }

    /// Loads `count` finished visits spread over the year, in time order, and hands each to
    /// `rollups`. About one visit in 200 still waits for its attachments.
    pub(crate) async fn visits(
        &self,
        count: usize,
        today: Date,
        loader: &mut Loader,
        rollups: &mut Rollups,
    ) -> BenchResult<()> {
        let db = loader.db().clone();
        let mut rng = Rng(0x5EED_0001);
        let hours: Vec<(u64, u64)> = HOUR_WEIGHTS
            .iter()
            .enumerate()
            .map(|(i, w)| (8 + i as u64, *w))
            .collect();
        let (org, form) = (db.uuid(self.org.0), db.uuid(self.form_version));
        for index in 0..count {
            let day = self.days[index * self.days.len() / count];
            let agent_index = rng.below(AGENTS as u64) as usize;
            let agent = self.agents[agent_index];
            let account = &self.accounts
                [agent_index * ACCOUNTS_PER_AGENT + rng.below(ACCOUNTS_PER_AGENT as u64) as usize];
            let hour = rng.weighted(&hours);
            let finished = self.instant(account.territory, day, hour, rng.below(3600))?;
            let finished_ms = finished.as_millisecond();
            let started_ms = finished_ms - 300_000 - rng.below(1_200_000) as i64;
            let received_ms = finished_ms + 1_000 + rng.below(600_000) as i64;
            let complete = rng.below(200) != 0;
            let code = rng.weighted(&VISIT_CODES);
            let verdict = match rng.below(100) {
                0..85 => "verified",
                85..96 => "doubtful",
                _ => "rejected",
            };
            let reasons = match verdict {
                "verified" if rng.below(2) == 0 => r#"[{"code":"track_near","near_points":3}]"#,
                "verified" => "[]",
                "doubtful" => DOUBTFUL_REASONS[rng.below(4) as usize],
                _ => REJECTED_REASONS[rng.below(2) as usize],
            };
            let promise = code == "PTP" || (code == "AGREEMENT" && rng.below(2) == 0);
            let amount = promise.then(|| (500 + rng.below(19_500) as i64) * 100);
            let promise_on = promise
                .then(|| day.checked_add((1 + rng.below(14) as i64).days()))
                .transpose()?;
            let promise_date = promise_on.map(|date| date.to_string());
            let person = matches!(code, "PTP" | "PAID" | "AGREEMENT" | "REFUSED" | "DISPUTED")
                .then_some("debtor");
            let (lat, lon) = (
                TERRITORIES[account.territory].3,
                TERRITORIES[account.territory].4,
            );
            let rolled = complete.then_some(received_ms + 5_000);
            let visit_id = Uuid::now_v7();
            let values = format!(
                "{}, {org}, {}, {}, {}, true, {form}, 'bench', {received_ms}, {}, {}, {started_ms}, \
                 {finished_ms}, {lat:.5}, {lon:.5}, 12.5, {started_ms}, false, {started_ms}, 0, \
                 'accepted', '[]', '{verdict}', '{reasons}', '{{}}', '{code}', {}, {}, {}, {}, '{{}}', {}, {}",
                db.uuid(visit_id),
                db.uuid(agent.0),
                db.uuid(account.id),
                db.uuid(account.address_id),
                if complete {
                    "'complete'"
                } else {
                    "'waiting_for_attachments'"
                },
                opt_int(complete.then_some(received_ms)),
                opt_text(person),
                opt_int(amount),
                opt_text(promise_date.as_deref()),
                opt_text(promise.then_some("transfer")),
                opt_int(rolled),
                opt_int(rolled),
            );
            loader.push(VISIT_HEAD, &values).await?;
            // Four promises in ten are paid in full on the promised day, one in ten in half.
            if let (Some(amount), Some(on)) = (amount, promise_on)
                && on < today
            {
                let paid = match rng.below(10) {
                    0..4 => Some(amount),
                    4 => Some(amount / 2),
                    _ => None,
                };
                if let Some(paid) = paid {
                    let values = format!(
                        "{}, {org}, {}, {}, '{on}', {paid}, 'BENCH-{index}', {received_ms}",
                        db.uuid(Uuid::now_v7()),
                        db.uuid(account.lender_id),
                        db.uuid(account.id),
                    );
                    loader.push(PAYMENT_HEAD, &values).await?;
                }
            }
            if !complete {
                continue;
            }
            let (zone, state, municipality, ..) = TERRITORIES[account.territory];
            rollups.add_visit(
                &PendingVisit {
                    visit_id,
                    organization_id: self.org,
                    agent_id: agent,
                    lender_id: account.lender_id,
                    portfolio_id: account.portfolio_id,
                    finished_at: finished,
                    time_zone: Some(zone.into()),
                    result_code: Some(code.into()),
                    result_class: rollups.class(code),
                    promise_amount_cents: amount,
                    zone_state: Some(state.into()),
                    zone_municipality: Some(municipality.into()),
                    verdict: verdict.into(),
                    verdict_reasons: reasons.into(),
                },
                &ProductivityVisit {
                    visit_id,
                    organization_id: self.org,
                    agent_id: agent,
                    account_id: account.id,
                    lender_id: account.lender_id,
                    portfolio_id: account.portfolio_id,
                    finished_at: finished,
                    time_zone: Some(zone.into()),
                    result_code: Some(code.into()),
                    result_class: rollups.class(code),
                    verdict: verdict.into(),
                    promise_amount_cents: amount,
                    promise_date,
                },
            );
        }
        Ok(())
    }

    /// Loads `count` contact attempts that supervisors recorded by hand (calls and
    /// messages from 9:00 to 19:59), in time order, and hands each to `rollups`.
    pub(crate) async fn attempts(
        &self,
        count: usize,
        loader: &mut Loader,
        rollups: &mut Rollups,
    ) -> BenchResult<()> {
        let db = loader.db().clone();
        let mut rng = Rng(0x5EED_0002);
        let channels = [
            (ContactChannel::Phone, 60),
            (ContactChannel::Whatsapp, 25),
            (ContactChannel::Sms, 10),
            (ContactChannel::Email, 5),
        ];
        let org = db.uuid(self.org.0);
        for index in 0..count {
            let day = self.days[index * self.days.len() / count];
            let account = &self.accounts[rng.below(self.accounts.len() as u64) as usize];
            let recorded_by = self.supervisors[rng.below(SUPERVISORS as u64) as usize];
            let occurred =
                self.instant(account.territory, day, 9 + rng.below(11), rng.below(3600))?;
            let occurred_ms = occurred.as_millisecond();
            let channel = rng.weighted(&channels);
            let code = rng.weighted(&ATTEMPT_CODES);
            let amount = (code == "PTP").then(|| (300 + rng.below(9_700) as i64) * 100);
            let promise_date = amount
                .map(|_| day.checked_add((1 + rng.below(10) as i64).days()))
                .transpose()?
                .map(|date| date.to_string());
            let attempt_id = Uuid::now_v7();
            let values = format!(
                "{}, {org}, {}, '{}', {occurred_ms}, '{code}', {}, {}, {}, {}, {}, {}",
                db.uuid(attempt_id),
                db.uuid(account.id),
                channel.as_str(),
                opt_text((code != "WRONG_PARTY").then_some("debtor")),
                opt_int(amount),
                opt_text(promise_date.as_deref()),
                db.uuid(recorded_by.0),
                occurred_ms + 60_000,
                occurred_ms + 65_000,
            );
            loader.push(ATTEMPT_HEAD, &values).await?;
            let (zone, state, municipality, ..) = TERRITORIES[account.territory];
            rollups.add_attempt(&PendingAttempt {
                attempt_id,
                organization_id: self.org,
                recorded_by,
                lender_id: account.lender_id,
                portfolio_id: account.portfolio_id,
                occurred_at: occurred,
                time_zone: Some(zone.into()),
                zone_state: Some(state.into()),
                zone_municipality: Some(municipality.into()),
                channel,
                result_code: code.into(),
                result_class: rollups.class(code),
                promise_amount_cents: amount,
            });
        }
        Ok(())
    }
}
