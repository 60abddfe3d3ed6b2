//! The IANA time zone of a Mexican address, from its state and municipality.
//!
//! Rules, as of the Ley de los Husos Horarios en los Estados Unidos Mexicanos (DOF
//! 2022-10-28, which ended national daylight saving time) and its amendment of
//! 2022-11-30 for northern Chihuahua:
//!
//! - Quintana Roo: zona Sureste, UTC-5 all year (America/Cancun).
//! - Baja California: zona Noroeste with US daylight saving, UTC-8/UTC-7 (America/Tijuana).
//! - Sonora: zona Pacífico, UTC-7 all year (America/Hermosillo).
//! - Baja California Sur, Sinaloa and Nayarit: zona Pacífico, UTC-7 (America/Mazatlan),
//!   except Bahía de Banderas, Nayarit, which keeps zona Centro (America/Bahia_Banderas).
//! - Chihuahua: zona Centro, UTC-6 (America/Chihuahua), except its US border strip. Janos,
//!   Ascensión, Juárez, Guadalupe and Praxedis G. Guerrero follow US Mountain time, UTC-7
//!   with US daylight saving (America/Ciudad_Juarez). Coyame del Sotol, Ojinaga and Manuel
//!   Benavides follow US Central time, UTC-6 with US daylight saving (America/Ojinaga).
//! - Border municipalities of Coahuila, Nuevo León and Tamaulipas: UTC-6 with US daylight
//!   saving (America/Matamoros). In Coahuila these are Acuña, Allende, Guerrero, Hidalgo,
//!   Jiménez, Morelos, Nava, Ocampo, Piedras Negras, Villa Unión and Zaragoza. In Nuevo
//!   León it is Anáhuac. In Tamaulipas they are Nuevo Laredo, Guerrero, Mier, Miguel
//!   Alemán, Camargo, Gustavo Díaz Ordaz, Reynosa, Río Bravo, Valle Hermoso and Matamoros.
//! - Everywhere else: zona Centro, UTC-6 all year.
//!
//! Zone names follow the tz database's `zone1970.tab` (checked against release 2025b), which
//! splits zona Centro by history: America/Merida for Campeche and Yucatán,
//! America/Monterrey for Durango and the rest of Coahuila, Nuevo León and Tamaulipas, and
//! America/Mexico_City for the other states. They all give UTC-6 since 2022-10-30 and
//! differ only for older instants.
//!
//! NOTE: the tz database's comment for America/Matamoros, as of the pre-2022 releases
//! checked, lists eight Coahuila municipalities (without Allende, Morelos and Villa Unión)
//! and adds Los Aldamas in Nuevo León. This table follows the 2022 law's list instead, so
//! those four municipalities get a different zone than that comment suggests.

use jiff::tz::{TimeZone, TimeZoneDatabase};

use super::state::State;
use super::text::fold;

pub const MEXICO_CITY: &str = "America/Mexico_City";
pub const CANCUN: &str = "America/Cancun";
pub const MERIDA: &str = "America/Merida";
pub const MONTERREY: &str = "America/Monterrey";
pub const MATAMOROS: &str = "America/Matamoros";
pub const CHIHUAHUA: &str = "America/Chihuahua";
pub const CIUDAD_JUAREZ: &str = "America/Ciudad_Juarez";
pub const OJINAGA: &str = "America/Ojinaga";
pub const MAZATLAN: &str = "America/Mazatlan";
pub const BAHIA_BANDERAS: &str = "America/Bahia_Banderas";
pub const HERMOSILLO: &str = "America/Hermosillo";
pub const TIJUANA: &str = "America/Tijuana";

/// Municipalities whose zone differs from their state's, as folded names.
const MUNICIPALITY_ZONES: &[(State, &str, &[&str])] = &[
    (State::Nayarit, BAHIA_BANDERAS, &["bahia de banderas"]),
    (
        State::Chihuahua,
        CIUDAD_JUAREZ,
        &[
            "juarez",
            "janos",
            "ascension",
            "guadalupe",
            "praxedis g guerrero",
            "praxedis guerrero",
        ],
    ),
    (
        State::Chihuahua,
        OJINAGA,
        &["ojinaga", "manuel benavides", "coyame del sotol", "coyame"],
    ),
    (
        State::Coahuila,
        MATAMOROS,
        &[
            "acuna",
            "allende",
            "guerrero",
            "hidalgo",
            "jimenez",
            "morelos",
            "nava",
            "ocampo",
            "piedras negras",
            "villa union",
            "zaragoza",
        ],
    ),
    (State::NuevoLeon, MATAMOROS, &["anahuac"]),
    (
        State::Tamaulipas,
        MATAMOROS,
        &[
            "nuevo laredo",
            "guerrero",
            "mier",
            "miguel aleman",
            "camargo",
            "gustavo diaz ordaz",
            "reynosa",
            "rio bravo",
            "valle hermoso",
            "matamoros",
        ],
    ),
];

/// Prefixes that people put before a municipality's name ("Ciudad Juárez", "Cd. Acuña",
/// "Heroica Matamoros") and that the lookup ignores.
const NAME_PREFIXES: [&str; 4] = ["ciudad ", "cd ", "heroica ", "h "];

/// Returns the IANA time zone name for an address in `state`, refined by `municipality`
/// where the state has more than one zone. An unknown or missing municipality gets the
/// state's main zone.
pub fn time_zone_name(state: State, municipality: Option<&str>) -> &'static str {
    if let Some(municipality) = municipality {
        let key = fold(municipality);
        let stripped = NAME_PREFIXES
            .iter()
            .find_map(|prefix| key.strip_prefix(prefix));
        for (zone_state, zone, names) in MUNICIPALITY_ZONES {
            let listed = |name: &str| names.contains(&name);
            if *zone_state == state && (listed(&key) || stripped.is_some_and(listed)) {
                return zone;
            }
        }
    }
    state_zone(state)
}

fn state_zone(state: State) -> &'static str {
    match state {
        State::QuintanaRoo => CANCUN,
        State::BajaCalifornia => TIJUANA,
        State::Sonora => HERMOSILLO,
        State::BajaCaliforniaSur | State::Sinaloa | State::Nayarit => MAZATLAN,
        State::Chihuahua => CHIHUAHUA,
        State::Campeche | State::Yucatan => MERIDA,
        State::Durango | State::Coahuila | State::NuevoLeon | State::Tamaulipas => MONTERREY,
        _ => MEXICO_CITY,
    }
}

/// Returns the time zone for an address, with rules from the tz database bundled into the
/// binary, so results do not depend on the machine's zoneinfo files.
pub fn time_zone(state: State, municipality: Option<&str>) -> TimeZone {
    let name = time_zone_name(state, municipality);
    bundled_zone(name).unwrap_or_else(|| {
        // Every name above is in the bundled database; the unit tests load each one.
        TimeZone::unknown()
    })
}

/// Looks up an IANA time zone name in the bundled tz database.
pub fn bundled_zone(name: &str) -> Option<TimeZone> {
    TimeZoneDatabase::bundled().get(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::state::ALL;

    #[test]
    fn state_zones() {
        assert_eq!(
            time_zone_name(State::CiudadDeMexico, Some("Cuauhtémoc")),
            MEXICO_CITY
        );
        assert_eq!(
            time_zone_name(State::QuintanaRoo, Some("Benito Juárez")),
            CANCUN
        );
        assert_eq!(
            time_zone_name(State::Sonora, Some("Hermosillo")),
            HERMOSILLO
        );
        assert_eq!(
            time_zone_name(State::BajaCalifornia, Some("Tijuana")),
            TIJUANA
        );
        assert_eq!(time_zone_name(State::BajaCaliforniaSur, None), MAZATLAN);
        assert_eq!(time_zone_name(State::Sinaloa, Some("Culiacán")), MAZATLAN);
        assert_eq!(time_zone_name(State::Nayarit, Some("Tepic")), MAZATLAN);
        assert_eq!(time_zone_name(State::Yucatan, Some("Mérida")), MERIDA);
        assert_eq!(
            time_zone_name(State::NuevoLeon, Some("Monterrey")),
            MONTERREY
        );
        assert_eq!(
            time_zone_name(State::Jalisco, Some("Puerto Vallarta")),
            MEXICO_CITY
        );
    }

    #[test]
    fn border_municipalities() {
        let cases = [
            (State::Nayarit, "Bahía de Banderas", BAHIA_BANDERAS),
            (State::Chihuahua, "Juárez", CIUDAD_JUAREZ),
            (State::Chihuahua, "Cd. Juárez", CIUDAD_JUAREZ),
            (State::Chihuahua, "Ciudad Juárez", CIUDAD_JUAREZ),
            (State::Chihuahua, "Praxedis G. Guerrero", CIUDAD_JUAREZ),
            (State::Chihuahua, "Janos", CIUDAD_JUAREZ),
            (State::Chihuahua, "OJINAGA", OJINAGA),
            (State::Chihuahua, "Coyame del Sotol", OJINAGA),
            (State::Chihuahua, "Chihuahua", CHIHUAHUA),
            (State::Coahuila, "Ciudad Acuña", MATAMOROS),
            (State::Coahuila, "Villa Unión", MATAMOROS),
            (State::Coahuila, "Saltillo", MONTERREY),
            (State::NuevoLeon, "Anáhuac", MATAMOROS),
            (State::NuevoLeon, "Los Aldamas", MONTERREY),
            (State::Tamaulipas, "H. Matamoros", MATAMOROS),
            (State::Tamaulipas, "Reynosa", MATAMOROS),
            (State::Tamaulipas, "Tampico", MONTERREY),
        ];
        for (state, municipality, zone) in cases {
            assert_eq!(
                time_zone_name(state, Some(municipality)),
                zone,
                "{municipality}"
            );
        }
    }

    #[test]
    fn same_name_other_state() {
        // Guadalupe and Guerrero are border municipalities only in some states.
        assert_eq!(
            time_zone_name(State::NuevoLeon, Some("Guadalupe")),
            MONTERREY
        );
        assert_eq!(
            time_zone_name(State::Zacatecas, Some("Guadalupe")),
            MEXICO_CITY
        );
        assert_eq!(
            time_zone_name(State::Chihuahua, Some("Guerrero")),
            CHIHUAHUA
        );
        assert_eq!(
            time_zone_name(State::Chihuahua, Some("Matamoros")),
            CHIHUAHUA
        );
    }

    #[test]
    fn every_zone_is_bundled() {
        let mut names: Vec<&str> = ALL.iter().map(|state| state_zone(*state)).collect();
        names.extend(MUNICIPALITY_ZONES.iter().map(|(_, zone, _)| *zone));
        for name in names {
            assert!(
                bundled_zone(name).is_some(),
                "{name} missing from the bundled tz database"
            );
        }
    }
}
