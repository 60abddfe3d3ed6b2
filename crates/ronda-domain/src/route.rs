//! Order of an agent's stops for the day: a nearest-neighbour tour by straight-line
//! distance.

use crate::tracking::geo::haversine_m;
use crate::tracking::report::Coordinates;

/// Returns the indexes of `points` in visiting order. The route starts at `start`, or at
/// the first point with coordinates when there is no start, and each next stop is the
/// nearest one not yet in the route, the lower index on a tie. Points without
/// coordinates follow in their given order.
pub fn nearest_neighbour_order(
    start: Option<Coordinates>,
    points: &[Option<Coordinates>],
) -> Vec<usize> {
    let mut left: Vec<usize> = (0..points.len())
        .filter(|&index| points[index].is_some())
        .collect();
    let mut order = Vec::with_capacity(points.len());
    let mut current = start.or_else(|| left.first().and_then(|&index| points[index]));
    while let Some(from) = current {
        let nearest = left.iter().enumerate().min_by(|a, b| {
            let distance =
                |index: usize| points[index].map_or(f64::INFINITY, |to| haversine_m(from, to));
            distance(*a.1).total_cmp(&distance(*b.1))
        });
        let Some((position, &index)) = nearest else {
            break;
        };
        left.remove(position);
        order.push(index);
        current = points[index];
    }
    order.extend((0..points.len()).filter(|&index| points[index].is_none()));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64) -> Option<Coordinates> {
        Some(Coordinates {
            latitude,
            longitude,
        })
    }

    /// Five stops along a meridian, given out of order.
    fn street() -> Vec<Option<Coordinates>> {
        vec![
            point(19.43, -99.16),
            point(19.41, -99.16),
            point(19.445, -99.16),
            point(19.40, -99.16),
            point(19.42, -99.16),
        ]
    }

    #[test]
    fn route_walks_the_street_from_the_start() {
        let south = Coordinates {
            latitude: 19.39,
            longitude: -99.16,
        };
        assert_eq!(
            nearest_neighbour_order(Some(south), &street()),
            [3, 1, 4, 0, 2]
        );
        let north = Coordinates {
            latitude: 19.45,
            longitude: -99.16,
        };
        assert_eq!(
            nearest_neighbour_order(Some(north), &street()),
            [2, 0, 4, 1, 3]
        );
    }

    #[test]
    fn route_without_start_begins_at_first_point() {
        assert_eq!(nearest_neighbour_order(None, &street()), [0, 4, 1, 3, 2]);
    }

    #[test]
    fn points_without_coordinates_come_last() {
        let points = vec![None, point(19.41, -99.16), None, point(19.40, -99.16)];
        let south = Coordinates {
            latitude: 19.39,
            longitude: -99.16,
        };
        assert_eq!(nearest_neighbour_order(Some(south), &points), [3, 1, 0, 2]);
        assert_eq!(nearest_neighbour_order(None, &[None, None]), [0, 1]);
        assert!(nearest_neighbour_order(None, &[]).is_empty());
    }

    #[test]
    fn route_lists_every_point_once() {
        let points: Vec<Option<Coordinates>> = (0..40)
            .map(|index| {
                if index % 7 == 0 {
                    None
                } else {
                    point(
                        19.0 + f64::from(index % 5) * 0.01,
                        -99.0 - f64::from(index / 5) * 0.01,
                    )
                }
            })
            .collect();
        let mut order = nearest_neighbour_order(None, &points);
        order.sort_unstable();
        assert_eq!(order, (0..40).collect::<Vec<_>>());
    }
}
