//! `discourse = "https://FORUM"` with `title`, `message` and `category`: a topic created with the
//! API key in `DISCOURSE_API_KEY` acting as `DISCOURSE_API_USERNAME` (or the variables
//! `key-env` and `username-env` name).
//!
//! The topic is looked for by its exact title among the forum's latest topics before it is
//! created, and that look-up is its probe: it is created once.

use relman_remote::announce::discourse::{Discourse, Topic};
use serde::{Deserialize, Serialize};

use crate::clients::{self, failed, http_effect, secret_env};
use crate::core::explain::{ExplainCx, Explained, labelled_text, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Credential, CredentialCx, Effect, Kind, KindSpec, Login, Missing, Need, Outcome, PlanCx, Probe,
    RemoteEffect, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscourseStep {
    pub forum: Template,
    pub title: Template,
    pub message: Template,
    pub category: Option<Template>,
    pub key_env: String,
    pub username_env: String,
}

impl Kind for DiscourseStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::string("title"),
            OptionSpec::string("message"),
            OptionSpec::new("category", OptionType::StringOrInt),
            OptionSpec::string("key-env"),
            OptionSpec::string("username-env"),
        ],
        outputs: &["topic_id", "url"],
        ..KindSpec::new(
            "discourse",
            "open a topic on a Discourse forum (DISCOURSE_API_KEY)",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let category = match options.string_or_int("category") {
            Some(value) => {
                let span = value.span();
                let text = value.into_inner().into_string();
                Some(options.template_text(&text, span)?)
            }
            None => None,
        };
        Ok(DiscourseStep {
            forum: options.required("discourse", "\"https://discuss.example.org\"")?,
            title: options.required("title", "\"{project} {version} released\"")?,
            message: options.required("message", "\"{changelog}\"")?,
            category,
            key_env: options
                .env_name("key-env")?
                .unwrap_or_else(|| "DISCOURSE_API_KEY".to_owned()),
            username_env: options
                .env_name("username-env")?
                .unwrap_or_else(|| "DISCOURSE_API_USERNAME".to_owned()),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("discourse", &self.forum)
            .one("title", &self.title)
            .one("message", &self.message)
            .opt("category", &self.category)
            .list()
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Credential(Login::new(DiscourseLogin {
            forum: self.forum.clone(),
            key_env: self.key_env.clone(),
            username_env: self.username_env.clone(),
        }))]
    }

    fn describe(&self, variables: &Variables) -> String {
        format!(
            "open the topic \"{}\" on {}",
            self.title.render_partial(variables),
            self.forum.render_partial(variables)
        )
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Open the topic {} on {}.",
            show_code(&self.title),
            show_code(&self.forum)
        ))
        .detail(labelled_text("Its first post", &self.message))
        .detail(format!(
            "With the API key in `{}` as the user in `{}`; a topic with the same title among the latest is not opened again.",
            self.key_env, self.username_env
        ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let forum = cx.render(&self.forum);
        let key = secret_env(cx.env, &self.key_env, "a key")
            .unwrap_or_else(|_| relman_remote::Secret::new(format!("${}", self.key_env)));
        let username = cx
            .env
            .var(&self.username_env)
            .map_or_else(|| format!("${}", self.username_env), str::to_owned);
        let client = Discourse::new(&clients::http(cx.project, cx.env), &forum, key, &username)
            .map_err(|error| failed("the forum is not usable", error))?;
        let category = self.category.as_ref().map(|category| cx.render(category));
        Ok(vec![
            http_effect(&clients_render(&client, &client.find_request()), &redactor),
            http_effect(
                &client.render(
                    &cx.render(&self.title),
                    &cx.render(&self.message),
                    category.as_deref(),
                ),
                &redactor,
            ),
        ])
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let client = self.client(cx, step.timeout)?;
        let title = cx.render(&self.title)?;
        if let Some(topic) = client
            .find(&title)
            .map_err(|error| failed("cannot look for the topic", error))?
        {
            cx.output("the topic exists already: an earlier run opened it");
            return self.finish(cx, &client, &topic);
        }
        let message = cx.render(&self.message)?;
        let category = self
            .category
            .as_ref()
            .map(|category| cx.render(category))
            .transpose()?;
        cx.set_context("title", title.clone());
        cx.save()?;
        let topic = client
            .create(&title, &message, category.as_deref())
            .map_err(|error| failed("cannot open the topic", error))?;
        self.finish(cx, &client, &topic)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let client = self.client(cx, step.timeout)?;
        let title = cx.render(&self.title)?;
        match client
            .find(&title)
            .map_err(|error| failed("cannot look for the topic", error))?
        {
            Some(topic) => {
                self.finish(cx, &client, &topic)?;
                Ok(Probe::Done)
            }
            None => Ok(Probe::NotDone),
        }
    }
}

impl DiscourseStep {
    fn client(
        &self,
        cx: &RunCx<'_>,
        timeout: Option<std::time::Duration>,
    ) -> Result<Discourse, StepError> {
        let forum = cx.render(&self.forum)?;
        let key = secret_env(cx.env, &self.key_env, "the Discourse API key")?;
        let username = cx.env.var(&self.username_env).ok_or_else(|| {
            StepError::new(format!(
                "`{}` is not set: it holds the user the Discourse API key acts as",
                self.username_env
            ))
            .with_hint(format!("export `{}` (e.g. `system`)", self.username_env))
        })?;
        Discourse::new(
            &clients::http_with_timeout(cx.project, cx.env, timeout),
            &forum,
            key,
            username,
        )
        .map_err(|error| failed("the forum is not usable", error))
    }

    fn finish(
        &self,
        cx: &mut RunCx<'_>,
        client: &Discourse,
        topic: &Topic,
    ) -> Result<Outcome, StepError> {
        let url = client.url(topic);
        cx.output(&format!("topic {url}"));
        cx.push_remote(RemoteEffect {
            description: format!("Discourse topic {url}"),
            undo_hint: format!("delete or close it on the forum: {url}"),
            pushed_refs: Vec::new(),
            pushed_at: None,
        });
        cx.set_output("topic_id", topic.id.to_string());
        cx.set_output("url", url);
        Ok(Outcome::Done)
    }
}

/// A look-up as the plan shows it.
fn clients_render(
    client: &Discourse,
    request: &relman_remote::RequestDescription,
) -> relman_remote::RenderedRequest {
    client.render_request(request)
}

/// The API key a step opens topics with, and the user it acts as: asked of the forum (its
/// current user).
#[derive(Debug, PartialEq)]
struct DiscourseLogin {
    forum: Template,
    key_env: String,
    username_env: String,
}

impl Credential for DiscourseLogin {
    fn required(&self) -> Vec<(String, &'static str)> {
        vec![
            (self.key_env.clone(), "the Discourse API key"),
            (
                self.username_env.clone(),
                "the Discourse user the key acts as",
            ),
        ]
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let key = cx.secret(&self.key_env).ok_or_else(|| {
            Missing::unset(std::slice::from_ref(&self.key_env), "a Discourse API key")
        })?;
        let user = cx.env.var(&self.username_env).ok_or_else(|| {
            Missing::unset(
                std::slice::from_ref(&self.username_env),
                "the user the key acts as",
            )
        })?;
        let forum = cx.render(&self.forum);
        let name = Discourse::new(&clients::http(cx.project, cx.env), &forum, key, user)
            .and_then(|client| client.current_user())
            .map_err(|error| Missing::refused("Discourse", &forum, &error))?;
        Ok(format!("Discourse: {name} on {forum}"))
    }
}
