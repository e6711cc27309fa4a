//! Hazards as the rules have them (issue #7 item 4):
//! - a major hazard names the condition of the 2024 criteria it meets (`criterion`); a general
//!   hazard's `category` becomes a JGJ 59-2011 inspection item instead of a major-hazard category
//!   (existing general hazards are moved to the nearest item, see
//!   `rules::hazard_class::GeneralCategory::nearest`);
//! - an enterprise may fix a general self-check hazard on the spot (`fixed_on_spot`);
//! - listed supervision of a major hazard (挂牌督办: `supervising_unit_id`,
//!   `supervision_deadline_at`, `supervision_listed_at`) and its acceptance (销号验收:
//!   `accepted_at`, `accepted_by`);
//! - a pending deadline extension requested by the enterprise (`extension_*`);
//! - photos on every rectification step (`hazard_step.photo_ids`, a JSON array of attachment ids).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hazard {
    Table,
    Level,
    Category,
    Criterion,
    FixedOnSpot,
    SupervisingUnitId,
    SupervisionDeadlineAt,
    SupervisionListedAt,
    AcceptedAt,
    AcceptedBy,
    ExtensionDays,
    ExtensionReason,
    ExtensionRequestedAt,
}

#[derive(DeriveIden)]
enum HazardStep {
    Table,
    PhotoIds,
}

/// Major-hazard category → the JGJ 59 item a general hazard of it belongs to.
const NEAREST: [(&str, &str); 14] = [
    ("SAFETY_MANAGEMENT", "SAFETY_MANAGEMENT"),
    ("FOUNDATION_PIT_AND_SLOPE", "FOUNDATION_PIT"),
    ("FORMWORK_AND_SHORING", "FORMWORK_SUPPORT"),
    ("SCAFFOLDING", "SCAFFOLDING"),
    ("HOISTING_MACHINERY", "CRANES_AND_LIFTING"),
    ("WORK_AT_HEIGHT", "WORK_AT_HEIGHT"),
    ("TEMPORARY_ELECTRICITY", "TEMPORARY_ELECTRICITY"),
    ("CONFINED_SPACE", "SAFETY_MANAGEMENT"),
    ("DEMOLITION", "SAFETY_MANAGEMENT"),
    ("TUNNEL", "FOUNDATION_PIT"),
    ("TEMPORARY_STOCKPILING", "CIVILIZED_CONSTRUCTION"),
    ("RECKLESS_OPERATION", "SAFETY_MANAGEMENT"),
    ("BANNED_TECHNIQUES", "SAFETY_MANAGEMENT"),
    ("OTHER", "SAFETY_MANAGEMENT"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        let columns = [
            string_len_null(Hazard::Criterion, 48),
            boolean(Hazard::FixedOnSpot).default(false).to_owned(),
            uuid_null(Hazard::SupervisingUnitId),
            timestamp_with_time_zone_null(Hazard::SupervisionDeadlineAt),
            timestamp_with_time_zone_null(Hazard::SupervisionListedAt),
            timestamp_with_time_zone_null(Hazard::AcceptedAt),
            uuid_null(Hazard::AcceptedBy),
            integer_null(Hazard::ExtensionDays),
            text_null(Hazard::ExtensionReason),
            timestamp_with_time_zone_null(Hazard::ExtensionRequestedAt),
        ];
        for mut c in columns {
            m.alter_table(
                Table::alter()
                    .table(Hazard::Table)
                    .add_column(&mut c)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(HazardStep::Table)
                .add_column(text(HazardStep::PhotoIds).default("[]"))
                .to_owned(),
        )
        .await?;
        for (major, general) in NEAREST {
            m.exec_stmt(
                Query::update()
                    .table(Hazard::Table)
                    .value(Hazard::Category, general)
                    .and_where(Expr::col(Hazard::Level).eq("GENERAL"))
                    .and_where(Expr::col(Hazard::Category).eq(major))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(HazardStep::Table)
                .drop_column(HazardStep::PhotoIds)
                .to_owned(),
        )
        .await?;
        for c in [
            Hazard::Criterion,
            Hazard::FixedOnSpot,
            Hazard::SupervisingUnitId,
            Hazard::SupervisionDeadlineAt,
            Hazard::SupervisionListedAt,
            Hazard::AcceptedAt,
            Hazard::AcceptedBy,
            Hazard::ExtensionDays,
            Hazard::ExtensionReason,
            Hazard::ExtensionRequestedAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Hazard::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
