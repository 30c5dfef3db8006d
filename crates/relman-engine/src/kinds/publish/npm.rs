//! `publish = "npm"`: `npm publish` of the package in `path` (in a run of several packages, default
//! the package's own folder), against `registry` only. A package another package of the run
//! depends on is waited for on the registry before the step ends.

use std::path::PathBuf;
use std::time::Duration;

use relman_remote::verify::registries::NPM_REGISTRY;

use super::order::{has_dependents, wait_note, wait_visible};
use super::{PublishStep, RegistryRef, finish, first_secret, upload_once, visible};
use crate::core::paths::package_folder;
use crate::core::{Effect, Outcome, PlanCx, RunCx, StepError, StepInfo, run_command};
use crate::template::Template;

/// The variables a token is read from unless `token-env` names one.
const TOKEN_VARIABLES: &[&str] = &["NPM_TOKEN", "NODE_AUTH_TOKEN"];
/// How long the plan's dry run may take.
const DRY_RUN_TIMEOUT: Duration = Duration::from_secs(60);

struct Resolved {
    folder: PathBuf,
    registry: String,
    argv: Vec<String>,
}

fn resolve(
    step: &PublishStep,
    project: &crate::project::Project,
    root: &std::path::Path,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let PublishStep::Npm {
        path,
        registry,
        tag,
        access,
        ..
    } = step
    else {
        unreachable!("an npm publish step");
    };
    let folder = package_folder(root, project, path.as_ref().map(render).transpose()?)?;
    let registry = match registry {
        Some(registry) => render(registry)?,
        None => NPM_REGISTRY.to_owned(),
    };
    if !(registry.starts_with("https://") || registry.starts_with("http://")) {
        return Err(
            StepError::new(format!("`{registry}` is not a registry URL")).with_hint(
                "write the registry's root, e.g. `registry = \"https://registry.npmjs.org/\"`",
            ),
        );
    }
    // `--name=value`: no value (a tag from relman.toml) can read as another option.
    let mut argv: Vec<String> = vec![
        "npm".into(),
        "publish".into(),
        format!("--registry={registry}"),
    ];
    if let Some(tag) = tag {
        argv.push(format!("--tag={}", render(tag)?));
    }
    if let Some(access) = access {
        argv.push(format!("--access={access}"));
    }
    Ok(Resolved {
        folder,
        registry,
        argv,
    })
}

/// The package's name and version as its `package.json` says now.
fn manifest(folder: &std::path::Path) -> Result<(String, String), StepError> {
    let path = folder.join("package.json");
    let text = relman_version::files::read_text_bounded(
        &path,
        relman_version::files::bounded::MAX_VERSION_FILE,
    )
    .map_err(|error| {
        StepError::new(format!("cannot read the package's manifest: {error}"))
            .with_hint("point `path` at the folder holding `package.json`")
    })?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| StepError::new(format!("`{}` is not JSON: {error}", path.display())))?;
    let field = |name: &str| {
        value[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| StepError::new(format!("`{}` has no `{name}`", path.display())))
    };
    Ok((field("name")?, field("version")?))
}

fn token_names(step: &PublishStep) -> Vec<&str> {
    match step {
        PublishStep::Npm {
            token_env: Some(name),
            ..
        } => vec![name.as_str()],
        _ => TOKEN_VARIABLES.to_vec(),
    }
}

pub(super) fn preview(
    step: &PublishStep,
    _info: &StepInfo<'_>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let resolved = resolve(step, cx.project, &cx.project.root, &|template| {
        cx.render_strict(template)
    })?;
    let (name, current) = manifest(&resolved.folder)?;
    let version = cx
        .variables
        .get_key("version")
        .filter(|version| !version.is_empty())
        .unwrap_or(&current)
        .to_owned();
    cx.sim.changed_anything = true;
    let mut effects = vec![
        Effect::Command {
            argv: resolved.argv.clone(),
            cwd: Some(resolved.folder.clone()),
            shell: false,
        },
        Effect::Note {
            text: format!(
                "publishes {name} {version} to {} unless it is there already",
                resolved.registry
            ),
        },
    ];
    // The dry run: no lifecycle script (they may build or write), nothing written, no registry
    // but the configured one.
    let mut dry = vec![
        "npm".to_owned(),
        "publish".to_owned(),
        "--dry-run".to_owned(),
        "--ignore-scripts".to_owned(),
    ];
    dry.extend(resolved.argv[2..].iter().cloned());
    let mut lines = Vec::new();
    let text = match run_command(&dry, &resolved.folder, &[], Some(DRY_RUN_TIMEOUT), |line| {
        lines.push(line.to_owned());
    }) {
        Ok(_) => {
            let files = lines
                .iter()
                .find_map(|line| line.split("total files:").nth(1))
                .map(str::trim)
                .unwrap_or("?");
            format!("dry run of the package as it is now ({name} {current}): {files} files")
        }
        Err(error) => format!(
            "the dry run (`npm publish --dry-run`) failed: {}",
            lines.last().cloned().unwrap_or(error.message)
        ),
    };
    effects.push(Effect::Note { text });
    if first_secret(cx.env, &token_names(step)).is_none() {
        effects.push(Effect::Note {
            text: format!(
                "`{}` is not set: npm publishes with your own login (`npm login`)",
                token_names(step).join("` or `")
            ),
        });
    }
    effects.extend(wait_note(cx.project, cx.variables));
    Ok(effects)
}

pub(super) fn execute(
    step: &PublishStep,
    info: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let resolved = resolve(step, cx.project, cx.root(), &|template| cx.render(template))?;
    let (name, version) = manifest(&resolved.folder)?;
    let token = first_secret(cx.env, &token_names(step));
    let registry = RegistryRef::Npm(resolved.registry.clone());
    let secret = token.as_ref().map(|(_, secret)| secret.clone());
    if visible(
        cx.project,
        cx.env,
        &registry,
        &name,
        &version,
        secret.clone(),
    )? {
        finish(cx, &name, &version, &resolved.registry, true);
        return Ok(Outcome::Done);
    }
    upload_once(cx, format!("{name}@{version}"), |cx| {
        upload(
            cx,
            info,
            &resolved,
            token.as_ref(),
            &registry,
            &name,
            &version,
        )
    })?;
    // A dependent published next resolves this version on the registry.
    if has_dependents(cx.project, &cx.plan.variables)
        && let Some(reason) = wait_visible(cx, info, &registry, &name, &version, secret)?
    {
        return Ok(Outcome::Paused(format!(
            "{name} {version} was published, but the registry does not show it yet, and a package of this release depends on it: {reason}"
        )));
    }
    finish(cx, &name, &version, &resolved.registry, false);
    Ok(Outcome::Done)
}

/// `npm publish`; an error unless the version is on the registry afterwards.
fn upload(
    cx: &mut RunCx<'_>,
    info: &StepInfo<'_>,
    resolved: &Resolved,
    token: Option<&(String, relman_remote::Secret)>,
    registry: &RegistryRef,
    name: &str,
    version: &str,
) -> Result<(), StepError> {
    // The token reaches npm through a user config naming its variable: its value is written
    // nowhere.
    let config = tempfile::tempdir()
        .map_err(|error| StepError::new(format!("cannot prepare npm's config: {error}")))?;
    let mut env = Vec::new();
    if let Some((variable, _)) = token {
        let npmrc = config.path().join("npmrc");
        fs_err::write(
            &npmrc,
            format!(
                "{}:_authToken=${{{variable}}}\n",
                nerf_dart(&resolved.registry)
            ),
        )
        .map_err(|error| StepError::new(format!("cannot prepare npm's config: {error}")))?;
        env.push((
            "NPM_CONFIG_USERCONFIG".to_owned(),
            npmrc.display().to_string(),
        ));
        // npm reads the token from its own environment: handed over, never written.
        if let Some(value) = cx.env.var(variable) {
            env.push((variable.clone(), value.to_owned()));
        }
    }
    let ran = run_command(
        &resolved.argv,
        &resolved.folder,
        &env,
        info.timeout,
        |line| {
            cx.output(line);
        },
    );
    if let Err(error) = ran {
        // A publish whose upload went through (a failing `postpublish`) is published.
        if !visible(
            cx.project,
            cx.env,
            registry,
            name,
            version,
            token.map(|(_, secret)| secret.clone()),
        )? {
            return Err(error);
        }
        cx.output("npm failed after the upload: the version is on the registry");
    }
    Ok(())
}

pub(super) fn published(step: &PublishStep, cx: &mut RunCx<'_>) -> Result<bool, StepError> {
    let resolved = resolve(step, cx.project, cx.root(), &|template| cx.render(template))?;
    let (name, version) = manifest(&resolved.folder)?;
    let secret = first_secret(cx.env, &token_names(step)).map(|(_, secret)| secret);
    let registry = RegistryRef::Npm(resolved.registry.clone());
    let done = visible(cx.project, cx.env, &registry, &name, &version, secret)?;
    if done {
        finish(cx, &name, &version, &resolved.registry, true);
    }
    Ok(done)
}

/// npm's key for a registry's settings: `//host[:port]/path/`.
pub(super) fn nerf_dart(registry: &str) -> String {
    let rest = registry
        .split_once("://")
        .map_or(registry, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut dart = format!("//{rest}");
    if !dart.ends_with('/') {
        dart.push('/');
    }
    dart
}

#[cfg(test)]
mod tests {
    #[test]
    fn nerf_darts() {
        assert_eq!(
            super::nerf_dart("https://registry.npmjs.org/"),
            "//registry.npmjs.org/"
        );
        assert_eq!(
            super::nerf_dart("http://127.0.0.1:4873"),
            "//127.0.0.1:4873/"
        );
        assert_eq!(
            super::nerf_dart("https://npm.pkg.github.com/org"),
            "//npm.pkg.github.com/org/"
        );
    }
}
