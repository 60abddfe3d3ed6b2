//! The forms API on both stores: upload with problems and dry run, publishing versions
//! that keep old ones readable, JSON and .xlsx downloads, templates, roles, and that
//! no organization reaches another's forms.

use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ronda_forms::model::FormDefinition;
use ronda_forms::xlsform::import_file;
use serde_json::json;
use support::{Auth, Session, TestApp};
use tower::ServiceExt;

const FORM_V1: &str = "| survey |\n| | type | name | label | required |\n| | text | nombre | Nombre | yes |\n| | integer | edad | Edad | |\n| settings |\n| | form_id | version | form_title |\n| | encuesta | 1 | Encuesta |\n";
const FORM_V2: &str = "| survey |\n| | type | name | label | required |\n| | text | nombre | Nombre | yes |\n| | integer | edad | Edad | yes |\n| settings |\n| | form_id | version | form_title |\n| | encuesta | 2 | Encuesta |\n";
const FORM_BAD: &str =
    "| survey |\n| | type | name | label |\n| | audio | voz | Voz |\n| | text | nombre | |\n";

async fn upload(app: &TestApp, session: &Session, text: &str, dry_run: &str) -> support::Response {
    app.post_multipart(
        "/api/forms",
        Auth::Session(session),
        &[("dry_run", dry_run)],
        Some(("encuesta.md", text.as_bytes())),
    )
    .await
}

async fn download(app: &TestApp, session: &Session, path: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::get(path)
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, content_type, bytes)
}

async fn forms_story(app: TestApp) {
    let norte = app.tenant("Despacho Norte").await;
    let sur = app.tenant("Despacho Sur").await;
    let admin = app.login(norte.admin.email.as_str()).await;
    let supervisor = app.login(norte.supervisor.email.as_str()).await;
    let agent = app.login(norte.agent.email.as_str()).await;
    let viewer = app.login(norte.viewer.email.as_str()).await;
    let outsider = app.login(sur.admin.email.as_str()).await;

    // Problems come back with sheet, row and column; nothing is stored.
    let refused = upload(&app, &admin, FORM_BAD, "true").await;
    assert_eq!(refused.status, StatusCode::OK, "{:?}", refused.body);
    assert_eq!(refused.body["status"], "problems");
    let problems = refused.body["problems"].as_array().expect("problems");
    assert!(problems.iter().any(|p| p["code"] == "unsupported_type"
        && p["sheet"] == "survey"
        && p["row"] == 3
        && p["column"] == "type"));
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "missing_label" && p["row"] == 4)
    );
    assert!(
        problems[0]["message"]
            .as_str()
            .expect("message")
            .contains("Ronda no admite")
    );
    let refused = upload(&app, &admin, FORM_BAD, "false").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A dry run checks without publishing.
    let checked = upload(&app, &supervisor, FORM_V1, "true").await;
    assert_eq!(checked.body["status"], "valid", "{:?}", checked.body);
    assert_eq!(checked.body["question_count"], 2);
    let listed = app.get("/api/forms", Auth::Session(&admin)).await;
    assert_eq!(listed.body["forms"], json!([]));

    // Agents and viewers cannot upload or install.
    assert_eq!(
        upload(&app, &agent, FORM_V1, "false").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        upload(&app, &viewer, FORM_V1, "false").await.status,
        StatusCode::FORBIDDEN
    );
    let install = app
        .post(
            "/api/forms/templates/visita_cobranza",
            Auth::Session(&agent),
            json!({}),
        )
        .await;
    assert_eq!(install.status, StatusCode::FORBIDDEN);

    // Publish version 1, again (unchanged), then version 2.
    let first = upload(&app, &supervisor, FORM_V1, "false").await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.body["status"], "published");
    let first_id = first.body["published"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let again = upload(&app, &admin, FORM_V1, "false").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["status"], "unchanged");
    assert_eq!(again.body["published"]["id"], first_id.as_str());
    let second = upload(&app, &admin, FORM_V2, "false").await;
    assert_eq!(second.status, StatusCode::CREATED);
    let second_id = second.body["published"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Other content under a published label is a conflict.
    let clash = upload(
        &app,
        &admin,
        &FORM_V2.replace("| Edad | yes |", "| Años | yes |"),
        "false",
    )
    .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(clash.body["code"], "form_version_taken");

    // Everyone in the organization reads forms, agents included.
    let listed = app.get("/api/forms", Auth::Session(&agent)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body["forms"][0]["form_id"], "encuesta");
    assert_eq!(listed.body["forms"][0]["version_count"], 2);
    assert_eq!(
        listed.body["forms"][0]["latest_version_id"],
        second_id.as_str()
    );
    let versions = app
        .get("/api/forms/encuesta/versions", Auth::Session(&viewer))
        .await;
    assert_eq!(versions.body["versions"].as_array().map(Vec::len), Some(2));

    // The old version stays readable, as JSON in the form model.
    let old = app
        .get(
            &format!("/api/forms/versions/{first_id}"),
            Auth::Session(&agent),
        )
        .await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.body["version"], "1");
    let definition: FormDefinition =
        serde_json::from_value(old.body["definition"].clone()).expect("model JSON");
    assert!(
        definition
            .question("edad")
            .expect("edad")
            .required
            .is_none()
    );
    assert_eq!(
        old.body["content_hash"],
        ronda_forms::model::content_hash(&definition)
    );

    // The .xlsx download imports back to the same definition.
    let (status, content_type, bytes) = download(
        &app,
        &agent,
        &format!("/api/forms/versions/{first_id}/xlsx"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"));
    assert_eq!(
        import_file(&bytes, "encuesta.xlsx").expect("imports"),
        definition
    );

    // Templates install once per version.
    let templates = app.get("/api/forms/templates", Auth::Session(&agent)).await;
    assert_eq!(
        templates.body["templates"].as_array().map(Vec::len),
        Some(2)
    );
    let installed = app
        .post(
            "/api/forms/templates/visita_cobranza",
            Auth::Session(&supervisor),
            json!({}),
        )
        .await;
    assert_eq!(
        installed.status,
        StatusCode::CREATED,
        "{:?}",
        installed.body
    );
    assert_eq!(installed.body["source"], "template");
    let reinstalled = app
        .post(
            "/api/forms/templates/visita_cobranza",
            Auth::Session(&admin),
            json!({}),
        )
        .await;
    assert_eq!(reinstalled.status, StatusCode::OK);
    assert_eq!(reinstalled.body["id"], installed.body["id"]);
    let unknown = app
        .post(
            "/api/forms/templates/otra",
            Auth::Session(&admin),
            json!({}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "unknown_template");

    // Another organization sees none of it, by list, id or form id.
    let theirs = app.get("/api/forms", Auth::Session(&outsider)).await;
    assert_eq!(theirs.body["forms"], json!([]));
    let peek = app
        .get(
            &format!("/api/forms/versions/{first_id}"),
            Auth::Session(&outsider),
        )
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    let (status, _, _) = download(
        &app,
        &outsider,
        &format!("/api/forms/versions/{first_id}/xlsx"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let peek = app
        .get("/api/forms/encuesta/versions", Auth::Session(&outsider))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    // ...and may publish the same form id for itself.
    let own = upload(&app, &outsider, FORM_V1, "false").await;
    assert_eq!(own.status, StatusCode::CREATED);
    assert_ne!(own.body["published"]["id"], first_id.as_str());

    // Without a session nothing is readable.
    assert_eq!(
        app.get("/api/forms", Auth::None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let bad_id = app
        .get("/api/forms/versions/not-an-id", Auth::Session(&admin))
        .await;
    assert_eq!(bad_id.status, StatusCode::UNPROCESSABLE_ENTITY);
}

on_both_stores!(forms, forms_story);
