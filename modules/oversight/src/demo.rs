//! Demo data: the Party group's enlarged meeting that deployed the ten measures (two decisions,
//! one already done), a briefing of a key project's responsible units in 白马镇, a risk
//! assessment for the New Year and Spring Festival with a “两重两新” item, and a circular to
//! 白马镇 and the first demo contractor, already signed for by the contractor. Written through the
//! module's services as the demo accounts, so everything has its audit trail.
use chrono::Days;
use jianan_entity::{account, org_unit};
use jianan_kernel::{AppError, AppResult, Kernel};
use jianan_registry::demo::request_as;
use jianan_registry::demo_data::{DEPT_CONSTRUCTION, DEPT_SAFETY, TS_BAIMA};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{AssessmentOccasion, MeetingKind, RiskLevel, UnitKind};
use crate::entity::meeting;
use crate::service::assessment::NewAssessment;
use crate::service::circular::NewCircular;
use crate::service::meeting::NewMeeting;
use crate::service::{NewTask, assessment, circular, meeting as meetings, task};

async fn unit(k: &Kernel, code: &str) -> AppResult<Uuid> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo unit {code} missing")))?
        .id)
}

async fn account_of(k: &Kernel, username: &str) -> AppResult<account::Model> {
    account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo account {username} missing")))
}

fn task(description: &str, owner: Uuid, due_on: chrono::NaiveDate) -> NewTask {
    NewTask {
        description: description.into(),
        measures: None,
        risk_level: None,
        two_key_two_new: false,
        owner,
        due_on,
    }
}

fn risk(
    description: &str,
    level: RiskLevel,
    measures: &str,
    owner: Uuid,
    due_on: chrono::NaiveDate,
    flagged: bool,
) -> NewTask {
    NewTask {
        description: description.into(),
        measures: Some(measures.into()),
        risk_level: Some(level),
        two_key_two_new: flagged,
        owner,
        due_on,
    }
}

/// Seeds the oversight demo (once: nothing is added when meetings exist).
pub async fn seed(k: &Kernel) -> AppResult<()> {
    if meeting::Entity::find().count(&k.db.conn).await? > 0 {
        return Ok(());
    }
    let leader = request_as(k, "leader").await?;
    let staff_req = request_as(k, "staff").await?;
    let staff = account_of(k, "staff").await?;
    let inspector = account_of(k, "inspector").await?;
    let township = account_of(k, "township").await?;
    let manager = account_of(k, "manager").await?;
    let contractor = manager
        .enterprise_id
        .ok_or_else(|| AppError::internal("demo manager has no enterprise"))?;
    let (construction, safety, baima) = (
        unit(k, DEPT_CONSTRUCTION).await?,
        unit(k, DEPT_SAFETY).await?,
        unit(k, TS_BAIMA).await?,
    );
    let today = jianan_kernel::calendar::today();
    let days_ago = |n| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    let days_on = |n| today.checked_add_days(Days::new(n)).unwrap_or(today);

    let deploy = meetings::record(
        k,
        &leader,
        NewMeeting {
            kind: MeetingKind::PartyGroupEnlarged,
            title: "党组扩大会：学习贯彻建筑施工安全常态化管理十条措施".into(),
            held_on: days_ago(20),
            venue: "委机关三楼会议室".into(),
            chair: "委领导（演示）".into(),
            attendees: vec![
                "委领导班子成员".into(),
                "建管科负责人".into(),
                "质安中心负责人".into(),
            ],
            topics: vec![
                "学习“十条措施”要求".into(),
                "明确领导小组督查检查分工".into(),
            ],
            summary: Some(
                "会议传达学习了十条措施，明确组长、副组长每月至少督查检查1次，成员科室每周至少1次。"
                    .into(),
            ),
            units: vec![
                (UnitKind::OrgUnit, construction),
                (UnitKind::OrgUnit, safety),
            ],
            decisions: vec![
                task("制定领导小组督查检查计划并印发", staff.id, days_on(5)),
                task(
                    "成立随机巡查组，开展明查暗访",
                    inspector.id,
                    days_on(10),
                ),
            ],
        },
        Some("demo-meeting-deploy"),
    )
    .await?;
    meetings::record(
        k,
        &staff_req,
        NewMeeting {
            kind: MeetingKind::Briefing,
            title: "重点项目参建责任单位宣贯会".into(),
            held_on: days_ago(12),
            venue: "白马镇便民服务中心".into(),
            chair: "建管科负责人".into(),
            attendees: vec![
                "白马镇分管负责人".into(),
                "施工单位项目负责人、专职安全员".into(),
            ],
            topics: vec!["讲清楚为什么、干什么、怎么落实".into()],
            summary: None,
            units: vec![
                (UnitKind::OrgUnit, baima),
                (UnitKind::Enterprise, contractor),
            ],
            decisions: vec![task(
                "各参建单位完成十条措施全员安全交底",
                manager.id,
                days_on(7),
            )],
        },
        Some("demo-meeting-briefing"),
    )
    .await?;
    // The plan was printed and sent: the first decision is done.
    let first = crate::entity::task::Entity::find()
        .filter(crate::entity::task::Column::MeetingId.eq(deploy.id))
        .filter(crate::entity::task::Column::OwnerAccountId.eq(staff.id))
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal("demo decision missing"))?;
    task::complete(
        k,
        &staff_req,
        first.id,
        "督查检查计划已印发各成员科室",
        Some(first.version),
    )
    .await?;

    assessment::record(
        k,
        &staff_req,
        NewAssessment {
            title: "元旦、春节期间建筑施工安全风险研判".into(),
            occasion: AssessmentOccasion::KeyPeriod,
            occasion_name: "2027年元旦、春节".into(),
            starts_on: days_on(20),
            ends_on: days_on(75),
            assessed_on: today,
            summary: Some("节前赶工期、冬季施工用火用电和农民工返乡是主要风险。".into()),
            risks: vec![
                risk(
                    "节前赶工期、抢进度，违规交叉作业",
                    RiskLevel::High,
                    "合理安排工期，严禁压缩合理工期；节前开展一次全面检查",
                    staff.id,
                    days_on(20),
                    false,
                ),
                risk(
                    "冬季施工用火用电引发火灾",
                    RiskLevel::High,
                    "动火作业审批、临时用电专项检查纳入每次监督检查",
                    inspector.id,
                    days_on(25),
                    true,
                ),
                risk(
                    "农民工返乡前工资支付纠纷",
                    RiskLevel::Moderate,
                    "乡镇牵头摸排在建项目工资支付情况",
                    township.id,
                    days_on(30),
                    false,
                ),
            ],
        },
        Some("demo-assessment-festival"),
    )
    .await?;

    let c = circular::issue(
        k,
        &staff_req,
        NewCircular {
            title: "关于近期建筑施工安全检查发现问题的通报".into(),
            body: "近期随机巡查组对在建项目开展明查暗访，发现部分项目临边防护缺失、临时用电不规范等问题。请相关单位立即整改，并举一反三开展自查。".into(),
            recipients: vec![
                (UnitKind::OrgUnit, baima),
                (UnitKind::Enterprise, contractor),
            ],
            links: Vec::new(),
        },
        Some("demo-circular-1"),
    )
    .await?;
    circular::mark_read(k, &request_as(k, "manager").await?, c.id).await?;
    Ok(())
}
