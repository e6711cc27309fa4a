//! Demo data, consistent with the inspections demo.
//!
//! The demo's scores, bad records and feed entries are not written here: they follow from the
//! inspections demo's enforcement actions (a warning interview, which leaves no record under
//! rules version 1, and a 3-point credit deduction against the demo enterprise), which reach
//! credit as `inspections.enforcement_issued` events through the same handler as in
//! production, once the outbox dispatcher runs (`serve --demo` runs it; so the demo enterprise
//! shows 97 points, level A, one bad record public for 6 months).
//!
//! What is seeded here, through the module's services as the commission's staff: good records
//! (awards) for the two enterprises that come first by code among those other than the demo
//! enterprise, so public disclosure, statistics and the feed show both kinds.

use chrono::Duration;
use jianan_entity::enterprise;
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppResult, Kernel};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::credit_record;
use crate::entity::enums::RecordKind;
use crate::service::records::{NewGoodRecord, record_good};

async fn who(k: &Kernel, username: &str) -> AppResult<RequestInfo> {
    jianan_registry::demo::request_as(k, username).await
}

/// The good records of the demo: (title, basis, description, days ago).
const AWARDS: [(&str, &str, &str, i64); 2] = [
    (
        "区级安全生产标准化示范工地",
        "区住房城乡建委表彰通报（演示数据）",
        "施工现场安全生产标准化考评优良，获评区级示范工地（演示数据）",
        40,
    ),
    (
        "安全生产先进单位",
        "区住房城乡建委年度表彰决定（演示数据）",
        "年度内未发生生产安全事故，隐患整改及时率100%（演示数据）",
        200,
    ),
];

/// Seeds the module's part of the demo district (idempotent: once there is a good record,
/// nothing more).
pub async fn seed(k: &Kernel) -> AppResult<()> {
    let good = credit_record::Entity::find()
        .filter(credit_record::Column::Kind.eq(RecordKind::Good))
        .count(&k.db.conn)
        .await?;
    if good > 0 {
        return Ok(());
    }
    let staff = who(k, "staff").await?;
    let demo_enterprise = who(k, "safety").await?.principal.enterprise_id;
    let mut q = enterprise::Entity::find()
        .filter(enterprise::Column::ArchivedAt.is_null())
        .order_by_asc(enterprise::Column::Uscc);
    if let Some(e) = demo_enterprise {
        q = q.filter(enterprise::Column::Id.ne(e));
    }
    let firms = q.limit(2).all(&k.db.conn).await?;
    let now = jianan_kernel::calendar::now();
    for (firm, (title, basis, description, days)) in firms.iter().zip(AWARDS) {
        record_good(
            k,
            &staff,
            NewGoodRecord {
                enterprise_id: firm.id,
                title: title.to_owned(),
                legal_basis: basis.to_owned(),
                description: description.to_owned(),
                decided_at: now - Duration::days(days),
                idempotency_key: None,
            },
        )
        .await?;
    }
    Ok(())
}
