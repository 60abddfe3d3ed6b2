//! The server's verdict on a received visit's check-in.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::device::{contact_hours, decide_on_device};
use super::{
    CheckIn, CheckinRules, Reason, Severity, Target, TrackFix, VerdictReason, distance_to,
    round_tenth,
};
use crate::tracking::{Coordinates, haversine_m};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Verified,
    Doubtful,
    Rejected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::Doubtful => "doubtful",
            Outcome::Rejected => "rejected",
        }
    }

    fn from_severity(severity: Option<Severity>) -> Self {
        match severity {
            None | Some(Severity::Info) => Outcome::Verified,
            Some(Severity::Doubtful) => Outcome::Doubtful,
            Some(Severity::Rejected) => Outcome::Rejected,
        }
    }
}

/// The server's verdict: the heaviest finding decides the outcome, and every finding is
/// kept as evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub reasons: Vec<VerdictReason>,
    pub distance_m: Option<f64>,
    pub radius_m: f64,
    /// Check-in time at the address, RFC 3339 with the zone's offset.
    pub local_time: String,
}

/// Judges a check-in received by the server at `received_at`.
///
/// `track` holds the agent's positions from all devices in any order; mock-flagged ones
/// carry `mock`. The server passes at least the six hours before the check-in and the
/// hour after it. Findings come in this order: the on-device checks, an unknown time
/// zone, a declared exception, the clock, the track, the speed from the previous position.
pub fn verdict(
    rules: &CheckinRules,
    target: &Target,
    check_in: &CheckIn,
    received_at: Timestamp,
    track: &[TrackFix],
) -> Verdict {
    let device = decide_on_device(rules, target, check_in);
    let mut reasons: Vec<VerdictReason> = device
        .reasons
        .into_iter()
        .map(|reason| {
            let severity = device_reason_severity(&reason, check_in);
            VerdictReason { reason, severity }
        })
        .collect();
    let mut add =
        |reason: Reason, severity: Severity| reasons.push(VerdictReason { reason, severity });

    let contact = contact_hours(rules, target, check_in.corrected_time());
    if let Some(assumed) = contact.assumed_zone {
        add(assumed, Severity::Info);
    }
    if let Some(exception) = check_in.exception {
        add(Reason::ExceptionDeclared { exception }, Severity::Doubtful);
    }
    if let Some((reason, severity)) = clock_finding(rules, check_in, received_at) {
        add(reason, severity);
    }

    let fix_valid = check_in.fix.is_valid();
    if fix_valid {
        let mut track: Vec<&TrackFix> =
            track.iter().filter(|point| point_is_valid(point)).collect();
        track.sort_by_key(|point| point.time);
        let at = fix_time_on_server_clock(check_in);
        for (reason, severity) in track_findings(rules, target, &track, at) {
            add(reason, severity);
        }
        if let Some(reason) = speed_finding(rules, check_in, &track, at) {
            add(reason, Severity::Rejected);
        }
    }

    let outcome = Outcome::from_severity(reasons.iter().map(|reason| reason.severity).max());
    Verdict {
        outcome,
        reasons,
        distance_m: device.distance_m,
        radius_m: device.radius_m,
        local_time: device.local_time,
    }
}

/// Weighs a reason the device check also finds. Distance weighs less when the agent
/// declared an exception, because the supervisor reviews those visits anyway.
fn device_reason_severity(reason: &Reason, check_in: &CheckIn) -> Severity {
    match reason {
        Reason::InvalidFix | Reason::MockLocation | Reason::OutsideContactWindow { .. } => {
            Severity::Rejected
        }
        Reason::TooFar { .. } if check_in.exception.is_none() => Severity::Rejected,
        _ => Severity::Doubtful,
    }
}

/// Measures how far the device clock is from the server clock: the offset the app
/// measured, or how far the device time lies after the server's receipt, whichever is
/// larger, because a check-in cannot happen after the server received it.
fn clock_finding(
    rules: &CheckinRules,
    check_in: &CheckIn,
    received_at: Timestamp,
) -> Option<(Reason, Severity)> {
    let ahead_ms = check_in.device_time.as_millisecond() - received_at.as_millisecond();
    let offset_ms = check_in.server_offset_ms.saturating_abs().max(ahead_ms);
    let severity = if offset_ms > rules.rejected_clock_offset_ms {
        Severity::Rejected
    } else if offset_ms > rules.doubtful_clock_offset_ms {
        Severity::Doubtful
    } else {
        return None;
    };
    Some((Reason::ClockOffset { offset_ms }, severity))
}

fn fix_time_on_server_clock(check_in: &CheckIn) -> Timestamp {
    check_in
        .fix
        .fix_time
        .checked_add(SignedDuration::from_millis(check_in.server_offset_ms))
        .unwrap_or(check_in.fix.fix_time)
}

fn point_is_valid(point: &TrackFix) -> bool {
    point.latitude.is_finite()
        && point.longitude.is_finite()
        && point.latitude.abs() <= 90.0
        && point.longitude.abs() <= 180.0
}

/// Looks at the track within the rules' window around `at`: mock positions, whether any
/// position lies near the address, and for how long.
fn track_findings(
    rules: &CheckinRules,
    target: &Target,
    track: &[&TrackFix],
    at: Timestamp,
) -> Vec<(Reason, Severity)> {
    let window = SignedDuration::from_millis(rules.track_window_ms);
    let in_window: Vec<&TrackFix> = track
        .iter()
        .copied()
        .filter(|point| point.time.duration_since(at).abs() <= window)
        .collect();
    let mut findings = Vec::new();
    let mock_points = count(in_window.iter().filter(|point| point.mock));
    if mock_points > 0 {
        findings.push((
            Reason::MockInTrack {
                points: mock_points,
            },
            Severity::Doubtful,
        ));
    }
    let genuine: Vec<&TrackFix> = in_window.into_iter().filter(|point| !point.mock).collect();
    if genuine.is_empty() {
        findings.push((Reason::NoTrack, Severity::Info));
        return findings;
    }
    let Some(address) = target.coordinates() else {
        return findings;
    };

    let near: Vec<&TrackFix> = genuine
        .iter()
        .copied()
        .filter(|point| {
            let radius = rules.radius_m(point.accuracy_m.unwrap_or(0.0), target.confidence);
            haversine_m(address, point.coordinates()) <= radius
        })
        .collect();
    match (near.first(), near.last()) {
        (Some(first), Some(last)) => {
            let dwell_s = last.time.duration_since(first.time).as_secs_f64();
            findings.push((
                Reason::TrackNear {
                    near_points: count(near.iter()),
                    dwell_s: round_tenth(dwell_s),
                },
                Severity::Info,
            ));
        }
        _ => {
            let nearest_m = genuine
                .iter()
                .map(|point| distance_to(address, point.coordinates()))
                .fold(f64::INFINITY, f64::min);
            findings.push((
                Reason::TrackNotNear {
                    track_points: count(genuine.iter()),
                    nearest_m,
                },
                Severity::Doubtful,
            ));
        }
    }
    findings
}

/// Checks the speed needed to reach the fix from the previous genuine position, and to
/// leave it for the next one. Fast on the way in only is an impossible speed; fast both
/// ways, a jump to the address and back, is a teleport.
fn speed_finding(
    rules: &CheckinRules,
    check_in: &CheckIn,
    track: &[&TrackFix],
    at: Timestamp,
) -> Option<Reason> {
    let fix = check_in.fix.coordinates();
    let accuracy = check_in.fix.accuracy_m;
    let genuine = || track.iter().copied().filter(|point| !point.mock);
    let previous = genuine().rfind(|point| point.time < at)?;
    let leg_in = leg(previous, fix, accuracy, at, true)?;
    if leg_in.speed_kmh <= rules.max_speed_kmh {
        return None;
    }
    let leg_out = genuine()
        .find(|point| point.time > at)
        .and_then(|next| leg(next, fix, accuracy, at, false));
    match leg_out {
        Some(out) if out.speed_kmh > rules.max_speed_kmh => Some(Reason::Teleport {
            speed_in_kmh: leg_in.speed_kmh,
            speed_out_kmh: out.speed_kmh,
        }),
        _ => Some(Reason::ImpossibleSpeed {
            speed_kmh: leg_in.speed_kmh,
            distance_m: leg_in.distance_m,
            elapsed_s: leg_in.elapsed_s,
        }),
    }
}

struct Leg {
    speed_kmh: f64,
    distance_m: f64,
    elapsed_s: f64,
}

/// Measures the leg between a track position and the fix at `at`. The distance leaves
/// out both accuracy radii, so two vague fixes never look like movement.
fn leg(
    point: &TrackFix,
    fix: Coordinates,
    fix_accuracy: f64,
    at: Timestamp,
    before: bool,
) -> Option<Leg> {
    let elapsed = if before {
        at.duration_since(point.time)
    } else {
        point.time.duration_since(at)
    };
    let elapsed_s = elapsed.as_secs_f64();
    if elapsed_s <= 0.0 {
        return None;
    }
    let uncertainty = point.accuracy_m.unwrap_or(0.0) + fix_accuracy;
    let distance_m = (haversine_m(point.coordinates(), fix) - uncertainty).max(0.0);
    Some(Leg {
        speed_kmh: round_tenth(distance_m / elapsed_s * 3.6),
        distance_m: round_tenth(distance_m),
        elapsed_s: round_tenth(elapsed_s),
    })
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}
