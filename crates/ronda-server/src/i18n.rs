//! The language of user-facing messages: Spanish (Mexico) first, English second.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Es,
    En,
}

impl Locale {
    /// Picks the locale from `Accept-Language`: the supported language with the highest
    /// quality value wins, and Spanish is the result when the header is absent or names
    /// neither language.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let Some(value) = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
            return Locale::Es;
        };
        let mut best: Option<(Locale, f32)> = None;
        for item in value.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let locale = match primary {
                "es" => Locale::Es,
                "en" => Locale::En,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((locale, quality));
            }
        }
        best.map_or(Locale::Es, |(locale, _)| locale)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Locale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Locale::from_headers(&parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn locale_for(value: &str) -> Locale {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_LANGUAGE,
            HeaderValue::from_str(value).expect("header"),
        );
        Locale::from_headers(&headers)
    }

    #[test]
    fn spanish_when_absent() {
        assert_eq!(Locale::from_headers(&HeaderMap::new()), Locale::Es);
    }

    #[test]
    fn quality_values_decide() {
        assert_eq!(locale_for("en-US,en;q=0.9"), Locale::En);
        assert_eq!(locale_for("es-MX,es;q=0.9,en;q=0.8"), Locale::Es);
        assert_eq!(locale_for("fr-FR, en;q=0.5, es;q=0.7"), Locale::Es);
        assert_eq!(locale_for("fr-FR, en;q=0.5"), Locale::En);
        assert_eq!(locale_for("de, fr"), Locale::Es);
        assert_eq!(locale_for("en;q=0"), Locale::Es);
    }
}
