//! `release = "draft" | "publish"`: the GitHub release of the tag, created or brought in line with
//! the step (title, notes, pre-release flag), published when asked, with `assets` uploaded.
//!
//! Notes default to this release's changelog section (`{changelog}`, as the changelog step or the
//! plan rendered it, else read back from the changelog file) without its heading, which would
//! repeat the release's title. With `keep-notes`, a release that exists keeps the notes it has
//! (people edited the draft on GitHub between `draft` and `publish`). With `notes = "generate"`
//! the notes are GitHub's generated ones (`POST /releases/generate-notes`, which follows the
//! repository's `.github/release.yml`), asked for once and kept in the journal, so a resumed
//! step sends the notes it sent before. The pre-release flag follows the version unless `prerelease` is
//! set. `publish` publishes the release of the tag if it is a draft, or creates it published.
//!
//! Exactly once: the tag names the release and `release_by_tag` finds it even as a draft, so a
//! re-run and the probe find the release an interrupted run created instead of making another.
//! An asset of the same name is replaced rather than added twice. The release counts as done when
//! it exists (published, for `publish`) and carries every asset at the size of the local file.

use std::path::PathBuf;

use relman_remote::github::{GitHub, NewRelease, Release, Repo, content_type_for};
use serde::{Deserialize, Serialize};

use crate::clients::{self, failed, http_effect, note, notes};
use crate::core::explain::{ExplainCx, Explained, codes, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::project::Project;
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseStep {
    pub action: ReleaseAction,
    /// Default `{tag}`.
    pub tag: Option<Template>,
    /// The release title (`name` in relman.toml); default the tag.
    pub title: Option<Template>,
    /// Default: this release's changelog section.
    pub notes: Option<Template>,
    /// `notes = "generate"`: GitHub's generated notes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generate_notes: bool,
    pub assets: Vec<Template>,
    /// Default: whether the version is a pre-release.
    pub prerelease: Option<bool>,
    /// A release that exists keeps its notes (people edited the draft); the notes are only
    /// those of a release the step creates.
    #[serde(default)]
    pub keep_notes: bool,
    pub repo: Option<Template>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseAction {
    Draft,
    Publish,
}

/// The `notes` value that asks GitHub to generate them.
const GENERATE: &str = "generate";

/// What `keep-notes` means, for the schema.
const KEEP_NOTES: &str =
    "On `release` steps: a release that exists keeps its notes (people edited the draft).";

impl Kind for ReleaseStep {
    const SPEC: KindSpec = KindSpec {
        per_package: true,
        paths: &["assets"],
        plans_its_files: true,
        values: &["draft", "publish"],
        options: &[
            OptionSpec::string("tag"),
            OptionSpec::string("notes"),
            OptionSpec::flag("keep-notes").about(KEEP_NOTES),
            OptionSpec::list("assets"),
            OptionSpec::flag("prerelease"),
            OptionSpec::string("repo"),
        ],
        owns_name: true,
        outputs: &["url", "id", "upload_url"],
        ..KindSpec::new(
            "release",
            "create, update or publish the forge release for the tag",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("release").ok_or(Reported)?;
        let action = match options.one_of(&value, "release", &["draft", "publish"])? {
            "draft" => ReleaseAction::Draft,
            _ => ReleaseAction::Publish,
        };
        let notes = options.template("notes")?;
        let generate_notes = notes
            .as_ref()
            .is_some_and(|notes| notes.source() == GENERATE);
        Ok(ReleaseStep {
            action,
            tag: options.template("tag")?,
            title: options.template("name")?,
            notes: notes.filter(|_| !generate_notes),
            generate_notes,
            assets: options.templates("assets")?,
            prerelease: options.flag("prerelease"),
            keep_notes: options.flag("keep-notes").unwrap_or(false),
            repo: options.template("repo")?,
        })
    }

    /// Its notes default to this release's section.
    fn needs_changelog(&self) -> bool {
        self.notes.is_none() && !self.generate_notes
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Forge, Need::ForgeToken { write: true }]
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("tag", &self.tag)
            .opt("name", &self.title)
            .opt("notes", &self.notes)
            .all("assets", &self.assets)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let tag = |template: Option<&Template>| {
            template.map_or_else(
                || variables.get_key("tag").unwrap_or("{tag}").to_owned(),
                render,
            )
        };
        format!(
            "{} the GitHub release {}",
            match self.action {
                ReleaseAction::Draft => "draft",
                ReleaseAction::Publish => "publish",
            },
            tag(self.tag.as_ref())
        )
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let tag = self
            .tag
            .as_ref()
            .map_or_else(|| "`{tag}`".to_owned(), show_code);
        let explained = match self.action {
            ReleaseAction::Draft => Explained::new(format!(
                "Create (or update) a draft GitHub release for {tag}."
            )),
            ReleaseAction::Publish => Explained::new(format!(
                "Publish the GitHub release for {tag} (created if there is none)."
            )),
        };
        explained
            .detail(match (&self.notes, self.keep_notes) {
                _ if self.generate_notes => {
                    "Its notes are the ones GitHub generates from the pull requests merged since the previous release (following `.github/release.yml`).".to_owned()
                }
                (Some(notes), false) => labelled_text("Its notes", notes),
                (None, false) => "Its notes are this release's changelog section.".to_owned(),
                (Some(notes), true) => format!(
                    "A release that exists keeps the notes it has (edited by hand); a new one gets {}.",
                    show_code(notes)
                ),
                (None, true) => {
                    "A release that exists keeps the notes it has (edited by hand); a new one gets this release's changelog section.".to_owned()
                }
            })
            .detail_if(
                self.title.is_some(),
                format!(
                    "Its title: {}.",
                    self.title.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail_if(
                !self.assets.is_empty(),
                format!("With the files {}.", codes(&self.assets)),
            )
            .detail(match self.prerelease {
                Some(true) => "Marked as a pre-release.",
                Some(false) => "Not marked as a pre-release.",
                None => "Marked as a pre-release when the version is one.",
            })
            .detail_if(
                self.repo.is_some(),
                format!(
                    "In the repository {}.",
                    self.repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail("Later steps can use its address as `{release_url}`.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let redactor = clients::redactor(cx.project, cx.env);
        let mut variables = cx.variables.clone();
        if cx.sim.committed {
            variables.set("sha", "{sha}");
        }
        let resolved = resolve(self, cx.project, &variables, &|template| {
            Ok(cx.render(template))
        })?;
        let mut resolved = resolved;
        let mut effects = Vec::new();
        if self.generate_notes {
            let request = notes::request(
                &resolved.release.tag_name,
                variables.get_key("previous_tag"),
                resolved.release.target_commitish.as_deref(),
            );
            effects.push(notes::preview(cx, &request)?);
            resolved.release.body =
                Some("(the notes GitHub generates, asked for when the step runs)".to_owned());
        }
        let Resolved {
            repo,
            release,
            assets,
        } = &resolved;
        effects.push(http_effect(
            &github.create_release(repo, release).render(),
            &redactor,
        ));
        let update = if self.action == ReleaseAction::Publish {
            "updated and published"
        } else {
            "updated (a published one stays published)"
        };
        let kept = if self.keep_notes {
            ", keeping its notes"
        } else {
            ""
        };
        effects.push(note(
            format!(
                "if `{repo}` has a release of `{}` already (a draft too), it is {update} instead{kept}: PATCH {}/repos/{repo}/releases/{{id}}",
                release.tag_name,
                github.api()
            ),
            &redactor,
        ));
        for pattern in assets {
            let files = crate::kinds::commit::expand_globs(
                &cx.project.root,
                std::slice::from_ref(pattern),
            )?;
            if files.is_empty() {
                effects.push(note(
                    format!("uploads the files matching `{pattern}` (none exist yet: an earlier step must make them), replacing assets of the same name"),
                    &redactor,
                ));
            }
            for file in files {
                let name = file_name(&file);
                effects.push(Effect::Http {
                    method: "POST".to_owned(),
                    url: format!("{{upload_url}}?name={name}"),
                    body: Some(format!(
                        "<contents of {} as {}>",
                        file.display(),
                        content_type_for(&name)
                    )),
                });
            }
        }
        if let Some(variables) = clients::missing_github_token(cx.project, cx.env) {
            effects.push(note(
                format!("no GitHub token: set `{variables}` before running"),
                &redactor,
            ));
        }
        Ok(effects)
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let Resolved {
            repo,
            release: mut wanted,
            assets,
        } = resolve_run(self, cx)?;
        if self.generate_notes {
            let previous = cx.variables().get_key("previous_tag").map(str::to_owned);
            let request = notes::request(
                &wanted.tag_name,
                previous.as_deref(),
                wanted.target_commitish.as_deref(),
            );
            wanted.body = Some(notes::generated(cx, &request)?);
        }
        let files = asset_files(cx, &assets)?;
        let tag = wanted.tag_name.clone();
        if cx.context_value("tag").is_none() {
            cx.set_context("tag", tag.clone());
            cx.save()?;
        }
        let verb = match self.action {
            ReleaseAction::Draft => "draft",
            ReleaseAction::Publish => "publish",
        };
        let ensured = if self.keep_notes {
            github.ensure_release_keeping_notes(&repo, &wanted)
        } else {
            github.ensure_release(&repo, &wanted)
        };
        let (release, created) = ensured.map_err(|error| {
            failed(
                &format!("cannot {verb} the release `{tag}` in `{repo}`"),
                error,
            )
        })?;
        cx.set_context("release_id", release.id.to_string());
        record_remote(cx, &github, &repo, &release);
        cx.save()?;
        cx.output(&format!(
            "{} the {} release `{tag}`: {}",
            if created { "created" } else { "updated" },
            if release.draft { "draft" } else { "published" },
            release.html_url
        ));
        if self.action == ReleaseAction::Draft && !release.draft {
            cx.output("the release was published already: it stays published");
        }
        let root = cx.root().to_owned();
        for file in &files {
            let asset = github
                .replace_asset(&repo, &release, &root.join(file), None)
                .map_err(|error| {
                    failed(
                        &format!("cannot upload `{}` to the release `{tag}`", file.display()),
                        error,
                    )
                })?;
            cx.output(&format!("uploaded {} ({} bytes)", asset.name, asset.size));
        }
        finish(cx, &release);
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let Resolved {
            repo,
            release,
            assets,
        } = resolve_run(self, cx)?;
        let tag = release.tag_name;
        let found = github.release_by_tag(&repo, &tag).map_err(|error| {
            failed(
                &format!("cannot look for the release `{tag}` in `{repo}`"),
                error,
            )
        })?;
        let Some(release) = found else {
            return Ok(Probe::NotDone);
        };
        if self.action == ReleaseAction::Publish && release.draft {
            return Ok(Probe::NotDone);
        }
        if !assets.is_empty() {
            let files = asset_files(cx, &assets)?;
            let uploaded = github
                .release_assets(&repo, release.id)
                .map_err(|error| failed(&format!("cannot list the assets of `{tag}`"), error))?;
            let root = cx.root().to_owned();
            let all_there = files.iter().all(|file| {
                let size = fs_err::metadata(root.join(file))
                    .map(|meta| meta.len())
                    .ok();
                uploaded.iter().any(|asset| {
                    asset.name == file_name(file)
                        && asset.state == "uploaded"
                        && Some(asset.size) == size
                })
            });
            if !all_there {
                return Ok(Probe::NotDone);
            }
        }
        record_remote(cx, &github, &repo, &release);
        finish(cx, &release);
        Ok(Probe::Done)
    }
}

/// The step with its templates resolved.
struct Resolved {
    repo: Repo,
    release: NewRelease,
    /// Asset globs, relative to the work tree.
    assets: Vec<String>,
}

fn resolve(
    step: &ReleaseStep,
    project: &Project,
    variables: &Variables,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let repo = clients::repo(project, step.repo.as_ref().map(render).transpose()?)?;
    let tag = match &step.tag {
        Some(tag) => render(tag)?,
        None => variables.get_key("tag").unwrap_or_default().to_owned(),
    };
    let version = variables.get_key("version").unwrap_or_default();
    let body = match &step.notes {
        Some(notes) => render(notes)?,
        None => match variables.get_key("changelog") {
            Some(section) => notes_from_section(section, version),
            None => project
                .changelog_section(version)
                .map(|section| notes_from_section(&section, version))
                .unwrap_or_default(),
        },
    };
    let prerelease = step.prerelease.unwrap_or_else(|| {
        project
            .scheme
            .parse(version)
            .is_ok_and(|version| version.is_prerelease())
    });
    let name = match &step.title {
        Some(title) => render(title)?,
        None => tag.clone(),
    };
    Ok(Resolved {
        repo,
        release: NewRelease {
            tag_name: tag,
            // Where GitHub creates the tag if it does not exist yet: the release commit.
            target_commitish: variables.get_key("sha").map(str::to_owned),
            name: Some(name),
            body: Some(body),
            draft: step.action == ReleaseAction::Draft,
            prerelease,
        },
        assets: step.assets.iter().map(render).collect::<Result<_, _>>()?,
    })
}

/// A changelog section as release notes: without a first heading that names the version
/// (Markdown `## 1.2.3 …`, or a reStructuredText title and its underline).
fn notes_from_section(section: &str, version: &str) -> String {
    let text = section.trim();
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return String::new();
    };
    if !first.contains(version) || version.is_empty() {
        return text.to_owned();
    }
    let rest: Vec<&str> = if first.starts_with('#') {
        lines.collect()
    } else {
        let mut rest: Vec<&str> = lines.collect();
        let underlined = rest.first().is_some_and(|line| {
            !line.is_empty()
                && line
                    .chars()
                    .all(|c| matches!(c, '=' | '-' | '~' | '^' | '*'))
        });
        if !underlined {
            return text.to_owned();
        }
        rest.remove(0);
        rest
    };
    rest.join("\n").trim().to_owned()
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

fn resolve_run(step: &ReleaseStep, cx: &RunCx<'_>) -> Result<Resolved, StepError> {
    let variables = cx.variables();
    let mut resolved = resolve(step, cx.project, &variables, &|template| {
        cx.render(template)
    })?;
    // A resumed step uses the tag it started with.
    if let Some(tag) = cx.context_value("tag") {
        resolved.release.tag_name = tag.to_owned();
    }
    Ok(resolved)
}

/// The files of the asset globs; a glob that matches nothing is an error (a release without its
/// files is worse than a stopped one).
fn asset_files(cx: &RunCx<'_>, patterns: &[String]) -> Result<Vec<PathBuf>, StepError> {
    let mut files = Vec::new();
    for pattern in patterns {
        let found = crate::kinds::commit::expand_globs(cx.root(), std::slice::from_ref(pattern))?;
        if found.is_empty() {
            return Err(StepError::new(format!(
                "asset pattern `{pattern}` matches no file in {}",
                cx.root().display()
            ))
            .with_hint(
                "build the files in an earlier step (`run = \"...\"`), or fix the pattern",
            ));
        }
        for file in found {
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

fn record_remote(cx: &mut RunCx<'_>, github: &GitHub, repo: &Repo, release: &Release) {
    cx.push_remote(RemoteEffect {
        description: format!(
            "GitHub release `{}` in `{repo}`{} ({})",
            release.tag_name,
            if release.draft { " (draft)" } else { "" },
            release.html_url
        ),
        undo_hint: format!(
            "delete it (the tag stays): `gh release delete {} --repo {repo}`, or DELETE {}/repos/{repo}/releases/{}",
            release.tag_name,
            github.api(),
            release.id
        ),
        pushed_refs: Vec::new(),
        pushed_at: None,
    });
}

fn finish(cx: &mut RunCx<'_>, release: &Release) {
    cx.set_output("url", release.html_url.clone());
    cx.set_output("id", release.id.to_string());
    cx.set_output("upload_url", release.upload_url.clone());
    cx.set_runtime("release_url", release.html_url.clone());
}

#[cfg(test)]
mod tests {
    use super::notes_from_section;

    #[test]
    fn notes_drop_the_heading_that_repeats_the_version() {
        let markdown = "## [1.2.0](https://x/compare/v1.1.0...v1.2.0) - 2024-01-02\n\n### Features\n\n- a thing\n";
        assert_eq!(
            notes_from_section(markdown, "1.2.0"),
            "### Features\n\n- a thing"
        );
        let rst = "ciso8601 1.2.0 (2024-01-02)\n===========================\n\nFeatures\n--------\n\n- a thing\n";
        assert_eq!(
            notes_from_section(rst, "1.2.0"),
            "Features\n--------\n\n- a thing"
        );
        assert_eq!(notes_from_section("- a thing\n", "1.2.0"), "- a thing");
        assert_eq!(
            notes_from_section("Version 1.2.0 fixes it\n", "1.2.0"),
            "Version 1.2.0 fixes it"
        );
    }
}
