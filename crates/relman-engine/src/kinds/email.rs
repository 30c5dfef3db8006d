//! `email = "to@example.org"` with `cc`, `subject` and `body` (`{changelog}` and the other
//! variables) or `body-file` (a file of the repository, read when the step runs, as
//! `body = "{file:PATH}"`): one plain-text message through the SMTP server of `RELMAN_SMTP_URL`
//! (`smtp://user:password@host:port`, STARTTLS when offered; `smtps://` for TLS from the start).
//!
//! The sender is `from`, else the URL's `?from=`, else the repository's git `user.email`. The
//! message's `Message-ID` is written to the journal before sending, so a person asked "was it
//! sent?" after a crash can look for it. There is no probe: a step interrupted while sending
//! pauses for a person (`relman resume --confirm` once they have checked), and a step recorded
//! done is never sent again.

use std::time::SystemTime;

use relman_remote::email::{Email, SmtpSettings, send};
use serde::{Deserialize, Serialize};

use crate::clients::{self, SMTP_URL_ENV, failed, note};
use crate::core::explain::{ExplainCx, Explained, codes, labelled_text, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::project::Project;
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
            OptionSpec::string("body-file").about(
                "On `email`: a file of the repository whose text is the body, read when the step runs.",
            ),
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
            body: match options.string("body-file") {
                Some(file) if options.has("body") => {
                    return Err(options.error_hint(
                        file.span(),
                        "an `email` step takes `body` or `body-file`, not both",
                        "keep one of them",
                    ));
                }
                Some(file)
                    if file.get_ref().contains(['{', '}']) || file.get_ref().trim().is_empty() =>
                {
                    return Err(options.error_hint(
                        file.span(),
                        "`body-file` is a path, without braces",
                        "write the path of the file relative to the repository, e.g. `body-file = \"docs/announce.txt\"`",
                    ));
                }
                Some(file) => {
                    let text = format!("{{file:{}}}", file.get_ref());
                    options.template_text(&text, file.span())?
                }
                None => options.required("body", "\"{changelog}\"")?,
            },
            from: options.template("from")?,
        })
    }

    fn needs_changelog(&self) -> bool {
        true
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Env {
            name: SMTP_URL_ENV.to_owned(),
            holds: "the SMTP server's URL",
        }]
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
        let to: Vec<String> = self.to.iter().map(render).collect();
        format!("email {}: {}", to.join(", "), render(&self.subject))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Email {}, with the subject {}.",
            codes(&self.to),
            show_code(&self.subject)
        ))
        .detail_if(!self.cc.is_empty(), format!("Copy to {}.", codes(&self.cc)))
        .detail(labelled_text("The body", &self.body))
        .detail("Sent through the SMTP server in `RELMAN_SMTP_URL`.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let settings = clients::smtp(cx.env)?;
        let parts = parts(self, cx.project, settings.as_ref(), &|template| {
            Ok(cx.render(template))
        })?;
        let unresolved = self
            .to
            .iter()
            .chain(&self.cc)
            .chain(self.from.iter())
            .any(|template| cx.render_strict(template).is_err());
        let line = match (email(&parts), &settings) {
            (Ok(email), Some(settings)) => settings.describe(&email),
            // An address only known at run time cannot be checked yet.
            (Err(error), _) if !unresolved && parts.from.is_some() => return Err(error),
            _ => format!(
                "send email via `{SMTP_URL_ENV}`: from {} to {}{}, subject {:?}",
                parts.from.as_deref().unwrap_or("(no sender yet)"),
                parts.to.join(", "),
                if parts.cc.is_empty() {
                    String::new()
                } else {
                    format!(" cc {}", parts.cc.join(", "))
                },
                parts.subject
            ),
        };
        // The server's line never holds the password (`SmtpSettings::describe` masks it); the whole
        // URL is a secret value too, and masking it would hide which server is meant.
        let mut effects = vec![Effect::Note {
            text: format!("{line}\n\n{}", redactor.redact(&parts.body)),
        }];
        if settings.is_none() {
            effects.push(note(
                format!("`{SMTP_URL_ENV}` is not set: {SMTP_URL_HELP}, before running"),
                &redactor,
            ));
        }
        if parts.from.is_none() {
            effects.push(note(
                "the email has no sender yet: add `from`, `?from=` to the SMTP URL, or git's `user.email`",
                &redactor,
            ));
        }
        Ok(effects)
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let settings = clients::smtp(cx.env)?.ok_or_else(|| {
            StepError::new(format!(
                "`{SMTP_URL_ENV}` is not set: relman sends email through it"
            ))
            .with_hint(format!(
                "export `{SMTP_URL_ENV}`: {SMTP_URL_HELP} (STARTTLS is used when the server offers it)"
            ))
        })?;
        let parts = parts(self, cx.project, Some(&settings), &|template| {
            cx.render(template)
        })?;
        let mut email = email(&parts)?;
        // A retried attempt keeps the id the journal already names.
        match cx.context_value("message_id") {
            Some(id) => email.message_id = id.to_owned(),
            None => {
                cx.set_context("message_id", email.message_id.clone());
                cx.save()?;
            }
        }
        let report = send(&settings, &email, SystemTime::now()).map_err(|error| {
            failed(&format!("cannot send the email {:?}", parts.subject), error)
        })?;
        let recipients = report.recipients.join(", ");
        cx.output(&format!(
            "sent {:?} to {recipients}{}",
            parts.subject,
            if report.tls { " over TLS" } else { "" }
        ));
        cx.push_remote(RemoteEffect {
            description: format!(
                "email {:?} to {recipients} ({})",
                parts.subject, report.message_id
            ),
            undo_hint: "an email cannot be taken back: send a correction if needed".to_owned(),
            pushed_refs: Vec::new(),
            pushed_at: None,
        });
        cx.set_output("message_id", report.message_id);
        Ok(Outcome::Done)
    }

    /// No server says whether it delivered a message: a person checks (by its `Message-ID`).
    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::Unknown)
    }
}

/// The message's parts, resolved.
struct Parts {
    from: Option<String>,
    to: Vec<String>,
    cc: Vec<String>,
    subject: String,
    body: String,
}

/// How to write the server's URL (split so that no redactor takes it for a URL with a password).
const SMTP_URL_HELP: &str = "set it to the server's URL, `smtp://host:port` with `user:password@` before the host when it needs a login";

fn parts(
    step: &EmailStep,
    project: &Project,
    settings: Option<&SmtpSettings>,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Parts, StepError> {
    let all = |templates: &[Template]| -> Result<Vec<String>, StepError> {
        templates.iter().map(render).collect()
    };
    let from = match &step.from {
        Some(from) => Some(render(from)?),
        None => match settings.and_then(|settings| settings.from.clone()) {
            Some(from) => Some(from),
            None => project.repo.config_get("user.email")?,
        },
    };
    Ok(Parts {
        from,
        to: all(&step.to)?,
        cc: all(&step.cc)?,
        subject: render(&step.subject)?,
        body: render(&step.body)?,
    })
}

fn email(parts: &Parts) -> Result<Email, StepError> {
    let from = parts.from.as_deref().ok_or_else(|| {
        StepError::new("the email has no sender").with_hint(format!(
            "add `from = \"...\"` to the step, `?from=...` to `{SMTP_URL_ENV}`, or set git's `user.email`"
        ))
    })?;
    Email::new(from, &parts.to, &parts.subject, &parts.body)
        .and_then(|email| email.with_cc(&parts.cc))
        .map_err(|error| failed("the email cannot be sent", error))
}
