//! `ronda demo`: a demonstration organization with real-looking data, seeded through the
//! server's own API, and simulated agents that keep the console moving.

pub mod accents;
pub mod client;
pub mod gpx;
pub mod people;
pub mod png;
pub mod portfolio;
pub mod postal;
pub mod setup;
pub mod simulator;
pub mod visit;
