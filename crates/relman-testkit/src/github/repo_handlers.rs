//! The fake GitHub's releases, assets, pull requests, issues and milestones, with GitHub's
//! behaviours that trip clients: `releases/tags/{tag}` hides drafts, several drafts may share a
//! tag (only a published release blocks another), a second open pull request for the same head
//! and base is a 422, an asset name can be uploaded only once.

use serde_json::{Value, json};

use super::routes::{Context, error, not_found, page, validation_failed};
use super::state::{Asset, Pull, Release, State, shaped};
use crate::http_server::FakeResponse;

fn release_response(state: &State, context: &Context<'_>, status: u16, id: u64) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    match repo.releases.iter().find(|r| r.id == id) {
        Some(release) => FakeResponse::json(status, &state.release_json(repo, release)),
        None => not_found(),
    }
}

pub(super) fn list_releases(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    let mut releases: Vec<&Release> = repo.releases.iter().collect();
    releases.sort_by_key(|r| std::cmp::Reverse(r.id));
    let items = releases
        .iter()
        .map(|r| state.release_json(repo, r))
        .collect();
    page(state, context, items, None)
}

pub(super) fn create_release(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let tag = body["tag_name"].as_str().unwrap_or_default().to_owned();
    let draft = body["draft"].as_bool().unwrap_or(false);
    let repo = &state.repos[&context.repo];
    if tag.is_empty() {
        return validation_failed(
            json!([{"resource": "Release", "code": "missing_field", "field": "tag_name"}]),
        );
    }
    if repo.releases.iter().any(|r| r.tag == tag && !r.draft) {
        return validation_failed(
            json!([{"resource": "Release", "code": "already_exists", "field": "tag_name"}]),
        );
    }
    let target = body["target_commitish"]
        .as_str()
        .map_or_else(|| repo.default_branch.clone(), str::to_owned);
    let id = state.id();
    let now = state.now();
    let release = Release {
        id,
        tag,
        target,
        name: body["name"].as_str().map(str::to_owned),
        body: body["body"].as_str().map(str::to_owned),
        draft,
        prerelease: body["prerelease"].as_bool().unwrap_or(false),
        created_at: now.clone(),
        published_at: (!draft).then_some(now),
        assets: Vec::new(),
    };
    state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router")
        .releases
        .push(release);
    release_response(state, context, 201, id)
}

pub(super) fn release_by_tag(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    match repo
        .releases
        .iter()
        .find(|r| r.tag == context.param("tag") && !r.draft)
    {
        Some(release) => FakeResponse::json(200, &state.release_json(repo, release)),
        None => not_found(),
    }
}

pub(super) fn get_release(state: &mut State, context: &Context<'_>) -> FakeResponse {
    release_response(state, context, 200, context.number("release_id"))
}

pub(super) fn update_release(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("release_id");
    let body = context.body();
    let now = state.now();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let Some(release) = repo.releases.iter_mut().find(|r| r.id == id) else {
        return not_found();
    };
    if let Some(tag) = body["tag_name"].as_str() {
        release.tag = tag.to_owned();
    }
    if let Some(name) = body["name"].as_str() {
        release.name = Some(name.to_owned());
    }
    if let Some(text) = body["body"].as_str() {
        release.body = Some(text.to_owned());
    }
    if let Some(prerelease) = body["prerelease"].as_bool() {
        release.prerelease = prerelease;
    }
    if let Some(draft) = body["draft"].as_bool() {
        if release.draft && !draft {
            release.published_at = Some(now);
        }
        release.draft = draft;
    }
    release_response(state, context, 200, id)
}

pub(super) fn delete_release(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("release_id");
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let before = repo.releases.len();
    repo.releases.retain(|r| r.id != id);
    if repo.releases.len() == before {
        return not_found();
    }
    FakeResponse::empty(204)
}

pub(super) fn list_assets(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    let Some(release) = repo
        .releases
        .iter()
        .find(|r| r.id == context.number("release_id"))
    else {
        return not_found();
    };
    let items = release
        .assets
        .iter()
        .map(|a| state.asset_json(repo, a))
        .collect();
    page(state, context, items, None)
}

pub(super) fn upload_asset(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let Some(name) = context.query("name").map(str::to_owned) else {
        return validation_failed(
            json!([{"resource": "ReleaseAsset", "code": "missing_field", "field": "name"}]),
        );
    };
    let content_type = context
        .request
        .header("content-type")
        .unwrap_or("application/octet-stream")
        .to_owned();
    let id = state.id();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let Some(release) = repo
        .releases
        .iter_mut()
        .find(|r| r.id == context.number("release_id"))
    else {
        return not_found();
    };
    if release.assets.iter().any(|a| a.name == name) {
        return validation_failed(
            json!([{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}]),
        );
    }
    let asset = Asset {
        id,
        name,
        content_type,
        data: context.request.body.clone(),
    };
    release.assets.push(asset.clone());
    let repo = &state.repos[&context.repo];
    FakeResponse::json(201, &state.asset_json(repo, &asset))
}

pub(super) fn delete_asset(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("asset_id");
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let mut found = false;
    for release in &mut repo.releases {
        let before = release.assets.len();
        release.assets.retain(|a| a.id != id);
        found |= release.assets.len() != before;
    }
    if found {
        FakeResponse::empty(204)
    } else {
        not_found()
    }
}

fn qualified(owner: &str, head: &str) -> String {
    if head.contains(':') {
        head.to_owned()
    } else {
        format!("{owner}:{head}")
    }
}

pub(super) fn list_pulls(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    let wanted_state = context.query("state").unwrap_or("open");
    let items = repo
        .pulls
        .iter()
        .filter(|p| wanted_state == "all" || p.state == wanted_state)
        .filter(|p| {
            context
                .query("head")
                .is_none_or(|head| qualified(&repo.owner, head) == p.head)
        })
        .filter(|p| context.query("base").is_none_or(|base| base == p.base))
        .map(|p| state.pull_json(repo, p, "pull-request-simple"))
        .collect();
    page(state, context, items, None)
}

/// The sha of `owner:branch`, looked up in `owner`'s repository of the same name (a fork) or in
/// this one.
fn head_sha(state: &State, context: &Context<'_>, head: &str) -> Option<String> {
    let repo = &state.repos[&context.repo];
    let (owner, branch) = head.split_once(':')?;
    let source = state
        .repos
        .get(&format!("{owner}/{}", repo.name).to_ascii_lowercase())
        .unwrap_or(repo);
    source.commit_of(branch)
}

pub(super) fn create_pull(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    let repo = &state.repos[&context.repo];
    let head = qualified(&repo.owner, &text("head"));
    let base = text("base");
    if text("title").is_empty() {
        return validation_failed(
            json!([{"resource": "PullRequest", "code": "missing_field", "field": "title"}]),
        );
    }
    if repo.commit_of(&base).is_none() {
        return validation_failed(
            json!([{"resource": "PullRequest", "code": "invalid", "field": "base"}]),
        );
    }
    let Some(sha) = head_sha(state, context, &head) else {
        return validation_failed(
            json!([{"resource": "PullRequest", "code": "invalid", "field": "head"}]),
        );
    };
    if repo
        .pulls
        .iter()
        .any(|p| p.state == "open" && p.head == head && p.base == base)
    {
        return validation_failed(json!([{"resource": "PullRequest", "code": "custom",
            "message": format!("A pull request already exists for {head}.")}]));
    }
    let id = state.id();
    let now = state.now();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    repo.next_number += 1;
    let number = repo.next_number;
    repo.pulls.push(Pull {
        number,
        id,
        title: text("title"),
        body: body["body"].as_str().map(str::to_owned),
        head,
        base,
        head_sha: sha,
        state: "open".to_owned(),
        draft: body["draft"].as_bool().unwrap_or(false),
        merged_at: None,
        merge_commit_sha: None,
        merge_method: None,
        mergeable: true,
        reviewers: Vec::new(),
        team_reviewers: Vec::new(),
        reviews: Vec::new(),
        assignees: Vec::new(),
        labels: Vec::new(),
        created_at: now,
    });
    let repo = &state.repos[&context.repo];
    let pull = repo.pulls.last().expect("just pushed");
    FakeResponse::json(201, &state.pull_json(repo, pull, "pull-request"))
}

pub(super) fn get_pull(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    match repo
        .pulls
        .iter()
        .find(|p| p.number == context.number("pull_number"))
    {
        Some(pull) => FakeResponse::json(200, &state.pull_json(repo, pull, "pull-request")),
        None => not_found(),
    }
}

pub(super) fn merge_pull(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let sha = format!("{:040x}", state.id());
    let now = state.now();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let Some(pull) = repo
        .pulls
        .iter_mut()
        .find(|p| p.number == context.number("pull_number"))
    else {
        return not_found();
    };
    if pull.state != "open" || !pull.mergeable {
        return error(405, "Pull Request is not mergeable");
    }
    if body["sha"]
        .as_str()
        .is_some_and(|expected| expected != pull.head_sha)
    {
        return error(
            409,
            "Head branch was modified. Review and try the merge again.",
        );
    }
    pull.state = "closed".to_owned();
    pull.merged_at = Some(now);
    pull.merge_commit_sha = Some(sha.clone());
    pull.merge_method = Some(body["merge_method"].as_str().unwrap_or("merge").to_owned());
    let base = pull.base.clone();
    repo.branches.insert(base, sha.clone());
    FakeResponse::json(
        200,
        &json!({"sha": sha, "merged": true, "message": "Pull Request successfully merged"}),
    )
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| {
            item.as_str()
                .or_else(|| item["name"].as_str())
                .or_else(|| item["login"].as_str())
        })
        .map(str::to_owned)
        .collect()
}

pub(super) fn request_reviewers(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let Some(pull) = repo
        .pulls
        .iter_mut()
        .find(|p| p.number == context.number("pull_number"))
    else {
        return not_found();
    };
    pull.reviewers.extend(strings(&body["reviewers"]));
    pull.team_reviewers.extend(strings(&body["team_reviewers"]));
    let repo = &state.repos[&context.repo];
    let pull = repo
        .pulls
        .iter()
        .find(|p| p.number == context.number("pull_number"))
        .expect("found above");
    FakeResponse::json(201, &state.pull_json(repo, pull, "pull-request-simple"))
}

/// Issues and pull requests share numbers; the issues API edits both.
fn edit_issue(
    state: &mut State,
    context: &Context<'_>,
    edit: impl Fn(&mut Vec<String>, &mut Vec<String>),
) -> Option<()> {
    let number = context.number("issue_number");
    let repo = state.repos.get_mut(&context.repo)?;
    if let Some(pull) = repo.pulls.iter_mut().find(|p| p.number == number) {
        edit(&mut pull.assignees, &mut pull.labels);
        return Some(());
    }
    let issue = repo.issues.iter_mut().find(|i| i.number == number)?;
    let mut assignees = Vec::new();
    edit(&mut assignees, &mut issue.labels);
    Some(())
}

fn issue_response(state: &State, context: &Context<'_>, status: u16) -> FakeResponse {
    let number = context.number("issue_number");
    let repo = &state.repos[&context.repo];
    let issue = match repo.pulls.iter().find(|p| p.number == number) {
        Some(pull) => super::state::Issue {
            number,
            id: pull.id,
            title: pull.title.clone(),
            open: pull.state == "open",
            labels: pull.labels.clone(),
            milestone: None,
            is_pull: true,
        },
        None => match repo.issues.iter().find(|i| i.number == number) {
            Some(issue) => issue.clone(),
            None => return not_found(),
        },
    };
    FakeResponse::json(status, &state.issue_json(repo, &issue))
}

pub(super) fn add_assignees(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let added = strings(&context.body()["assignees"]);
    if edit_issue(state, context, |assignees, _| {
        assignees.extend(added.iter().cloned());
    })
    .is_none()
    {
        return not_found();
    }
    issue_response(state, context, 201)
}

pub(super) fn add_labels(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let added = if body.is_array() {
        strings(&body)
    } else {
        strings(&body["labels"])
    };
    if edit_issue(state, context, |_, labels| {
        for label in &added {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
    })
    .is_none()
    {
        return not_found();
    }
    let repo = &state.repos[&context.repo];
    let number = context.number("issue_number");
    let labels: Vec<String> = repo
        .pulls
        .iter()
        .find(|p| p.number == number)
        .map(|p| p.labels.clone())
        .or_else(|| {
            repo.issues
                .iter()
                .find(|i| i.number == number)
                .map(|i| i.labels.clone())
        })
        .unwrap_or_default();
    let items: Vec<Value> = labels
        .iter()
        .map(|name| state.label_json(repo, name))
        .collect();
    FakeResponse::json(200, &Value::Array(items))
}

pub(super) fn list_issues(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    let wanted_state = context.query("state").unwrap_or("open");
    let labels: Vec<&str> = context
        .query("labels")
        .map(|labels| labels.split(',').collect())
        .unwrap_or_default();
    let milestone = context.query("milestone");
    let mut issues: Vec<super::state::Issue> = repo.issues.clone();
    for pull in &repo.pulls {
        issues.push(super::state::Issue {
            number: pull.number,
            id: pull.id,
            title: pull.title.clone(),
            open: pull.state == "open",
            labels: pull.labels.clone(),
            milestone: None,
            is_pull: true,
        });
    }
    issues.sort_by_key(|issue| std::cmp::Reverse(issue.number));
    let items = issues
        .iter()
        .filter(|i| match wanted_state {
            "all" => true,
            "closed" => !i.open,
            _ => i.open,
        })
        .filter(|i| {
            labels
                .iter()
                .all(|label| i.labels.iter().any(|l| l == label))
        })
        .filter(|i| match milestone {
            None | Some("*") => milestone.is_none() || i.milestone.is_some(),
            Some("none") => i.milestone.is_none(),
            Some(number) => i.milestone.map(|n| n.to_string()).as_deref() == Some(number),
        })
        .map(|i| state.issue_json(repo, i))
        .collect();
    page(state, context, items, None)
}

pub(super) fn list_milestones(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    let wanted_state = context.query("state").unwrap_or("open");
    let items = repo
        .milestones
        .iter()
        .filter(|m| match wanted_state {
            "all" => true,
            "closed" => !m.open,
            _ => m.open,
        })
        .map(|m| state.milestone_json(repo, m))
        .collect();
    page(state, context, items, None)
}

pub(super) fn list_reviews(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let repo = &state.repos[&context.repo];
    let Some(pull) = repo
        .pulls
        .iter()
        .find(|p| p.number == context.number("pull_number"))
    else {
        return not_found();
    };
    let reviews: Vec<Value> = pull
        .reviews
        .iter()
        .enumerate()
        .map(|(index, (login, review_state))| {
            shaped(
                "pull-request-review",
                json!({"id": index + 1, "node_id": format!("PRR_{}", index + 1),
                       "user": state.user(login), "body": "", "state": review_state,
                       "commit_id": pull.head_sha, "author_association": "MEMBER"}),
            )
        })
        .collect();
    FakeResponse::json(200, &Value::Array(reviews))
}
