//! `publish = "npm" | "cargo" | "pypi" | "gem"`: put the release on a package registry with the ecosystem's own
//! tool, once. Before anything is run the step asks the registry whether the version is there
//! already ([`visible`], also the probe): a crash after the upload (inside `npm publish`'s
//! `postpublish` script, say) is then done on resume, never a second upload. The plan runs the
//! tool's dry run where it has one and it writes nothing in the repository (`npm publish
//! --dry-run --ignore-scripts`), against the configured registry only.
//!
//! - `npm` ([`npm`]): `npm publish` in `path` (default the repository's top) with `--registry`
//!   always given (default the public registry), `tag` and `access`; the token in `NPM_TOKEN` or
//!   `NODE_AUTH_TOKEN` (or `token-env`) reaches npm through a temporary user config that names
//!   the variable, never its value.
//! - `cargo` ([`cargo`]): `cargo publish` of the workspace's packages in dependency order,
//!   each waited for on the registry's sparse index before its dependents; the plan's dry run
//!   runs in a temporary copy.
//! - `pypi` ([`pypi`]): `twine upload` of the `files` globs to `registry` (an upload URL, default
//!   PyPI's), the credentials in `TWINE_USERNAME`/`TWINE_PASSWORD` or a token in `PYPI_TOKEN`
//!   (or `token-env`); the version is looked for on `index` (default derived from the upload URL).
//! - `gem` ([`gem`]): `gem push --host` of the gem `build = "gem"` wrote (or the `files` given)
//!   to `registry` (a RubyGems host, default RubyGems.org), the key in `GEM_HOST_API_KEY` (or
//!   `token-env`) or `~/.gem/credentials`; the version is looked for with the host's API.
//!
//! In a run of several packages the step runs once per released package, in dependency order
//! ([`order`]): each publishes its own package (npm: its folder; cargo: its crates; pypi: its
//! files among `files`), a package of another ecosystem or a private one skips it at plan time,
//! and a package another released package depends on is waited for on its registry
//! (`order::wait_visible`) before the dependent's step starts.

/// The context key a step records an upload in (`NAME@VERSION`) the moment the registry took
/// it: a resume after a crash or timeout then only waits for the registry to show it.
const UPLOADED: &str = "uploaded";

/// Runs `upload` unless the step's record says `uploaded` went already (before a pause, a
/// timeout or a crash: only the wait for the registry is left). What is about to go is saved
/// first, and `uploaded` once it went.
fn upload_once(
    cx: &mut RunCx<'_>,
    uploaded: String,
    upload: impl FnOnce(&mut RunCx<'_>) -> Result<(), StepError>,
) -> Result<(), StepError> {
    if cx.context_value(UPLOADED) == Some(uploaded.as_str()) {
        return Ok(());
    }
    cx.set_context("package", uploaded.clone());
    cx.save()?;
    upload(cx)?;
    cx.set_context(UPLOADED, uploaded);
    cx.save()
}

mod cargo;
mod gem;
mod login;
mod npm;
mod order;
mod pypi;
mod tokens;

use relman_remote::Secret;
use relman_remote::verify::pypi::PypiVerify;
use relman_remote::verify::registries::RegistryVersion;
use serde::{Deserialize, Serialize};

use crate::clients::{self, failed};
use crate::core::explain::{ExplainCx, Explained, codes, show_code};
use crate::core::options::{INTERVAL, OptionSpec, Options, PACKAGE_PATH, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Login, Need, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo,
};
use crate::environment::Environment;
use crate::project::Project;
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "publish", rename_all = "kebab-case")]
pub enum PublishStep {
    Npm {
        /// The package's folder, relative to the repository.
        path: Option<Template>,
        registry: Option<Template>,
        /// The dist-tag (`latest` unless given).
        tag: Option<Template>,
        access: Option<String>,
        token_env: Option<String>,
    },
    Cargo {
        /// The workspace's folder, relative to the repository.
        path: Option<Template>,
        /// A registry name of cargo's config; default crates.io.
        registry: Option<Template>,
        /// The registry's sparse index, for the look-ups (default from cargo's config).
        index: Option<Template>,
        /// Default: every publishable member.
        packages: Vec<Template>,
        token_env: Option<String>,
    },
    Pypi {
        files: Vec<Template>,
        registry: Option<Template>,
        index: Option<Template>,
        package: Option<Template>,
        token_env: Option<String>,
    },
    Gem {
        /// The gem's folder (its gemspec), relative to the repository.
        path: Option<Template>,
        /// The `.gem` files (globs); default the one `build = "gem"` writes for `{version}`.
        files: Vec<Template>,
        /// A RubyGems host; default RubyGems.org.
        registry: Option<Template>,
        /// The gem's name; default the gemspec's.
        package: Option<Template>,
        token_env: Option<String>,
    },
}

/// Where a package's version is looked for: the question a multi-package release asks before it
/// publishes a dependent ("is version V of package P visible on its registry yet?").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryRef {
    /// An npm registry's root URL.
    Npm(String),
    /// A Cargo sparse index URL.
    Crates(String),
    /// A pip-style simple index URL.
    Pypi(String),
    /// A RubyGems host.
    Gem(String),
}

/// Whether version `version` of `package` is visible on `registry` now, with `token` when the
/// registry wants one.
pub fn visible(
    project: &Project,
    env: &Environment,
    registry: &RegistryRef,
    package: &str,
    version: &str,
    token: Option<Secret>,
) -> Result<bool, StepError> {
    let client = clients::http(project, env);
    let looking = |error| failed(&format!("cannot look for {package} {version}"), error);
    match registry {
        RegistryRef::Npm(url) => RegistryVersion::npm(url, package, version, token)
            .and_then(|check| check.visible(&client))
            .map_err(looking),
        RegistryRef::Crates(url) => RegistryVersion::crates(url, package, version, token)
            .and_then(|check| check.visible(&client))
            .map_err(looking),
        RegistryRef::Pypi(url) => PypiVerify::new(url, package, version, &[])
            .and_then(|check| check.check(&client))
            .map(|poll| matches!(poll, relman_remote::wait::Poll::Ready(_)))
            .map_err(looking),
        RegistryRef::Gem(url) => RegistryVersion::gem(
            url,
            package,
            &crate::kinds::build::gem_version(version),
            token,
        )
        .and_then(|check| check.visible(&client))
        .map_err(looking),
    }
}

impl Kind for PublishStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["path", "files"],
        values: &["npm", "cargo", "pypi", "gem"],
        options: &[
            PACKAGE_PATH,
            OptionSpec::string("registry"),
            OptionSpec::string("tag"),
            OptionSpec::string("access"),
            OptionSpec::list("files"),
            OptionSpec::string("index"),
            OptionSpec::string("package"),
            OptionSpec::list("packages"),
            OptionSpec::string("token-env"),
            INTERVAL,
        ],
        outputs: &["package", "version", "registry"],
        per_package: true,
        ..KindSpec::new(
            "publish",
            "publish the package to npm, a Cargo registry, PyPI or RubyGems with the ecosystem's tool, once",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("publish").ok_or(Reported)?;
        let kind = options.one_of(&value, "publish", &["npm", "cargo", "pypi", "gem"])?;
        let token_env = options.env_name("token-env")?;
        Ok(match kind {
            "npm" => {
                let access = match options.string("access") {
                    Some(access) => Some(
                        options
                            .one_of(&access, "access", &["public", "restricted"])?
                            .to_owned(),
                    ),
                    None => None,
                };
                PublishStep::Npm {
                    path: options.template("path")?,
                    registry: options.template("registry")?,
                    tag: options.template("tag")?,
                    access,
                    token_env,
                }
            }
            "cargo" => PublishStep::Cargo {
                path: options.template("path")?,
                registry: options.template("registry")?,
                index: options.template("index")?,
                packages: options.templates("packages")?,
                token_env,
            },
            "gem" => PublishStep::Gem {
                path: options.template("path")?,
                files: options.templates("files")?,
                registry: options.template("registry")?,
                package: options.template("package")?,
                token_env,
            },
            _ => {
                let files = options.templates("files")?;
                if files.is_empty() {
                    return Err(options.error_hint(
                        options.whole(),
                        "a `publish = \"pypi\"` step needs `files`",
                        "add `files = [\"dist/*\"]` (the wheels and sdist to upload)",
                    ));
                }
                PublishStep::Pypi {
                    files,
                    registry: options.template("registry")?,
                    index: options.template("index")?,
                    package: options.template("package")?,
                    token_env,
                }
            }
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        let mut all = Vec::new();
        match self {
            PublishStep::Npm {
                path,
                registry,
                tag,
                ..
            } => {
                all.extend(path.iter().map(|value| ("path", value)));
                all.extend(registry.iter().map(|value| ("registry", value)));
                all.extend(tag.iter().map(|value| ("tag", value)));
            }
            PublishStep::Cargo {
                path,
                registry,
                index,
                packages,
                ..
            } => {
                all.extend(path.iter().map(|value| ("path", value)));
                all.extend(registry.iter().map(|value| ("registry", value)));
                all.extend(index.iter().map(|value| ("index", value)));
                all.extend(packages.iter().map(|value| ("packages", value)));
            }
            PublishStep::Pypi {
                files,
                registry,
                index,
                package,
                ..
            } => {
                all.extend(files.iter().map(|value| ("files", value)));
                all.extend(registry.iter().map(|value| ("registry", value)));
                all.extend(index.iter().map(|value| ("index", value)));
                all.extend(package.iter().map(|value| ("package", value)));
            }
            PublishStep::Gem {
                path,
                files,
                registry,
                package,
                ..
            } => {
                all.extend(path.iter().map(|value| ("path", value)));
                all.extend(files.iter().map(|value| ("files", value)));
                all.extend(registry.iter().map(|value| ("registry", value)));
                all.extend(package.iter().map(|value| ("package", value)));
            }
        }
        all
    }

    fn needs(&self) -> Vec<Need> {
        let login = match self {
            PublishStep::Npm {
                path,
                registry,
                token_env,
                ..
            } => Login::new(login::NpmLogin {
                registry: registry.clone(),
                token_envs: token_env.iter().cloned().collect(),
                path: path.clone(),
            }),
            PublishStep::Cargo {
                registry,
                token_env,
                ..
            } => Login::new(tokens::CargoLogin {
                name: token_env.clone().unwrap_or_else(|| match registry {
                    Some(registry) => format!(
                        "CARGO_REGISTRIES_{}_TOKEN",
                        registry.source().to_ascii_uppercase().replace('-', "_")
                    ),
                    None => "CARGO_REGISTRY_TOKEN".to_owned(),
                }),
                registry: registry.clone(),
            }),
            PublishStep::Pypi {
                token_env,
                registry,
                ..
            } => Login::new(tokens::PypiLogin {
                names: vec![
                    token_env.clone().unwrap_or_else(|| "PYPI_TOKEN".to_owned()),
                    "TWINE_PASSWORD".to_owned(),
                ],
                registry: registry.clone(),
            }),
            PublishStep::Gem { registry, .. } => Login::new(tokens::GemLogin {
                names: gem::token_names(self)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                registry: registry.clone(),
            }),
        };
        vec![Need::Credential(login)]
    }

    fn describe(&self, variables: &Variables) -> String {
        let version = variables.get_key("version").unwrap_or("{version}");
        match self {
            PublishStep::Npm { .. } => format!("publish {version} to npm"),
            PublishStep::Cargo { .. } => format!("publish {version} with cargo"),
            PublishStep::Pypi { .. } => format!("publish {version} to PyPI"),
            PublishStep::Gem { .. } => format!("push gem {version}"),
        }
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        match self {
            PublishStep::Npm { path, registry, .. } => Explained::new(format!(
                "Publish the npm package in {} to {}.",
                path.as_ref()
                    .map_or_else(|| "the repository".to_owned(), show_code),
                registry
                    .as_ref()
                    .map_or_else(|| "the npm registry".to_owned(), show_code)
            )),
            PublishStep::Cargo {
                registry, packages, ..
            } => Explained::new(format!(
                "Publish {} to {} with `cargo publish`, dependencies first.",
                if packages.is_empty() {
                    "the workspace's publishable packages".to_owned()
                } else {
                    codes(packages)
                },
                registry
                    .as_ref()
                    .map_or_else(|| "crates.io".to_owned(), show_code)
            )),
            PublishStep::Pypi {
                files, registry, ..
            } => Explained::new(format!(
                "Upload {} to {} with twine.",
                codes(files),
                registry
                    .as_ref()
                    .map_or_else(|| "PyPI".to_owned(), show_code)
            )),
            PublishStep::Gem {
                files, registry, ..
            } => Explained::new(format!(
                "Push {} to {} with `gem push`.",
                if files.is_empty() {
                    "the gem `build = \"gem\"` wrote for `{version}`".to_owned()
                } else {
                    codes(files)
                },
                registry
                    .as_ref()
                    .map_or_else(|| "RubyGems.org".to_owned(), show_code)
            )),
        }
        .detail("A version already on the registry is not published again.")
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        match self {
            PublishStep::Npm { .. } => npm::preview(self, step, cx),
            PublishStep::Cargo { .. } => cargo::preview(self, step, cx),
            PublishStep::Pypi { .. } => pypi::preview(self, step, cx),
            PublishStep::Gem { .. } => gem::preview(self, step, cx),
        }
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        match self {
            PublishStep::Npm { .. } => npm::execute(self, step, cx),
            PublishStep::Cargo { .. } => cargo::execute(self, step, cx),
            PublishStep::Pypi { .. } => pypi::execute(self, step, cx),
            PublishStep::Gem { .. } => gem::execute(self, step, cx),
        }
    }

    fn not_for(&self, project: &Project) -> Option<String> {
        order::not_for(self, project)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let done = match self {
            PublishStep::Npm { .. } => npm::published(self, cx)?,
            PublishStep::Cargo { .. } => cargo::published(self, cx)?,
            PublishStep::Pypi { .. } => pypi::published(self, cx)?,
            PublishStep::Gem { .. } => gem::published(self, cx)?,
        };
        Ok(if done { Probe::Done } else { Probe::NotDone })
    }
}

/// The value of the first set variable among `names`, with its name.
fn first_secret(env: &Environment, names: &[&str]) -> Option<(String, Secret)> {
    names.iter().find_map(|name| {
        env.var(name)
            .filter(|value| !value.trim().is_empty())
            .map(|value| ((*name).to_owned(), Secret::new(value.trim())))
    })
}

/// Records what was published.
fn finish(cx: &mut RunCx<'_>, package: &str, version: &str, registry: &str, already: bool) {
    if already {
        cx.output(&format!(
            "{package} {version} is on {registry} already: not published again"
        ));
    }
    cx.push_remote(crate::core::RemoteEffect {
        description: format!("{package} {version} published to {registry}"),
        undo_hint: "registries keep published versions: deprecate or yank it, and release a fix"
            .to_owned(),
        pushed_refs: Vec::new(),
        pushed_at: None,
    });
    cx.set_output("package", package);
    cx.set_output("version", version);
    cx.set_output("registry", registry);
}
