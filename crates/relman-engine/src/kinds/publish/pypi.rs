//! `publish = "pypi"`: `twine upload` of the `files` globs to `registry`, each file checked
//! against the index first so only those not there are uploaded (twine's own `--skip-existing`
//! works with PyPI only). In a run of several packages the step runs once per released package
//! and uploads that package's files among those `files` matches (by the distribution name in the
//! file's name), and a package another package of the run depends on is waited for on the index
//! before the step ends.

use super::order::{has_dependents, wait_note, wait_visible};
use super::{PublishStep, RegistryRef, finish, first_secret, upload_once};
use crate::core::paths::inside;
use crate::core::{Effect, Outcome, PlanCx, RunCx, StepError, StepInfo, run_command};
use crate::template::Template;

/// PyPI's upload URL.
const PYPI_UPLOAD: &str = "https://upload.pypi.org/legacy/";
const PYPI_SIMPLE: &str = "https://pypi.org/simple/";

struct Resolved {
    registry: String,
    index: String,
    globs: Vec<String>,
    package: Option<String>,
}

fn resolve(
    step: &PublishStep,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let PublishStep::Pypi {
        files,
        registry,
        index,
        package,
        ..
    } = step
    else {
        unreachable!("a PyPI publish step");
    };
    let registry = match registry {
        Some(registry) => render(registry)?,
        None => PYPI_UPLOAD.to_owned(),
    };
    let index = match index {
        Some(index) => render(index)?,
        None if registry == PYPI_UPLOAD => PYPI_SIMPLE.to_owned(),
        // TestPyPI's `…/legacy/` is browsed at `…/simple/`; pypiserver and devpi alike.
        None => format!(
            "{}/simple/",
            registry.trim_end_matches('/').trim_end_matches("/legacy")
        ),
    };
    Ok(Resolved {
        registry,
        index,
        globs: files.iter().map(render).collect::<Result<_, _>>()?,
        package: package.as_ref().map(render).transpose()?,
    })
}

/// Refuses a glob whose fixed part leaves the work tree.
pub(super) fn glob_inside(root: &std::path::Path, glob: &str) -> Result<(), StepError> {
    let fixed = glob
        .split(['*', '?', '[', '{'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    if fixed.is_empty() {
        return Ok(());
    }
    inside(root, fixed, "the files").map(|_| ())
}

fn token_names(step: &PublishStep) -> Vec<&str> {
    match step {
        PublishStep::Pypi {
            token_env: Some(name),
            ..
        } => vec![name.as_str()],
        _ => vec!["PYPI_TOKEN"],
    }
}

fn argv(resolved: &Resolved, files: &[String]) -> Vec<String> {
    let mut argv: Vec<String> = [
        "twine",
        "upload",
        "--non-interactive",
        "--disable-progress-bar",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    // `--name=value` and `--` before the files: nothing from relman.toml reads as an option.
    argv.push(format!("--repository-url={}", resolved.registry));
    argv.push("--".to_owned());
    argv.extend(files.iter().cloned());
    argv
}

pub(super) fn preview(
    step: &PublishStep,
    _info: &StepInfo<'_>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let resolved = resolve(step, &|template| Ok(cx.render(template)))?;
    for glob in &resolved.globs {
        glob_inside(&cx.project.root, glob)?;
    }
    cx.sim.changed_anything = true;
    let mut effects = vec![
        Effect::Command {
            argv: argv(&resolved, &resolved.globs),
            cwd: None,
            shell: false,
        },
        Effect::Note {
            text: format!(
                "each file already on {} is skipped; the files are those matching when it runs",
                resolved.index
            ),
        },
    ];
    // Which login twine will use is the plan's credential note (`tokens::PypiLogin`).
    effects.extend(wait_note(cx.project, cx.variables));
    Ok(effects)
}

/// The distribution name a wheel's or sdist's file name starts with, normalized as PEP 503 does
/// (`My.Pkg` and `my_pkg` are `my-pkg`).
fn distribution(file: &str) -> String {
    let name = std::path::Path::new(file)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = if let Some(wheel) = name.strip_suffix(".whl") {
        wheel.split('-').next().unwrap_or_default().to_owned()
    } else {
        // An sdist: `NAME-VERSION.tar.gz`, where an old one's name may hold `-`.
        let base = name
            .strip_suffix(".tar.gz")
            .or_else(|| name.strip_suffix(".zip"))
            .unwrap_or(&name);
        base.rsplit_once('-')
            .map_or(base, |(name, _)| name)
            .to_owned()
    };
    normalize(&stem)
}

fn normalize(name: &str) -> String {
    let mut normal = String::new();
    for part in name.split(['-', '_', '.']).filter(|part| !part.is_empty()) {
        if !normal.is_empty() {
            normal.push('-');
        }
        normal.push_str(&part.to_ascii_lowercase());
    }
    normal
}

/// The files to upload (relative to the repository) and the package's name and version.
fn files(resolved: &Resolved, cx: &RunCx<'_>) -> Result<(Vec<String>, String, String), StepError> {
    let root = cx.root().to_owned();
    // In a run of several packages, this package's files only.
    let scoped = resolved
        .package
        .is_none()
        .then(|| super::order::package(cx.project))
        .flatten()
        .map(|package| package.name.clone());
    let mut files = Vec::new();
    for glob in &resolved.globs {
        glob_inside(&root, glob)?;
        for path in crate::kinds::commit::expand_globs(&root, std::slice::from_ref(glob))? {
            let text = path.display().to_string();
            inside(&root, &text, "the file to upload")?;
            let theirs = scoped
                .as_ref()
                .is_some_and(|name| distribution(&text) != normalize(name));
            if !theirs && !files.contains(&text) {
                files.push(text);
            }
        }
    }
    let Some(first) = files.first() else {
        let of = scoped
            .as_ref()
            .map(|name| format!(" of {name}"))
            .unwrap_or_default();
        return Err(
            StepError::new(format!("no file{of} matches {}", resolved.globs.join(", ")))
                .with_hint("build the distributions in a step before this one"),
        );
    };
    let stem = std::path::Path::new(first)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let from_name = stem.split('-').next().unwrap_or_default().to_owned();
    let package = resolved.package.clone().or(scoped).unwrap_or(from_name);
    let version = if cx.plan.version.is_empty() {
        stem.split('-')
            .nth(1)
            .unwrap_or_default()
            .trim_end_matches(".tar.gz")
            .to_owned()
    } else {
        cx.plan.version.clone()
    };
    Ok((files, package, version))
}

pub(super) fn execute(
    step: &PublishStep,
    info: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let resolved = resolve(step, &|template| cx.render(template))?;
    let (files, package, version) = files(&resolved, cx)?;
    let mut missing = Vec::new();
    for file in &files {
        if !all_there(
            &resolved,
            cx,
            std::slice::from_ref(file),
            &package,
            &version,
        )? {
            missing.push(file.clone());
        }
    }
    if missing.is_empty() {
        finish(cx, &package, &version, &resolved.registry, true);
        return Ok(Outcome::Done);
    }
    upload_once(cx, format!("{package}=={version}"), |cx| {
        upload(step, info, cx, &resolved, &missing)
    })?;
    // A dependent published next resolves this version on the index.
    if has_dependents(cx.project, &cx.plan.variables) {
        let index = RegistryRef::Pypi(resolved.index.clone());
        if let Some(reason) = wait_visible(cx, info, &index, &package, &version, None)? {
            return Ok(Outcome::Paused(format!(
                "{package} {version} was uploaded, but the index does not show it yet, and a package of this release depends on it: {reason}"
            )));
        }
    }
    finish(cx, &package, &version, &resolved.registry, false);
    Ok(Outcome::Done)
}

/// `twine upload` of `missing`.
fn upload(
    step: &PublishStep,
    info: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
    resolved: &Resolved,
    missing: &[String],
) -> Result<(), StepError> {
    let mut env = Vec::new();
    if let Some((_, token)) = first_secret(cx.env, &token_names(step)) {
        env.push(("TWINE_USERNAME".to_owned(), "__token__".to_owned()));
        env.push(("TWINE_PASSWORD".to_owned(), token.expose().to_owned()));
    }
    let root = cx.root().to_owned();
    run_command(
        &argv(resolved, missing),
        &root,
        &env,
        info.timeout,
        |line| {
            cx.output(line);
        },
    )?;
    Ok(())
}

fn all_there(
    resolved: &Resolved,
    cx: &RunCx<'_>,
    files: &[String],
    package: &str,
    version: &str,
) -> Result<bool, StepError> {
    let names: Vec<String> = files
        .iter()
        .filter_map(|file| std::path::Path::new(file).file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    let check =
        relman_remote::verify::pypi::PypiVerify::new(&resolved.index, package, version, &names)
            .map_err(|error| crate::clients::failed("cannot look at the index", error))?;
    let client = crate::clients::http(cx.project, cx.env);
    match check.check(&client) {
        Ok(relman_remote::wait::Poll::Ready(_)) => Ok(true),
        Ok(relman_remote::wait::Poll::Pending(_)) => Ok(false),
        Err(error) => Err(crate::clients::failed("cannot look at the index", error)),
    }
}

pub(super) fn published(step: &PublishStep, cx: &mut RunCx<'_>) -> Result<bool, StepError> {
    let resolved = resolve(step, &|template| cx.render(template))?;
    let (files, package, version) = files(&resolved, cx)?;
    let done = all_there(&resolved, cx, &files, &package, &version)?;
    if done {
        finish(cx, &package, &version, &resolved.registry, true);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_names_its_distribution_as_pep_503_normalizes_it() {
        assert_eq!(distribution("dist/my_pkg-1.2.0-py3-none-any.whl"), "my-pkg");
        assert_eq!(distribution("dist/my_pkg-1.2.0.tar.gz"), "my-pkg");
        assert_eq!(distribution("dist/Old.Name-2.0.tar.gz"), "old-name");
        assert_eq!(distribution("dist/old-name-2.0.zip"), "old-name");
        assert_eq!(normalize("My__Pkg"), "my-pkg");
    }

    #[test]
    fn no_registry_or_file_reads_as_an_option() {
        let resolved = Resolved {
            registry: "--config-file=/etc/x".to_owned(),
            index: String::new(),
            globs: Vec::new(),
            package: None,
        };
        let argv = argv(&resolved, &["--verbose".to_owned()]);
        assert_eq!(
            argv[argv.len() - 3..],
            ["--repository-url=--config-file=/etc/x", "--", "--verbose"]
        );
    }
}
