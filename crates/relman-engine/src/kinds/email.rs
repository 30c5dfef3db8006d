//! `email = "to@example.org"`: a message over SMTP (`RELMAN_SMTP_URL`).

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, codes, labelled_text, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailStep {
    pub to: Vec<Template>,
    pub cc: Vec<Template>,
    pub subject: Template,
    pub body: Template,
    pub from: Option<Template>,
}

impl Kind for EmailStep {
    const SPEC: KindSpec = KindSpec {
        key_type: OptionType::StringOrList,
        options: &[
            OptionSpec::string("subject"),
            OptionSpec::string("body"),
            OptionSpec::new("cc", OptionType::StringOrList),
            OptionSpec::string("from"),
        ],
        outputs: &["message_id"],
        ..KindSpec::new("email", "send an email over SMTP (RELMAN_SMTP_URL)")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string_or_list("email").ok_or(Reported)?;
        let span = value.span();
        let mut to = Vec::new();
        for address in value.into_inner().into_vec() {
            to.push(options.template_text(&address, span.clone())?);
        }
        let mut cc = Vec::new();
        if let Some(value) = options.string_or_list("cc") {
            let span = value.span();
            for address in value.into_inner().into_vec() {
                cc.push(options.template_text(&address, span.clone())?);
            }
        }
        Ok(EmailStep {
            to,
            cc,
            subject: options.required("subject", "\"{project} {version} released\"")?,
            body: options.required("body", "\"{changelog}\"")?,
            from: options.template("from")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .all("email", &self.to)
            .all("cc", &self.cc)
            .one("subject", &self.subject)
            .one("body", &self.body)
            .opt("from", &self.from)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let step = self;
        let to: Vec<String> = step.to.iter().map(render).collect();
        format!("email {}: {}", to.join(", "), render(&step.subject))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let email = self;
        Explained::new(format!(
            "Email {}, with the subject {}.",
            codes(&email.to),
            show_code(&email.subject)
        ))
        .detail_if(
            !email.cc.is_empty(),
            format!("Copy to {}.", codes(&email.cc)),
        )
        .detail(labelled_text("The body", &email.body))
        .detail("Sent through the SMTP server in `RELMAN_SMTP_URL`.")
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::email::preview(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let _ = step;
        crate::remote::email::execute(self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = (step, cx);
        Ok(Probe::Unknown)
    }
}
