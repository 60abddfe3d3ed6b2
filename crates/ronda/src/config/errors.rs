//! Configuration errors worded for the person who edits `ronda.toml` or sets `RONDA_`
//! variables: the key as the source spells it, the source, and what to write.

/// Rewrites figment's errors into one message. Each error names the key as its source
/// spells it (`tracking.retention_days` in a file, `RONDA_TRACKING__RETENTION_DAYS` in the
/// environment) and the source. An unknown key also gets the keys its section takes.
pub(super) fn describe(errors: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|error| {
            let from_environment = error
                .metadata
                .as_ref()
                .is_some_and(|metadata| metadata.name.contains("environment"));
            let key = if from_environment {
                let parts: Vec<String> = error.path.iter().map(|p| p.to_uppercase()).collect();
                format!("RONDA_{}", parts.join("__"))
            } else {
                error.path.join(".")
            };
            let source = match error.metadata.as_ref().and_then(|m| m.source.as_ref()) {
                Some(source) => format!(" in {source}"),
                None if from_environment => " in the environment".to_owned(),
                None => String::new(),
            };
            match &error.kind {
                figment::error::Kind::UnknownField(_, expected) => {
                    let section = error.path[..error.path.len().saturating_sub(1)].join(".");
                    let section = if section.is_empty() {
                        "the top level".to_owned()
                    } else {
                        format!("[{section}]")
                    };
                    format!(
                        "unknown key {key}{source}: {section} takes {}",
                        expected.join(", ")
                    )
                }
                kind if key.is_empty() => format!("{}: {}", source.trim_start(), plain_types(kind)),
                kind => format!("{key}{source}: {}", plain_types(kind)),
            }
        })
        .collect();
    anyhow::anyhow!("invalid configuration: {}", lines.join("; "))
}

/// Replaces Rust type names in a figment error with what to write, and collapses the
/// doubled backquotes figment puts around lists of choices.
fn plain_types(kind: &figment::error::Kind) -> String {
    const TYPES: [(&str, &str); 7] = [
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number from 0"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number such as 2.5"),
        ("expected usize", "expected a whole number from 0"),
    ];
    let mut text = kind.to_string().replace("``", "`");
    for (rust, plain) in TYPES {
        if text.ends_with(rust) {
            text = format!("{}{plain}", &text[..text.len() - rust.len()]);
        }
    }
    text
}

/// Rejects a `RONDA_SECTION__KEY` variable whose section does not exist, which the
/// environment provider would otherwise skip without a word.
pub(super) fn check_environment_sections(sections: &[&str]) -> anyhow::Result<()> {
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(rest) = name.strip_prefix("RONDA_") else {
            continue;
        };
        let Some((section, _)) = rest.split_once("__") else {
            continue;
        };
        let section = section.to_ascii_lowercase();
        anyhow::ensure!(
            sections.contains(&section.as_str()),
            "invalid configuration: unknown section {section:?} in the environment variable \
             {name}: sections are {}",
            sections.join(", ")
        );
    }
    Ok(())
}
