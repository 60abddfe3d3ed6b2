//! The result-code catalogue: the shipped default on first read, edits and additions by
//! admins only, clear errors for bad input, and each organization's own catalogue.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Auth, TestApp};

fn codes(body: &Value) -> Vec<Value> {
    body["result_codes"]
        .as_array()
        .expect("result_codes")
        .clone()
}

fn find(body: &Value, code: &str) -> Option<Value> {
    codes(body).into_iter().find(|entry| entry["code"] == code)
}

async fn catalogue_is_edited_by_admins(app: TestApp) {
    let north = app.tenant("Despacho Norte").await;
    let south = app.tenant("Despacho Sur").await;
    let admin = app.login(&north.admin.email).await;
    let supervisor = app.login(&north.supervisor.email).await;
    let viewer = app.login(&north.viewer.email).await;
    let agent = app.login(&north.agent.email).await;

    let shipped = app.get("/api/result-codes", Auth::Session(&viewer)).await;
    assert_eq!(shipped.status, StatusCode::OK, "{:?}", shipped.body);
    assert_eq!(codes(&shipped.body).len(), 16, "the shipped catalogue");
    assert_eq!(codes(&shipped.body)[0]["code"], "PTP");
    assert_eq!(
        app.get("/api/result-codes", Auth::Session(&agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let put = |path: &str, body: Value, who| {
        let path = path.to_owned();
        let app = &app;
        async move { app.request(Method::PUT, &path, who, Some(body)).await }
    };
    let relabel = json!({"class": "success", "label_es": "Promesa de pago total",
        "label_en": "Promise to pay in full", "requires_es": "monto, fecha y canal"});
    let changed = put(
        "/api/result-codes/PTP",
        relabel.clone(),
        Auth::Session(&admin),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    let added = put(
        "/api/result-codes/CALL_BACK",
        json!({"class": "reach", "label_es": "Pide que regresen otro día",
            "label_en": "Asks to come back another day"}),
        Auth::Session(&admin),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let retired = put(
        "/api/result-codes/ID_THEFT",
        json!({"class": "success", "label_es": "Posible suplantación de identidad",
            "label_en": "Possible identity theft", "active": false}),
        Auth::Session(&admin),
    )
    .await;
    assert_eq!(retired.status, StatusCode::OK, "{:?}", retired.body);

    let after = app
        .get("/api/result-codes", Auth::Session(&supervisor))
        .await
        .body;
    assert_eq!(codes(&after).len(), 17);
    assert_eq!(
        find(&after, "PTP").expect("PTP")["label_es"],
        "Promesa de pago total"
    );
    assert_eq!(
        codes(&after).last().expect("last")["code"],
        "CALL_BACK",
        "added at the end"
    );
    assert_eq!(find(&after, "ID_THEFT").expect("kept")["active"], false);

    let by_supervisor = put(
        "/api/result-codes/PTP",
        relabel.clone(),
        Auth::Session(&supervisor),
    )
    .await;
    assert_eq!(by_supervisor.status, StatusCode::FORBIDDEN);

    let cases = [
        ("/api/result-codes/ptp", relabel.clone(), "code"),
        ("/api/result-codes/X", relabel.clone(), "code"),
        (
            "/api/result-codes/PTP",
            json!({"class": "great", "label_es": "a", "label_en": "b"}),
            "class",
        ),
        (
            "/api/result-codes/PTP",
            json!({"class": "success", "label_es": " ", "label_en": "b"}),
            "label_es",
        ),
        (
            "/api/result-codes/PTP",
            json!({"class": "success", "label_es": "a", "label_en": "b", "color": "red"}),
            "color",
        ),
    ];
    for (path, body, field) in cases {
        let refused = put(path, body, Auth::Session(&admin)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {:?}",
            refused.body
        );
        assert_eq!(refused.body["field"], field, "{path}: {:?}", refused.body);
    }

    let south_viewer = app.login(&south.viewer.email).await;
    let theirs = app
        .get("/api/result-codes", Auth::Session(&south_viewer))
        .await
        .body;
    assert_eq!(
        codes(&theirs).len(),
        16,
        "south keeps the shipped catalogue"
    );
    assert_eq!(
        find(&theirs, "PTP").expect("PTP")["label_es"],
        "Promesa de pago"
    );

    let audit = app.get("/api/audit", Auth::Session(&admin)).await.body;
    let saved = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|entry| entry["action"] == "result_code.saved")
        .count();
    assert_eq!(saved, 3, "one audit entry per change");
}

on_both_stores!(
    catalogue_is_edited_by_admins_on,
    catalogue_is_edited_by_admins
);
