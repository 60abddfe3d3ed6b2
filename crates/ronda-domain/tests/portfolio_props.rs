//! Property tests: parsing lenders' text never panics, and what parses is well formed.

use proptest::prelude::*;
use ronda_domain::portfolio::{PostalCode, State, StreetNumber, time_zone_name};

fn assert_five_digits(code: &PostalCode) {
    assert_eq!(code.as_str().len(), 5);
    assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
    assert!(code.as_str() >= "01000");
}

proptest! {
    #[test]
    fn postal_code_text_never_panics(value in any::<String>()) {
        if let Ok(code) = PostalCode::parse(&value) {
            assert_five_digits(&code);
        }
    }

    #[test]
    fn postal_code_digit_text(value in "[0-9]{0,7}(\\.0{0,3})?") {
        if let Ok(code) = PostalCode::parse(&value) {
            assert_five_digits(&code);
        }
    }

    #[test]
    fn postal_code_numbers_never_panic(value in any::<f64>(), integer in any::<i64>()) {
        if let Ok(code) = PostalCode::from_number(value) {
            assert_five_digits(&code);
        }
        if let Ok(code) = PostalCode::from_integer(integer) {
            assert_five_digits(&code);
        }
    }

    #[test]
    fn postal_code_round_trips_numbers(value in 1000i64..=99999) {
        let from_integer = PostalCode::from_integer(value).expect("in range");
        let from_text = PostalCode::parse(&value.to_string()).expect("in range");
        let from_float = PostalCode::from_number(value as f64).expect("in range");
        prop_assert_eq!(&from_integer, &from_text);
        prop_assert_eq!(&from_integer, &from_float);
        prop_assert_eq!(from_integer.as_str().trim_start_matches('0'), value.to_string());
    }

    #[test]
    fn state_parse_never_panics(value in any::<String>()) {
        let _ = State::parse(&value);
    }

    #[test]
    fn state_parse_ignores_case_and_padding(index in 0usize..32, upper in any::<bool>()) {
        let state = ronda_domain::portfolio::state::ALL[index];
        let name = if upper { state.name().to_uppercase() } else { state.name().to_lowercase() };
        prop_assert_eq!(State::parse(&format!("  {name} ")), Ok(state));
    }

    #[test]
    fn municipality_lookup_never_panics(index in 0usize..32, value in any::<String>()) {
        let state = ronda_domain::portfolio::state::ALL[index];
        prop_assert!(time_zone_name(state, Some(&value)).starts_with("America/"));
    }

    #[test]
    fn street_number_never_panics(value in any::<String>()) {
        let _ = StreetNumber::parse(&value);
    }
}
