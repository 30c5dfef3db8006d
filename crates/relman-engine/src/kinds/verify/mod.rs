//! `verify = "pypi" | "oci" | "helm" | "url" | "npm" | "crates" | "gem"`: check that what was published is really there,
//! polling with backoff until `timeout`, then pausing. How each is looked at is `checker`'s
//! (which `wait = "url"` uses too).

pub(crate) mod checker;

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, PAUSES, answers, codes, show_code};
use crate::core::options::{INTERVAL, OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verify", rename_all = "kebab-case")]
pub enum VerifyStep {
    Pypi {
        package: Template,
        /// A pip-style index URL; default `https://pypi.org/simple/`.
        index: Option<Template>,
        /// Globs that must all match a file of `{version}`.
        files: Vec<Template>,
    },
    Oci {
        image: Template,
        tags: Vec<Template>,
        platforms: Vec<Template>,
        /// A tag every tag must name the same image as (a promotion: `alpha` is `{version}`).
        #[serde(default)]
        same_as: Option<Template>,
        username_env: Option<String>,
        password_env: Option<String>,
    },
    Helm {
        repo: Template,
        chart: Template,
    },
    Url {
        url: Template,
        status: Option<u16>,
        contains: Option<Template>,
    },
    /// `{version}` of `package` on an npm registry (default the public one).
    Npm {
        package: Template,
        registry: Option<Template>,
        token_env: Option<String>,
    },
    /// `{version}` of the crate `package` in a sparse index (default crates.io's).
    Crates {
        package: Template,
        index: Option<Template>,
        token_env: Option<String>,
    },
    /// `{version}` (RubyGems' form) of the gem `package` on a RubyGems host (default
    /// RubyGems.org).
    Gem {
        package: Template,
        registry: Option<Template>,
        token_env: Option<String>,
    },
}

/// What `same-as` means, for the schema.
const SAME_AS: &str =
    "On `verify = \"oci\"`: the tag (e.g. `{version}`) every tag must name the same image as.";

impl Kind for VerifyStep {
    const SPEC: KindSpec = KindSpec {
        per_package: true,
        values: &["pypi", "oci", "helm", "url", "npm", "crates", "gem"],
        options: &[
            OptionSpec::string("package"),
            OptionSpec::string("index"),
            OptionSpec::list("files"),
            OptionSpec::string("image"),
            OptionSpec::list("tags"),
            OptionSpec::list("platforms"),
            OptionSpec::string("same-as").about(SAME_AS),
            OptionSpec::string("repo"),
            OptionSpec::string("chart"),
            OptionSpec::string("url"),
            OptionSpec::new("status", OptionType::U16),
            OptionSpec::string("contains"),
            INTERVAL,
            OptionSpec::string("username-env"),
            OptionSpec::string("password-env"),
            OptionSpec::string("registry"),
            OptionSpec::string("token-env"),
        ],
        outputs: &["summary"],
        ..KindSpec::new("verify", "verify that a published artifact is really there")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("verify").ok_or(Reported)?;
        let kind = options.one_of(
            &value,
            "verify",
            &["pypi", "oci", "helm", "url", "npm", "crates", "gem"],
        )?;
        if kind != "oci"
            && let Some(same_as) = options.string("same-as")
        {
            return Err(options.error_hint(
                same_as.span(),
                format!(
                    "`same-as` compares image tags: it is not an option of `verify = \"{kind}\"`"
                ),
                "use it on a `verify = \"oci\"` step, or remove it",
            ));
        }
        Ok(match kind {
            "pypi" => VerifyStep::Pypi {
                package: options.required("package", "\"{project}\"")?,
                index: options.template("index")?,
                files: options.templates("files")?,
            },
            "oci" => {
                let tags = options.templates("tags")?;
                VerifyStep::Oci {
                    image: options.required("image", "\"ghcr.io/owner/name\"")?,
                    tags: if tags.is_empty() {
                        vec![Template::parse("{version}").map_err(|_| Reported)?]
                    } else {
                        tags
                    },
                    platforms: options.templates("platforms")?,
                    same_as: options.template("same-as")?,
                    username_env: options.env_name("username-env")?,
                    password_env: options.env_name("password-env")?,
                }
            }
            "npm" => VerifyStep::Npm {
                package: options.required("package", "\"{project}\"")?,
                registry: options.template("registry")?,
                token_env: options.env_name("token-env")?,
            },
            "gem" => VerifyStep::Gem {
                package: options.required("package", "\"{project}\"")?,
                registry: options.template("registry")?,
                token_env: options.env_name("token-env")?,
            },
            "crates" => VerifyStep::Crates {
                package: options.required("package", "\"{project}\"")?,
                index: options.template("index")?,
                token_env: options.env_name("token-env")?,
            },
            "helm" => VerifyStep::Helm {
                repo: options.required("repo", "\"https://charts.example.org\"")?,
                chart: options.required("chart", "\"{project}\"")?,
            },
            _ => VerifyStep::Url {
                url: options.required("url", "\"https://…\"")?,
                status: options.u16("status"),
                contains: options.template("contains")?,
            },
        })
    }

    fn needs(&self) -> Vec<Need> {
        match self {
            VerifyStep::Oci {
                username_env,
                password_env,
                ..
            } => {
                let username = username_env.iter().map(|name| Need::Env {
                    name: name.clone(),
                    holds: "the registry user name",
                });
                let password = password_env.iter().map(|name| Need::Env {
                    name: name.clone(),
                    holds: "the registry password",
                });
                username.chain(password).collect()
            }
            // A token named in relman.toml is meant to be there (a private registry's read).
            VerifyStep::Npm { token_env, .. }
            | VerifyStep::Crates { token_env, .. }
            | VerifyStep::Gem { token_env, .. } => token_env
                .iter()
                .map(|name| Need::Env {
                    name: name.clone(),
                    holds: "the registry's read token",
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        let mut all = Vec::new();
        match self {
            VerifyStep::Pypi {
                package,
                index,
                files,
            } => {
                all.push(("package", package));
                all.extend(index.iter().map(|value| ("index", value)));
                all.extend(files.iter().map(|value| ("files", value)));
            }
            VerifyStep::Oci {
                image,
                tags,
                platforms,
                same_as,
                ..
            } => {
                all.push(("image", image));
                all.extend(tags.iter().map(|value| ("tags", value)));
                all.extend(platforms.iter().map(|value| ("platforms", value)));
                all.extend(same_as.iter().map(|value| ("same-as", value)));
            }
            VerifyStep::Helm { repo, chart } => {
                all.push(("repo", repo));
                all.push(("chart", chart));
            }
            VerifyStep::Url { url, contains, .. } => {
                all.push(("url", url));
                all.extend(contains.iter().map(|value| ("contains", value)));
            }
            VerifyStep::Npm {
                package, registry, ..
            } => {
                all.push(("package", package));
                all.extend(registry.iter().map(|value| ("registry", value)));
            }
            VerifyStep::Crates { package, index, .. } => {
                all.push(("package", package));
                all.extend(index.iter().map(|value| ("index", value)));
            }
            VerifyStep::Gem {
                package, registry, ..
            } => {
                all.push(("package", package));
                all.extend(registry.iter().map(|value| ("registry", value)));
            }
        }
        all
    }

    fn describe(&self, variables: &Variables) -> String {
        checker::describe(self, variables)
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        match self {
            VerifyStep::Pypi {
                package,
                index,
                files,
            } => Explained::new(format!(
                "Verify that {} `{{version}}` is on {}.",
                show_code(package),
                index.as_ref().map_or_else(|| "PyPI".to_owned(), show_code)
            ))
            .detail_if(
                !files.is_empty(),
                format!("With files matching {}.", codes(files)),
            )
            .detail(PAUSES),
            VerifyStep::Oci {
                image,
                tags,
                platforms,
                same_as,
                ..
            } => Explained::new(format!(
                "Verify that the image {} has the tag{} {}.",
                show_code(image),
                if tags.len() == 1 { "" } else { "s" },
                codes(tags)
            ))
            .detail_if(
                !platforms.is_empty(),
                format!("For the platforms {}.", codes(platforms)),
            )
            .detail_if(
                same_as.is_some(),
                format!(
                    "Naming the same image as the tag {} (the same digest).",
                    same_as.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            VerifyStep::Helm { repo, chart } => Explained::new(format!(
                "Verify that the Helm repository {} lists the chart {} at `{{version}}`.",
                show_code(repo),
                show_code(chart)
            ))
            .detail(PAUSES),
            VerifyStep::Url {
                url,
                status,
                contains,
            } => Explained::new(format!(
                "Verify that {}.",
                answers(url, *status, contains.as_ref())
            ))
            .detail(PAUSES),
            VerifyStep::Npm {
                package, registry, ..
            } => Explained::new(format!(
                "Verify that {} `{{version}}` is on {}.",
                show_code(package),
                registry
                    .as_ref()
                    .map_or_else(|| "the npm registry".to_owned(), show_code)
            ))
            .detail(PAUSES),
            VerifyStep::Crates { package, index, .. } => Explained::new(format!(
                "Verify that the crate {} `{{version}}` is in {}.",
                show_code(package),
                index
                    .as_ref()
                    .map_or_else(|| "crates.io's index".to_owned(), show_code)
            ))
            .detail(PAUSES),
            VerifyStep::Gem {
                package, registry, ..
            } => Explained::new(format!(
                "Verify that the gem {} `{{version}}` is listed by {}.",
                show_code(package),
                registry
                    .as_ref()
                    .map_or_else(|| "RubyGems.org".to_owned(), show_code)
            ))
            .detail(PAUSES),
        }
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        checker::preview(self, &self.describe(cx.variables), step, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        checker::execute(self, step, cx)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        checker::probe(self, cx)
    }
}
