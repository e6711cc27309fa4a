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
    /// Whether this record's files must say nothing about who made them: only JPEG and PNG
    /// photos are taken, and their EXIF, XMP, IPTC and text metadata (device, serial number,
    /// GPS position, time, author) are removed before they are stored
    /// ([`crate::image_meta`]). For a member of the public's report, for instance.
    fn strips_metadata(&self) -> bool {
        false
    }
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

/// Bytes read from an upload at a time while it is hashed and checked.
const READ_CHUNK: usize = 64 * 1024;
/// Files up to this size are stored with one request; larger ones in parts of this size
/// (S3's smallest part is 5 MiB). What one upload holds in memory is bounded by it.
pub const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts of one upload sent at once.
const PART_CONCURRENCY: usize = 2;

/// Where the objects live: a local directory, or an S3-compatible bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// A directory (created if missing).
    Local(std::path::PathBuf),
    /// An S3-compatible bucket, objects under `prefix`.
    S3(S3Settings),
}

/// How to reach an S3-compatible bucket.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// Key prefix inside the bucket (may be empty).
    pub prefix: String,
    /// The service's URL, for S3-compatible servers (MinIO, Ceph, moto…); none: AWS.
    pub endpoint: Option<String>,
    pub region: String,
    /// Both or neither; neither: the instance's own credentials (AWS instance metadata).
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Allows an `http://` endpoint.
    pub allow_http: bool,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "***"),
            )
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// The content of an upload: a file on disk (what the gateway spools multipart files into), or
/// bytes already in memory (small files the server makes itself, such as demo photos).
pub enum Content {
    File(std::fs::File),
    Bytes(bytes::Bytes),
}

impl From<std::fs::File> for Content {
    fn from(f: std::fs::File) -> Self {
        Content::File(f)
    }
}

impl From<bytes::Bytes> for Content {
    fn from(b: bytes::Bytes) -> Self {
        Content::Bytes(b)
    }
}

/// Reads a [`Content`] from its start in chunks of at most [`READ_CHUNK`] bytes.
enum Chunks {
    File(tokio::fs::File),
    Bytes(bytes::Bytes, usize),
}

impl Chunks {
    async fn open(content: &Content) -> std::io::Result<Chunks> {
        use tokio::io::AsyncSeekExt;
        Ok(match content {
            Content::File(f) => {
                // A duplicate handle shares the offset with the original: start from 0 each pass.
                let mut f = tokio::fs::File::from_std(f.try_clone()?);
                f.seek(std::io::SeekFrom::Start(0)).await?;
                Chunks::File(f)
            }
            Content::Bytes(b) => Chunks::Bytes(b.clone(), 0),
        })
    }

    async fn next(&mut self) -> std::io::Result<Option<bytes::Bytes>> {
        use tokio::io::AsyncReadExt;
        match self {
            Chunks::File(f) => {
                let mut buf = vec![0u8; READ_CHUNK];
                let n = f.read(&mut buf).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.truncate(n);
                Ok(Some(bytes::Bytes::from(buf)))
            }
            Chunks::Bytes(b, at) => {
                if *at >= b.len() {
                    return Ok(None);
                }
                let end = (*at + READ_CHUNK).min(b.len());
                let chunk = b.slice(*at..end);
                *at = end;
                Ok(Some(chunk))
            }
        }
    }
}

/// What one orphan sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// Objects listed.
    pub listed: usize,
    /// Objects deleted: referenced by no attachment and last written before the cutoff.
    pub deleted: usize,
    /// Local store only: staging files of writes that never finished (the process stopped in
    /// the middle of one), last written before the cutoff, deleted.
    pub staging_deleted: usize,
}

/// The object store and the owner policies.
#[derive(Clone)]
pub struct AttachmentStore {
    store: Arc<dyn ObjectStore>,
    /// The directory of a local store.
    local_root: Option<std::path::PathBuf>,
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

/// The digest an object's path names, if it is one of ours (`sha256/ab/abcd…`).
fn digest_of(path: &ObjectPath) -> Option<String> {
    let name = path.filename()?;
    (name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())).then(|| name.to_owned())
}

impl AttachmentStore {
    /// A store in a local directory (created if missing).
    pub fn local(dir: &std::path::Path, limits: UploadLimits) -> AppResult<Self> {
        Self::open(&StoreLocation::Local(dir.to_path_buf()), limits)
    }

    /// A store at `location`. An S3 bucket is not contacted here: a wrong endpoint or key shows
    /// on the first upload or download.
    pub fn open(location: &StoreLocation, limits: UploadLimits) -> AppResult<Self> {
        let local_root = match location {
            StoreLocation::Local(dir) => Some(dir.clone()),
            StoreLocation::S3(_) => None,
        };
        let store: Arc<dyn ObjectStore> = match location {
            StoreLocation::Local(dir) => {
                std::fs::create_dir_all(dir).map_err(AppError::internal)?;
                Arc::new(LocalFileSystem::new_with_prefix(dir).map_err(AppError::internal)?)
            }
            StoreLocation::S3(s) => {
                let mut b = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s.bucket)
                    .with_region(&s.region)
                    .with_allow_http(s.allow_http);
                if let Some(e) = &s.endpoint {
                    b = b.with_endpoint(e);
                }
                if let (Some(id), Some(secret)) = (&s.access_key_id, &s.secret_access_key) {
                    b = b.with_access_key_id(id).with_secret_access_key(secret);
                }
                let s3 = b.build().map_err(AppError::internal)?;
                let prefix = s.prefix.trim_matches('/');
                if prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
                }
            }
        };
        Ok(AttachmentStore {
            store,
            local_root,
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

    fn too_large(&self) -> AppError {
        AppError::bad_input(
            "file",
            format!(
                "文件超过大小上限（{} MB）",
                self.limits.max_bytes / (1024 * 1024)
            ),
        )
    }

    /// Stores `content` for record `owner_type`/`owner_id` and records it, with an audit record,
    /// in `txn`. Checks the caller's right to attach, the size and the media type first; nothing
    /// is stored when any check fails.
    ///
    /// The content is read in chunks, never whole: a first pass hashes it, counts its size and
    /// keeps its first bytes for the type; a second pass streams it to the store under its
    /// digest. The object is written before `txn` commits: should the transaction fail, it stays
    /// unreferenced until [`AttachmentStore::sweep_orphans`] removes it.
    #[allow(clippy::too_many_arguments)]
    pub async fn attach(
        &self,
        db: &DatabaseConnection,
        txn: &crate::db::WriteTxn,
        who: &RequestInfo,
        owner_type: &str,
        owner_id: Uuid,
        file_name: &str,
        declared_type: Option<&str>,
        content: impl Into<Content>,
    ) -> AppResult<attachment::Model> {
        let mut content = content.into();
        let owner = self.owner(owner_type)?;
        if !owner.can_attach(db, &who.principal, owner_id).await? {
            return Err(AppError::forbidden());
        }
        if owner.strips_metadata() {
            content = self.without_metadata(content).await?;
        }
        let name = file_name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::bad_input("file", "文件名应为1到200个字符"));
        }
        // First pass: size, digest and the first bytes.
        let mut chunks = Chunks::open(&content).await.map_err(AppError::internal)?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(16);
        while let Some(chunk) = chunks.next().await.map_err(AppError::internal)? {
            size += chunk.len() as u64;
            if size > self.limits.max_bytes {
                return Err(self.too_large());
            }
            if head.len() < 16 {
                let take = (16 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
        }
        if size == 0 {
            return Err(AppError::bad_input("file", "文件为空"));
        }
        let media_type = sniff_media_type(&head)
            .and_then(|s| accepted_type(s, declared_type))
            .ok_or_else(|| {
                AppError::bad_input(
                    "file",
                    "不支持的文件类型（支持 JPEG、PNG、WebP、PDF、MP4、Word、Excel）",
                )
            })?;
        let sha256 = hex::encode(hasher.finalize());
        // Second pass: into the store. Written even when the object exists, so that its
        // modification time is fresh and the orphan sweep leaves it alone while this
        // transaction is open.
        self.put(&sha256, &content, size).await?;
        let model = attachment::ActiveModel {
            id: Set(Uuid::now_v7()),
            sha256: Set(sha256.clone()),
            size_bytes: Set(i64::try_from(size).unwrap_or(i64::MAX)),
            media_type: Set(media_type.clone()),
            file_name: Set(name.to_owned()),
            owner_type: Set(owner_type.to_owned()),
            owner_id: Set(owner_id),
            uploaded_by: Set(who.principal.account_id),
            created_at: Set(Utc::now()),
        }
        .insert(&**txn)
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

    /// A copy of the photo in `content` without its identifying metadata, in a temporary file
    /// (refused unless it is a JPEG or PNG of at most the size limit).
    async fn without_metadata(&self, content: Content) -> AppResult<Content> {
        use std::io::{Read, Seek};
        let max = self.limits.max_bytes;
        let too_large = self.too_large();
        let cleaned = tokio::task::spawn_blocking(move || -> AppResult<std::fs::File> {
            let mut source: Box<dyn Read> = match content {
                Content::File(mut f) => {
                    f.seek(std::io::SeekFrom::Start(0))
                        .map_err(AppError::internal)?;
                    Box::new(f)
                }
                Content::Bytes(b) => Box::new(std::io::Cursor::new(b)),
            };
            let mut head = [0u8; 16];
            let mut got = 0;
            while got < head.len() {
                let n = source.read(&mut head[got..]).map_err(AppError::internal)?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            let kind = sniff_media_type(&head[..got])
                .and_then(crate::image_meta::ImageKind::of_media_type)
                .ok_or_else(|| AppError::bad_input("file", "此处只接受 JPEG 或 PNG 格式的照片"))?;
            let mut out = tempfile::tempfile().map_err(AppError::internal)?;
            let input = std::io::Cursor::new(head[..got].to_vec())
                .chain(source)
                .take(max.saturating_add(1));
            crate::image_meta::strip(kind, input, &mut out)
                .map_err(|_| AppError::bad_input("file", "照片文件已损坏或不完整"))?;
            if out.stream_position().map_err(AppError::internal)? > max {
                return Err(too_large);
            }
            Ok(out)
        })
        .await
        .map_err(AppError::internal)??;
        Ok(Content::File(cleaned))
    }

    /// Streams `content` (of `size` bytes, digest `sha256`) to its content address: one request
    /// up to [`PART_BYTES`], a multipart upload above. The digest is checked again on the way, so
    /// content that changed between the passes is never stored under a wrong address.
    async fn put(&self, sha256: &str, content: &Content, size: u64) -> AppResult<()> {
        let path = object_path(sha256);
        let changed = || AppError::internal("upload content changed while it was being stored");
        let mut chunks = Chunks::open(content).await.map_err(AppError::internal)?;
        let mut hasher = Sha256::new();
        if size <= PART_BYTES as u64 {
            let mut parts = Vec::new();
            while let Some(chunk) = chunks.next().await.map_err(AppError::internal)? {
                hasher.update(&chunk);
                parts.push(chunk);
            }
            if hex::encode(hasher.finalize()) != sha256 {
                return Err(changed());
            }
            self.store
                .put(&path, parts.into_iter().collect::<PutPayload>())
                .await
                .map_err(AppError::internal)?;
            return Ok(());
        }
        let upload = self
            .store
            .put_multipart(&path)
            .await
            .map_err(AppError::internal)?;
        let mut writer = object_store::WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let streamed: AppResult<()> = async {
            while let Some(chunk) = chunks.next().await.map_err(AppError::internal)? {
                writer
                    .wait_for_capacity(PART_CONCURRENCY)
                    .await
                    .map_err(AppError::internal)?;
                hasher.update(&chunk);
                writer.put(chunk);
            }
            if hex::encode(hasher.finalize()) != sha256 {
                return Err(changed());
            }
            Ok(())
        }
        .await;
        match streamed {
            Ok(()) => {
                writer.finish().await.map_err(AppError::internal)?;
                Ok(())
            }
            Err(e) => {
                // Nothing half-written stays behind (a staging file, or the parts on S3).
                let _ = writer.abort().await;
                Err(e)
            }
        }
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

    /// The stored bytes of an attachment as a stream of chunks, for serving large files without
    /// holding them whole (the caller has been authorised already).
    pub async fn read_stream(
        &self,
        sha256: &str,
    ) -> AppResult<futures_util::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>>
    {
        let got = self
            .store
            .get(&object_path(sha256))
            .await
            .map_err(AppError::internal)?;
        Ok(got.into_stream())
    }

    /// Whether an object with this digest is stored (for tests and garbage collection).
    pub async fn exists(&self, sha256: &str) -> bool {
        self.store.head(&object_path(sha256)).await.is_ok()
    }

    /// Stores bytes under their digest without recording an attachment: what a failed upload
    /// leaves behind (for tests of the sweep). Returns the digest.
    pub async fn put_unreferenced(&self, content: bytes::Bytes) -> AppResult<String> {
        let sha256 = hex::encode(Sha256::digest(&content));
        let size = content.len() as u64;
        self.put(&sha256, &Content::Bytes(content), size).await?;
        Ok(sha256)
    }

    /// Deletes stored objects that no attachment row refers to and that were last written before
    /// `cutoff` (the scheduled job passes now minus `attachment_orphan_grace_hours`).
    ///
    /// Objects are written before the transaction recording them commits, so an upload whose
    /// transaction fails leaves one behind. Deleting it on the failure path would race with a
    /// concurrent upload of the same content (content-addressed: the same object); the grace
    /// period covers that instead: an upload rewrites its object, so an object in use by an open
    /// transaction is always younger than the cutoff. Each candidate is checked again (its
    /// references, then its age) just before it is deleted.
    pub async fn sweep_orphans<C: ConnectionTrait>(
        &self,
        db: &C,
        cutoff: chrono::DateTime<Utc>,
    ) -> AppResult<SweepReport> {
        use futures_util::TryStreamExt;
        let mut report = SweepReport::default();
        let prefix = ObjectPath::from("sha256");
        let mut listing = self.store.list(Some(&prefix));
        let mut old: Vec<(ObjectPath, String)> = Vec::new();
        while let Some(meta) = listing.try_next().await.map_err(AppError::internal)? {
            report.listed += 1;
            if meta.last_modified >= cutoff {
                continue;
            }
            if let Some(sha) = digest_of(&meta.location) {
                old.push((meta.location, sha));
            }
        }
        for batch in old.chunks(500) {
            let referenced = referenced_digests(db, batch.iter().map(|(_, s)| s.clone())).await?;
            for (path, sha) in batch {
                if referenced.contains(sha) {
                    continue;
                }
                // Again, just before deleting: still unreferenced and still old.
                if !referenced_digests(db, [sha.clone()]).await?.is_empty() {
                    continue;
                }
                match self.store.head(path).await {
                    Ok(meta) if meta.last_modified < cutoff => {}
                    _ => continue,
                }
                match self.store.delete(path).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => report.deleted += 1,
                    Err(e) => return Err(AppError::internal(e)),
                }
            }
        }
        if let Some(root) = &self.local_root {
            let root = root.join("sha256");
            report.staging_deleted =
                tokio::task::spawn_blocking(move || stale_staging(&root, cutoff))
                    .await
                    .map_err(AppError::internal)?;
        }
        if report.deleted > 0 || report.staging_deleted > 0 {
            tracing::info!(
                deleted = report.deleted,
                staging_deleted = report.staging_deleted,
                listed = report.listed,
                "orphaned attachment objects deleted"
            );
        }
        Ok(report)
    }
}

/// Deletes the local store's staging files (`<digest>#<n>`: a write in progress, renamed to
/// `<digest>` when complete) last written before `cutoff`: a write that old never finished.
/// Listing the store does not show them. Returns how many were deleted.
fn stale_staging(root: &std::path::Path, cutoff: chrono::DateTime<Utc>) -> usize {
    let cutoff = std::time::SystemTime::from(cutoff);
    let mut deleted = 0;
    let Ok(dirs) = std::fs::read_dir(root) else {
        return 0;
    };
    for dir in dirs.flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.flatten() {
            let name = f.file_name();
            let Some((digest, n)) = name.to_str().and_then(|n| n.split_once('#')) else {
                continue;
            };
            let staging =
                digest.len() == 64 && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
            let old = f
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < cutoff);
            if staging && old && std::fs::remove_file(f.path()).is_ok() {
                deleted += 1;
            }
        }
    }
    deleted
}

/// The cutoff of a sweep with a grace of `hours`: now minus the grace (the beginning of time when
/// the grace reaches past it).
pub fn orphan_cutoff(hours: u64) -> chrono::DateTime<Utc> {
    i64::try_from(hours)
        .ok()
        .and_then(chrono::TimeDelta::try_hours)
        .and_then(|grace| Utc::now().checked_sub_signed(grace))
        .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC)
}

/// Which of `digests` some attachment row refers to.
async fn referenced_digests<C: ConnectionTrait>(
    db: &C,
    digests: impl IntoIterator<Item = String>,
) -> AppResult<std::collections::HashSet<String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let digests: Vec<String> = digests.into_iter().collect();
    let rows: Vec<String> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Sha256)
        .filter(attachment::Column::Sha256.is_in(digests))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
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
