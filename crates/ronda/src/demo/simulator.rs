//! Simulated agents. Each logs in and clocks in through the field API, then works its
//! day: the first account of the route, then always the nearest one left. A recorded GPX
//! track, placed between the accounts, goes to the OsmAnd endpoint with the device secret,
//! and each account gets a visit through the sync API, with a facade photo when the
//! collection form requires one.

use std::time::Duration;

use anyhow::Context;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::task::JoinSet;
use uuid::Uuid;

use super::client::{ApiClient, http_client};
use super::gpx::{Offset, Point, offset_from, parse_track, place, place_section, track_offsets};
use super::people::DEMO_PASSWORD;
use super::setup::AgentDevice;
use super::visit::{Fix, Stop, fix_for, photo, scenario_for, visit_body};

/// Time between two positions of one agent.
const TICK: Duration = Duration::from_secs(3);

/// Positions sent while standing at an account before the visit is submitted.
const DWELL_TICKS: usize = 4;

/// Half of [`TICK`], in milliseconds.
const HALF_TICK_MS: i64 = 1_500;

/// Bounds on the positions of the drive between two accounts. With [`TICK`] the minimum
/// makes a visit about every minute, and the distance per tick keeps the apparent speed
/// near 120 km/h (the replay is sped up), under the 200 km/h at which the server flags a
/// position.
const MIN_LEG_TICKS: usize = 16;
const MAX_LEG_TICKS: usize = 240;
const METRES_PER_TICK: f64 = 100.0;

/// Maximum step between two positions of a leg: 168 km/h with [`TICK`], because the
/// track's own movement adds to the straight-line pace.
const MAX_STEP_M: f64 = 140.0;

/// Positions of each stretch of wandering after the last account of the day.
const WANDER_TICKS: usize = 20;

/// How long before its first position each agent's shift starts, in milliseconds.
const CLOCK_IN_LEAD_MS: i64 = 60_000;

/// Starting point of an agent without accounts: the Zócalo of Mexico City.
const FALLBACK_START: Point = Point {
    latitude: 19.4326,
    longitude: -99.1332,
};

const TRACKS: [&str; 2] = [
    include_str!("../../data/gpxpy_around-visnjan-with-car.gpx"),
    include_str!("../../data/gpxpy_cerknicko-jezero.gpx"),
];

/// Base URLs of the simulated agents' requests.
#[derive(Clone)]
pub struct Endpoints {
    /// Base URL of the API, such as `http://127.0.0.1:8080`.
    pub api: String,
    /// Base URL that serves `/tracking/osmand`: the Traccar Client listener, or the API's.
    pub tracking: String,
}

/// Starts one task per agent. The tasks run until aborted, which the demo does when the
/// server stops.
pub fn spawn(endpoints: Endpoints, agents: Vec<AgentDevice>) -> anyhow::Result<JoinSet<()>> {
    let http = http_client()?;
    let mut tracks = Vec::new();
    for track in TRACKS {
        tracks.push(track_offsets(&parse_track(track)?));
    }
    let mut tasks = JoinSet::new();
    for (index, agent) in agents.into_iter().enumerate() {
        let track = tracks[index % tracks.len()].clone();
        let agent_task = Agent {
            index,
            device: agent,
            endpoints: endpoints.clone(),
            http: http.clone(),
            replay: Replay::new(track, index * 7),
        };
        tasks.spawn(async move {
            let email = agent_task.device.email;
            if let Err(error) = agent_task.run().await {
                tracing::warn!(
                    agent = email,
                    error = format!("{error:#}"),
                    "simulated agent stopped"
                );
            }
        });
    }
    Ok(tasks)
}

/// Walks a recorded track forwards and then backwards, so it never jumps from its end to
/// its start.
#[derive(Clone)]
struct Replay {
    offsets: Vec<Offset>,
    position: usize,
    forwards: bool,
}

impl Replay {
    fn new(offsets: Vec<Offset>, start: usize) -> Self {
        let position = start % offsets.len().max(1);
        Self {
            offsets,
            position,
            forwards: true,
        }
    }

    /// Returns the next `steps + 1` offsets, the first being the current one.
    fn section(&mut self, steps: usize) -> Vec<Offset> {
        let mut section = vec![self.offsets[self.position]];
        for _ in 0..steps {
            if self.offsets.len() > 1 {
                let at_end = if self.forwards {
                    self.position + 1 == self.offsets.len()
                } else {
                    self.position == 0
                };
                if at_end {
                    self.forwards = !self.forwards;
                }
                self.position = if self.forwards {
                    self.position + 1
                } else {
                    self.position - 1
                };
            }
            section.push(self.offsets[self.position]);
        }
        section
    }
}

struct Agent {
    index: usize,
    device: AgentDevice,
    endpoints: Endpoints,
    http: reqwest::Client,
    replay: Replay,
}

impl Agent {
    async fn run(mut self) -> anyhow::Result<()> {
        // Stagger the agents so their requests and visits do not all land together.
        tokio::time::sleep(Duration::from_millis(700) * self.index as u32).await;
        let api = ApiClient::login(
            self.http.clone(),
            &self.endpoints.api,
            self.device.email,
            DEMO_PASSWORD,
        )
        .await?;
        // Clock in a little in the past: OsmAnd timestamps are whole seconds, and a first
        // position stamped before the clock-in would be flagged as outside the shift.
        let clocked_in_at = jiff::Timestamp::now().as_millisecond() - CLOCK_IN_LEAD_MS;
        let shift = json!({ "clocked_in_at": clocked_in_at });
        api.expect(
            Method::PUT,
            &format!("/api/field/shifts/{}", Uuid::now_v7()),
            Some(&shift),
            &[StatusCode::CREATED],
        )
        .await?;
        let day = api
            .expect(Method::GET, "/api/field/day", None, &[StatusCode::OK])
            .await?;
        let form_version_id = day["form_for"]["collection"]
            .as_str()
            .context("the day package names no collection form")?
            .to_owned();
        let stops = walking_order(stops(&day));
        tracing::info!(
            agent = self.device.email,
            stops = stops.len(),
            "simulated agent clocked in"
        );

        let mut position = stops.first().map_or(FALLBACK_START, |stop| stop.point);
        for (number, stop) in stops.iter().enumerate() {
            // Start each agent at a different row of the scenario table, so the first
            // visits already show a mix.
            let scenario = scenario_for(number + self.index);
            let fix = fix_for(stop.point, scenario.check_in, number + self.index);
            if number > 0 {
                let leg = self.plan_leg(position, fix.point);
                for point in leg.into_iter().skip(1) {
                    self.send_position(point, 10.0).await;
                }
            }
            let mut checked_in_ms = 0;
            for step in 0..DWELL_TICKS {
                if step == DWELL_TICKS / 2 {
                    // Check in halfway between two positions, so the track has a position
                    // on each side of the check-in, as a real phone's would.
                    checked_in_ms = jiff::Timestamp::now().as_millisecond() - HALF_TICK_MS;
                }
                // A few metres of jitter, as a phone standing still reports.
                let jitter = Offset {
                    east_m: (step as f64 * 2.3).sin() * 4.0,
                    north_m: (step as f64 * 1.7).cos() * 4.0,
                };
                self.send_position(place(fix.point, jitter), 6.0).await;
            }
            let visit = self
                .submit_visit(&api, stop, &form_version_id, number, fix, checked_in_ms)
                .await;
            if let Err(error) = visit {
                tracing::warn!(agent = self.device.email, account = %stop.account_id,
                    error = format!("{error:#}"), "simulated visit failed");
            }
            position = fix.point;
        }
        loop {
            let stretch = place_section(&self.replay.section(WANDER_TICKS), position, None);
            for point in stretch.iter().skip(1) {
                self.send_position(*point, 12.0).await;
            }
            position = stretch.last().copied().unwrap_or(position);
        }
    }

    /// Places the next stretch of the track between `from` and `to`, with enough positions
    /// that no step is longer than [`MAX_STEP_M`].
    fn plan_leg(&mut self, from: Point, to: Point) -> Vec<Point> {
        let distance = offset_from(from, to).length_m();
        let mut ticks =
            ((distance / METRES_PER_TICK).ceil() as usize).clamp(MIN_LEG_TICKS, MAX_LEG_TICKS);
        loop {
            let mut replay = self.replay.clone();
            let leg = place_section(&replay.section(ticks), from, Some(to));
            let longest_step = leg
                .windows(2)
                .map(|pair| offset_from(pair[0], pair[1]).length_m())
                .fold(0.0, f64::max);
            if longest_step <= MAX_STEP_M || ticks >= MAX_LEG_TICKS {
                self.replay = replay;
                return leg;
            }
            ticks = (ticks + ticks / 2).min(MAX_LEG_TICKS);
        }
    }

    /// Sends one OsmAnd position stamped now, then waits one tick. A failure is logged and
    /// the walk goes on, as a phone keeps moving when a message is lost.
    async fn send_position(&self, point: Point, accuracy_m: f64) {
        let url = format!(
            "{}/tracking/osmand/{}?id={}&lat={:.6}&lon={:.6}&timestamp={}&accuracy={accuracy_m}&batt={}",
            self.endpoints.tracking,
            self.device.secret,
            self.device.device_identifier,
            point.latitude,
            point.longitude,
            jiff::Timestamp::now().as_second(),
            90 - self.index,
        );
        match self.http.get(&url).send().await {
            Ok(response) if response.status() == StatusCode::OK => {}
            Ok(response) => tracing::warn!(agent = self.device.email, status = %response.status(),
                "simulated position rejected"),
            Err(error) => tracing::warn!(agent = self.device.email, error = %error,
                "simulated position failed"),
        }
        tokio::time::sleep(TICK).await;
    }

    async fn submit_visit(
        &self,
        api: &ApiClient,
        stop: &Stop,
        form_version_id: &str,
        number: usize,
        fix: Fix,
        checked_in_ms: i64,
    ) -> anyhow::Result<()> {
        let scenario = scenario_for(number + self.index);
        let photo = scenario
            .needs_photo()
            .then(|| photo((self.index * 1_000 + number) as u64));
        if let Some(photo) = &photo {
            let path = format!("/api/field/attachments/{}", photo.sha256);
            let reply = api
                .put_bytes(&path, "image/png", photo.bytes.clone())
                .await?;
            anyhow::ensure!(
                matches!(reply.status, StatusCode::CREATED | StatusCode::OK),
                "PUT {path} returned {}: {}",
                reply.status,
                reply.body
            );
        }
        let finished_ms = jiff::Timestamp::now().as_millisecond();
        let body = visit_body(
            stop,
            form_version_id,
            scenario,
            fix,
            checked_in_ms,
            finished_ms,
            photo.as_ref(),
        );
        let reply = api
            .expect(
                Method::PUT,
                &format!("/api/field/visits/{}", Uuid::now_v7()),
                Some(&body),
                &[StatusCode::CREATED, StatusCode::OK],
            )
            .await?;
        tracing::info!(agent = self.device.email, account = %stop.account_id,
            result = scenario.result_code, verdict = %reply["verdict"]["outcome"], "simulated visit sent");
        Ok(())
    }
}

/// Orders the stops as an agent on the street works them: the first of the route, then
/// always the nearest stop not yet visited.
fn walking_order(mut remaining: Vec<Stop>) -> Vec<Stop> {
    let mut ordered = Vec::with_capacity(remaining.len());
    if remaining.is_empty() {
        return ordered;
    }
    let mut current = remaining.remove(0);
    while !remaining.is_empty() {
        let nearest = remaining
            .iter()
            .enumerate()
            .map(|(index, stop)| (offset_from(current.point, stop.point).length_m(), index))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0, |(_, index)| index);
        let next = remaining.swap_remove(nearest);
        ordered.push(std::mem::replace(&mut current, next));
    }
    ordered.push(current);
    ordered
}

/// Reads the day package's stops in route order, skipping addresses without a point.
fn stops(day: &Value) -> Vec<Stop> {
    let mut stops: Vec<(u64, Stop)> = day["stops"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|stop| {
            let address = &stop["address"];
            let point = if address["verified_point"].is_object() {
                &address["verified_point"]
            } else {
                &address["point"]
            };
            let route_order = stop["route_order"].as_u64()?;
            Some((
                route_order,
                Stop {
                    account_id: stop["account"]["id"].as_str()?.to_owned(),
                    address_id: address["id"].as_str()?.to_owned(),
                    assignment_id: stop["assignment_id"].as_str()?.to_owned(),
                    point: Point {
                        latitude: point["latitude"].as_f64()?,
                        longitude: point["longitude"].as_f64()?,
                    },
                    overdue_cents: stop["account"]["overdue_cents"].as_i64(),
                    time_zone: address["time_zone"].as_str().map(str::to_owned),
                },
            ))
        })
        .collect();
    stops.sort_by_key(|(route_order, _)| *route_order);
    stops.into_iter().map(|(_, stop)| stop).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(count: usize) -> Vec<Offset> {
        (0..count)
            .map(|index| Offset {
                east_m: index as f64,
                north_m: 0.0,
            })
            .collect()
    }

    #[test]
    fn replay_turns_back_at_the_ends() {
        let mut replay = Replay::new(offsets(3), 1);
        let east: Vec<f64> = replay.section(5).iter().map(|o| o.east_m).collect();
        assert_eq!(east, [1.0, 2.0, 1.0, 0.0, 1.0, 2.0]);
    }

    #[test]
    fn replay_of_one_point_stays() {
        let mut replay = Replay::new(offsets(1), 4);
        assert_eq!(replay.section(2).len(), 3);
    }

    #[test]
    fn walking_order_takes_nearest_next() {
        let stop = |id: &str, latitude: f64| Stop {
            account_id: id.into(),
            address_id: String::new(),
            assignment_id: String::new(),
            point: Point {
                latitude,
                longitude: -99.1,
            },
            overdue_cents: None,
            time_zone: None,
        };
        let ordered = walking_order(vec![
            stop("first", 19.40),
            stop("far", 19.50),
            stop("near", 19.41),
            stop("middle", 19.45),
        ]);
        let ids: Vec<&str> = ordered
            .iter()
            .map(|stop| stop.account_id.as_str())
            .collect();
        assert_eq!(ids, ["first", "near", "middle", "far"]);
        assert!(walking_order(Vec::new()).is_empty());
    }

    #[test]
    fn stops_follow_route_order() {
        let stop = |order: u64, id: &str| {
            json!({
                "assignment_id": format!("s{id}"),
                "route_order": order,
                "account": { "id": id, "overdue_cents": 100 },
                "address": { "id": format!("d{id}"), "time_zone": "America/Mexico_City",
                    "point": { "latitude": 19.4, "longitude": -99.1 }, "verified_point": null },
            })
        };
        let day = json!({ "stops": [stop(2, "b"), stop(1, "a"),
            { "route_order": 3, "account": { "id": "c" }, "address": { "id": "x" } }] });
        let read = stops(&day);
        let ids: Vec<&str> = read.iter().map(|stop| stop.account_id.as_str()).collect();
        assert_eq!(ids, ["a", "b"], "stops without a point are skipped");
        assert_eq!(read[0].assignment_id, "sa");
    }
}
