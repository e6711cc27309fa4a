//! Places on the map: a point in WGS-84 longitude and latitude (as a phone's GPS gives it),
//! stored exactly as integer millionths of a degree (about 0.1 m), and GeoJSON for the
//! front-end's map (RFC 7946: a `FeatureCollection` of `Point` features, coordinates
//! `[longitude, latitude]`).
use async_graphql::{InputObject, SimpleObject};

use crate::error::{AppError, AppResult};

/// 坐标（WGS-84）(a WGS-84 point)
#[derive(Debug, Clone, Copy, PartialEq, SimpleObject)]
pub struct GeoPoint {
    /// 经度（度，东经为正）(longitude, degrees east)
    pub longitude: f64,
    /// 纬度（度，北纬为正）(latitude, degrees north)
    pub latitude: f64,
}

/// 坐标（WGS-84，最多6位小数）(a WGS-84 point; six decimals are kept)
#[derive(Debug, Clone, Copy, InputObject)]
pub struct GeoPointInput {
    /// 经度，-180 到 180 (longitude)
    pub longitude: f64,
    /// 纬度，-90 到 90 (latitude)
    pub latitude: f64,
}

/// Millionths of a degree: what is stored.
pub type E6 = (i32, i32);

/// Checks a point and rounds it to millionths of a degree: `(longitude, latitude)`. `field`
/// names the input in the error.
pub fn to_e6(p: GeoPointInput, field: &str) -> AppResult<E6> {
    let ok = |v: f64, max: f64| v.is_finite() && (-max..=max).contains(&v);
    if !ok(p.longitude, 180.0) {
        return Err(AppError::bad_input(
            format!("{field}.longitude"),
            "经度应在-180到180之间",
        ));
    }
    if !ok(p.latitude, 90.0) {
        return Err(AppError::bad_input(
            format!("{field}.latitude"),
            "纬度应在-90到90之间",
        ));
    }
    // In range, so the rounded values fit an i32 (at most 180,000,000).
    let e6 = |v: f64| (v * 1e6).round() as i32;
    Ok((e6(p.longitude), e6(p.latitude)))
}

/// The point stored as millionths of a degree.
pub fn from_e6(longitude: i32, latitude: i32) -> GeoPoint {
    GeoPoint {
        longitude: f64::from(longitude) / 1e6,
        latitude: f64::from(latitude) / 1e6,
    }
}

/// One feature of a map: a point with its id and properties.
pub struct Feature {
    pub id: String,
    pub at: E6,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// An RFC 7946 `FeatureCollection` of point features.
pub fn feature_collection(features: impl IntoIterator<Item = Feature>) -> serde_json::Value {
    let features: Vec<serde_json::Value> = features
        .into_iter()
        .map(|f| {
            let p = from_e6(f.at.0, f.at.1);
            serde_json::json!({
                "type": "Feature",
                "id": f.id,
                "geometry": { "type": "Point", "coordinates": [p.longitude, p.latitude] },
                "properties": f.properties,
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn points_are_checked_and_kept_to_a_millionth_of_a_degree() {
        let p = GeoPointInput {
            longitude: 107.760_312_9,
            latitude: 29.325_701,
        };
        assert_eq!(to_e6(p, "location").unwrap(), (107_760_313, 29_325_701));
        assert_eq!(
            from_e6(107_760_313, 29_325_701),
            GeoPoint {
                longitude: 107.760313,
                latitude: 29.325701
            }
        );
        let bad = |lon, lat| {
            to_e6(
                GeoPointInput {
                    longitude: lon,
                    latitude: lat,
                },
                "location",
            )
        };
        assert_eq!(
            bad(181.0, 0.0).unwrap_err().field.as_deref(),
            Some("location.longitude")
        );
        assert_eq!(
            bad(0.0, -90.5).unwrap_err().field.as_deref(),
            Some("location.latitude")
        );
        assert!(bad(f64::NAN, 0.0).is_err());
        assert!(bad(180.0, -90.0).is_ok());
    }

    #[test]
    fn a_feature_collection_has_lon_lat_points() {
        let mut props = serde_json::Map::new();
        props.insert("name".into(), "甲".into());
        let fc = feature_collection([Feature {
            id: "P1".into(),
            at: (107_760_313, 29_325_701),
            properties: props,
        }]);
        assert_eq!(
            fc,
            serde_json::json!({ "type": "FeatureCollection", "features": [{
                "type": "Feature", "id": "P1",
                "geometry": { "type": "Point", "coordinates": [107.760313, 29.325701] },
                "properties": { "name": "甲" } }] })
        );
    }
}
