//! Summary of one device's day: distance travelled and the places where it stopped.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::geo::haversine_m;
use super::report::{Coordinates, TrackPoint};

/// Thresholds of the day summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TripConfig {
    /// Minimum displacement, in metres, counted as movement. The sum of the two points'
    /// accuracy radii raises it when larger, so jitter while parked adds no distance.
    pub min_movement_m: f64,
    /// Radius, in metres, that all points of a stop stay within, measured from its first point.
    pub stop_radius_m: f64,
    /// Minimum time between the first and the last point of a stop.
    pub min_stop_duration: SignedDuration,
}

impl Default for TripConfig {
    /// 10 m of movement, 50 m of stop radius and 5 minutes, about the shortest visit.
    fn default() -> Self {
        Self {
            min_movement_m: 10.0,
            stop_radius_m: 50.0,
            min_stop_duration: SignedDuration::from_mins(5),
        }
    }
}

/// A time the device stayed in one place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stop {
    /// Time of the first point of the stop.
    pub start: Timestamp,
    /// Time of the last point of the stop.
    pub end: Timestamp,
    /// Mean of the stop's point coordinates.
    pub centre: Coordinates,
    pub point_count: usize,
}

impl Stop {
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }
}

/// Distance and stops of one device over a period, usually a day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DaySummary {
    pub distance_m: f64,
    pub stops: Vec<Stop>,
}

/// Summarizes the accepted points of one device. The points may come in any order and
/// are sorted by time. Points with NaN or infinite coordinates are skipped.
pub fn summarize_day(points: &[TrackPoint], config: &TripConfig) -> DaySummary {
    let mut sorted: Vec<TrackPoint> = points
        .iter()
        .filter(|point| {
            point.coordinates.latitude.is_finite() && point.coordinates.longitude.is_finite()
        })
        .copied()
        .collect();
    sorted.sort_by_key(|point| point.time);

    DaySummary {
        distance_m: distance_without_jitter(&sorted, config.min_movement_m),
        stops: find_stops(&sorted, config),
    }
}

/// Adds up the distance between successive anchor points. A point becomes the next anchor
/// only when it lies farther from the current anchor than the minimum movement and than
/// the sum of both accuracy radii, the farthest apart two fixes of one resting device can
/// be. Small steps still count once they add up, while jitter around a parked position
/// never does.
fn distance_without_jitter(points: &[TrackPoint], min_movement_m: f64) -> f64 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    let mut anchor = first;
    let mut total = 0.0;
    for point in &points[1..] {
        let uncertainty = anchor.accuracy_m.unwrap_or(0.0) + point.accuracy_m.unwrap_or(0.0);
        let threshold = min_movement_m.max(uncertainty);
        let step = haversine_m(anchor.coordinates, point.coordinates);
        if step > threshold {
            total += step;
            anchor = point;
        }
    }
    total
}

/// Finds stops greedily: from each point, extends a run while the next point lies within
/// the stop radius of the run's first point. A run that lasts long enough is a stop and
/// the search continues after it. Otherwise the search continues from the next point. A
/// gap in reporting inside the radius counts as stopped time, because phones report less
/// often while still.
fn find_stops(points: &[TrackPoint], config: &TripConfig) -> Vec<Stop> {
    let mut stops = Vec::new();
    let mut start = 0;
    while start < points.len() {
        let origin = points[start].coordinates;
        let mut end = start;
        while end + 1 < points.len()
            && haversine_m(origin, points[end + 1].coordinates) <= config.stop_radius_m
        {
            end += 1;
        }

        let run = &points[start..=end];
        if run[run.len() - 1].time.duration_since(run[0].time) >= config.min_stop_duration {
            stops.push(stop_from_run(run));
            start = end + 1;
        } else {
            start += 1;
        }
    }
    stops
}

// NOTE: the arithmetic mean of longitudes is wrong for a stop that straddles the
// antimeridian, which no Mexican address does.
fn stop_from_run(run: &[TrackPoint]) -> Stop {
    let count = run.len() as f64;
    let latitude = run
        .iter()
        .map(|point| point.coordinates.latitude)
        .sum::<f64>()
        / count;
    let longitude = run
        .iter()
        .map(|point| point.coordinates.longitude)
        .sum::<f64>()
        / count;
    Stop {
        start: run[0].time,
        end: run[run.len() - 1].time,
        centre: Coordinates {
            latitude,
            longitude,
        },
        point_count: run.len(),
    }
}
