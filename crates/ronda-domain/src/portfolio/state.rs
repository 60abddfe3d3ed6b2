//! Mexico's 32 federal entities (31 states and Mexico City) and the parser that turns the
//! spellings found in lenders' files into one of them.

use serde::{Deserialize, Serialize};

use super::error::AddressError;
use super::text::fold;

/// A Mexican federal entity, numbered as INEGI's Marco Geoestadístico numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Aguascalientes,
    BajaCalifornia,
    BajaCaliforniaSur,
    Campeche,
    Coahuila,
    Colima,
    Chiapas,
    Chihuahua,
    CiudadDeMexico,
    Durango,
    Guanajuato,
    Guerrero,
    Hidalgo,
    Jalisco,
    Mexico,
    Michoacan,
    Morelos,
    Nayarit,
    NuevoLeon,
    Oaxaca,
    Puebla,
    Queretaro,
    QuintanaRoo,
    SanLuisPotosi,
    Sinaloa,
    Sonora,
    Tabasco,
    Tamaulipas,
    Tlaxcala,
    Veracruz,
    Yucatan,
    Zacatecas,
}

use State::*;

/// Every state in INEGI order, so `ALL[i]` has code `i + 1`.
pub const ALL: [State; 32] = [
    Aguascalientes,
    BajaCalifornia,
    BajaCaliforniaSur,
    Campeche,
    Coahuila,
    Colima,
    Chiapas,
    Chihuahua,
    CiudadDeMexico,
    Durango,
    Guanajuato,
    Guerrero,
    Hidalgo,
    Jalisco,
    Mexico,
    Michoacan,
    Morelos,
    Nayarit,
    NuevoLeon,
    Oaxaca,
    Puebla,
    Queretaro,
    QuintanaRoo,
    SanLuisPotosi,
    Sinaloa,
    Sonora,
    Tabasco,
    Tamaulipas,
    Tlaxcala,
    Veracruz,
    Yucatan,
    Zacatecas,
];

/// Folded spellings accepted for each state, besides its folded official name: common
/// abbreviations, RENAPO's two-letter codes (as used in the CURP) and ISO 3166-2:MX codes.
/// The bare word "mexico" is the State of México, never the country or its capital.
const ALIASES: [(State, &[&str]); 32] = [
    (Aguascalientes, &["ags", "as", "agu"]),
    (
        BajaCalifornia,
        &["bc", "bcn", "baja california norte", "baja norte"],
    ),
    (BajaCaliforniaSur, &["bcs", "bs", "baja sur"]),
    (Campeche, &["camp", "cam", "cc"]),
    (Coahuila, &["coahuila de zaragoza", "coah", "coa", "cl"]),
    (Colima, &["col", "cm"]),
    (Chiapas, &["chis", "chps", "chp", "cs"]),
    (Chihuahua, &["chih", "chh", "ch"]),
    (
        CiudadDeMexico,
        &[
            "cdmx",
            "cd mx",
            "cd de mexico",
            "cd mexico",
            "df",
            "distrito federal",
            "mexico df",
            "mexico city",
            "cmx",
        ],
    ),
    (Durango, &["dgo", "dur", "dg"]),
    (Guanajuato, &["gto", "gua", "gt"]),
    (Guerrero, &["gro", "gr"]),
    (Hidalgo, &["hgo", "hid", "hg"]),
    (Jalisco, &["jal", "jc"]),
    (
        Mexico,
        &[
            "estado de mexico",
            "edo de mexico",
            "edo mexico",
            "edo de mex",
            "edo mex",
            "edomex",
            "edomx",
            "mex",
            "mc",
        ],
    ),
    (Michoacan, &["michoacan de ocampo", "mich", "mic", "mn"]),
    (Morelos, &["mor", "ms"]),
    (Nayarit, &["nay", "nt"]),
    (NuevoLeon, &["nl", "nle", "n leon"]),
    (Oaxaca, &["oax", "oc"]),
    (Puebla, &["pue", "pl"]),
    (Queretaro, &["queretaro de arteaga", "qro", "que", "qt"]),
    (QuintanaRoo, &["q roo", "qroo", "qr", "roo", "qa roo"]),
    (SanLuisPotosi, &["slp", "sp", "s l p"]),
    (Sinaloa, &["sin", "sl"]),
    (Sonora, &["son", "sr"]),
    (Tabasco, &["tab", "tc"]),
    (Tamaulipas, &["tamps", "tamp", "tam", "ts"]),
    (Tlaxcala, &["tlax", "tla", "tl"]),
    (Veracruz, &["veracruz de ignacio de la llave", "ver", "vz"]),
    (Yucatan, &["yuc", "yn"]),
    (Zacatecas, &["zac", "zs"]),
];

impl State {
    /// Returns INEGI's two-digit code of the state, "01" to "32".
    pub fn inegi_code(self) -> &'static str {
        const CODES: [&str; 32] = [
            "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
            "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28",
            "29", "30", "31", "32",
        ];
        CODES[self as usize]
    }

    /// Returns the state for an INEGI code such as "09", or `None` for a code outside 01–32.
    pub fn from_inegi_code(code: &str) -> Option<State> {
        ALL.into_iter()
            .find(|state| state.inegi_code() == code.trim())
    }

    /// Returns the state's name as people write it, with accents.
    pub fn name(self) -> &'static str {
        match self {
            Aguascalientes => "Aguascalientes",
            BajaCalifornia => "Baja California",
            BajaCaliforniaSur => "Baja California Sur",
            Campeche => "Campeche",
            Coahuila => "Coahuila",
            Colima => "Colima",
            Chiapas => "Chiapas",
            Chihuahua => "Chihuahua",
            CiudadDeMexico => "Ciudad de México",
            Durango => "Durango",
            Guanajuato => "Guanajuato",
            Guerrero => "Guerrero",
            Hidalgo => "Hidalgo",
            Jalisco => "Jalisco",
            Mexico => "México",
            Michoacan => "Michoacán",
            Morelos => "Morelos",
            Nayarit => "Nayarit",
            NuevoLeon => "Nuevo León",
            Oaxaca => "Oaxaca",
            Puebla => "Puebla",
            Queretaro => "Querétaro",
            QuintanaRoo => "Quintana Roo",
            SanLuisPotosi => "San Luis Potosí",
            Sinaloa => "Sinaloa",
            Sonora => "Sonora",
            Tabasco => "Tabasco",
            Tamaulipas => "Tamaulipas",
            Tlaxcala => "Tlaxcala",
            Veracruz => "Veracruz",
            Yucatan => "Yucatán",
            Zacatecas => "Zacatecas",
        }
    }

    /// Parses a state from its name, abbreviation or INEGI code, in any case, with or
    /// without accents and periods ("CDMX", "D.F.", "Edo. Méx.", "Q. Roo", "19").
    ///
    /// A leading "Estado de" is ignored, except in "Estado de México", which is a state.
    pub fn parse(value: &str) -> Result<State, AddressError> {
        let key = fold(value);
        if let Some(state) = lookup(&key) {
            return Ok(state);
        }
        for prefix in ["estado de ", "edo de ", "edo "] {
            if let Some(rest) = key.strip_prefix(prefix)
                && let Some(state) = lookup(rest)
            {
                return Ok(state);
            }
        }
        Err(AddressError::UnknownState {
            value: value.to_owned(),
        })
    }
}

fn lookup(key: &str) -> Option<State> {
    if key.is_empty() {
        return None;
    }
    if key.len() <= 2 && key.bytes().all(|b| b.is_ascii_digit()) {
        let padded = format!("{key:0>2}");
        return State::from_inegi_code(&padded);
    }
    for (state, aliases) in ALIASES {
        if fold(state.name()) == key || aliases.contains(&key) {
            return Some(state);
        }
    }
    None
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(value: &str) -> State {
        match State::parse(value) {
            Ok(state) => state,
            Err(error) => panic!("{value:?} did not parse: {error}"),
        }
    }

    #[test]
    fn parse_mexico_city_spellings() {
        for value in [
            "CDMX",
            "Ciudad de México",
            "ciudad de mexico",
            "D.F.",
            "DF",
            "Distrito Federal",
            "09",
            "9",
        ] {
            assert_eq!(parsed(value), CiudadDeMexico, "{value}");
        }
    }

    #[test]
    fn parse_state_of_mexico_spellings() {
        for value in [
            "Edo. Méx.",
            "México",
            "MEXICO",
            "Estado de México",
            "Edomex",
            "15",
        ] {
            assert_eq!(parsed(value), Mexico, "{value}");
        }
    }

    #[test]
    fn parse_abbreviations() {
        let cases = [
            ("NL", NuevoLeon),
            ("N.L.", NuevoLeon),
            ("Nuevo León", NuevoLeon),
            ("nuevo leon", NuevoLeon),
            ("Jal.", Jalisco),
            ("Q. Roo", QuintanaRoo),
            ("QUINTANA ROO", QuintanaRoo),
            ("BC", BajaCalifornia),
            ("B.C.", BajaCalifornia),
            ("BCS", BajaCaliforniaSur),
            ("B.C.S.", BajaCaliforniaSur),
            ("Son.", Sonora),
            ("Chih.", Chihuahua),
            ("Coahuila de Zaragoza", Coahuila),
            ("Veracruz de Ignacio de la Llave", Veracruz),
            ("Michoacán de Ocampo", Michoacan),
            ("S.L.P.", SanLuisPotosi),
            ("Tamps.", Tamaulipas),
            ("Estado de Jalisco", Jalisco),
            ("Yucatán", Yucatan),
        ];
        for (value, expected) in cases {
            assert_eq!(parsed(value), expected, "{value}");
        }
    }

    #[test]
    fn parse_every_official_name_and_code() {
        for (index, state) in ALL.into_iter().enumerate() {
            assert_eq!(parsed(state.name()), state);
            assert_eq!(parsed(&state.name().to_uppercase()), state);
            assert_eq!(state.inegi_code(), format!("{:02}", index + 1));
            assert_eq!(parsed(state.inegi_code()), state);
        }
    }

    #[test]
    fn aliases_are_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for (state, aliases) in ALIASES {
            for key in aliases
                .iter()
                .copied()
                .chain([fold(state.name()).leak() as &str])
            {
                if let Some(previous) = seen.insert(key, state) {
                    panic!("{key:?} names both {previous:?} and {state:?}");
                }
            }
        }
    }

    #[test]
    fn parse_rejects_unknown_values() {
        for value in ["", "  ", "Texas", "33", "00", "Baja", "Ciudad"] {
            let error = State::parse(value).expect_err(value);
            assert_eq!(
                error,
                AddressError::UnknownState {
                    value: value.to_owned()
                }
            );
        }
    }
}
