//! `publish = "cargo"`: `cargo publish` of the workspace's packages (`packages`, default every
//! publishable member) in dependency order, to `registry` (a registry name of cargo's config,
//! default crates.io). Each package already on the registry's index is skipped, and each
//! published one is waited for on the index before a dependent goes (cargo resolves it there).
//! The plan runs `cargo publish --dry-run` in a temporary copy of the workspace, so that nothing
//! (a lock file, `target/package`) is written in the repository.
//!
//! In a run of several packages the step runs once per released crate and publishes that crate
//! (the root package: the members no other package holds), so no crate goes twice and each goes
//! after the crates it needs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use relman_remote::verify::registries::CRATES_INDEX;

use super::order::wait_visible;
use super::{PublishStep, RegistryRef, UPLOADED, finish, first_secret, upload_once, visible};
use crate::core::paths::inside;
use crate::core::{Effect, Outcome, PlanCx, RunCx, StepError, StepInfo, run_command};
use crate::environment::Environment;
use crate::template::Template;

/// A package of the workspace.
#[derive(Debug, Clone)]
struct Package {
    name: String,
    version: String,
    /// Path dependencies on other members (normal and build).
    needs: Vec<String>,
}

struct Resolved {
    folder: PathBuf,
    registry: Option<String>,
    index: Option<String>,
    wanted: Vec<String>,
    /// Members other packages of the repository hold, left to their own steps.
    others: Vec<String>,
}

fn resolve(
    step: &PublishStep,
    project: &crate::project::Project,
    root: &Path,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let PublishStep::Cargo {
        path,
        registry,
        index,
        packages,
        ..
    } = step
    else {
        unreachable!("a cargo publish step");
    };
    let registry = registry
        .as_ref()
        .map(render)
        .transpose()?
        .map(|name| cargo_name(name, "registry"))
        .transpose()?;
    let mut wanted = packages
        .iter()
        .map(|package| cargo_name(render(package)?, "package"))
        .collect::<Result<Vec<_>, _>>()?;
    // In a run of several packages: this package's crate, or the root package's members.
    let mut others = Vec::new();
    if wanted.is_empty()
        && let Some(package) = super::order::package(project)
    {
        if package.root {
            others = project
                .packages
                .iter()
                .filter(|other| !other.root)
                .map(|other| other.name.clone())
                .collect();
        } else {
            wanted.push(cargo_name(package.name.clone(), "package")?);
        }
    }
    Ok(Resolved {
        folder: match path {
            Some(path) => inside(root, &render(path)?, "the workspace")?,
            None => root.to_path_buf(),
        },
        registry,
        index: index.as_ref().map(render).transpose()?,
        wanted,
        others,
    })
}

/// A package or registry name as cargo spells them (letters, digits, `-`, `_`, not starting with
/// `-`): a value from relman.toml that is anything else never reaches cargo's command line, where
/// it could read as another option or name a registry's config key.
fn cargo_name(value: String, what: &str) -> Result<String, StepError> {
    let plain = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if value.is_empty() || !plain || value.starts_with('-') {
        return Err(StepError::new(format!("`{value}` is not a {what} name"))
            .with_hint("cargo's names are letters, digits, `-` and `_`, not starting with `-`"));
    }
    Ok(value)
}

/// The cargo variables of the environment (registry settings and tokens), handed to cargo.
fn cargo_env(env: &Environment) -> Vec<(String, String)> {
    env.vars()
        .filter(|(name, _)| name.starts_with("CARGO_"))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// The workspace's packages to publish, dependencies first, as its manifests declare them.
/// Read by relman, not by `cargo metadata`: cargo runs the toolchain a `rust-toolchain.toml` of
/// the clone names (any program, with `path`), which `plan` must never start.
fn packages(resolved: &Resolved) -> Result<Vec<Package>, StepError> {
    let (folder, wanted) = (&resolved.folder, &resolved.wanted);
    let members: Vec<relman_version::workspace::Member> =
        relman_version::workspace::discover(folder)
            .members
            .into_iter()
            .filter(|member| member.ecosystem == relman_version::workspace::Ecosystem::Cargo)
            .collect();
    let names: Vec<String> = members.iter().map(|member| member.name.clone()).collect();
    let mut found: BTreeMap<String, Package> = BTreeMap::new();
    for member in members {
        // `publish = false` (or an empty list) keeps a package off every registry.
        let elsewhere = resolved.others.contains(&member.name);
        if (wanted.is_empty() && (member.private || elsewhere))
            || (!wanted.is_empty() && !wanted.contains(&member.name))
        {
            continue;
        }
        let needs = member
            .dependencies
            .iter()
            .filter(|dependency| {
                dependency.kind != relman_version::workspace::DependencyKind::Development
            })
            .map(|dependency| dependency.name.clone())
            .collect();
        found.insert(
            member.name.clone(),
            Package {
                version: member.version.clone().unwrap_or_default(),
                name: member.name,
                needs,
            },
        );
    }
    for name in wanted {
        if !found.contains_key(name) {
            return Err(
                StepError::new(format!("the workspace has no package `{name}`"))
                    .with_hint(format!("its packages: {}", names.join(", "))),
            );
        }
    }
    // Dependencies first: a package goes once every member it needs has gone.
    let mut ordered: Vec<Package> = Vec::new();
    while ordered.len() < found.len() {
        let next = found
            .values()
            .find(|package| {
                !ordered.iter().any(|done| done.name == package.name)
                    && package.needs.iter().all(|need| {
                        !found.contains_key(need) || ordered.iter().any(|done| &done.name == need)
                    })
            })
            .cloned()
            .ok_or_else(|| {
                StepError::new("the workspace's packages depend on each other in a circle")
            })?;
        ordered.push(next);
    }
    Ok(ordered)
}

/// The sparse index the registry's versions are looked up in.
fn index_url(resolved: &Resolved, env: &Environment, root: &Path) -> Result<String, StepError> {
    if let Some(index) = &resolved.index {
        return Ok(index.clone());
    }
    let Some(registry) = &resolved.registry else {
        return Ok(CRATES_INDEX.to_owned());
    };
    let variable = format!(
        "CARGO_REGISTRIES_{}_INDEX",
        registry.to_ascii_uppercase().replace('-', "_")
    );
    if let Some(index) = env.var(&variable) {
        return Ok(index.to_owned());
    }
    for config in [root.join(".cargo/config.toml"), root.join(".cargo/config")] {
        if let Ok(text) = relman_version::files::read_text_bounded(
            &config,
            relman_version::files::bounded::MAX_CONFIG_FILE,
        ) && let Ok(table) = text.parse::<toml::Table>()
            && let Some(index) = table
                .get("registries")
                .and_then(|registries| registries.get(registry.as_str()))
                .and_then(|entry| entry.get("index"))
                .and_then(toml::Value::as_str)
        {
            return Ok(index.to_owned());
        }
    }
    Err(StepError::new(format!(
        "relman cannot tell where the index of registry `{registry}` is"
    ))
    .with_hint(format!(
        "give the step `index = \"sparse+https://…/\"`, or set `{variable}`"
    )))
}

/// `--name=value`: no value from relman.toml can read as another option.
fn publish_argv(resolved: &Resolved, package: &str) -> Vec<String> {
    let mut argv: Vec<String> = vec![
        "cargo".to_owned(),
        "publish".to_owned(),
        format!("--package={package}"),
    ];
    if let Some(registry) = &resolved.registry {
        argv.push(format!("--registry={registry}"));
    }
    argv
}

pub(super) fn preview(
    step: &PublishStep,
    _info: &StepInfo<'_>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let resolved = resolve(step, cx.project, &cx.project.root, &|template| {
        cx.render_strict(template)
    })?;
    let packages = packages(&resolved)?;
    cx.sim.changed_anything = true;
    let mut effects: Vec<Effect> = packages
        .iter()
        .map(|package| Effect::Command {
            argv: publish_argv(&resolved, &package.name),
            cwd: Some(resolved.folder.clone()),
            shell: false,
        })
        .collect();
    effects.push(Effect::Note {
        text: format!(
            "in this order, each skipped when it is on the registry already and waited for on it before the next: {}",
            packages.iter().map(|package| package.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    });
    if let [package] = packages.as_slice() {
        effects.push(Effect::Note {
            text: dry_run(&resolved, cx.env, &package.name),
        });
    }
    Ok(effects)
}

/// `cargo publish --dry-run` in a copy of the workspace: what the plan says of it.
fn dry_run(resolved: &Resolved, env: &Environment, package: &str) -> String {
    let Ok(copy) = tempfile::tempdir() else {
        return "the dry run could not be prepared".to_owned();
    };
    if let Err(error) = copy_tree(&resolved.folder, copy.path()) {
        return format!("the dry run could not be prepared: {error}");
    }
    // rustup would run the toolchain the clone's file names (`path` = any program): the plan
    // packages with the toolchain this machine uses by default.
    for toolchain in ["rust-toolchain", "rust-toolchain.toml"] {
        let _ = fs_err::remove_file(copy.path().join(toolchain));
    }
    let mut argv = publish_argv(resolved, package);
    argv.extend(["--dry-run", "--no-verify", "--allow-dirty"].map(str::to_owned));
    let mut env = cargo_env(env);
    env.push((
        "CARGO_TARGET_DIR".to_owned(),
        copy.path().join("target").display().to_string(),
    ));
    let mut lines = Vec::new();
    match run_command(
        &argv,
        copy.path(),
        &env,
        Some(Duration::from_secs(300)),
        |line| {
            lines.push(line.trim().to_owned());
        },
    ) {
        Ok(_) => format!(
            "dry run (a copy of the package as it is now): {}",
            lines
                .iter()
                .rfind(|line| line.starts_with("Packaged") || line.starts_with("Uploading"))
                .cloned()
                .unwrap_or_else(|| "it packages".to_owned())
        ),
        Err(error) => format!(
            "the dry run (`cargo publish --dry-run`) failed: {}",
            lines
                .iter()
                .rfind(|line| line.starts_with("error"))
                .cloned()
                .unwrap_or(error.message)
        ),
    }
}

/// Copies a work tree without `.git` and `target`.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in fs_err::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == ".git" || name == "target" {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            fs_err::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs_err::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

pub(super) fn execute(
    step: &PublishStep,
    info: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let resolved = resolve(step, cx.project, cx.root(), &|template| cx.render(template))?;
    let index = index_url(&resolved, cx.env, cx.root())?;
    let packages = packages(&resolved)?;
    let token = token(step, &resolved, cx.env);
    let registry_name = resolved
        .registry
        .clone()
        .unwrap_or_else(|| "crates.io".to_owned());
    let registry = RegistryRef::Crates(index);
    for package in &packages {
        if on_index(cx, &registry, package, token.as_ref())? {
            finish(cx, &package.name, &package.version, &registry_name, true);
            continue;
        }
        // A second `cargo publish` would be refused: after a timeout or a crash once it
        // uploaded, only the wait for the index is left.
        let uploaded = format!("{}@{}", package.name, package.version);
        upload_once(cx, uploaded.clone(), |cx| {
            match publish_one(cx, info, &resolved, package, &uploaded)? {
                Err(error) if !on_index(cx, &registry, package, token.as_ref())? => Err(error),
                _ => Ok(()),
            }
        })?;
        // The next package may depend on this one: cargo resolves it on the index.
        if let Some(reason) = wait_visible(
            cx,
            info,
            &registry,
            &package.name,
            &package.version,
            token.clone(),
        )? {
            return Ok(Outcome::Paused(format!(
                "{} {} was published but is not on the index yet: {reason}",
                package.name, package.version
            )));
        }
        finish(cx, &package.name, &package.version, &registry_name, false);
    }
    Ok(Outcome::Done)
}

/// Whether the registry's index shows `package` at its version.
fn on_index(
    cx: &RunCx<'_>,
    registry: &RegistryRef,
    package: &Package,
    token: Option<&relman_remote::Secret>,
) -> Result<bool, StepError> {
    visible(
        cx.project,
        cx.env,
        registry,
        &package.name,
        &package.version,
        token.cloned(),
    )
}

/// `cargo publish` of one package: cargo's failure (outside), unless cargo said `Uploaded NAME
/// vVERSION` first. From that line on (the registry took it; cargo then waits for the index
/// itself) the upload is recorded and saved, so that a timeout or a crash while cargo waits
/// leaves only the wait to a resume, never a second upload the registry would refuse.
fn publish_one(
    cx: &mut RunCx<'_>,
    info: &StepInfo<'_>,
    resolved: &Resolved,
    package: &Package,
    uploaded: &str,
) -> Result<Result<(), StepError>, StepError> {
    let marker = format!("Uploaded {} v{} ", package.name, package.version);
    let mut sent = false;
    let mut saved = Ok(());
    let ran = run_command(
        &publish_argv(resolved, &package.name),
        &resolved.folder,
        &cargo_env(cx.env),
        info.timeout,
        |line| {
            if !sent && line.trim_start().starts_with(&marker) {
                sent = true;
                cx.set_context(UPLOADED, uploaded);
                saved = cx.save();
            }
            cx.output(line);
        },
    );
    saved?;
    Ok(if sent { Ok(()) } else { ran.map(drop) })
}

pub(super) fn published(step: &PublishStep, cx: &mut RunCx<'_>) -> Result<bool, StepError> {
    let resolved = resolve(step, cx.project, cx.root(), &|template| cx.render(template))?;
    let registry = RegistryRef::Crates(index_url(&resolved, cx.env, cx.root())?);
    let token = token(step, &resolved, cx.env);
    for package in packages(&resolved)? {
        if !on_index(cx, &registry, &package, token.as_ref())? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The token of a private registry's index (crates.io's index needs none).
fn token(
    step: &PublishStep,
    resolved: &Resolved,
    env: &Environment,
) -> Option<relman_remote::Secret> {
    let PublishStep::Cargo { token_env, .. } = step else {
        return None;
    };
    let registry = resolved.registry.as_ref()?;
    let default = format!(
        "CARGO_REGISTRIES_{}_TOKEN",
        registry.to_ascii_uppercase().replace('-', "_")
    );
    let name = token_env.clone().unwrap_or(default);
    first_secret(env, &[name.as_str()]).map(|(_, secret)| secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_be_options_are_refused() {
        for bad in ["--config=build.rustc='sh'", "-Zx", "", "a b", "crates.io"] {
            assert!(cargo_name(bad.to_owned(), "package").is_err(), "{bad}");
        }
        assert_eq!(
            cargo_name("relman-it_core".to_owned(), "package").unwrap(),
            "relman-it_core"
        );
    }

    #[test]
    fn every_value_is_glued_to_its_option() {
        let resolved = Resolved {
            folder: PathBuf::from("."),
            registry: Some("local".to_owned()),
            index: None,
            wanted: Vec::new(),
            others: Vec::new(),
        };
        assert_eq!(
            publish_argv(&resolved, "app"),
            ["cargo", "publish", "--package=app", "--registry=local"]
        );
    }
}
