//! Receiving a GraphQL multipart request (the graphql-multipart-request-spec): `operations`,
//! then `map`, then the files.
//!
//! Parsed here rather than by async-graphql's `receive_batch_body`, which enforces no file count
//! (its `max_num_files` only scales the size limit of the whole stream) and spools every file
//! part, mapped or not. Here each file is counted as it starts — one past `max_files` ends the
//! request before its bytes are read — and streamed in chunks into an anonymous temporary file
//! under the data directory (gone when closed, even after a crash), never held in memory.
use std::collections::HashMap;
use std::path::Path;

use async_graphql::{BatchRequest, UploadValue};
use axum::body::Body;

/// Why a multipart request was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// More file parts than allowed.
    TooManyFiles(usize),
    /// A file larger than allowed.
    FileTooLarge(u64),
    /// The whole body, or `operations`/`map`, larger than allowed.
    TooLarge,
    /// Not a well-formed GraphQL multipart request.
    Invalid(&'static str),
    /// The temporary file could not be written.
    Io(String),
}

/// Limits of one multipart request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_files: usize,
    pub max_file_bytes: u64,
    /// For `operations` and `map`.
    pub max_json_bytes: u64,
}

impl Limits {
    /// The gateway's limits (`upload_max_files`, `upload_max_bytes`, `max_body_bytes`).
    pub fn of(config: &crate::config::Config) -> Limits {
        Limits {
            max_files: config.upload_max_files,
            max_file_bytes: config.upload_max_bytes,
            max_json_bytes: config.max_body_bytes as u64,
        }
    }

    /// The largest whole body: every file at its limit, `operations` and `map` at theirs, and
    /// room for the part headers.
    pub fn whole_body(&self) -> u64 {
        self.max_file_bytes
            .saturating_mul(self.max_files as u64)
            .saturating_add(self.max_json_bytes.saturating_mul(2))
            .saturating_add(64 * 1024)
    }
}

/// Reads a multipart request: its operations with their uploads, each file a temporary file in
/// `tmp_dir`.
pub async fn receive(
    content_type: &str,
    body: Body,
    limits: Limits,
    tmp_dir: &Path,
) -> Result<BatchRequest, Refusal> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| Refusal::Invalid("multipart 请求缺少 boundary"))?;
    let whole = limits.whole_body();
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(whole)
            .per_field(limits.max_file_bytes)
            .for_field("operations", limits.max_json_bytes)
            .for_field("map", limits.max_json_bytes),
    );
    let mut multipart =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut request: Option<BatchRequest> = None;
    let mut map: Option<HashMap<String, Vec<String>>> = None;
    let mut files: Vec<(String, UploadValue)> = Vec::new();
    let mut count = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(refusal)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "operations" => {
                let bytes = field.bytes().await.map_err(refusal)?;
                request =
                    Some(serde_json::from_slice(&bytes).map_err(|_| {
                        Refusal::Invalid("operations 不是有效的 GraphQL JSON 请求")
                    })?);
            }
            "map" => {
                let bytes = field.bytes().await.map_err(refusal)?;
                map =
                    Some(serde_json::from_slice(&bytes).map_err(|_| {
                        Refusal::Invalid("map 应为 {\"文件字段\": [\"变量路径\"]}")
                    })?);
            }
            _ => {
                let Some(file_name) = field.file_name().map(str::to_owned) else {
                    // A plain form field the specification does not know: drained, ignored.
                    continue;
                };
                count += 1;
                if count > limits.max_files {
                    return Err(Refusal::TooManyFiles(limits.max_files));
                }
                let Some(map) = &map else {
                    return Err(Refusal::Invalid("operations 和 map 应在文件之前"));
                };
                if !map.contains_key(&name) {
                    // Referred to by no variable: nothing to keep.
                    while field.chunk().await.map_err(refusal)?.is_some() {}
                    continue;
                }
                let content_type = field.content_type().map(ToString::to_string);
                let file = spool(&mut field, tmp_dir).await?;
                files.push((
                    name,
                    UploadValue {
                        filename: file_name,
                        content_type,
                        content: file,
                    },
                ));
            }
        }
    }
    let mut request = request.ok_or(Refusal::Invalid("缺少 operations 部分"))?;
    let mut map = map.ok_or(Refusal::Invalid("缺少 map 部分"))?;
    for (name, upload) in files {
        let Some(paths) = map.remove(&name) else {
            continue;
        };
        for path in paths {
            let copy = upload.try_clone().map_err(|e| Refusal::Io(e.to_string()))?;
            match &mut request {
                BatchRequest::Single(r) => r.set_upload(&path, copy),
                BatchRequest::Batch(list) => {
                    let (idx, rest) = path
                        .split_once('.')
                        .ok_or(Refusal::Invalid("批量请求的 map 路径应以操作序号开头"))?;
                    let r = idx
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| list.get_mut(i))
                        .ok_or(Refusal::Invalid("map 路径指向不存在的操作"))?;
                    r.set_upload(rest, copy);
                }
            }
        }
    }
    if !map.is_empty() {
        return Err(Refusal::Invalid("map 中列出的文件缺失"));
    }
    Ok(request)
}

/// Writes a file part chunk by chunk into an anonymous temporary file, rewound for reading.
async fn spool(field: &mut multer::Field<'_>, tmp_dir: &Path) -> Result<std::fs::File, Refusal> {
    use tokio::io::{AsyncSeekExt, AsyncWriteExt};
    let io = |e: std::io::Error| Refusal::Io(e.to_string());
    let dir = tmp_dir.to_path_buf();
    let file = tokio::task::spawn_blocking(move || tempfile::tempfile_in(dir))
        .await
        .map_err(|e| Refusal::Io(e.to_string()))?
        .map_err(io)?;
    let mut file = tokio::fs::File::from_std(file);
    while let Some(chunk) = field.chunk().await.map_err(refusal)? {
        file.write_all(&chunk).await.map_err(io)?;
    }
    file.flush().await.map_err(io)?;
    file.seek(std::io::SeekFrom::Start(0)).await.map_err(io)?;
    Ok(file.into_std().await)
}

fn refusal(e: multer::Error) -> Refusal {
    match e {
        multer::Error::FieldSizeExceeded { limit, field_name }
            if !matches!(field_name.as_deref(), Some("operations" | "map")) =>
        {
            Refusal::FileTooLarge(limit)
        }
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            Refusal::TooLarge
        }
        _ => Refusal::Invalid("无效的文件上传请求"),
    }
}
