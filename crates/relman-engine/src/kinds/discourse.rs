//! `discourse = "https://FORUM"` with `title`, `message` and `category`: a topic created with the
//! API key in `DISCOURSE_API_KEY` acting as `DISCOURSE_API_USERNAME` (or the variables
//! `key-env` and `username-env` name).
//!
//! The topic is looked for by its exact title among the forum's latest topics before it is
//! created, and that look-up is its probe: it is created once.
//!
//! The requests are Discourse's API (`POST /posts.json` with `title`, `raw` and `category`;
//! `GET /latest.json` to find it; `GET /session/current.json` for `check = "credentials"`; the
//! `Api-Key` and `Api-Username` headers), built here over relman-remote's `HttpClient`, which
//! owns the transport, deadlines, retries and masking.

use relman_remote::announce::AnnounceError;
use relman_remote::{
    Credential as HttpCredential, HttpClient, RenderedRequest, RequestDescription, Secret,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

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
            .unwrap_or_else(|_| Secret::new(format!("${}", self.key_env)));
        let username = cx
            .env
            .var(&self.username_env)
            .map_or_else(|| format!("${}", self.username_env), str::to_owned);
        let client = Discourse::new(&clients::http(cx.project, cx.env), &forum, key, &username)
            .map_err(|error| failed("the forum is not usable", error))?;
        let category = self.category.as_ref().map(|category| cx.render(category));
        Ok(vec![
            http_effect(&client.render_request(&client.find_request()), &redactor),
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

/// A forum, with the API key of a user.
#[derive(Debug, Clone)]
struct Discourse {
    client: HttpClient,
    forum: String,
    username: String,
}

/// A topic: its id and slug.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Topic {
    id: u64,
    slug: String,
}

impl Discourse {
    fn new(
        client: &HttpClient,
        forum: &str,
        key: Secret,
        username: &str,
    ) -> Result<Self, AnnounceError> {
        let forum = forum.trim_end_matches('/').to_owned();
        let credential = HttpCredential::header(&forum, "Api-Key", key)
            .map_err(|error| AnnounceError::invalid("discourse", &forum, error.reason))?;
        Ok(Self {
            client: client.clone().with_credential(credential),
            forum,
            username: username.to_owned(),
        })
    }

    /// The request that creates the topic.
    fn request(&self, title: &str, raw: &str, category: Option<&str>) -> RequestDescription {
        let mut body = json!({ "title": title, "raw": raw });
        if let Some(category) = category {
            body["category"] = match category.parse::<u64>() {
                Ok(id) => json!(id),
                Err(_) => json!(category),
            };
        }
        RequestDescription::post(format!("{}/posts.json", self.forum))
            .header("Api-Username", &self.username)
            .json(body)
    }

    fn render(&self, title: &str, raw: &str, category: Option<&str>) -> RenderedRequest {
        self.client.render(&self.request(title, raw, category))
    }

    /// Any request of this client as a plan shows it.
    fn render_request(&self, request: &RequestDescription) -> RenderedRequest {
        self.client.render(request)
    }

    /// The look-up the plan shows.
    fn find_request(&self) -> RequestDescription {
        RequestDescription::get(format!("{}/latest.json", self.forum))
            .header("Api-Username", &self.username)
    }

    /// Creates the topic.
    fn create(
        &self,
        title: &str,
        raw: &str,
        category: Option<&str>,
    ) -> Result<Topic, AnnounceError> {
        #[derive(Deserialize)]
        struct Created {
            topic_id: u64,
            topic_slug: String,
        }
        let created: Created = self.client.json(&self.request(title, raw, category))?;
        Ok(Topic {
            id: created.topic_id,
            slug: created.topic_slug,
        })
    }

    /// The topic titled exactly `title` among the latest ones.
    fn find(&self, title: &str) -> Result<Option<Topic>, AnnounceError> {
        #[derive(Deserialize)]
        struct Latest {
            topic_list: TopicList,
        }
        #[derive(Deserialize)]
        struct TopicList {
            topics: Vec<Listed>,
        }
        #[derive(Deserialize)]
        struct Listed {
            id: u64,
            title: String,
            #[serde(default)]
            slug: String,
        }
        let latest: Latest = self.client.json(&self.find_request())?;
        Ok(latest
            .topic_list
            .topics
            .into_iter()
            .find(|topic| topic.title.trim() == title.trim())
            .map(|topic| Topic {
                id: topic.id,
                slug: topic.slug,
            }))
    }

    /// The topic's address.
    fn url(&self, topic: &Topic) -> String {
        format!("{}/t/{}/{}", self.forum, topic.slug, topic.id)
    }

    /// The user the key acts as (`GET /session/current.json`).
    fn current_user(&self) -> Result<String, AnnounceError> {
        #[derive(Deserialize)]
        struct Current {
            current_user: User,
        }
        #[derive(Deserialize)]
        struct User {
            username: String,
        }
        let request = RequestDescription::get(format!("{}/session/current.json", self.forum))
            .header("Api-Username", &self.username);
        Ok(self.client.json::<Current>(&request)?.current_user.username)
    }
}
