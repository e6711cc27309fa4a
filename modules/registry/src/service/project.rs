//! Projects with their participating enterprises and key persons.
use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use jianan_contracts::registry as events;
use jianan_entity::enums::{KeyPersonRole, ParticipantRole, ProjectKind, ProjectStatus};
use jianan_entity::{enterprise, org_unit, project, project_participant, project_person};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::relay::encode_id;
use jianan_kernel::scope::scoped;
use jianan_kernel::versioning::{self, claim_read};
use jianan_kernel::{AppError, AppResult, Kernel, outbox};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use serde::Serialize;
use uuid::Uuid;

use crate::perms;
use jianan_kernel::validate::{optional_text, phone, required_text};

/// 参建单位 — a participating enterprise.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// 企业 (enterprise)
    pub enterprise_id: Uuid,
    /// 参建角色 (role)
    pub role: ParticipantRole,
}

/// 关键岗位人员 — a key person of the project.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPerson {
    /// 岗位 (role)
    pub role: KeyPersonRole,
    /// 姓名 (name)
    pub name: String,
    /// 手机号码 (mobile number)
    pub phone: Option<String>,
    /// 身份证号码（GB 11643，18位）(resident ID number)
    pub id_card: Option<String>,
    /// 所属企业 (enterprise)
    pub enterprise_id: Option<Uuid>,
}

/// 登记项目 — a new project. Serialised (without the key) to fingerprint an idempotent retry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewProject {
    /// 项目编号，如 WL-2026-0001 (project code)
    pub code: String,
    /// 项目名称 (name)
    pub name: String,
    /// 所在乡镇（街道）(township or street)
    pub township_id: Uuid,
    /// 项目地址 (address)
    pub address: String,
    /// 项目类型 (kind)
    pub kind: ProjectKind,
    /// 项目状态，默认未开工 (status, default PLANNED)
    pub status: Option<ProjectStatus>,
    /// 开工日期 (start date)
    pub start_on: Option<NaiveDate>,
    /// 计划竣工日期 (planned completion date)
    pub planned_end_on: Option<NaiveDate>,
    /// 位置（经纬度，百万分之一度）(location: longitude and latitude in millionths of a degree)
    pub location: Option<(i32, i32)>,
    /// 参建单位 (participating enterprises)
    pub participants: Vec<Participant>,
    /// 关键岗位人员 (key persons)
    pub key_persons: Vec<KeyPerson>,
    /// 幂等键 (idempotency key)
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// 修改项目 — changes to a project; `None` leaves a field unchanged, given lists replace.
#[derive(Debug, Clone)]
pub struct ProjectUpdate {
    /// 项目 (the project)
    pub id: Uuid,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
    /// 项目名称 (name)
    pub name: Option<String>,
    /// 所在乡镇（街道）(township; needs registry.project.manage)
    pub township_id: Option<Uuid>,
    /// 项目地址 (address)
    pub address: Option<String>,
    /// 项目类型 (kind)
    pub kind: Option<ProjectKind>,
    /// 项目状态 (status)
    pub status: Option<ProjectStatus>,
    /// 开工日期 (start date)
    pub start_on: Option<NaiveDate>,
    /// 计划竣工日期 (planned completion date)
    pub planned_end_on: Option<NaiveDate>,
    /// 位置（经纬度，百万分之一度）(location in millionths of a degree)
    pub location: Option<(i32, i32)>,
    /// 参建单位，整体替换 (participants, replaced as a whole; needs registry.project.manage)
    pub participants: Option<Vec<Participant>>,
    /// 关键岗位人员，整体替换 (key persons, replaced as a whole)
    pub key_persons: Option<Vec<KeyPerson>>,
}

/// GB 11643-1999 check character of an 18-character resident ID number.
pub fn id_card_valid(id: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = id.as_bytes();
    if b.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (i, w) in W.iter().enumerate() {
        match b.get(i) {
            Some(c) if c.is_ascii_digit() => sum += u32::from(c - b'0') * w,
            _ => return false,
        }
    }
    CHECK.get((sum % 11) as usize).copied() == b.get(17).map(u8::to_ascii_uppercase)
}

/// Validated participants: existing enterprises, no duplicate (enterprise, role).
async fn checked_participants<C: ConnectionTrait>(
    db: &C,
    list: &[Participant],
) -> AppResult<Vec<(Uuid, ParticipantRole)>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in list {
        let id = p.enterprise_id;
        if !seen.insert((id, p.role)) {
            return Err(AppError::bad_input("participants", "参建单位重复"));
        }
        out.push((id, p.role));
    }
    let ids: HashSet<Uuid> = out.iter().map(|(id, _)| *id).collect();
    if !ids.is_empty() {
        let found = enterprise::Entity::find()
            .filter(enterprise::Column::Id.is_in(ids.iter().copied()))
            .filter(enterprise::Column::ArchivedAt.is_null())
            .count(db)
            .await?;
        if found != ids.len() as u64 {
            return Err(AppError::bad_input(
                "participants",
                "参建单位不存在或已注销",
            ));
        }
    }
    Ok(out)
}

struct CheckedPerson {
    role: KeyPersonRole,
    name: String,
    phone: Option<String>,
    id_card: Option<String>,
    enterprise_id: Option<Uuid>,
}

fn checked_persons(list: &[KeyPerson]) -> AppResult<Vec<CheckedPerson>> {
    list.iter()
        .map(|p| {
            let id_card = optional_text("keyPersons", "身份证号码", p.id_card.as_deref(), 18)?
                .map(|s| s.to_uppercase());
            if let Some(id) = &id_card
                && !id_card_valid(id)
            {
                return Err(AppError::bad_input(
                    "keyPersons",
                    "身份证号码无效（校验位不符）",
                ));
            }
            Ok(CheckedPerson {
                role: p.role,
                name: required_text("keyPersons", "人员姓名", &p.name, 50)?,
                phone: phone("keyPersons", p.phone.as_deref())?,
                id_card,
                enterprise_id: p.enterprise_id,
            })
        })
        .collect()
}

/// A township or street, or `BAD_USER_INPUT` on `townshipId`.
async fn checked_township<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<Uuid> {
    match org_unit::Entity::find_by_id(id).one(db).await? {
        Some(u) if u.kind.is_territorial() && u.archived_at.is_none() => Ok(id),
        _ => Err(AppError::bad_input("townshipId", "所在乡镇（街道）不存在")),
    }
}

async fn write_participants<C: ConnectionTrait>(
    db: &C,
    project_id: Uuid,
    list: &[(Uuid, ParticipantRole)],
) -> AppResult<()> {
    project_participant::Entity::delete_many()
        .filter(project_participant::Column::ProjectId.eq(project_id))
        .exec(db)
        .await?;
    if list.is_empty() {
        return Ok(());
    }
    project_participant::Entity::insert_many(list.iter().map(|(e, role)| {
        project_participant::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(project_id),
            enterprise_id: Set(*e),
            role: Set(*role),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

async fn write_persons<C: ConnectionTrait>(
    db: &C,
    project_id: Uuid,
    list: Vec<CheckedPerson>,
) -> AppResult<()> {
    project_person::Entity::delete_many()
        .filter(project_person::Column::ProjectId.eq(project_id))
        .exec(db)
        .await?;
    if list.is_empty() {
        return Ok(());
    }
    project_person::Entity::insert_many(list.into_iter().map(|p| project_person::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project_id),
        role: Set(p.role),
        name: Set(p.name),
        phone: Set(p.phone),
        id_card: Set(p.id_card),
        enterprise_id: Set(p.enterprise_id),
        account_id: Set(None),
    }))
    .exec(db)
    .await
    .map_err(|e| {
        if matches!(
            e.sql_err(),
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
        ) {
            AppError::bad_input("keyPersons", "人员所属企业不存在")
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// A project's status as the registry's events carry it.
fn status_of(s: ProjectStatus) -> events::ProjectStatus {
    match s {
        ProjectStatus::Planned => events::ProjectStatus::Planned,
        ProjectStatus::Active => events::ProjectStatus::Active,
        ProjectStatus::Suspended => events::ProjectStatus::Suspended,
        ProjectStatus::Completed => events::ProjectStatus::Completed,
    }
}

/// Loads a project by id (no scope: callers have checked it).
pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<project::Model> {
    project::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("项目"))
}

fn unique_code(e: sea_orm::DbErr) -> AppError {
    if jianan_kernel::error::is_unique_violation(&e) {
        AppError::bad_input("code", "项目编号已存在")
    } else {
        e.into()
    }
}

/// Registers a project with its participants and key persons.
pub async fn create(k: &Kernel, who: &RequestInfo, input: NewProject) -> AppResult<project::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "createProject",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let code = required_text("code", "项目编号", &input.code, 32)?;
    let name = required_text("name", "项目名称", &input.name, 100)?;
    let address = required_text("address", "项目地址", &input.address, 200)?;
    let persons = checked_persons(&input.key_persons)?;
    if let (Some(s), Some(e)) = (input.start_on, input.planned_end_on)
        && e < s
    {
        return Err(AppError::bad_input(
            "plannedEndOn",
            "计划竣工日期不能早于开工日期",
        ));
    }
    let township = checked_township(&k.db.conn, input.township_id).await?;
    let participants = checked_participants(&k.db.conn, &input.participants).await?;

    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        return get(&*w, Uuid::parse_str(&id).map_err(AppError::internal)?).await;
    }
    let now = Utc::now();
    let model = project::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(code),
        name: Set(name),
        township_id: Set(township),
        address: Set(address),
        kind: Set(input.kind),
        status: Set(input.status.unwrap_or(ProjectStatus::Planned)),
        start_on: Set(input.start_on),
        planned_end_on: Set(input.planned_end_on),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        status_hold_id: Set(None),
        longitude_e6: Set(input.location.map(|l| l.0)),
        latitude_e6: Set(input.location.map(|l| l.1)),
    }
    .insert(&*w)
    .await
    .map_err(unique_code)?;
    record_status(&*w, model.id, Some(model.status)).await?;
    write_participants(&*w, model.id, &participants).await?;
    write_persons(&*w, model.id, persons).await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.project.create", "Project", model.id)
            .detail(serde_json::json!({ "code": model.code, "name": model.name, "participants": participants.len() })),
    )
    .await?;
    outbox::publish_event(
        &*w,
        who,
        &events::ProjectCreated {
            project_id: model.id,
            status: status_of(model.status),
            township_id: model.township_id,
        },
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// Keeps the project's status history (`state_span`, subject type `Project`): the obligations
/// of a period are owed by the projects that were ACTIVE during it. `None` when archived.
pub async fn record_status<C: ConnectionTrait>(
    txn: &C,
    id: Uuid,
    status: Option<ProjectStatus>,
) -> AppResult<()> {
    let state = status.map(|s| s.to_value());
    let states: Vec<&str> = state.iter().map(String::as_str).collect();
    jianan_kernel::history::set_states(txn, "Project", id, &states, Utc::now()).await
}

/// Updates a project within the caller's scope.
pub async fn update(
    k: &Kernel,
    who: &RequestInfo,
    input: ProjectUpdate,
) -> AppResult<project::Model> {
    let id = input.id;
    let p = &who.principal;
    if (input.township_id.is_some() || input.participants.is_some())
        && !p.can(perms::PROJECT_MANAGE)
    {
        return Err(AppError::forbidden());
    }
    let mut changes = serde_json::Map::new();
    let mut held = false;
    let mut am = project::ActiveModel {
        id: sea_orm::Unchanged(id),
        ..Default::default()
    };
    if let Some(n) = &input.name {
        am.name = Set(required_text("name", "项目名称", n, 100)?);
        changes.insert("name".into(), n.clone().into());
    }
    if let Some(a) = &input.address {
        am.address = Set(required_text("address", "项目地址", a, 200)?);
        changes.insert("address".into(), a.clone().into());
    }
    if let Some((lon, lat)) = input.location {
        am.longitude_e6 = Set(Some(lon));
        am.latitude_e6 = Set(Some(lat));
        changes.insert("location".into(), serde_json::json!([lon, lat]));
    }
    if let Some(kind) = input.kind {
        am.kind = Set(kind);
        changes.insert(
            "kind".into(),
            serde_json::to_value(kind).unwrap_or_default(),
        );
    }
    if let Some(s) = input.status {
        held = true;
        am.status = Set(s);
        changes.insert("status".into(), serde_json::to_value(s).unwrap_or_default());
    }
    if let Some(d) = input.start_on {
        am.start_on = Set(Some(d));
        changes.insert("startOn".into(), d.to_string().into());
    }
    if let Some(d) = input.planned_end_on {
        am.planned_end_on = Set(Some(d));
        changes.insert("plannedEndOn".into(), d.to_string().into());
    }
    if let Some(t) = input.township_id {
        am.township_id = Set(checked_township(&k.db.conn, t).await?);
        // The audit trail names the township by its global ID, as clients know it.
        changes.insert(
            "townshipId".into(),
            encode_id("OrgUnit", t).to_string().into(),
        );
    }
    let persons = input
        .key_persons
        .as_deref()
        .map(checked_persons)
        .transpose()?;
    let participants = match &input.participants {
        Some(list) => Some(checked_participants(&k.db.conn, list).await?),
        None => None,
    };

    let w = k.db.begin_write().await?;
    // The scope check: a project outside the caller's scope does not exist for them.
    let current = scoped::<project::Entity>(p)
        .filter(project::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("项目"))?;
    if current.archived_at.is_some() {
        return Err(AppError::conflict("项目已归档，不能修改"));
    }
    if held && current.status_hold_id.is_some() && input.status != Some(current.status) {
        return Err(AppError::conflict(
            "项目处于停工整改中，须由执法部门下达复工通知后才能变更状态",
        ));
    }
    claim_read::<project::Entity, _>(&*w, id, current.version, input.expected_version).await?;
    if am.is_changed() {
        am.update(&*w).await?;
    }
    if let Some(s) = input.status.filter(|s| *s != current.status) {
        record_status(&*w, id, Some(s)).await?;
    }
    if let Some(list) = &participants {
        write_participants(&*w, id, list).await?;
        changes.insert("participants".into(), list.len().into());
    }
    if let Some(list) = persons {
        changes.insert("keyPersons".into(), list.len().into());
        write_persons(&*w, id, list).await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("registry.project.update", "Project", id).detail(changes.into()),
    )
    .await?;
    let model = get(&*w, id).await?;
    outbox::publish_event(
        &*w,
        who,
        &events::ProjectUpdated {
            project_id: id,
            status: status_of(model.status),
            township_id: model.township_id,
            version: model.version,
        },
    )
    .await?;
    w.commit().await?;
    Ok(model)
}

/// Sets a project's status on behalf of an enforcement action, inside the caller's transaction:
/// `hold` = the action now holding the status (a stop-work order), or `None` to lift the hold (a
/// resume order). Audited and published like any project change. The caller has checked its own
/// rules (who may order it, in which state).
pub async fn set_status_held(
    w: &jianan_kernel::db::WriteTxn,
    who: &RequestInfo,
    id: Uuid,
    status: ProjectStatus,
    hold: Option<Uuid>,
    reason: &str,
    read_version: i32,
) -> AppResult<project::Model> {
    let txn = &**w;
    let current = get(txn, id).await?;
    // The caller decided on the project as it read it (no hold yet, or this hold): only that
    // version may change, so two concurrent orders cannot both pass.
    claim_read::<project::Entity, _>(txn, id, read_version, None).await?;
    project::ActiveModel {
        id: sea_orm::Unchanged(id),
        status: Set(status),
        status_hold_id: Set(hold),
        ..Default::default()
    }
    .update(txn)
    .await?;
    if status != current.status {
        record_status(txn, id, Some(status)).await?;
    }
    audit::record(
        w,
        who,
        AuditEntry::new("registry.project.status", "Project", id).detail(serde_json::json!({
            "from": current.status, "to": status, "holdId": hold, "reason": reason,
        })),
    )
    .await?;
    let model = get(txn, id).await?;
    outbox::publish_event(
        txn,
        who,
        &events::ProjectUpdated {
            project_id: id,
            status: status_of(model.status),
            township_id: model.township_id,
            version: model.version,
        },
    )
    .await?;
    Ok(model)
}

/// Archives a project within the caller's scope.
pub async fn archive(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<project::Model> {
    let w = k.db.begin_write().await?;
    // The scope check: a project outside the caller's scope does not exist for them.
    scoped::<project::Entity>(&who.principal)
        .filter(project::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("项目"))?;
    if versioning::archive::<project::Entity, _>(&*w, id, expected_version).await? {
        record_status(&*w, id, None).await?;
        audit::record(
            &w,
            who,
            AuditEntry::new("registry.project.archive", "Project", id),
        )
        .await?;
        outbox::publish_event(&*w, who, &events::ProjectArchived { project_id: id }).await?;
    }
    let model = get(&*w, id).await?;
    w.commit().await?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_card_check_character_follows_gb_11643() {
        // 11010519491231002X: the standard's own example (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
        // Σ = 167, 167 mod 11 = 2 → 'X').
        assert!(id_card_valid("11010519491231002X"));
        assert!(id_card_valid("11010519491231002x"));
        assert!(!id_card_valid("110105194912310021"));
        assert!(!id_card_valid("1101051949123100"));
    }

    #[test]
    fn project_status_reaches_events_with_its_schema_name() {
        use sea_orm::Iterable;
        for s in ProjectStatus::iter() {
            assert_eq!(
                serde_json::to_value(s).ok(),
                serde_json::to_value(status_of(s)).ok()
            );
        }
    }
}
