//! Duty subscriptions: a warning for my unit, a report in my township, a roster gap today — live.
use std::sync::Arc;

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use jianan_contracts::DomainEvent as _;
use jianan_contracts::duty::{IncidentReported, RosterChanged, WarningIssued};
use jianan_kernel::calendar::{end_of_local_day_utc, local_midnight_utc, today};
use jianan_kernel::principal::{Permission, Principal, principal};
use jianan_kernel::scope::scoped;
use jianan_kernel::{AppResult, Kernel, kernel};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::types::{DutyIncidentReport, DutyRosterDay, DutyWarning};
use crate::entity::enums::WarningTargetKind;
use crate::entity::{incident, warning, warning_target as target};
use crate::perms;
use crate::service::roster::roster_day;
use crate::service::warning::{answers_for, my_projects};

/// Duty subscriptions.
#[derive(Default)]
pub struct DutySubscription;

#[Subscription]
impl DutySubscription {
    /// 发给本单位（本乡镇、本企业项目、本科室）的新预警实时推送 (new warnings addressed to my
    /// township, my enterprise's projects or my department, live)
    #[graphql(guard = "Permission(perms::WARNING_READ)")]
    async fn duty_warning_for_my_unit(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = DutyWarning> + use<>> {
        let k: Arc<Kernel> = kernel(ctx)?.clone();
        Ok(warning_stream(k, principal(ctx)))
    }

    /// 今日值班空档实时推送：订阅时和今日值班表每次变更后，若仍有空档即推送今日值班表 (today's
    /// roster while it has a gap: when subscribing and after every change that touches today)
    #[graphql(guard = "Permission(perms::ROSTER_READ)")]
    async fn duty_roster_gap_today(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = DutyRosterDay> + use<>> {
        let k: Arc<Kernel> = kernel(ctx)?.clone();
        Ok(gap_stream(k, principal(ctx)))
    }

    /// 新信息报告实时推送（乡镇看本乡镇，企业看本企业项目，委里看全区）(new information reports
    /// within my scope — my township's, my projects', or the district's — live)
    #[graphql(guard = "Permission(perms::REPORT_READ)")]
    async fn duty_incident_report_filed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = DutyIncidentReport> + use<>> {
        let k: Arc<Kernel> = kernel(ctx)?.clone();
        Ok(report_stream(k, principal(ctx)))
    }
}

/// Today's roster (Asia/Shanghai) if it has a gap: at once when subscribing, then after every
/// change that touches today.
fn gap_stream(k: Arc<Kernel>, p: Arc<Principal>) -> impl Stream<Item = DutyRosterDay> {
    let rx = k.bus.subscribe();
    futures_util::stream::unfold((k, rx, p, true), move |(k, mut rx, p, first)| async move {
        let mut first = first;
        loop {
            if !first {
                let ev = match rx.recv().await {
                    Ok(ev) => ev,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(_) => return None,
                };
                if ev.topic != RosterChanged::TOPIC {
                    continue;
                }
                let Ok(change) = ev.decode::<RosterChanged>() else {
                    continue;
                };
                let day = today();
                if change.starts_at >= end_of_local_day_utc(day)
                    || change.ends_at <= local_midnight_utc(day)
                {
                    continue;
                }
            }
            first = false;
            if let Ok(r) = roster_day(&k, &p, today()).await
                && !r.gaps.is_empty()
            {
                return Some((DutyRosterDay::from(r), (k, rx, p, false)));
            }
        }
    })
}

/// New reports `p` may see, from the moment of subscribing: each `duty.incident_reported` is
/// re-read through `p`'s row scope.
fn report_stream(k: Arc<Kernel>, p: Arc<Principal>) -> impl Stream<Item = DutyIncidentReport> {
    let rx = k.bus.subscribe();
    futures_util::stream::unfold((k, rx, p), move |(k, mut rx, p)| async move {
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return None,
            };
            if ev.topic != IncidentReported::TOPIC {
                continue;
            }
            let Ok(id) = Uuid::parse_str(&ev.aggregate_id) else {
                continue;
            };
            if let Ok(Some(r)) = scoped::<incident::Entity>(&p)
                .filter(incident::Column::Id.eq(id))
                .one(&k.db.conn)
                .await
            {
                return Some((DutyIncidentReport(r), (k, rx, p)));
            }
        }
    })
}

/// The warning `id` if `p` may see it and answers for one of its targets.
async fn for_me(k: &Kernel, p: &Principal, id: Uuid) -> AppResult<Option<warning::Model>> {
    let Some(w) = scoped::<warning::Entity>(p)
        .filter(warning::Column::Id.eq(id))
        .one(&k.db.conn)
        .await?
    else {
        return Ok(None);
    };
    let targets = target::Entity::find()
        .filter(target::Column::WarningId.eq(id))
        .all(&k.db.conn)
        .await?;
    let mine = my_projects(
        &k.db.conn,
        p,
        targets
            .iter()
            .filter(|t| t.kind == WarningTargetKind::Project)
            .map(|t| t.unit_id),
    )
    .await?;
    Ok(targets
        .iter()
        .any(|t| answers_for(p, t, &mine))
        .then_some(w))
}

/// New warnings for `p`'s unit, from the moment of subscribing: each `duty.warning_issued` is
/// re-read through `p`'s row scope, so a warning `p` may not see never reaches them.
fn warning_stream(k: Arc<Kernel>, p: Arc<Principal>) -> impl Stream<Item = DutyWarning> {
    let rx = k.bus.subscribe();
    futures_util::stream::unfold((k, rx, p), move |(k, mut rx, p)| async move {
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return None,
            };
            if ev.topic != WarningIssued::TOPIC {
                continue;
            }
            let Ok(id) = Uuid::parse_str(&ev.aggregate_id) else {
                continue;
            };
            if let Ok(Some(w)) = for_me(&k, &p, id).await {
                return Some((DutyWarning(w), (k, rx, p)));
            }
        }
    })
}
