//! Great-circle distance on a spherical Earth.

use super::report::Coordinates;

/// Mean Earth radius R1 = (2a + b) / 3 of the WGS 84 ellipsoid, in metres (IUGG value).
/// The sphere differs from the ellipsoid by up to about 0.5 % over any distance.
pub const EARTH_MEAN_RADIUS_M: f64 = 6_371_008.8;

/// Returns the haversine distance in metres between two points on a sphere of radius
/// [`EARTH_MEAN_RADIUS_M`]. The result is NaN when either point has a NaN coordinate.
pub fn haversine_m(from: Coordinates, to: Coordinates) -> f64 {
    let latitude_from = from.latitude.to_radians();
    let latitude_to = to.latitude.to_radians();
    let half_delta_latitude = (latitude_to - latitude_from) / 2.0;
    let half_delta_longitude = (to.longitude - from.longitude).to_radians() / 2.0;

    let haversine = half_delta_latitude.sin().powi(2)
        + latitude_from.cos() * latitude_to.cos() * half_delta_longitude.sin().powi(2);
    // Rounding can push the value a hair above 1 for antipodal points, where asin is NaN.
    let central_angle = 2.0 * haversine.sqrt().min(1.0).asin();
    EARTH_MEAN_RADIUS_M * central_angle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates {
            latitude,
            longitude,
        }
    }

    #[test]
    fn haversine_same_point_is_zero() {
        let zocalo = point(19.4326, -99.1332);
        assert_eq!(haversine_m(zocalo, zocalo), 0.0);
    }

    #[test]
    fn haversine_one_degree_of_meridian() {
        // One degree of arc on the sphere is R * pi / 180.
        let expected = EARTH_MEAN_RADIUS_M * std::f64::consts::PI / 180.0;
        let distance = haversine_m(point(0.0, 0.0), point(1.0, 0.0));
        assert!((distance - expected).abs() < 1e-6, "{distance}");
    }

    #[test]
    fn haversine_mexico_city_to_guadalajara() {
        // Zócalo to Guadalajara cathedral, about 461 km on the sphere.
        let distance = haversine_m(point(19.4326, -99.1332), point(20.6767, -103.3475));
        assert!((distance - 461_000.0).abs() < 2_000.0, "{distance}");
    }

    #[test]
    fn haversine_antipodes_is_half_circumference() {
        let distance = haversine_m(point(0.0, 0.0), point(0.0, 180.0));
        let expected = EARTH_MEAN_RADIUS_M * std::f64::consts::PI;
        assert!((distance - expected).abs() < 1e-3, "{distance}");
    }
}
