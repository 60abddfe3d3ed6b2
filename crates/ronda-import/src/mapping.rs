//! The column-to-field mapping of a portfolio file. A mapping is suggested
//! from the usual Spanish headers, edited by the supervisor, and may be saved as a
//! lender's template.

use serde::{Deserialize, Serialize};

/// An account field that a column can fill. Columns mapped to no field are kept in the
/// account's custom fields under their header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    LenderAccountId,
    Product,
    Principal,
    OverdueAmount,
    DaysPastDue,
    Currency,
    DebtorName,
    Phone,
    Email,
    Street,
    ExteriorNumber,
    InteriorNumber,
    Colonia,
    PostalCode,
    Locality,
    Municipality,
    State,
    BetweenStreets,
    Landmarks,
    Latitude,
    Longitude,
    /// The whole address in one column, as the lender wrote it.
    AddressText,
}

impl Field {
    pub const ALL: [Field; 22] = [
        Field::LenderAccountId,
        Field::Product,
        Field::Principal,
        Field::OverdueAmount,
        Field::DaysPastDue,
        Field::Currency,
        Field::DebtorName,
        Field::Phone,
        Field::Email,
        Field::Street,
        Field::ExteriorNumber,
        Field::InteriorNumber,
        Field::Colonia,
        Field::PostalCode,
        Field::Locality,
        Field::Municipality,
        Field::State,
        Field::BetweenStreets,
        Field::Landmarks,
        Field::Latitude,
        Field::Longitude,
        Field::AddressText,
    ];

    /// Returns the Spanish name shown in the import wizard and in row errors.
    pub fn label_es(self) -> &'static str {
        match self {
            Field::LenderAccountId => "No. de crédito",
            Field::Product => "Producto",
            Field::Principal => "Monto del crédito",
            Field::OverdueAmount => "Saldo vencido",
            Field::DaysPastDue => "Días de atraso",
            Field::Currency => "Moneda",
            Field::DebtorName => "Nombre del cliente",
            Field::Phone => "Teléfono",
            Field::Email => "Correo",
            Field::Street => "Calle",
            Field::ExteriorNumber => "Núm. ext.",
            Field::InteriorNumber => "Núm. int.",
            Field::Colonia => "Colonia",
            Field::PostalCode => "C.P.",
            Field::Locality => "Localidad",
            Field::Municipality => "Alcaldía/Municipio",
            Field::State => "Estado",
            Field::BetweenStreets => "Entre calles",
            Field::Landmarks => "Referencias del domicilio",
            Field::Latitude => "Latitud",
            Field::Longitude => "Longitud",
            Field::AddressText => "Domicilio completo",
        }
    }

    /// Returns the English name, for the English console.
    pub fn label_en(self) -> &'static str {
        match self {
            Field::LenderAccountId => "Lender's account id",
            Field::Product => "Product",
            Field::Principal => "Principal",
            Field::OverdueAmount => "Overdue amount",
            Field::DaysPastDue => "Days past due",
            Field::Currency => "Currency",
            Field::DebtorName => "Debtor's name",
            Field::Phone => "Phone",
            Field::Email => "Email",
            Field::Street => "Street",
            Field::ExteriorNumber => "Exterior number",
            Field::InteriorNumber => "Interior number",
            Field::Colonia => "Colonia",
            Field::PostalCode => "Postal code",
            Field::Locality => "Locality",
            Field::Municipality => "Municipality",
            Field::State => "State",
            Field::BetweenStreets => "Between streets",
            Field::Landmarks => "Landmarks",
            Field::Latitude => "Latitude",
            Field::Longitude => "Longitude",
            Field::AddressText => "Full address",
        }
    }

    /// Header spellings that suggest this field, already normalized by [`normalize_header`].
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::LenderAccountId => &[
                "no de credito",
                "num de credito",
                "numero de credito",
                "credito",
                "no credito",
                "cuenta",
                "no de cuenta",
                "numero de cuenta",
                "id cuenta",
                "folio",
                "contrato",
                "no de contrato",
                "id credito",
                "account id",
            ],
            Field::Product => &["producto", "tipo de credito", "product"],
            Field::Principal => &[
                "monto del credito",
                "monto",
                "monto otorgado",
                "capital",
                "principal",
            ],
            Field::OverdueAmount => &[
                "saldo vencido",
                "monto vencido",
                "importe vencido",
                "adeudo",
                "saldo",
                "deuda",
                "overdue amount",
            ],
            Field::DaysPastDue => &[
                "dias de atraso",
                "dias atraso",
                "dias vencidos",
                "atraso",
                "dpd",
                "days past due",
            ],
            Field::Currency => &["moneda", "divisa", "currency"],
            Field::DebtorName => &[
                "nombre del cliente",
                "nombre del titular",
                "titular del credito",
                "nombre del acreditado",
                "nombre del deudor",
                "nombre cliente",
                "cliente",
                "nombre",
                "nombre completo",
                "titular",
                "acreditado",
                "deudor",
                "debtor name",
            ],
            Field::Phone => &[
                "telefono",
                "tel",
                "celular",
                "movil",
                "telefono celular",
                "phone",
            ],
            Field::Email => &["correo", "correo electronico", "email", "e mail", "mail"],
            Field::Street => &["calle", "domicilio calle", "street"],
            Field::ExteriorNumber => &[
                "num ext",
                "no ext",
                "numero exterior",
                "num exterior",
                "exterior",
                "ext",
            ],
            Field::InteriorNumber => &[
                "num int",
                "no int",
                "numero interior",
                "num interior",
                "interior",
                "int",
            ],
            Field::Colonia => &["colonia", "col", "asentamiento", "fraccionamiento"],
            Field::PostalCode => &[
                "c p",
                "cp",
                "codigo postal",
                "cod postal",
                "postal code",
                "zip",
            ],
            Field::Locality => &["localidad", "ciudad", "poblacion", "locality", "city"],
            Field::Municipality => &[
                "alcaldia municipio",
                "municipio",
                "alcaldia",
                "delegacion",
                "municipio alcaldia",
                "delegacion municipio",
                "municipality",
            ],
            Field::State => &["estado", "entidad", "entidad federativa", "edo", "state"],
            Field::BetweenStreets => &["entre calles", "entre", "cruces", "between streets"],
            Field::Landmarks => &[
                "referencias",
                "referencia del domicilio",
                "referencias del domicilio",
                "señas",
                "senas",
                "landmarks",
            ],
            Field::Latitude => &["latitud", "lat", "latitude"],
            Field::Longitude => &["longitud", "lon", "lng", "long", "longitude"],
            Field::AddressText => &[
                "domicilio",
                "direccion",
                "domicilio completo",
                "direccion completa",
                "address",
            ],
        }
    }
}

/// Lower-cases a header, removes accents and punctuation, and collapses spaces, so that
/// "Núm. ext." and "NUM EXT" compare equal.
pub fn normalize_header(header: &str) -> String {
    let folded: String = header
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'ñ',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field each column feeds, by column position; `None` keeps the column as a custom field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<Option<Field>>,
}

impl Mapping {
    /// Suggests a field for each header. Each field goes to at most one column: the first
    /// whose header matches one of its spellings.
    pub fn suggest(headers: &[String]) -> Self {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let mut columns = vec![None; headers.len()];
        // Exact spellings win over loose ones, so "Monto vencido" is not taken as principal.
        for field in Field::ALL {
            let found = normalized.iter().enumerate().find(|(index, header)| {
                columns[*index].is_none() && field.synonyms().contains(&header.as_str())
            });
            if let Some((index, _)) = found {
                columns[index] = Some(field);
            }
        }
        Self { columns }
    }

    /// Returns the column that feeds `field`.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .position(|mapped| *mapped == Some(field))
    }

    /// Returns fields mapped to more than one column, which a supervisor's edit can cause.
    pub fn duplicated_fields(&self) -> Vec<Field> {
        let mut seen = Vec::new();
        let mut duplicated = Vec::new();
        for field in self.columns.iter().flatten() {
            if seen.contains(field) && !duplicated.contains(field) {
                duplicated.push(*field);
            }
            seen.push(*field);
        }
        duplicated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn usual_spanish_headers_are_recognized() {
        let names = [
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
        ];
        let mapping = Mapping::suggest(&headers(&names));
        let expected = [
            Field::LenderAccountId,
            Field::DebtorName,
            Field::Street,
            Field::ExteriorNumber,
            Field::Colonia,
            Field::PostalCode,
            Field::Municipality,
            Field::State,
            Field::OverdueAmount,
            Field::DaysPastDue,
            Field::Latitude,
            Field::Longitude,
        ];
        for (index, field) in expected.into_iter().enumerate() {
            assert_eq!(mapping.columns[index], Some(field), "{}", names[index]);
        }
    }

    #[test]
    fn unknown_headers_stay_custom() {
        let mapping = Mapping::suggest(&headers(&["Sucursal", "Fecha de último pago"]));
        assert_eq!(mapping.columns, vec![None, None]);
    }

    #[test]
    fn each_field_maps_once() {
        let mapping = Mapping::suggest(&headers(&["Nombre", "Cliente"]));
        assert_eq!(mapping.columns, vec![Some(Field::DebtorName), None]);
        let edited = Mapping {
            columns: vec![Some(Field::Phone), Some(Field::Phone)],
        };
        assert_eq!(edited.duplicated_fields(), vec![Field::Phone]);
    }

    #[test]
    fn normalization_folds_accents_and_punctuation() {
        assert_eq!(normalize_header("  NÚM. EXT. "), "num ext");
        assert_eq!(normalize_header("Alcaldía/Municipio"), "alcaldia municipio");
        assert_eq!(normalize_header("C.P."), "c p");
    }
}
