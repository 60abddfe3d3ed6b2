//! Tracking ingest without I/O: parsing the position messages that agents' phones send,
//! classifying each position against the device's newest accepted one, and summarizing a
//! day of positions into distance and stops.
//!
//! Two phone clients are supported. Traccar Client speaks the OsmAnd protocol (a query
//! string, a form body, or since version 9 a JSON body), and OwnTracks posts JSON in its
//! HTTP mode. Both parse into [`PositionReport`].

pub mod error;
pub mod filter;
pub mod geo;
pub mod osmand;
pub mod owntracks;
pub mod report;
pub mod trips;
mod values;

pub use error::{ParseError, ParseErrorCode};
pub use filter::{Classification, FilterConfig, FlagReason, classify};
pub use geo::{EARTH_MEAN_RADIUS_M, haversine_m};
pub use owntracks::OwnTracksMessage;
pub use report::{Coordinates, PositionReport, TimeSource, TrackPoint};
pub use trips::{DaySummary, Stop, TripConfig, summarize_day};
