//! Short calls into modules' services with the values harness tests vary, the rest filled with
//! valid defaults. Services take plain Rust inputs with `Uuid`s, so no global ID is encoded here.
use jianan_entity::enterprise;
use jianan_entity::enums::EnterpriseKind;
use jianan_inspections::entity::{enforcement_action, enums::EnforcementKind};
use jianan_kernel::principal::RequestInfo;
use jianan_kernel::{AppResult, Kernel};
use uuid::Uuid;

/// Registers an enterprise (`registry::service::enterprise::create`).
pub async fn create_enterprise(
    k: &Kernel,
    who: &RequestInfo,
    uscc: &str,
    name: &str,
    kind: EnterpriseKind,
    idempotency_key: Option<&str>,
) -> AppResult<enterprise::Model> {
    use jianan_registry::service::enterprise::{NewEnterprise, create};
    let input = NewEnterprise {
        uscc: uscc.to_owned(),
        name: name.to_owned(),
        kind,
        legal_representative: None,
        address: None,
        qualifications: Some(vec!["建筑工程施工总承包三级".to_owned()]),
        licence_no: None,
        licence_expires_on: None,
        idempotency_key: idempotency_key.map(str::to_owned),
    };
    create(k, who, input).await
}

/// Archives an enterprise (`registry::service::enterprise::archive`).
pub async fn archive_enterprise(
    k: &Kernel,
    who: &RequestInfo,
    id: Uuid,
    expected_version: Option<i32>,
) -> AppResult<enterprise::Model> {
    jianan_registry::service::enterprise::archive(k, who, id, expected_version).await
}

/// Issues a credit deduction of `points` against `enterprise` on `project`
/// (`inspections::service::enforcement::issue`).
pub async fn deduct_credit_points(
    k: &Kernel,
    who: &RequestInfo,
    enterprise: Uuid,
    project: Uuid,
    points: Option<i32>,
) -> AppResult<enforcement_action::Model> {
    use jianan_inspections::service::enforcement::{NewEnforcementAction, issue};
    let input = NewEnforcementAction {
        kind: EnforcementKind::CreditDeduction,
        legal_basis: "《重庆市建筑施工企业诚信综合评价暂行办法》（渝府发〔2012〕65号）".to_owned(),
        description: "脚手架连墙件缺失，限期整改逾期未改".to_owned(),
        target_enterprise_id: Some(enterprise),
        target_person: None,
        project_id: Some(project),
        points,
        penalty_fen: None,
        hazard_ids: Vec::new(),
        inspection_ids: Vec::new(),
        idempotency_key: None,
    };
    issue(k, who, input).await
}
