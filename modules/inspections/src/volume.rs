//! The inspections module's part of `jianan seed --scale N` ([`jianan_kernel::volume`]): a year
//! of inspections of every kind over every project, and the hazards they found in every state of
//! the rectification state machine ([`crate::service::rectification`]), as the services would
//! have left them — but written in bulk, without audit records, events or notifications.
//!
//! What each row carries, and why it is what the service writes:
//! - an inspection: its kind in real proportions ([`KIND_WEIGHTS`]: self-checks mostly), a
//!   recorder and listed inspectors who fit the kind (`checked_inspectors`: for a self-check a
//!   person of the builder enterprise with the recorder's role, else commission staff), the
//!   project's township and position, its result (no problem, or rectify when hazards were
//!   found); a covert one stays unpublished for its first two weeks and its hazards stay hidden
//!   from the enterprise (`visible_to_enterprise`) and unassigned until it is published;
//! - the evidence the obligation engine counts: each self-check for its project, a leader's
//!   supervision for the leader, a department's for the department (`record_evidence`, as
//!   `credit_supervision` does), and the participation confirmations of listed inspectors;
//! - a hazard: a level and a classification that [`crate::rules::hazard_class::classify`] accepts,
//!   a timeline of steps (REPORT, ASSIGN, START, SUBMIT, VERIFY; VOID; FIX_ON_SPOT; a major
//!   hazard's SUPERVISE and ACCEPT and its five implementations before START; now and then a
//!   REJECT and a second SUBMIT) cut at today, so its state is where the timeline stands; the
//!   responsible enterprise a participant of the project, the deadline in working days from the
//!   work calendar, `overdue_at` where the enterprise held it past the deadline (what the overdue
//!   job would have stamped), `closed_at` after the last step, `version` one per step;
//! - photos where the service requires them (at least one on SUBMIT and ACCEPT, before and after
//!   on FIX_ON_SPOT): attachment rows of the hazard that point at three small stored pictures.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use jianan_entity::enums::{OrgUnitKind, ParticipantRole, ProjectStatus};
use jianan_entity::{
    account, attachment, obligation_evidence, org_unit, project, project_participant,
};
use jianan_kernel::calendar::{Period, end_of_local_day_utc, to_shanghai};
use jianan_kernel::principal::{Role, roles_of};
use jianan_kernel::volume::{Loaded, Volume, id_at, insert_chunked};
use jianan_kernel::{AppError, AppResult, Kernel};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entity::enums::{
    EnforcementKind, HazardLevel, HazardStatus, Implementation, InspectionKind, InspectionResult,
    RectificationAction,
};
use crate::entity::{
    hazard, hazard_implementation, hazard_step, inspection, inspection_participant,
};
use crate::rules::hazard_class::{ALL_GENERAL, classify};
use crate::rules::hazard_criteria::criteria;
use crate::service::inspection::period_kind;
use crate::service::obligations as ob;

/// Kinds of inspection per thousand: the daily self-check dominates (one per active project per
/// working day), then the weekly and monthly ones; the commission's kinds are a few percent
/// each. Double-random checks are left out: each must carry out an assignment of a published draw
/// (`check_draw_assignment`), and the demo's draw already shows them.
pub const KIND_WEIGHTS: [(InspectionKind, u32); 8] = [
    (InspectionKind::SafetyManagerDaily, 700),
    (InspectionKind::ProjectLeaderWeekly, 130),
    (InspectionKind::EnterpriseMonthly, 40),
    (InspectionKind::LeadershipSupervision, 15),
    (InspectionKind::DepartmentSupervision, 60),
    (InspectionKind::Covert, 20),
    (InspectionKind::Expert, 15),
    (InspectionKind::KeyPeriod, 20),
];

/// Where a hazard's rectification is meant to end, per thousand, before the timeline is cut at
/// today (young hazards then stand earlier): most are closed, every state is present.
pub const OUTCOME_WEIGHTS: [(HazardStatus, u32); 6] = [
    (HazardStatus::Closed, 800),
    (HazardStatus::Voided, 30),
    (HazardStatus::Submitted, 40),
    (HazardStatus::Rectifying, 50),
    (HazardStatus::Assigned, 50),
    (HazardStatus::Reported, 30),
];

/// A covert inspection is published this many days after it was made (its hazards hidden until).
const COVERT_HIDDEN_DAYS: i64 = 14;

/// Picks from `(item, weight)` pairs.
pub fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    if total == 0 {
        return None;
    }
    let mut pick = rng.gen_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return Some(*item);
        }
        pick -= *w;
    }
    None
}

/// `n` hazards spread over `inspections` inspections: about two in five inspections find any,
/// each of those one or more; returns the count per inspection (summing to `n`).
pub fn hazards_per_inspection(rng: &mut StdRng, inspections: usize, n: usize) -> Vec<u32> {
    let mut counts = vec![0u32; inspections];
    if inspections == 0 {
        return counts;
    }
    let finders = (inspections * 2 / 5).max(1);
    let mut which: Vec<usize> = (0..inspections).collect();
    // A partial Fisher–Yates shuffle picks the finders.
    for i in 0..finders {
        let j = rng.gen_range(i..inspections);
        which.swap(i, j);
    }
    let finders = &which[..finders];
    for _ in 0..n {
        let i = finders[rng.gen_range(0..finders.len())];
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    counts
}

const FINDINGS_CLEAN: [&str; 4] = [
    "现场检查未发现问题，安全防护到位",
    "安全管理资料齐全，现场文明施工良好",
    "各分部分项工程安全措施落实，未发现隐患",
    "检查临边洞口、临时用电、起重机械，均符合要求",
];
const PHRASES: [&str; 8] = [
    "防护设施缺失",
    "未按方案设置",
    "验收记录不全",
    "安全警示标志缺失",
    "作业人员未按规定佩戴防护用品",
    "设施损坏未及时修复",
    "材料堆放不规范",
    "交底记录未签字",
];
const LOCATIONS: [&str; 10] = [
    "1号楼外脚手架东侧",
    "2号楼五层临边",
    "基坑北侧支护",
    "塔吊基础",
    "施工升降机出入口",
    "临时用电总配电箱",
    "钢筋加工区",
    "3号楼楼梯间洞口",
    "模板支撑体系",
    "生活区消防通道",
];
const SURNAMES: [&str; 12] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = ["伟", "强", "军", "磊", "洋", "勇", "杰", "涛", "明", "超"];

/// A 1×1 PNG, with a trailing byte that makes the three stored pictures distinct objects.
fn photo_bytes(i: u8) -> Vec<u8> {
    let mut v = crate::demo::DEMO_PHOTO.to_vec();
    v.push(i);
    v
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.gen_range(0..items.len()))
    }
}

/// What the volume links to, read once from the database.
struct District {
    projects: Vec<project::Model>,
    /// Participants of each project: (enterprise, role).
    participants: HashMap<Uuid, Vec<(Uuid, ParticipantRole)>>,
    /// Person accounts of each enterprise, with their roles.
    enterprise_people: HashMap<Uuid, Vec<(Uuid, Vec<Role>)>>,
    leaders: Vec<Uuid>,
    inspectors: Vec<Uuid>,
    experts: Vec<Uuid>,
    /// Department staff with their department.
    department_staff: Vec<(Uuid, Uuid)>,
    /// Township staff per township.
    township_staff: HashMap<Uuid, Vec<Uuid>>,
    /// Units that may list a major hazard for supervision (commission, departments).
    supervisors: Vec<Uuid>,
}

async fn district(k: &Kernel) -> AppResult<District> {
    let db = &k.db.conn;
    let mut projects = project::Entity::find()
        .filter(project::Column::ArchivedAt.is_null())
        .order_by_asc(project::Column::Code)
        .all(db)
        .await?;
    // Inspections are of sites under way (or stopped, or finished within the year); a planned
    // project has no site yet.
    if projects.iter().any(|p| p.status != ProjectStatus::Planned) {
        projects.retain(|p| p.status != ProjectStatus::Planned);
    }
    let mut participants: HashMap<Uuid, Vec<(Uuid, ParticipantRole)>> = HashMap::new();
    for p in project_participant::Entity::find()
        .order_by_asc(project_participant::Column::Id)
        .all(db)
        .await?
    {
        participants
            .entry(p.project_id)
            .or_default()
            .push((p.enterprise_id, p.role));
    }
    let units = org_unit::Entity::find().all(db).await?;
    let departments: Vec<Uuid> = units
        .iter()
        .filter(|u| u.kind == OrgUnitKind::Department)
        .map(|u| u.id)
        .collect();
    let supervisors = units
        .iter()
        .filter(|u| matches!(u.kind, OrgUnitKind::Commission | OrgUnitKind::Department))
        .map(|u| u.id)
        .collect();
    let mut d = District {
        projects,
        participants,
        enterprise_people: HashMap::new(),
        leaders: Vec::new(),
        inspectors: Vec::new(),
        experts: Vec::new(),
        department_staff: Vec::new(),
        township_staff: HashMap::new(),
        supervisors,
    };
    for a in account::Entity::find()
        .filter(account::Column::ArchivedAt.is_null())
        .filter(account::Column::Kind.eq(jianan_entity::enums::AccountKind::Person))
        .order_by_asc(account::Column::Username)
        .all(db)
        .await?
    {
        let roles = roles_of(&a);
        if let Some(e) = a.enterprise_id {
            d.enterprise_people
                .entry(e)
                .or_default()
                .push((a.id, roles));
            continue;
        }
        if roles.contains(&Role::Leader) {
            d.leaders.push(a.id);
        }
        if roles.contains(&Role::Inspector) {
            d.inspectors.push(a.id);
        }
        if roles.contains(&Role::Expert) {
            d.experts.push(a.id);
        }
        if roles.contains(&Role::DepartmentStaff)
            && let Some(u) = a.org_unit_id.filter(|u| departments.contains(u))
        {
            d.department_staff.push((a.id, u));
        }
        if roles.contains(&Role::TownshipStaff)
            && let Some(u) = a.org_unit_id
        {
            d.township_staff.entry(u).or_default().push(a.id);
        }
    }
    if d.inspectors.is_empty() {
        return Err(AppError::internal(
            "seed volume: no inspector account (the registry's demo runs first)",
        ));
    }
    Ok(d)
}

/// The rows of one batch, inserted together.
#[derive(Default)]
struct Batch {
    inspections: Vec<inspection::ActiveModel>,
    participants: Vec<inspection_participant::ActiveModel>,
    evidence: Vec<obligation_evidence::ActiveModel>,
    hazards: Vec<hazard::ActiveModel>,
    steps: Vec<hazard_step::ActiveModel>,
    implementations: Vec<hazard_implementation::ActiveModel>,
    attachments: Vec<attachment::ActiveModel>,
}

#[derive(Default)]
struct Counts {
    inspections: u64,
    participants: u64,
    evidence: u64,
    hazards: u64,
    steps: u64,
    implementations: u64,
    attachments: u64,
}

impl Batch {
    async fn flush<C: sea_orm::ConnectionTrait>(
        &mut self,
        txn: &C,
        n: &mut Counts,
    ) -> AppResult<()> {
        n.inspections += insert_chunked(txn, std::mem::take(&mut self.inspections)).await?;
        n.participants += insert_chunked(txn, std::mem::take(&mut self.participants)).await?;
        n.evidence += insert_chunked(txn, std::mem::take(&mut self.evidence)).await?;
        n.hazards += insert_chunked(txn, std::mem::take(&mut self.hazards)).await?;
        n.steps += insert_chunked(txn, std::mem::take(&mut self.steps)).await?;
        n.implementations += insert_chunked(txn, std::mem::take(&mut self.implementations)).await?;
        n.attachments += insert_chunked(txn, std::mem::take(&mut self.attachments)).await?;
        Ok(())
    }
}

/// One inspection as generated, before its hazards.
struct Made {
    id: Uuid,
    project: usize,
    kind: InspectionKind,
    at: DateTime<Utc>,
    recorded_by: Option<Uuid>,
    /// The recorder's enterprise (self-checks).
    enterprise: Option<Uuid>,
    /// When the enterprise may first see it (covert: its publication; else its recording).
    visible_from: Option<DateTime<Utc>>,
}

/// Inspections per batch (each batch is one round of inserts).
const BATCH: usize = 2_000;
/// Batches per transaction.
const BATCHES_PER_TXN: usize = 25;

/// Loads the volume (see the module docs).
pub async fn seed(k: &Kernel, volume: &Volume) -> AppResult<Loaded> {
    let d = district(k).await?;
    if d.projects.is_empty() {
        return Ok(Vec::new());
    }
    let mut rng = volume.rng("inspections");
    let mut photos = Vec::new();
    for i in 0..3u8 {
        photos.push(
            k.attachments
                .put_unreferenced(bytes::Bytes::from(photo_bytes(i)))
                .await?,
        );
    }
    let photo_size = i64::try_from(photo_bytes(0).len()).unwrap_or(0);
    let per = hazards_per_inspection(&mut rng, volume.inspections, volume.hazards);
    let cal = k.calendar();
    let anchor = volume.anchor();
    let mut n = Counts::default();
    let mut batch = Batch::default();
    let mut w = k.db.begin_write().await?;
    let mut batches = 0usize;
    for (i, found) in per.iter().enumerate() {
        let made = inspection_row(&mut rng, &d, volume, &mut batch);
        for h in 0..*found {
            hazard_rows(
                &mut rng, &d, &made, h, &cal, anchor, &photos, photo_size, &mut batch,
            );
        }
        finish_inspection(&mut batch, &made, *found);
        if (i + 1).is_multiple_of(BATCH) {
            batch.flush(&*w, &mut n).await?;
            batches += 1;
            if batches.is_multiple_of(BATCHES_PER_TXN) {
                w.commit().await?;
                w = k.db.begin_write().await?;
            }
        }
    }
    batch.flush(&*w, &mut n).await?;
    let actions = enforcement_rows(&mut rng, &d, volume);
    let n_actions = insert_chunked(&*w, actions).await?;
    w.commit().await?;
    Ok(vec![
        ("enforcement_action", n_actions),
        ("inspection", n.inspections),
        ("inspection_participant", n.participants),
        ("obligation_evidence (inspections)", n.evidence),
        ("hazard", n.hazards),
        ("hazard_step", n.steps),
        ("hazard_implementation", n.implementations),
        ("attachment (Hazard)", n.attachments),
    ])
}

/// Generates one inspection with its evidence and confirmations into `b`; its result and
/// findings are set by [`finish_inspection`] once its hazards are known.
fn inspection_row(rng: &mut StdRng, d: &District, volume: &Volume, b: &mut Batch) -> Made {
    let kind = weighted(rng, &KIND_WEIGHTS).unwrap_or(InspectionKind::SafetyManagerDaily);
    let pi = rng.gen_range(0..d.projects.len());
    let Some(p) = d.projects.get(pi) else {
        // Not reached: `pi` is below the length.
        return Made {
            id: Uuid::nil(),
            project: 0,
            kind,
            at: volume.anchor(),
            recorded_by: None,
            enterprise: None,
            visible_from: None,
        };
    };
    // A working hour of one of the past 365 days, local time.
    let day = rng.gen_range(1..=365i64);
    let at =
        volume.anchor() - Duration::days(day) + Duration::minutes(rng.gen_range(8 * 60..18 * 60));
    let created = at + Duration::minutes(rng.gen_range(5..120));
    let mut enterprise = None;
    let (recorder, listed): (Option<Uuid>, Vec<Uuid>) = if kind.is_self_check() {
        let role = match kind {
            InspectionKind::SafetyManagerDaily => Role::EnterpriseSafetyManager,
            InspectionKind::ProjectLeaderWeekly => Role::EnterpriseProjectLeader,
            _ => Role::EnterpriseManager,
        };
        let builders: Vec<Uuid> = d
            .participants
            .get(&p.id)
            .map(|v| {
                v.iter()
                    .filter(|(_, r)| {
                        matches!(
                            r,
                            ParticipantRole::Contractor | ParticipantRole::Subcontractor
                        )
                    })
                    .map(|(e, _)| *e)
                    .collect()
            })
            .unwrap_or_default();
        enterprise = pick(rng, &builders).copied();
        let people: Vec<Uuid> = enterprise
            .and_then(|e| d.enterprise_people.get(&e))
            .map(|v| {
                v.iter()
                    .filter(|(_, roles)| roles.contains(&role))
                    .map(|(a, _)| *a)
                    .collect()
            })
            .unwrap_or_default();
        let me = pick(rng, &people).copied();
        (me, me.into_iter().collect())
    } else {
        let me = match kind {
            InspectionKind::LeadershipSupervision => pick(rng, &d.leaders).copied(),
            InspectionKind::DepartmentSupervision => {
                pick(rng, &d.department_staff).map(|(a, _)| *a)
            }
            _ => pick(rng, &d.inspectors).copied(),
        }
        .or_else(|| d.inspectors.first().copied());
        let mut listed: Vec<Uuid> = me.into_iter().collect();
        let township: &[Uuid] = d
            .township_staff
            .get(&p.township_id)
            .map_or(&[], Vec::as_slice);
        for _ in 0..rng.gen_range(0..=2) {
            let other = match (kind, rng.gen_range(0..3)) {
                (InspectionKind::Expert, _) => pick(rng, &d.experts),
                (_, 0) => pick(rng, township),
                _ => pick(rng, &d.inspectors),
            };
            if let Some(o) = other.copied()
                && !listed.contains(&o)
            {
                listed.push(o);
            }
        }
        (me, listed)
    };
    let id = id_at(rng, created);
    let covert = kind == InspectionKind::Covert;
    let published_at = if covert && day > COVERT_HIDDEN_DAYS {
        Some(created + Duration::days(rng.gen_range(3..COVERT_HIDDEN_DAYS)))
    } else {
        None
    };
    let jitter = |rng: &mut StdRng, e6: Option<i32>| {
        e6.map(|v| f64::from(v) / 1e6 + f64::from(rng.gen_range(-500..500)) / 1e6)
    };
    let latitude = jitter(rng, p.latitude_e6);
    let longitude = jitter(rng, p.longitude_e6);
    b.inspections.push(inspection::ActiveModel {
        id: Set(id),
        project_id: Set(p.id),
        township_id: Set(p.township_id),
        kind: Set(kind),
        inspected_at: Set(at),
        latitude: Set(latitude.filter(|_| longitude.is_some())),
        longitude: Set(longitude.filter(|_| latitude.is_some())),
        inspector_ids: Set(serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into())),
        findings: Set(String::new()),
        result: Set(InspectionResult::NoProblem),
        template_code: Set(None),
        template_version: Set(None),
        answers: Set(None),
        scorecard: Set(None),
        score_centi: Set(None),
        covert: Set(covert),
        published_at: Set(published_at),
        recorded_by: Set(recorder),
        created_at: Set(created),
        late: Set(false),
    });
    // Evidence, as `record` and `credit_supervision` write it.
    let period_end = Period::containing_instant(period_kind(kind), at).end_utc();
    let mut proofs: Vec<obligation_evidence::ActiveModel> = Vec::new();
    let mut evidence = |rng: &mut StdRng, code: &str, subject: Uuid, when: DateTime<Utc>| {
        proofs.push(obligation_evidence::ActiveModel {
            id: Set(id_at(rng, when)),
            obligation: Set(code.to_owned()),
            subject_id: Set(subject),
            occurred_at: Set(at),
            record_type: Set("Inspection".to_owned()),
            record_id: Set(id),
        });
    };
    if let Some(code) = ob::self_check_obligation(kind) {
        evidence(rng, code, p.id, created);
    }
    let mut credited_units: Vec<Uuid> = Vec::new();
    let mut credit = |rng: &mut StdRng, account: Uuid, when: DateTime<Utc>| {
        if when >= period_end {
            return;
        }
        match kind {
            InspectionKind::LeadershipSupervision if d.leaders.contains(&account) => {
                evidence(rng, ob::LEADER_MONTHLY.code, account, when);
            }
            InspectionKind::DepartmentSupervision => {
                if let Some((_, unit)) = d.department_staff.iter().find(|(a, _)| *a == account)
                    && !credited_units.contains(unit)
                {
                    credited_units.push(*unit);
                    evidence(rng, ob::DEPARTMENT_WEEKLY.code, *unit, when);
                }
            }
            _ => {}
        }
    };
    if let Some(me) = recorder {
        credit(rng, me, created);
    }
    // Listed inspectors other than the recorder confirm their part, most of them within a day.
    for other in listed.iter().filter(|a| Some(**a) != recorder) {
        if rng.gen_range(0..10) == 0 {
            continue;
        }
        let when = created + Duration::minutes(rng.gen_range(10..24 * 60));
        if when >= volume.anchor() {
            continue;
        }
        b.participants.push(inspection_participant::ActiveModel {
            id: Set(id_at(rng, when)),
            inspection_id: Set(id),
            account_id: Set(*other),
            confirmed_at: Set(when),
        });
        credit(rng, *other, when);
    }
    b.evidence.extend(proofs);
    Made {
        id,
        project: pi,
        kind,
        at: created,
        recorded_by: recorder,
        enterprise,
        visible_from: if covert { published_at } else { Some(created) },
    }
}

/// Sets the last inspection's findings and result from the number of hazards it found.
fn finish_inspection(b: &mut Batch, made: &Made, found: u32) {
    let Some(row) = b.inspections.last_mut() else {
        return;
    };
    let clean = FINDINGS_CLEAN
        .get(made.id.as_bytes()[15] as usize % FINDINGS_CLEAN.len())
        .copied()
        .unwrap_or("现场检查未发现问题");
    if found == 0 {
        row.findings = Set(clean.to_owned());
        row.result = Set(InspectionResult::NoProblem);
    } else {
        row.findings = Set(format!("发现隐患{found}处，已责令限期整改"));
        row.result = Set(InspectionResult::Rectify);
    }
}

/// One step of a hazard's timeline.
struct Step {
    action: RectificationAction,
    from: Option<HazardStatus>,
    to: HazardStatus,
    actor: Option<Uuid>,
    comment: String,
    at: DateTime<Utc>,
    photos: u32,
}

/// Generates one hazard of `made` with its steps, implementations and photos into `b`.
#[allow(clippy::too_many_arguments)]
fn hazard_rows(
    rng: &mut StdRng,
    d: &District,
    made: &Made,
    ordinal: u32,
    cal: &jianan_kernel::calendar::WorkCalendar,
    anchor: DateTime<Utc>,
    photos: &[String],
    photo_size: i64,
    b: &mut Batch,
) {
    let Some(p) = d.projects.get(made.project) else {
        return;
    };
    let major_share = if made.kind.is_self_check() { 5 } else { 30 };
    let level = if rng.gen_range(0..1000) < major_share {
        HazardLevel::Major
    } else {
        HazardLevel::General
    };
    let (class, description) = match level {
        HazardLevel::General => {
            let g = ALL_GENERAL[rng.gen_range(0..ALL_GENERAL.len())];
            let phrase = PHRASES[rng.gen_range(0..PHRASES.len())];
            (
                classify(level, Some(g.code()), None),
                format!("{}：{phrase}", g.label_zh()),
            )
        }
        HazardLevel::Major => {
            let all = criteria();
            let c = &all[rng.gen_range(0..all.len())];
            let code = c.code();
            (
                classify(level, None, Some(&code)),
                c.text.chars().take(2000).collect(),
            )
        }
    };
    let Ok(class) = class else {
        return; // not reached: the category and criterion come from the rules' own lists
    };
    let location = LOCATIONS[rng.gen_range(0..LOCATIONS.len())].to_owned();
    let reported_at = made.at + Duration::seconds(i64::from(ordinal));
    let id = id_at(rng, reported_at);
    let participants: &[(Uuid, ParticipantRole)] =
        d.participants.get(&p.id).map_or(&[], Vec::as_slice);
    let commission = pick(rng, &d.inspectors).copied();
    let township_staff: &[Uuid] = d
        .township_staff
        .get(&p.township_id)
        .map_or(&[], Vec::as_slice);
    // Who acts for the commission on this hazard: the reporter for its own inspections, the
    // township or an inspector for an enterprise's self-check hazard.
    let overseer = if made.kind.is_self_check() {
        pick(rng, township_staff).copied().or(commission)
    } else {
        made.recorded_by.or(commission)
    };
    let people_of = |e: Uuid| -> Vec<Uuid> {
        d.enterprise_people
            .get(&e)
            .map(|v| v.iter().map(|(a, _)| *a).collect())
            .unwrap_or_default()
    };

    let mut steps = vec![Step {
        action: RectificationAction::Report,
        from: None,
        to: HazardStatus::Reported,
        actor: made.recorded_by,
        comment: String::new(),
        at: reported_at,
        photos: 0,
    }];
    let mut status = HazardStatus::Reported;
    let mut responsible: Option<Uuid> = None;
    let mut person: Option<String> = None;
    let mut deadline_days: Option<i32> = None;
    let mut deadline_at: Option<DateTime<Utc>> = None;
    let mut supervising: Option<(Uuid, DateTime<Utc>, DateTime<Utc>)> = None;
    let mut accepted: Option<(DateTime<Utc>, Option<Uuid>)> = None;
    let mut closed_at = None;
    let mut overdue_at = None;
    let mut fixed_on_spot = false;
    let mut implementations_at: Option<(DateTime<Utc>, Option<Uuid>)> = None;
    let visible = made.visible_from.is_some_and(|v| v < anchor);

    // Hidden hazards of an unpublished covert inspection stay as reported.
    let outcome = if visible {
        weighted(rng, &OUTCOME_WEIGHTS).unwrap_or(HazardStatus::Reported)
    } else {
        HazardStatus::Reported
    };
    let start_from = made.visible_from.unwrap_or(reported_at).max(reported_at);
    let on_spot = visible
        && level == HazardLevel::General
        && made.kind.is_self_check()
        && made.enterprise.is_some()
        && made.recorded_by.is_some()
        && outcome == HazardStatus::Closed
        && rng.gen_range(0..10) < 4;
    let push = |steps: &mut Vec<Step>,
                status: &mut HazardStatus,
                action: RectificationAction,
                to: HazardStatus,
                actor: Option<Uuid>,
                comment: String,
                at: DateTime<Utc>,
                photos: u32|
     -> bool {
        if at >= anchor {
            return false;
        }
        steps.push(Step {
            action,
            from: Some(*status),
            to,
            actor,
            comment,
            at,
            photos,
        });
        *status = to;
        true
    };
    if on_spot {
        let at = reported_at + Duration::minutes(rng.gen_range(10..90));
        let before = rng.gen_range(1..=2);
        let after = rng.gen_range(1..=2);
        if push(
            &mut steps,
            &mut status,
            RectificationAction::FixOnSpot,
            HazardStatus::Closed,
            made.recorded_by,
            format!("已当场整改完毕（整改前照片{before}张，整改后照片{after}张）"),
            at,
            before + after,
        ) {
            fixed_on_spot = true;
            responsible = made.enterprise;
            closed_at = Some(at);
        }
    } else if outcome == HazardStatus::Voided {
        let at = start_from + Duration::hours(rng.gen_range(2..96));
        push(
            &mut steps,
            &mut status,
            RectificationAction::Void,
            HazardStatus::Voided,
            overseer,
            "经核实为重复上报，予以作废".to_owned(),
            at,
            0,
        );
    } else if outcome != HazardStatus::Reported {
        let mut t = start_from;
        // A major hazard is listed for supervision first (挂牌督办).
        if level == HazardLevel::Major
            && let Some(unit) = pick(rng, &d.supervisors).copied()
        {
            let at = t + Duration::hours(rng.gen_range(1..24));
            let until = to_shanghai(at).date_naive() + chrono::Days::new(30);
            let same = status;
            if push(
                &mut steps,
                &mut status,
                RectificationAction::Supervise,
                same,
                commission,
                format!("督办期限：{until}；请按期完成整改"),
                at,
                0,
            ) {
                supervising = Some((unit, end_of_local_day_utc(until), at));
            }
            t = at;
        }
        let mut go = true;
        // ASSIGN
        let enterprise = {
            let builders: Vec<Uuid> = participants
                .iter()
                .filter(|(_, r)| *r == ParticipantRole::Contractor)
                .map(|(e, _)| *e)
                .collect();
            if rng.gen_range(0..10) < 7 && !builders.is_empty() {
                pick(rng, &builders).copied()
            } else {
                pick(rng, participants).map(|(e, _)| *e)
            }
        };
        let Some(enterprise) = enterprise else {
            return;
        };
        let days: u32 = if level == HazardLevel::Major {
            rng.gen_range(15..=30)
        } else {
            rng.gen_range(3..=15)
        };
        let name = format!(
            "{}{}",
            SURNAMES[rng.gen_range(0..SURNAMES.len())],
            GIVEN[rng.gen_range(0..GIVEN.len())]
        );
        let assign_at = t + Duration::minutes(rng.gen_range(30..48 * 60));
        if push(
            &mut steps,
            &mut status,
            RectificationAction::Assign,
            HazardStatus::Assigned,
            overseer,
            format!("责任人：{name}；期限：{days}个工作日"),
            assign_at,
            0,
        ) {
            responsible = Some(enterprise);
            person = Some(name);
            deadline_days = i32::try_from(days).ok();
            deadline_at = Some(cal.deadline_instant(assign_at, days));
            t = assign_at;
        } else {
            go = false;
        }
        let people = people_of(enterprise);
        let worker = pick(rng, &people).copied();
        let deadline = deadline_at.unwrap_or(t);
        // A major hazard's five implementations come before START (五落实).
        if go && level == HazardLevel::Major {
            let at = t + Duration::hours(rng.gen_range(2..48));
            if at < anchor {
                implementations_at = Some((at, worker));
                t = at;
            } else {
                go = false;
            }
        }
        if go && outcome != HazardStatus::Assigned {
            let at = t + Duration::minutes(rng.gen_range(60..72 * 60));
            go = push(
                &mut steps,
                &mut status,
                RectificationAction::Start,
                HazardStatus::Rectifying,
                worker,
                "已组织人员开始整改".to_owned(),
                at,
                0,
            );
            t = at;
        }
        if go && matches!(outcome, HazardStatus::Submitted | HazardStatus::Closed) {
            // Most submit before the deadline; one in seven is late.
            let span = (deadline - t).num_minutes().max(60);
            let at = if rng.gen_range(0..7) == 0 {
                deadline + Duration::minutes(rng.gen_range(60..7 * 24 * 60))
            } else {
                t + Duration::minutes(rng.gen_range(30..=span))
            };
            go = push(
                &mut steps,
                &mut status,
                RectificationAction::Submit,
                HazardStatus::Submitted,
                worker,
                "已按要求整改完毕，附整改后照片".to_owned(),
                at,
                rng.gen_range(1..=3),
            );
            t = at;
            // One in twenty is sent back once, then submitted again.
            if go && outcome == HazardStatus::Closed && rng.gen_range(0..20) == 0 {
                let back = t + Duration::hours(rng.gen_range(2..72));
                if push(
                    &mut steps,
                    &mut status,
                    RectificationAction::Reject,
                    HazardStatus::Rectifying,
                    overseer,
                    "整改不到位，请继续整改".to_owned(),
                    back,
                    0,
                ) {
                    let again = back + Duration::hours(rng.gen_range(4..96));
                    go = push(
                        &mut steps,
                        &mut status,
                        RectificationAction::Submit,
                        HazardStatus::Submitted,
                        worker,
                        "已重新整改，附整改后照片".to_owned(),
                        again,
                        rng.gen_range(1..=3),
                    );
                    t = again;
                } else {
                    go = false;
                }
            }
        }
        if go && outcome == HazardStatus::Closed {
            if level == HazardLevel::Major {
                let at = t + Duration::hours(rng.gen_range(4..120));
                go = push(
                    &mut steps,
                    &mut status,
                    RectificationAction::Accept,
                    HazardStatus::Submitted,
                    commission,
                    "现场验收合格".to_owned(),
                    at,
                    1,
                );
                if go {
                    accepted = Some((at, commission));
                    t = at;
                }
            }
            if go {
                let at = t + Duration::hours(rng.gen_range(2..120));
                let verifier = if level == HazardLevel::Major {
                    commission
                } else {
                    made.recorded_by.or(overseer)
                };
                if push(
                    &mut steps,
                    &mut status,
                    RectificationAction::Verify,
                    HazardStatus::Closed,
                    verifier,
                    "复查合格，同意销号".to_owned(),
                    at,
                    0,
                ) {
                    closed_at = Some(at);
                }
            }
        }
        // The overdue job stamps a hazard the enterprise held past its deadline (first run after
        // the deadline: within minutes), whether or not it was submitted later.
        if let Some(deadline) = deadline_at {
            let held_until = steps
                .iter()
                .find(|s| s.action == RectificationAction::Submit)
                .map(|s| s.at)
                .unwrap_or(anchor);
            if deadline < held_until {
                let stamp = deadline + Duration::minutes(5);
                overdue_at = Some(stamp.min(held_until));
            }
        }
    }

    // Photos: attachments of the hazard, named on the steps that needed them.
    let mut last = reported_at;
    let uploader = |s: &Step| s.actor;
    for s in &steps {
        let mut ids = Vec::new();
        for k in 0..s.photos {
            let at = s.at - Duration::minutes(i64::from(s.photos - k));
            let pid = id_at(rng, at);
            let sha = photos
                .get((k as usize + ordinal as usize) % photos.len().max(1))
                .cloned()
                .unwrap_or_default();
            let name = match s.action {
                RectificationAction::FixOnSpot if k == 0 => "整改前.png".to_owned(),
                RectificationAction::Accept => "验收.png".to_owned(),
                _ => format!("整改后{}.png", k + 1),
            };
            b.attachments.push(attachment::ActiveModel {
                id: Set(pid),
                sha256: Set(sha),
                size_bytes: Set(photo_size),
                media_type: Set("image/png".to_owned()),
                file_name: Set(name),
                owner_type: Set("Hazard".to_owned()),
                owner_id: Set(id),
                uploaded_by: Set(uploader(s)),
                created_at: Set(at),
            });
            ids.push(pid);
        }
        b.steps.push(hazard_step::ActiveModel {
            id: Set(id_at(rng, s.at)),
            hazard_id: Set(id),
            action: Set(s.action),
            from_status: Set(s.from),
            to_status: Set(s.to),
            actor_id: Set(s.actor),
            comment: Set(s.comment.clone()),
            at: Set(s.at),
            photo_ids: Set(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())),
        });
        last = last.max(s.at);
    }
    if let Some((at, by)) = implementations_at {
        for (i, kind) in Implementation::ALL.iter().enumerate() {
            b.implementations.push(hazard_implementation::ActiveModel {
                hazard_id: Set(id),
                kind: Set(*kind),
                content: Set(implementation_text(*kind).to_owned()),
                recorded_by: Set(by),
                recorded_at: Set(at - Duration::minutes(i64::try_from(5 - i).unwrap_or(0))),
            });
        }
        last = last.max(at);
    }
    b.hazards.push(hazard::ActiveModel {
        id: Set(id),
        project_id: Set(p.id),
        township_id: Set(p.township_id),
        inspection_id: Set(Some(made.id)),
        level: Set(level),
        category: Set(class.category),
        criterion: Set(class.criterion),
        fixed_on_spot: Set(fixed_on_spot),
        supervising_unit_id: Set(supervising.map(|s| s.0)),
        supervision_deadline_at: Set(supervising.map(|s| s.1)),
        supervision_listed_at: Set(supervising.map(|s| s.2)),
        accepted_at: Set(accepted.map(|a| a.0)),
        accepted_by: Set(accepted.and_then(|a| a.1)),
        extension_days: Set(None),
        extension_reason: Set(None),
        extension_requested_at: Set(None),
        description: Set(description),
        location: Set(location),
        status: Set(status),
        responsible_enterprise_id: Set(responsible),
        responsible_person: Set(person),
        deadline_working_days: Set(deadline_days),
        deadline_at: Set(deadline_at),
        visible_to_enterprise: Set(visible),
        reported_by: Set(made.recorded_by),
        reported_at: Set(reported_at),
        closed_at: Set(closed_at),
        overdue_at: Set(overdue_at),
        // One per step, and one per implementation recorded (each claims the hazard's version).
        version: Set(i32::try_from(
            steps.len() + implementations_at.map_or(0, |_| Implementation::ALL.len()),
        )
        .unwrap_or(1)),
        created_at: Set(reported_at),
        updated_at: Set(last),
    });
}

/// Kinds of enforcement action per hundred (stop-work and resume orders, which change a
/// project's status, and penalties, which open a penalty procedure, are left to the demo).
pub const ENFORCEMENT_WEIGHTS: [(EnforcementKind, u32); 4] = [
    (EnforcementKind::CreditDeduction, 45),
    (EnforcementKind::WarningInterview, 25),
    (EnforcementKind::Circular, 20),
    (EnforcementKind::PublicExposure, 10),
];

/// One enforcement action for every two credit records of the volume, against a builder of a
/// project (and, one time in six, its project leader by name), issued by a commission inspector
/// over the past year — what `issueEnforcementAction` stores. The credit module derives its
/// deductions and bad records from these rows (`jianan_credit::volume`), as it would from the
/// `inspections.enforcement_issued` events a bulk load does not publish.
fn enforcement_rows(
    rng: &mut StdRng,
    d: &District,
    volume: &Volume,
) -> Vec<crate::entity::enforcement_action::ActiveModel> {
    use crate::entity::enforcement_action as ea;
    let mut rows = Vec::new();
    for _ in 0..volume.credit_records / 2 {
        let Some(p) = pick(rng, &d.projects) else {
            break;
        };
        let builders: Vec<Uuid> = d
            .participants
            .get(&p.id)
            .map(|v| {
                v.iter()
                    .filter(|(_, r)| *r == ParticipantRole::Contractor)
                    .map(|(e, _)| *e)
                    .collect()
            })
            .unwrap_or_default();
        let Some(target) = pick(rng, &builders).copied() else {
            continue;
        };
        let kind = weighted(rng, &ENFORCEMENT_WEIGHTS).unwrap_or(EnforcementKind::WarningInterview);
        let at = volume.ago(rng.gen_range(86_400..365 * 86_400));
        let person = (rng.gen_range(0..6) == 0).then(|| {
            format!(
                "{}{}",
                SURNAMES[rng.gen_range(0..SURNAMES.len())],
                GIVEN[rng.gen_range(0..GIVEN.len())]
            )
        });
        rows.push(ea::ActiveModel {
            id: Set(id_at(rng, at)),
            kind: Set(kind),
            legal_basis: Set("《建设工程安全生产管理条例》第二十一条、第六十二条".to_owned()),
            description: Set("施工现场安全隐患整改逾期未完成，安全生产责任制落实不到位".to_owned()),
            target_enterprise_id: Set(Some(target)),
            target_person: Set(person),
            project_id: Set(Some(p.id)),
            township_id: Set(Some(p.township_id)),
            points: Set((kind == EnforcementKind::CreditDeduction).then(|| rng.gen_range(1..=10))),
            penalty_fen: Set(None),
            hazard_ids: Set("[]".to_owned()),
            inspection_ids: Set("[]".to_owned()),
            issued_by: Set(pick(rng, &d.inspectors).copied()),
            issued_at: Set(at),
        });
    }
    rows
}

fn implementation_text(kind: Implementation) -> &'static str {
    match kind {
        Implementation::Responsibility => "项目经理为整改第一责任人，安全员具体负责",
        Implementation::Measures => "按专项方案加固并经验收",
        Implementation::Funds => "整改资金由施工单位安全生产费用列支",
        Implementation::Deadline => "在督办期限内完成整改",
        Implementation::ContingencyPlan => "整改期间设置警戒区，落实应急预案",
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hazards_are_spread_over_two_in_five_inspections_and_sum_exactly() {
        let mut rng = StdRng::seed_from_u64(7);
        let per = hazards_per_inspection(&mut rng, 1_000, 2_000);
        assert_eq!(per.iter().map(|c| *c as usize).sum::<usize>(), 2_000);
        let finding = per.iter().filter(|c| **c > 0).count();
        assert!((300..=400).contains(&finding), "{finding}");
    }

    #[test]
    fn outcomes_cover_every_state_of_the_state_machine_in_their_proportions() {
        use sea_orm::Iterable;
        let mut rng = StdRng::seed_from_u64(11);
        let mut seen: HashMap<HazardStatus, u32> = HashMap::new();
        for _ in 0..10_000 {
            let s = weighted(&mut rng, &OUTCOME_WEIGHTS).expect("weights");
            *seen.entry(s).or_default() += 1;
        }
        for s in HazardStatus::iter() {
            assert!(seen.get(&s).copied().unwrap_or(0) > 0, "{s:?} missing");
        }
        let closed = seen.get(&HazardStatus::Closed).copied().unwrap_or(0);
        assert!((7_700..=8_300).contains(&closed), "{closed}");
        let kinds: u32 = KIND_WEIGHTS.iter().map(|(_, w)| w).sum();
        assert_eq!(kinds, 1_000);
        let outcomes: u32 = OUTCOME_WEIGHTS.iter().map(|(_, w)| w).sum();
        assert_eq!(outcomes, 1_000);
    }

    #[test]
    fn every_generated_classification_is_accepted_by_the_rules() {
        for g in ALL_GENERAL {
            assert!(classify(HazardLevel::General, Some(g.code()), None).is_ok());
        }
        for c in criteria() {
            assert!(classify(HazardLevel::Major, None, Some(&c.code())).is_ok());
        }
    }
}
