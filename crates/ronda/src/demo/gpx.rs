//! Track points read from GPX files, and the arithmetic that moves a recorded track to
//! another place: offsets in metres from a start point, placed again around a new one.

use anyhow::Context;
use jiff::Timestamp;

/// Mean Earth radius in metres (IUGG), enough for offsets of a few kilometres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point in WGS 84 decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
}

/// One `<trkpt>` of a GPX file.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackPoint {
    pub point: Point,
    /// The recorded `<time>`, when the point has one.
    pub time: Option<Timestamp>,
}

/// Metres east and north of a reference point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offset {
    pub east_m: f64,
    pub north_m: f64,
}

impl Offset {
    fn minus(self, other: Offset) -> Offset {
        Offset {
            east_m: self.east_m - other.east_m,
            north_m: self.north_m - other.north_m,
        }
    }

    pub fn length_m(self) -> f64 {
        self.east_m.hypot(self.north_m)
    }
}

/// Reads the track points of a GPX 1.0 or 1.1 file in document order, with their
/// `lat`/`lon` attributes and optional `<time>`. Waypoints and routes are skipped.
// NOTE: a small scanner for the bundled files, not a general XML parser: it does not
// resolve entities or CDATA, which GPX track points do not use.
pub fn parse_track(xml: &str) -> anyhow::Result<Vec<TrackPoint>> {
    let mut points = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<trkpt") {
        rest = &rest[start + "<trkpt".len()..];
        let tag_end = rest
            .find('>')
            .with_context(|| format!("track point {} has no closing '>'", points.len() + 1))?;
        let tag = &rest[..tag_end];
        let number = points.len() + 1;
        let latitude = number_attribute(tag, "lat")
            .with_context(|| format!("track point {number} has no valid lat attribute"))?;
        let longitude = number_attribute(tag, "lon")
            .with_context(|| format!("track point {number} has no valid lon attribute"))?;
        anyhow::ensure!(
            latitude.abs() <= 90.0 && longitude.abs() <= 180.0,
            "track point {number} is out of range: lat {latitude}, lon {longitude}"
        );
        let self_closing = tag.ends_with('/');
        rest = &rest[tag_end + 1..];
        let mut time = None;
        if !self_closing {
            let body_end = rest
                .find("</trkpt>")
                .with_context(|| format!("track point {number} has no </trkpt>"))?;
            time = element_text(&rest[..body_end], "time")
                .map(|text| {
                    text.parse::<Timestamp>().with_context(|| {
                        format!("track point {number} has an invalid time {text:?}")
                    })
                })
                .transpose()?;
            rest = &rest[body_end..];
        }
        points.push(TrackPoint {
            point: Point {
                latitude,
                longitude,
            },
            time,
        });
    }
    anyhow::ensure!(!points.is_empty(), "the GPX file has no <trkpt> elements");
    Ok(points)
}

/// Returns the value of `name="..."` (or single quotes) inside a start tag, as a number.
fn number_attribute(tag: &str, name: &str) -> Option<f64> {
    let mut search = tag;
    loop {
        let at = search.find(name)?;
        let before = search[..at].chars().next_back();
        let after = &search[at + name.len()..];
        let after = after.trim_start();
        if before.is_some_and(char::is_whitespace) && after.starts_with('=') {
            let value = after[1..].trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let value = &value[1..];
            let end = value.find(quote)?;
            return value[..end].trim().parse().ok();
        }
        search = &search[at + name.len()..];
    }
}

/// Returns the trimmed text of the first `<name>...</name>` inside `body`.
fn element_text<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&close)? + start;
    Some(body[start..end].trim())
}

/// Returns each point's offset from `origin`, using a local flat projection that is
/// accurate to well under a metre over a few kilometres.
pub fn offset_from(origin: Point, point: Point) -> Offset {
    let north_m = (point.latitude - origin.latitude).to_radians() * EARTH_RADIUS_M;
    let east_m = (point.longitude - origin.longitude).to_radians()
        * EARTH_RADIUS_M
        * origin.latitude.to_radians().cos();
    Offset { east_m, north_m }
}

/// Returns the point `offset` away from `origin`, the inverse of [`offset_from`].
pub fn place(origin: Point, offset: Offset) -> Point {
    let latitude = origin.latitude + (offset.north_m / EARTH_RADIUS_M).to_degrees();
    let longitude = origin.longitude
        + (offset.east_m / (EARTH_RADIUS_M * origin.latitude.to_radians().cos())).to_degrees();
    Point {
        latitude,
        longitude,
    }
}

/// Returns the track as offsets from its first point, so it can be placed anywhere.
pub fn track_offsets(track: &[TrackPoint]) -> Vec<Offset> {
    let Some(first) = track.first() else {
        return Vec::new();
    };
    track
        .iter()
        .map(|point| offset_from(first.point, point.point))
        .collect()
}

/// Places a section of a track so that it starts at `from` and ends exactly at `to`.
/// Each point keeps its shape relative to the section's first point, plus a growing share
/// of the gap between the section's own end and `to`, so the recorded wiggles stay and the
/// agent still arrives. Without `to`, the section is only moved to start at `from`.
pub fn place_section(section: &[Offset], from: Point, to: Option<Point>) -> Vec<Point> {
    let Some(&first) = section.first() else {
        return Vec::new();
    };
    let relative: Vec<Offset> = section.iter().map(|offset| offset.minus(first)).collect();
    let last = relative.last().copied().unwrap_or(first);
    let gap = match to {
        Some(to) => offset_from(from, to).minus(last),
        None => Offset {
            east_m: 0.0,
            north_m: 0.0,
        },
    };
    let steps = (relative.len().max(2) - 1) as f64;
    relative
        .iter()
        .enumerate()
        .map(|(index, offset)| {
            let share = index as f64 / steps;
            let moved = Offset {
                east_m: offset.east_m + gap.east_m * share,
                north_m: offset.north_m + gap.north_m * share,
            };
            place(from, moved)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAR: &str = include_str!("../../data/gpxpy_around-visnjan-with-car.gpx");
    const HANDHELD: &str = include_str!("../../data/gpxpy_cerknicko-jezero.gpx");

    fn distance_m(a: Point, b: Point) -> f64 {
        offset_from(a, b).length_m()
    }

    #[test]
    fn bundled_tracks_parse() {
        let car = parse_track(CAR).expect("car track");
        assert_eq!(car.len(), 104);
        assert_eq!(
            car[0].point,
            Point {
                latitude: 45.273_518_851,
                longitude: 13.714_209_962_6
            }
        );
        assert_eq!(
            car[0].time,
            Some("2020-12-18T06:15:50Z".parse().expect("timestamp"))
        );
        let handheld = parse_track(HANDHELD).expect("handheld track");
        assert_eq!(handheld.len(), 296, "waypoints are not track points");
        assert!(handheld.iter().all(|point| point.time.is_some()));
    }

    #[test]
    fn parse_accepts_single_quotes_and_no_time() {
        let xml = "<gpx><trk><trkseg><trkpt lon='-99.1' lat='19.4'/>\
            <trkpt lat=\"19.5\" lon=\"-99.2\"><ele>1</ele></trkpt></trkseg></trk></gpx>";
        let points = parse_track(xml).expect("two points");
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].point.latitude, 19.4);
        assert_eq!(points[0].point.longitude, -99.1);
        assert_eq!(points[1].time, None);
    }

    #[test]
    fn parse_names_the_bad_point() {
        let missing = parse_track("<trkpt lat=\"19.4\"></trkpt>").expect_err("no lon");
        assert!(format!("{missing:#}").contains("track point 1 has no valid lon"));
        let range = parse_track("<trkpt lat=\"99\" lon=\"1\"/>").expect_err("out of range");
        assert!(format!("{range:#}").contains("out of range"));
        let empty = parse_track("<gpx></gpx>").expect_err("empty");
        assert!(format!("{empty:#}").contains("no <trkpt>"));
        let time = parse_track("<trkpt lat=\"1\" lon=\"1\"><time>yesterday</time></trkpt>")
            .expect_err("bad time");
        assert!(format!("{time:#}").contains("invalid time"));
    }

    #[test]
    fn offsets_round_trip() {
        let origin = Point {
            latitude: 19.4326,
            longitude: -99.1332,
        };
        let offset = Offset {
            east_m: 850.0,
            north_m: -420.0,
        };
        let placed = place(origin, offset);
        let back = offset_from(origin, placed);
        assert!((back.east_m - 850.0).abs() < 0.01, "{back:?}");
        assert!((back.north_m + 420.0).abs() < 0.01, "{back:?}");
    }

    #[test]
    fn shifted_track_keeps_its_shape() {
        let car = parse_track(CAR).expect("car track");
        let offsets = track_offsets(&car);
        let zocalo = Point {
            latitude: 19.4326,
            longitude: -99.1332,
        };
        let placed = place_section(&offsets, zocalo, None);
        assert_eq!(placed.len(), car.len());
        assert!(distance_m(placed[0], zocalo) < 0.01);
        for index in [10, 50, 103] {
            let recorded = distance_m(car[0].point, car[index].point);
            let shifted = distance_m(placed[0], placed[index]);
            assert!(
                (recorded - shifted).abs() < 0.5,
                "point {index}: recorded {recorded} m, shifted {shifted} m"
            );
        }
    }

    #[test]
    fn section_ends_at_target() {
        let track = parse_track(HANDHELD).expect("handheld track");
        let offsets = track_offsets(&track);
        let from = Point {
            latitude: 19.40,
            longitude: -99.15,
        };
        let to = Point {
            latitude: 19.41,
            longitude: -99.14,
        };
        let leg = place_section(&offsets[20..41], from, Some(to));
        assert_eq!(leg.len(), 21);
        assert!(distance_m(leg[0], from) < 0.01);
        assert!(distance_m(leg[20], to) < 0.01);
    }
}
