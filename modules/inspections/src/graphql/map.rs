//! Map data: the projects the caller may see, as GeoJSON points with their open hazards.
use async_graphql::{Context, ID, Object};
use jianan_entity::enums::ProjectStatus;
use jianan_entity::project;
use jianan_kernel::geo::{Feature, feature_collection};
use jianan_kernel::kernel;
use jianan_kernel::principal::{Permission, principal};
use jianan_kernel::relay::{decode_id, encode_id};
use jianan_kernel::scope::scoped;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::enums::{HazardLevel, HazardStatus};
use crate::entity::hazard;
use crate::perms;

/// What one map costs in the complexity limit (two aggregate statements over the caller's
/// projects and hazards).
pub const MAP_COST: usize = 100;

/// Map queries.
#[derive(Default)]
pub struct MapQuery;

#[Object]
impl MapQuery {
    /// 项目地图（GeoJSON FeatureCollection）：可见范围内有位置的项目，属性含未销号隐患数
    /// (the caller's projects that have a location, as an RFC 7946 FeatureCollection of points;
    /// properties: id, code, name, status, openHazards, openMajorHazards)
    #[graphql(
        guard = "Permission(perms::HAZARD_READ)",
        complexity = "MAP_COST + child_complexity"
    )]
    async fn project_map(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "乡镇（街道）(township)")] township_id: Option<ID>,
        #[graphql(desc = "项目状态 (statuses)")] statuses: Option<Vec<ProjectStatus>>,
    ) -> async_graphql::Result<async_graphql::Json<serde_json::Value>> {
        let k = kernel(ctx)?;
        let p = principal(ctx);
        let mut q = scoped::<project::Entity>(&p)
            .filter(project::Column::ArchivedAt.is_null())
            .filter(project::Column::LongitudeE6.is_not_null())
            .filter(project::Column::LatitudeE6.is_not_null());
        if let Some(t) = &township_id {
            q = q.filter(project::Column::TownshipId.eq(decode_id(t, "OrgUnit", "townshipId")?));
        }
        if let Some(s) = statuses.filter(|s| !s.is_empty()) {
            q = q.filter(project::Column::Status.is_in(s));
        }
        let projects = q
            .order_by_asc(project::Column::Code)
            .all(&k.db.conn)
            .await?;
        let ids: Vec<Uuid> = projects.iter().map(|x| x.id).collect();
        let open: Vec<(Uuid, HazardLevel, i64)> = if ids.is_empty() {
            Vec::new()
        } else {
            scoped::<hazard::Entity>(&p)
                .filter(hazard::Column::ProjectId.is_in(ids))
                .filter(
                    hazard::Column::Status.is_not_in([HazardStatus::Closed, HazardStatus::Voided]),
                )
                .select_only()
                .column(hazard::Column::ProjectId)
                .column(hazard::Column::Level)
                .column_as(Expr::col(hazard::Column::Id).count(), "n")
                .group_by(hazard::Column::ProjectId)
                .group_by(hazard::Column::Level)
                .into_tuple()
                .all(&k.db.conn)
                .await?
        };
        let count = |id: Uuid, major_only: bool| -> i64 {
            open.iter()
                .filter(|(p, l, _)| *p == id && (!major_only || *l == HazardLevel::Major))
                .map(|(_, _, n)| n)
                .sum()
        };
        let features = projects.iter().filter_map(|x| {
            let at = x.location_e6()?;
            let mut props = serde_json::Map::new();
            let gid = encode_id("Project", x.id).to_string();
            props.insert("id".into(), gid.clone().into());
            props.insert("code".into(), x.code.clone().into());
            props.insert("name".into(), x.name.clone().into());
            props.insert(
                "status".into(),
                serde_json::to_value(x.status).unwrap_or_default(),
            );
            props.insert("openHazards".into(), count(x.id, false).into());
            props.insert("openMajorHazards".into(), count(x.id, true).into());
            Some(Feature {
                id: gid,
                at,
                properties: props,
            })
        });
        Ok(async_graphql::Json(feature_collection(features)))
    }
}
