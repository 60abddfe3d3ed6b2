//! Accents for the place names of the bundled INEGI file, which writes every name without
//! them ("Alvaro Obregon" for "Álvaro Obregón"). The demo shows addresses as people write
//! them, so each word with a well-known accented spelling gets it back.

/// Words of the bundled file's names and their accented spelling, sorted by the first.
/// Words whose spelling varies between sources stay as the file has them.
const ACCENTED: &[(&str, &str)] = &[
    ("Agustin", "Agustín"),
    ("Alcala", "Alcalá"),
    ("Alvaro", "Álvaro"),
    ("Ampliacion", "Ampliación"),
    ("Andres", "Andrés"),
    ("Atizapan", "Atizapán"),
    ("Bartolome", "Bartolomé"),
    ("Berriozabal", "Berriozábal"),
    ("Cacalomacan", "Cacalomacán"),
    ("Cantu", "Cantú"),
    ("Capultitlan", "Capultitlán"),
    ("Carbon", "Carbón"),
    ("Cardenas", "Cárdenas"),
    ("Chimalhuacan", "Chimalhuacán"),
    ("Cienega", "Ciénega"),
    ("Coachochitlan", "Coachochitlán"),
    ("Cocotitlan", "Cocotitlán"),
    ("Concepcion", "Concepción"),
    ("Constitucion", "Constitución"),
    ("Coyoacan", "Coyoacán"),
    ("Cristobal", "Cristóbal"),
    ("Cuauhtemoc", "Cuauhtémoc"),
    ("Cuautitlan", "Cuautitlán"),
    ("Cuexcontitlan", "Cuexcontitlán"),
    ("Diaz", "Díaz"),
    ("Ecologico", "Ecológico"),
    ("Enriquez", "Enríquez"),
    ("Estacion", "Estación"),
    ("Farias", "Farías"),
    ("Fraccion", "Fracción"),
    ("Frio", "Frío"),
    ("Gomez", "Gómez"),
    ("Gonzalez", "González"),
    ("Guzman", "Guzmán"),
    ("Heroes", "Héroes"),
    ("Huichochitlan", "Huichochitlán"),
    ("Ilustracion", "Ilustración"),
    ("Ines", "Inés"),
    ("Jeronimo", "Jerónimo"),
    ("Jesus", "Jesús"),
    ("Jimenez", "Jiménez"),
    ("Joaquin", "Joaquín"),
    ("Jocotitlan", "Jocotitlán"),
    ("Jose", "José"),
    ("Juarez", "Juárez"),
    ("Lazaro", "Lázaro"),
    ("Leon", "León"),
    ("Limon", "Limón"),
    ("Lopez", "López"),
    ("Lucia", "Lucía"),
    ("Maria", "María"),
    ("Martin", "Martín"),
    ("Matias", "Matías"),
    ("Mexico", "México"),
    ("Mision", "Misión"),
    ("Monica", "Mónica"),
    ("Nezahualcoyotl", "Nezahualcóyotl"),
    ("Nicolas", "Nicolás"),
    ("Obregon", "Obregón"),
    ("Piramides", "Pirámides"),
    ("Polotitlan", "Polotitlán"),
    ("Purificacion", "Purificación"),
    ("Rayon", "Rayón"),
    ("Revolucion", "Revolución"),
    ("Rincon", "Rincón"),
    ("Rio", "Río"),
    ("Rios", "Ríos"),
    ("Salitreria", "Salitrería"),
    ("Sebastian", "Sebastián"),
    ("Seccion", "Sección"),
    ("Simon", "Simón"),
    ("Tecamac", "Tecámac"),
    ("Teotihuacan", "Teotihuacán"),
    ("Tepaltitlan", "Tepaltitlán"),
    ("Tepotzotlan", "Tepotzotlán"),
    ("Texcaltitlan", "Texcaltitlán"),
    ("Tlahuac", "Tláhuac"),
    ("Tlaltizapan", "Tlaltizapán"),
    ("Tomas", "Tomás"),
    ("Transfiguracion", "Transfiguración"),
    ("Tultitlan", "Tultitlán"),
    ("Veintidos", "Veintidós"),
    ("Velazquez", "Velázquez"),
    ("Xonacatlan", "Xonacatlán"),
    ("Zumpahuacan", "Zumpahuacán"),
    ("alamos", "Álamos"),
    ("alvaro", "Álvaro"),
    ("avila", "Ávila"),
];

/// Returns `name` with each word of the table in its accented spelling. Spaces,
/// punctuation and other words stay as they are.
pub fn with_accents(name: &str) -> String {
    let mut result = String::with_capacity(name.len() + 8);
    let mut word = String::new();
    for character in name.chars() {
        if character.is_alphabetic() {
            word.push(character);
            continue;
        }
        result.push_str(accented(&word));
        word.clear();
        result.push(character);
    }
    result.push_str(accented(&word));
    result
}

fn accented(word: &str) -> &str {
    match ACCENTED.binary_search_by(|(plain, _)| plain.cmp(&word)) {
        Ok(index) => ACCENTED[index].1,
        Err(_) => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        assert!(ACCENTED.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn names_get_accents() {
        assert_eq!(with_accents("Alvaro Obregon"), "Álvaro Obregón");
        assert_eq!(with_accents("San Andres Mixquic"), "San Andrés Mixquic");
        assert_eq!(
            with_accents("Atizapan de Zaragoza (Ex-Hacienda)"),
            "Atizapán de Zaragoza (Ex-Hacienda)"
        );
    }

    #[test]
    fn other_words_unchanged() {
        assert_eq!(with_accents("Iztapalapa"), "Iztapalapa");
        assert_eq!(with_accents("Riobamba"), "Riobamba");
        assert_eq!(with_accents(""), "");
    }
}
