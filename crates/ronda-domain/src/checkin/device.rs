//! The check the field app runs offline before it opens the form.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{CheckIn, CheckinRules, Reason, Target, distance_to, round_tenth};
use crate::portfolio::{ContactCheck, bundled_zone, check};

/// Zone used for contact hours when an address's state is unknown: the zone of most of
/// Mexico's population.
pub const FALLBACK_TIME_ZONE: &str = "America/Mexico_City";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDeviceOutcome {
    Accepted,
    Refused,
}

/// Result of [`decide_on_device`], with the measurements the app shows to the agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceDecision {
    pub decision: OnDeviceOutcome,
    /// Every reason for a refusal, in the order the checks run; empty when accepted.
    pub reasons: Vec<Reason>,
    /// Distance from the fix to the address point, `None` without a point or a valid fix.
    pub distance_m: Option<f64>,
    pub radius_m: f64,
    /// Check-in time at the address, RFC 3339 with the zone's offset.
    pub local_time: String,
}

/// Decides whether the agent may check in at `target`.
///
/// Checks run in this order and every failing one adds its reason: a valid fix, no mock
/// location, accuracy, fix age, distance, contact hours. The contact hours use the
/// device time corrected by the measured server offset.
pub fn decide_on_device(
    rules: &CheckinRules,
    target: &Target,
    check_in: &CheckIn,
) -> DeviceDecision {
    let mut reasons = Vec::new();
    let fix = &check_in.fix;
    let radius_m = round_tenth(rules.radius_m(fix.accuracy_m, target.confidence));
    let mut distance_m = None;

    if !fix.is_valid() {
        reasons.push(Reason::InvalidFix);
    } else {
        if fix.mock {
            reasons.push(Reason::MockLocation);
        }
        if fix.accuracy_m > rules.max_accuracy_m {
            reasons.push(Reason::PoorAccuracy {
                accuracy_m: fix.accuracy_m,
                max_accuracy_m: rules.max_accuracy_m,
            });
        }
        let fix_age_ms = check_in.device_time.as_millisecond() - fix.fix_time.as_millisecond();
        if fix_age_ms.abs() > rules.max_fix_age_ms {
            reasons.push(Reason::StaleFix { fix_age_ms });
        }
        match target.coordinates() {
            None => reasons.push(Reason::NoAddressPoint),
            Some(point) => {
                let distance = distance_to(point, fix.coordinates());
                distance_m = Some(distance);
                if distance > radius_m {
                    reasons.push(Reason::TooFar {
                        distance_m: distance,
                        radius_m,
                    });
                }
            }
        }
    }

    let contact = contact_hours(rules, target, check_in.corrected_time());
    reasons.extend(contact.refusal);
    let decision = if reasons.is_empty() {
        OnDeviceOutcome::Accepted
    } else {
        OnDeviceOutcome::Refused
    };
    DeviceDecision {
        decision,
        reasons,
        distance_m,
        radius_m,
        local_time: contact.local_time,
    }
}

/// Outcome of checking contact hours at the address.
pub(crate) struct ContactHours {
    pub refusal: Option<Reason>,
    /// Present when the address had no zone and the fallback was used.
    pub assumed_zone: Option<Reason>,
    pub local_time: String,
}

pub(crate) fn contact_hours(
    rules: &CheckinRules,
    target: &Target,
    instant: Timestamp,
) -> ContactHours {
    let named = target
        .time_zone
        .as_deref()
        .and_then(|name| bundled_zone(name).map(|zone| (name.to_owned(), zone)));
    let assumed_zone = named.is_none().then(|| Reason::UnknownTimeZone {
        assumed: FALLBACK_TIME_ZONE.to_owned(),
    });
    let (zone_name, zone) = match named {
        Some(found) => found,
        None => (
            FALLBACK_TIME_ZONE.to_owned(),
            bundled_zone(FALLBACK_TIME_ZONE).unwrap_or(jiff::tz::TimeZone::UTC),
        ),
    };
    match check(&rules.contact, &zone, instant) {
        ContactCheck::Allowed { local_time } => ContactHours {
            refusal: None,
            assumed_zone,
            local_time: rfc3339(&local_time),
        },
        ContactCheck::Refused {
            reason, local_time, ..
        } => {
            let local_time = rfc3339(&local_time);
            ContactHours {
                refusal: Some(Reason::OutsideContactWindow {
                    local_time: local_time.clone(),
                    time_zone: zone_name,
                    window: reason,
                }),
                assumed_zone,
                local_time,
            }
        }
    }
}

/// Formats a zoned time as "2026-07-15T22:30:00-06:00", seconds precision.
pub(crate) fn rfc3339(time: &jiff::ZonedDateTime) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
