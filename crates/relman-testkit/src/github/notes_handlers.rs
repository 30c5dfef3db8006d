//! The fake GitHub's generated release notes (`POST /repos/{o}/{r}/releases/generate-notes`), as
//! GitHub writes them: `## What's Changed`, one `* TITLE by @AUTHOR in URL` line per merged pull
//! request, grouped under the categories of `.github/release.yml` (read from the linked git
//! repository at the target, or `configuration_file_path`) with its `exclude` rules, and a
//! `**Full Changelog**` compare link.
//!
//! What "since the previous release" means here: the pull requests merged after the release of
//! the previous tag was published (all merged ones when there is none); GitHub walks the commits
//! between the tags, which the fake does not model. The "New Contributors" section is left out.

use std::process::Command;

use serde_json::json;

use super::routes::{Context, not_found};
use super::state::{Pull, Repo, State};
use crate::http_server::FakeResponse;

/// One category of `.github/release.yml`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Category {
    title: String,
    labels: Vec<String>,
    exclude_labels: Vec<String>,
}

/// `.github/release.yml`, the part the fake honours.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct ReleaseConfig {
    exclude_labels: Vec<String>,
    exclude_authors: Vec<String>,
    categories: Vec<Category>,
}

pub(super) fn generate_notes(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let Some(tag) = body["tag_name"].as_str() else {
        return not_found();
    };
    let repo = &state.repos[&context.repo];
    let previous = body["previous_tag_name"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| {
            repo.releases
                .iter()
                .filter(|release| !release.draft && release.tag != tag)
                .max_by_key(|release| release.id)
                .map(|release| release.tag.clone())
        });
    let since = previous.as_deref().and_then(|previous| {
        repo.releases
            .iter()
            .find(|release| release.tag == previous)
            .and_then(|release| release.published_at.clone())
    });
    let target = body["target_commitish"].as_str().unwrap_or(tag);
    let path = body["configuration_file_path"].as_str();
    let config = read_config(repo, target, path).unwrap_or_default();
    let pulls: Vec<&Pull> = repo
        .pulls
        .iter()
        .filter(|pull| {
            pull.merged_at
                .as_deref()
                .is_some_and(|merged| since.as_deref().is_none_or(|since| merged > since))
        })
        .filter(|pull| {
            !pull
                .labels
                .iter()
                .any(|label| config.exclude_labels.contains(label))
        })
        .filter(|_| {
            !config
                .exclude_authors
                .iter()
                .any(|author| author == "octocat")
        })
        .collect();
    let web = format!("{}/{}", state.web_url, repo.full_name());
    let line = |pull: &Pull| {
        format!(
            "* {} by @octocat in {web}/pull/{}\n",
            pull.title, pull.number
        )
    };
    let mut notes = String::from("## What's Changed\n");
    if config.categories.is_empty() {
        for pull in &pulls {
            notes.push_str(&line(pull));
        }
    } else {
        let mut placed = vec![false; pulls.len()];
        for category in &config.categories {
            let members: Vec<usize> = (0..pulls.len())
                .filter(|&index| !placed[index] && category.takes(&pulls[index].labels))
                .collect();
            if members.is_empty() {
                continue;
            }
            notes.push_str(&format!("### {}\n", category.title));
            for index in members {
                placed[index] = true;
                notes.push_str(&line(pulls[index]));
            }
        }
    }
    let full = match &previous {
        Some(previous) => format!("{web}/compare/{previous}...{tag}"),
        None => format!("{web}/commits/{tag}"),
    };
    notes.push_str(&format!("\n\n**Full Changelog**: {full}"));
    FakeResponse::json(200, &json!({"name": tag, "body": notes}))
}

impl Category {
    fn takes(&self, labels: &[String]) -> bool {
        if labels
            .iter()
            .any(|label| self.exclude_labels.contains(label))
        {
            return false;
        }
        self.labels.iter().any(|wanted| wanted == "*")
            || labels.iter().any(|label| self.labels.contains(label))
    }
}

/// The configuration file at `target` in the linked git repository.
fn read_config(repo: &Repo, target: &str, path: Option<&str>) -> Option<ReleaseConfig> {
    let git_dir = repo.git_dir.as_ref()?;
    let paths: Vec<&str> = match path {
        Some(path) => vec![path],
        None => vec![".github/release.yml", ".github/release.yaml"],
    };
    paths.into_iter().find_map(|path| {
        let output = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            .arg("show")
            .arg(format!("{target}:{path}"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| parse_config(&String::from_utf8_lossy(&output.stdout)))
    })
}

/// The YAML of `release.yml`, for the shapes GitHub documents: `changelog.exclude.labels`,
/// `changelog.exclude.authors`, `changelog.categories[].title`, `.labels`, `.exclude.labels`;
/// lists in block (`- x`) or flow (`[x, y]`) style.
fn parse_config(text: &str) -> ReleaseConfig {
    let mut config = ReleaseConfig::default();
    // The keys leading to the current line, with their columns; `-` for a list item's map.
    let mut path: Vec<(usize, String)> = Vec::new();
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or_default();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut column = line.len() - line.trim_start().len();
        let mut content = line.trim();
        if let Some(item) = content.strip_prefix("- ") {
            while path
                .last()
                .is_some_and(|(at, key)| *at > column || (*at == column && key == "-"))
            {
                path.pop();
            }
            if !item.contains(": ") && !item.ends_with(':') {
                let keys: Vec<&str> = path.iter().map(|(_, key)| key.as_str()).collect();
                add_value(&mut config, &keys, scalar(item));
                continue;
            }
            if path.last().is_some_and(|(_, key)| key == "categories") {
                config.categories.push(Category::default());
            }
            path.push((column, "-".to_owned()));
            column += 2;
            content = item;
        }
        let Some((key, value)) = content.split_once(':') else {
            continue;
        };
        while path.last().is_some_and(|(at, _)| *at >= column) {
            path.pop();
        }
        let key = key.trim().to_owned();
        let value = value.trim();
        if value.is_empty() {
            path.push((column, key));
            continue;
        }
        let mut keys: Vec<&str> = path.iter().map(|(_, key)| key.as_str()).collect();
        keys.push(&key);
        if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            for item in items
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
            {
                add_value(&mut config, &keys, scalar(item));
            }
        } else if keys.ends_with(&["-", "title"])
            && let Some(category) = config.categories.last_mut()
        {
            category.title = scalar(value);
        }
    }
    config
}

fn add_value(config: &mut ReleaseConfig, keys: &[&str], value: String) {
    let in_category = keys.contains(&"-");
    match (in_category, keys) {
        (true, [.., "exclude", "labels"]) => {
            if let Some(category) = config.categories.last_mut() {
                category.exclude_labels.push(value);
            }
        }
        (true, [.., "labels"]) => {
            if let Some(category) = config.categories.last_mut() {
                category.labels.push(value);
            }
        }
        (false, [.., "exclude", "labels"]) => config.exclude_labels.push(value),
        (false, [.., "exclude", "authors"]) => config.exclude_authors.push(value),
        _ => {}
    }
}

fn scalar(text: &str) -> String {
    text.trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_yml_in_block_and_flow_style() {
        let config = parse_config(
            "changelog:\n  exclude:\n    labels:\n      - ignore-for-release\n    authors: [octocat-bot]\n  categories:\n    - title: Breaking Changes 🛠\n      labels:\n        - breaking\n    - title: \"Exciting New Features 🎉\"\n      labels: [enhancement, feature]\n      exclude:\n        labels: [wip]\n    - title: Other Changes\n      labels:\n        - \"*\"\n",
        );
        assert_eq!(
            config,
            ReleaseConfig {
                exclude_labels: vec!["ignore-for-release".to_owned()],
                exclude_authors: vec!["octocat-bot".to_owned()],
                categories: vec![
                    Category {
                        title: "Breaking Changes 🛠".to_owned(),
                        labels: vec!["breaking".to_owned()],
                        exclude_labels: vec![],
                    },
                    Category {
                        title: "Exciting New Features 🎉".to_owned(),
                        labels: vec!["enhancement".to_owned(), "feature".to_owned()],
                        exclude_labels: vec!["wip".to_owned()],
                    },
                    Category {
                        title: "Other Changes".to_owned(),
                        labels: vec!["*".to_owned()],
                        exclude_labels: vec![],
                    },
                ],
            }
        );
    }
}
