//! The registry's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): the people a
//! district of that size works with. The demo district has one login per role; a year of
//! inspections over N copies needs inspectors, township staff and, on every builder's side, the
//! safety managers, project leaders and managers whose self-checks the inspections module loads.
//! The enterprises and projects themselves are the demo's copies ([`crate::demo::seed_scaled`]).
//!
//! Every volume account has the demo password; they share one Argon2id hash (computed once:
//! hashing thousands of passwords would take minutes and prove nothing).
use jianan_entity::enums::{AccountKind, OrgUnitKind, ParticipantRole};
use jianan_entity::{account, enterprise, org_unit, project_participant};
use jianan_kernel::principal::Role;
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::demo_data as d;
use crate::service::auth::hash_secret;

/// Commission inspectors (质安中心监督员) per copy of the district.
pub const INSPECTORS_PER_COPY: usize = 12;
/// Staff accounts per department.
pub const STAFF_PER_DEPARTMENT: usize = 2;

/// Loads the volume's accounts (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let mut rng = volume.rng("registry");
    let now = volume.anchor() - chrono::Duration::days(i64::from(volume.days) + 30);
    let hash = hash_secret(d::DEMO_PASSWORD)?;
    let units = org_unit::Entity::find()
        .order_by_asc(org_unit::Column::Code)
        .all(&k.db.conn)
        .await?;
    let safety = units
        .iter()
        .find(|u| u.code == d::DEPT_SAFETY)
        .map(|u| u.id);
    // Builders: the enterprises that owe self-checks (contractors and subcontractors).
    let mut builders: Vec<uuid::Uuid> = project_participant::Entity::find()
        .filter(
            project_participant::Column::Role
                .is_in([ParticipantRole::Contractor, ParticipantRole::Subcontractor]),
        )
        .all(&k.db.conn)
        .await?
        .into_iter()
        .map(|p| p.enterprise_id)
        .collect();
    builders.sort();
    builders.dedup();
    let enterprises: std::collections::HashMap<uuid::Uuid, String> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(builders.clone()))
        .all(&k.db.conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();

    let mut rows = Vec::new();
    let mut person = |username: String,
                      display: String,
                      role: Role,
                      org: Option<uuid::Uuid>,
                      ent: Option<uuid::Uuid>| {
        rows.push(account::ActiveModel {
            id: Set(id_at(&mut rng, now)),
            username: Set(username),
            display_name: Set(display),
            kind: Set(AccountKind::Person),
            secret_hash: Set(hash.clone()),
            roles: Set(serde_json::json!([role.as_str()]).to_string()),
            org_unit_id: Set(org),
            enterprise_id: Set(ent),
            phone: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
            enforcement_cert_number: Set(None),
            enforcement_cert_authority: Set(None),
            enforcement_cert_valid_until: Set(None),
        });
    };
    for c in 0..volume.copies {
        for i in 0..INSPECTORS_PER_COPY {
            person(
                format!("v-inspector-{c:02}-{i:02}"),
                format!("质安中心监督员{}{:02}", c + 1, i + 1),
                Role::Inspector,
                safety,
                None,
            );
        }
    }
    for u in &units {
        match u.kind {
            OrgUnitKind::Department => {
                for i in 0..STAFF_PER_DEPARTMENT {
                    person(
                        format!("v-staff-{}-{i}", u.code.to_lowercase()),
                        format!("{}工作人员{}", u.name, i + 1),
                        Role::DepartmentStaff,
                        Some(u.id),
                        None,
                    );
                }
            }
            OrgUnitKind::Township | OrgUnitKind::Street => person(
                format!("v-township-{}", u.code.to_lowercase()),
                format!("{}工作人员", u.name),
                Role::TownshipStaff,
                Some(u.id),
                None,
            ),
            _ => {}
        }
    }
    for (i, e) in builders.iter().enumerate() {
        let name = enterprises.get(e).map(String::as_str).unwrap_or("施工企业");
        for (tag, role, what) in [
            ("safety", Role::EnterpriseSafetyManager, "专职安全员"),
            ("pm", Role::EnterpriseProjectLeader, "项目负责人"),
            ("manager", Role::EnterpriseManager, "企业负责人"),
        ] {
            person(
                format!("v-{tag}-{i:05}"),
                format!("{name}{what}"),
                role,
                None,
                Some(*e),
            );
        }
    }
    let w = k.db.begin_write().await?;
    let n = insert_chunked(&*w, rows).await?;
    w.commit().await?;
    Ok(vec![("account", n)])
}
