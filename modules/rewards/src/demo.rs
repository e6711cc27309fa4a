//! Demo data: public reports in every state of the handling, through the module's services as
//! the public and the commission's staff would make them (so each has its audit trail and
//! events). A verified report asks inspections for a hazard on a demo project, which the outbox
//! dispatcher opens once `serve --demo` runs it, and links back.
//!
//! | report | channel | state |
//! |---|---|---|
//! | 1 | web, anonymous | SUBMITTED |
//! | 2 | 12345 hotline, named (sealed) | ACCEPTED, with a question answered by the reporter |
//! | 3 | mobile, anonymous | VERIFYING (the demo inspector) |
//! | 4 | web, anonymous | VERIFIED true, one hazard found |
//! | 5 | letter, named (sealed) | CLOSED, partly true |
//! | 6 | web, anonymous | REJECTED, with the reason shown to the reporter |
use std::sync::Arc;

use jianan_entity::enums::ProjectStatus;
use jianan_entity::project;
use jianan_kernel::principal::{Principal, RequestInfo};
use jianan_kernel::{AppError, AppResult, Kernel};
use jianan_registry::demo::request_as;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entity::enums::{ReportCategory, ReportChannel, Verdict};
use crate::entity::report;
use crate::service::report::{NewReport, Step, advance, answer, ask, submit};

/// How far a demo report goes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Until {
    Submitted,
    Accepted,
    Verifying,
    Verified,
    Closed,
    Rejected,
}

struct Demo {
    category: ReportCategory,
    channel: ReportChannel,
    description: &'static str,
    address: &'static str,
    named: Option<(&'static str, &'static str)>,
    until: Until,
    verdict: Verdict,
}

const REPORTS: [Demo; 6] = [
    Demo {
        category: ReportCategory::GeneralHazard,
        channel: ReportChannel::Web,
        description: "工地夜间施工噪声大，塔吊下方未设警戒区（演示数据）",
        address: "演示项目塔吊作业区",
        named: None,
        until: Until::Submitted,
        verdict: Verdict::True,
    },
    Demo {
        category: ReportCategory::Violation,
        channel: ReportChannel::Hotline12345,
        description: "来电反映工地未办理施工许可即开工（演示数据）",
        address: "演示项目东侧",
        named: Some(("王先生（演示）", "13800000000")),
        until: Until::Accepted,
        verdict: Verdict::True,
    },
    Demo {
        category: ReportCategory::GeneralHazard,
        channel: ReportChannel::Mobile,
        description: "基坑边堆土过高，临边防护缺失（演示数据）",
        address: "演示项目基坑北侧",
        named: None,
        until: Until::Verifying,
        verdict: Verdict::True,
    },
    Demo {
        category: ReportCategory::GeneralHazard,
        channel: ReportChannel::Web,
        description: "外脚手架连墙件缺失，工人未系安全带（演示数据）",
        address: "演示项目2号楼",
        named: None,
        until: Until::Verified,
        verdict: Verdict::True,
    },
    Demo {
        category: ReportCategory::MajorHazard,
        channel: ReportChannel::Letter,
        description: "来信反映高大模板支撑体系未经专家论证（演示数据）",
        address: "演示项目地下车库",
        named: Some(("李女士（演示）", "lee@example.cn")),
        until: Until::Closed,
        verdict: Verdict::PartlyTrue,
    },
    Demo {
        category: ReportCategory::ConcealedAccident,
        channel: ReportChannel::Web,
        description: "听说某工地有人受伤未上报（演示数据）",
        address: "不详",
        named: None,
        until: Until::Rejected,
        verdict: Verdict::False,
    },
];

fn anonymous() -> RequestInfo {
    RequestInfo {
        principal: Arc::new(Principal::anonymous()),
        request_id: "demo-seed".into(),
        client_addr: None,
    }
}

/// Seeds the module's part of the demo district (idempotent: once there is a report, nothing
/// more).
pub async fn seed(k: &Kernel) -> AppResult<()> {
    if report::Entity::find().count(&k.db.conn).await? > 0 {
        return Ok(());
    }
    let staff = request_as(k, "staff").await?;
    let inspector = request_as(k, "inspector").await?;
    let inspector_id = inspector
        .principal
        .account_id
        .ok_or_else(|| AppError::internal("demo inspector has no account"))?;
    let project = project::Entity::find()
        .filter(project::Column::Status.eq(ProjectStatus::Active))
        .order_by_asc(project::Column::Code)
        .one(&k.db.conn)
        .await?
        .ok_or_else(|| AppError::internal("demo project missing"))?;
    for d in &REPORTS {
        let by_staff = d.channel.entered_by_staff();
        let who = if by_staff { staff.clone() } else { anonymous() };
        let receipt = submit(
            k,
            &who,
            NewReport {
                category: d.category,
                channel: d.channel,
                description: d.description.to_owned(),
                township_id: None,
                project_id: (d.until != Until::Rejected).then_some(project.id),
                address: d.address.to_owned(),
                observed_at: Some(jianan_kernel::calendar::now() - chrono::Duration::days(2)),
                reporter_name: d.named.map(|(n, _)| n.to_owned()),
                reporter_contact: d.named.map(|(_, c)| c.to_owned()),
            },
        )
        .await?;
        let id = receipt.report.id;
        if d.until == Until::Submitted {
            continue;
        }
        if d.until == Until::Rejected {
            let reason = "反映情况不具体，无法核查；请补充项目名称和时间后重新举报（演示数据）";
            advance(
                k,
                &staff,
                id,
                Step::Reject {
                    reason: reason.into(),
                },
                None,
            )
            .await?;
            continue;
        }
        advance(k, &staff, id, Step::Accept, None).await?;
        if d.until == Until::Accepted {
            ask(k, &staff, id, "请问开工大约是哪一天？（演示数据）").await?;
            answer(
                k,
                &anonymous(),
                &receipt.receipt_code,
                &receipt.passphrase,
                "本月初就开始挖土了（演示数据）",
            )
            .await?;
            continue;
        }
        advance(
            k,
            &staff,
            id,
            Step::Assign {
                verifier_id: inspector_id,
            },
            None,
        )
        .await?;
        if d.until == Until::Verifying {
            continue;
        }
        let hazards = if d.until == Until::Verified {
            vec![jianan_contracts::rewards::FoundHazard {
                category: "SCAFFOLDING".into(),
                description: "2号楼外脚手架第8至10层连墙件缺失（演示数据）".into(),
                location: "2号楼北立面".into(),
            }]
        } else {
            Vec::new()
        };
        advance(
            k,
            &inspector,
            id,
            Step::Verify {
                verdict: d.verdict,
                findings: "经现场核查，反映的问题存在（演示数据）".into(),
                project_id: None,
                hazards,
            },
            None,
        )
        .await?;
        if d.until == Until::Closed {
            advance(k, &staff, id, Step::Close, None).await?;
        }
    }
    Ok(())
}
