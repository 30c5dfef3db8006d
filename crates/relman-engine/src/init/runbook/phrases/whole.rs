//! Recognisers that read a whole item rather than one clause: a clone of another repository,
//! "make sure it is on PyPI", "verify Docker Hub", "assign the PR to @someone", a changelog to
//! review.

use super::Item;
use super::patterns::*;
use crate::init::runbook::actions::{Action, Scope, step, strings};
use crate::init::runbook::commands::checkout_from_url;
use crate::init::runbook::text::literal;

/// Recognisers that read the whole item rather than one clause.
pub(super) fn actions(item: &Item, scope: &Scope<'_>, found: &mut Vec<(usize, Action)>) {
    let plain = item.plain.as_str();
    if let Some(found_clone) = CLONE.captures(plain)
        && let Some(url) = found_clone.get(1)
        && let Some(checkout) = checkout_from_url(&original_url(item, url.as_str()))
    {
        found.push((
            url.start(),
            Action::Covered(format!(
                "the steps below act in `{}`, cloned from {} when it is missing (`dir` and `clone`)",
                checkout.dir, checkout.clone
            )),
        ));
        found.push((url.start(), Action::Checkout(checkout)));
        return;
    }
    // "Make sure it is on PyPI", "open https://pypi.org/project/NAME/ and check it".
    if let Some(at) = PYPI.find(plain)
        && VERIFYING.is_match(plain)
        && (PUBLISHED.is_match(plain) || PYPI_PROJECT.is_match(plain))
    {
        let package = PYPI_PROJECT.captures(plain).map_or_else(
            || scope.facts.name.clone(),
            |captures| captures[1].to_owned(),
        );
        found.push((
            at.start(),
            Action::Step(step("verify", "pypi").with("package", literal(&package))),
        ));
    }
    if let Some(at) = DOCKER.find(plain)
        && (VERIFYING.is_match(plain) || plain.contains("published"))
    {
        // The registry the line names ("published on Quay.io"), Docker Hub by default.
        let host = ["quay.io", "ghcr.io"]
            .into_iter()
            .find(|host| plain.contains(host))
            .unwrap_or("docker.io");
        let image = match &scope.facts.repo {
            Some(repo) => format!("{host}/{repo}"),
            None => format!("{host}/{}", scope.facts.name),
        };
        let mut verify = step("verify", "oci")
            .with("image", literal(&image))
            .comment("check the image name: relman guessed it from the repository");
        if plain.contains("alpha channel") {
            verify.set("tags", strings(&["alpha"]));
        }
        found.push((at.start(), Action::Step(verify)));
        if OTHER_ARTIFACTS.is_match(plain) {
            found.push((
                at.start() + 1,
                Action::Step(step("manual", literal(&item.text)).comment(
                    "relman verifies the image above; the rest of this line is left to a person",
                )),
            ));
        }
    }
    if let Some(at) = GIT_STATUS.find(plain) {
        found.push((
            at.start(),
            Action::Covered(
                "a `commit` step stages exactly what the steps before it changed, and `relman plan` lists those files"
                    .to_owned(),
            ),
        ));
    }
    if let Some(at) = SCHEME.find(plain) {
        found.push((
            at.start(),
            Action::Covered("`scheme` in [project] says what versions look like".to_owned()),
        ));
    }
    if ASSIGN_PR.is_match(plain) {
        let handles: Vec<String> = GITHUB_HANDLE
            .captures_iter(&item.text)
            .filter_map(|captures| captures.get(1).or_else(|| captures.get(2)))
            .map(|handle| handle.as_str().to_owned())
            .take(1)
            .collect();
        if !handles.is_empty() {
            let handles: Vec<&str> = handles.iter().map(String::as_str).collect();
            found.push((
                0,
                Action::Amend {
                    kind: "pull-request",
                    value: None,
                    set: vec![
                        ("reviewers", strings(&handles)),
                        ("assignees", strings(&handles)),
                    ],
                    what: format!(
                        "asks {} to review: `reviewers` and `assignees` on the pull request step",
                        handles
                            .iter()
                            .map(|h| format!("@{h}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            ));
        }
    }
    let changelog_mentioned = plain.contains("changelog");
    let has_check = found
        .iter()
        .any(|(_, action)| matches!(action, Action::Step(step) if step.kind() == "check"));
    if changelog_mentioned && !has_check && CHANGELOG_REVIEW.is_match(plain) {
        found.push((
            CHANGELOG_REVIEW.find(plain).map_or(0, |m| m.start()),
            Action::Amend {
                kind: "changelog",
                value: None,
                set: vec![("edit", toml::Value::Boolean(true))],
                what: "opens the new section in `$EDITOR` before it is written: `edit = true` on the changelog step"
                    .to_owned(),
            },
        ));
    }
}

/// The URL as the runbook wrote it (case kept), from its lower-cased match.
fn original_url(item: &Item, lowered: &str) -> String {
    let lower = item.text.to_lowercase();
    match lower.find(lowered) {
        Some(at)
            if item.text.is_char_boundary(at) && item.text.is_char_boundary(at + lowered.len()) =>
        {
            item.text[at..at + lowered.len()].to_owned()
        }
        _ => lowered.to_owned(),
    }
}
