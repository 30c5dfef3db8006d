//! `verify = "pypi" | "oci" | "helm" | "url" | "npm" | "crates" | "gem"` and `wait = "url"`: look at what was published until
//! it is really there, or the step's `timeout` passes (then pause, saying what was seen last).
//!
//! Each look is one `check()` of `relman-remote`'s verifiers, which is also the probe: on resume,
//! a look that finds everything means the step is done. `verify = "pypi"` looks for `{version}`
//! of `package` on `index` (default PyPI); `verify = "oci"` for every tag (default `{version}`)
//! of `image`, logging in with the values of `username-env` and `password-env` when given;
//! `verify = "helm"` for the chart at `{version}` in `repo`'s `index.yaml` (an `oci://` repository
//! is checked as an image); `url` for a status (default any 2xx) and a text.

use std::cell::Cell;

use relman_remote::verify::VerifyError;
use relman_remote::verify::helm::{HelmVerify, oci_chart};
use relman_remote::verify::oci::OciVerify;
use relman_remote::verify::pypi::{DEFAULT_INDEX, PypiVerify};
use relman_remote::verify::registries::{
    CRATES_INDEX, NPM_REGISTRY, RUBYGEMS_HOST, RegistryVersion,
};
use relman_remote::verify::url::UrlVerify;
use relman_remote::wait::Poll;
use relman_remote::{HttpClient, RequestDescription, Secret};

use super::VerifyStep;
use crate::clients::polling::{self, Waited};
use crate::clients::{self, failed, http_effect, note};
use crate::core::{Effect, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo};
use crate::environment::Environment;
use crate::template::{Template, Variables};

/// One verifier, resolved.
enum Checker {
    Pypi(PypiVerify),
    Oci(Box<OciVerify>),
    Helm(HelmVerify),
    Url(UrlVerify),
    Registry(RegistryVersion),
}

impl Checker {
    fn requests(&self) -> Vec<RequestDescription> {
        match self {
            Checker::Pypi(pypi) => vec![pypi.request()],
            Checker::Oci(oci) => oci.requests(),
            Checker::Helm(helm) => vec![helm.request()],
            Checker::Url(url) => vec![url.request()],
            Checker::Registry(registry) => vec![registry.request()],
        }
    }

    fn describe(&self) -> String {
        match self {
            Checker::Pypi(pypi) => pypi.describe(),
            Checker::Oci(oci) => oci.describe(),
            Checker::Helm(helm) => helm.describe(),
            Checker::Url(url) => url.describe(),
            Checker::Registry(registry) => registry.describe(),
        }
    }

    fn secrets(&self) -> Vec<Secret> {
        match self {
            Checker::Oci(oci) => oci.secrets(),
            _ => Vec::new(),
        }
    }

    /// One look; `Ready` carries a one-line summary of what was found.
    fn check(&self, client: &HttpClient) -> Result<Poll<String>, VerifyError> {
        Ok(match self {
            Checker::Pypi(pypi) => match pypi.check(client)? {
                Poll::Ready(found) => Poll::Ready(format!("found {}", found.files.join(", "))),
                Poll::Pending(last) => Poll::Pending(last),
            },
            Checker::Oci(oci) => match oci.check(client)? {
                Poll::Ready(found) => {
                    let tags: Vec<String> = found
                        .tags
                        .iter()
                        .map(|tag| {
                            let platforms = if tag.platforms.is_empty() {
                                String::new()
                            } else {
                                format!(" for {}", tag.platforms.join(", "))
                            };
                            format!("`{}` ({}){platforms}", tag.tag, tag.digest)
                        })
                        .collect();
                    Poll::Ready(format!("{} has {}", oci.image(), tags.join(", ")))
                }
                Poll::Pending(last) => Poll::Pending(last),
            },
            Checker::Helm(helm) => match helm.check(client)? {
                Poll::Ready(found) => Poll::Ready(format!(
                    "{} lists version {}",
                    helm.index_url(),
                    found.version
                )),
                Poll::Pending(last) => Poll::Pending(last),
            },
            Checker::Url(url) => match url.check(client)? {
                Poll::Ready(found) => {
                    Poll::Ready(format!("{} answered {}", url.request().url, found.status))
                }
                Poll::Pending(last) => Poll::Pending(last),
            },
            Checker::Registry(registry) => match registry.check(client)? {
                Poll::Ready(found) if found.yanked => {
                    Poll::Ready(format!("{} is there, yanked", found.version))
                }
                Poll::Ready(found) => Poll::Ready(format!("found {}", found.version)),
                Poll::Pending(last) => Poll::Pending(last),
            },
        })
    }
}

/// The token a registry check sends: the value of `token_env` when it is set.
fn registry_token(env: &Environment, token_env: Option<&str>) -> Option<Secret> {
    token_env
        .and_then(|name| env.var(name))
        .filter(|value| !value.trim().is_empty())
        .map(Secret::new)
}

fn invalid(error: VerifyError) -> StepError {
    failed("the step cannot check that", error)
}

/// The login of an image check: the values of `username-env` and `password-env`. While the plan
/// is made they may be missing (set only where the release runs): the check is shown without.
fn login(
    env: &Environment,
    username_env: Option<&str>,
    password_env: Option<&str>,
    at_plan: bool,
) -> Result<Option<(String, Secret)>, StepError> {
    let (Some(user_var), Some(password_var)) = (username_env, password_env) else {
        if username_env.is_some() != password_env.is_some() {
            return Err(StepError::new(
                "give both `username-env` and `password-env`, or neither",
            ));
        }
        return Ok(None);
    };
    match (env.var(user_var), env.var(password_var)) {
        (Some(user), Some(password)) => Ok(Some((user.to_owned(), Secret::new(password)))),
        _ if at_plan => Ok(None),
        _ => Err(StepError::new(format!(
            "the registry login is in `{user_var}` and `{password_var}`, and they are not both set"
        ))
        .with_hint(format!("export `{user_var}` and `{password_var}`"))),
    }
}

fn build(
    target: &VerifyStep,
    env: &Environment,
    version: &str,
    at_plan: bool,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Checker, StepError> {
    let all = |templates: &[Template]| -> Result<Vec<String>, StepError> {
        templates.iter().map(render).collect()
    };
    Ok(match target {
        VerifyStep::Pypi {
            package,
            index,
            files,
        } => {
            let index = index
                .as_ref()
                .map(render)
                .transpose()?
                .unwrap_or_else(|| DEFAULT_INDEX.to_owned());
            Checker::Pypi(
                PypiVerify::new(&index, &render(package)?, version, &all(files)?)
                    .map_err(invalid)?,
            )
        }
        VerifyStep::Oci {
            image,
            tags,
            platforms,
            same_as,
            username_env,
            password_env,
        } => {
            let mut oci = OciVerify::new(
                &render(image)?,
                &all(tags)?,
                &all(platforms)?,
                login(
                    env,
                    username_env.as_deref(),
                    password_env.as_deref(),
                    at_plan,
                )?,
            )
            .map_err(invalid)?;
            if let Some(same_as) = same_as {
                oci = oci.same_as(&render(same_as)?).map_err(invalid)?;
            }
            Checker::Oci(Box::new(oci))
        }
        VerifyStep::Helm { repo, chart } => {
            let repo = render(repo)?;
            if repo.starts_with("oci://") {
                Checker::Oci(Box::new(
                    oci_chart(&repo, &render(chart)?, version, None).map_err(invalid)?,
                ))
            } else {
                Checker::Helm(HelmVerify::new(&repo, &render(chart)?, version).map_err(invalid)?)
            }
        }
        VerifyStep::Npm {
            package,
            registry,
            token_env,
        } => Checker::Registry(
            RegistryVersion::npm(
                &registry
                    .as_ref()
                    .map(render)
                    .transpose()?
                    .unwrap_or_else(|| NPM_REGISTRY.to_owned()),
                &render(package)?,
                version,
                registry_token(env, token_env.as_deref()),
            )
            .map_err(invalid)?,
        ),
        VerifyStep::Crates {
            package,
            index,
            token_env,
        } => Checker::Registry(
            RegistryVersion::crates(
                &index
                    .as_ref()
                    .map(render)
                    .transpose()?
                    .unwrap_or_else(|| CRATES_INDEX.to_owned()),
                &render(package)?,
                version,
                registry_token(env, token_env.as_deref()),
            )
            .map_err(invalid)?,
        ),
        VerifyStep::Gem {
            package,
            registry,
            token_env,
        } => Checker::Registry(
            RegistryVersion::gem(
                &registry
                    .as_ref()
                    .map(render)
                    .transpose()?
                    .unwrap_or_else(|| RUBYGEMS_HOST.to_owned()),
                &render(package)?,
                &crate::kinds::build::gem_version(version),
                registry_token(env, token_env.as_deref()),
            )
            .map_err(invalid)?,
        ),
        VerifyStep::Url {
            url,
            status,
            contains,
        } => Checker::Url(
            UrlVerify::new(
                &render(url)?,
                *status,
                contains.as_ref().map(render).transpose()?.as_deref(),
            )
            .map_err(invalid)?,
        ),
    })
}

/// The step's title.
pub(super) fn describe(step: &VerifyStep, variables: &Variables) -> String {
    let render = |template: &Template| {
        relman_remote::Redactor::new().redact(&template.render_partial(variables))
    };
    let version = variables.get_key("version").unwrap_or("{version}");
    match step {
        VerifyStep::Pypi { package, .. } => format!("verify pypi: {} {version}", render(package)),
        VerifyStep::Oci {
            image,
            tags,
            same_as,
            ..
        } => {
            let tags: Vec<String> = tags.iter().map(render).collect();
            let same = same_as
                .as_ref()
                .map(|same_as| format!(" = {}", render(same_as)))
                .unwrap_or_default();
            format!("verify oci: {}:{}{same}", render(image), tags.join(","))
        }
        VerifyStep::Helm { chart, .. } => format!("verify helm: {} {version}", render(chart)),
        VerifyStep::Url { url, .. } => format!("verify url: {}", render(url)),
        VerifyStep::Npm { package, .. } => format!("verify npm: {} {version}", render(package)),
        VerifyStep::Crates { package, .. } => {
            format!("verify crates: {} {version}", render(package))
        }
        VerifyStep::Gem { package, .. } => format!("verify gem: {} {version}", render(package)),
    }
}

/// What the step will look for, for the plan; `title` says it when a value is only known at
/// run time.
pub(crate) fn preview(
    target: &VerifyStep,
    title: &str,
    step: &StepInfo<'_>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let redactor = clients::redactor(cx.project, cx.env);
    let version = cx
        .variables
        .get_key("version")
        .unwrap_or_default()
        .to_owned();
    // A value only known at run time (`{release_url}`) cannot be checked now: show the intent.
    let later = Cell::new(false);
    let built = build(target, cx.env, &version, true, &|template| {
        if cx.render_strict(template).is_err() {
            later.set(true);
        }
        Ok(cx.render(template))
    });
    let checker = match built {
        Ok(checker) => checker,
        Err(_) if later.get() => {
            return Ok(vec![
                Effect::Wait {
                    description: format!("until {} ({})", title, polling::describe(step)),
                },
                note("its target is resolved when its turn comes", &redactor),
            ]);
        }
        Err(error) => return Err(error),
    };
    let client = clients::http(cx.project, cx.env);
    let mut effects = vec![Effect::Wait {
        description: format!("{} ({})", checker.describe(), polling::describe(step)),
    }];
    effects.extend(
        checker
            .requests()
            .iter()
            .map(|request| http_effect(&client.render(request), &redactor)),
    );
    Ok(effects)
}

fn build_run(target: &VerifyStep, cx: &RunCx<'_>) -> Result<(Checker, HttpClient), StepError> {
    let checker = build(target, cx.env, &cx.plan.version, false, &|template| {
        cx.render(template)
    })?;
    let mut client = clients::http(cx.project, cx.env);
    for secret in checker.secrets() {
        client = client.with_secret(&secret);
    }
    Ok((checker, client))
}

fn look(checker: &Checker, client: &HttpClient) -> Result<Poll<String>, StepError> {
    checker
        .check(client)
        .map_err(|error| failed(&format!("cannot {}", checker.describe()), error))
}

/// Looks until everything is there, or the timeout passes.
pub(crate) fn execute(
    target: &VerifyStep,
    step: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let (checker, client) = build_run(target, cx)?;
    let what = checker.describe();
    match polling::poll(cx, step, &what, |_| look(&checker, &client))? {
        Waited::Ready(summary) => {
            cx.output(&summary);
            cx.set_output("summary", summary);
            Ok(Outcome::Done)
        }
        Waited::TimedOut(reason) => Ok(Outcome::Paused(reason)),
    }
}

/// One look.
pub(crate) fn probe(target: &VerifyStep, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
    let (checker, client) = build_run(target, cx)?;
    match look(&checker, &client)? {
        Poll::Ready(summary) => {
            cx.set_output("summary", summary);
            Ok(Probe::Done)
        }
        Poll::Pending(_) => Ok(Probe::NotDone),
    }
}
