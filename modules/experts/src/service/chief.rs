//! 总工程师制度 — each enterprise's chief engineer and safety-technology team. The enterprise's
//! manager keeps its own entry; the commission's staff may keep any.
use chrono::Utc;
use jianan_entity::enterprise;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::{phone, required_text};
use jianan_kernel::versioning::{Versioned, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::entity::chief_engineer;
use crate::entity::enums::Specialty;
use crate::perms;

/// The GraphQL type name.
pub const CHIEF: &str = "ChiefEngineer";

impl Versioned for chief_engineer::Entity {
    fn id_column() -> chief_engineer::Column {
        chief_engineer::Column::Id
    }
    fn version_column() -> chief_engineer::Column {
        chief_engineer::Column::Version
    }
    fn updated_at_column() -> chief_engineer::Column {
        chief_engineer::Column::UpdatedAt
    }
}

/// A member of the safety-technology team.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamMember {
    pub name: String,
    pub title: String,
    pub specialty: Specialty,
}

/// The team of a stored entry.
pub fn team_of(m: &chief_engineer::Model) -> Vec<TeamMember> {
    serde_json::from_str(&m.team).unwrap_or_default()
}

/// What `set` needs.
#[derive(Debug, Clone)]
pub struct ChiefEngineerData {
    pub name: String,
    pub title: String,
    pub phone: Option<String>,
    pub team: Vec<TeamMember>,
}

/// 登记总工程师及安全技术团队 (`experts.chief_engineer.manage`): on an enterprise the caller may
/// see (an enterprise's people: their own). Replaces the enterprise's entry when there is one
/// (its version claimed).
pub async fn set(
    k: &Kernel,
    who: &RequestInfo,
    enterprise_id: Uuid,
    data: ChiefEngineerData,
    expected_version: Option<i32>,
) -> AppResult<chief_engineer::Model> {
    let p = &who.principal;
    p.require(perms::CHIEF_MANAGE)?;
    let ChiefEngineerData {
        name,
        title,
        phone: phone_no,
        team,
    } = data;
    let name = required_text("name", "总工程师姓名", &name, 50)?;
    let title = required_text("title", "职称", &title, 50)?;
    let phone_no = phone("phone", phone_no.as_deref())?;
    jianan_kernel::validate::at_most("team", "安全技术团队成员", &team, 30)?;
    let team = team
        .into_iter()
        .map(|m| {
            Ok(TeamMember {
                name: required_text("team", "成员姓名", &m.name, 50)?,
                title: required_text("team", "成员职称", &m.title, 50)?,
                specialty: m.specialty,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let w = k.db.begin_write().await?;
    let e = scoped::<enterprise::Entity>(p)
        .filter(enterprise::Column::Id.eq(enterprise_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("enterpriseId", "企业不存在或无权查看"))?;
    if p.roles.iter().any(|r| r.is_enterprise()) && p.enterprise_id != Some(e.id) {
        return Err(AppError::forbidden());
    }
    let now = Utc::now();
    let team_json = serde_json::to_string(&team).map_err(AppError::internal)?;
    let existing = chief_engineer::Entity::find()
        .filter(chief_engineer::Column::EnterpriseId.eq(e.id))
        .one(&*w)
        .await?;
    let model = match existing {
        Some(c) => {
            claim_read::<chief_engineer::Entity, _>(&*w, c.id, c.version, expected_version).await?;
            let id = c.id;
            let fresh = chief_engineer::Entity::find_by_id(id)
                .one(&*w)
                .await?
                .ok_or_else(|| AppError::internal("chief engineer vanished"))?;
            let mut am: chief_engineer::ActiveModel = fresh.into();
            am.name = Set(name);
            am.title = Set(title);
            am.phone = Set(phone_no);
            am.team = Set(team_json);
            am.update(&*w).await?
        }
        None => {
            if expected_version.is_some() {
                return Err(AppError::stale_version());
            }
            chief_engineer::ActiveModel {
                id: Set(Uuid::now_v7()),
                enterprise_id: Set(e.id),
                name: Set(name),
                title: Set(title),
                phone: Set(phone_no),
                team: Set(team_json),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&*w)
            .await?
        }
    };
    audit::record(
        &w,
        who,
        AuditEntry::new("experts.chief_engineer.set", CHIEF, model.id)
            .detail(json!({ "enterprise": e.uscc, "team": team.len() })),
    )
    .await?;
    w.commit().await?;
    Ok(model)
}
