//! The JSON API under `/api/` (documented in docs/archive.md). Every refusal is
//! `{"error": "...", "status": N}` with that HTTP status.

use super::ServerState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use picbreeder::archive::{ArchiveError, Draft, ItemId, ListQuery, Sort, User};
use serde::Deserialize;

/// A refusal or failure as the client sees it.
pub(super) struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(super) fn status(&self) -> StatusCode {
        self.status
    }

    pub(super) fn message(&self) -> &str {
        &self.message
    }
}

impl From<ArchiveError> for ApiError {
    fn from(e: ArchiveError) -> ApiError {
        let status = match &e {
            ArchiveError::Invalid(_) => StatusCode::BAD_REQUEST,
            ArchiveError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ArchiveError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ArchiveError::Forbidden(_) => StatusCode::FORBIDDEN,
            ArchiveError::NotFound(_) => StatusCode::NOT_FOUND,
            ArchiveError::Conflict(_) => StatusCode::CONFLICT,
            ArchiveError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ArchiveError::Db { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            super::complain(format_args!("{e}"));
        }
        ApiError {
            status,
            retry_after: match e {
                ArchiveError::RateLimited(s) => Some(s),
                _ => None,
            },
            message: e.to_string(),
        }
    }
}

/// The JSON body of an error.
fn error_body(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({"error": message, "status": status.as_u16()});
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = error_body(self.status, &self.message);
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// Runs archive work on a blocking thread; the runtime's workers never wait on SQLite
/// or a render.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ArchiveError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request's worker failed; nothing was changed by it",
            )
        })?
        .map_err(ApiError::from)
}

/// Refusals made outside the handlers (no route, wrong method, a body over the limit,
/// a request past its time, a query or path that does not parse) say what in JSON under
/// `/api/`, and as a short page elsewhere.
pub(super) async fn errors_as_json(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let typed = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
    if typed {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match status {
        StatusCode::NOT_FOUND => "no such page or API route".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => "this route does not take that method".to_string(),
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the request is larger than the {} MiB the archive reads",
            picbreeder::limits::MAX_ARCHIVE_REQUEST_BYTES >> 20
        ),
        StatusCode::REQUEST_TIMEOUT => {
            "the request took longer than the server allows; try again later".to_string()
        }
        _ if !text.is_empty() => text,
        _ => status
            .canonical_reason()
            .unwrap_or("refused")
            .to_lowercase(),
    };
    if api {
        error_body(status, &message)
    } else {
        super::pages::error_page(status, &message)
    }
}

pub(super) fn routes() -> axum::Router<ServerState> {
    axum::Router::new()
        .route("/api/items", get(list).post(publish))
        .route("/api/items/{id}", get(item).delete(withdraw))
        .route("/api/items/{id}/lineage", get(lineage))
        .route("/api/items/{id}/branches", get(branches))
        .route("/api/items/{id}/chain", get(chain))
        .route("/api/items/{id}/picture.png", get(picture))
        .route("/api/items/{id}/thumbnail.png", get(thumbnail))
        .route("/api/items/{id}/genome.json", get(genome))
        .route("/api/tags", get(tags))
}

/// The person behind `Authorization: Bearer TOKEN`.
async fn person(state: &ServerState, headers: &HeaderMap) -> Result<User, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this needs a token: send 'Authorization: Bearer TOKEN' (an archive's keeper makes one with 'picbreeder serve add-user NAME')",
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "the Authorization header is not 'Bearer TOKEN'",
            )
        })?
        .to_string();
    let archive = state.archive.clone();
    let user = blocking(move || archive.authenticate(&token)).await?;
    state
        .rate
        .take(user.id)
        .map_err(|s| ApiError::from(ArchiveError::RateLimited(s)))?;
    Ok(user)
}

async fn publish(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let user = person(&state, &headers).await?;
    let draft: Draft = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the publish is not the JSON the archive takes: {e}"),
        )
    })?;
    let _permit =
        state.renders.acquire().await.map_err(|_| {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping")
        })?;
    let archive = state.archive.clone();
    let id = blocking(move || {
        let prepared = draft.prepare()?;
        archive.publish(&user, &prepared)
    })
    .await?;
    let url = format!("/items/{id}");
    let mut r = (
        StatusCode::CREATED,
        Json(serde_json::json!({"id": id, "url": url})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/items/{id}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

async fn withdraw(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let user = person(&state, &headers).await?;
    let archive = state.archive.clone();
    blocking(move || archive.withdraw(&user, id)).await?;
    Ok(Json(serde_json::json!({"withdrawn": id})).into_response())
}

/// A listing's query string: `sort`, `tag`, `q`, `page`, `per_page`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ListParams {
    sort: Option<Sort>,
    tag: Option<String>,
    q: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

impl ListParams {
    pub(super) fn query(&self) -> ListQuery {
        let d = ListQuery::default();
        ListQuery {
            sort: self.sort.unwrap_or(d.sort),
            tag: self.tag.clone().filter(|t| !t.is_empty()),
            text: self.q.clone().filter(|t| !t.trim().is_empty()),
            page: self.page.unwrap_or(d.page),
            per_page: self.per_page.unwrap_or(d.per_page),
        }
    }
}

async fn list(
    State(state): State<ServerState>,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let q = params.query();
    let archive = state.archive.clone();
    let listing = blocking(move || archive.list(&q)).await?;
    Ok(Json(listing).into_response())
}

async fn item(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    Ok(Json(blocking(move || archive.item(id)).await?).into_response())
}

async fn lineage(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let items = blocking(move || archive.lineage(id)).await?;
    Ok(Json(serde_json::json!({ "items": items })).into_response())
}

async fn branches(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let items = blocking(move || archive.branches(id)).await?;
    Ok(Json(serde_json::json!({ "items": items })).into_response())
}

async fn chain(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let texts = blocking(move || {
        archive.chain(id).map(|gs| {
            gs.iter()
                .map(|g| {
                    serde_json::from_str::<serde_json::Value>(
                        &picbreeder::io::json::genome_to_json(g),
                    )
                    .unwrap_or(serde_json::Value::Null)
                })
                .collect::<Vec<_>>()
        })
    })
    .await?;
    Ok(Json(serde_json::json!({ "genomes": texts })).into_response())
}

fn png_response(bytes: Vec<u8>, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/png".to_string()),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn picture(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let bytes = blocking(move || archive.png(id, false)).await?;
    Ok(png_response(bytes, format!("picbreeder-{id}.png")))
}

async fn thumbnail(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let bytes = blocking(move || archive.png(id, true)).await?;
    Ok(png_response(
        bytes,
        format!("picbreeder-{id}-thumbnail.png"),
    ))
}

async fn genome(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let text = blocking(move || archive.genome_json(id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"picbreeder-{id}.json\""),
            ),
        ],
        text,
    )
        .into_response())
}

async fn tags(State(state): State<ServerState>) -> Result<Response, ApiError> {
    let archive = state.archive.clone();
    let tags = blocking(move || archive.tags(200)).await?;
    let tags: Vec<_> = tags
        .into_iter()
        .map(|(tag, items)| serde_json::json!({"tag": tag, "items": items}))
        .collect();
    Ok(Json(serde_json::json!({ "tags": tags })).into_response())
}
