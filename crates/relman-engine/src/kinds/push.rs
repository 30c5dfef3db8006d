//! `push = ["branch", "tag"]`: push the current branch, the release tag, or both atomically,
//! setting the upstream of a new branch.
//!
//! Done means the remote has every ref at the object the step pushes (the probe asks it with
//! `ls-remote`). A push that fails because the remote has them already (a push of a relman that
//! was killed went through after all) is done too, and a branch pushed without its local
//! bookkeeping (relman and git killed after the remote took it) gets its upstream set.
//!
//! `refspec = "HEAD:latest"` pushes one more ref (`push = "refspec"` pushes only it); with
//! `force-with-lease = true` it replaces the remote ref only while that is still where it was
//! when the step began (recorded in the journal first), as `git push --force-with-lease` does.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::template::{Suggestion, Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushStep {
    pub branch: bool,
    pub tag: bool,
    /// Default `project.remote` (`origin` in another checkout).
    pub remote: Option<Template>,
    /// `SRC:DST` pushed along (`HEAD:latest`, `{tag}:refs/tags/stable`). (Left out of the
    /// journal when unset, so journals written before it read and write back the same.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refspec: Option<Template>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_with_lease: bool,
}

impl Kind for PushStep {
    const SPEC: KindSpec = KindSpec {
        plans_its_files: true,
        key_type: OptionType::StringOrList,
        values: &["branch", "tag", "refspec"],
        options: &[
            OptionSpec::string("remote"),
            OptionSpec::string("refspec"),
            OptionSpec::flag("force-with-lease"),
        ],
        in_checkout: true,
        yields: true,
        outputs: &["refs"],
        ..KindSpec::new("push", "push the branch, the tag, or both atomically")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string_or_list("push").ok_or(Reported)?;
        let span = value.span();
        let targets = value.into_inner().into_vec();
        let mut push = PushStep {
            branch: false,
            tag: false,
            remote: options.template("remote")?,
            refspec: options.template("refspec")?,
            force_with_lease: options.flag("force-with-lease").unwrap_or(false),
        };
        for target in &targets {
            match target.as_str() {
                "branch" => push.branch = true,
                "tag" => push.tag = true,
                "refspec" if push.refspec.is_some() => {}
                "refspec" => {
                    return Err(options.error_hint(
                        span.clone(),
                        "`push = \"refspec\"` needs the `refspec` option",
                        "add `refspec = \"HEAD:latest\"` (source, colon, the ref on the remote)",
                    ));
                }
                other => {
                    let suggestion = Suggestion::closest(other, ["branch", "tag", "refspec"]);
                    return Err(options.error_hint(
                        span.clone(),
                        format!("`push` target `{other}` is unknown{suggestion}"),
                        "push takes `\"branch\"`, `\"tag\"`, `[\"branch\", \"tag\"]`, or `\"refspec\"` with `refspec = \"SRC:DST\"`",
                    ));
                }
            }
        }
        if push.force_with_lease && push.refspec.is_none() {
            return Err(options.error_hint(
                span,
                "`force-with-lease` applies to a `refspec`, and this push has none",
                "add `refspec = \"HEAD:latest\"`, or remove `force-with-lease`",
            ));
        }
        if targets.is_empty() {
            return Err(options.error(
                span,
                "`push = []` pushes nothing: name `branch`, `tag` or both",
            ));
        }
        Ok(push)
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("remote", &self.remote)
            .opt("refspec", &self.refspec)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let main = match (self.branch, self.tag) {
            (true, true) => "push branch and tag".to_owned(),
            (true, false) => "push branch".to_owned(),
            (false, true) => "push tag".to_owned(),
            (false, false) => "push".to_owned(),
        };
        match &self.refspec {
            Some(refspec) if self.branch || self.tag => {
                format!("{main} and {}", refspec.render_partial(variables))
            }
            Some(refspec) => format!("{main} {}", refspec.render_partial(variables)),
            None => main,
        }
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let what = match (self.branch, self.tag, &self.refspec) {
            (true, true, _) => "the branch and the tag".to_owned(),
            (true, false, _) => "the branch".to_owned(),
            (false, true, _) => "the tag".to_owned(),
            (false, false, Some(refspec)) => show_code(refspec),
            (false, false, None) => String::new(),
        };
        let extra = match &self.refspec {
            Some(refspec) if self.branch || self.tag => format!(
                " It also pushes {}{}.",
                show_code(refspec),
                if self.force_with_lease { " with `--force-with-lease`" } else { "" }
            ),
            Some(_) if self.force_with_lease => {
                " It replaces the remote ref only while it is still where it was (`--force-with-lease`).".to_owned()
            }
            _ => String::new(),
        };
        Explained::new(format!(
            "Push {what} to {}{}.",
            self.remote
                .as_ref()
                .map_or_else(|| "the remote".to_owned(), show_code),
            if self.branch && self.tag {
                ", atomically"
            } else {
                ""
            }
        ))
        .detail_if(!extra.is_empty(), extra.trim_start().to_owned())
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let remote = match &self.remote {
            Some(remote) => cx.render(remote),
            None => cx.default_remote(),
        };
        let mut refs = Vec::new();
        if self.branch {
            let branch = cx
                .sim
                .branch
                .clone()
                .or_else(|| cx.variables.get_key("branch").map(str::to_owned))
                .unwrap_or_else(|| "HEAD".to_owned());
            refs.push(format!("refs/heads/{branch}"));
        }
        if self.tag && !cx.inputs.tags.is_empty() {
            // A run of several packages pushes every tag it made.
            refs.extend(cx.inputs.tags.iter().map(|tag| format!("refs/tags/{tag}")));
        } else if self.tag {
            refs.push(format!(
                "refs/tags/{}",
                cx.variables.get_key("tag").unwrap_or("{tag}")
            ));
        }
        let mut effects = Vec::new();
        if let Some(refspec) = &self.refspec {
            let refspec = cx.render(refspec);
            let (source, destination) = split_refspec(&refspec)?;
            let lease = if self.force_with_lease {
                format!(" --force-with-lease={destination}")
            } else {
                String::new()
            };
            if self.force_with_lease || refs.is_empty() {
                effects.push(Effect::Git {
                    description: format!(
                        "push `{source}` to `{destination}` on `{remote}`{}",
                        if self.force_with_lease {
                            ", replacing it only while it is where it was when the step began"
                        } else {
                            ""
                        }
                    ),
                    command: format!("git push{lease} {remote} {source}:{destination}"),
                });
            } else {
                refs.push(format!("{source}:{destination}"));
            }
        }
        if refs.is_empty() {
            return Ok(effects);
        }
        let atomic = if refs.len() > 1 { " --atomic" } else { "" };
        // Only a branch gets an upstream; a tag has none.
        let upstream = if self.branch { " --set-upstream" } else { "" };
        effects.insert(
            0,
            Effect::Git {
                description: format!("push {} to `{remote}`", refs.join(" and ")),
                command: format!("git push{atomic}{upstream} {remote} {}", refs.join(" ")),
            },
        );
        Ok(effects)
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let remote = self.remote(cx)?;
        let refs = self.refs(cx)?;
        let extra = cx.context_value("refspec").map(str::to_owned);
        if self.force_with_lease
            && let Some(destination) = &extra
            && let Some((_, sha)) = refs.iter().find(|(name, _)| name == destination)
            && !self.on_remote(cx, &remote, &[(destination.clone(), sha.clone())])?
        {
            let expected = cx.context_value("lease").unwrap_or_default().to_owned();
            cx.repo()
                .push_with_lease(&remote, &format!("{sha}:{destination}"), destination, &expected)
                .map_err(|error| {
                    StepError::from(error).with_hint(format!(
                        "`{destination}` on `{remote}` moved since the step began (someone pushed): \
                         look at it, then `relman resume` to push over it"
                    ))
                })?;
            cx.set_context("lease", sha.clone());
            cx.save()?;
        }
        let specs: Vec<String> = refs
            .iter()
            .filter(|(name, _)| !(self.force_with_lease && extra.as_deref() == Some(name)))
            .map(|(name, sha)| match extra.as_deref() == Some(name) {
                true => format!("{sha}:{name}"),
                false => format!("{name}:{name}"),
            })
            .collect();
        let spec_refs: Vec<&str> = specs.iter().map(String::as_str).collect();
        if spec_refs.is_empty() {
            self.finish(cx, &remote, &refs)?;
            return Ok(Outcome::Done);
        }
        if let Err(error) = cx
            .repo()
            .push(&remote, &spec_refs, spec_refs.len() > 1, self.branch)
        {
            if !self.on_remote(cx, &remote, &refs)? {
                return Err(error.into());
            }
            cx.output("the remote has these refs already: an interrupted push went through");
        }
        self.finish(cx, &remote, &refs)?;
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        if cx.context_value("refs").is_none() {
            return Ok(Probe::NotDone);
        }
        let remote = self.remote(cx)?;
        let refs = self.refs(cx)?;
        if self.on_remote(cx, &remote, &refs)? {
            self.finish(cx, &remote, &refs)?;
            Ok(Probe::Done)
        } else {
            Ok(Probe::NotDone)
        }
    }
}

impl PushStep {
    /// The remote it pushes to, rendered now.
    fn remote(&self, cx: &RunCx<'_>) -> Result<String, StepError> {
        match &self.remote {
            Some(remote) => cx.render(remote),
            None => Ok(cx.default_remote().to_owned()),
        }
    }

    /// The refs to push, with the object each must point at on the remote.
    fn refs(&self, cx: &mut RunCx<'_>) -> Result<Vec<(String, String)>, StepError> {
        if let Some(recorded) = cx.context_value("refs") {
            return Ok(recorded
                .lines()
                .filter_map(|line| line.split_once(' '))
                .map(|(name, sha)| (name.to_owned(), sha.to_owned()))
                .collect());
        }
        let repo = cx.repo();
        let mut refs = Vec::new();
        if self.branch {
            let branch = repo
                .current_branch()?
                .ok_or_else(|| StepError::new("HEAD is detached: there is no branch to push"))?;
            refs.push((format!("refs/heads/{branch}"), repo.head_sha()?));
        }
        if self.tag {
            // A run of several packages pushes every tag it made.
            let tags = if cx.plan.tags.is_empty() {
                vec![cx.plan.tag.clone()]
            } else {
                cx.plan.tags.clone()
            };
            for tag in tags {
                let object = repo.rev_parse(&format!("refs/tags/{tag}")).map_err(|_| {
                    StepError::new(format!("there is no tag `{tag}` to push"))
                        .with_hint("a `tag` step must come before the push")
                })?;
                refs.push((format!("refs/tags/{tag}"), object));
            }
        }
        if let Some(refspec) = &self.refspec {
            let refspec = cx.render(refspec)?;
            let (source, destination) = split_refspec(&refspec)?;
            let repo = cx.repo();
            let object = repo.rev_parse(&source).map_err(|_| {
                StepError::new(format!(
                    "`{source}` of the refspec `{refspec}` names nothing here"
                ))
            })?;
            let destination = if destination.starts_with("refs/") {
                destination
            } else if repo.rev_parse(&format!("refs/tags/{source}")).is_ok() {
                format!("refs/tags/{destination}")
            } else {
                format!("refs/heads/{destination}")
            };
            let remote = self.remote(cx)?;
            let before = cx
                .repo()
                .ls_remote(&remote, &[&destination])?
                .into_iter()
                .find(|found| found.name == destination)
                .map(|found| found.target)
                .unwrap_or_default();
            cx.set_context("refspec", destination.clone());
            cx.set_context("lease", before);
            refs.push((destination, object));
        }
        let text = refs
            .iter()
            .map(|(name, sha)| format!("{name} {sha}"))
            .collect::<Vec<_>>()
            .join("\n");
        cx.set_context("refs", text);
        cx.save()?;
        Ok(refs)
    }

    /// Whether the remote has every ref at its object.
    fn on_remote(
        &self,
        cx: &RunCx<'_>,
        remote: &str,
        refs: &[(String, String)],
    ) -> Result<bool, StepError> {
        let names: Vec<&str> = refs.iter().map(|(name, _)| name.as_str()).collect();
        let found = cx.repo().ls_remote(remote, &names)?;
        Ok(refs.iter().all(|(name, sha)| {
            found
                .iter()
                .any(|remote_ref| &remote_ref.name == name && &remote_ref.target == sha)
        }))
    }

    fn finish(
        &self,
        cx: &mut RunCx<'_>,
        remote: &str,
        refs: &[(String, String)],
    ) -> Result<(), StepError> {
        let extra = cx.context_value("refspec").map(str::to_owned);
        for (name, sha) in refs {
            if extra.as_deref() == Some(name.as_str()) {
                continue;
            }
            let Some(branch) = name.strip_prefix("refs/heads/") else {
                continue;
            };
            let repo = cx.repo();
            if repo
                .config_get(&format!("branch.{branch}.merge"))?
                .is_none()
            {
                repo.set_upstream(branch, remote, sha)?;
            }
        }
        self.record(cx, remote, refs);
        Ok(())
    }

    fn record(&self, cx: &mut RunCx<'_>, remote: &str, refs: &[(String, String)]) {
        for (name, sha) in refs {
            let (description, undo_hint) = match name.strip_prefix("refs/tags/") {
                Some(tag) => (
                    format!("tag `{tag}` pushed to `{remote}`"),
                    format!("git push {remote} :refs/tags/{tag}"),
                ),
                None => {
                    let branch = name.trim_start_matches("refs/heads/");
                    (
                        format!(
                            "branch `{branch}` pushed to `{remote}` at {}",
                            &sha[..sha.len().min(7)]
                        ),
                        format!(
                            "git revert the release commit on `{branch}` and push, or force-push `{branch}` back if nobody has pulled it"
                        ),
                    )
                }
            };
            cx.push_remote(RemoteEffect {
                description,
                undo_hint,
                pushed_refs: vec![name.clone()],
                pushed_at: Some(sha.clone()),
            });
        }
        cx.set_output(
            "refs",
            refs.iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        cx.output(&format!(
            "pushed {} to {remote}",
            refs.iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

/// `SRC:DST` split in two; a leading `+` (force) is refused: `force-with-lease` is the safe way.
fn split_refspec(refspec: &str) -> Result<(String, String), StepError> {
    let bad = || {
        StepError::new(format!("`{refspec}` is not a refspec `SOURCE:DESTINATION`"))
            .with_hint("write e.g. `refspec = \"HEAD:latest\"`; to replace a ref, add `force-with-lease = true` (a `+` is not taken)")
    };
    let (source, destination) = refspec.split_once(':').ok_or_else(bad)?;
    if source.is_empty()
        || destination.is_empty()
        || source.starts_with(['+', '-'])
        || destination.starts_with('-')
    {
        return Err(bad());
    }
    Ok((source.to_owned(), destination.to_owned()))
}
