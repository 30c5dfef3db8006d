//! The raw shape of one `[[workflow.NAME.step]]` table.
//!
//! TOML has no tagged unions, so a step is one flat table in which exactly one *kind* key says what
//! the step does (`tag = "{tag}"`, `check = "clean"` …) and the other keys are options. Serde denies
//! keys that no step has; `config::steps` then decides the kind and rejects options that do not
//! belong to it, using the table in `config::kinds`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

type S<T> = Spanned<T>;

/// One step. Exactly one kind key; the other keys are options of that kind.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StepConfig {
    // ---- kind keys -------------------------------------------------------------------------
    /// A read-only check: branch, clean, up-to-date, tag-available, version-bumped,
    /// changelog-entry, ci-green, milestone-closed, no-open-issues.
    #[schemars(with = "Option<String>")]
    pub check: Option<S<String>>,
    /// Bump level (`major` … `auto`, `dev`) or an explicit version.
    #[schemars(with = "Option<String>")]
    pub bump: Option<S<String>>,
    /// `update`: render this release's section and insert it.
    #[schemars(with = "Option<String>")]
    pub changelog: Option<S<String>>,
    /// A glob of artifacts to list in a `SHA256SUMS` file.
    #[schemars(with = "Option<String>")]
    pub checksums: Option<S<String>>,
    /// A command: split like a shell (placeholders stay whole arguments), or an argv array.
    #[schemars(with = "Option<StringOrList>")]
    pub run: Option<S<StringOrList>>,
    /// Commit message; stages what earlier steps changed plus `add`.
    #[schemars(with = "Option<String>")]
    pub commit: Option<S<String>>,
    /// Tag name (usually `{tag}`); also the tag option of `circleci`, `release` and checks.
    #[schemars(with = "Option<String>")]
    pub tag: Option<S<String>>,
    /// `branch`, `tag`, or both (atomically).
    #[schemars(with = "Option<StringOrList>")]
    pub push: Option<S<StringOrList>>,
    /// Branch to create; also the branch option of `check = "branch"` and `circleci`.
    #[schemars(with = "Option<String>")]
    pub branch: Option<S<String>>,
    /// Branch to switch to; on a `branch` step, `false` creates without switching.
    #[schemars(with = "Option<StringOrBool>")]
    pub switch: Option<S<StringOrBool>>,
    /// Merge the current branch into this one with a merge commit.
    #[schemars(with = "Option<String>")]
    pub merge: Option<S<String>>,
    /// Commits to cherry-pick (recorded with `-x`).
    #[schemars(with = "Option<StringOrList>")]
    pub cherry_pick: Option<S<StringOrList>>,
    /// `draft` or `publish` a forge release for `{tag}`.
    #[schemars(with = "Option<String>")]
    pub release: Option<S<String>>,
    /// `open`: open (or reuse) a pull request.
    #[schemars(with = "Option<String>")]
    pub pull_request: Option<S<String>>,
    /// The pull request number to merge, usually `{pr_number}`.
    #[schemars(with = "Option<String>")]
    pub merge_pull_request: Option<S<StringOrInt>>,
    /// A GitHub Actions workflow file to dispatch, e.g. `release.yml`.
    #[schemars(with = "Option<String>")]
    pub dispatch: Option<S<String>>,
    /// `pipeline`: trigger a CircleCI pipeline and wait for its workflows.
    #[schemars(with = "Option<String>")]
    pub circleci: Option<S<String>>,
    /// `checks`, `pr-merged` or `url`.
    #[schemars(with = "Option<String>")]
    pub wait: Option<S<String>>,
    /// `pypi`, `oci`, `helm` or `url`.
    #[schemars(with = "Option<String>")]
    pub verify: Option<S<String>>,
    /// `METHOD URL`, e.g. `POST https://bugzilla.example.org/rest/bug`.
    #[schemars(with = "Option<String>")]
    pub http: Option<S<String>>,
    /// The Slack channel, e.g. `#releases`.
    #[schemars(with = "Option<String>")]
    pub slack: Option<S<String>>,
    /// A URL that receives a JSON `payload`.
    #[schemars(with = "Option<String>")]
    pub webhook: Option<S<String>>,
    /// Recipient address(es).
    #[schemars(with = "Option<StringOrList>")]
    pub email: Option<S<StringOrList>>,
    /// What a person must do; the release waits for them.
    #[schemars(with = "Option<String>")]
    pub manual: Option<S<String>>,

    // ---- options common to every kind ------------------------------------------------------
    /// Display name (on `release` steps: the release title).
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    /// An id to refer to this step's outputs as `{steps.ID.NAME}`.
    #[schemars(with = "Option<String>")]
    pub id: Option<S<String>>,
    /// A minijinja condition, e.g. `is_prerelease` or `args.docker`.
    #[serde(rename = "if")]
    #[schemars(rename = "if", with = "Option<String>")]
    pub condition: Option<S<String>>,
    /// How long the step may take, e.g. `30m`, `90s`, `1h30m`.
    #[schemars(with = "Option<String>")]
    pub timeout: Option<S<String>>,
    /// How many times to retry a failed attempt.
    pub retries: Option<u32>,
    /// Another checkout to act in (git, command and changelog steps).
    #[schemars(with = "Option<String>")]
    pub dir: Option<S<String>>,
    /// Where to clone `dir` from when it is missing.
    #[schemars(with = "Option<String>")]
    pub clone: Option<S<String>>,

    // ---- kind-specific options (see config::kinds for which kind takes which) --------------
    pub allow_untracked: Option<bool>,
    #[schemars(with = "Option<String>")]
    pub milestone: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub label: Option<S<String>>,
    #[serde(rename = "ref")]
    #[schemars(rename = "ref", with = "Option<String>")]
    pub git_ref: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub remote: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub pre: Option<S<String>>,
    pub allow_downgrade: Option<bool>,
    pub edit: Option<bool>,
    pub sign: Option<bool>,
    #[schemars(with = "Option<String>")]
    pub output: Option<S<String>>,
    pub shell: Option<bool>,
    #[schemars(with = "Option<String>")]
    pub cwd: Option<S<String>>,
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub env: Option<IndexMap<String, S<String>>>,
    pub idempotent: Option<bool>,
    #[schemars(with = "Option<StringOrList>")]
    pub undo: Option<S<StringOrList>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub add: Option<Vec<S<String>>>,
    #[schemars(with = "Option<String>")]
    pub message: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub from: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub title: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub body: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub head: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub base: Option<S<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub reviewers: Option<Vec<S<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub assignees: Option<Vec<S<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub labels: Option<Vec<S<String>>>,
    #[schemars(with = "Option<String>")]
    pub repo: Option<S<String>>,
    pub draft: Option<bool>,
    #[schemars(with = "Option<String>")]
    pub method: Option<S<String>>,
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub inputs: Option<IndexMap<String, S<String>>>,
    #[schemars(with = "Option<String>")]
    pub artifacts: Option<S<String>>,
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub parameters: Option<S<toml::Table>>,
    #[schemars(with = "Option<String>")]
    pub project: Option<S<String>>,
    pub rerun_failed: Option<u32>,
    #[schemars(with = "Option<String>")]
    pub pr: Option<S<StringOrInt>>,
    #[schemars(with = "Option<String>")]
    pub url: Option<S<String>>,
    pub status: Option<u16>,
    #[schemars(with = "Option<String>")]
    pub contains: Option<S<String>>,
    /// How often a waiting step looks, e.g. `10s` (default: from 5 seconds, growing to a minute).
    #[schemars(with = "Option<String>")]
    pub interval: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub package: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub index: Option<S<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub files: Option<Vec<S<String>>>,
    #[schemars(with = "Option<String>")]
    pub image: Option<S<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub tags: Option<Vec<S<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub platforms: Option<Vec<S<String>>>,
    /// On `verify = "oci"`: the tag (e.g. `{version}`) every tag must name the same image as.
    #[schemars(with = "Option<String>")]
    pub same_as: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub chart: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub username_env: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub password_env: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub token_env: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub webhook_env: Option<S<String>>,
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub headers: Option<IndexMap<String, S<String>>>,
    #[schemars(with = "Option<serde_json::Value>")]
    pub json: Option<S<toml::Value>>,
    pub expect: Option<u16>,
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub save: Option<IndexMap<String, S<String>>>,
    /// `http`: a GET whose answer says whether the step's effect is already there.
    #[schemars(with = "Option<String>")]
    pub find: Option<S<String>>,
    /// `http`: JSON pointers into `find`'s answer; all present means found (they become outputs).
    #[schemars(with = "Option<IndexMap<String, String>>")]
    pub found: Option<IndexMap<String, S<String>>>,
    #[schemars(with = "Option<serde_json::Value>")]
    pub payload: Option<S<toml::Value>>,
    #[schemars(with = "Option<String>")]
    pub subject: Option<S<String>>,
    #[schemars(with = "Option<StringOrList>")]
    pub cc: Option<S<StringOrList>>,
    #[schemars(with = "Option<String>")]
    pub notes: Option<S<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub assets: Option<Vec<S<String>>>,
    pub prerelease: Option<bool>,
    /// On `release` steps: a release that exists keeps its notes (people edited the draft).
    pub keep_notes: Option<bool>,
    #[schemars(with = "Option<Vec<String>>")]
    pub checklist: Option<Vec<S<String>>>,
}

/// A string, or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum StringOrList {
    One(String),
    Many(Vec<String>),
}

/// A string, or a boolean.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum StringOrBool {
    String(String),
    Bool(bool),
}

/// A string (usually a template such as `{pr_number}`), or an integer.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(untagged)]
pub enum StringOrInt {
    String(String),
    Int(i64),
}

impl StringOrList {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::One(one) => vec![one],
            StringOrList::Many(many) => many,
        }
    }
}

impl StringOrInt {
    pub fn into_string(self) -> String {
        match self {
            StringOrInt::String(text) => text,
            StringOrInt::Int(number) => number.to_string(),
        }
    }
}

// Hand-written visitors: `#[serde(untagged)]` would turn every mistake into "data did not match
// any variant", which tells the user nothing.
impl<'de> Deserialize<'de> for StringOrList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StringOrList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(StringOrList::One(value.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(StringOrList::Many(items))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl<'de> Deserialize<'de> for StringOrBool {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = StringOrBool;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a branch name or a boolean")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(StringOrBool::String(value.to_owned()))
            }
            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
                Ok(StringOrBool::Bool(value))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl<'de> Deserialize<'de> for StringOrInt {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = StringOrInt;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a template such as `{pr_number}`")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(StringOrInt::String(value.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(StringOrInt::Int(value))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                i64::try_from(value)
                    .map(StringOrInt::Int)
                    .map_err(|_| E::custom("number too large"))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
