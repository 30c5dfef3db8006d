//! Validation of one step table: which kind it is, whether every option belongs to that kind,
//! and the kind's resolved options. `present_keys` destructures the raw table exhaustively, so a
//! key added to `StepConfig` without being classified here is a compile error.

use std::ops::Range;

use toml::Spanned;

use super::kinds::{self, GIT_KINDS, KINDS, KindSpec};
use super::step_raw::{StepConfig, StringOrBool, StringOrList};
use super::validate::{Cx, Scope, backticked};
use crate::steps::{
    StepDef, StepKind, branch, bump, changelog, check, checksums, cherry_pick, circleci, commit,
    dispatch, email, http, manual, merge, merge_pull_request, pull_request, push, release, run,
    slack, switch, tag, verify, wait, webhook,
};
use crate::template::{Suggestion, Template};

/// Every key present in the step, with the span to point at (the step's own span for keys whose
/// values carry none).
fn present_keys(step: &StepConfig, whole: &Range<usize>) -> Vec<(&'static str, Range<usize>)> {
    let StepConfig {
        check,
        bump,
        changelog,
        checksums,
        run,
        commit,
        tag,
        push,
        branch,
        switch,
        merge,
        cherry_pick,
        release,
        pull_request,
        merge_pull_request,
        dispatch,
        circleci,
        wait,
        verify,
        http,
        slack,
        webhook,
        email,
        manual,
        name,
        id,
        condition,
        timeout,
        retries,
        dir,
        clone,
        allow_untracked,
        milestone,
        label,
        git_ref,
        remote,
        pre,
        allow_downgrade,
        edit,
        sign,
        output,
        shell,
        cwd,
        env,
        idempotent,
        undo,
        add,
        message,
        from,
        title,
        body,
        head,
        base,
        reviewers,
        assignees,
        labels,
        repo,
        draft,
        method,
        inputs,
        artifacts,
        parameters,
        project,
        rerun_failed,
        pr,
        url,
        status,
        contains,
        interval,
        package,
        index,
        files,
        image,
        tags,
        platforms,
        same_as,
        chart,
        username_env,
        password_env,
        token_env,
        webhook_env,
        headers,
        json,
        expect,
        save,
        find,
        found,
        payload,
        subject,
        cc,
        notes,
        assets,
        prerelease,
        keep_notes,
        checklist,
    } = step;
    let mut keys = Vec::new();
    macro_rules! spanned {
        ($($field:ident => $key:literal),* $(,)?) => {
            $(if let Some(value) = $field { keys.push(($key, value.span())); })*
        };
    }
    macro_rules! plain {
        ($($field:ident => $key:literal),* $(,)?) => {
            $(if $field.is_some() { keys.push(($key, whole.clone())); })*
        };
    }
    spanned!(
        check => "check", bump => "bump", changelog => "changelog", checksums => "checksums",
        run => "run", commit => "commit", tag => "tag", push => "push", branch => "branch",
        switch => "switch", merge => "merge", cherry_pick => "cherry-pick", release => "release",
        pull_request => "pull-request", merge_pull_request => "merge-pull-request",
        dispatch => "dispatch", circleci => "circleci", wait => "wait", verify => "verify",
        http => "http", slack => "slack", webhook => "webhook", email => "email",
        manual => "manual", name => "name", id => "id", condition => "if", timeout => "timeout",
        dir => "dir", clone => "clone", milestone => "milestone", label => "label",
        git_ref => "ref", remote => "remote", pre => "pre", output => "output", cwd => "cwd",
        undo => "undo", message => "message", from => "from", title => "title", body => "body",
        head => "head", base => "base", repo => "repo", method => "method",
        artifacts => "artifacts", parameters => "parameters", project => "project", pr => "pr",
        url => "url", contains => "contains", interval => "interval", package => "package",
        index => "index", image => "image", same_as => "same-as", chart => "chart",
        username_env => "username-env",
        password_env => "password-env", token_env => "token-env", webhook_env => "webhook-env",
        json => "json", find => "find", payload => "payload", subject => "subject", cc => "cc", notes => "notes",
    );
    plain!(
        retries => "retries", allow_untracked => "allow-untracked",
        allow_downgrade => "allow-downgrade", edit => "edit", sign => "sign", shell => "shell",
        env => "env", idempotent => "idempotent", add => "add", reviewers => "reviewers",
        assignees => "assignees", labels => "labels", draft => "draft", inputs => "inputs",
        rerun_failed => "rerun-failed", status => "status", files => "files", tags => "tags",
        platforms => "platforms", headers => "headers", expect => "expect", save => "save",
        found => "found",
        assets => "assets", prerelease => "prerelease", keep_notes => "keep-notes",
        checklist => "checklist",
    );
    keys
}

/// Decides the kind: exactly one key of [`KINDS`], or else exactly one key of [`GIT_KINDS`] whose
/// options explain the other git keys present (`branch` + `switch = false`).
fn decide_kind(
    cx: &mut Cx<'_>,
    number: usize,
    keys: &[(&'static str, Range<usize>)],
    whole: &Range<usize>,
) -> Option<&'static KindSpec> {
    let mut primary: Vec<&(&str, Range<usize>)> = keys
        .iter()
        .filter(|(key, _)| KINDS.iter().any(|spec| spec.key == *key))
        .collect();
    // Point at the second kind key as the user wrote them, and name them in that order.
    primary.sort_by_key(|(_, span)| span.start);
    match primary.as_slice() {
        [(key, _)] => return kinds::kind(key),
        [] => {}
        [_, (_, span), ..] => {
            let names: Vec<String> = primary.iter().map(|(key, _)| (*key).to_owned()).collect();
            cx.error_hint(
                span.clone(),
                format!(
                    "step {number} has more than one kind: {}",
                    backticked(&names)
                ),
                "a step does one thing; split it into one step per kind",
            );
            return None;
        }
    }
    let git: Vec<&'static KindSpec> = GIT_KINDS
        .iter()
        .filter(|spec| keys.iter().any(|(key, _)| *key == spec.key))
        .collect();
    let explaining: Vec<&'static KindSpec> = git
        .iter()
        .copied()
        .filter(|spec| {
            git.iter()
                .all(|other| other.key == spec.key || spec.takes(other.key))
        })
        .collect();
    match (git.as_slice(), explaining.as_slice()) {
        ([], _) => {
            let kinds: Vec<String> = kinds::all().map(|spec| spec.key.to_owned()).collect();
            cx.error_hint(
                whole.clone(),
                format!("step {number} has no kind key"),
                format!("add one of {}", backticked(&kinds)),
            );
            None
        }
        (_, [spec]) => Some(spec),
        _ => {
            let names: Vec<String> = git.iter().map(|spec| spec.key.to_owned()).collect();
            cx.error_hint(
                whole.clone(),
                format!(
                    "step {number} has more than one kind: {}",
                    backticked(&names)
                ),
                "a step does one thing; split it into one step per kind",
            );
            None
        }
    }
}

pub(super) fn validate_step(
    cx: &mut Cx<'_>,
    number: usize,
    raw: Spanned<StepConfig>,
    scope: &mut Scope,
) -> Option<StepDef> {
    let whole = raw.span();
    let step = raw.into_inner();
    let keys = present_keys(&step, &whole);
    let spec = decide_kind(cx, number, &keys, &whole)?;
    let errors_before = cx.errors.len();
    for (key, span) in &keys {
        if *key == spec.key || spec.takes(key) {
            continue;
        }
        let suggestion = Suggestion::closest(key, spec.all_options());
        let owners: Vec<String> = kinds::all()
            .filter(|other| other.options.contains(key))
            .map(|other| format!("`{}`", other.key))
            .collect();
        let hint = if owners.is_empty() {
            format!("a `{}` step takes {}", spec.key, list(spec.all_options()))
        } else {
            format!(
                "`{key}` is an option of {} steps; a `{}` step takes {}",
                owners.join(", "),
                spec.key,
                list(spec.all_options())
            )
        };
        cx.error_hint(
            span.clone(),
            format!(
                "`{key}` is not an option of a `{}` step{suggestion}",
                spec.key
            ),
            hint,
        );
    }
    if cx.errors.len() > errors_before {
        return None;
    }
    let line = cx.line_of(whole.start);
    let mut step = step;
    // The common options are taken out first; what is left is the kind's own table. On a
    // `release` step, `name` is the release title and stays with the kind.
    let name = if spec.key == "release" {
        None
    } else {
        step.name.take()
    };
    let (id, condition, timeout, retries, interval) = (
        step.id.take(),
        step.condition.take(),
        step.timeout.take(),
        step.retries.take(),
        step.interval.take(),
    );
    let (dir, clone) = (step.dir.take(), step.clone.take());
    let mut builder = Builder {
        cx,
        scope,
        whole: whole.clone(),
    };
    let kind = builder.kind(spec.key, step)?;
    let timeout = timeout.and_then(|value| match super::parse_duration(value.get_ref()) {
        Some(duration) => Some(duration),
        None => {
            builder.cx.error_hint(
                value.span(),
                format!("`timeout = \"{}\"` is not a duration", value.get_ref()),
                "write it like `90s`, `30m` or `1h30m`",
            );
            None
        }
    });
    let interval = interval.and_then(|value| match super::parse_duration(value.get_ref()) {
        Some(duration) if !duration.is_zero() => Some(duration),
        _ => {
            builder.cx.error_hint(
                value.span(),
                format!("`interval = \"{}\"` is not a duration", value.get_ref()),
                "write it like `500ms`, `10s` or `1m`",
            );
            None
        }
    });
    if let Some(condition) = &condition {
        let environment = minijinja::Environment::new();
        if let Err(error) = environment.compile_expression(condition.get_ref()) {
            builder.cx.error_hint(
                condition.span(),
                format!("`if = \"{}\"` is not a valid expression: {}", condition.get_ref(), error.detail().unwrap_or("syntax error")),
                "conditions are minijinja expressions, e.g. `is_prerelease` or `args.docker == \"yes\"`",
            );
        }
    }
    let dir = dir.and_then(|value| builder.template(&value));
    let clone = clone.and_then(|value| builder.template(&value));
    // A name is shown with its placeholders filled (`Promote {version}`): check them now, keep
    // the text as written (the docs show it so).
    let name = name.and_then(|value| {
        builder.template(&value)?;
        Some(value.into_inner())
    });
    if let Some(id) = &id {
        if scope.outputs.contains_key(id.get_ref()) {
            cx.error(
                id.span(),
                format!(
                    "step id `{}` is used twice in workflow `{}`",
                    id.get_ref(),
                    scope.workflow
                ),
            );
        }
        scope
            .outputs
            .insert(id.get_ref().clone(), (number, kind.outputs()));
        scope.later_ids.remove(id.get_ref());
    }
    Some(StepDef {
        number,
        line,
        name,
        id: id.map(Spanned::into_inner),
        condition: condition.map(Spanned::into_inner),
        timeout,
        interval,
        retries: retries.unwrap_or(0),
        dir,
        clone,
        kind,
    })
}

fn list(options: impl Iterator<Item = &'static str>) -> String {
    options
        .map(|option| format!("`{option}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An `http` step's look-up: the URL of its GET, and the pointers that show the effect.
type HttpFind = (Option<Template>, Vec<(String, String)>);

/// Builds one kind's options from the raw table.
struct Builder<'c, 'a> {
    cx: &'c mut Cx<'a>,
    scope: &'c Scope,
    whole: Range<usize>,
}

impl Builder<'_, '_> {
    fn template(&mut self, value: &Spanned<String>) -> Option<Template> {
        self.cx.template(value, self.scope)
    }

    fn template_opt(&mut self, value: Option<Spanned<String>>) -> Result<Option<Template>, ()> {
        match value {
            None => Ok(None),
            Some(value) => self.template(&value).map(Some).ok_or(()),
        }
    }

    fn templates(&mut self, values: Option<Vec<Spanned<String>>>) -> Result<Vec<Template>, ()> {
        let mut out = Vec::new();
        let mut ok = true;
        for value in values.unwrap_or_default() {
            match self.template(&value) {
                Some(template) => out.push(template),
                None => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }

    fn template_map(
        &mut self,
        values: Option<indexmap::IndexMap<String, Spanned<String>>>,
    ) -> Result<Vec<(String, Template)>, ()> {
        let mut out = Vec::new();
        let mut ok = true;
        for (key, value) in values.unwrap_or_default() {
            match self.template(&value) {
                Some(template) => out.push((key, template)),
                None => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }

    /// A TOML value whose strings are templates, as JSON.
    fn json_value(&mut self, value: Spanned<toml::Value>) -> Result<serde_json::Value, ()> {
        let span = value.span();
        let json = toml_to_json(value.into_inner());
        let mut ok = true;
        visit_json_strings(&json, &mut |text| {
            if self
                .cx
                .template_text(text, span.clone(), self.scope)
                .is_none()
            {
                ok = false;
            }
        });
        if ok { Ok(json) } else { Err(()) }
    }

    fn required(
        &mut self,
        value: Option<Spanned<String>>,
        kind: &str,
        option: &str,
        example: &str,
    ) -> Result<Template, ()> {
        match value {
            Some(value) => self.template(&value).ok_or(()),
            None => {
                self.cx.error_hint(
                    self.whole.clone(),
                    format!("a `{kind}` step needs `{option}`"),
                    format!("add `{option} = {example}`"),
                );
                Err(())
            }
        }
    }

    fn one_of<'v>(
        &mut self,
        value: &Spanned<String>,
        kind: &str,
        values: &'v [&'v str],
    ) -> Option<&'v str> {
        let text = value.get_ref().as_str();
        if let Some(found) = values.iter().find(|candidate| **candidate == text) {
            return Some(found);
        }
        let suggestion = Suggestion::closest(text, values.iter().copied());
        self.cx.error_hint(
            value.span(),
            format!("`{kind} = \"{text}\"` is not a known {kind}{suggestion}"),
            format!(
                "`{kind}` takes {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        None
    }

    fn kind(&mut self, key: &str, step: StepConfig) -> Option<StepKind> {
        self.kind_inner(key, step).ok()
    }

    #[allow(clippy::too_many_lines)] // one arm per kind reads better than 24 small functions
    fn kind_inner(&mut self, key: &str, step: StepConfig) -> Result<StepKind, ()> {
        Ok(match key {
            "check" => {
                let value = step.check.ok_or(())?;
                let name = self.one_of(&value, "check", kinds::CHECKS).ok_or(())?;
                let check = check::Check::parse(name).ok_or(())?;
                StepKind::Check(check::CheckStep {
                    check,
                    branch: self.template_opt(step.branch)?,
                    allow_untracked: step.allow_untracked.unwrap_or(false),
                    tag: self.template_opt(step.tag)?,
                    remote: step.remote.map(Spanned::into_inner),
                    milestone: self.template_opt(step.milestone)?,
                    label: self.template_opt(step.label)?,
                    git_ref: self.template_opt(step.git_ref)?,
                })
            }
            "bump" => StepKind::Bump(bump::BumpStep {
                level: self.required(step.bump, "bump", "bump", "\"minor\"")?,
                pre: self.template_opt(step.pre)?,
                allow_downgrade: step.allow_downgrade.unwrap_or(false),
            }),
            "changelog" => {
                let value = step.changelog.ok_or(())?;
                self.one_of(&value, "changelog", &["update"]).ok_or(())?;
                StepKind::Changelog(changelog::ChangelogStep {
                    edit: step.edit.unwrap_or(false),
                })
            }
            "checksums" => StepKind::Checksums(checksums::ChecksumsStep {
                pattern: self.required(step.checksums, "checksums", "checksums", "\"dist/*\"")?,
                sign: step.sign.unwrap_or(false),
                output: self.template_opt(step.output)?,
            }),
            "run" => {
                let shell = step.shell.unwrap_or(false);
                let command = self.command(step.run.ok_or(())?, shell)?;
                let undo = match step.undo {
                    Some(undo) => Some(self.command(undo, shell)?),
                    None => None,
                };
                StepKind::Run(run::RunStep {
                    command,
                    shell,
                    cwd: self.template_opt(step.cwd)?,
                    env: self.template_map(step.env)?,
                    idempotent: step.idempotent.unwrap_or(false),
                    undo,
                })
            }
            "commit" => StepKind::Commit(commit::CommitStep {
                message: self.required(step.commit, "commit", "commit", "\"Release {version}\"")?,
                add: self.templates(step.add)?,
                sign: step.sign,
            }),
            "tag" => StepKind::Tag(tag::TagStep {
                name: self.required(step.tag, "tag", "tag", "\"{tag}\"")?,
                message: self.template_opt(step.message)?,
                sign: step.sign.unwrap_or(false),
            }),
            "push" => {
                let value = step.push.ok_or(())?;
                let span = value.span();
                let targets = value.into_inner().into_vec();
                let mut push = push::PushStep {
                    branch: false,
                    tag: false,
                    remote: step.remote.map(Spanned::into_inner),
                };
                for target in &targets {
                    match target.as_str() {
                        "branch" => push.branch = true,
                        "tag" => push.tag = true,
                        other => {
                            let suggestion = Suggestion::closest(other, ["branch", "tag"]);
                            self.cx.error_hint(
                                span.clone(),
                                format!("`push` target `{other}` is unknown{suggestion}"),
                                "push takes `\"branch\"`, `\"tag\"` or `[\"branch\", \"tag\"]`",
                            );
                            return Err(());
                        }
                    }
                }
                if targets.is_empty() {
                    self.cx.error(
                        span,
                        "`push = []` pushes nothing: name `branch`, `tag` or both",
                    );
                    return Err(());
                }
                StepKind::Push(push)
            }
            "branch" => {
                let switch = match step.switch {
                    None => true,
                    Some(value) => match value.get_ref() {
                        StringOrBool::Bool(flag) => *flag,
                        StringOrBool::String(_) => {
                            self.cx.error(
                                value.span(),
                                "on a `branch` step, `switch` is `true` or `false`",
                            );
                            return Err(());
                        }
                    },
                };
                StepKind::Branch(branch::BranchStep {
                    name: self.required(
                        step.branch,
                        "branch",
                        "branch",
                        "\"release/{major}.{minor}\"",
                    )?,
                    from: self.template_opt(step.from)?,
                    switch,
                })
            }
            "switch" => {
                let value = step.switch.ok_or(())?;
                let span = value.span();
                match value.into_inner() {
                    StringOrBool::String(text) => StepKind::Switch(switch::SwitchStep {
                        branch: self.template(&Spanned::new(span, text)).ok_or(())?,
                    }),
                    StringOrBool::Bool(_) => {
                        self.cx.error_hint(
                            span,
                            "`switch = true` names no branch",
                            "write `switch = \"main\"`, or use `switch = false` on a `branch` step",
                        );
                        return Err(());
                    }
                }
            }
            "merge" => StepKind::Merge(merge::MergeStep {
                into: self.required(step.merge, "merge", "merge", "\"master\"")?,
                message: self.template_opt(step.message)?,
            }),
            "cherry-pick" => {
                let value = step.cherry_pick.ok_or(())?;
                let span = value.span();
                let mut commits = Vec::new();
                for entry in value.into_inner().into_vec() {
                    commits.push(
                        self.cx
                            .template_text(&entry, span.clone(), self.scope)
                            .ok_or(())?,
                    );
                }
                StepKind::CherryPick(cherry_pick::CherryPickStep { commits })
            }
            "release" => {
                let value = step.release.ok_or(())?;
                let action = match self
                    .one_of(&value, "release", &["draft", "publish"])
                    .ok_or(())?
                {
                    "draft" => release::ReleaseAction::Draft,
                    _ => release::ReleaseAction::Publish,
                };
                StepKind::Release(release::ReleaseStep {
                    action,
                    tag: self.template_opt(step.tag)?,
                    title: self.template_opt(step.name)?,
                    notes: self.template_opt(step.notes)?,
                    assets: self.templates(step.assets)?,
                    prerelease: step.prerelease,
                    keep_notes: step.keep_notes.unwrap_or(false),
                    repo: self.template_opt(step.repo)?,
                })
            }
            "pull-request" => {
                let value = step.pull_request.ok_or(())?;
                self.one_of(&value, "pull-request", &["open"]).ok_or(())?;
                StepKind::PullRequest(pull_request::PullRequestStep {
                    head: self.required(
                        step.head,
                        "pull-request",
                        "head",
                        "\"release/{version}\"",
                    )?,
                    base: self.required(step.base, "pull-request", "base", "\"master\"")?,
                    title: self.required(
                        step.title,
                        "pull-request",
                        "title",
                        "\"Release {version}\"",
                    )?,
                    body: self.template_opt(step.body)?,
                    reviewers: self.templates(step.reviewers)?,
                    assignees: self.templates(step.assignees)?,
                    labels: self.templates(step.labels)?,
                    repo: self.template_opt(step.repo)?,
                    draft: step.draft.unwrap_or(false),
                })
            }
            "merge-pull-request" => {
                let value = step.merge_pull_request.ok_or(())?;
                let span = value.span();
                let number = self
                    .cx
                    .template_text(&value.into_inner().into_string(), span, self.scope)
                    .ok_or(())?;
                let method = match step.method {
                    None => "merge".to_owned(),
                    Some(method) => self
                        .one_of(&method, "method", &["merge", "squash", "rebase"])
                        .ok_or(())?
                        .to_owned(),
                };
                StepKind::MergePullRequest(merge_pull_request::MergePullRequestStep {
                    number,
                    method,
                    repo: self.template_opt(step.repo)?,
                })
            }
            "dispatch" => StepKind::Dispatch(dispatch::DispatchStep {
                workflow: self.required(
                    step.dispatch,
                    "dispatch",
                    "dispatch",
                    "\"release.yml\"",
                )?,
                git_ref: self.template_opt(step.git_ref)?,
                inputs: self.template_map(step.inputs)?,
                artifacts: self.template_opt(step.artifacts)?,
                repo: self.template_opt(step.repo)?,
            }),
            "circleci" => {
                let value = step.circleci.ok_or(())?;
                self.one_of(&value, "circleci", &["pipeline"]).ok_or(())?;
                if step.branch.is_some() && step.tag.is_some() {
                    self.cx.error(
                        self.whole.clone(),
                        "a `circleci` pipeline runs on a `branch` or a `tag`, not both",
                    );
                    return Err(());
                }
                let parameters = match step.parameters {
                    Some(parameters) => {
                        let span = parameters.span();
                        match self.json_value(Spanned::new(
                            span,
                            toml::Value::Table(parameters.into_inner()),
                        ))? {
                            serde_json::Value::Object(map) => map,
                            _ => serde_json::Map::new(),
                        }
                    }
                    None => serde_json::Map::new(),
                };
                StepKind::Circleci(circleci::CircleciStep {
                    branch: self.template_opt(step.branch)?,
                    tag: self.template_opt(step.tag)?,
                    parameters,
                    artifacts: self.template_opt(step.artifacts)?,
                    project: self.template_opt(step.project)?,
                    token_env: step
                        .token_env
                        .map_or_else(|| "CIRCLE_TOKEN".to_owned(), Spanned::into_inner),
                })
            }
            "wait" => {
                let value = step.wait.ok_or(())?;
                let kind = self
                    .one_of(&value, "wait", &["checks", "pr-merged", "url"])
                    .ok_or(())?;
                StepKind::Wait(match kind {
                    "checks" => wait::WaitStep::Checks {
                        git_ref: self.template_opt(step.git_ref)?,
                        rerun_failed: step.rerun_failed.unwrap_or(0),
                        repo: self.template_opt(step.repo)?,
                        token_env: step
                            .token_env
                            .map_or_else(wait::default_circle_token, Spanned::into_inner),
                    },
                    "pr-merged" => {
                        let pr = match step.pr {
                            Some(pr) => {
                                let span = pr.span();
                                Some(
                                    self.cx
                                        .template_text(
                                            &pr.into_inner().into_string(),
                                            span,
                                            self.scope,
                                        )
                                        .ok_or(())?,
                                )
                            }
                            None => None,
                        };
                        wait::WaitStep::PrMerged {
                            pr,
                            repo: self.template_opt(step.repo)?,
                        }
                    }
                    _ => wait::WaitStep::Url {
                        url: self.required(step.url, "wait", "url", "\"https://…\"")?,
                        status: step.status,
                        contains: self.template_opt(step.contains)?,
                    },
                })
            }
            "verify" => {
                let value = step.verify.ok_or(())?;
                let kind = self
                    .one_of(&value, "verify", &["pypi", "oci", "helm", "url"])
                    .ok_or(())?;
                if kind != "oci"
                    && let Some(same_as) = &step.same_as
                {
                    self.cx.error_hint(
                        same_as.span(),
                        format!("`same-as` compares image tags: it is not an option of `verify = \"{kind}\"`"),
                        "use it on a `verify = \"oci\"` step, or remove it",
                    );
                    return Err(());
                }
                StepKind::Verify(match kind {
                    "pypi" => verify::VerifyStep::Pypi {
                        package: self.required(
                            step.package,
                            "verify",
                            "package",
                            "\"{project}\"",
                        )?,
                        index: self.template_opt(step.index)?,
                        files: self.templates(step.files)?,
                    },
                    "oci" => {
                        let tags = self.templates(step.tags)?;
                        verify::VerifyStep::Oci {
                            image: self.required(
                                step.image,
                                "verify",
                                "image",
                                "\"ghcr.io/owner/name\"",
                            )?,
                            tags: if tags.is_empty() {
                                vec![Template::parse("{version}").map_err(|_| ())?]
                            } else {
                                tags
                            },
                            platforms: self.templates(step.platforms)?,
                            same_as: self.template_opt(step.same_as)?,
                            username_env: step.username_env.map(Spanned::into_inner),
                            password_env: step.password_env.map(Spanned::into_inner),
                        }
                    }
                    "helm" => verify::VerifyStep::Helm {
                        repo: self.required(
                            step.repo,
                            "verify",
                            "repo",
                            "\"https://charts.example.org\"",
                        )?,
                        chart: self.required(step.chart, "verify", "chart", "\"{project}\"")?,
                    },
                    _ => verify::VerifyStep::Url {
                        url: self.required(step.url, "verify", "url", "\"https://…\"")?,
                        status: step.status,
                        contains: self.template_opt(step.contains)?,
                    },
                })
            }
            "http" => {
                let value = step.http.ok_or(())?;
                let span = value.span();
                let text = value.into_inner();
                let Some((method, url)) = text.trim().split_once(char::is_whitespace) else {
                    self.cx.error_hint(
                        span,
                        format!("`http = \"{text}\"` needs a method and a URL"),
                        "write it like `http = \"POST https://example.org/hook\"`",
                    );
                    return Err(());
                };
                let method = method.to_ascii_uppercase();
                if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains(&method.as_str()) {
                    self.cx.error(
                        span,
                        format!("`{method}` is not an HTTP method relman sends"),
                    );
                    return Err(());
                }
                if step.json.is_some() && step.body.is_some() {
                    self.cx.error(
                        self.whole.clone(),
                        "an `http` step has a `json` or a `body`, not both",
                    );
                    return Err(());
                }
                let url = self
                    .cx
                    .template_text(url.trim(), span, self.scope)
                    .ok_or(())?;
                let json = match step.json {
                    Some(json) => Some(self.json_value(json)?),
                    None => None,
                };
                let mut save = Vec::new();
                for (name, pointer) in step.save.unwrap_or_default() {
                    if !pointer.get_ref().is_empty() && !pointer.get_ref().starts_with('/') {
                        self.cx.error_hint(
                            pointer.span(),
                            format!(
                                "`save.{name} = \"{}\"` is not a JSON pointer",
                                pointer.get_ref()
                            ),
                            "JSON pointers start with `/`, e.g. `\"/id\"`",
                        );
                        return Err(());
                    }
                    save.push((name, pointer.into_inner()));
                }
                let (find, found) = self.http_find(step.find, step.found, &save)?;
                StepKind::Http(http::HttpStep {
                    method,
                    url,
                    headers: self.template_map(step.headers)?,
                    json,
                    body: self.template_opt(step.body)?,
                    expect: step.expect,
                    save,
                    find,
                    found,
                    idempotent: step.idempotent.unwrap_or(false),
                })
            }
            "slack" => StepKind::Slack(slack::SlackStep {
                channel: self.required(step.slack, "slack", "slack", "\"#releases\"")?,
                message: self.required(
                    step.message,
                    "slack",
                    "message",
                    "\"Released {version}\"",
                )?,
                webhook_env: step
                    .webhook_env
                    .map_or_else(|| "SLACK_WEBHOOK_URL".to_owned(), Spanned::into_inner),
            }),
            "webhook" => StepKind::Webhook(webhook::WebhookStep {
                url: self.required(step.webhook, "webhook", "webhook", "\"https://…\"")?,
                payload: match step.payload {
                    Some(payload) => self.json_value(payload)?,
                    None => serde_json::json!({ "version": "{version}", "tag": "{tag}" }),
                },
                headers: self.template_map(step.headers)?,
            }),
            "email" => {
                let value = step.email.ok_or(())?;
                let span = value.span();
                let mut to = Vec::new();
                for address in value.into_inner().into_vec() {
                    to.push(
                        self.cx
                            .template_text(&address, span.clone(), self.scope)
                            .ok_or(())?,
                    );
                }
                let mut cc = Vec::new();
                if let Some(value) = step.cc {
                    let span = value.span();
                    for address in value.into_inner().into_vec() {
                        cc.push(
                            self.cx
                                .template_text(&address, span.clone(), self.scope)
                                .ok_or(())?,
                        );
                    }
                }
                StepKind::Email(email::EmailStep {
                    to,
                    cc,
                    subject: self.required(
                        step.subject,
                        "email",
                        "subject",
                        "\"{project} {version} released\"",
                    )?,
                    body: self.required(step.body, "email", "body", "\"{changelog}\"")?,
                    from: self.template_opt(step.from)?,
                })
            }
            "manual" => StepKind::Manual(manual::ManualStep {
                text: self.required(step.manual, "manual", "manual", "\"…\"")?,
                checklist: self.templates(step.checklist)?,
            }),
            other => unreachable!("kind `{other}` is in the kinds table but has no builder"),
        })
    }

    /// `find` and `found` of an `http` step: both or neither; pointers; and every `save` name
    /// among `found`, so a step found done has the outputs later steps use.
    fn http_find(
        &mut self,
        find: Option<Spanned<String>>,
        found: Option<indexmap::IndexMap<String, Spanned<String>>>,
        save: &[(String, String)],
    ) -> Result<HttpFind, ()> {
        let found = found.unwrap_or_default();
        let Some(find) = find else {
            if !found.is_empty() {
                self.cx.error_hint(
                    self.whole.clone(),
                    "`found` reads the answer of `find`, and the step has no `find`",
                    "add `find = \"GET https://…\"`, a request that looks for what the step creates",
                );
                return Err(());
            }
            return Ok((None, Vec::new()));
        };
        let span = find.span();
        let text = find.into_inner();
        let url = match text.trim().split_once(char::is_whitespace) {
            Some((method, url)) if method.eq_ignore_ascii_case("GET") => url.trim(),
            Some((method, _)) => {
                self.cx.error_hint(
                    span,
                    format!("`find` only reads, so it is a GET request, not `{method}`"),
                    "write it like `find = \"GET https://example.org/rest/bug?summary=...\"`",
                );
                return Err(());
            }
            None => text.trim(),
        };
        let url = self
            .cx
            .template_text(url, span.clone(), self.scope)
            .ok_or(())?;
        if found.is_empty() {
            self.cx.error_hint(
                span,
                "`find` needs `found`: what in its answer shows the effect is there",
                "add `found = { id = \"/bugs/0/id\" }` (JSON pointers into the answer)",
            );
            return Err(());
        }
        let mut pointers = Vec::new();
        for (name, pointer) in found {
            if !pointer.get_ref().starts_with('/') {
                self.cx.error_hint(
                    pointer.span(),
                    format!(
                        "`found.{name} = \"{}\"` is not a JSON pointer",
                        pointer.get_ref()
                    ),
                    "JSON pointers start with `/`, e.g. `\"/bugs/0/id\"`",
                );
                return Err(());
            }
            pointers.push((name, pointer.into_inner()));
        }
        if let Some((name, _)) = save
            .iter()
            .find(|(name, _)| !pointers.iter().any(|(known, _)| known == name))
        {
            self.cx.error_hint(
                span,
                format!("`save.{name}` has no counterpart in `found`"),
                format!(
                    "when the look-up finds the effect, the step's outputs come from `found`: add `found.{name}`"
                ),
            );
            return Err(());
        }
        Ok((Some(url), pointers))
    }

    fn command(
        &mut self,
        value: Spanned<StringOrList>,
        shell: bool,
    ) -> Result<run::CommandSpec, ()> {
        let span = value.span();
        let words: Vec<String> = match value.into_inner() {
            StringOrList::One(line) if shell => {
                return self
                    .cx
                    .template_text(&line, span, self.scope)
                    .map(run::CommandSpec::Shell)
                    .ok_or(());
            }
            StringOrList::One(line) => match shell_words::split(&line) {
                Ok(words) => words,
                Err(error) => {
                    self.cx.error_hint(
                        span,
                        format!("cannot split `{line}` into arguments: {error}"),
                        "check the quotes, or give the command as an array",
                    );
                    return Err(());
                }
            },
            StringOrList::Many(_) if shell => {
                self.cx.error_hint(
                    span,
                    "`shell = true` takes the command as one string",
                    "write `run = \"a | b\"`",
                );
                return Err(());
            }
            StringOrList::Many(words) => words,
        };
        if words.is_empty() {
            self.cx.error(span, "the command is empty");
            return Err(());
        }
        let mut templates = Vec::new();
        for word in words {
            templates.push(
                self.cx
                    .template_text(&word, span.clone(), self.scope)
                    .ok_or(())?,
            );
        }
        Ok(run::CommandSpec::Argv(templates))
    }
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text),
        toml::Value::Integer(number) => serde_json::Value::from(number),
        toml::Value::Float(number) => serde_json::Value::from(number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(flag),
        toml::Value::Datetime(datetime) => serde_json::Value::String(datetime.to_string()),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(toml_to_json).collect())
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
        ),
    }
}

/// Calls `visit` on every string inside a JSON value.
pub(crate) fn visit_json_strings(value: &serde_json::Value, visit: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(text) => visit(text),
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|item| visit_json_strings(item, visit)),
        serde_json::Value::Object(map) => map
            .values()
            .for_each(|item| visit_json_strings(item, visit)),
        _ => {}
    }
}
