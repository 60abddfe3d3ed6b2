//! The forms Ronda ships, in Spanish with English labels. An organization
//! installs them on demand; they are stored as ordinary form versions.

use crate::model::FormDefinition;

/// A shipped form: its name in URLs and its JSON definition.
pub struct Template {
    pub name: &'static str,
    json: &'static str,
}

/// The shipped forms.
pub const TEMPLATES: [Template; 2] = [
    Template {
        name: "visita_cobranza",
        json: include_str!("../templates/visita_cobranza.json"),
    },
    Template {
        name: "verificacion_domiciliaria",
        json: include_str!("../templates/verificacion_domiciliaria.json"),
    },
];

impl Template {
    /// Parses the definition. The shipped JSON is checked by the tests, so
    /// an error here means a broken build, reported rather than panicking.
    pub fn definition(&self) -> Result<FormDefinition, serde_json::Error> {
        serde_json::from_str(self.json)
    }
}

/// Returns the template called `name`.
pub fn template(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}
