//! State history: when a record was in which state (a project ACTIVE, an account holding the
//! LEADER role), kept as spans `[from, until)` in `state_span`.
//!
//! The writer of a record calls [`set_states`] in the same transaction as every change of the
//! record's states (and with no states when it is archived); readers ask which records were in a
//! state during a time range ([`spans_during`]). Obligations use it so a period's subjects are
//! those that owed the duty during that period (issue #7 item 3), and later modules (expert
//! availability, duty rosters) can use it the same way.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use jianan_entity::state_span;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use uuid::Uuid;

use crate::error::AppResult;

/// One span of a record in a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub subject_id: Uuid,
    pub from: DateTime<Utc>,
    /// `None` while the record is still in the state.
    pub until: Option<DateTime<Utc>>,
}

/// Makes `states` the record's states from `at` on: spans of states it leaves are closed at
/// `at`, spans of states it enters are opened at `at`, spans it stays in are left alone. Pass no
/// states when the record is archived.
pub async fn set_states<C: ConnectionTrait>(
    txn: &C,
    subject_type: &str,
    subject_id: Uuid,
    states: &[&str],
    at: DateTime<Utc>,
) -> AppResult<()> {
    let open = state_span::Entity::find()
        .filter(state_span::Column::SubjectId.eq(subject_id))
        .filter(state_span::Column::SubjectType.eq(subject_type))
        .filter(state_span::Column::UntilAt.is_null())
        .all(txn)
        .await?;
    let wanted: BTreeSet<&str> = states.iter().copied().collect();
    let leaving: Vec<Uuid> = open
        .iter()
        .filter(|s| !wanted.contains(s.state.as_str()))
        .map(|s| s.id)
        .collect();
    if !leaving.is_empty() {
        state_span::Entity::update_many()
            .col_expr(state_span::Column::UntilAt, Expr::value(at))
            .filter(state_span::Column::Id.is_in(leaving))
            .exec(txn)
            .await?;
    }
    for state in wanted {
        if open.iter().any(|s| s.state == state) {
            continue;
        }
        state_span::ActiveModel {
            id: Set(Uuid::now_v7()),
            subject_type: Set(subject_type.to_owned()),
            subject_id: Set(subject_id),
            state: Set(state.to_owned()),
            from_at: Set(at),
            until_at: Set(None),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Every span of records of `subject_type` in `state` that overlaps `[from, until)`, grouped by
/// record (one statement).
pub async fn spans_during<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    state: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> AppResult<BTreeMap<Uuid, Vec<Span>>> {
    let rows = state_span::Entity::find()
        .filter(state_span::Column::SubjectType.eq(subject_type))
        .filter(state_span::Column::State.eq(state))
        .filter(state_span::Column::FromAt.lt(until))
        .filter(
            sea_orm::Condition::any()
                .add(state_span::Column::UntilAt.is_null())
                .add(state_span::Column::UntilAt.gt(from)),
        )
        .order_by_asc(state_span::Column::FromAt)
        .order_by_asc(state_span::Column::Id)
        .all(db)
        .await?;
    let mut out: BTreeMap<Uuid, Vec<Span>> = BTreeMap::new();
    for r in rows {
        out.entry(r.subject_id).or_default().push(Span {
            subject_id: r.subject_id,
            from: r.from_at,
            until: r.until_at,
        });
    }
    Ok(out)
}

/// Opens spans in bulk, for seeding and back-filling: `(subject_id, state, from, until)`.
pub async fn insert_spans<C: ConnectionTrait>(
    txn: &C,
    subject_type: &str,
    spans: impl IntoIterator<Item = (Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>)>,
) -> AppResult<()> {
    let rows: Vec<state_span::ActiveModel> = spans
        .into_iter()
        .map(|(id, state, from, until)| state_span::ActiveModel {
            id: Set(Uuid::now_v7()),
            subject_type: Set(subject_type.to_owned()),
            subject_id: Set(id),
            state: Set(state),
            from_at: Set(from),
            until_at: Set(until),
        })
        .collect();
    for chunk in rows.chunks(500) {
        state_span::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}
