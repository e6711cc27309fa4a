//! Loads [`crate::demo_data`] into the database for `jianan seed --demo`.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use jianan_entity::enums::{
    AccountKind, EnterpriseKind, KeyPersonRole, OrgUnitKind, ParticipantRole, ProjectKind,
    ProjectStatus,
};
use jianan_entity::{account, enterprise, org_unit, project, project_participant, project_person};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::{RequestInfo, Role};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveEnum, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::demo_data::{self as d, OrgKind};
use crate::service::auth::hash_secret;

fn org_kind(k: OrgKind) -> OrgUnitKind {
    match k {
        OrgKind::Commission => OrgUnitKind::Commission,
        OrgKind::Department => OrgUnitKind::Department,
        OrgKind::Township => OrgUnitKind::Township,
        OrgKind::Street => OrgUnitKind::Street,
        OrgKind::ExternalAgency => OrgUnitKind::ExternalAgency,
    }
}

fn enterprise_kind(k: d::EnterpriseKind) -> EnterpriseKind {
    match k {
        d::EnterpriseKind::Contractor => EnterpriseKind::Contractor,
        d::EnterpriseKind::Subcontractor => EnterpriseKind::Subcontractor,
        d::EnterpriseKind::Supervisor => EnterpriseKind::Supervisor,
        d::EnterpriseKind::Developer => EnterpriseKind::Developer,
        d::EnterpriseKind::Designer => EnterpriseKind::Designer,
        d::EnterpriseKind::Surveyor => EnterpriseKind::Surveyor,
        d::EnterpriseKind::LabourService => EnterpriseKind::LabourService,
    }
}

fn project_kind(k: d::ProjectKind) -> ProjectKind {
    match k {
        d::ProjectKind::Housing => ProjectKind::Housing,
        d::ProjectKind::Municipal => ProjectKind::Municipal,
        d::ProjectKind::Road => ProjectKind::Road,
        d::ProjectKind::Bridge => ProjectKind::Bridge,
        d::ProjectKind::Water => ProjectKind::Water,
        d::ProjectKind::Renovation => ProjectKind::Renovation,
        d::ProjectKind::Demolition => ProjectKind::Demolition,
        d::ProjectKind::Other => ProjectKind::Other,
    }
}

fn project_status(s: d::ProjectStatus) -> ProjectStatus {
    match s {
        d::ProjectStatus::Planned => ProjectStatus::Planned,
        d::ProjectStatus::Active => ProjectStatus::Active,
        d::ProjectStatus::Suspended => ProjectStatus::Suspended,
        d::ProjectStatus::Completed => ProjectStatus::Completed,
    }
}

fn date((y, m, dd): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, dd)
}

/// Username of the bureau's demo service account (client id); its secret is the demo password.
pub const BUREAU_CLIENT_ID: &str = "bureau-system";

/// Whether the demo district (or any district: its commission) is already in the database —
/// `seed --scale` then loads nothing.
pub async fn seeded(k: &Kernel) -> AppResult<bool> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(d::COMMISSION))
        .one(&k.db.conn)
        .await?
        .is_some())
}

/// Seeds the demo district unless it is already there. Returns whether it seeded.
pub async fn seed(k: &Kernel) -> AppResult<bool> {
    seed_scaled(k, 1).await
}

/// A copy of a demo credit code for copy `c` of the district: characters 9 and 10 (the start of
/// the organisation code) shifted by `c` along the GB 32100 alphabet — never the original for
/// `c` in 1..31 — then character 11 shifted further until the code is unused; the check
/// character is recomputed.
fn copied_uscc(code: &str, c: usize, seen: &std::collections::HashSet<String>) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let shift = |b: u8, by: usize| -> u8 {
        let i = ALPHABET.iter().position(|a| *a == b).unwrap_or(0);
        ALPHABET
            .get((i + by) % ALPHABET.len())
            .copied()
            .unwrap_or(b'0')
    };
    let base: Vec<u8> = code.as_bytes().get(..17).unwrap_or_default().to_vec();
    for extra in 0..ALPHABET.len() {
        let mut body = base.clone();
        if c > 0 {
            for (pos, by) in [(8, c), (9, c), (10, extra)] {
                if let Some(b) = body.get_mut(pos) {
                    *b = shift(*b, by);
                }
            }
        }
        let body = String::from_utf8(body).unwrap_or_default();
        let check = crate::uscc::check_character(&body).unwrap_or('0');
        let candidate = format!("{body}{check}");
        if c == 0 || !seen.contains(&candidate) {
            return candidate;
        }
    }
    code.to_owned()
}

/// Seeds `scale` copies of the demo enterprises and projects (1 is the demo district; the
/// benchmark uses 10, "ten times a district's size", docs/architecture.md). Accounts are seeded once and
/// belong to the first copy.
pub async fn seed_scaled(k: &Kernel, scale: usize) -> AppResult<bool> {
    let exists = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(d::COMMISSION))
        .one(&k.db.conn)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    let now = Utc::now();
    let w = k.db.begin_write().await?;

    // Org units, parents first (the data lists them in that order).
    let mut orgs: HashMap<&str, Uuid> = HashMap::new();
    let units = d::org_units();
    for u in &units {
        orgs.insert(u.code, Uuid::now_v7());
    }
    let rows: Vec<org_unit::ActiveModel> = units
        .iter()
        .map(|u| org_unit::ActiveModel {
            id: Set(orgs[u.code]),
            code: Set(u.code.to_owned()),
            name: Set(u.name.to_owned()),
            kind: Set(org_kind(u.kind)),
            parent_id: Set(u.parent_code.and_then(|p| orgs.get(p).copied())),
            head_account_id: Set(None),
            // 《工作方案》二: 领导小组办公室下设于质安中心.
            leadership_office: Set(u.code == d::DEPT_SAFETY),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
        })
        .collect();
    for chunk in rows.chunks(100) {
        org_unit::Entity::insert_many(chunk.to_vec())
            .exec(&*w)
            .await?;
    }

    let base_ents = d::enterprises();
    let base_projects = d::projects();
    let mut seen = std::collections::HashSet::new();
    let mut project_total = 0;
    let mut first_copy_ids = Vec::new();
    for copy in 0..scale.max(1) {
        let mut ents: Vec<d::DemoEnterprise> = Vec::with_capacity(base_ents.len());
        for e in &base_ents {
            let mut e = e.clone();
            e.uscc = copied_uscc(&e.uscc, copy, &seen);
            if copy > 0 {
                e.name = format!("{}（{copy}）", e.name);
            }
            if !seen.insert(e.uscc.clone()) {
                return Err(AppError::internal("scaled demo credit codes collide"));
            }
            ents.push(e);
        }
        let ent_ids: Vec<Uuid> = ents.iter().map(|_| Uuid::now_v7()).collect();
        if copy == 0 {
            first_copy_ids = ent_ids.clone();
        }
        let rows: Vec<enterprise::ActiveModel> = ents
            .iter()
            .zip(&ent_ids)
            .map(|(e, id)| enterprise::ActiveModel {
                id: Set(*id),
                uscc: Set(e.uscc.clone()),
                name: Set(e.name.clone()),
                kind: Set(enterprise_kind(e.kind)),
                legal_representative: Set(None),
                address: Set(Some("重庆市武隆区".to_owned())),
                qualifications: Set(serde_json::json!([e.qualification]).to_string()),
                licence_no: Set(Some(e.licence_no.clone())),
                licence_expires_on: Set(date(e.licence_expires)),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                archived_at: Set(None),
            })
            .collect();
        for chunk in rows.chunks(100) {
            enterprise::Entity::insert_many(chunk.to_vec())
                .exec(&*w)
                .await?;
        }

        let projects = &base_projects;
        project_total += projects.len();
        let mut p_rows = Vec::new();
        let mut part_rows = Vec::new();
        let mut person_rows = Vec::new();
        for p in projects {
            let id = Uuid::now_v7();
            let township = *orgs
                .get(p.township_code)
                .ok_or_else(|| AppError::internal("demo township missing"))?;
            p_rows.push(project::ActiveModel {
                id: Set(id),
                code: Set(if copy == 0 {
                    p.code.clone()
                } else {
                    format!("{}-{copy}", p.code)
                }),
                name: Set(p.name.clone()),
                township_id: Set(township),
                address: Set(p.address.clone()),
                kind: Set(project_kind(p.kind)),
                status: Set(project_status(p.status)),
                start_on: Set(date(p.start)),
                planned_end_on: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                archived_at: Set(None),
                status_hold_id: Set(None),
                longitude_e6: Set(Some(demo_location(&p.code).0)),
                latitude_e6: Set(Some(demo_location(&p.code).1)),
            });
            let mut part = |e: usize, role: ParticipantRole| -> AppResult<()> {
                let eid = *ent_ids
                    .get(e)
                    .ok_or_else(|| AppError::internal("demo enterprise missing"))?;
                part_rows.push(project_participant::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(id),
                    enterprise_id: Set(eid),
                    role: Set(role),
                });
                Ok(())
            };
            part(p.contractor, ParticipantRole::Contractor)?;
            part(p.supervisor, ParticipantRole::Supervisor)?;
            part(p.developer, ParticipantRole::Developer)?;
            for s in &p.subcontractors {
                let role = match ents.get(*s).map(|e| e.kind) {
                    Some(d::EnterpriseKind::LabourService) => ParticipantRole::LabourService,
                    _ => ParticipantRole::Subcontractor,
                };
                part(*s, role)?;
            }
            let mut person = |who: &d::DemoPerson, role: KeyPersonRole, ent: usize| {
                person_rows.push(project_person::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(id),
                    role: Set(role),
                    name: Set(who.name.clone()),
                    phone: Set(Some(who.phone.clone())),
                    id_card: Set(Some(who.id_card.clone())),
                    enterprise_id: Set(ent_ids.get(ent).copied()),
                    account_id: Set(None),
                });
            };
            person(
                &p.project_leader,
                KeyPersonRole::ProjectLeader,
                p.contractor,
            );
            for s in &p.safety_managers {
                person(s, KeyPersonRole::SafetyManager, p.contractor);
            }
            person(
                &p.chief_supervisor,
                KeyPersonRole::ChiefSupervisor,
                p.supervisor,
            );
        }
        for chunk in p_rows.chunks(100) {
            project::Entity::insert_many(chunk.to_vec())
                .exec(&*w)
                .await?;
        }
        // Status history: each demo project has been in its status since its start date (or
        // since now, for one without), so last month's duties are owed in the demo too.
        jianan_kernel::history::insert_spans(
            &*w,
            "Project",
            projects.iter().zip(&p_rows).map(|(p, row)| {
                let since = date(p.start)
                    .map(jianan_kernel::calendar::local_midnight_utc)
                    .filter(|d| *d < now)
                    .unwrap_or(now);
                (
                    *row.id.as_ref(),
                    row.status.as_ref().to_value(),
                    since,
                    None,
                )
            }),
        )
        .await?;
        for chunk in part_rows.chunks(100) {
            project_participant::Entity::insert_many(chunk.to_vec())
                .exec(&*w)
                .await?;
        }
        for chunk in person_rows.chunks(100) {
            project_person::Entity::insert_many(chunk.to_vec())
                .exec(&*w)
                .await?;
        }
    }
    let ent_ids = first_copy_ids;

    let mut acc_rows = Vec::new();
    for a in d::accounts() {
        let role = Role::parse(a.role)
            .ok_or_else(|| AppError::internal(format!("unknown demo role {}", a.role)))?;
        let service = role == Role::BureauService;
        acc_rows.push(account::ActiveModel {
            id: Set(Uuid::now_v7()),
            username: Set(if service {
                BUREAU_CLIENT_ID.to_owned()
            } else {
                a.username.to_owned()
            }),
            display_name: Set(a.display_name.to_owned()),
            kind: Set(if service {
                AccountKind::Service
            } else {
                AccountKind::Person
            }),
            secret_hash: Set(hash_secret(a.password)?),
            roles: Set(serde_json::json!([role.as_str()]).to_string()),
            org_unit_id: Set(a.org_code.and_then(|c| orgs.get(c).copied())),
            enterprise_id: Set(a.enterprise_index.and_then(|i| ent_ids.get(i).copied())),
            phone: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(None),
            enforcement_cert_number: Set(None),
            enforcement_cert_authority: Set(None),
            enforcement_cert_valid_until: Set(None),
        });
    }
    // Role history: the demo's people have held their roles since the start of the year.
    let since = jianan_kernel::calendar::local_midnight_utc(
        chrono::NaiveDate::from_ymd_opt(now.year(), 1, 1).unwrap_or_default(),
    );
    let spans: Vec<_> = acc_rows
        .iter()
        .map(|a| {
            let roles: Vec<String> = serde_json::from_str(a.roles.as_ref()).unwrap_or_default();
            (*a.id.as_ref(), roles)
        })
        .collect();
    // The head of 建管科 is its demo staff account.
    let staff = acc_rows
        .iter()
        .find(|a| a.username.as_ref() == "staff")
        .map(|a| *a.id.as_ref());
    account::Entity::insert_many(acc_rows).exec(&*w).await?;
    jianan_kernel::history::insert_spans(
        &*w,
        "Account",
        spans
            .into_iter()
            .flat_map(|(id, roles)| roles.into_iter().map(move |r| (id, r, since, None))),
    )
    .await?;
    if let (Some(staff), Some(unit)) = (staff, orgs.get(d::DEPT_CONSTRUCTION)) {
        org_unit::ActiveModel {
            id: sea_orm::Unchanged(*unit),
            head_account_id: Set(Some(staff)),
            ..Default::default()
        }
        .update(&*w)
        .await?;
    }
    audit::record(
        &w,
        &RequestInfo::system("seed"),
        AuditEntry::new("registry.demo.seed", "Registry", "demo").detail(serde_json::json!({
            "orgUnits": units.len(), "enterprises": base_ents.len() * scale.max(1), "projects": project_total,
        })),
    )
    .await?;
    w.commit().await?;
    Ok(true)
}

/// The request of demo account `username`, as the modules' demo seeds act (through their
/// services, with that account's roles, scope and audit trail).
pub async fn request_as(k: &Kernel, username: &str) -> AppResult<RequestInfo> {
    let a = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo account {username} missing")))?;
    let p = crate::service::auth::principal_of(&k.db.conn, k, &a).await?;
    Ok(RequestInfo {
        principal: std::sync::Arc::new(p),
        request_id: "demo-seed".into(),
        client_addr: None,
    })
}

/// A demo project's place on the map: a fixed point within about 30 km of the district's
/// centre (107.76°E, 29.33°N), derived from its code (FNV-1a), so every run draws the same map.
pub fn demo_location(code: &str) -> (i32, i32) {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let spread = |x: u64| i32::try_from(x % 600_001).unwrap_or(0) - 300_000;
    (107_760_000 + spread(h), 29_330_000 + spread(h >> 32))
}
