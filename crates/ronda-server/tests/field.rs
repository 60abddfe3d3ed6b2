//! The field app's API on both stores: day package, shifts, position batches, idempotent
//! visits, attachments, receipts, events and the boundaries between organizations.

use crate::field_common;
use crate::support;

use axum::http::{Method, StatusCode};
use field_common::{
    HOME, MINUTE_MS, NOON_MS, check_in, clock_in, field, north, put, put_attachment, put_visit,
    sha256_hex, visit_body,
};
use ronda_store::portfolio::AccountQuery;
use ronda_store::tracking::PositionStatus;
use serde_json::json;
use support::{Auth, TestApp};
use uuid::Uuid;

async fn day_package_is_scoped(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let day = app.get("/api/field/day", Auth::Session(&field.agent)).await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    let stops = day.body["stops"].as_array().expect("stops");
    let mut ids: Vec<&str> = stops
        .iter()
        .map(|stop| stop["account"]["lender_account_id"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["FV-1", "FV-2"]);
    let first = &stops[0];
    assert_eq!(first["route_order"], 1);
    assert_eq!(first["address"]["time_zone"], "America/Mexico_City");
    assert_eq!(first["address"]["point"]["confidence"], 1.0);
    assert_eq!(first["account"]["persons"][0]["role"], "debtor");
    assert_eq!(first["visited"], false);
    assert_eq!(day.body["agent"]["id"], field.tenant.agent.id.0.to_string());
    assert_eq!(day.body["contact_rules"]["window_start"], "07:00");
    assert_eq!(day.body["contact_rules"]["window_end"], "22:00");
    assert_eq!(day.body["checkin_rules"]["base_radius_m"], 50.0);
    assert_eq!(day.body["shift"], serde_json::Value::Null);
    assert_eq!(
        day.body["form_for"]["collection"],
        field.form_version_id.as_str()
    );
    assert_eq!(day.body["forms"][0]["form_id"], "visita_cobranza");
    let codes: Vec<&str> = day.body["result_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|code| code["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes.len(), 16);
    assert_eq!(codes[0], "PTP");
    assert!(codes.contains(&"WRONG_PARTY"));
    assert_eq!(
        day.body["lenders"][0]["payment_references"][0],
        "CLABE 012180001234567891"
    );

    let other = app
        .get("/api/field/day", Auth::Session(&field.other_agent_session))
        .await;
    let other_ids: Vec<&str> = other.body["stops"]
        .as_array()
        .expect("stops")
        .iter()
        .map(|stop| stop["account"]["lender_account_id"].as_str().expect("id"))
        .collect();
    assert_eq!(other_ids, ["FV-3"]);

    let path = format!("/api/field/day?agent_id={}", field.tenant.agent.id.0);
    let read = app.get(&path, Auth::Session(&field.supervisor)).await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    assert_eq!(read.body["stops"].as_array().expect("stops").len(), 2);
    let missing = app
        .get("/api/field/day", Auth::Session(&field.supervisor))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["field"], "agent_id");

    let stranger = field_common::field(&app, "Despacho Sur").await;
    let foreign = app.get(&path, Auth::Session(&stranger.supervisor)).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}
on_both_stores!(day_package_scoped, day_package_is_scoped);

async fn visit_put_is_idempotent(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let account = field.account("FV-1");
    let id = Uuid::new_v4();
    let body = visit_body(&field, account, check_in(north(HOME, 10.0), NOON_MS));

    let first = put_visit(&app, &field.agent, id, body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.body["status"], "complete");
    assert_eq!(first.body["receipt"]["visit_id"], id.to_string());
    assert_eq!(first.body["assigned_to_agent"], true);
    assert_eq!(first.body["verdict"]["outcome"], "verified");

    let again = put_visit(&app, &field.agent, id, body.clone()).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body, first.body);

    let receipt = app
        .get(
            &format!("/api/field/visits/{id}/receipt"),
            Auth::Session(&field.agent),
        )
        .await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert_eq!(receipt.body, first.body);
    let supervisor_read = app
        .get(
            &format!("/api/field/visits/{id}/receipt"),
            Auth::Session(&field.supervisor),
        )
        .await;
    assert_eq!(supervisor_read.status, StatusCode::OK);
    let other_agent_read = app
        .get(
            &format!("/api/field/visits/{id}/receipt"),
            Auth::Session(&field.other_agent_session),
        )
        .await;
    assert_eq!(other_agent_read.status, StatusCode::NOT_FOUND);

    let mut changed = body.clone();
    changed["answers"]["notes"] = json!("Otra nota");
    let conflict = put_visit(&app, &field.agent, id, changed).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.body["code"], "visit_conflict");

    let unknown = app
        .get(
            &format!("/api/field/visits/{}/receipt", Uuid::new_v4()),
            Auth::Session(&field.agent),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let events = app
        .test_store
        .store
        .events(field.tenant.org.id)
        .await
        .expect("events");
    let kinds: Vec<&str> = events.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(kinds, ["visit.completed", "promise.created"]);
    let payload = &events[0].payload;
    assert_eq!(payload["visit_id"], id.to_string());
    assert_eq!(payload["account"]["lender_account_id"], "FV-1");
    assert_eq!(payload["account"]["debtor_name"], "Titular FV-1");
    assert_eq!(payload["result_label_es"], "Promesa de pago");
    assert_eq!(payload["promise"]["amount_cents"], 150_050);
    assert_eq!(payload["local_time"], "2026-07-15T12:06:00-06:00");
    assert_eq!(payload["console_path"], format!("/#/visits/{id}"));

    let day = app.get("/api/field/day", Auth::Session(&field.agent)).await;
    let visited = day.body["stops"]
        .as_array()
        .expect("stops")
        .iter()
        .find(|stop| stop["account"]["lender_account_id"] == "FV-1")
        .map(|stop| stop["visited"].clone());
    // The visit finished on 2026-07-15, before today, so today's mark stays off.
    assert_eq!(visited, Some(json!(false)));
}
on_both_stores!(visit_idempotent, visit_put_is_idempotent);

async fn concurrent_duplicates_store_one(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let account = field.account("FV-1");
    let id = Uuid::new_v4();
    let body = visit_body(&field, account, check_in(HOME, NOON_MS));
    let send = || put_visit(&app, &field.agent, id, body.clone());
    let (a, b, c, d, e, f) = tokio::join!(send(), send(), send(), send(), send(), send());
    let responses = [a, b, c, d, e, f];

    let created = responses
        .iter()
        .filter(|response| response.status == StatusCode::CREATED)
        .count();
    let repeated = responses
        .iter()
        .filter(|response| response.status == StatusCode::OK)
        .count();
    assert_eq!(
        created,
        1,
        "{:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(repeated, 5);
    for response in &responses {
        assert_eq!(response.body["receipt"], responses[0].body["receipt"]);
    }
    let events = app
        .test_store
        .store
        .events(field.tenant.org.id)
        .await
        .expect("events");
    let completed = events
        .iter()
        .filter(|event| event.kind == "visit.completed")
        .count();
    assert_eq!(completed, 1);
}
on_both_stores!(concurrent_duplicates, concurrent_duplicates_store_one);

/// A visit and its only photo sent at nearly the same moment, the photo a little later
/// each round so that it lands at every point of the visit's handling: whichever commits
/// second must see the other and complete the visit.
async fn visit_and_photo_race(app: TestApp) {
    let field = field(&app, "Despacho Carrera").await;
    let account = field.account("FV-1");
    for round in 0..40u64 {
        let photo = format!("fachada {round}").into_bytes();
        let sha256 = sha256_hex(&photo);
        let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
        body["answers"]["facade_photo"] = json!(sha256);
        body["attachments"] = json!([{"sha256": sha256, "kind": "photo",
            "content_type": "image/jpeg", "bytes": photo.len(), "question": "facade_photo"}]);
        let id = Uuid::new_v4();
        let delay = std::time::Duration::from_micros(round * 250);
        let (visit, (photo_status, _)) =
            tokio::join!(put_visit(&app, &field.agent, id, body), async {
                tokio::time::sleep(delay).await;
                put_attachment(&app, &field.agent, &sha256, "image/jpeg", photo).await
            },);
        assert_eq!(visit.status, StatusCode::CREATED, "{:?}", visit.body);
        assert_eq!(photo_status, StatusCode::CREATED);
        let receipt = app
            .get(
                &format!("/api/field/visits/{id}/receipt"),
                Auth::Session(&field.agent),
            )
            .await;
        assert_eq!(receipt.body["status"], "complete", "round {round}");
    }
}
on_both_stores!(visit_photo_race, visit_and_photo_race);

async fn photo_completes_waiting_visit(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let account = field.account("FV-1");
    let photo = b"\xff\xd8\xff\xe0 fachada verde, porton negro".to_vec();
    let sha256 = sha256_hex(&photo);
    let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
    body["answers"]["facade_photo"] = json!(sha256);
    body["attachments"] = json!([{"sha256": sha256, "kind": "photo",
        "content_type": "image/jpeg", "bytes": photo.len(), "question": "facade_photo"}]);
    let mut live = app.state.live().subscribe();
    let id = Uuid::new_v4();

    let stored = put_visit(&app, &field.agent, id, body.clone()).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    assert_eq!(stored.body["status"], "waiting_for_attachments");
    assert_eq!(stored.body["missing_attachments"], json!([sha256]));
    let events = app
        .test_store
        .store
        .events(field.tenant.org.id)
        .await
        .expect("events");
    assert!(events.is_empty(), "no event before the photo: {events:?}");

    let (status, error) = put_attachment(
        &app,
        &field.agent,
        &sha256,
        "image/jpeg",
        b"otro archivo".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["code"], "attachment_hash_mismatch");
    let (status, _) =
        put_attachment(&app, &field.agent, &sha256, "text/plain", photo.clone()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = put_attachment(
        &app,
        &field.supervisor,
        &sha256,
        "image/jpeg",
        photo.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _) =
        put_attachment(&app, &field.agent, &sha256, "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) =
        put_attachment(&app, &field.agent, &sha256, "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::OK);

    let receipt = app
        .get(
            &format!("/api/field/visits/{id}/receipt"),
            Auth::Session(&field.agent),
        )
        .await;
    assert_eq!(receipt.body["status"], "complete");
    assert_eq!(receipt.body["missing_attachments"], json!([]));
    let events = app
        .test_store
        .store
        .events(field.tenant.org.id)
        .await
        .expect("events");
    let completed: Vec<_> = events
        .iter()
        .filter(|event| event.kind == "visit.completed")
        .collect();
    assert_eq!(completed.len(), 1);
    assert_eq!(completed[0].payload["photos"], json!([sha256]));
    let published = live.try_recv().expect("a live event after commit");
    assert_eq!(published.kind, "visit.completed");
    assert_eq!(published.data["visit_id"], id.to_string());

    let stored_photo = app
        .test_store
        .store
        .attachment(field.tenant.org.id, &sha256)
        .await
        .expect("read")
        .expect("photo");
    assert_eq!(stored_photo.content, photo);
    assert_eq!(stored_photo.content_type, "image/jpeg");
    let download = app
        .get(
            &format!("/api/field/attachments/{sha256}"),
            Auth::Session(&field.supervisor),
        )
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.headers["content-type"], "image/jpeg");
}
on_both_stores!(photo_completes, photo_completes_waiting_visit);

async fn organizations_stay_apart(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let account = north_field.account("FV-1");
    let id = Uuid::new_v4();
    let body = visit_body(&north_field, account, check_in(HOME, NOON_MS));
    let stored = put_visit(&app, &north_field.agent, id, body.clone()).await;
    assert_eq!(stored.status, StatusCode::CREATED);

    let receipt = app
        .get(
            &format!("/api/field/visits/{id}/receipt"),
            Auth::Session(&south.supervisor),
        )
        .await;
    assert_eq!(receipt.status, StatusCode::NOT_FOUND);
    let own_body = visit_body(&south, south.account("FV-1"), check_in(HOME, NOON_MS));
    let same_id = put_visit(&app, &south.agent, id, own_body).await;
    assert_eq!(same_id.status, StatusCode::CONFLICT, "{:?}", same_id.body);
    let foreign_account = put_visit(&app, &south.agent, Uuid::new_v4(), body.clone()).await;
    assert_eq!(foreign_account.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign_account.body["field"], "address_id");

    let photo = b"firma del titular".to_vec();
    let sha256 = sha256_hex(&photo);
    let (status, _) = put_attachment(
        &app,
        &north_field.agent,
        &sha256,
        "image/png",
        photo.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let download = app
        .get(
            &format!("/api/field/attachments/{sha256}"),
            Auth::Session(&south.supervisor),
        )
        .await;
    assert_eq!(download.status, StatusCode::NOT_FOUND);
    let (status, _) = put_attachment(&app, &south.agent, &sha256, "image/png", photo).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "each organization keeps its own copy"
    );
    let events = app
        .test_store
        .store
        .events(south.tenant.org.id)
        .await
        .expect("events");
    assert!(events.is_empty());
}
on_both_stores!(organizations_apart, organizations_stay_apart);

async fn visit_to_unassigned_account_is_kept(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let account = field.account("FV-3");
    let id = Uuid::new_v4();
    let body = visit_body(&field, account, check_in(north(HOME, 1600.0), NOON_MS));
    let stored = put_visit(&app, &field.agent, id, body).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    assert_eq!(stored.body["assigned_to_agent"], false);
    let viewer_put = put_visit(
        &app,
        &field.supervisor,
        Uuid::new_v4(),
        visit_body(&field, account, check_in(HOME, NOON_MS)),
    )
    .await;
    assert_eq!(viewer_put.status, StatusCode::FORBIDDEN);
}
on_both_stores!(unassigned_account, visit_to_unassigned_account_is_kept);

async fn invalid_visit_names_field(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let account = field.account("FV-1");
    let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
    body["check_in"]["exception"] = json!("wrong_house");
    let response = put_visit(&app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["field"], "check_in.exception");

    let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
    body["attachments"] = json!([{"sha256": "abc", "kind": "photo",
        "content_type": "image/jpeg", "bytes": 10, "question": "facade_photo"}]);
    let response = put_visit(&app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["field"], "attachments[0].sha256");

    let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
    body["answers"]["promise_amount"] = json!(999_999);
    body["answers"]["promise_channel"] = json!("cash_to_agent");
    let response = put_visit(&app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        response.body
    );
    assert_eq!(response.body["code"], "invalid_answers");
    let paths: Vec<&str> = response.body["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|problem| problem["path"].as_str().expect("path"))
        .collect();
    assert!(paths.contains(&"promise_amount"), "{paths:?}");
    assert!(paths.contains(&"promise_channel"), "{paths:?}");

    let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
    body["form_version_id"] = json!(Uuid::new_v4());
    let response = put_visit(&app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["field"], "form_version_id");

    let mut body = visit_body(&field, account, check_in(HOME, NOON_MS));
    body.as_object_mut().expect("object").remove("account_id");
    let response = put_visit(&app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["field"], "account_id");
}
on_both_stores!(invalid_visit, invalid_visit_names_field);

async fn shifts_are_idempotent(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let id = Uuid::new_v4();
    let path = format!("/api/field/shifts/{id}");
    let start = NOON_MS - 240 * MINUTE_MS;
    let opened = put(&app, &field.agent, &path, json!({"clocked_in_at": start})).await;
    assert_eq!(opened.status, StatusCode::CREATED, "{:?}", opened.body);
    let again = put(&app, &field.agent, &path, json!({"clocked_in_at": start})).await;
    assert_eq!(again.status, StatusCode::OK);
    let day = app.get("/api/field/day", Auth::Session(&field.agent)).await;
    assert_eq!(day.body["shift"]["id"], id.to_string());

    let end = NOON_MS + 240 * MINUTE_MS;
    let closed = put(
        &app,
        &field.agent,
        &path,
        json!({"clocked_in_at": start, "clocked_out_at": end}),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK);
    assert_eq!(closed.body["clocked_out_at"], end);
    let older_copy = put(&app, &field.agent, &path, json!({"clocked_in_at": start})).await;
    assert_eq!(older_copy.status, StatusCode::OK);
    assert_eq!(older_copy.body["clocked_out_at"], end);
    let moved = put(
        &app,
        &field.agent,
        &path,
        json!({"clocked_in_at": start + 1}),
    )
    .await;
    assert_eq!(moved.status, StatusCode::CONFLICT);
    assert_eq!(moved.body["code"], "shift_conflict");
    let other = put(
        &app,
        &field.other_agent_session,
        &path,
        json!({"clocked_in_at": start}),
    )
    .await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    let backwards = put(
        &app,
        &field.agent,
        &format!("/api/field/shifts/{}", Uuid::new_v4()),
        json!({"clocked_in_at": start, "clocked_out_at": start - 1}),
    )
    .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(backwards.body["field"], "clocked_out_at");
    let tomorrow = jiff::Timestamp::now().as_millisecond() + 25 * 60 * MINUTE_MS;
    for (clocked_in_at, clocked_out_at, field_name) in [
        (-5, None, "clocked_in_at"),
        (tomorrow, None, "clocked_in_at"),
        (start, Some(tomorrow), "clocked_out_at"),
    ] {
        let absurd = put(
            &app,
            &field.agent,
            &format!("/api/field/shifts/{}", Uuid::new_v4()),
            json!({"clocked_in_at": clocked_in_at, "clocked_out_at": clocked_out_at}),
        )
        .await;
        assert_eq!(
            absurd.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{clocked_in_at}"
        );
        assert_eq!(absurd.body["field"], field_name, "{:?}", absurd.body);
        assert!(
            absurd.body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("fecha y hora del teléfono"),
            "{:?}",
            absurd.body
        );
    }
    let supervisor = put(
        &app,
        &field.supervisor,
        &path,
        json!({"clocked_in_at": start}),
    )
    .await;
    assert_eq!(supervisor.status, StatusCode::FORBIDDEN);
}
on_both_stores!(shifts_idempotent, shifts_are_idempotent);

async fn positions_outside_shift_are_flagged(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let agent = field.tenant.agent.id;
    let org = field.tenant.org.id;
    let mut live = app.state.live().subscribe();

    let before = field_common::post_track(&app, &field.agent, NOON_MS, &[(0, HOME)]).await;
    assert_eq!(before, json!({"accepted": 0, "flagged": 1}));
    assert!(
        live.try_recv().is_err(),
        "a flagged position stays off the live map"
    );

    clock_in(&app, &field.agent, NOON_MS - 60 * MINUTE_MS).await;
    let during =
        field_common::post_track(&app, &field.agent, NOON_MS, &[(2, north(HOME, 50.0))]).await;
    assert_eq!(during, json!({"accepted": 1, "flagged": 0}));
    let published = live.try_recv().expect("a live position");
    assert_eq!(published.kind, "position");

    let store = app.test_store.store.as_ref();
    let positions = store
        .agent_positions(
            org,
            agent,
            jiff::Timestamp::from_millisecond(NOON_MS - MINUTE_MS).expect("time"),
            jiff::Timestamp::from_millisecond(NOON_MS + 10 * MINUTE_MS).expect("time"),
        )
        .await
        .expect("positions");
    assert_eq!(positions.len(), 2);
    assert_eq!(positions[0].status, PositionStatus::Flagged);
    assert_eq!(positions[0].flag_reason.as_deref(), Some("not_clocked_in"));
    assert_eq!(positions[1].status, PositionStatus::Accepted);

    let later = NOON_MS + 20 * 60 * MINUTE_MS;
    let after_open_shift_ends =
        field_common::post_track(&app, &field.agent, later, &[(0, HOME)]).await;
    assert_eq!(
        after_open_shift_ends["flagged"], 1,
        "an open shift counts for 16 hours"
    );

    let settings = app
        .request(
            Method::PUT,
            "/api/field/settings",
            Auth::Session(&field.admin),
            Some(json!({"track_outside_shifts": true})),
        )
        .await;
    assert_eq!(settings.status, StatusCode::OK, "{:?}", settings.body);
    let allowed =
        field_common::post_track(&app, &field.agent, later, &[(5, north(HOME, 30.0))]).await;
    assert_eq!(allowed["accepted"], 1);
    let by_supervisor = app
        .request(
            Method::PUT,
            "/api/field/settings",
            Auth::Session(&field.supervisor),
            Some(json!({"track_outside_shifts": false})),
        )
        .await;
    assert_eq!(by_supervisor.status, StatusCode::FORBIDDEN);
}
on_both_stores!(positions_outside_shift, positions_outside_shift_are_flagged);

async fn osmand_outside_shift_is_flagged(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let created = support::tracking::register(
        &app,
        &field.admin,
        field.tenant.agent.id,
        "osmand",
        "4827193056",
    )
    .await;
    let secret = support::tracking::secret_of(&created);
    let seconds = NOON_MS / 1000;
    let query = format!(
        "id=4827193056&lat={}&lon={}&timestamp={seconds}&accuracy=8",
        HOME.0, HOME.1
    );
    let (status, _) = support::tracking::osmand_get(&app, &secret, &query).await;
    assert_eq!(status, StatusCode::OK);
    let positions = app
        .test_store
        .store
        .agent_positions(
            field.tenant.org.id,
            field.tenant.agent.id,
            jiff::Timestamp::from_millisecond(NOON_MS - MINUTE_MS).expect("time"),
            jiff::Timestamp::from_millisecond(NOON_MS + MINUTE_MS).expect("time"),
        )
        .await
        .expect("positions");
    assert_eq!(positions.len(), 1);
    assert_eq!(positions[0].flag_reason.as_deref(), Some("not_clocked_in"));
}
on_both_stores!(osmand_outside_shift, osmand_outside_shift_is_flagged);

/// Imports one account whose address names no time zone, assigns it to `field`'s agent
/// and returns it with the address id the day package gives.
async fn account_without_zone(
    app: &TestApp,
    field: &field_common::Field,
    id: &str,
) -> field_common::FieldAccount {
    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(&field.admin),
            json!({"name": format!("Financiera {id}")}),
        )
        .await;
    assert_eq!(lender.status, StatusCode::CREATED, "{:?}", lender.body);
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(&field.admin),
            json!({"lender_id": lender.body["id"], "name": format!("Sin zona {id}")}),
        )
        .await;
    assert_eq!(
        portfolio.status,
        StatusCode::CREATED,
        "{:?}",
        portfolio.body
    );

    let store = app.test_store.store.as_ref();
    let org = field.tenant.org.id;
    let portfolio_id = portfolio.body["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    let stored = store
        .portfolio(org, portfolio_id)
        .await
        .expect("read")
        .expect("portfolio");
    let mut import = field_common::account(id, HOME);
    import.address.time_zone = None;
    import.address.state = None;
    store
        .import_accounts(&stored, &[import], true, &field_common::seed_audit(org))
        .await
        .expect("import");

    let query = AccountQuery {
        limit: 50,
        ..AccountQuery::default()
    };
    let (page, _) = store.accounts(org, &query).await.expect("accounts");
    let account_id = page
        .iter()
        .find(|summary| summary.lender_account_id == id)
        .map(|summary| summary.id.to_string())
        .expect("imported account");
    field_common::assign(app, &field.admin, field.tenant.agent.id, &[&account_id]).await;

    let day = app.get("/api/field/day", Auth::Session(&field.agent)).await;
    let stop = day.body["stops"]
        .as_array()
        .expect("stops")
        .iter()
        .find(|stop| stop["account"]["lender_account_id"] == id)
        .cloned()
        .expect("stop of the new account");
    assert_eq!(stop["address"]["time_zone"], json!(null));
    field_common::FieldAccount {
        id: account_id,
        address_id: stop["address"]["id"]
            .as_str()
            .expect("address id")
            .to_owned(),
        lender_account_id: id.to_owned(),
    }
}

async fn set_default_zone(app: &TestApp, field: &field_common::Field, zone: &str) {
    let response = app
        .request(
            Method::PUT,
            "/api/organization",
            Auth::Session(&field.admin),
            Some(json!({
                "display_name": "Despacho Zona",
                "default_time_zone": zone,
                "contact_rule": {"window": {"start": "07:00", "end": "22:00"}, "weekdays": [], "holidays": []}
            })),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
}

/// `today()` in the answers is read in the zone the check-in verdict uses: for an address
/// with no zone, the organization's default, not UTC.
async fn answers_use_the_default_zone(app: TestApp) {
    let field = field(&app, "Despacho Zona").await;
    let account = account_without_zone(&app, &field, "FZ-1").await;
    set_default_zone(&app, &field, "America/Mexico_City").await;

    // 19:00 in Mexico City on 2026-07-15 is already 2026-07-16 in UTC: a promise for
    // "today" broke `. >= today()` when the server read the date in UTC.
    let evening = NOON_MS + 7 * 60 * MINUTE_MS;
    let mut body = visit_body(&field, &account, check_in(HOME, evening));
    body["answers"]["promise_date"] = json!("2026-07-15");
    let stored = put_visit(&app, &field.agent, Uuid::new_v4(), body.clone()).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);

    // A promise for the day before the local date is still refused, naming the question.
    body["answers"]["promise_date"] = json!("2026-07-14");
    let refused = put_visit(&app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["code"], "invalid_answers");
    assert_eq!(refused.body["problems"][0]["path"], "promise_date");

    // The organization's zone wins over the verdict's Mexico City fallback. At 23:10 in
    // Mexico City it is 2026-07-15 there and 2026-07-16 in Cancún, so the last allowed
    // promise day (today plus the form's 7 days) is 07-22 in one zone and 07-23 in the other.
    let late = NOON_MS + 11 * 60 * MINUTE_MS + 4 * MINUTE_MS;
    let mut last_day = visit_body(&field, &account, check_in(HOME, late));
    last_day["answers"]["promise_date"] = json!("2026-07-23");
    let in_mexico_city = put_visit(&app, &field.agent, Uuid::new_v4(), last_day.clone()).await;
    assert_eq!(in_mexico_city.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(in_mexico_city.body["problems"][0]["path"], "promise_date");

    set_default_zone(&app, &field, "America/Cancun").await;
    let in_cancun = put_visit(&app, &field.agent, Uuid::new_v4(), last_day).await;
    assert_eq!(
        in_cancun.status,
        StatusCode::CREATED,
        "{:?}",
        in_cancun.body
    );
}
on_both_stores!(answers_default_zone, answers_use_the_default_zone);
