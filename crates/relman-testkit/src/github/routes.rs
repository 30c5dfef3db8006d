//! How the fake GitHub answers a request: strip the API prefix (`/api/v3`, or `/api/uploads` for
//! asset uploads, as on GitHub Enterprise), authenticate, find the operation in the OpenAPI subset
//! (which doubles as the router), check the request against it, run the operation's handler, and
//! check the response against it too. Contract violations are recorded for the test to fail on.
//! Also: GitHub's error bodies and `Link` pagination.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde_json::{Value, json};

use super::openapi::subset;
use super::state::State;
use super::{ci_handlers, notes_handlers, repo_handlers};
use crate::http_server::{FakeResponse, RecordedRequest, decode};

/// What a handler gets.
pub(super) struct Context<'a> {
    pub request: &'a RecordedRequest,
    /// Path parameters, decoded.
    pub params: HashMap<String, String>,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// `owner/name` in lower case: the key of the repository in the state.
    pub repo: String,
}

impl Context<'_> {
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    pub fn number(&self, name: &str) -> u64 {
        self.param(name).parse().unwrap_or(0)
    }

    pub fn body(&self) -> Value {
        self.request.json()
    }
}

const DOCS: &str = "https://docs.github.com/rest";

/// `404 Not Found` as GitHub sends it.
pub(super) fn not_found() -> FakeResponse {
    FakeResponse::json(
        404,
        &json!({"message": "Not Found", "documentation_url": DOCS, "status": "404"}),
    )
}

/// `422 Validation Failed` with GitHub's `errors` list.
pub(super) fn validation_failed(errors: Value) -> FakeResponse {
    FakeResponse::json(
        422,
        &json!({"message": "Validation Failed", "errors": errors, "documentation_url": DOCS, "status": "422"}),
    )
}

/// Any error status with a message.
pub(super) fn error(status: u16, message: &str) -> FakeResponse {
    FakeResponse::json(
        status,
        &json!({"message": message, "documentation_url": DOCS, "status": status.to_string()}),
    )
}

/// A page of `items` as the request's `per_page` and `page` ask (capped at the fake's page size),
/// with `Link` headers; wrapped as `{"total_count": n, "<field>": [...]}` when `field` is given.
pub(super) fn page(
    state: &State,
    context: &Context<'_>,
    items: Vec<Value>,
    field: Option<&str>,
) -> FakeResponse {
    let total = items.len();
    let (slice, link) = paginate(state, context, items);
    let body = match field {
        Some(field) => json!({"total_count": total, field: slice}),
        None => Value::Array(slice),
    };
    let response = FakeResponse::json(200, &body);
    match link {
        Some(link) => response.with_header("Link", &link),
        None => response,
    }
}

/// The items of the requested page and the `Link` header value, if there is more than one page.
pub(super) fn paginate(
    state: &State,
    context: &Context<'_>,
    items: Vec<Value>,
) -> (Vec<Value>, Option<String>) {
    let per_page = context
        .query("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, state.page_size.max(1));
    let page = context
        .query("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let last = items.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    if last == 1 {
        return (slice, None);
    }
    let origin = state
        .api_url
        .split("/api/")
        .next()
        .unwrap_or(&state.api_url);
    let url_for = |number: usize| {
        let mut query: Vec<String> = context
            .request
            .query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("page="))
            .map(str::to_owned)
            .collect();
        query.push(format!("page={number}"));
        format!("{origin}{}?{}", context.request.path, query.join("&"))
    };
    let mut links = Vec::new();
    if page < last {
        links.push(format!("<{}>; rel=\"next\"", url_for(page + 1)));
        links.push(format!("<{}>; rel=\"last\"", url_for(last)));
    }
    if page > 1 {
        links.push(format!("<{}>; rel=\"first\"", url_for(1)));
        links.push(format!("<{}>; rel=\"prev\"", url_for(page - 1)));
    }
    (slice, Some(links.join(", ")))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Answers one request to the API server.
pub(super) fn handle(
    state: &Mutex<State>,
    violations: &Mutex<Vec<String>>,
    request: &RecordedRequest,
) -> FakeResponse {
    let path = match request
        .path
        .strip_prefix("/api/v3")
        .or_else(|| request.path.strip_prefix("/api/uploads"))
    {
        Some(path) => path.to_owned(),
        None => return not_found(),
    };
    let token = lock(state).token.clone();
    match request.header("authorization") {
        None => return error(401, "Requires authentication"),
        Some(value) => {
            let given = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("token "))
                .unwrap_or_default();
            if given != token {
                return error(401, "Bad credentials");
            }
        }
    }
    let line = format!("{} {path}", request.method);
    let Some((operation, raw_params)) = subset().find(&request.method, &path) else {
        lock(violations).push(format!("{line}: no such operation in the OpenAPI subset"));
        return not_found();
    };
    let query: Vec<(String, String)> = request
        .query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect();
    let problems = subset().check_request(
        operation,
        &query,
        request.header("content-type"),
        &request.body,
    );
    if !problems.is_empty() {
        let mut recorded = lock(violations);
        for problem in &problems {
            recorded.push(format!("{line} ({}): {problem}", operation.operation_id));
        }
        return FakeResponse::json(
            422,
            &json!({"message": format!("Invalid request.\n\n{}", problems.join("\n")), "documentation_url": DOCS, "status": "422"}),
        );
    }
    let params: HashMap<String, String> = raw_params
        .into_iter()
        .map(|(k, v)| (k, decode(&v)))
        .collect();
    let repo = format!(
        "{}/{}",
        params.get("owner").map_or("", String::as_str),
        params.get("repo").map_or("", String::as_str)
    )
    .to_ascii_lowercase();
    let context = Context {
        request,
        params,
        query,
        repo,
    };
    let response = {
        let mut state = lock(state);
        if let Some(repo) = state.repos.get_mut(&context.repo) {
            repo.sync_branches();
        }
        if operation.operation_id == "users/get-authenticated" {
            let user = super::state::shaped(
                "public-user",
                json!({"login": "relman-bot", "id": 1, "node_id": "U_1", "type": "User",
                       "site_admin": false, "name": "relman bot"}),
            );
            FakeResponse::json(200, &user)
        } else if !state.repos.contains_key(&context.repo) {
            not_found()
        } else if state.read_only && request.method != "GET" {
            error(403, "Resource not accessible by personal access token")
        } else {
            route(&operation.operation_id, &mut state, &context)
        }
    };
    let problems = subset().check_response(operation, response.status, &response.body);
    if !problems.is_empty() {
        let mut recorded = lock(violations);
        for problem in problems {
            recorded.push(format!("{line} ({}): {problem}", operation.operation_id));
        }
    }
    response
}

fn route(operation_id: &str, state: &mut State, context: &Context<'_>) -> FakeResponse {
    match operation_id {
        "repos/get" => {
            let repo = &state.repos[&context.repo];
            FakeResponse::json(200, &state.repo_json(repo, "full-repository"))
        }
        "repos/list-releases" => repo_handlers::list_releases(state, context),
        "repos/create-release" => repo_handlers::create_release(state, context),
        "repos/generate-release-notes" => notes_handlers::generate_notes(state, context),
        "repos/get-release-by-tag" => repo_handlers::release_by_tag(state, context),
        "repos/get-release" => repo_handlers::get_release(state, context),
        "repos/update-release" => repo_handlers::update_release(state, context),
        "repos/delete-release" => repo_handlers::delete_release(state, context),
        "repos/list-release-assets" => repo_handlers::list_assets(state, context),
        "repos/upload-release-asset" => repo_handlers::upload_asset(state, context),
        "repos/delete-release-asset" => repo_handlers::delete_asset(state, context),
        "pulls/list" => repo_handlers::list_pulls(state, context),
        "pulls/create" => repo_handlers::create_pull(state, context),
        "pulls/get" => repo_handlers::get_pull(state, context),
        "pulls/merge" => repo_handlers::merge_pull(state, context),
        "pulls/request-reviewers" => repo_handlers::request_reviewers(state, context),
        "pulls/list-reviews" => repo_handlers::list_reviews(state, context),
        "issues/add-assignees" => repo_handlers::add_assignees(state, context),
        "issues/add-labels" => repo_handlers::add_labels(state, context),
        "issues/list-for-repo" => repo_handlers::list_issues(state, context),
        "issues/list-milestones" => repo_handlers::list_milestones(state, context),
        "checks/list-for-ref" => ci_handlers::list_check_runs(state, context),
        "repos/get-combined-status-for-ref" => ci_handlers::combined_status(state, context),
        "actions/list-workflow-runs-for-repo" | "actions/list-workflow-runs" => {
            ci_handlers::list_runs(state, context)
        }
        "actions/get-workflow-run" => ci_handlers::get_run(state, context),
        "actions/re-run-workflow-failed-jobs" => ci_handlers::rerun_failed(state, context),
        "actions/list-workflow-run-artifacts" => ci_handlers::list_artifacts(state, context),
        "actions/download-artifact" => ci_handlers::download_artifact(state, context),
        "actions/create-workflow-dispatch" => ci_handlers::dispatch(state, context),
        _ => error(501, "the fake does not implement this operation"),
    }
}
