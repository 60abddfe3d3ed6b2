//! Folding of free text (state and municipality names) into a lookup key.

/// Folds `text` into a lookup key: lower case, Spanish accents removed, periods dropped,
/// other punctuation turned into spaces, and runs of whitespace collapsed to one space.
///
/// So "Edo. Méx." becomes "edo mex", "D.F." becomes "df" and "Praxedis G. Guerrero"
/// becomes "praxedis g guerrero". The TypeScript mirror applies the same character map.
pub(crate) fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for upper in text.chars() {
        for c in upper.to_lowercase() {
            let c = strip_accent(c);
            if c == '.' {
                continue;
            }
            if c.is_alphanumeric() {
                if pending_space && !folded.is_empty() {
                    folded.push(' ');
                }
                pending_space = false;
                folded.push(c);
            } else {
                pending_space = true;
            }
        }
    }
    folded
}

fn strip_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn fold_common_spellings() {
        assert_eq!(fold("Edo. Méx."), "edo mex");
        assert_eq!(fold("D.F."), "df");
        assert_eq!(fold("  Q. Roo "), "q roo");
        assert_eq!(fold("NUEVO LEÓN"), "nuevo leon");
        assert_eq!(fold("Praxedis G. Guerrero"), "praxedis g guerrero");
        assert_eq!(fold("Cd. Acuña"), "cd acuna");
        assert_eq!(fold("Baja California-Sur"), "baja california sur");
        assert_eq!(fold(""), "");
    }
}
