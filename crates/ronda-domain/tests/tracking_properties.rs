//! Property tests: parsers return a value or an error for any input, and the filter
//! classifies any report.

use jiff::Timestamp;
use proptest::prelude::*;
use ronda_domain::tracking::osmand::{parse_form, parse_json, parse_query};
use ronda_domain::tracking::owntracks;
use ronda_domain::tracking::{
    Classification, Coordinates, FilterConfig, PositionReport, TimeSource, TrackPoint, TripConfig,
    classify, summarize_day,
};

fn received_at() -> Timestamp {
    "2026-01-15T18:00:00Z".parse().expect("valid time")
}

/// Arbitrary JSON values up to a few levels deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("location".to_owned()),
                    Just("coords".to_owned()),
                    Just("latitude".to_owned()),
                    Just("timestamp".to_owned()),
                    Just("battery".to_owned()),
                    Just("level".to_owned()),
                    Just("_type".to_owned()),
                    Just("lat".to_owned()),
                    Just("tst".to_owned()),
                    Just("bs".to_owned()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

fn any_report() -> impl Strategy<Value = PositionReport> {
    (
        any::<Option<(f64, f64)>>(),
        -4_000_000_000i64..4_000_000_000i64,
        any::<Option<f64>>(),
    )
        .prop_map(|(coordinates, seconds, accuracy_m)| {
            let time = Timestamp::from_second(seconds).expect("within jiff's range");
            let mut report = PositionReport::new("device".to_owned(), time, TimeSource::Device);
            report.coordinates = coordinates.map(|(latitude, longitude)| Coordinates {
                latitude,
                longitude,
            });
            report.accuracy_m = accuracy_m;
            report
        })
}

proptest! {
    #[test]
    fn osmand_query_never_panics(query in ".*") {
        let _ = parse_query(&query, received_at());
    }

    #[test]
    fn osmand_query_of_known_keys_never_panics(
        pairs in prop::collection::vec(
            (prop_oneof![
                Just("id"), Just("lat"), Just("lon"), Just("timestamp"), Just("location"),
                Just("speed"), Just("batt"), Just("accuracy"), Just("mock"), Just("charge"),
            ], "[-0-9.,:+%A-Za-z ]{0,16}"),
            0..8,
        )
    ) {
        let query: Vec<String> = pairs.iter().map(|(key, value)| format!("{key}={value}")).collect();
        let _ = parse_query(&query.join("&"), received_at());
    }

    #[test]
    fn osmand_form_never_panics(body in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = parse_form(&body, received_at());
    }

    #[test]
    fn osmand_json_never_panics(value in json_value()) {
        let _ = parse_json(value.to_string().as_bytes(), received_at());
        let wrapped = serde_json::json!({ "device_id": "1", "location": value });
        let _ = parse_json(wrapped.to_string().as_bytes(), received_at());
    }

    #[test]
    fn osmand_json_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = parse_json(&body, received_at());
    }

    #[test]
    fn owntracks_never_panics(value in json_value(), text in ".*") {
        let _ = owntracks::parse(value.to_string().as_bytes(), "device");
        let _ = owntracks::parse(text.as_bytes(), "device");
        if let serde_json::Value::Object(mut map) = value {
            map.insert("_type".to_owned(), "location".into());
            let _ = owntracks::parse(serde_json::Value::Object(map).to_string().as_bytes(), "device");
        }
    }

    #[test]
    fn filter_always_classifies(
        report in any_report(),
        previous in any_report(),
        received_seconds in 0i64..4_000_000_000i64,
    ) {
        let received_at = Timestamp::from_second(received_seconds).expect("within jiff's range");
        let latest = previous.track_point();
        let classification = classify(latest.as_ref(), &report, received_at, &FilterConfig::default());
        let accepted_without_location = report.coordinates.is_none()
            && matches!(classification, Classification::Accepted { .. });
        prop_assert!(!accepted_without_location);
    }

    #[test]
    fn summary_distance_is_finite(reports in prop::collection::vec(any_report(), 0..40)) {
        let points: Vec<TrackPoint> = reports.iter().filter_map(PositionReport::track_point).collect();
        let summary = summarize_day(&points, &TripConfig::default());
        prop_assert!(summary.distance_m >= 0.0);
        prop_assert!(!summary.distance_m.is_nan());
    }
}
