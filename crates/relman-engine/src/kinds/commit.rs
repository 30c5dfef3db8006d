//! `commit = "Release {version}"`: commit what earlier steps changed (version files, changelog,
//! removed fragments) plus `add` globs, and only those: what a person staged before the release
//! stays staged, out of the release commit.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use relman_git::{LogOptions, Repository, Revisions};
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, codes, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RunCx, Simulation, StepError, StepInfo,
    TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitStep {
    pub message: Template,
    pub add: Vec<Template>,
    /// Force a signature on (or off); default: the user's `commit.gpgSign`.
    pub sign: Option<bool>,
}

/// The message of HEAD and its first parent.
impl Kind for CommitStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["add"],
        plans_its_files: true,
        options: &[OptionSpec::list("add"), OptionSpec::flag("sign")],
        in_checkout: true,
        commits: true,
        outputs: &["sha"],
        ..KindSpec::new("commit", "commit what earlier steps changed")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(CommitStep {
            message: options.required("commit", "\"Release {version}\"")?,
            add: options.templates("add")?,
            sign: options.flag("sign"),
        })
    }

    fn needs(&self) -> Vec<Need> {
        match self.sign {
            Some(false) => Vec::new(),
            sign => vec![Need::Signing {
                forced: sign == Some(true),
                config: "commit.gpgSign",
            }],
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("commit", &self.message)
            .all("add", &self.add)
            .list()
    }

    /// A project whose version lives in tags and that keeps no changelog changes nothing
    /// before its commit: leaving the commit out puts the tag on HEAD. Only when every step
    /// before it changes files the plan knows of.
    fn nothing_to_do(&self, sim: &Simulation) -> Option<String> {
        (self.add.is_empty() && sim.changed_files.is_empty() && !sim.untracked_changes).then(|| {
            "no earlier step changes a file: nothing to commit, the tag goes on HEAD".to_owned()
        })
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("commit \"{}\"", render(&self.message))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let explained = Explained::new(format!(
            "Commit what the steps before changed, with the message {}.",
            show_code(&self.message)
        ))
        .detail_if(
            !self.add.is_empty(),
            format!("Also stages {}.", codes(&self.add)),
        );
        match self.sign {
            Some(true) => explained.detail("Signed."),
            Some(false) => explained.detail("Not signed."),
            None => explained,
        }
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let message = cx.render(&self.message);
        let mut files: Vec<String> = cx
            .sim
            .changed_files
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        files.extend(self.add.iter().map(|pattern| cx.render(pattern)));
        let sign = match self.sign {
            Some(true) => " -S",
            Some(false) => " --no-gpg-sign",
            None => "",
        };
        cx.sim.committed = true;
        let listed = if files.is_empty() {
            "(nothing staged by earlier steps)".to_owned()
        } else {
            files.join(", ")
        };
        let paths: String = files
            .iter()
            .map(|file| format!(" {}", shell_words::quote(file)))
            .collect();
        Ok(vec![Effect::Git {
            description: format!(
                "commit {listed}: only these; what is staged already stays staged, out of the commit"
            ),
            command: format!(
                "git commit{sign} --only -m {} --{paths}",
                shell_words::quote(&message)
            ),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let message = cx.render(&self.message)?;
        let head = repo.head_sha()?;
        if cx.context_value("head_before").is_none() {
            cx.set_context("head_before", head.clone());
            if let Some(branch) = repo.current_branch()? {
                cx.set_context("branch", branch);
            }
            cx.save()?;
        }
        let mut paths = cx.changed_files();
        let patterns = self
            .add
            .iter()
            .map(|pattern| cx.render(pattern))
            .collect::<Result<Vec<_>, _>>()?;
        for path in expand_add_globs(cx.root(), repo, &patterns)? {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
        // Only what git knows or what exists can be committed (a file an earlier step created
        // and removed again is neither).
        let known = repo.indexed_paths(&paths)?;
        let new: Vec<PathBuf> = paths
            .iter()
            .filter(|path| !known.contains(path) && cx.root().join(path).exists())
            .cloned()
            .collect();
        paths.retain(|path| known.contains(path) || new.contains(path));
        if paths.is_empty() {
            return Err(StepError::new(
                "there is nothing to commit: no earlier step changed a file and `add` matches nothing",
            )
            .with_hint("add `add = [\"path\"]` to the commit step, or remove it"));
        }
        // Recorded before the index changes: `abort` puts these entries back.
        cx.push_undo(Undo::RestoreIndex {
            paths: paths.clone(),
        });
        cx.save()?;
        // The commit takes exactly these paths from the work tree; what a person staged
        // before the release stays staged and out of it. New files are made known to git first.
        repo.add_intent(&new)?;
        let sha = match repo.commit_paths(&message, self.sign, &paths) {
            Ok(sha) => sha,
            Err(error) => {
                // A failed commit (a hook said no) leaves the index as it found it.
                let _ = repo.reset_paths("HEAD", &new);
                return Err(error.into());
            }
        };
        self.finish(cx, &sha)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(before) = cx.context_value("head_before").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        let message = cx.render(&self.message)?;
        let (sha, parent, head_message) = head_commit(cx.repo())?;
        if sha == before {
            return Ok(Probe::NotDone);
        }
        if parent.as_deref() == Some(before.as_str()) && head_message == message.trim_end() {
            self.finish(cx, &sha)?;
            return Ok(Probe::Done);
        }
        Err(StepError::new(format!(
            "HEAD moved from {} to {} but is not the release commit",
            &before[..before.len().min(7)],
            &sha[..sha.len().min(7)]
        ))
        .with_hint(
            "someone committed while the release was stopped; put HEAD back or `relman abort`",
        ))
    }
}

pub(crate) fn head_commit(
    repo: &Repository,
) -> Result<(String, Option<String>, String), StepError> {
    let options = LogOptions {
        max_count: Some(1),
        ..LogOptions::default()
    };
    let found = repo.walk(Revisions::Head, &options, |commit| {
        ControlFlow::Break((
            commit.sha().to_owned(),
            commit.parents().next().map(str::to_owned),
            commit.message().trim_end().to_owned(),
        ))
    })?;
    found.ok_or_else(|| StepError::new("HEAD has no commit"))
}

/// The globs of `patterns` (relative to the top of the work tree) as one matcher.
fn glob_set(patterns: &[String]) -> Result<globset::GlobSet, StepError> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|error| StepError::new(format!("`{pattern}` is not a valid glob: {error}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|error| StepError::new(error.to_string()))
}

/// What `add` stages: a glob matches the files git sees (ignored files, such as dependencies
/// and build output, are not candidates); a plain path is taken as written, so an ignored file
/// named on purpose gets git's own refusal rather than silently staying out.
fn expand_add_globs(
    root: &Path,
    repo: &Repository,
    patterns: &[String],
) -> Result<Vec<PathBuf>, StepError> {
    let (globs, literal): (Vec<String>, Vec<String>) = patterns
        .iter()
        .cloned()
        .partition(|pattern| pattern.contains(['*', '?', '[', '{']));
    let mut found: Vec<PathBuf> = literal
        .into_iter()
        .map(PathBuf::from)
        .filter(|path| root.join(path).exists())
        .collect();
    if !globs.is_empty() {
        let set = glob_set(&globs)?;
        found.extend(
            repo.visible_files()?
                .into_iter()
                .filter(|path| set.is_match(path)),
        );
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// Files of the work tree matching `patterns` (globs relative to the top), `.git` left out and
/// ignored files included (artifacts live in ignored folders such as `dist/`).
pub(crate) fn expand_globs(root: &Path, patterns: &[String]) -> Result<Vec<PathBuf>, StepError> {
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let set = glob_set(patterns)?;
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs_err::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|name| name == ".git") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path).to_owned();
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                pending.push(path);
            } else if set.is_match(&relative) {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

impl CommitStep {
    fn finish(&self, cx: &mut RunCx<'_>, sha: &str) -> Result<Outcome, StepError> {
        let before = cx
            .context_value("head_before")
            .unwrap_or_default()
            .to_owned();
        if let Some(branch) = cx.context_value("branch").map(str::to_owned) {
            cx.push_undo(Undo::ResetBranch {
                branch,
                to: before,
                from: sha.to_owned(),
                index_only: true,
            });
        }
        cx.set_output("sha", sha);
        cx.set_runtime("sha", sha);
        cx.set_runtime("short_sha", &sha[..sha.len().min(7)]);
        cx.output(&format!("committed {}", &sha[..sha.len().min(7)]));
        Ok(Outcome::Done)
    }
}
