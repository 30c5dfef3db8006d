//! Each step kind in plain English: one sentence saying what the step does, with its
//! templates as written, then the details a person following the runbook needs (what is
//! checked, what pauses, what later steps can use).

use crate::core::explain::{
    Explained, PAUSES, answers, code, codes, join, labelled_text, show, show_code,
};
use crate::kinds::check::Check;
use crate::kinds::release::ReleaseAction;
use crate::kinds::run::CommandSpec;
use crate::kinds::verify::VerifyStep;
use crate::kinds::wait::WaitStep;
use crate::kinds::{StepDef, StepKind};

#[allow(clippy::too_many_lines)] // one arm per kind reads better than 24 small functions
pub(super) fn explain(step: &StepDef, bumps: &mut usize, tags_only: bool) -> Explained {
    match &step.kind {
        StepKind::Check(check) => {
            let sentence = match check.check {
                Check::Branch => format!(
                    "Check that the current branch is {}.",
                    check.branch.as_ref().map_or_else(
                        || "the release branch (`project.branch`)".to_owned(),
                        show_code
                    )
                ),
                Check::Clean => "Check that there are no uncommitted changes.".to_owned(),
                Check::UpToDate => "Check that the branch is level with the remote's (asked with `git ls-remote`; nothing is fetched).".to_owned(),
                Check::TagAvailable => format!(
                    "Check that the tag {} exists neither here nor on the remote.",
                    check.tag.as_ref().map_or_else(|| "`{tag}`".to_owned(), show_code)
                ),
                Check::VersionBumped => {
                    "Check that the version in the files is greater than the last release's.".to_owned()
                }
                Check::ChangelogEntry => "Check that the changelog has notes for `{version}` (or that fragments or commits exist to make them).".to_owned(),
                Check::CiGreen => format!(
                    "Check that every check run and status on {} succeeded.",
                    check.git_ref.as_ref().map_or_else(|| "HEAD".to_owned(), show_code)
                ),
                Check::MilestoneClosed => format!(
                    "Check that the milestone {} has no open issue or pull request.",
                    check.milestone.as_ref().map_or_else(|| "`{version}`".to_owned(), show_code)
                ),
                Check::NoOpenIssues => format!(
                    "Check that no open issue or pull request carries the label {}.",
                    check.label.as_ref().map_or_else(|| "given".to_owned(), show_code)
                ),
            };
            Explained::new(sentence)
                .detail_if(check.allow_untracked, "Untracked files are allowed.")
                .detail_if(
                    check.remote.is_some(),
                    format!(
                        "The remote is `{}`.",
                        check.remote.as_deref().unwrap_or_default()
                    ),
                )
        }
        StepKind::Bump(bump) => {
            *bumps += 1;
            let explained = Explained::new(if tags_only {
                format!(
                    "Bump the version ({}): no file holds it, a tag carries it.",
                    show_code(&bump.level)
                )
            } else {
                format!(
                    "Bump the version ({}) and write it to every version file.",
                    show_code(&bump.level)
                )
            });
            let explained = if *bumps == 1 {
                explained.detail("This decides the release's `{version}`.")
            } else {
                explained.detail("A later bump: it writes the next development version, `{dev_version}`; `{version}` still names the release.")
            };
            explained
                .detail_if(
                    bump.pre.is_some(),
                    format!(
                        "Pre-release label {}.",
                        bump.pre.as_ref().map(show_code).unwrap_or_default()
                    ),
                )
                .detail_if(bump.allow_downgrade, "The version may go down.")
        }
        StepKind::Changelog(changelog) => Explained::new(
            "Add this release's section to the changelog (and remove the news fragments it used).",
        )
        .detail_if(
            changelog.edit,
            "On a terminal, the section opens in `$EDITOR` first, for you to edit.",
        )
        .detail("Later steps can use it as `{changelog}`."),
        StepKind::Checksums(checksums) => Explained::new(format!(
            "Write SHA-256 checksums of {} to {}.",
            show_code(&checksums.pattern),
            checksums
                .output
                .as_ref()
                .map_or_else(|| "`SHA256SUMS` beside them".to_owned(), show_code)
        ))
        .detail_if(checksums.sign, "Signed with a detached, armored signature."),
        StepKind::Run(run) => {
            let command = match &run.command {
                CommandSpec::Argv(words) => words.iter().map(show).collect::<Vec<_>>().join(" "),
                CommandSpec::Shell(line) => show(line),
            };
            let mut explained = Explained::new(format!("Run {}.", code(&command)))
                .detail_if(run.shell, "Through `sh -c`.")
                .detail_if(
                    run.cwd.is_some(),
                    format!(
                        "In {}.",
                        run.cwd.as_ref().map(show_code).unwrap_or_default()
                    ),
                );
            if !run.env.is_empty() {
                let vars: Vec<String> = run
                    .env
                    .iter()
                    .map(|(name, value)| format!("`{name}={}`", show(value)))
                    .collect();
                explained = explained.detail(format!("With {}.", join(&vars)));
            }
            if run.idempotent {
                explained = explained.detail("Safe to run again if relman stopped while it ran.");
            }
            if let Some(undo) = &run.undo {
                let undo = match undo {
                    CommandSpec::Argv(words) => {
                        words.iter().map(show).collect::<Vec<_>>().join(" ")
                    }
                    CommandSpec::Shell(line) => show(line),
                };
                explained =
                    explained.detail(format!("`relman abort` undoes it with {}.", code(&undo)));
            }
            explained
        }
        StepKind::Commit(commit) => {
            let explained = Explained::new(format!(
                "Commit what the steps before changed, with the message {}.",
                show_code(&commit.message)
            ))
            .detail_if(
                !commit.add.is_empty(),
                format!("Also stages {}.", codes(&commit.add)),
            );
            match commit.sign {
                Some(true) => explained.detail("Signed."),
                Some(false) => explained.detail("Not signed."),
                None => explained,
            }
        }
        StepKind::Tag(tag) => {
            let kind = match (tag.sign, &tag.message) {
                (true, _) => "a signed tag",
                (false, Some(_)) => "an annotated tag",
                (false, None) => "a lightweight tag",
            };
            Explained::new(format!(
                "Create {kind} {} on the release commit.",
                show_code(&tag.name)
            ))
            .detail_if(
                tag.message.is_some(),
                tag.message
                    .as_ref()
                    .map(|message| labelled_text("Its message", message))
                    .unwrap_or_default(),
            )
        }
        StepKind::Push(push) => {
            let what = match (push.branch, push.tag) {
                (true, true) => "the branch and the tag",
                (true, false) => "the branch",
                _ => "the tag",
            };
            Explained::new(format!(
                "Push {what} to {}{}.",
                push.remote
                    .as_deref()
                    .map_or_else(|| "the remote".to_owned(), code),
                if push.branch && push.tag {
                    ", atomically"
                } else {
                    ""
                }
            ))
        }
        StepKind::Branch(branch) => Explained::new(format!(
            "Create the branch {}{}{}.",
            show_code(&branch.name),
            branch
                .from
                .as_ref()
                .map(|from| format!(" from {}", show_code(from)))
                .unwrap_or_default(),
            if branch.switch {
                " and switch to it"
            } else {
                ""
            }
        )),
        StepKind::Switch(switch) => Explained::new(format!(
            "Switch to the branch {}.",
            show_code(&switch.branch)
        )),
        StepKind::Merge(merge) => Explained::new(format!(
            "Merge the current branch into {} with a merge commit.",
            show_code(&merge.into)
        ))
        .detail_if(
            merge.message.is_some(),
            format!(
                "Its message: {}.",
                merge.message.as_ref().map(show_code).unwrap_or_default()
            ),
        ),
        StepKind::CherryPick(pick) => Explained::new(format!(
            "Cherry-pick {} onto the current branch, recorded with `-x`.",
            codes(&pick.commits)
        ))
        .detail("A conflict pauses the release: resolve it, then `relman resume`."),
        StepKind::Release(release) => {
            let tag = release
                .tag
                .as_ref()
                .map_or_else(|| "`{tag}`".to_owned(), show_code);
            let explained = match release.action {
                ReleaseAction::Draft => Explained::new(format!(
                    "Create (or update) a draft GitHub release for {tag}."
                )),
                ReleaseAction::Publish => Explained::new(format!(
                    "Publish the GitHub release for {tag} (created if there is none)."
                )),
            };
            explained
                .detail(match (&release.notes, release.keep_notes) {
                    (Some(notes), false) => labelled_text("Its notes", notes),
                    (None, false) => "Its notes are this release's changelog section.".to_owned(),
                    (Some(notes), true) => format!(
                        "A release that exists keeps the notes it has (edited by hand); a new one gets {}.",
                        show_code(notes)
                    ),
                    (None, true) => "A release that exists keeps the notes it has (edited by hand); a new one gets this release's changelog section.".to_owned(),
                })
                .detail_if(
                    release.title.is_some(),
                    format!(
                        "Its title: {}.",
                        release.title.as_ref().map(show_code).unwrap_or_default()
                    ),
                )
                .detail_if(
                    !release.assets.is_empty(),
                    format!("With the files {}.", codes(&release.assets)),
                )
                .detail(match release.prerelease {
                    Some(true) => "Marked as a pre-release.",
                    Some(false) => "Not marked as a pre-release.",
                    None => "Marked as a pre-release when the version is one.",
                })
                .detail_if(
                    release.repo.is_some(),
                    format!(
                        "In the repository {}.",
                        release.repo.as_ref().map(show_code).unwrap_or_default()
                    ),
                )
                .detail("Later steps can use its address as `{release_url}`.")
        }
        StepKind::PullRequest(pull) => {
            let mut explained = Explained::new(format!(
                "Open a pull request from {} into {}, titled {} (or reuse the open one).",
                show_code(&pull.head),
                show_code(&pull.base),
                show_code(&pull.title)
            ));
            if let Some(repo) = &pull.repo {
                explained = explained.detail(format!("In the repository {}.", show_code(repo)));
            }
            if pull.draft {
                explained = explained.detail("As a draft.");
            }
            if let Some(body) = &pull.body {
                explained = explained.detail(labelled_text("The description", body));
            }
            for (label, values) in [
                ("Reviewers", &pull.reviewers),
                ("Assignees", &pull.assignees),
                ("Labels", &pull.labels),
            ] {
                if !values.is_empty() {
                    explained = explained.detail(format!("{label}: {}.", codes(values)));
                }
            }
            explained.detail_if(
                step.id.is_none(),
                "Later steps can use `{pr_number}` and `{pr_url}`.",
            )
        }
        StepKind::MergePullRequest(merge) => Explained::new(format!(
            "Merge pull request {} ({}).",
            show_code(&merge.number),
            merge.method
        ))
        .detail_if(
            merge.repo.is_some(),
            format!(
                "In the repository {}.",
                merge.repo.as_ref().map(show_code).unwrap_or_default()
            ),
        ),
        StepKind::Dispatch(dispatch) => {
            let mut explained = Explained::new(format!(
                "Run the GitHub Actions workflow {} on {} and wait for it to finish.",
                show_code(&dispatch.workflow),
                dispatch
                    .git_ref
                    .as_ref()
                    .map_or_else(|| "the release tag (or the branch)".to_owned(), show_code)
            ));
            if !dispatch.inputs.is_empty() {
                let inputs: Vec<String> = dispatch
                    .inputs
                    .iter()
                    .map(|(name, value)| format!("`{name}` = {}", show_code(value)))
                    .collect();
                explained = explained.detail(format!("Inputs: {}.", join(&inputs)));
            }
            if let Some(artifacts) = &dispatch.artifacts {
                explained = explained.detail(format!(
                    "Its artifacts are downloaded into {}.",
                    show_code(artifacts)
                ));
            }
            explained.detail(PAUSES)
        }
        StepKind::Circleci(circleci) => {
            let on = match (&circleci.branch, &circleci.tag) {
                (Some(branch), _) => format!(" on the branch {}", show_code(branch)),
                (None, Some(tag)) => format!(" on the tag {}", show_code(tag)),
                (None, None) => String::new(),
            };
            let mut explained = Explained::new(format!(
                "Trigger a CircleCI pipeline{on} and wait for its workflows."
            ));
            if !circleci.parameters.is_empty() {
                let parameters: Vec<String> = circleci
                    .parameters
                    .iter()
                    .map(|(name, value)| format!("`{name} = {value}`"))
                    .collect();
                explained = explained.detail(format!("Parameters: {}.", join(&parameters)));
            }
            if let Some(project) = &circleci.project {
                explained = explained.detail(format!("The project is {}.", show_code(project)));
            }
            if let Some(artifacts) = &circleci.artifacts {
                explained = explained.detail(format!(
                    "Its artifacts are downloaded into {}.",
                    show_code(artifacts)
                ));
            }
            explained
                .detail(format!("The token is read from `{}`.", circleci.token_env))
                .detail(PAUSES)
        }
        StepKind::Wait(wait) => match wait {
            WaitStep::Checks {
                git_ref,
                rerun_failed,
                repo,
                token_env,
            } => Explained::new(format!(
                "Wait until every check on {} is complete and green.",
                git_ref
                    .as_ref()
                    .map_or_else(|| "the release commit".to_owned(), show_code)
            ))
            .detail_if(
                *rerun_failed > 0,
                format!(
                    "Failed jobs are re-run up to {rerun_failed} time{} before the step fails: GitHub Actions jobs, and CircleCI workflows (from their failed jobs) that failed statuses link to, with the CircleCI token in `{token_env}`.",
                    if *rerun_failed == 1 { "" } else { "s" }
                ),
            )
            .detail_if(
                repo.is_some(),
                format!(
                    "In the repository {}.",
                    repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            WaitStep::PrMerged { pr, repo } => Explained::new(format!(
                "Wait until pull request {} is merged.",
                pr.as_ref()
                    .map_or_else(|| "`{pr_number}`".to_owned(), show_code)
            ))
            .detail("A pull request closed without merging fails the step.")
            .detail_if(
                repo.is_some(),
                format!(
                    "In the repository {}.",
                    repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            WaitStep::Url {
                url,
                status,
                contains,
            } => Explained::new(format!(
                "Wait until {}.",
                answers(url, *status, contains.as_ref())
            ))
            .detail(PAUSES),
        },
        StepKind::Verify(verify) => match verify {
            VerifyStep::Pypi {
                package,
                index,
                files,
            } => Explained::new(format!(
                "Verify that {} `{{version}}` is on {}.",
                show_code(package),
                index.as_ref().map_or_else(|| "PyPI".to_owned(), show_code)
            ))
            .detail_if(
                !files.is_empty(),
                format!("With files matching {}.", codes(files)),
            )
            .detail(PAUSES),
            VerifyStep::Oci {
                image,
                tags,
                platforms,
                same_as,
                ..
            } => Explained::new(format!(
                "Verify that the image {} has the tag{} {}.",
                show_code(image),
                if tags.len() == 1 { "" } else { "s" },
                codes(tags)
            ))
            .detail_if(
                !platforms.is_empty(),
                format!("For the platforms {}.", codes(platforms)),
            )
            .detail_if(
                same_as.is_some(),
                format!(
                    "Naming the same image as the tag {} (the same digest).",
                    same_as.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            VerifyStep::Helm { repo, chart } => Explained::new(format!(
                "Verify that the Helm repository {} lists the chart {} at `{{version}}`.",
                show_code(repo),
                show_code(chart)
            ))
            .detail(PAUSES),
            VerifyStep::Url {
                url,
                status,
                contains,
            } => Explained::new(format!(
                "Verify that {}.",
                answers(url, *status, contains.as_ref())
            ))
            .detail(PAUSES),
        },
        StepKind::Http(http) => {
            let mut explained =
                Explained::new(format!("Send `{} {}`.", http.method, show(&http.url)));
            if let Some(json) = &http.json {
                explained = explained.detail(format!("With the JSON body `{json}`."));
            }
            if let Some(body) = &http.body {
                explained = explained.detail(labelled_text("The body", body));
            }
            if !http.headers.is_empty() {
                let names: Vec<String> = http
                    .headers
                    .iter()
                    .map(|(name, _)| format!("`{name}`"))
                    .collect();
                explained = explained.detail(format!("Headers: {}.", join(&names)));
            }
            explained = explained.detail(match http.expect {
                Some(status) => format!("It must answer {status}."),
                None => "It must answer with a 2xx status.".to_owned(),
            });
            if !http.save.is_empty() {
                let saved: Vec<String> = http
                    .save
                    .iter()
                    .map(|(name, pointer)| format!("`{name}` (from `{pointer}`)"))
                    .collect();
                explained = explained.detail(format!("Keeps {} from the answer.", join(&saved)));
            }
            if let Some(find) = &http.find {
                explained = explained.detail(format!(
                    "Looks first with `GET {}`: when its answer has {}, the request was sent by an earlier run and is not sent again.",
                    show(find),
                    join(
                        &http
                            .found
                            .iter()
                            .map(|(_, pointer)| format!("`{pointer}`"))
                            .collect::<Vec<_>>()
                    )
                ));
            }
            explained
        }
        StepKind::Slack(slack) => {
            let message = show(&slack.message);
            let explained = if message.trim_end().contains('\n') {
                Explained::new(format!("Post to Slack {}.", show_code(&slack.channel)))
                    .detail(labelled_text("The message", &slack.message))
            } else {
                Explained::new(format!(
                    "Post to Slack {}: {}.",
                    show_code(&slack.channel),
                    show_code(&slack.message)
                ))
            };
            explained.detail(format!(
                "Through the incoming webhook in `{}`.",
                slack.webhook_env
            ))
        }
        StepKind::Webhook(webhook) => Explained::new(format!(
            "Post a JSON payload to {}.",
            show_code(&webhook.url)
        ))
        .detail(format!("The payload: `{}`.", webhook.payload)),
        StepKind::Email(email) => Explained::new(format!(
            "Email {}, with the subject {}.",
            codes(&email.to),
            show_code(&email.subject)
        ))
        .detail_if(
            !email.cc.is_empty(),
            format!("Copy to {}.", codes(&email.cc)),
        )
        .detail(labelled_text("The body", &email.body))
        .detail("Sent through the SMTP server in `RELMAN_SMTP_URL`."),
        StepKind::Manual(manual) => {
            let mut explained = Explained::new(format!("**By hand:** {}", show(&manual.text)));
            for item in &manual.checklist {
                explained = explained.detail(format!("[ ] {}", show(item)));
            }
            explained.detail(
                "The release waits for you: confirm on the terminal, or `relman resume --confirm`.",
            )
        }
    }
}
