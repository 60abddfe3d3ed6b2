//! Portfolio imports that stream the file into one transaction, run inline or as
//! background jobs the console polls.

pub mod jobs;
pub mod pipeline;

pub use jobs::{ImportJob, ImportJobs, JobState};
pub use pipeline::{ImportFailure, ImportInput, ImportOutcome, Progress};
