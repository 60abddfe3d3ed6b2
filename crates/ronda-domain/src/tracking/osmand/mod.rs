//! The OsmAnd protocol as Traccar Client sends it. Older clients send parameters in a
//! query string or a form body, read with the units of Traccar's server (speed in knots).
//! Traccar Client 9 sends a JSON body in the transistorsoft location shape, with speed in
//! metres per second.

mod json;
mod params;
mod urlencoded;

pub use json::parse_json;
pub use params::{parse_form, parse_query};
