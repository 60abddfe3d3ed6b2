//! Zones drawn on the map as polygons, to select the accounts whose address lies inside.

use crate::portfolio::Point;

/// Minimum number of vertices that enclose an area.
pub const MIN_VERTICES: usize = 3;

/// Maximum number of vertices in one zone, enough for a hand-drawn outline of a municipality.
pub const MAX_VERTICES: usize = 1000;

/// A simple polygon in decimal degrees (WGS 84), closed implicitly from the last vertex
/// back to the first.
///
/// Coordinates are treated as planar, which is accurate enough for zones of a city's size.
/// NOTE: a polygon that crosses the antimeridian is not supported, and no Mexican zone
/// crosses it.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    vertices: Vec<Point>,
}

/// Reason a list of vertices is not a usable zone.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ZoneError {
    #[error("a zone needs between {min} and {max} vertices, got {0}", min = MIN_VERTICES, max = MAX_VERTICES)]
    VertexCount(usize),
    #[error(
        "vertex {index} ({latitude}, {longitude}) is outside latitude -90..90 or longitude -180..180"
    )]
    InvalidVertex {
        index: usize,
        latitude: f64,
        longitude: f64,
    },
}

impl Zone {
    /// Builds a zone from `[latitude, longitude]` pairs. A repeated closing vertex equal
    /// to the first is accepted and dropped.
    pub fn new(vertices: &[[f64; 2]]) -> Result<Zone, ZoneError> {
        let mut points = Vec::with_capacity(vertices.len());
        for (index, [latitude, longitude]) in vertices.iter().copied().enumerate() {
            let point = Point::new(latitude, longitude).map_err(|_| ZoneError::InvalidVertex {
                index,
                latitude,
                longitude,
            })?;
            points.push(point);
        }
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        if !(MIN_VERTICES..=MAX_VERTICES).contains(&points.len()) {
            return Err(ZoneError::VertexCount(points.len()));
        }
        Ok(Zone { vertices: points })
    }

    pub fn vertices(&self) -> &[Point] {
        &self.vertices
    }

    /// Returns the smallest latitude and longitude box that contains the zone, as
    /// `(south-west, north-east)` corners, so a store can prefilter with plain comparisons.
    pub fn bounding_box(&self) -> (Point, Point) {
        let mut min = self.vertices[0];
        let mut max = self.vertices[0];
        for vertex in &self.vertices[1..] {
            min.latitude = min.latitude.min(vertex.latitude);
            min.longitude = min.longitude.min(vertex.longitude);
            max.latitude = max.latitude.max(vertex.latitude);
            max.longitude = max.longitude.max(vertex.longitude);
        }
        (min, max)
    }

    /// Returns whether `point` lies inside the zone or on its border.
    ///
    /// Uses the even-odd rule: a ray from the point towards growing longitude crosses the
    /// border an odd number of times exactly when the point is inside. Points on an edge
    /// are checked first, because the crossing count is ambiguous there.
    pub fn contains(&self, point: Point) -> bool {
        let count = self.vertices.len();
        let mut inside = false;
        for i in 0..count {
            let a = self.vertices[i];
            let b = self.vertices[(i + 1) % count];
            if on_segment(point, a, b) {
                return true;
            }
            // The half-open test (one end strictly above, the other not) counts a vertex
            // that the ray passes through once, not twice.
            let straddles = (a.latitude > point.latitude) != (b.latitude > point.latitude);
            if straddles {
                let t = (point.latitude - a.latitude) / (b.latitude - a.latitude);
                let crossing_longitude = a.longitude + t * (b.longitude - a.longitude);
                if point.longitude < crossing_longitude {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// Returns whether `p` lies on the segment from `a` to `b`, with a tolerance of about a
/// millimetre on the ground for rounding.
fn on_segment(p: Point, a: Point, b: Point) -> bool {
    const TOLERANCE: f64 = 1e-8;
    let cross = (b.longitude - a.longitude) * (p.latitude - a.latitude)
        - (b.latitude - a.latitude) * (p.longitude - a.longitude);
    let length = (b.longitude - a.longitude).hypot(b.latitude - a.latitude);
    if cross.abs() > TOLERANCE * length.max(TOLERANCE) {
        return false;
    }
    let within = |value: f64, end1: f64, end2: f64| {
        value >= end1.min(end2) - TOLERANCE && value <= end1.max(end2) + TOLERANCE
    };
    within(p.latitude, a.latitude, b.latitude) && within(p.longitude, a.longitude, b.longitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64) -> Point {
        Point {
            latitude,
            longitude,
        }
    }

    fn square() -> Zone {
        Zone::new(&[[0.0, 0.0], [0.0, 10.0], [10.0, 10.0], [10.0, 0.0]]).expect("zone")
    }

    /// Builds a "U" open to the north, whose notch between the arms is outside.
    fn u_shape() -> Zone {
        Zone::new(&[
            [0.0, 0.0],
            [0.0, 9.0],
            [9.0, 9.0],
            [9.0, 6.0],
            [3.0, 6.0],
            [3.0, 3.0],
            [9.0, 3.0],
            [9.0, 0.0],
        ])
        .expect("zone")
    }

    #[test]
    fn square_inside_and_outside() {
        let zone = square();
        assert!(zone.contains(point(5.0, 5.0)));
        assert!(!zone.contains(point(11.0, 5.0)));
        assert!(!zone.contains(point(5.0, -0.1)));
        assert!(!zone.contains(point(-5.0, -5.0)));
    }

    #[test]
    fn border_counts_as_inside() {
        let zone = square();
        assert!(zone.contains(point(0.0, 5.0)), "edge");
        assert!(zone.contains(point(10.0, 10.0)), "vertex");
        assert!(zone.contains(point(5.0, 10.0)), "right edge");
    }

    #[test]
    fn concave_notch_is_outside() {
        let zone = u_shape();
        assert!(!zone.contains(point(6.0, 4.5)), "inside the notch");
        assert!(
            !zone.contains(point(3.0 + 1e-6, 4.5)),
            "just above the notch floor"
        );
        assert!(zone.contains(point(3.0, 4.5)), "on the notch floor");
        assert!(zone.contains(point(6.0, 1.5)), "west arm");
        assert!(zone.contains(point(6.0, 7.5)), "east arm");
        assert!(zone.contains(point(1.5, 4.5)), "base");
    }

    #[test]
    fn ray_through_vertex_counts_once() {
        let diamond = Zone::new(&[[0.0, 5.0], [5.0, 10.0], [10.0, 5.0], [5.0, 0.0]]).expect("zone");
        assert!(diamond.contains(point(5.0, 5.0)));
        assert!(
            !diamond.contains(point(5.0, -1.0)),
            "ray passes two vertices"
        );
        assert!(
            !diamond.contains(point(10.0, 4.0)),
            "level with the top vertex"
        );
    }

    #[test]
    fn real_coordinates() {
        // Roughly the historic centre of Mexico City.
        let centro = Zone::new(&[
            [19.4380, -99.1460],
            [19.4380, -99.1250],
            [19.4250, -99.1250],
            [19.4250, -99.1460],
        ])
        .expect("zone");
        assert!(centro.contains(point(19.4326, -99.1332)), "Zócalo");
        assert!(!centro.contains(point(25.6866, -100.3161)), "Monterrey");
    }

    #[test]
    fn closing_vertex_is_dropped() {
        let zone = Zone::new(&[[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]]).expect("zone");
        assert_eq!(zone.vertices().len(), 3);
    }

    #[test]
    fn rejects_bad_vertices() {
        assert_eq!(
            Zone::new(&[[0.0, 0.0], [1.0, 1.0]]),
            Err(ZoneError::VertexCount(2))
        );
        assert!(matches!(
            Zone::new(&[[0.0, 0.0], [91.0, 1.0], [1.0, 0.0]]),
            Err(ZoneError::InvalidVertex { index: 1, .. })
        ));
        assert!(matches!(
            Zone::new(&[[0.0, 0.0], [f64::NAN, 1.0], [1.0, 0.0]]),
            Err(ZoneError::InvalidVertex { index: 1, .. })
        ));
    }

    #[test]
    fn bounding_box_spans_vertices() {
        let (south_west, north_east) = u_shape().bounding_box();
        assert_eq!(south_west, point(0.0, 0.0));
        assert_eq!(north_east, point(9.0, 9.0));
    }
}
