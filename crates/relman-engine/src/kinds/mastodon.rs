//! `mastodon = "https://INSTANCE"` with `message`: a status posted with the access token in
//! `MASTODON_TOKEN` (or the variable `token-env` names), `visibility` public unless set.
//!
//! The `Idempotency-Key` is chosen and written to the journal before the post: a post retried
//! after a lost answer or a crash carries the same key, and Mastodon answers it with the status it
//! already created (it keeps keys for an hour; past that, a person is asked).
//!
//! The requests are Mastodon's REST API (`POST /api/v1/statuses`, a Bearer access token with the
//! `write:statuses` scope; `GET /api/v1/accounts/verify_credentials` for `check =
//! "credentials"`), built here over relman-remote's `HttpClient`, which owns the transport,
//! deadlines, retries and masking.

use relman_remote::announce::{AnnounceError, check_post};
use relman_remote::{
    Credential as HttpCredential, HttpClient, RenderedRequest, RequestDescription, Secret,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clients::{self, failed, http_effect, maybe_received, secret_env};
use crate::core::explain::{ExplainCx, Explained, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Credential, CredentialCx, Effect, Kind, KindSpec, Login, Missing, Need, Outcome, PlanCx, Probe,
    RemoteEffect, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

/// How long Mastodon keeps an idempotency key, with a margin.
const KEY_LIFETIME_SECS: i64 = 55 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MastodonStep {
    pub instance: Template,
    pub message: Template,
    pub visibility: String,
    pub token_env: String,
}

impl Kind for MastodonStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::string("message"),
            OptionSpec::string("visibility"),
            OptionSpec::string("token-env"),
        ],
        outputs: &["id", "url"],
        ..KindSpec::new(
            "mastodon",
            "post a status on Mastodon (token in MASTODON_TOKEN)",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let visibility = match options.string("visibility") {
            Some(value) => options
                .one_of(
                    &value,
                    "visibility",
                    &["public", "unlisted", "private", "direct"],
                )?
                .to_owned(),
            None => "public".to_owned(),
        };
        Ok(MastodonStep {
            instance: options.required("mastodon", "\"https://fosstodon.org\"")?,
            message: options
                .required("message", "\"{project} {version} is out: {release_url}\"")?,
            visibility,
            token_env: options
                .env_name("token-env")?
                .unwrap_or_else(|| "MASTODON_TOKEN".to_owned()),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("mastodon", &self.instance)
            .one("message", &self.message)
            .list()
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Credential(Login::new(MastodonLogin {
            instance: self.instance.clone(),
            token_env: self.token_env.clone(),
        }))]
    }

    fn describe(&self, variables: &Variables) -> String {
        format!(
            "post to Mastodon {}",
            self.instance.render_partial(variables)
        )
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!("Post a status on {}.", show_code(&self.instance)))
            .detail(labelled_text("The status", &self.message))
            .detail(format!(
                "With the access token in `{}`; posted once, even when retried (`Idempotency-Key`).",
                self.token_env
            ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let text = cx.render(&self.message);
        if cx.render_strict(&self.message).is_ok() {
            check_text(&text).map_err(|error| failed("the status cannot be posted", error))?;
        }
        let token = secret_env(cx.env, &self.token_env, "a token")
            .unwrap_or_else(|_| Secret::new(format!("${}", self.token_env)));
        let client = Mastodon::new(
            &clients::http(cx.project, cx.env),
            &cx.render(&self.instance),
            token,
        )
        .map_err(|error| failed("the Mastodon instance is not usable", error))?;
        Ok(vec![http_effect(
            &client.render(
                &text,
                &self.visibility,
                "(chosen when it runs, kept in the journal)",
            ),
            &redactor,
        )])
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let instance = cx.render(&self.instance)?;
        let text = cx.render(&self.message)?;
        let token = secret_env(cx.env, &self.token_env, "the Mastodon access token")?;
        let client = Mastodon::new(
            &clients::http_with_timeout(cx.project, cx.env, step.timeout),
            &instance,
            token,
        )
        .map_err(|error| failed("the Mastodon instance is not usable", error))?;
        let key = match cx.context_value("idempotency_key") {
            Some(key) => key.to_owned(),
            None => {
                let key = unique_key(&text);
                cx.set_context("idempotency_key", key.clone());
                cx.set_context("key_created", cx.env.timestamp().to_string());
                cx.save()?;
                key
            }
        };
        let status = match client.post(&text, &self.visibility, &key) {
            Ok(status) => status,
            Err(error) if maybe_received(&error) => {
                return Err(failed("the status was sent but no answer came", error).with_hint(
                    "`relman resume` sends it again with the same Idempotency-Key: Mastodon posts it once",
                ));
            }
            Err(error) => return Err(failed(&format!("cannot post to {instance}"), error)),
        };
        let url = status.url.clone().unwrap_or_default();
        cx.output(&format!("posted to Mastodon: {url}"));
        cx.push_remote(RemoteEffect {
            description: format!("Mastodon status {url}"),
            undo_hint: format!("delete it: DELETE {instance}/api/v1/statuses/{}", status.id),
            pushed_refs: Vec::new(),
            pushed_at: None,
        });
        cx.set_output("id", status.id);
        cx.set_output("url", url);
        Ok(Outcome::Done)
    }

    /// Sending again is safe while Mastodon remembers the key; after that a person checks.
    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let created = cx
            .context_value("key_created")
            .and_then(|text| text.parse::<i64>().ok());
        Ok(match created {
            None => Probe::NotDone,
            Some(created) if cx.env.timestamp() - created < KEY_LIFETIME_SECS => Probe::NotDone,
            Some(_) => Probe::Unknown,
        })
    }
}

/// A key no other run chooses (an `Idempotency-Key`): the SHA-256 of the moment, the process
/// and `seed`, in hex.
fn unique_key(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let digest = Sha256::digest(format!("{nanos}:{}:{seed}", std::process::id()));
    digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The access token a step posts with: asked of the instance (`verify_credentials`).
#[derive(Debug, PartialEq)]
struct MastodonLogin {
    instance: Template,
    token_env: String,
}

impl Credential for MastodonLogin {
    fn required(&self) -> Vec<(String, &'static str)> {
        vec![(self.token_env.clone(), "the Mastodon access token")]
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let token = cx.secret(&self.token_env).ok_or_else(|| {
            Missing::unset(std::slice::from_ref(&self.token_env), "a Mastodon token")
        })?;
        let instance = cx.render(&self.instance);
        let account = Mastodon::new(&clients::http(cx.project, cx.env), &instance, token)
            .and_then(|client| client.account())
            .map_err(|error| Missing::refused("Mastodon", &instance, &error))?;
        Ok(format!("Mastodon: @{account} on {instance}"))
    }
}

/// A Mastodon account on an instance.
#[derive(Debug, Clone)]
struct Mastodon {
    client: HttpClient,
    instance: String,
}

/// A status as Mastodon answers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Status {
    id: String,
    #[serde(default)]
    url: Option<String>,
}

/// Statuses longer than this are refused by a default Mastodon instance.
const MAX_CHARS: usize = 500;

impl Mastodon {
    /// `instance` is the instance's root (`https://fosstodon.org`); `token` is sent only there.
    fn new(client: &HttpClient, instance: &str, token: Secret) -> Result<Self, AnnounceError> {
        let instance = instance.trim_end_matches('/').to_owned();
        let credential = HttpCredential::bearer(&instance, token)
            .map_err(|error| AnnounceError::invalid("mastodon", &instance, error.reason))?;
        Ok(Self {
            client: client.clone().with_credential(credential),
            instance,
        })
    }

    /// The request that posts `text` with `visibility`, under `key`.
    fn request(&self, text: &str, visibility: &str, key: &str) -> RequestDescription {
        RequestDescription::post(format!("{}/api/v1/statuses", self.instance))
            .header("Idempotency-Key", key)
            .json(json!({ "status": text, "visibility": visibility }))
    }

    /// The request as a plan shows it.
    fn render(&self, text: &str, visibility: &str, key: &str) -> RenderedRequest {
        self.client.render(&self.request(text, visibility, key))
    }

    /// Posts the status (once per `key`).
    fn post(&self, text: &str, visibility: &str, key: &str) -> Result<Status, AnnounceError> {
        check_text(text)?;
        Ok(self.client.json(&self.request(text, visibility, key))?)
    }

    /// The account the token belongs to (`GET /api/v1/accounts/verify_credentials`).
    fn account(&self) -> Result<String, AnnounceError> {
        #[derive(Deserialize)]
        struct Account {
            acct: String,
        }
        let request = RequestDescription::get(format!(
            "{}/api/v1/accounts/verify_credentials",
            self.instance
        ));
        Ok(self.client.json::<Account>(&request)?.acct)
    }
}

/// Refuses what Mastodon would refuse, before anything is sent.
fn check_text(text: &str) -> Result<(), AnnounceError> {
    check_post(text, "Mastodon", "a status", MAX_CHARS)
}
