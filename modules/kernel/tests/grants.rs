//! Module-defined roles' scopes: an expert sees their own assignments, the anonymous bearer of a
//! receipt sees one report, a service account sees only the exchange it was issued for — through
//! the kernel's one scope mechanism, with no kernel enum naming any of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use jianan_kernel::db::Db;
use jianan_kernel::principal::{Grant, PermissionTable, Principal, PrincipalKind, Role, RoleScope};
use jianan_kernel::scope::{ScopedEntity, scoped};
use jianan_kernel::tokens::TokenKeys;
use sea_orm::entity::prelude::*;
use sea_orm::{Condition, ConnectionTrait, Set};

/// A stand-in for a module's table: an expert assignment that belongs to a report and an
/// exchange, in a township.
mod record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "test_record")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub expert_id: Uuid,
        pub exchange_id: Uuid,
        pub township_id: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const EXPERT: &str = "experts.expert";
const RECEIPT: &str = "rewards.receipt";
const EXCHANGE: &str = "credit.exchange";

impl ScopedEntity for record::Entity {
    fn township_condition(t: Uuid) -> Option<Condition> {
        Some(Condition::all().add(record::Column::TownshipId.eq(t)))
    }
    fn enterprise_condition(_: Uuid) -> Option<Condition> {
        None
    }
    fn grant_condition(g: &Grant) -> Option<Condition> {
        let column = match g.kind.as_str() {
            EXPERT => record::Column::ExpertId,
            RECEIPT => record::Column::Id,
            EXCHANGE => record::Column::ExchangeId,
            _ => return None,
        };
        Some(Condition::all().add(column.eq(g.id)))
    }
}

/// The hooks two modules would register: experts anchor the EXPERT role to the account, credit
/// anchors the bureau's service account to its exchange (here: the account itself).
fn keys() -> TokenKeys {
    let table = PermissionTable::new([]).with_role_scopes([
        RoleScope {
            role: Role::Expert,
            grant: |p| p.account_id.map(|a| Grant::new(EXPERT, a)),
        },
        RoleScope {
            role: Role::BureauService,
            grant: |p| p.account_id.map(|a| Grant::new(EXCHANGE, a)),
        },
    ]);
    TokenKeys::new(b"0123456789abcdef0123456789abcdef", Arc::new(table))
}

fn account(kind: PrincipalKind, role: Role, township: Option<Uuid>) -> Principal {
    let mut p = Principal::anonymous();
    p.kind = kind;
    p.account_id = Some(Uuid::now_v7());
    p.username = "u".into();
    p.roles = vec![role];
    p.township_id = township;
    p
}

/// What `p` sees after a round trip through a real token.
async fn seen(db: &Db, keys: &TokenKeys, token: &str) -> Vec<Uuid> {
    let p = keys.verify(token).unwrap();
    let mut ids: Vec<Uuid> = scoped::<record::Entity>(&p)
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn module_grants_reach_exactly_their_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", tmp.path().join("g.db").display());
    let db = Db::connect(&url, 2).await.unwrap();
    db.conn
        .execute_unprepared(
            "CREATE TABLE test_record (id uuid PRIMARY KEY, expert_id uuid NOT NULL, \
             exchange_id uuid NOT NULL, township_id uuid NOT NULL)",
        )
        .await
        .unwrap();
    let keys = keys();
    let expert = account(PrincipalKind::Person, Role::Expert, None);
    let bureau = account(PrincipalKind::Service, Role::BureauService, None);
    let township = Uuid::now_v7();
    let other_township = Uuid::now_v7();
    let mut rows = Vec::new();
    for (e, x, t) in [
        (
            expert.account_id.unwrap(),
            bureau.account_id.unwrap(),
            township,
        ),
        (expert.account_id.unwrap(), Uuid::now_v7(), other_township),
        (Uuid::now_v7(), bureau.account_id.unwrap(), other_township),
        (Uuid::now_v7(), Uuid::now_v7(), township),
    ] {
        let id = Uuid::now_v7();
        record::ActiveModel {
            id: Set(id),
            expert_id: Set(e),
            exchange_id: Set(x),
            township_id: Set(t),
        }
        .insert(&db.conn)
        .await
        .unwrap();
        rows.push(id);
    }
    let sorted = |mut v: Vec<Uuid>| {
        v.sort();
        v
    };

    // The expert: their two assignments, whatever the township.
    let (t, _) = keys.issue(&expert).unwrap();
    assert_eq!(seen(&db, &keys, &t).await, sorted(vec![rows[0], rows[1]]));

    // The bureau's service account: only its exchange's rows.
    let (t, _) = keys.issue(&bureau).unwrap();
    assert_eq!(seen(&db, &keys, &t).await, sorted(vec![rows[0], rows[2]]));

    // The anonymous bearer of a receipt: that one row, and it stays anonymous.
    let (t, _) = keys
        .issue_bearer(Grant::new(RECEIPT, rows[3]), 600)
        .unwrap();
    assert_eq!(seen(&db, &keys, &t).await, vec![rows[3]]);
    let bearer = keys.verify(&t).unwrap();
    assert!(!bearer.is_authenticated());
    assert!(bearer.permissions.is_empty());

    // Township staff keep their township scope; a grant kind the table does not know reaches
    // nothing; an expert role without the module's hook sees nothing.
    let staff = account(PrincipalKind::Person, Role::TownshipStaff, Some(township));
    let (t, _) = keys.issue(&staff).unwrap();
    assert_eq!(seen(&db, &keys, &t).await, sorted(vec![rows[0], rows[3]]));
    let (t, _) = keys
        .issue_bearer(Grant::new("other.thing", rows[3]), 600)
        .unwrap();
    assert!(seen(&db, &keys, &t).await.is_empty());
    let unhooked = TokenKeys::new(
        b"0123456789abcdef0123456789abcdef",
        Arc::new(PermissionTable::default()),
    );
    let (t, _) = unhooked.issue(&expert).unwrap();
    assert!(seen(&db, &unhooked, &t).await.is_empty());

    // Grants from roles are recomputed on every request, never carried in the token: a token
    // of an expert verified by a table without the hook gives no grant.
    assert!(unhooked.verify(&t).unwrap().grants.is_empty());
}
