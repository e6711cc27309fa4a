//! The inspections module's GraphQL input objects, and their conversion to the services' plain
//! inputs: global IDs are decoded here, and a malformed one is a `BAD_USER_INPUT` naming the input
//! field.
use async_graphql::{ID, InputObject};
use chrono::{DateTime, Utc};
use jianan_entity::enums::ProjectStatus;
use jianan_kernel::AppError;
use jianan_kernel::relay::decode_id;
use jianan_kernel::scalars::{Date, Fen};
use uuid::Uuid;

use crate::entity::enums::{
    EnforcementKind, HazardLevel, Implementation, InspectionKind, InspectionResult, PublicityKind,
};
use crate::service::draw::{AssignmentRef, DrawConflict, NewRandomDraw};
use crate::service::enforcement::NewEnforcementAction;
use crate::service::hazard::{
    ExtensionDecision, ExtensionRequest, HazardAssignment, HazardReclassification, HazardReport,
    HazardVoiding, ImplementationRecord, OnSpotFix, RectificationStep, SupervisionListing,
};
use crate::service::inspection::{
    Checklist, ChecklistItem, ChecklistSheet, FoundHazard, NewInspection,
};
use crate::service::publicity::{NewPublicityItem, PublicityConfirmation};

/// Decodes a list of global IDs of `type_name` given in input field `field`.
fn ids(list: &[ID], type_name: &str, field: &str) -> Result<Vec<Uuid>, AppError> {
    list.iter()
        .map(|i| decode_id(i, type_name, field))
        .collect()
}

/// Decodes an optional global ID of `type_name` given in input field `field`.
fn optional_id(id: Option<&ID>, type_name: &str, field: &str) -> Result<Option<Uuid>, AppError> {
    id.map(|id| decode_id(id, type_name, field)).transpose()
}

/// 上报隐患 — input of `reportHazard`.
#[derive(Debug, InputObject)]
pub struct ReportHazardInput {
    /// 所在项目 (project global ID)
    pub project_id: ID,
    /// 隐患等级 (level)
    pub level: HazardLevel,
    /// 隐患类别代码：一般隐患为 JGJ 59 检查项目（见 generalHazardCategories），重大隐患可省略（由条款确定）
    /// (category code: a JGJ 59 item for a general hazard, see generalHazardCategories; optional
    /// for a major one, implied by its criterion)
    pub category: Option<String>,
    /// 重大事故隐患所符合的判定标准条款代码，如 SCAFFOLDING-2（见 hazardCriteria）；重大隐患必填
    /// (the condition of the 2024 criteria a major hazard meets, see hazardCriteria; required for
    /// a major hazard)
    pub criterion: Option<String>,
    /// 隐患描述 (description)
    pub description: String,
    /// 具体部位 (location on site)
    pub location: String,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<ReportHazardInput> for HazardReport {
    type Error = AppError;
    fn try_from(i: ReportHazardInput) -> Result<Self, AppError> {
        Ok(HazardReport {
            project_id: decode_id(&i.project_id, "Project", "projectId")?,
            level: i.level,
            category: i.category,
            criterion: i.criterion,
            description: i.description,
            location: i.location,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 交办隐患 — input of `assignHazard`.
#[derive(Debug, InputObject)]
pub struct AssignHazardInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 整改责任企业 (responsible enterprise; must take part in the project)
    pub responsible_enterprise_id: ID,
    /// 整改责任人 (responsible person)
    pub responsible_person: String,
    /// 整改期限（工作日）(deadline in working days)
    pub deadline_working_days: i32,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<AssignHazardInput> for HazardAssignment {
    type Error = AppError;
    fn try_from(i: AssignHazardInput) -> Result<Self, AppError> {
        Ok(HazardAssignment {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            responsible_enterprise_id: decode_id(
                &i.responsible_enterprise_id,
                "Enterprise",
                "responsibleEnterpriseId",
            )?,
            responsible_person: i.responsible_person,
            deadline_working_days: i.deadline_working_days,
            expected_version: i.expected_version,
        })
    }
}

/// 记录五落实 — input of `recordHazardImplementation`.
#[derive(Debug, InputObject)]
pub struct RecordHazardImplementationInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 哪一项落实 (which implementation)
    pub kind: Implementation,
    /// 落实内容 (what was put in place)
    pub content: String,
}

impl TryFrom<RecordHazardImplementationInput> for ImplementationRecord {
    type Error = AppError;
    fn try_from(i: RecordHazardImplementationInput) -> Result<Self, AppError> {
        Ok(ImplementationRecord {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            kind: i.kind,
            content: i.content,
        })
    }
}

/// 整改环节 — input of `startRectification`, `submitRectification`, `verifyRectification` and
/// `rejectRectification`.
#[derive(Debug, InputObject)]
pub struct RectificationStepInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 说明：整改情况、复查意见或退回理由 (what was done, the verdict, or why it is rejected)
    #[graphql(default)]
    pub comment: String,
    /// 照片：先上传到该隐患的图片附件（提交整改、销号验收至少1张）(photos: image attachments
    /// uploaded to the hazard first; at least one to submit a rectification or accept one)
    #[graphql(default)]
    pub photo_ids: Vec<ID>,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<RectificationStepInput> for RectificationStep {
    type Error = AppError;
    fn try_from(i: RectificationStepInput) -> Result<Self, AppError> {
        Ok(RectificationStep {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            comment: i.comment,
            photo_ids: ids(&i.photo_ids, "Attachment", "photoIds")?,
            expected_version: i.expected_version,
        })
    }
}

/// 现场整改 — input of `fixHazardOnSpot`.
#[derive(Debug, InputObject)]
pub struct FixHazardOnSpotInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 整改情况 (what was done)
    pub comment: String,
    /// 整改前照片（至少1张，先上传到该隐患）(photos before, at least one, uploaded to the hazard)
    pub before_photo_ids: Vec<ID>,
    /// 整改后照片（至少1张）(photos after, at least one)
    pub after_photo_ids: Vec<ID>,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<FixHazardOnSpotInput> for OnSpotFix {
    type Error = AppError;
    fn try_from(i: FixHazardOnSpotInput) -> Result<Self, AppError> {
        Ok(OnSpotFix {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            comment: i.comment,
            before_photo_ids: ids(&i.before_photo_ids, "Attachment", "beforePhotoIds")?,
            after_photo_ids: ids(&i.after_photo_ids, "Attachment", "afterPhotoIds")?,
            expected_version: i.expected_version,
        })
    }
}

/// 挂牌督办 — input of `superviseHazard`.
#[derive(Debug, InputObject)]
pub struct SuperviseHazardInput {
    /// 隐患全局编号（重大事故隐患）(hazard global ID; a major hazard)
    pub id: ID,
    /// 督办单位全局编号（委机关、委内科室或乡镇街道）(supervising org unit)
    pub supervising_unit_id: ID,
    /// 督办期限（北京时间，当日24时止）(deadline date, until 24:00 Beijing time)
    pub deadline: Date,
    /// 督办要求 (what is required)
    pub comment: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<SuperviseHazardInput> for SupervisionListing {
    type Error = AppError;
    fn try_from(i: SuperviseHazardInput) -> Result<Self, AppError> {
        Ok(SupervisionListing {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            supervising_unit_id: decode_id(&i.supervising_unit_id, "OrgUnit", "supervisingUnitId")?,
            deadline: i.deadline.0,
            comment: i.comment,
            expected_version: i.expected_version,
        })
    }
}

/// 申请延期 — input of `requestHazardDeadlineExtension`.
#[derive(Debug, InputObject)]
pub struct RequestDeadlineExtensionInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 延长的工作日数（1–60，自现期限起算）(extra working days, 1–60, from the current deadline)
    pub extra_working_days: i32,
    /// 理由 (reason)
    pub reason: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<RequestDeadlineExtensionInput> for ExtensionRequest {
    type Error = AppError;
    fn try_from(i: RequestDeadlineExtensionInput) -> Result<Self, AppError> {
        Ok(ExtensionRequest {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            extra_working_days: i.extra_working_days,
            reason: i.reason,
            expected_version: i.expected_version,
        })
    }
}

/// 延期审批 — input of `decideHazardDeadlineExtension`.
#[derive(Debug, InputObject)]
pub struct DecideDeadlineExtensionInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 是否批准 (approve?)
    pub approve: bool,
    /// 意见（不批准时必填）(comment; required when refusing)
    #[graphql(default)]
    pub comment: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<DecideDeadlineExtensionInput> for ExtensionDecision {
    type Error = AppError;
    fn try_from(i: DecideDeadlineExtensionInput) -> Result<Self, AppError> {
        Ok(ExtensionDecision {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            approve: i.approve,
            comment: i.comment,
            expected_version: i.expected_version,
        })
    }
}

/// 作废隐患 — input of `voidHazard`.
#[derive(Debug, InputObject)]
pub struct VoidHazardInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 作废理由：误报、重复上报等 (why it is voided: reported in error, a duplicate…)
    pub reason: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<VoidHazardInput> for HazardVoiding {
    type Error = AppError;
    fn try_from(i: VoidHazardInput) -> Result<Self, AppError> {
        Ok(HazardVoiding {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            reason: i.reason,
            expected_version: i.expected_version,
        })
    }
}

/// 调整隐患等级 — input of `reclassifyHazard`.
#[derive(Debug, InputObject)]
pub struct ReclassifyHazardInput {
    /// 隐患全局编号 (hazard global ID)
    pub id: ID,
    /// 新等级（须与现等级不同）(the new level; must differ from the current one)
    pub level: HazardLevel,
    /// 调为一般隐患时的 JGJ 59 检查项目（省略则取最接近的项目）(the general category when made
    /// general; the nearest JGJ 59 item when omitted)
    pub category: Option<String>,
    /// 调为重大隐患时所符合的判定标准条款代码（必填）(the condition met; required when made major)
    pub criterion: Option<String>,
    /// 调整理由 (why: e.g. which criteria item it meets, or why it does not)
    pub reason: String,
    /// 期望的当前版本 (expected version)
    pub expected_version: Option<i32>,
}

impl TryFrom<ReclassifyHazardInput> for HazardReclassification {
    type Error = AppError;
    fn try_from(i: ReclassifyHazardInput) -> Result<Self, AppError> {
        Ok(HazardReclassification {
            hazard_id: decode_id(&i.id, "Hazard", "id")?,
            level: i.level,
            category: i.category,
            criterion: i.criterion,
            reason: i.reason,
            expected_version: i.expected_version,
        })
    }
}

/// 下达执法措施 — input of `issueEnforcementAction`.
#[derive(Debug, InputObject)]
pub struct IssueEnforcementActionInput {
    /// 措施类型 (kind)
    pub kind: EnforcementKind,
    /// 法律依据（条款原文或文号）(legal basis)
    pub legal_basis: String,
    /// 事实与处理说明 (facts and decision)
    pub description: String,
    /// 对象企业 (target enterprise)
    pub target_enterprise_id: Option<ID>,
    /// 对象个人（姓名、岗位）(target person)
    pub target_person: Option<String>,
    /// 所涉项目 (project)
    pub project_id: Option<ID>,
    /// 扣分分值（诚信扣分必填）(points, for CREDIT_DEDUCTION)
    pub points: Option<i32>,
    /// 罚款金额（分，字符串或整数，64位）(penalty in fen, for PENALTY; 64-bit safe)
    pub penalty_fen: Option<Fen>,
    /// 关联隐患 (linked hazards)
    #[graphql(default)]
    pub hazard_ids: Vec<ID>,
    /// 关联检查 (linked inspections)
    #[graphql(default)]
    pub inspection_ids: Vec<ID>,
    /// 幂等键：重试时返回首次结果且不重复发布事件 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<IssueEnforcementActionInput> for NewEnforcementAction {
    type Error = AppError;
    fn try_from(i: IssueEnforcementActionInput) -> Result<Self, AppError> {
        Ok(NewEnforcementAction {
            target_enterprise_id: optional_id(
                i.target_enterprise_id.as_ref(),
                "Enterprise",
                "targetEnterpriseId",
            )?,
            hazard_ids: ids(&i.hazard_ids, "Hazard", "hazardIds")?,
            inspection_ids: ids(&i.inspection_ids, "Inspection", "inspectionIds")?,
            project_id: optional_id(i.project_id.as_ref(), "Project", "projectId")?,
            kind: i.kind,
            legal_basis: i.legal_basis,
            description: i.description,
            target_person: i.target_person,
            points: i.points,
            penalty_fen: i.penalty_fen.map(|f| f.0),
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 回避 — an inspector who must not check a project.
#[derive(Debug, Clone, InputObject)]
pub struct DrawConflictInput {
    /// 检查人员账号 (inspector account)
    pub inspector_id: ID,
    /// 回避的项目 (project)
    pub project_id: ID,
}

/// 组织双随机抽查 — input of `createRandomDraw`.
#[derive(Debug, InputObject)]
pub struct CreateRandomDrawInput {
    /// 抽查名称，如“2026年第四季度在建项目双随机抽查” (title)
    pub title: String,
    /// 检查对象范围：乡镇（街道），不填为全区 (townships; all when empty)
    pub township_ids: Option<Vec<ID>>,
    /// 检查对象范围：项目状态，默认在建 (project statuses; default ACTIVE)
    pub project_statuses: Option<Vec<ProjectStatus>>,
    /// 检查人员名录 (the inspectors' pool: accounts)
    pub inspector_ids: Vec<ID>,
    /// 抽取对象数量 (how many projects to draw)
    pub target_count: i32,
    /// 每组检查人员数（至少2人）(inspectors per team, at least two)
    pub team_size: i32,
    /// 回避关系 (conflicts of interest)
    #[graphql(default)]
    pub conflicts: Vec<DrawConflictInput>,
    /// 公开后完成检查的期限（工作日，1到20：结果须在抽取后20个工作日内公示）(deadline in working
    /// days after publication, 1–20: the results are due 20 working days after the draw)
    pub deadline_working_days: i32,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<CreateRandomDrawInput> for NewRandomDraw {
    type Error = AppError;
    fn try_from(i: CreateRandomDrawInput) -> Result<Self, AppError> {
        Ok(NewRandomDraw {
            inspector_ids: ids(&i.inspector_ids, "Account", "inspectorIds")?,
            township_ids: i
                .township_ids
                .map(|t| ids(&t, "OrgUnit", "townshipIds"))
                .transpose()?,
            conflicts: i
                .conflicts
                .iter()
                .map(|c| {
                    Ok(DrawConflict {
                        inspector_id: decode_id(&c.inspector_id, "Account", "conflicts")?,
                        project_id: decode_id(&c.project_id, "Project", "conflicts")?,
                    })
                })
                .collect::<Result<_, AppError>>()?,
            title: i.title,
            project_statuses: i.project_statuses,
            target_count: i.target_count,
            team_size: i.team_size,
            deadline_working_days: i.deadline_working_days,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 公示抽查结果 — input of `publishDrawResults`.
#[derive(InputObject)]
pub struct PublishDrawResultsInput {
    /// 抽查全局编号 (draw global ID)
    pub id: ID,
}

/// 双随机抽查任务 — the assignment (draw + drawn project) a DOUBLE_RANDOM inspection carries out.
#[derive(Debug, Clone, InputObject)]
pub struct DrawAssignmentInput {
    /// 抽查全局编号 (draw global ID)
    pub draw_id: ID,
    /// 抽中的项目全局编号，须与检查的项目相同 (the drawn project; the inspection's project)
    pub project_id: ID,
}

/// 抽取或公开 — input of `executeRandomDraw` and `publishRandomDraw`.
#[derive(InputObject)]
pub struct RandomDrawStepInput {
    /// 抽查全局编号 (draw global ID)
    pub id: ID,
}

/// 检查表条目 — one item's answer.
#[derive(Debug, Clone, InputObject)]
pub struct ChecklistItemInput {
    /// 条目序号（模板中的 code）(item code)
    pub item: String,
    /// 扣分（整数分）(points deducted)
    #[graphql(default)]
    pub deduction: i32,
    /// 缺项（不适用）(not applicable)
    #[graphql(default)]
    pub not_applicable: bool,
    /// 说明 (note)
    pub note: Option<String>,
}

/// 分项检查评分表 — one sheet's answers.
#[derive(Debug, Clone, InputObject)]
pub struct ChecklistSheetInput {
    /// 分项表代码（模板中的 code）(sheet code)
    pub sheet: String,
    /// 整张表不适用（无此项工程）(the whole sheet is not applicable)
    #[graphql(default)]
    pub not_applicable: bool,
    /// 各条目 (items; unanswered items count as checked without deduction)
    #[graphql(default)]
    pub items: Vec<ChecklistItemInput>,
}

/// 检查表 — the checklist of a scored inspection.
#[derive(Debug, Clone, InputObject)]
pub struct ChecklistInput {
    /// 模板代码，如 JGJ59-2011 (template code)
    pub template_code: String,
    /// 模板版本，不填为最新版 (template version; latest when null)
    pub template_version: Option<i32>,
    /// 各分项表 (sheets answered; the others are not applicable)
    pub sheets: Vec<ChecklistSheetInput>,
}

impl From<ChecklistInput> for Checklist {
    fn from(c: ChecklistInput) -> Self {
        Checklist {
            template_code: c.template_code,
            template_version: c.template_version,
            sheets: c
                .sheets
                .into_iter()
                .map(|s| ChecklistSheet {
                    sheet: s.sheet,
                    not_applicable: s.not_applicable,
                    items: s
                        .items
                        .into_iter()
                        .map(|i| ChecklistItem {
                            item: i.item,
                            deduction: i.deduction,
                            not_applicable: i.not_applicable,
                            note: i.note,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// 检查中发现的隐患 — a hazard found by the inspection.
#[derive(Debug, Clone, InputObject)]
pub struct InspectionHazardInput {
    /// 等级 (level)
    pub level: HazardLevel,
    /// 类别代码：一般隐患为 JGJ 59 检查项目（见 generalHazardCategories），重大隐患可省略 (category
    /// code: a JGJ 59 item for a general hazard, see generalHazardCategories; optional for a major
    /// one)
    pub category: Option<String>,
    /// 重大事故隐患所符合的判定标准条款代码，如 SCAFFOLDING-2（见 hazardCriteria）(the condition a
    /// major hazard meets, see hazardCriteria)
    pub criterion: Option<String>,
    /// 描述 (description)
    pub description: String,
    /// 部位 (location)
    pub location: String,
}

/// 记录检查 — input of `recordInspection`.
#[derive(Debug, InputObject)]
pub struct RecordInspectionInput {
    /// 项目 (project)
    pub project_id: ID,
    /// 检查类型 (kind)
    pub kind: InspectionKind,
    /// 检查时间 (when)
    pub inspected_at: DateTime<Utc>,
    /// 纬度（WGS-84）(latitude)
    pub latitude: Option<f64>,
    /// 经度（WGS-84）(longitude)
    pub longitude: Option<f64>,
    /// 检查人员账号 (inspector accounts)
    #[graphql(default)]
    pub inspector_ids: Vec<ID>,
    /// 检查情况 (findings)
    pub findings: String,
    /// 检查结论 (result)
    pub result: InspectionResult,
    /// 检查表（评分检查必填）(the checklist, for a scored inspection)
    pub checklist: Option<ChecklistInput>,
    /// 发现的隐患 (hazards found; reported with the inspection)
    #[graphql(default)]
    pub hazards: Vec<InspectionHazardInput>,
    /// 所执行的双随机抽查任务：双随机检查必填（由抽中的检查组成员记录，至少两名组员参加），其他类型
    /// 不填 (the draw assignment carried out: required for DOUBLE_RANDOM, recorded by a drawn team
    /// member with at least two members taking part; refused for other kinds)
    pub draw_assignment: Option<DrawAssignmentInput>,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<RecordInspectionInput> for NewInspection {
    type Error = AppError;
    fn try_from(i: RecordInspectionInput) -> Result<Self, AppError> {
        Ok(NewInspection {
            project_id: decode_id(&i.project_id, "Project", "projectId")?,
            inspector_ids: ids(&i.inspector_ids, "Account", "inspectorIds")?,
            kind: i.kind,
            inspected_at: i.inspected_at,
            latitude: i.latitude,
            longitude: i.longitude,
            findings: i.findings,
            result: i.result,
            checklist: i.checklist.map(Into::into),
            hazards: i
                .hazards
                .into_iter()
                .map(|h| FoundHazard {
                    level: h.level,
                    category: h.category,
                    criterion: h.criterion,
                    description: h.description,
                    location: h.location,
                })
                .collect(),
            draw_assignment: i
                .draw_assignment
                .map(|a| {
                    Ok::<_, AppError>(AssignmentRef {
                        draw_id: decode_id(&a.draw_id, "RandomDraw", "drawAssignment")?,
                        project_id: decode_id(&a.project_id, "Project", "drawAssignment")?,
                    })
                })
                .transpose()?,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 确认参加检查 — input of `confirmInspectionParticipation`.
#[derive(InputObject)]
pub struct ConfirmInspectionParticipationInput {
    /// 检查全局编号 (inspection global ID)
    pub id: ID,
}

/// 公开暗访 — input of `publishCovertInspection`.
#[derive(InputObject)]
pub struct PublishCovertInspectionInput {
    /// 检查全局编号 (inspection global ID)
    pub id: ID,
}

/// 登记安全宣传品 — input of `recordPublicityItem`.
#[derive(Debug, InputObject)]
pub struct RecordPublicityItemInput {
    /// 项目 (project)
    pub project_id: ID,
    /// 类型 (kind)
    pub kind: PublicityKind,
    /// 内容或标题 (title)
    pub title: String,
    /// 设置位置 (location)
    pub location: String,
    /// 幂等键 (idempotency key)
    pub idempotency_key: Option<String>,
}

impl TryFrom<RecordPublicityItemInput> for NewPublicityItem {
    type Error = AppError;
    fn try_from(i: RecordPublicityItemInput) -> Result<Self, AppError> {
        Ok(NewPublicityItem {
            project_id: decode_id(&i.project_id, "Project", "projectId")?,
            kind: i.kind,
            title: i.title,
            location: i.location,
            idempotency_key: i.idempotency_key,
        })
    }
}

/// 月度确认 — input of `confirmSitePublicity`.
#[derive(Debug, InputObject)]
pub struct ConfirmSitePublicityInput {
    /// 项目 (project)
    pub project_id: ID,
    /// 仍在位的宣传品（须已上传照片）(items still in place; each must have a photo)
    pub item_ids: Vec<ID>,
}

impl TryFrom<ConfirmSitePublicityInput> for PublicityConfirmation {
    type Error = AppError;
    fn try_from(i: ConfirmSitePublicityInput) -> Result<Self, AppError> {
        Ok(PublicityConfirmation {
            project_id: decode_id(&i.project_id, "Project", "projectId")?,
            item_ids: ids(&i.item_ids, "PublicityItem", "itemIds")?,
        })
    }
}

/// 记录处罚程序 — input of `recordPenaltyStep`.
#[derive(Debug, InputObject)]
pub struct RecordPenaltyStepInput {
    /// 罚款措施 (the PENALTY action)
    pub action_id: ID,
    /// 步骤 (step)
    pub step: crate::rules::penalty::PenaltyStep,
    /// 发生时间（以文书为准）(when it happened, as the documents say)
    pub occurred_at: DateTime<Utc>,
    /// 决定书文号（作出决定时必填）(decision document number, for DECIDED)
    pub decision_number: Option<String>,
    /// 缴纳金额（分，缴纳时必填，须与罚款金额一致）(amount paid in fen, for PAID)
    pub amount_fen: Option<Fen>,
    /// 备注 (note)
    pub note: Option<String>,
}

impl TryFrom<RecordPenaltyStepInput> for crate::service::enforcement::PenaltyStepRecord {
    type Error = AppError;
    fn try_from(i: RecordPenaltyStepInput) -> Result<Self, AppError> {
        Ok(crate::service::enforcement::PenaltyStepRecord {
            action_id: decode_id(&i.action_id, "EnforcementAction", "actionId")?,
            step: i.step,
            occurred_at: i.occurred_at,
            decision_number: i.decision_number,
            amount_fen: i.amount_fen.map(|f| f.0),
            note: i.note,
        })
    }
}
