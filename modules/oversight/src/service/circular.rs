//! 通报 (plan, measure 1: “及时通报存在的问题”; measure 4: 公开通报曝光): a circular lists the
//! problems found — inspections, hazards and enforcement actions named by id, each one its issuer
//! may read (checked against the kernel's node directory by the caller, see
//! `graphql::circular`) — and is published at once to its recipient units, which are notified;
//! the first reader of each unit leaves the unit's read receipt.
use chrono::{Datelike, Utc};
use jianan_entity::{account, project, project_participant};
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::calendar::local_date;
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::inbox::{NewNotification, notify};
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::scope::{RowScope, scoped};
use jianan_kernel::validate::{at_most, required_text};
use jianan_kernel::{AppError, AppResult, ErrorCode, Kernel};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait, Set,
};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::check_units;
use crate::entity::enums::UnitKind;
use crate::entity::{circular, circular_link, circular_recipient};
use crate::graphql::types::CIRCULAR;
use crate::perms;
use crate::rules::{
    CIRCULAR_LINK_TYPES, MAX_CIRCULAR_LINKS, MAX_CIRCULAR_RECIPIENTS, circular_number,
};

/// A circular to issue. `links` are (GraphQL type name, id) pairs the caller has checked the
/// issuer may read.
#[derive(Debug, Clone, Serialize)]
pub struct NewCircular {
    pub title: String,
    pub body: String,
    pub recipients: Vec<(UnitKind, Uuid)>,
    pub links: Vec<(String, Uuid)>,
}

/// Checks the shape of the links: known types, no repeats, at most [`MAX_CIRCULAR_LINKS`].
pub fn check_links(links: &[(String, Uuid)]) -> AppResult<()> {
    at_most("links", "所列记录", links, MAX_CIRCULAR_LINKS)?;
    let mut seen = std::collections::HashSet::new();
    for (ty, id) in links {
        if !CIRCULAR_LINK_TYPES.contains(&ty.as_str()) {
            return Err(AppError::bad_input(
                "links",
                "通报只能列出检查、隐患和执法记录",
            ));
        }
        if !seen.insert(*id) {
            return Err(AppError::bad_input("links", "所列记录重复"));
        }
    }
    Ok(())
}

/// A township's staff address only enterprises that take part in their township's projects; the
/// commission's staff address any unit.
async fn check_recipients_in_reach<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    recipients: &[(UnitKind, Uuid)],
) -> AppResult<()> {
    match RowScope::of(p) {
        RowScope::District => Ok(()),
        RowScope::Township(_) => {
            let out_of_reach = || {
                AppError::bad_input(
                    "recipientIds",
                    "乡镇（街道）只能向本辖区项目的参建企业发通报",
                )
            };
            let mut enterprises = Vec::new();
            for (kind, id) in recipients {
                match kind {
                    UnitKind::Enterprise => enterprises.push(*id),
                    UnitKind::OrgUnit => return Err(out_of_reach()),
                }
            }
            let projects = scoped::<project::Entity>(p)
                .select_only()
                .column(project::Column::Id)
                .into_query();
            let reached: Vec<Uuid> = project_participant::Entity::find()
                .select_only()
                .column(project_participant::Column::EnterpriseId)
                .filter(project_participant::Column::EnterpriseId.is_in(enterprises.clone()))
                .filter(project_participant::Column::ProjectId.in_subquery(projects))
                .distinct()
                .into_tuple()
                .all(db)
                .await?;
            if enterprises.iter().all(|e| reached.contains(e)) {
                Ok(())
            } else {
                Err(out_of_reach())
            }
        }
        _ => Err(AppError::forbidden()),
    }
}

/// 发布通报 (`oversight.circular.issue`): numbered in its year (GB/T 9704), published to its
/// recipients at once (their people notified), the records it names listed in order.
pub async fn issue(
    k: &Kernel,
    who: &RequestInfo,
    input: NewCircular,
    idempotency_key: Option<&str>,
) -> AppResult<circular::Model> {
    let p = &who.principal;
    p.require(perms::CIRCULAR_ISSUE)?;
    let me = p.require_account()?;
    let key = IdempotencyKey::from_input(who, "issueCircular", idempotency_key, &input)?;
    let title = required_text("title", "通报标题", &input.title, 200)?;
    let body = required_text("body", "通报正文", &input.body, 20000)?;
    if input.recipients.is_empty() {
        return Err(AppError::bad_input("recipientIds", "至少一个接收单位"));
    }
    at_most(
        "recipientIds",
        "接收单位",
        &input.recipients,
        MAX_CIRCULAR_RECIPIENTS,
    )?;
    check_links(&input.links)?;
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return circular::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("replayed circular missing"));
    }
    check_units(&*w, &input.recipients, "recipientIds").await?;
    check_recipients_in_reach(&*w, p, &input.recipients).await?;
    jianan_kernel::db::serialize_on(&w, "oversight.circular_number").await?;
    let now = Utc::now();
    let year = local_date(now).year();
    let last: Option<i32> = circular::Entity::find()
        .select_only()
        .column_as(circular::Column::Seq.max(), "m")
        .filter(circular::Column::Year.eq(year))
        .into_tuple()
        .one(&*w)
        .await?
        .flatten();
    let seq = last.unwrap_or(0) + 1;
    let model = circular::ActiveModel {
        id: Set(Uuid::now_v7()),
        year: Set(year),
        seq: Set(seq),
        number: Set(circular_number(year, seq)),
        title: Set(title.clone()),
        body: Set(body),
        issuer_account_id: Set(me),
        issuer_unit_id: Set(p.org_unit_id),
        issued_at: Set(now),
    }
    .insert(&*w)
    .await?;
    for (kind, unit) in &input.recipients {
        circular_recipient::ActiveModel {
            circular_id: Set(model.id),
            unit_id: Set(*unit),
            unit_kind: Set(*kind),
            read_by: Set(None),
            read_at: Set(None),
        }
        .insert(&*w)
        .await?;
    }
    for (i, (ty, id)) in input.links.iter().enumerate() {
        circular_link::ActiveModel {
            circular_id: Set(model.id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            target_type: Set(ty.clone()),
            target_id: Set(*id),
        }
        .insert(&*w)
        .await?;
    }
    let units: Vec<Uuid> = input.recipients.iter().map(|(_, u)| *u).collect();
    let people: Vec<Uuid> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::ArchivedAt.is_null())
        .filter(
            Condition::any()
                .add(account::Column::OrgUnitId.is_in(units.clone()))
                .add(account::Column::EnterpriseId.is_in(units)),
        )
        .into_tuple()
        .all(&*w)
        .await?;
    for person in people {
        notify(
            &*w,
            who,
            NewNotification {
                recipient_id: person,
                kind: "oversight.circular_issued".into(),
                title: "收到通报".into(),
                body: format!("{}：{}", model.number, title),
                subject: Some((CIRCULAR.into(), model.id)),
            },
        )
        .await?;
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("oversight.circular.issue", CIRCULAR, model.id).detail(json!({
            "number": model.number,
            "recipients": input.recipients.len(),
            "links": input.links.len(),
        })),
    )
    .await?;
    finish_create(w, key.as_ref(), model.id).await?;
    Ok(model)
}

/// The recipient units the caller belongs to: their org unit (department, township) and their
/// enterprise.
fn my_units(p: &Principal) -> Vec<Uuid> {
    p.org_unit_id
        .into_iter()
        .chain(p.township_id)
        .chain(p.enterprise_id)
        .collect()
}

/// 签收通报 (`oversight.circular.read`): a person of a recipient unit; the unit's receipt is the
/// first reader's (later readers change nothing). Refused for anyone whose unit is not a
/// recipient.
pub async fn mark_read(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
) -> AppResult<(circular::Model, circular_recipient::Model)> {
    let p = &who.principal;
    p.require(perms::CIRCULAR_READ)?;
    let me = p.require_account()?;
    let units = my_units(p);
    let w = k.db.begin_write().await?;
    let c = scoped::<circular::Entity>(p)
        .filter(circular::Column::Id.eq(id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::not_found("通报"))?;
    let r = circular_recipient::Entity::find()
        .filter(circular_recipient::Column::CircularId.eq(c.id))
        .filter(circular_recipient::Column::UnitId.is_in(units))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "本单位不是该通报的接收单位"))?;
    if r.read_at.is_some() {
        return Ok((c, r));
    }
    let now = Utc::now();
    let updated = circular_recipient::Entity::update_many()
        .col_expr(circular_recipient::Column::ReadBy, Expr::value(me))
        .col_expr(circular_recipient::Column::ReadAt, Expr::value(now))
        .filter(circular_recipient::Column::CircularId.eq(c.id))
        .filter(circular_recipient::Column::UnitId.eq(r.unit_id))
        .filter(circular_recipient::Column::ReadAt.is_null())
        .exec(&*w)
        .await?;
    if updated.rows_affected == 0 {
        // Another reader of the unit was first: theirs is the receipt.
        let r = circular_recipient::Entity::find_by_id((c.id, r.unit_id))
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("receipt vanished"))?;
        return Ok((c, r));
    }
    audit::record(
        &w,
        who,
        AuditEntry::new("oversight.circular.read", CIRCULAR, c.id)
            .detail(json!({ "unit": r.unit_id })),
    )
    .await?;
    w.commit().await?;
    let r = circular_recipient::Model {
        read_by: Some(me),
        read_at: Some(now),
        ..r
    };
    Ok((c, r))
}
