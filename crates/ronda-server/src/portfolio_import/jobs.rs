//! Imports that run in the background while the console polls their progress. Jobs live
//! in the server's memory, so a restart drops them, and the transaction of an unfinished
//! one is rolled back, so nothing is half-written.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use ronda_domain::OrganizationId;
use uuid::Uuid;

use super::pipeline::{ImportFailure, ImportOutcome, Progress};

/// Finished jobs are forgotten after this long.
const KEEP_FINISHED: Duration = Duration::from_secs(60 * 60);
/// Imports one organization may run at the same time.
pub const MAX_RUNNING_PER_ORGANIZATION: usize = 2;

/// State of a job.
#[derive(Debug)]
pub enum JobState {
    Running,
    Finished(ImportOutcome),
    Failed(ImportFailure),
}

/// One import running or run in the background.
#[derive(Debug)]
pub struct ImportJob {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub dry_run: bool,
    pub file_name: Option<String>,
    pub started_at: Timestamp,
    pub progress: Arc<Progress>,
    state: Mutex<(JobState, Option<Timestamp>)>,
}

impl ImportJob {
    /// Runs `f` with the job's state and the time it ended, if it did.
    pub fn with_state<T>(&self, f: impl FnOnce(&JobState, Option<Timestamp>) -> T) -> T {
        let guard = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&guard.0, guard.1)
    }

    fn is_running(&self) -> bool {
        self.with_state(|state, _| matches!(state, JobState::Running))
    }

    fn finish(&self, result: Result<ImportOutcome, ImportFailure>) {
        let state = match result {
            Ok(outcome) => JobState::Finished(outcome),
            Err(failure) => JobState::Failed(failure),
        };
        let mut guard = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = (state, Some(Timestamp::now()));
    }
}

/// Every import job of this server process.
#[derive(Debug, Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<Uuid, Arc<ImportJob>>>,
}

/// The organization already runs as many imports as it may.
#[derive(Debug)]
pub struct TooManyImports;

impl ImportJobs {
    /// Registers a running job for `org`, rejecting it when the organization already runs
    /// [`MAX_RUNNING_PER_ORGANIZATION`] of them.
    pub fn start(
        &self,
        org: OrganizationId,
        dry_run: bool,
        file_name: Option<String>,
    ) -> Result<Arc<ImportJob>, TooManyImports> {
        let mut jobs = self
            .jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Timestamp::now();
        jobs.retain(|_, job| {
            job.with_state(|_, ended| {
                ended.is_none_or(|ended| now.duration_since(ended).unsigned_abs() < KEEP_FINISHED)
            })
        });
        let running = jobs
            .values()
            .filter(|job| job.organization_id == org && job.is_running())
            .count();
        if running >= MAX_RUNNING_PER_ORGANIZATION {
            return Err(TooManyImports);
        }
        let job = Arc::new(ImportJob {
            id: Uuid::now_v7(),
            organization_id: org,
            dry_run,
            file_name,
            started_at: now,
            progress: Arc::default(),
            state: Mutex::new((JobState::Running, None)),
        });
        jobs.insert(job.id, job.clone());
        Ok(job)
    }

    /// Returns the job when it belongs to `org`.
    pub fn get(&self, org: OrganizationId, id: Uuid) -> Option<Arc<ImportJob>> {
        let jobs = self
            .jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        jobs.get(&id)
            .filter(|job| job.organization_id == org)
            .cloned()
    }

    /// Records how a job ended.
    pub fn finish(&self, job: &ImportJob, result: Result<ImportOutcome, ImportFailure>) {
        if let Err(failure) = &result {
            tracing::warn!(job.id = %job.id, error = %failure, "portfolio import failed");
        }
        job.finish(result);
    }
}
