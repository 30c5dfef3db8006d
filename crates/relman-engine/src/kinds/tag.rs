//! `tag = "{tag}"`: lightweight, annotated (`message`), or signed (`sign = true`, honouring the
//! user's `gpg.format` and `user.signingKey`).

use relman_git::Annotation;
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
    Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagStep {
    pub name: Template,
    pub message: Option<Template>,
    pub sign: bool,
}

impl Kind for TagStep {
    const SPEC: KindSpec = KindSpec {
        per_package: true,
        plans_its_files: true,
        options: &[OptionSpec::string("message"), OptionSpec::flag("sign")],
        in_checkout: true,
        yields: true,
        outputs: &["tag", "sha"],
        ..KindSpec::new(
            "tag",
            "create the release tag: lightweight, annotated (message) or signed (sign)",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(TagStep {
            name: options.required("tag", "\"{tag}\"")?,
            message: options.template("message")?,
            sign: options.flag("sign").unwrap_or(false),
        })
    }

    fn needs(&self) -> Vec<Need> {
        // An annotated tag is signed too when git's `tag.gpgSign` says so.
        if self.sign || self.message.is_some() {
            vec![Need::Signing {
                forced: self.sign,
                config: "tag.gpgSign",
            }]
        } else {
            Vec::new()
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("tag", &self.name)
            .opt("message", &self.message)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("tag {}", render(&self.name))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let kind = match (self.sign, &self.message) {
            (true, _) => "a signed tag",
            (false, Some(_)) => "an annotated tag",
            (false, None) => "a lightweight tag",
        };
        Explained::new(format!(
            "Create {kind} {} on the release commit.",
            show_code(&self.name)
        ))
        .detail_if(
            self.message.is_some(),
            self.message
                .as_ref()
                .map(|message| labelled_text("Its message", message))
                .unwrap_or_default(),
        )
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
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
        // A `dispatch` after it runs on the tag.
        cx.sim.tagged = true;
        Ok(vec![Effect::Git {
            description: format!("{kind} tag `{name}` at {target}"),
            command: format!("git tag{flags} {name}"),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
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
                // Someone else's tag may be someone's release: relman never tells anyone to
                // delete or move it.
                .with_hint(format!(
                    "`{name}` may be someone's release: see what it is with `git show {name}`; to release under another version, `relman abort` and plan again with that version"
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

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
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

    fn finish(&self, cx: &mut RunCx<'_>, name: &str, target: &str) {
        cx.push_undo(Undo::DeleteTag {
            tag: name.to_owned(),
            target: Some(target.to_owned()),
        });
        cx.set_output("tag", name);
        cx.set_output("sha", target);
        cx.output(&format!(
            "tagged {} as {name}",
            &target[..target.len().min(7)]
        ));
    }
}
