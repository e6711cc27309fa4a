//! Good credit records (优良信用记录) the commission enters: awards and honours. They are public
//! for 3 years (建市〔2017〕241号 第十条) and carry no points under the rules table (additions are
//! not in the district's rules at hand).
use chrono::{DateTime, Utc};
use jianan_entity::enterprise;
use jianan_kernel::audit::{self, AuditEntry};
use jianan_kernel::idempotency::{IdempotencyKey, begin_create, finish_create};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::scope::scoped;
use jianan_kernel::validate::required_text;
use jianan_kernel::{AppError, AppResult, Kernel};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use uuid::Uuid;

use crate::entity::credit_record;
use crate::entity::enums::{ChangeKind, RecordKind, SubjectKind};
use crate::rules::publication::publication_until;
use crate::service::feed::{self, NewChange};

/// 记录优良信用 — what `recordGoodCredit` needs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewGoodRecord {
    pub enterprise_id: Uuid,
    pub title: String,
    pub legal_basis: String,
    pub description: String,
    pub decided_at: DateTime<Utc>,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
}

/// Records a good record of an enterprise, public for 3 years from its decision. Refused: a
/// decision in the future, an unknown enterprise.
pub async fn record_good(
    k: &Kernel,
    who: &RequestInfo,
    input: NewGoodRecord,
) -> AppResult<credit_record::Model> {
    let key = IdempotencyKey::from_input(
        who,
        "recordGoodCredit",
        input.idempotency_key.as_deref(),
        &input,
    )?;
    let title = required_text("title", "标题", &input.title, 500)?;
    let legal_basis = required_text("legalBasis", "认定依据", &input.legal_basis, 2000)?;
    let description = required_text("description", "事实说明", &input.description, 4000)?;
    let now = Utc::now();
    if input.decided_at > now {
        return Err(AppError::bad_input("decidedAt", "认定时间不能晚于当前时间"));
    }
    let (w, replay) = begin_create(&k.db, key.as_ref()).await?;
    if let Some(id) = replay {
        let id = Uuid::parse_str(&id).map_err(AppError::internal)?;
        return credit_record::Entity::find_by_id(id)
            .one(&*w)
            .await?
            .ok_or_else(|| AppError::internal("remembered credit record missing"));
    }
    let ent = scoped::<enterprise::Entity>(&who.principal)
        .filter(enterprise::Column::Id.eq(input.enterprise_id))
        .one(&*w)
        .await?
        .ok_or_else(|| AppError::bad_input("enterpriseId", "企业不存在或无权查看"))?;
    let id = Uuid::now_v7();
    let record = credit_record::ActiveModel {
        id: Set(id),
        kind: Set(RecordKind::Good),
        subject_kind: Set(SubjectKind::Enterprise),
        enterprise_id: Set(Some(ent.id)),
        uscc: Set(Some(ent.uscc.clone())),
        subject_name: Set(ent.name.clone()),
        person: Set(None),
        township_id: Set(None),
        title: Set(title),
        legal_basis: Set(legal_basis),
        description: Set(description),
        rule_code: Set(None),
        source_type: Set("CreditRecord".to_owned()),
        source_id: Set(id),
        source_event_id: Set(None),
        decided_at: Set(input.decided_at),
        penalty_until: Set(None),
        public_until: Set(publication_until(
            RecordKind::Good,
            input.decided_at,
            0,
            None,
        )),
        is_public: Set(true),
        ended_at: Set(None),
        version: Set(1),
        created_at: Set(now),
    }
    .insert(&*w)
    .await?;
    audit::record(
        &w,
        who,
        AuditEntry::new("credit.record.good", "CreditRecord", record.id)
            .detail(serde_json::json!({ "enterprise": ent.uscc, "title": record.title })),
    )
    .await?;
    feed::append(
        &*w,
        who,
        NewChange {
            kind: ChangeKind::RecordPublished,
            subject_kind: SubjectKind::Enterprise,
            enterprise_id: Some(ent.id),
            uscc: Some(ent.uscc),
            person: None,
            record_type: "CreditRecord",
            record_id: record.id,
            summary: format!("优良信用记录：{}", record.title),
        },
    )
    .await?;
    finish_create(w, key.as_ref(), record.id).await?;
    Ok(record)
}
