//! The credit module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): a year of
//! good credit records (优良信用记录: awards and honours the commission enters) over the registry's
//! enterprises, each with the change-feed entry `recordGoodCredit` appends
//! ([`crate::service::records::record_good`]), so the bureau's `creditChanges` reads every one
//! of them, in sequence order, without a gap.
//!
//! As the service does, each record is public for three years from its decision
//! ([`publication_until`]) and carries no points (the rules table has no additions), so no score
//! row changes. The feed continues from `credit_feed_head` (whatever the demo appended), entries
//! numbered in the order the records were entered, and the head is moved to the last one in the
//! same transaction. Bad records are not loaded here: each is the consequence of an enforcement
//! action delivered as an event ([`crate::service::evaluation::apply_enforcement`]), and a bulk
//! load publishes no events (docs/seed.md).
use chrono::Duration;
use jianan_entity::enterprise;
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppResult, Kernel};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr};

use crate::entity::enums::{ChangeKind, RecordKind, SubjectKind};
use crate::entity::{credit_change, credit_feed_head, credit_record};
use crate::rules::publication::publication_until;
use crate::service::feed;

/// Awards a district gives its builders, with the document that grants each.
const AWARDS: [(&str, &str); 6] = [
    (
        "区级安全文明施工标准化工地",
        "区住房和城乡建设委员会安全文明施工标准化工地评选办法",
    ),
    (
        "市级安全文明施工标准化工地",
        "市住房和城乡建设委员会关于开展安全文明施工标准化工地评选的通知",
    ),
    (
        "建设工程质量安全管理优秀单位",
        "区住房和城乡建设委员会年度质量安全工作表彰决定",
    ),
    (
        "安全生产月活动先进单位",
        "区安全生产委员会办公室关于表扬安全生产月活动先进单位的通报",
    ),
    (
        "农民工工资支付诚信单位",
        "区根治拖欠农民工工资工作领导小组表彰决定",
    ),
    ("绿色施工示范工程", "市建筑业绿色施工示范工程评选办法"),
];

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let mut rng = volume.rng("credit");
    let enterprises = enterprise::Entity::find()
        .filter(enterprise::Column::ArchivedAt.is_null())
        .order_by_asc(enterprise::Column::Uscc)
        .all(&k.db.conn)
        .await?;
    if enterprises.is_empty() || volume.credit_records == 0 {
        return Ok(Vec::new());
    }
    // Decisions over the past year; each entered one to three days after it was decided.
    let mut made: Vec<(
        chrono::DateTime<chrono::Utc>,
        credit_record::ActiveModel,
        usize,
    )> = Vec::with_capacity(volume.credit_records);
    for _ in 0..volume.credit_records {
        let e = rng.gen_range(0..enterprises.len());
        let Some(ent) = enterprises.get(e) else {
            continue;
        };
        let decided = volume.ago(rng.gen_range(4 * 86_400..365 * 86_400));
        let entered = decided + Duration::minutes(rng.gen_range(24 * 60..72 * 60));
        let (title, basis) = AWARDS[rng.gen_range(0..AWARDS.len())];
        let id = id_at(&mut rng, entered);
        made.push((
            entered,
            credit_record::ActiveModel {
                id: Set(id),
                kind: Set(RecordKind::Good),
                subject_kind: Set(SubjectKind::Enterprise),
                enterprise_id: Set(Some(ent.id)),
                uscc: Set(Some(ent.uscc.clone())),
                subject_name: Set(ent.name.clone()),
                person: Set(None),
                township_id: Set(None),
                title: Set(title.to_owned()),
                legal_basis: Set(basis.to_owned()),
                description: Set(format!("{}获评{title}", ent.name)),
                rule_code: Set(None),
                source_type: Set("CreditRecord".to_owned()),
                source_id: Set(id),
                source_event_id: Set(None),
                decided_at: Set(decided),
                penalty_until: Set(None),
                public_until: Set(publication_until(RecordKind::Good, decided, 0, None)),
                is_public: Set(true),
                ended_at: Set(None),
                version: Set(1),
                created_at: Set(entered),
            },
            e,
        ));
    }
    // The feed is in the order the records were entered (commit order).
    made.sort_by_key(|a| a.0);
    let w = k.db.begin_write().await?;
    let head = feed::lock(&*w).await?;
    let mut seq = head.last_seq;
    let mut changes = Vec::with_capacity(made.len());
    let mut records = Vec::with_capacity(made.len());
    for (entered, r, e) in made {
        let Some(ent) = enterprises.get(e) else {
            continue;
        };
        seq += 1;
        let title = match &r.title {
            sea_orm::ActiveValue::Set(t) => t.clone(),
            _ => String::new(),
        };
        let record_id = match r.id {
            sea_orm::ActiveValue::Set(id) => id,
            _ => continue,
        };
        changes.push(credit_change::ActiveModel {
            id: Set(id_at(&mut rng, entered)),
            seq: Set(seq),
            kind: Set(ChangeKind::RecordPublished),
            subject_kind: Set(SubjectKind::Enterprise),
            enterprise_id: Set(Some(ent.id)),
            uscc: Set(Some(ent.uscc.clone())),
            person: Set(None),
            record_type: Set("CreditRecord".to_owned()),
            record_id: Set(record_id),
            summary: Set(format!("优良信用记录：{title}")),
            occurred_at: Set(entered),
        });
        records.push(r);
    }
    let n_records = insert_chunked(&*w, records).await?;
    let n_changes = insert_chunked(&*w, changes).await?;
    credit_feed_head::Entity::update_many()
        .col_expr(credit_feed_head::Column::LastSeq, Expr::value(seq))
        .filter(credit_feed_head::Column::Id.eq(1))
        .exec(&*w)
        .await?;
    w.commit().await?;
    Ok(vec![
        ("credit_record", n_records),
        ("credit_change", n_changes),
    ])
}
