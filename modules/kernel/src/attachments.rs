//! Attachments: photos and documents every module attaches to its records (docs/architecture.md).
//!
//! Objects are stored through `object_store` (a local directory under the data directory by
//! default), content-addressed by SHA-256, so the same photo uploaded twice is stored once. Each
//! attachment row belongs to one owner record; it is served only to callers who may read that
//! record, as decided by the owner type's [`AttachmentOwner`] policy, registered by its module.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use futures_util::future::BoxFuture;
use jianan_entity::attachment;
use object_store::{ObjectStore, PutPayload, local::LocalFileSystem, path::Path as ObjectPath};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, AuditEntry};
use crate::error::{AppError, AppResult};
use crate::loader::Record;
use crate::principal::{Principal, RequestInfo};
use crate::scope::{ScopedEntity, scoped};

/// Who may read and attach to records of one type.
pub trait AttachmentOwner: Send + Sync {
    /// The owner's GraphQL type name, e.g. `Project`.
    fn owner_type(&self) -> &'static str;
    /// May `principal` read record `owner_id` (and so its attachments)?
    fn can_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        principal: &'a Principal,
        owner_id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>>;
    /// May `principal` attach files to record `owner_id`?
    fn can_attach<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        principal: &'a Principal,
        owner_id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>>;
}

/// The usual policy, stated once: a record's files are readable by whoever holds one of `read`
/// and sees the record in their row scope, and attachable by whoever holds one of `attach` and
/// sees it.
pub struct ScopedOwner<E> {
    type_name: &'static str,
    read: &'static [&'static str],
    attach: &'static [&'static str],
    _e: std::marker::PhantomData<fn() -> E>,
}

impl<E> ScopedOwner<E> {
    pub const fn new(
        type_name: &'static str,
        read: &'static [&'static str],
        attach: &'static [&'static str],
    ) -> Self {
        ScopedOwner {
            type_name,
            read,
            attach,
            _e: std::marker::PhantomData,
        }
    }

    /// The permission half of [`AttachmentOwner::can_attach`]: whether `p` holds one of the attach
    /// permissions. For a record the caller already sees (a record object in a response), this is
    /// the whole answer — what a record's `viewerCan { attach }` shows.
    pub fn permits_attach(&self, p: &Principal) -> bool {
        self.attach.iter().any(|r| p.can(r))
    }
}

/// Checks photos a step of a record refers to: each id must be an image attachment of that record
/// (`owner_type`, `owner_id`), uploaded beforehand; duplicates are dropped; at least `min` are
/// needed. Errors name `field`. Returns the ids in the order given.
pub async fn checked_photos<C: ConnectionTrait>(
    txn: &C,
    owner_type: &str,
    owner_id: Uuid,
    ids: &[Uuid],
    field: &str,
    min: usize,
) -> AppResult<Vec<Uuid>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut unique: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    if unique.len() < min {
        return Err(AppError::bad_input(
            field,
            format!("须附照片至少{min}张（先上传到该记录，再引用其编号）"),
        ));
    }
    if unique.len() > 20 {
        return Err(AppError::bad_input(field, "照片最多20张"));
    }
    if unique.is_empty() {
        return Ok(unique);
    }
    let found = attachment::Entity::find()
        .filter(attachment::Column::Id.is_in(unique.clone()))
        .filter(attachment::Column::OwnerType.eq(owner_type))
        .filter(attachment::Column::OwnerId.eq(owner_id))
        .all(txn)
        .await?;
    for id in &unique {
        match found.iter().find(|a| a.id == *id) {
            None => {
                return Err(AppError::bad_input(field, "照片须是已上传到该记录的附件"));
            }
            Some(a) if !a.media_type.starts_with("image/") => {
                return Err(AppError::bad_input(
                    field,
                    format!("附件“{}”不是照片", a.file_name),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(unique)
}

/// Whether `principal` sees record `id` of `E` (the kernel's row scope).
pub async fn visible<E>(db: &DatabaseConnection, principal: &Principal, id: Uuid) -> AppResult<bool>
where
    E: Record + ScopedEntity,
    E::Model: Send + Sync,
{
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(scoped::<E>(principal)
        .filter(E::id_column().eq(id))
        .count(db)
        .await?
        == 1)
}

impl<E> AttachmentOwner for ScopedOwner<E>
where
    E: Record + ScopedEntity,
    E::Model: Send + Sync,
{
    fn owner_type(&self) -> &'static str {
        self.type_name
    }
    fn can_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        p: &'a Principal,
        id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(
            async move { Ok(self.read.iter().any(|r| p.can(r)) && visible::<E>(db, p, id).await?) },
        )
    }
    fn can_attach<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        p: &'a Principal,
        id: Uuid,
    ) -> BoxFuture<'a, AppResult<bool>> {
        Box::pin(async move { Ok(self.permits_attach(p) && visible::<E>(db, p, id).await?) })
    }
}

/// Limits on uploads.
#[derive(Debug, Clone)]
pub struct UploadLimits {
    pub max_bytes: u64,
    pub max_files: usize,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_bytes: 20 * 1024 * 1024,
            max_files: 10,
        }
    }
}

/// The object store and the owner policies.
#[derive(Clone)]
pub struct AttachmentStore {
    store: Arc<dyn ObjectStore>,
    pub limits: UploadLimits,
    owners: Arc<HashMap<&'static str, Arc<dyn AttachmentOwner>>>,
}

/// A file's bytes identified by its content: accepted media types are recognised from the bytes
/// themselves, never trusted from the client's declaration alone.
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], usize, &str)] = &[
        (b"\xFF\xD8\xFF", 0, "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
        (b"%PDF-", 0, "application/pdf"),
        (b"WEBP", 8, "image/webp"),
        (b"ftyp", 4, "video/mp4"),
        (b"PK\x03\x04", 0, "application/zip"),
    ];
    SIGNATURES.iter().find_map(|(sig, at, ty)| {
        bytes
            .get(*at..at + sig.len())
            .filter(|b| b == sig)
            .map(|_| *ty)
    })
}

/// Office documents are zip containers: the declared type decides which one it is.
fn accepted_type(sniffed: &'static str, declared: Option<&str>) -> Option<String> {
    const OFFICE: &[&str] = &[
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ];
    if sniffed == "application/zip" {
        return declared.filter(|d| OFFICE.contains(d)).map(str::to_owned);
    }
    Some(sniffed.to_owned())
}

fn object_path(sha256: &str) -> ObjectPath {
    ObjectPath::from(format!(
        "sha256/{}/{}",
        sha256.get(..2).unwrap_or("00"),
        sha256
    ))
}

impl AttachmentStore {
    /// A store in a local directory (created if missing).
    pub fn local(dir: &std::path::Path, limits: UploadLimits) -> AppResult<Self> {
        std::fs::create_dir_all(dir).map_err(AppError::internal)?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(AppError::internal)?;
        Ok(AttachmentStore {
            store: Arc::new(store),
            limits,
            owners: Arc::default(),
        })
    }

    /// Registers the owner policies of every module.
    pub fn with_owners(mut self, owners: Vec<Arc<dyn AttachmentOwner>>) -> Self {
        self.owners = Arc::new(owners.into_iter().map(|o| (o.owner_type(), o)).collect());
        self
    }

    fn owner(&self, owner_type: &str) -> AppResult<&Arc<dyn AttachmentOwner>> {
        self.owners
            .get(owner_type)
            .ok_or_else(|| AppError::bad_input("ownerId", "该类型的记录不能添加附件"))
    }

    /// May `principal` read the record `owner_type`/`owner_id`?
    pub async fn can_read(
        &self,
        db: &DatabaseConnection,
        principal: &Principal,
        owner_type: &str,
        owner_id: Uuid,
    ) -> AppResult<bool> {
        match self.owners.get(owner_type) {
            Some(o) => o.can_read(db, principal, owner_id).await,
            None => Ok(false),
        }
    }

    /// Stores `content` for record `owner_type`/`owner_id` and records it, with an audit record,
    /// in `txn`. Checks the caller's right to attach, the size and the media type first; nothing
    /// is stored when any check fails.
    #[allow(clippy::too_many_arguments)]
    pub async fn attach<C: ConnectionTrait>(
        &self,
        db: &DatabaseConnection,
        txn: &C,
        who: &RequestInfo,
        owner_type: &str,
        owner_id: Uuid,
        file_name: &str,
        declared_type: Option<&str>,
        content: bytes::Bytes,
    ) -> AppResult<attachment::Model> {
        let owner = self.owner(owner_type)?;
        if !owner.can_attach(db, &who.principal, owner_id).await? {
            return Err(AppError::forbidden());
        }
        let bytes = content;
        if bytes.len() as u64 > self.limits.max_bytes {
            return Err(AppError::bad_input(
                "file",
                format!(
                    "文件超过大小上限（{} MB）",
                    self.limits.max_bytes / (1024 * 1024)
                ),
            ));
        }
        if bytes.is_empty() {
            return Err(AppError::bad_input("file", "文件为空"));
        }
        let media_type = sniff_media_type(&bytes)
            .and_then(|s| accepted_type(s, declared_type))
            .ok_or_else(|| {
                AppError::bad_input(
                    "file",
                    "不支持的文件类型（支持 JPEG、PNG、WebP、PDF、MP4、Word、Excel）",
                )
            })?;
        let name = file_name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::bad_input("file", "文件名应为1到200个字符"));
        }
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let size = bytes.len() as i64;
        self.store
            .put(&object_path(&sha256), PutPayload::from(bytes))
            .await
            .map_err(AppError::internal)?;
        let model = attachment::ActiveModel {
            id: Set(Uuid::now_v7()),
            sha256: Set(sha256.clone()),
            size_bytes: Set(size),
            media_type: Set(media_type.clone()),
            file_name: Set(name.to_owned()),
            owner_type: Set(owner_type.to_owned()),
            owner_id: Set(owner_id),
            uploaded_by: Set(who.principal.account_id),
            created_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
        audit::record(
            txn,
            who,
            AuditEntry::new("kernel.attachment.upload", "Attachment", model.id).detail(
                serde_json::json!({
                    "ownerType": owner_type, "ownerId": owner_id, "sha256": sha256,
                    "size": size, "mediaType": media_type,
                }),
            ),
        )
        .await?;
        Ok(model)
    }

    /// The stored bytes of an attachment (the caller has been authorised already).
    pub async fn read(&self, sha256: &str) -> AppResult<bytes::Bytes> {
        let got = self
            .store
            .get(&object_path(sha256))
            .await
            .map_err(AppError::internal)?;
        got.bytes().await.map_err(AppError::internal)
    }

    /// Whether an object with this digest is stored (for tests and garbage collection).
    pub async fn exists(&self, sha256: &str) -> bool {
        self.store.head(&object_path(sha256)).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_the_bytes() {
        assert_eq!(
            sniff_media_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert_eq!(sniff_media_type(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(sniff_media_type(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(
            sniff_media_type(b"RIFF\0\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(sniff_media_type(b"<html>"), None);
        assert_eq!(
            accepted_type("application/zip", Some("application/zip")),
            None
        );
        assert!(
            accepted_type(
                "application/zip",
                Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            )
            .is_some()
        );
    }
}
