use super::*;

fn sample() -> FormDefinition {
    let mut person = Question::new(QuestionType::SelectOne, "person_met");
    person.label = LangText::both("¿A quién encontró?", "Who was met?");
    person.list_name = Some("person".to_string());
    person.required = Some("true()".to_string());
    let mut notes = Question::new(QuestionType::Text, "notes");
    notes.label = LangText::both("Notas", "Notes");
    notes.relevant = Some("${person_met} != 'nobody'".to_string());
    let mut choices = BTreeMap::new();
    choices.insert(
        "person".to_string(),
        vec![
            Choice {
                name: "debtor".to_string(),
                label: LangText::both("Titular", "Debtor"),
                extra: BTreeMap::new(),
            },
            Choice {
                name: "nobody".to_string(),
                label: LangText::both("Nadie", "Nobody"),
                extra: BTreeMap::new(),
            },
        ],
    );
    FormDefinition {
        form_id: "sample".to_string(),
        version: "1".to_string(),
        title: LangText::both("Muestra", "Sample"),
        default_language: "es".to_string(),
        languages: vec!["es".to_string(), "en".to_string()],
        questions: vec![person, notes],
        choices,
    }
}

#[test]
fn json_round_trips_and_omits_empty_columns() {
    let definition = sample();
    let json = serde_json::to_value(&definition).expect("serialisable");
    let notes = &json["questions"][1];
    assert_eq!(notes["type"], "text");
    assert!(notes.get("hint").is_none());
    assert!(notes.get("children").is_none());
    let back: FormDefinition = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, definition);
}

#[test]
fn unknown_fields_are_refused() {
    let mut json = serde_json::to_value(sample()).expect("serialisable");
    json["questions"][0]["colour"] = "red".into();
    assert!(serde_json::from_value::<FormDefinition>(json).is_err());
}

#[test]
fn content_hash_ignores_key_order_and_tracks_content() {
    let definition = sample();
    let hash = content_hash(&definition);
    assert_eq!(hash.len(), 64);
    let canonical = canonical_json(&definition);
    assert!(canonical.starts_with("{\"choices\":"));
    let mut changed = definition.clone();
    changed.questions[1].name = "note".to_string();
    assert_ne!(content_hash(&changed), hash);
}

#[test]
fn a_sound_definition_has_no_problems() {
    assert_eq!(check_definition(&sample()), vec![]);
}

#[test]
fn problems_name_the_question() {
    let mut definition = sample();
    definition.questions[1].relevant = Some("${missing} = 1".to_string());
    definition.questions[0].list_name = Some("nowhere".to_string());
    definition
        .questions
        .push(Question::new(QuestionType::Text, "notes"));
    let codes: Vec<(String, String)> = check_definition(&definition)
        .into_iter()
        .map(|p| (p.code, p.path))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("unknown_list".to_string(), "person_met".to_string()),
            ("unknown_reference".to_string(), "notes".to_string()),
            ("duplicate_name".to_string(), "notes".to_string()),
            ("missing_label".to_string(), "notes".to_string()),
        ]
    );
}

#[test]
fn choice_filters_may_only_read_list_columns() {
    let mut definition = sample();
    definition.questions[0].choice_filter = Some("region = ${notes}".to_string());
    let problems = check_definition(&definition);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "unknown_choice_column");
}

#[test]
fn text_references_are_checked() {
    let mut definition = sample();
    definition.questions[1].label = LangText::both("Hola ${person_met}", "Hi ${nobody_here}");
    let problems = check_definition(&definition);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "unknown_reference");
    assert_eq!(problems[0].column.as_deref(), Some("label"));
}
