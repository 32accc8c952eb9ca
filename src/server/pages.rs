//! The archive's web pages: server-rendered HTML (maud templates), no JavaScript, so
//! anyone with a browser can look, follow a lineage and download a genome.

use super::ServerState;
use super::api::{ApiError, ListParams, blocking};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use picbreeder::archive::{ItemId, ItemSummary, Listing, Sort};

pub(super) fn routes() -> axum::Router<ServerState> {
    axum::Router::new()
        .route("/", get(newest))
        .route("/branched", get(most_branched))
        .route("/search", get(search))
        .route("/tags", get(all_tags))
        .route("/tags/{tag}", get(tag_page))
        .route("/items/{id}", get(item_page))
}

const STYLE: &str = "
body{font-family:sans-serif;margin:0;background:#f4f4f2;color:#222}
header{background:#263238;color:#fff;padding:.6em 1em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header strong a{font-size:1.2em}
header form{margin-left:auto}
main{padding:1em}
.grid{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0}
.grid li{background:#fff;padding:6px;border-radius:4px;width:128px;box-shadow:0 1px 2px #0003}
.grid img{display:block;width:128px;height:128px;image-rendering:auto}
.grid .t{font-size:.85em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.grid .m{font-size:.75em;color:#666}
.item{display:flex;gap:2em;flex-wrap:wrap}
.item img.big{width:512px;max-width:100%;height:auto;background:#fff}
.tree ul{list-style:none;padding-left:1.2em;border-left:1px solid #bbb;margin:0}
.tree li{margin:.3em 0}.tree img{width:32px;height:32px;vertical-align:middle;margin-right:.4em}
.here{font-weight:bold}.withdrawn{color:#888;font-style:italic}
.tag{display:inline-block;background:#e0e7ea;border-radius:3px;padding:0 .4em;margin:0 .2em .2em 0;color:#234;text-decoration:none}
nav.pages{margin:1em 0;display:flex;gap:1em}
";

fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - picbreeder archive" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    strong { a href="/" { "picbreeder archive" } }
                    a href="/" { "Newest" }
                    a href="/branched" { "Most branched" }
                    a href="/tags" { "Tags" }
                    form action="/search" method="get" {
                        input type="search" name="q" placeholder="search titles, tags, people" aria-label="search";
                        " "
                        button type="submit" { "Search" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A short error page (the pages' counterpart of the API's JSON errors).
pub(super) fn error_page(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    (
        status,
        page(
            title,
            html! { h1 { (status.as_u16()) " " (title) } p.error { (message) } p { a href="/" { "Back to the newest" } } },
        ),
    )
        .into_response()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0.status(), self.0.message())
    }
}

/// An [`ApiError`] shown as a page.
struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

/// `YYYY-MM-DD` of a time in seconds since 1970 (UTC), by the civil-from-days rule.
pub(super) fn date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn thumb(s: &ItemSummary) -> Markup {
    html! {
        li {
            a href={ "/items/" (s.id) } {
                img src={ "/api/items/" (s.id) "/thumbnail.png" } alt=(s.title) width="128" height="128";
                div.t { (s.title) }
            }
            div.m {
                "by " (s.author)
                @if s.branches > 0 { " · " (s.branches) " branch" @if s.branches != 1 { "es" } }
            }
        }
    }
}

/// A grid of items with links to the pages before and after.
fn grid(listing: &Listing, here: &str, extra: &str) -> Markup {
    let link = |page: u32| format!("{here}?page={page}{extra}");
    html! {
        @if listing.items.is_empty() {
            p { "Nothing published here yet." }
        } @else {
            ul.grid { @for s in &listing.items { (thumb(s)) } }
        }
        nav.pages {
            @if listing.page > 1 { a rel="prev" href=(link(listing.page - 1)) { "← newer page" } }
            span { "page " (listing.page) }
            @if listing.more { a rel="next" href=(link(listing.page + 1)) { "next page →" } }
        }
    }
}

async fn listing_page(
    state: ServerState,
    params: ListParams,
    title: String,
    here: String,
    extra: String,
    adjust: impl FnOnce(&mut picbreeder::archive::ListQuery) + Send + 'static,
) -> Result<Markup, PageError> {
    let mut q = params.query();
    adjust(&mut q);
    let archive = state.archive.clone();
    let listing = blocking(move || archive.list(&q)).await?;
    Ok(page(
        &title,
        html! { h1 { (title) } (grid(&listing, &here, &extra)) },
    ))
}

async fn newest(
    State(state): State<ServerState>,
    Query(params): Query<ListParams>,
) -> Result<Markup, PageError> {
    listing_page(
        state,
        params,
        "Newest".into(),
        "/".into(),
        String::new(),
        |q| q.sort = Sort::Newest,
    )
    .await
}

async fn most_branched(
    State(state): State<ServerState>,
    Query(params): Query<ListParams>,
) -> Result<Markup, PageError> {
    listing_page(
        state,
        params,
        "Most branched".into(),
        "/branched".into(),
        String::new(),
        |q| q.sort = Sort::Branched,
    )
    .await
}

fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

async fn search(
    State(state): State<ServerState>,
    Query(params): Query<ListParams>,
) -> Result<Markup, PageError> {
    let text = params.query().text.unwrap_or_default();
    let extra = format!("&q={}", query_escape(&text));
    listing_page(
        state,
        params,
        format!("Search: {text}"),
        "/search".into(),
        extra,
        |_| {},
    )
    .await
}

async fn tag_page(
    State(state): State<ServerState>,
    Path(tag): Path<String>,
    Query(params): Query<ListParams>,
) -> Result<Markup, PageError> {
    let here = format!("/tags/{}", query_escape(&tag));
    let t = tag.clone();
    listing_page(
        state,
        params,
        format!("Tagged {tag}"),
        here,
        String::new(),
        move |q| q.tag = Some(t),
    )
    .await
}

async fn all_tags(State(state): State<ServerState>) -> Result<Markup, PageError> {
    let archive = state.archive.clone();
    let tags = blocking(move || archive.tags(500)).await?;
    Ok(page(
        "Tags",
        html! {
            h1 { "Tags" }
            @if tags.is_empty() { p { "No tags yet." } }
            p { @for (tag, n) in &tags {
                a.tag href={ "/tags/" (query_escape(tag)) } { (tag) " (" (n) ")" } " "
            } }
        },
    ))
}

fn tree_entry(s: &ItemSummary, here: bool) -> Markup {
    html! {
        a href={ "/items/" (s.id) } class=[here.then_some("here")] {
            img src={ "/api/items/" (s.id) "/thumbnail.png" } alt="";
            (s.title)
        }
        " by " (s.author)
        @if s.withdrawn { " " span.withdrawn { "(withdrawn)" } }
        @if s.chain_length > 0 { " · " (s.chain_length) " recorded generations before it" }
    }
}

/// The ancestors from the root down to this item, with its branches below it, as
/// nested lists.
fn family_tree(lineage: &[ItemSummary], branches: &[ItemSummary]) -> Markup {
    fn nest(rest: &[ItemSummary], branches: &[ItemSummary]) -> Markup {
        let Some((first, more)) = rest.split_first() else {
            return html! {};
        };
        let here = more.is_empty();
        html! {
            ul {
                li {
                    (tree_entry(first, here))
                    @if here {
                        @if !branches.is_empty() {
                            ul { @for b in branches { li.branch { (tree_entry(b, false)) } } }
                        }
                    } @else {
                        (nest(more, branches))
                    }
                }
            }
        }
    }
    html! { div.tree { (nest(lineage, branches)) } }
}

async fn item_page(
    State(state): State<ServerState>,
    Path(id): Path<ItemId>,
) -> Result<Markup, PageError> {
    let archive = state.archive.clone();
    let (lineage, branches) =
        blocking(move || Ok((archive.lineage(id)?, archive.branches(id)?))).await?;
    let Some(item) = lineage.last().cloned() else {
        return Err(PageError(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("there is no item {id}"),
        )));
    };
    Ok(page(
        &item.title,
        html! {
            h1 { (item.title) }
            div.item {
                div {
                    img.big src={ "/api/items/" (id) "/picture.png" } alt=(item.title) width="512" height="512";
                    p {
                        a href={ "/api/items/" (id) "/picture.png" } download { "Download PNG" }
                        " (carries its genome) · "
                        a href={ "/api/items/" (id) "/genome.json" } download { "Download genome JSON" }
                    }
                }
                div {
                    p { "by " strong.author { (item.author) } ", " (date(item.created)) }
                    @if item.withdrawn { p.withdrawn { "Withdrawn by its author: kept here for the lineage of what was branched from it." } }
                    p.tags { @for t in &item.tags { a.tag href={ "/tags/" (query_escape(t)) } { (t) } } }
                    p { "Branch from it: download the PNG or the genome and open it in picbreeder (File > Open, or "
                        code { "picbreeder open FILE" } ")." }
                    h2 { "Family tree" }
                    p { (lineage.len() - 1) " ancestors, " (branches.len()) " branches" }
                    (family_tree(&lineage, &branches))
                }
            }
        },
    ))
}
