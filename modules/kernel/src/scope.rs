//! Row-level scopes (docs/security.md), enforced here and nowhere else.
//!
//! Every table a caller can list declares, once, how its rows relate to a township, to an
//! enterprise and to the module-defined grants ([`ScopedEntity`]). [`scoped`] turns the caller's
//! standing — its [`RowScope`] plus its [`Grant`]s — into a condition and adds it to a query;
//! resolvers and services never write scope conditions themselves.
use sea_orm::{Condition, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::principal::{Grant, Principal, PrincipalKind, Role};
use crate::relay::nothing;

/// Which rows a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowScope {
    /// The whole district: administrators, leaders, department staff, inspectors, the system.
    District,
    /// One township or street.
    Township(Uuid),
    /// One enterprise and the projects it takes part in.
    Enterprise(Uuid),
    /// No rows of this kind (anonymous callers, service accounts outside their exchange).
    Nothing,
}

impl RowScope {
    /// The scope of a principal. The widest role wins: an account that is both an inspector and
    /// township staff sees the district.
    pub fn of(p: &Principal) -> RowScope {
        if p.kind == PrincipalKind::Anonymous {
            return RowScope::Nothing;
        }
        if p.roles.iter().any(|r| r.is_district_wide()) {
            return RowScope::District;
        }
        if p.has_role(Role::TownshipStaff)
            && let Some(t) = p.township_id
        {
            return RowScope::Township(t);
        }
        if p.roles.iter().any(|r| r.is_enterprise())
            && let Some(e) = p.enterprise_id
        {
            return RowScope::Enterprise(e);
        }
        RowScope::Nothing
    }
}

/// How a table's rows relate to townships and enterprises.
pub trait ScopedEntity: EntityTrait {
    /// Rows visible to the staff of township `township_id`.
    fn township_condition(township_id: Uuid) -> Option<Condition>;
    /// Rows visible to the people of enterprise `enterprise_id`.
    fn enterprise_condition(enterprise_id: Uuid) -> Option<Condition>;
    /// Rows a module-defined grant reaches (an expert's assignments, the one report of a receipt,
    /// an exchange's records); `None`, the default, for grants that reach no row of this table.
    fn grant_condition(_grant: &Grant) -> Option<Condition> {
        None
    }
}

/// The condition restricting `E` to what `scope` may see.
pub fn scope_condition<E: ScopedEntity>(scope: RowScope) -> Condition {
    let cond = match scope {
        RowScope::District => return Condition::all(),
        RowScope::Township(t) => E::township_condition(t),
        RowScope::Enterprise(e) => E::enterprise_condition(e),
        RowScope::Nothing => None,
    };
    cond.unwrap_or_else(nothing)
}

/// The condition restricting `E` to what `principal` may see: its [`RowScope`]'s rows and the
/// rows its grants reach.
pub fn principal_condition<E: ScopedEntity>(principal: &Principal) -> Condition {
    let scope = RowScope::of(principal);
    if scope == RowScope::District {
        return Condition::all();
    }
    let reached: Vec<Condition> = principal
        .grants
        .iter()
        .filter_map(E::grant_condition)
        .collect();
    if reached.is_empty() {
        return scope_condition::<E>(scope);
    }
    let mut any = Condition::any();
    if scope != RowScope::Nothing {
        any = any.add(scope_condition::<E>(scope));
    }
    reached.into_iter().fold(any, Condition::add)
}

/// `E::find()` restricted to what `principal` may see: the start of every list and lookup.
pub fn scoped<E: ScopedEntity>(principal: &Principal) -> Select<E> {
    E::find().filter(principal_condition::<E>(principal))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(roles: &[Role], township: Option<Uuid>, enterprise: Option<Uuid>) -> Principal {
        let mut p = Principal::anonymous();
        p.kind = PrincipalKind::Person;
        p.roles = roles.to_vec();
        p.township_id = township;
        p.enterprise_id = enterprise;
        p
    }

    #[test]
    fn scope_follows_the_widest_role() {
        let t = Uuid::now_v7();
        let e = Uuid::now_v7();
        assert_eq!(RowScope::of(&Principal::anonymous()), RowScope::Nothing);
        assert_eq!(
            RowScope::of(&with(&[Role::Inspector], None, None)),
            RowScope::District
        );
        assert_eq!(
            RowScope::of(&with(&[Role::TownshipStaff], Some(t), None)),
            RowScope::Township(t)
        );
        assert_eq!(
            RowScope::of(&with(&[Role::EnterpriseManager], None, Some(e))),
            RowScope::Enterprise(e)
        );
        // An enterprise role without an enterprise sees nothing rather than everything.
        assert_eq!(
            RowScope::of(&with(&[Role::EnterpriseManager], None, None)),
            RowScope::Nothing
        );
        assert_eq!(
            RowScope::of(&with(&[Role::BureauService], None, None)),
            RowScope::Nothing
        );
        assert_eq!(
            RowScope::of(&with(
                &[Role::TownshipStaff, Role::Inspector],
                Some(t),
                None
            )),
            RowScope::District
        );
    }
}
