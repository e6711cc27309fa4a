//! Credit: the rules table (versioned; version 1 seeded from `rules::evaluation::BASELINE`),
//! yearly scores and their entries (unique per source event and subject kind), records with
//! publication periods, and the change feed with its locked counter.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::rules::evaluation::{BASELINE, BASELINE_EFFECTIVE_FROM};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CreditRuleVersion {
    Table,
    Id,
    Version,
    EffectiveFrom,
    Note,
    PublishedBy,
    PublishedAt,
}
#[derive(DeriveIden)]
enum CreditRule {
    Table,
    Id,
    VersionId,
    Code,
    Trigger,
    Points,
    BadRecord,
    PublicationMonths,
    Source,
    Confirmed,
}
#[derive(DeriveIden)]
enum CreditScore {
    Table,
    Id,
    SubjectKind,
    SubjectKey,
    EnterpriseId,
    Uscc,
    SubjectName,
    Person,
    Year,
    Base,
    Score,
    Level,
    Version,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum CreditEntry {
    Table,
    Id,
    ScoreId,
    SubjectKind,
    EnterpriseId,
    Points,
    RuleCode,
    RuleVersion,
    RuleSource,
    LegalBasis,
    Reason,
    SourceType,
    SourceId,
    SourceEventId,
    OccurredAt,
    CreatedAt,
}
#[derive(DeriveIden)]
enum CreditRecord {
    Table,
    Id,
    Kind,
    SubjectKind,
    EnterpriseId,
    Uscc,
    SubjectName,
    Person,
    TownshipId,
    Title,
    LegalBasis,
    Description,
    RuleCode,
    SourceType,
    SourceId,
    SourceEventId,
    DecidedAt,
    PenaltyUntil,
    PublicUntil,
    IsPublic,
    EndedAt,
    Version,
    CreatedAt,
}
#[derive(DeriveIden)]
enum CreditFeedHead {
    Table,
    Id,
    LastSeq,
}
#[derive(DeriveIden)]
enum CreditChange {
    Table,
    Id,
    Seq,
    Kind,
    SubjectKind,
    EnterpriseId,
    Uscc,
    Person,
    RecordType,
    RecordId,
    Summary,
    OccurredAt,
}
#[derive(DeriveIden)]
enum Enterprise {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CreditRuleVersion::Table)
                .col(uuid(CreditRuleVersion::Id).primary_key())
                .col(integer(CreditRuleVersion::Version).unique_key())
                .col(timestamp_with_time_zone(CreditRuleVersion::EffectiveFrom))
                .col(text(CreditRuleVersion::Note))
                .col(uuid_null(CreditRuleVersion::PublishedBy))
                .col(timestamp_with_time_zone(CreditRuleVersion::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditRule::Table)
                .col(uuid(CreditRule::Id).primary_key())
                .col(uuid(CreditRule::VersionId))
                .col(string_len(CreditRule::Code, 32))
                .col(string_len(CreditRule::Trigger, 24))
                .col(integer_null(CreditRule::Points))
                .col(boolean(CreditRule::BadRecord))
                .col(integer(CreditRule::PublicationMonths))
                .col(text(CreditRule::Source))
                .col(boolean(CreditRule::Confirmed))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_rule_version")
                        .from(CreditRule::Table, CreditRule::VersionId)
                        .to(CreditRuleVersion::Table, CreditRuleVersion::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_credit_rule_trigger")
                .table(CreditRule::Table)
                .col(CreditRule::VersionId)
                .col(CreditRule::Trigger)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditScore::Table)
                .col(uuid(CreditScore::Id).primary_key())
                .col(string_len(CreditScore::SubjectKind, 16))
                .col(string_len(CreditScore::SubjectKey, 160))
                .col(uuid_null(CreditScore::EnterpriseId))
                .col(string_len_null(CreditScore::Uscc, 18))
                .col(string_len(CreditScore::SubjectName, 200))
                .col(string_len_null(CreditScore::Person, 100))
                .col(integer(CreditScore::Year))
                .col(integer(CreditScore::Base))
                .col(integer(CreditScore::Score))
                .col(string_len(CreditScore::Level, 4))
                .col(integer(CreditScore::Version))
                .col(timestamp_with_time_zone(CreditScore::CreatedAt))
                .col(timestamp_with_time_zone(CreditScore::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_score_enterprise")
                        .from(CreditScore::Table, CreditScore::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_credit_score_subject_year")
                .table(CreditScore::Table)
                .col(CreditScore::SubjectKind)
                .col(CreditScore::SubjectKey)
                .col(CreditScore::Year)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_score_enterprise")
                .table(CreditScore::Table)
                .col(CreditScore::EnterpriseId)
                .col(CreditScore::Year)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditEntry::Table)
                .col(uuid(CreditEntry::Id).primary_key())
                .col(uuid(CreditEntry::ScoreId))
                .col(string_len(CreditEntry::SubjectKind, 16))
                .col(uuid_null(CreditEntry::EnterpriseId))
                .col(integer(CreditEntry::Points))
                .col(string_len(CreditEntry::RuleCode, 32))
                .col(integer(CreditEntry::RuleVersion))
                .col(text(CreditEntry::RuleSource))
                .col(text(CreditEntry::LegalBasis))
                .col(text(CreditEntry::Reason))
                .col(string_len(CreditEntry::SourceType, 40))
                .col(uuid(CreditEntry::SourceId))
                .col(uuid_null(CreditEntry::SourceEventId))
                .col(timestamp_with_time_zone(CreditEntry::OccurredAt))
                .col(timestamp_with_time_zone(CreditEntry::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_entry_score")
                        .from(CreditEntry::Table, CreditEntry::ScoreId)
                        .to(CreditScore::Table, CreditScore::Id),
                )
                .to_owned(),
        )
        .await?;
        // A replayed event cannot count twice: one entry per source event and subject kind.
        m.create_index(
            Index::create()
                .name("ux_credit_entry_source_event")
                .table(CreditEntry::Table)
                .col(CreditEntry::SourceEventId)
                .col(CreditEntry::SubjectKind)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_entry_score")
                .table(CreditEntry::Table)
                .col(CreditEntry::ScoreId)
                .col(CreditEntry::OccurredAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditRecord::Table)
                .col(uuid(CreditRecord::Id).primary_key())
                .col(string_len(CreditRecord::Kind, 8))
                .col(string_len(CreditRecord::SubjectKind, 16))
                .col(uuid_null(CreditRecord::EnterpriseId))
                .col(string_len_null(CreditRecord::Uscc, 18))
                .col(string_len(CreditRecord::SubjectName, 200))
                .col(string_len_null(CreditRecord::Person, 100))
                .col(uuid_null(CreditRecord::TownshipId))
                .col(text(CreditRecord::Title))
                .col(text(CreditRecord::LegalBasis))
                .col(text(CreditRecord::Description))
                .col(string_len_null(CreditRecord::RuleCode, 32))
                .col(string_len(CreditRecord::SourceType, 40))
                .col(uuid(CreditRecord::SourceId))
                .col(uuid_null(CreditRecord::SourceEventId))
                .col(timestamp_with_time_zone(CreditRecord::DecidedAt))
                .col(timestamp_with_time_zone_null(CreditRecord::PenaltyUntil))
                .col(timestamp_with_time_zone(CreditRecord::PublicUntil))
                .col(boolean(CreditRecord::IsPublic))
                .col(timestamp_with_time_zone_null(CreditRecord::EndedAt))
                .col(integer(CreditRecord::Version))
                .col(timestamp_with_time_zone(CreditRecord::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_credit_record_enterprise")
                        .from(CreditRecord::Table, CreditRecord::EnterpriseId)
                        .to(Enterprise::Table, Enterprise::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_credit_record_source_event")
                .table(CreditRecord::Table)
                .col(CreditRecord::SourceEventId)
                .col(CreditRecord::SubjectKind)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_record_enterprise")
                .table(CreditRecord::Table)
                .col(CreditRecord::EnterpriseId)
                .col(CreditRecord::DecidedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_record_uscc")
                .table(CreditRecord::Table)
                .col(CreditRecord::Uscc)
                .col(CreditRecord::DecidedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_credit_record_decided")
                .table(CreditRecord::Table)
                .col(CreditRecord::DecidedAt)
                .col(CreditRecord::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditFeedHead::Table)
                .col(integer(CreditFeedHead::Id).primary_key())
                .col(big_integer(CreditFeedHead::LastSeq))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(CreditFeedHead::Table)
                .columns([CreditFeedHead::Id, CreditFeedHead::LastSeq])
                .values_panic([1.into(), 0i64.into()])
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CreditChange::Table)
                .col(uuid(CreditChange::Id).primary_key())
                .col(big_integer(CreditChange::Seq).unique_key())
                .col(string_len(CreditChange::Kind, 24))
                .col(string_len(CreditChange::SubjectKind, 16))
                .col(uuid_null(CreditChange::EnterpriseId))
                .col(string_len_null(CreditChange::Uscc, 18))
                .col(string_len_null(CreditChange::Person, 100))
                .col(string_len(CreditChange::RecordType, 40))
                .col(uuid(CreditChange::RecordId))
                .col(text(CreditChange::Summary))
                .col(timestamp_with_time_zone(CreditChange::OccurredAt))
                .to_owned(),
        )
        .await?;

        // Version 1 of the rules table.
        let from = chrono::DateTime::parse_from_rfc3339(BASELINE_EFFECTIVE_FROM)
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .with_timezone(&chrono::Utc);
        let version_id = uuid::Uuid::now_v7();
        m.exec_stmt(
            Query::insert()
                .into_table(CreditRuleVersion::Table)
                .columns([
                    CreditRuleVersion::Id,
                    CreditRuleVersion::Version,
                    CreditRuleVersion::EffectiveFrom,
                    CreditRuleVersion::Note,
                    CreditRuleVersion::PublishedBy,
                    CreditRuleVersion::PublishedAt,
                ])
                .values_panic([
                    version_id.into(),
                    1.into(),
                    from.into(),
                    "基线规则（平台初始版本，待委核实）".into(),
                    Option::<uuid::Uuid>::None.into(),
                    from.into(),
                ])
                .to_owned(),
        )
        .await?;
        for r in BASELINE {
            let trigger = serde_json::to_value(r.trigger)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            m.exec_stmt(
                Query::insert()
                    .into_table(CreditRule::Table)
                    .columns([
                        CreditRule::Id,
                        CreditRule::VersionId,
                        CreditRule::Code,
                        CreditRule::Trigger,
                        CreditRule::Points,
                        CreditRule::BadRecord,
                        CreditRule::PublicationMonths,
                        CreditRule::Source,
                        CreditRule::Confirmed,
                    ])
                    .values_panic([
                        uuid::Uuid::now_v7().into(),
                        version_id.into(),
                        r.code.into(),
                        trigger.into(),
                        r.points.into(),
                        r.bad_record.into(),
                        r.publication_months.into(),
                        r.source.into(),
                        r.confirmed.into(),
                    ])
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CreditChange::Table.into_iden(),
            CreditFeedHead::Table.into_iden(),
            CreditRecord::Table.into_iden(),
            CreditEntry::Table.into_iden(),
            CreditScore::Table.into_iden(),
            CreditRule::Table.into_iden(),
            CreditRuleVersion::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
