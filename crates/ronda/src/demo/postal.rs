//! Postal codes for the demonstration accounts. Mexican postal codes (códigos postales of
//! SEPOMEX) are grouped by municipality: each alcaldía of Ciudad de México and each
//! municipality of Estado de México uses its own block of codes. The demo gives every
//! locality one code from its municipality's block, so all accounts of a colonia share a
//! code and a supervisor can assign them by postal code.
//!
//! NOTE: the blocks and the named towns' codes were written from general knowledge of
//! SEPOMEX's catalogue, not copied from it. They look right for each municipality, but a
//! generated code need not be a real code of that exact colonia.

/// A municipality's block of postal codes, first and last inclusive. Names are written as
/// in the bundled INEGI file, which drops accents.
struct Block {
    municipality: &'static str,
    first: u32,
    last: u32,
}

const fn block(municipality: &'static str, first: u32, last: u32) -> Block {
    Block {
        municipality,
        first,
        last,
    }
}

/// Blocks of the 16 alcaldías of Ciudad de México and of the most populated
/// municipalities of Estado de México. Localities elsewhere are left out of the demo.
const BLOCKS: [Block; 64] = [
    block("Alvaro Obregon", 1000, 1999),
    block("Azcapotzalco", 2000, 2999),
    block("Benito Juarez", 3100, 3999),
    block("Coyoacan", 4000, 4999),
    block("Cuajimalpa de Morelos", 5000, 5999),
    block("Cuauhtemoc", 6000, 6999),
    block("Gustavo A. Madero", 7000, 7999),
    block("Iztacalco", 8000, 8999),
    block("Iztapalapa", 9000, 9999),
    block("La Magdalena Contreras", 10000, 10999),
    block("Miguel Hidalgo", 11000, 11999),
    block("Milpa Alta", 12000, 12999),
    block("Tlahuac", 13000, 13999),
    block("Tlalpan", 14000, 14999),
    block("Venustiano Carranza", 15000, 15999),
    block("Xochimilco", 16000, 16999),
    block("Toluca", 50000, 50299),
    block("Atlacomulco", 50450, 50499),
    block("San Felipe del Progreso", 50640, 50699),
    block("Ixtlahuaca", 50740, 50799),
    block("Temoaya", 50850, 50899),
    block("Almoloya de Juarez", 50900, 50949),
    block("Zinacantepec", 51350, 51379),
    block("Lerma", 52000, 52069),
    block("Otzolotepec", 52080, 52099),
    block("San Mateo Atenco", 52100, 52109),
    block("Metepec", 52140, 52179),
    block("Calimaya", 52200, 52239),
    block("Tenango del Valle", 52300, 52349),
    block("Tenancingo", 52400, 52449),
    block("Tianguistenco", 52600, 52649),
    block("Ocoyoacac", 52740, 52759),
    block("Huixquilucan", 52760, 52799),
    block("Atizapan de Zaragoza", 52900, 52999),
    block("Naucalpan de Juarez", 53000, 53999),
    block("Tlalnepantla de Baz", 54000, 54199),
    block("Nicolas Romero", 54400, 54479),
    block("Tepotzotlan", 54600, 54659),
    block("Coyotepec", 54660, 54669),
    block("Huehuetoca", 54680, 54699),
    block("Cuautitlan Izcalli", 54700, 54769),
    block("Teoloyucan", 54770, 54799),
    block("Cuautitlan", 54800, 54879),
    block("Melchor Ocampo", 54880, 54899),
    block("Tultitlan", 54900, 54959),
    block("Tultepec", 54960, 54999),
    block("Ecatepec de Morelos", 55000, 55299),
    block("Zumpango", 55600, 55659),
    block("Hueypoxtla", 55680, 55689),
    block("Coacalco de Berriozabal", 55700, 55739),
    block("Tecamac", 55740, 55769),
    block("Nextlalpan", 55790, 55799),
    block("Teotihuacan", 55800, 55839),
    block("Acolman", 55870, 55899),
    block("Tezoyuca", 56000, 56019),
    block("Texcoco", 56100, 56269),
    block("Atenco", 56300, 56329),
    block("Chimalhuacan", 56330, 56369),
    block("Chicoloapan", 56370, 56399),
    block("La Paz", 56400, 56529),
    block("Ixtapaluca", 56530, 56599),
    block("Valle de Chalco Solidaridad", 56610, 56619),
    block("Chalco", 56620, 56699),
    block("Nezahualcoyotl", 57000, 57999),
];

/// Codes of the towns of southern Ciudad de México, which have codes of their own rather
/// than a share of their alcaldía's block: (locality, municipality, code).
const TOWNS: [(&str, &str, u32); 17] = [
    ("San Lorenzo Acopilco", "Cuajimalpa de Morelos", 5410),
    ("San Antonio Tecomitl", "Milpa Alta", 12100),
    ("San Pedro Atocpan", "Milpa Alta", 12200),
    ("San Bartolome Xicomulco", "Milpa Alta", 12250),
    ("San Salvador Cuauhtenco", "Milpa Alta", 12300),
    ("San Pablo Oztotepec", "Milpa Alta", 12400),
    ("San Lorenzo Tlacoyucan", "Milpa Alta", 12500),
    ("San Francisco Tecoxpa", "Milpa Alta", 12700),
    ("San Nicolas Tetelco", "Milpa Alta", 12800),
    ("Santa Ana Tlacotenco", "Milpa Alta", 12900),
    ("Santa Catarina Yecahuitzotl", "Tlahuac", 13100),
    ("San Juan Ixtayopan", "Tlahuac", 13500),
    ("San Andres Mixquic", "Tlahuac", 13630),
    ("San Nicolas Tetelco", "Tlahuac", 13700),
    ("San Miguel Topilejo", "Tlalpan", 14500),
    ("San Miguel Ajusco", "Tlalpan", 14700),
    ("Parres (El Guarda)", "Tlalpan", 14900),
];

/// Compares names without regard to case, because the INEGI file writes "alvaro Obregon"
/// where the accented capital was lost.
fn same_name(left: &str, right: &str) -> bool {
    left.eq_ignore_ascii_case(right)
}

/// Formats a code with its leading zero, as "01000".
fn five_digits(code: u32) -> String {
    format!("{code:05}")
}

/// Returns whether the demo has a postal-code block for `municipality`.
pub fn covers(municipality: &str) -> bool {
    BLOCKS
        .iter()
        .any(|block| same_name(block.municipality, municipality))
}

/// Assigns one postal code to each locality, given as (locality, municipality) in the
/// bundled file's order, where each municipality's seat comes first. A named town gets its
/// own code. The other localities of a municipality share its block in equal steps, the
/// seat taking the first code, and steps of ten or more are rounded to tens so the codes
/// look like SEPOMEX's. Returns `None` for a locality whose municipality has no block.
pub fn assign(localities: &[(&str, &str)]) -> Vec<Option<String>> {
    localities
        .iter()
        .map(|&(name, municipality)| {
            if let Some(&(_, _, code)) = TOWNS.iter().find(|(town, town_municipality, _)| {
                same_name(town, name) && same_name(town_municipality, municipality)
            }) {
                return Some(five_digits(code));
            }
            let block = BLOCKS
                .iter()
                .find(|block| same_name(block.municipality, municipality))?;
            let siblings: Vec<&str> = localities
                .iter()
                .filter(|(_, other)| same_name(other, municipality))
                .map(|(other_name, _)| *other_name)
                .collect();
            let index = siblings
                .iter()
                .position(|other| *other == name)
                .unwrap_or(0);
            let count = u32::try_from(siblings.len()).unwrap_or(u32::MAX).max(1);
            let mut step = ((block.last - block.first + 1) / count).max(1);
            if step >= 10 {
                step -= step % 10;
            }
            let offset = u32::try_from(index).unwrap_or(0) * step;
            Some(five_digits((block.first + offset).min(block.last)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_do_not_overlap() {
        let mut blocks: Vec<&Block> = BLOCKS.iter().collect();
        blocks.sort_by_key(|block| block.first);
        for pair in blocks.windows(2) {
            assert!(pair[0].first <= pair[0].last, "{}", pair[0].municipality);
            assert!(
                pair[0].last < pair[1].first,
                "{} overlaps {}",
                pair[0].municipality,
                pair[1].municipality
            );
        }
    }

    #[test]
    fn blocks_match_their_state() {
        for block in &BLOCKS {
            // Ciudad de México's codes start 01 to 16; Estado de México's 50 to 57.
            let in_cdmx = (1000..=16999).contains(&block.first);
            let in_edomex = (50000..=57999).contains(&block.first);
            assert!(in_cdmx || in_edomex, "{}", block.municipality);
            assert_eq!(block.first / 1000 <= 16, block.last / 1000 <= 16);
        }
    }

    #[test]
    fn towns_fall_in_their_municipality_block() {
        for (town, municipality, code) in TOWNS {
            let block = BLOCKS
                .iter()
                .find(|block| block.municipality == municipality)
                .unwrap_or_else(|| panic!("{municipality} has no block"));
            assert!((block.first..=block.last).contains(&code), "{town}");
        }
    }

    #[test]
    fn localities_share_their_municipality_block() {
        let localities = [
            ("Toluca de Lerdo", "Toluca"),
            ("Cacalomacan", "Toluca"),
            ("Calixtlahuaca", "Toluca"),
            ("Tlalpan", "Tlalpan"),
            ("San Miguel Ajusco", "Tlalpan"),
            ("alvaro Obregon", "alvaro Obregon"),
            ("Tequixquiac", "Tequixquiac"),
        ];
        let codes = assign(&localities);
        let codes: Vec<Option<&str>> = codes.iter().map(Option::as_deref).collect();
        assert_eq!(
            codes,
            [
                Some("50000"),
                Some("50100"),
                Some("50200"),
                Some("14000"),
                Some("14700"),
                Some("01000"),
                None,
            ]
        );
    }
}
