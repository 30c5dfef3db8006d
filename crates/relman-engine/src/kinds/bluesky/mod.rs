//! `bluesky = "HANDLE"` with `message`: a post on Bluesky, logged in with the app password in
//! `BLUESKY_APP_PASSWORD` (or the variable `password-env` names), on the account's PDS (`pds`,
//! default `https://bsky.social`).
//!
//! The post's record key is chosen and written to the journal before it is created: the probe
//! looks that record up, and a second create with the key is refused, so it is posted once.
//! The AT Protocol requests are built in [`atproto`].

mod atproto;

use atproto::{Bluesky, check_text, new_rkey};
use relman_remote::timestamp::format_rfc3339;
use serde::{Deserialize, Serialize};

use crate::clients::{self, failed, http_effect, secret_env};
use crate::core::explain::{ExplainCx, Explained, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Credential, CredentialCx, Effect, Kind, KindSpec, Login, Missing, Need, Outcome, PlanCx, Probe,
    RemoteEffect, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlueskyStep {
    pub handle: Template,
    pub message: Template,
    pub pds: Option<Template>,
    pub password_env: String,
}

const DEFAULT_PDS: &str = "https://bsky.social";

impl Kind for BlueskyStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::string("message"),
            OptionSpec::string("pds")
                .about("On `bluesky`: the account's PDS (default `https://bsky.social`)."),
            OptionSpec::string("password-env"),
        ],
        outputs: &["uri"],
        ..KindSpec::new(
            "bluesky",
            "post on Bluesky (app password in BLUESKY_APP_PASSWORD)",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(BlueskyStep {
            handle: options.required("bluesky", "\"project.bsky.social\"")?,
            message: options
                .required("message", "\"{project} {version} is out: {release_url}\"")?,
            pds: options.template("pds")?,
            password_env: options
                .env_name("password-env")?
                .unwrap_or_else(|| "BLUESKY_APP_PASSWORD".to_owned()),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("bluesky", &self.handle)
            .one("message", &self.message)
            .opt("pds", &self.pds)
            .list()
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Credential(Login::new(BlueskyLogin {
            pds: self.pds.clone(),
            handle: self.handle.clone(),
            password_env: self.password_env.clone(),
        }))]
    }

    fn describe(&self, variables: &Variables) -> String {
        format!(
            "post on Bluesky as {}",
            self.handle.render_partial(variables)
        )
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!("Post on Bluesky as {}.", show_code(&self.handle)))
            .detail(labelled_text("The post", &self.message))
            .detail(format!(
                "Logged in with the app password in `{}`; posted once, even after a crash.",
                self.password_env
            ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let text = cx.render(&self.message);
        if cx.render_strict(&self.message).is_ok() {
            check_text(&text).map_err(|error| failed("the post cannot be made", error))?;
        }
        let pds = self.pds(|template| Ok(cx.render(template)))?;
        let client = Bluesky::new(&clients::http(cx.project, cx.env), &pds);
        Ok(vec![
            Effect::Note {
                text: format!(
                    "log in to {pds} as {} (com.atproto.server.createSession)",
                    cx.render(&self.handle)
                ),
            },
            http_effect(
                &client.render("{did}", "(chosen when it runs)", &text, "(when it runs)"),
                &redactor,
            ),
        ])
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let handle = cx.render(&self.handle)?;
        let text = cx.render(&self.message)?;
        check_text(&text).map_err(|error| failed("the post cannot be made", error))?;
        let password = secret_env(cx.env, &self.password_env, "the Bluesky app password")?;
        let pds = self.pds(|template| cx.render(template))?;
        let client = Bluesky::new(
            &clients::http_with_timeout(cx.project, cx.env, step.timeout),
            &pds,
        );
        let session = client
            .login(&handle, &password)
            .map_err(|error| failed(&format!("cannot log in to {pds} as {handle}"), error))?;
        let rkey = match cx.context_value("rkey") {
            Some(rkey) => rkey.to_owned(),
            None => {
                let rkey = new_rkey();
                cx.set_context("rkey", rkey.clone());
                cx.set_context("did", session.did.clone());
                cx.set_context("created_at", format_rfc3339(std::time::SystemTime::now()));
                cx.save()?;
                rkey
            }
        };
        if let Some(uri) = client
            .find(&session.did, &rkey)
            .map_err(|error| failed("cannot look for the post", error))?
        {
            return self.finish(cx, &uri);
        }
        let created_at = cx
            .context_value("created_at")
            .unwrap_or_default()
            .to_owned();
        let uri = client
            .post(&session, &rkey, &text, &created_at)
            .map_err(|error| failed(&format!("cannot post on Bluesky as {handle}"), error))?;
        self.finish(cx, &uri)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let (Some(rkey), Some(did)) = (
            cx.context_value("rkey").map(str::to_owned),
            cx.context_value("did").map(str::to_owned),
        ) else {
            return Ok(Probe::NotDone);
        };
        let pds = self.pds(|template| cx.render(template))?;
        let client = Bluesky::new(&clients::http(cx.project, cx.env), &pds);
        match client
            .find(&did, &rkey)
            .map_err(|error| failed("cannot look for the post", error))?
        {
            Some(uri) => {
                self.finish(cx, &uri)?;
                Ok(Probe::Done)
            }
            None => Ok(Probe::NotDone),
        }
    }
}

impl BlueskyStep {
    fn pds(
        &self,
        render: impl Fn(&Template) -> Result<String, StepError>,
    ) -> Result<String, StepError> {
        match &self.pds {
            Some(pds) => render(pds),
            None => Ok(DEFAULT_PDS.to_owned()),
        }
    }

    fn finish(&self, cx: &mut RunCx<'_>, uri: &str) -> Result<Outcome, StepError> {
        cx.output(&format!("posted on Bluesky: {uri}"));
        cx.push_remote(RemoteEffect {
            description: format!("Bluesky post {uri}"),
            undo_hint: "delete it in the Bluesky app".to_owned(),
            pushed_refs: Vec::new(),
            pushed_at: None,
        });
        cx.set_output("uri", uri);
        Ok(Outcome::Done)
    }
}

/// The app password a step posts with: asked of the PDS (a login).
#[derive(Debug, PartialEq)]
struct BlueskyLogin {
    pds: Option<Template>,
    handle: Template,
    password_env: String,
}

impl Credential for BlueskyLogin {
    fn required(&self) -> Vec<(String, &'static str)> {
        vec![(self.password_env.clone(), "the Bluesky app password")]
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let password = cx.secret(&self.password_env).ok_or_else(|| {
            Missing::unset(
                std::slice::from_ref(&self.password_env),
                "a Bluesky app password",
            )
        })?;
        let pds = self
            .pds
            .as_ref()
            .map_or_else(|| DEFAULT_PDS.to_owned(), |pds| cx.render(pds));
        let handle = cx.render(&self.handle);
        Bluesky::new(&clients::http(cx.project, cx.env), &pds)
            .login(&handle, &password)
            .map_err(|error| Missing::refused("Bluesky", &pds, &error))?;
        Ok(format!("Bluesky: logged in as {handle}"))
    }
}
