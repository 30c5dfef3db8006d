//! GitHub's generated release notes, as the changelog step (`from = "github"`) and `release`
//! steps with `notes = "generate"` ask for them: the request (shown by the plan, which never
//! sends it) and the notes, asked once per step and kept in its journal record, so a resumed
//! step writes or sends exactly what it got the first time.

use relman_remote::github::NotesRequest;

use super::{failed, github, http_effect, redactor, repo};
use crate::core::{Effect, PlanCx, RunCx, StepError};

/// Context key of the notes GitHub generated for the step.
const GENERATED: &str = "generated_notes";

/// What to ask for: the notes of `tag` (created from `target` if it does not exist yet) since
/// `previous` (GitHub's default when `None`: the release before).
pub(crate) fn request(tag: &str, previous: Option<&str>, target: Option<&str>) -> NotesRequest {
    NotesRequest {
        tag_name: tag.to_owned(),
        target_commitish: target.map(str::to_owned),
        previous_tag_name: previous.map(str::to_owned),
        configuration_file_path: None,
    }
}

/// The request as the plan shows it.
pub(crate) fn preview(cx: &PlanCx<'_>, request: &NotesRequest) -> Result<Effect, StepError> {
    let github = github(cx.project, cx.env)?;
    let repo = repo(cx.project, None)?;
    Ok(http_effect(
        &github.generate_release_notes(&repo, request).render(),
        &redactor(cx.project, cx.env),
    ))
}

/// The notes for the step: those it got before (a resumed step), else GitHub's, recorded in
/// the journal before they are used.
pub(crate) fn generated(cx: &mut RunCx<'_>, request: &NotesRequest) -> Result<String, StepError> {
    if let Some(notes) = cx.context_value(GENERATED) {
        return Ok(notes.to_owned());
    }
    let github = github(cx.project, cx.env)?;
    let repo = repo(cx.project, None)?;
    let notes = github
        .generate_release_notes(&repo, request)
        .send()
        .map_err(|error| {
            failed(
                &format!(
                    "cannot get GitHub's generated notes for `{}` in `{repo}`",
                    request.tag_name
                ),
                error,
            )
        })?;
    cx.set_context(GENERATED, notes.body.clone());
    cx.save()?;
    Ok(notes.body)
}
