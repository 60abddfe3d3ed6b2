//! Checks that no two Rust types publish an OpenAPI component under the same name.
//! utoipa keys components by name, so a second type with the same name silently replaces
//! the first one's schema and the document then describes one of the two responses wrongly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use utoipa::{OpenApi, PartialSchema, ToSchema};

use super::ApiDoc;
use crate::api::{
    accounts, accounts_detail, assignments, field, result_codes, today, tracking, visits_detail,
};

/// A type deriving `ToSchema`: the component name it publishes and where it is declared.
#[derive(Debug, PartialEq)]
struct SchemaDeclaration {
    name: String,
    at: String,
}

/// Returns the component name that `#[schema(as = ...)]` sets, formatted as utoipa
/// formats it (`a::B` becomes `a.B`), or `None` when the attribute has no `as`.
fn schema_alias(attribute: &str) -> Option<String> {
    let inner = attribute.strip_prefix("#[schema(")?;
    let (_, after) = inner.split_once("as =")?;
    let alias: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    Some(alias.replace("::", "."))
}

/// Returns the identifier declared by a `struct` or `enum` line, if the line declares one.
fn declared_type(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let mut word = words.next()?;
    if word.starts_with("pub") {
        word = words.next()?;
    }
    if word != "struct" && word != "enum" {
        return None;
    }
    let name = words.next()?;
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    Some(&name[..end])
}

/// Lists the types of one source file that derive `ToSchema`, with their component names.
fn declarations(source: &str, file: &str) -> Vec<SchemaDeclaration> {
    let mut found = Vec::new();
    let mut attributes: Vec<String> = Vec::new();
    let mut open: Option<String> = None;

    for (index, raw) in source.lines().enumerate() {
        let line = raw.trim();

        // An attribute may span several lines, so it is collected until its brackets balance.
        if let Some(mut attribute) = open.take() {
            attribute.push(' ');
            attribute.push_str(line);
            if brackets_balance(&attribute) {
                attributes.push(attribute);
            } else {
                open = Some(attribute);
            }
            continue;
        }
        if line.starts_with("#[") {
            if brackets_balance(line) {
                attributes.push(line.to_string());
            } else {
                open = Some(line.to_string());
            }
            continue;
        }
        if line.starts_with("//") {
            continue;
        }

        if let Some(ident) = declared_type(line) {
            let derives_schema = attributes.iter().any(|attribute| {
                attribute.starts_with("#[derive(")
                    && attribute
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .any(|word| word == "ToSchema")
            });
            if derives_schema {
                let name = attributes
                    .iter()
                    .find_map(|attribute| schema_alias(attribute))
                    .unwrap_or_else(|| ident.to_string());
                found.push(SchemaDeclaration {
                    name,
                    at: format!("{file}:{} ({ident})", index + 1),
                });
            }
        }
        attributes.clear();
    }
    found
}

fn brackets_balance(text: &str) -> bool {
    let opened = text.matches('[').count() + text.matches('(').count();
    let closed = text.matches(']').count() + text.matches(')').count();
    opened == closed
}

fn rust_files(directory: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", directory.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// Returns every component name that more than one declaration publishes.
fn clashes(found: &[SchemaDeclaration]) -> BTreeMap<&str, Vec<&str>> {
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for declaration in found {
        by_name
            .entry(&declaration.name)
            .or_default()
            .push(&declaration.at);
    }
    by_name.retain(|_, places| places.len() > 1);
    by_name
}

#[test]
fn schema_names_are_unique_in_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();

    let mut found = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("read source");
        let file = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        found.extend(declarations(&source, &file));
    }

    // Guards against a scanner that stops seeing the derives and so finds no clash.
    assert!(
        found.len() > 100,
        "only {} ToSchema types found",
        found.len()
    );
    assert!(found.iter().any(|d| d.name == "AssignmentHistoryEntry"));

    let clashes = clashes(&found);
    assert!(
        clashes.is_empty(),
        "component names used by more than one type; give all but one \
         `#[schema(as = UniqueName)]`: {clashes:#?}"
    );
}

#[test]
fn scanner_reports_a_clash() {
    // One quoted line per source line, so that the scan of this file skips the fixture.
    let first = [
        "#[derive(Debug, Serialize, ToSchema)]",
        "pub struct AccountView {",
        "    id: u32,",
        "}",
        "#[derive(",
        "    Serialize,",
        "    utoipa::ToSchema,",
        ")]",
        "/// Doc.",
        "#[schema(as = Renamed)]",
        "pub(crate) struct PointView;",
        "#[derive(Serialize)]",
        "struct NotSchema;",
    ]
    .join("\n");
    let second = [
        "#[derive(ToSchema)]",
        "#[serde(rename_all = \"snake_case\")]",
        "pub enum AccountView { A }",
        "#[derive(ToSchema)]",
        "#[schema(as = api::PointView)]",
        "struct P;",
    ]
    .join("\n");
    let mut found = declarations(&first, "a.rs");
    found.extend(declarations(&second, "b.rs"));

    let names: Vec<&str> = found.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["AccountView", "Renamed", "AccountView", "api.PointView"]
    );
    let clashes = clashes(&found);
    assert_eq!(clashes.len(), 1, "{clashes:?}");
    assert_eq!(
        clashes["AccountView"],
        ["a.rs:2 (AccountView)", "b.rs:3 (AccountView)"]
    );
}

/// Returns the published component `T` names, and `T`'s own schema, as JSON.
fn published_and_own<T: ToSchema + PartialSchema>(
    document: &serde_json::Value,
) -> (String, serde_json::Value, serde_json::Value) {
    let name = T::name().to_string();
    let published = document["components"]["schemas"][&name].clone();
    let own = serde_json::to_value(T::schema()).expect("schema JSON");
    (name, published, own)
}

/// Checks the types that once shared a component name with another type. Each must now
/// be published under a name of its own, with exactly its own schema.
#[test]
fn formerly_clashing_types_publish_their_own_schema() {
    let document = serde_json::to_value(ApiDoc::openapi()).expect("document JSON");
    let pairs = [
        published_and_own::<accounts::AccountView>(&document),
        published_and_own::<visits_detail::AccountView>(&document),
        published_and_own::<accounts_detail::AddressView>(&document),
        published_and_own::<visits_detail::AddressView>(&document),
        published_and_own::<today::DayVisitView>(&document),
        published_and_own::<tracking::DayVisitView>(&document),
        published_and_own::<result_codes::ResultCodeView>(&document),
        published_and_own::<field::day::ResultCodeView>(&document),
        published_and_own::<assignments::AssignmentView>(&document),
        published_and_own::<accounts_detail::AssignmentView>(&document),
    ];

    let mut names: Vec<&str> = pairs.iter().map(|(name, ..)| name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), pairs.len(), "names repeat: {names:?}");
    for (name, published, own) in &pairs {
        assert!(published.is_object(), "{name} is not in the document");
        assert_eq!(published, own, "the document's {name} is another type's");
    }
}
