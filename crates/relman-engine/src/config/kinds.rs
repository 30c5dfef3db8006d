//! The table of step kinds: which key names a kind, which options each kind takes, and which
//! values its kind key accepts. Validation, the JSON Schema and `relman docs` all read this one
//! table, so a kind cannot be documented one way and validated another.

/// Options every step takes.
pub const COMMON_OPTIONS: &[&str] = &["name", "id", "if", "timeout", "retries"];

/// Options of steps that act in a checkout (git, command and changelog steps).
const CHECKOUT_OPTIONS: &[&str] = &["dir", "clone"];

/// One step kind.
#[derive(Debug)]
pub struct KindSpec {
    /// The key that names the kind, e.g. `cherry-pick`.
    pub key: &'static str,
    /// What the kind does, one line (used by `relman docs` and the schema).
    pub summary: &'static str,
    /// The values the kind key accepts, when it is a fixed set (`check`, `wait`, `verify` …).
    pub values: &'static [&'static str],
    /// Options besides the common ones.
    pub options: &'static [&'static str],
    /// Whether the step can act in another checkout (`dir`, `clone`).
    pub in_checkout: bool,
}

impl KindSpec {
    /// Whether `option` is valid on this kind.
    pub fn takes(&self, option: &str) -> bool {
        COMMON_OPTIONS.contains(&option)
            || self.options.contains(&option)
            || (self.in_checkout && CHECKOUT_OPTIONS.contains(&option))
    }

    /// Every option this kind takes, for suggestions.
    pub fn all_options(&self) -> impl Iterator<Item = &'static str> + '_ {
        let checkout: &[&str] = if self.in_checkout {
            CHECKOUT_OPTIONS
        } else {
            &[]
        };
        COMMON_OPTIONS
            .iter()
            .chain(self.options)
            .chain(checkout)
            .copied()
    }
}

pub const CHECKS: &[&str] = &[
    "branch",
    "clean",
    "up-to-date",
    "tag-available",
    "version-bumped",
    "changelog-entry",
    "ci-green",
    "milestone-closed",
    "no-open-issues",
];

/// Kinds whose key is never also an option of another kind. A step names exactly one of these,
/// or else exactly one of [`GIT_KINDS`].
pub const KINDS: &[KindSpec] = &[
    KindSpec {
        key: "check",
        summary: "a read-only check that stops the release when it fails",
        values: CHECKS,
        options: &[
            "branch",
            "allow-untracked",
            "tag",
            "remote",
            "milestone",
            "label",
            "ref",
        ],
        in_checkout: true,
    },
    KindSpec {
        key: "bump",
        summary: "write the new version to every version file",
        values: &[],
        options: &["pre", "allow-downgrade"],
        in_checkout: false,
    },
    KindSpec {
        key: "changelog",
        summary: "render this release's section and insert it into the changelog",
        values: &["update"],
        options: &["edit"],
        in_checkout: true,
    },
    KindSpec {
        key: "checksums",
        summary: "write a SHA256SUMS file for the matching artifacts",
        values: &[],
        options: &["sign", "output"],
        in_checkout: true,
    },
    KindSpec {
        key: "run",
        summary: "run a command",
        values: &[],
        options: &["shell", "cwd", "env", "idempotent", "undo"],
        in_checkout: true,
    },
    KindSpec {
        key: "commit",
        summary: "commit what earlier steps changed",
        values: &[],
        options: &["add", "sign"],
        in_checkout: true,
    },
    KindSpec {
        key: "cherry-pick",
        summary: "cherry-pick commits onto the current branch, recorded with -x",
        values: &[],
        options: &[],
        in_checkout: true,
    },
    KindSpec {
        key: "release",
        summary: "create, update or publish the forge release for the tag",
        values: &["draft", "publish"],
        options: &["tag", "notes", "keep-notes", "assets", "prerelease", "repo"],
        in_checkout: false,
    },
    KindSpec {
        key: "pull-request",
        summary: "open a pull request, or reuse the open one for the same head and base",
        values: &["open"],
        options: &[
            "head",
            "base",
            "title",
            "body",
            "reviewers",
            "assignees",
            "labels",
            "repo",
            "draft",
        ],
        in_checkout: false,
    },
    KindSpec {
        key: "merge-pull-request",
        summary: "merge a pull request",
        values: &[],
        options: &["method", "repo"],
        in_checkout: false,
    },
    KindSpec {
        key: "dispatch",
        summary: "dispatch a GitHub Actions workflow and wait for its run",
        values: &[],
        options: &["ref", "inputs", "artifacts", "repo", "interval"],
        in_checkout: false,
    },
    KindSpec {
        key: "circleci",
        summary: "trigger a CircleCI pipeline and wait for its workflows",
        values: &["pipeline"],
        options: &[
            "branch",
            "tag",
            "parameters",
            "artifacts",
            "project",
            "token-env",
            "interval",
        ],
        in_checkout: false,
    },
    KindSpec {
        key: "wait",
        summary: "wait until checks are green, a pull request is merged, or a URL answers",
        values: &["checks", "pr-merged", "url"],
        options: &[
            "ref",
            "rerun-failed",
            "pr",
            "url",
            "status",
            "contains",
            "interval",
            "repo",
            "token-env",
        ],
        in_checkout: false,
    },
    KindSpec {
        key: "verify",
        summary: "verify that a published artifact is really there",
        values: &["pypi", "oci", "helm", "url"],
        options: &[
            "package",
            "index",
            "files",
            "image",
            "tags",
            "platforms",
            "same-as",
            "repo",
            "chart",
            "url",
            "status",
            "contains",
            "interval",
            "username-env",
            "password-env",
        ],
        in_checkout: false,
    },
    KindSpec {
        key: "http",
        summary: "send an HTTP request",
        values: &[],
        options: &[
            "headers",
            "json",
            "body",
            "expect",
            "save",
            "find",
            "found",
            "idempotent",
        ],
        in_checkout: false,
    },
    KindSpec {
        key: "slack",
        summary: "post a message to a Slack channel through an incoming webhook",
        values: &[],
        options: &["message", "webhook-env"],
        in_checkout: false,
    },
    KindSpec {
        key: "webhook",
        summary: "post a JSON payload to a URL",
        values: &[],
        options: &["payload", "headers"],
        in_checkout: false,
    },
    KindSpec {
        key: "email",
        summary: "send an email over SMTP (RELMAN_SMTP_URL)",
        values: &[],
        options: &["subject", "body", "cc", "from"],
        in_checkout: false,
    },
    KindSpec {
        key: "manual",
        summary: "something a person does; the release waits for them",
        values: &[],
        options: &["checklist"],
        in_checkout: false,
    },
];

/// Git kinds whose key is also an option of other kinds (`tag` on `circleci`, `branch` on
/// `check`, `switch` on `branch`). A step is one of these only when it names no kind of [`KINDS`].
pub const GIT_KINDS: &[KindSpec] = &[
    KindSpec {
        key: "tag",
        summary: "create the release tag: lightweight, annotated (message) or signed (sign)",
        values: &[],
        options: &["message", "sign"],
        in_checkout: true,
    },
    KindSpec {
        key: "push",
        summary: "push the branch, the tag, or both atomically",
        values: &["branch", "tag"],
        options: &["remote"],
        in_checkout: true,
    },
    KindSpec {
        key: "branch",
        summary: "create a branch and switch to it",
        values: &[],
        options: &["from", "switch"],
        in_checkout: true,
    },
    KindSpec {
        key: "switch",
        summary: "switch to a branch",
        values: &[],
        options: &[],
        in_checkout: true,
    },
    KindSpec {
        key: "merge",
        summary: "merge the current branch into another with a merge commit",
        values: &[],
        options: &["message"],
        in_checkout: true,
    },
];

/// The spec of a kind by its key.
pub fn kind(key: &str) -> Option<&'static KindSpec> {
    KINDS.iter().chain(GIT_KINDS).find(|spec| spec.key == key)
}

/// Every kind, in documentation order.
pub fn all() -> impl Iterator<Item = &'static KindSpec> {
    KINDS.iter().chain(GIT_KINDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_of_every_kind_is_a_key_of_the_step_table() {
        let schema = schemars::schema_for!(super::super::step_raw::StepConfig);
        let properties = schema
            .get("properties")
            .and_then(|value| value.as_object())
            .expect("the step schema has properties");
        for spec in all() {
            assert!(
                properties.contains_key(spec.key),
                "kind `{}` is not a key",
                spec.key
            );
            for option in spec.all_options() {
                assert!(
                    properties.contains_key(option),
                    "option `{option}` of `{}` is not a key of StepConfig",
                    spec.key
                );
            }
        }
    }

    #[test]
    fn every_key_of_the_step_table_belongs_to_some_kind() {
        let schema =
            serde_json::to_value(schemars::schema_for!(super::super::step_raw::StepConfig))
                .unwrap();
        let properties = schema["properties"].as_object().unwrap();
        for key in properties.keys() {
            let used = all().any(|spec| spec.key == key || spec.takes(key));
            assert!(
                used,
                "key `{key}` is accepted by serde but taken by no kind"
            );
        }
    }
}
