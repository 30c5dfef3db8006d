//! `tag = "{tag}"`: lightweight, annotated (`message`), or signed (`sign = true`, honouring the
//! user's `gpg.format` and `user.signingKey`).

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagStep {
    pub name: Template,
    pub message: Option<Template>,
    pub sign: bool,
}

use relman_git::Annotation;

use super::{Outcome, PlanCx, Probe, RunCx, StepError};
use crate::journal::Undo;
use crate::plan::Effect;

impl TagStep {
    fn annotation(&self, message: Option<String>) -> Annotation {
        match (self.sign, message) {
            (true, message) => Annotation::Signed {
                message: message.unwrap_or_default(),
            },
            (false, Some(message)) => Annotation::Annotated { message },
            (false, None) => Annotation::Lightweight,
        }
    }

    pub(crate) fn preview(&self, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let name = cx.render(&self.name);
        let target = if cx.sim.committed {
            "the release commit".to_owned()
        } else {
            cx.variables
                .get_key("short_sha")
                .unwrap_or("HEAD")
                .to_owned()
        };
        let message = self.message.as_ref().map(|message| cx.render(message));
        let (kind, flags) = match (self.sign, &message) {
            (true, _) => (
                "signed",
                format!(
                    " -s -m {}",
                    shell_words::quote(message.as_deref().unwrap_or(""))
                ),
            ),
            (false, Some(message)) => (
                "annotated",
                format!(" -a -m {}", shell_words::quote(message)),
            ),
            (false, None) => ("lightweight", String::new()),
        };
        Ok(vec![Effect::Git {
            description: format!("{kind} tag `{name}` at {target}"),
            command: format!("git tag{flags} {name}"),
        }])
    }

    pub(crate) fn execute(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let name = cx.render(&self.name)?;
        let target = match cx.context_value("target") {
            Some(target) => target.to_owned(),
            None => {
                let head = repo.head_sha()?;
                cx.set_context("target", head.clone());
                cx.save()?;
                head
            }
        };
        if let Some(existing) = repo.tag_target(&name)? {
            if existing != target {
                return Err(StepError::new(format!(
                    "tag `{name}` already exists at {}, not at {}",
                    &existing[..7.min(existing.len())],
                    &target[..7.min(target.len())]
                ))
                .with_hint(format!(
                    "if it is a leftover, delete it (`git tag -d {name}`) and `relman resume`"
                )));
            }
        } else {
            let message = self
                .message
                .as_ref()
                .map(|message| cx.render(message))
                .transpose()?;
            repo.tag(&name, &target, &self.annotation(message))?;
        }
        self.finish(cx, &name, &target);
        Ok(Outcome::Done)
    }

    fn finish(&self, cx: &mut RunCx<'_>, name: &str, target: &str) {
        cx.push_undo(Undo::DeleteTag {
            tag: name.to_owned(),
        });
        cx.set_output("tag", name);
        cx.set_output("sha", target);
        cx.output(&format!(
            "tagged {} as {name}",
            &target[..target.len().min(7)]
        ));
    }

    pub(crate) fn probe(&self, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let name = cx.render(&self.name)?;
        let Some(target) = cx.context_value("target").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        match cx.repo().tag_target(&name)? {
            Some(existing) if existing == target => {
                self.finish(cx, &name, &target);
                Ok(Probe::Done)
            }
            _ => Ok(Probe::NotDone),
        }
    }
}
