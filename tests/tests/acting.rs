//! "Acts for enterprise E on project P" (kernel::acting): seeing a project is not acting on it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jianan_entity::enums::ParticipantRole;
use jianan_kernel::acting::{Acting, ENTERPRISE_ROLES};
use jianan_kernel::principal::Role;
use jianan_tests::harness::Harness;

/// The daily self-check rule: the contractor's safety managers.
const DAILY: Acting = Acting {
    roles: &[Role::EnterpriseSafetyManager],
    participant_roles: &[ParticipantRole::Contractor, ParticipantRole::Subcontractor],
    who: "施工单位的专职安全员",
};

/// The rectification rule: any person of the responsible enterprise.
const RESPONSIBLE: Acting = Acting {
    roles: ENTERPRISE_ROLES,
    participant_roles: &[],
    who: "整改责任企业的人员",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_right_people_of_the_right_enterprise_act_on_a_project() {
    let h = Harness::new().await;
    let w = &h.world;
    let db = &h.kernel.db.conn;
    let p = |account| h.acting_as(account).principal;

    // The contractor's safety manager acts for the contractor on its project, not elsewhere.
    let safety = p(w.accounts.safety);
    assert_eq!(
        DAILY.enterprise(db, &safety, w.project).await.unwrap(),
        Some(w.contractor)
    );
    assert!(
        DAILY
            .enterprise(db, &safety, w.other_project)
            .await
            .unwrap()
            .is_none()
    );
    // The contractor's manager is of the right enterprise but not the right role.
    let manager = p(w.accounts.manager);
    assert!(
        DAILY
            .enterprise(db, &manager, w.project)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        RESPONSIBLE
            .acts_for(db, &manager, w.contractor, w.project)
            .await
            .unwrap()
    );
    // The supervision firm sees the project but does not act for the contractor; it does act
    // for itself, as a participant.
    let supervision = p(w.accounts.supervision);
    let refused = RESPONSIBLE
        .require(db, &supervision, w.contractor, w.project)
        .await
        .unwrap_err();
    assert_eq!(refused.code.as_str(), "FORBIDDEN");
    assert_eq!(refused.message, "只有整改责任企业的人员可以办理此事项");
    assert!(
        RESPONSIBLE
            .acts_for(db, &supervision, w.supervisor, w.project)
            .await
            .unwrap()
    );
    // Commission staff and inspectors see everything but act for no enterprise.
    for account in [w.accounts.admin, w.accounts.inspector] {
        assert!(
            RESPONSIBLE
                .enterprise(db, &p(account), w.project)
                .await
                .unwrap()
                .is_none()
        );
    }
    // Another contractor's manager acts on its own project only.
    let other = p(w.accounts.other_manager);
    assert!(
        RESPONSIBLE
            .acts_for(db, &other, w.other_contractor, w.other_project)
            .await
            .unwrap()
    );
    assert!(
        !RESPONSIBLE
            .acts_for(db, &other, w.other_contractor, w.project)
            .await
            .unwrap()
    );
}
