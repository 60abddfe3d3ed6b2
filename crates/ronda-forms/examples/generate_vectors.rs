//! Prints `spec/expressions/generated.json`: random expressions from the
//! shared generator with the results of the Rust evaluator.
//!
//! ```sh
//! cargo run -p ronda-forms --example generate_vectors > spec/expressions/generated.json
//! ```

use ronda_forms::expr::generate::{COUNT, MAX_DEPTH, SEED, expressions};
use ronda_forms::expr::vectors::{env_from_context, outcome_json};
use serde_json::{Map, Value, json};

fn main() -> Result<(), String> {
    let context = json!({
        "now": "2026-08-07T10:30:00.000-06:00",
        "values": {
            "a": "3",
            "b": "",
            "c": "2.5",
            "s": "ñandú",
            "m": "a b c",
            "d": "2026-02-28",
            "r": ["1", "2", "4.5"]
        },
        "current": "7",
        "position": 2
    });
    let env = env_from_context(Some(&context), None)?;

    let mut vectors = Vec::new();
    for (index, source) in expressions(SEED, COUNT).into_iter().enumerate() {
        let mut vector = Map::new();
        vector.insert(
            "id".to_string(),
            json!(format!("generated-{:03}", index + 1)),
        );
        vector.insert("expr".to_string(), json!(source));
        if let Value::Object(outcome) = outcome_json(&source, &env) {
            vector.extend(outcome);
        }
        vectors.push(Value::Object(vector));
    }

    let file = json!({
        "description": "Random expressions from the shared generator, with the results of the Rust evaluator. Regenerate with: cargo run -p ronda-forms --example generate_vectors > spec/expressions/generated.json",
        "generator": { "algorithm": "xorshift32", "seed": SEED, "count": COUNT, "max_depth": MAX_DEPTH },
        "context": context,
        "vectors": vectors
    });
    let text = serde_json::to_string_pretty(&file).map_err(|error| error.to_string())?;
    println!("{text}");
    Ok(())
}
