//! `publish = "gem"`: `gem push --host HOST` of the gem `build = "gem"` wrote for `{version}`
//! (`NAME-VERSION.gem` beside the gemspec in `path`), or of the `files` given, to `registry`
//! (a RubyGems host, default RubyGems.org). `gem` has no dry run: the plan shows the command
//! and the file. Each file is looked for on the host first (`GET /api/v1/versions/NAME.json`,
//! the version at the file's platform): one already there is not pushed again, which is also
//! what a resume after a crash inside the push asks. A file that does not name this gem at
//! this version (a gem built before the bump) is refused before anything is pushed.
//!
//! The key is `GEM_HOST_API_KEY` (or the variable `token-env` names), handed to `gem` in its
//! own environment, else what `gem signin` keeps in `~/.gem/credentials` (`tokens::GemLogin`
//! says which, and refuses when there is none).

use std::path::PathBuf;

use relman_remote::Secret;
use relman_remote::verify::registries::{RUBYGEMS_HOST, RegistryVersion};

use super::order::{has_dependents, wait_note, wait_visible};
use super::{PublishStep, RegistryRef, finish, first_secret, upload_once};
use crate::core::paths::{inside, package_folder, relative_to};
use crate::core::{Effect, Outcome, PlanCx, RunCx, StepError, StepInfo, run_command};
use crate::kinds::build::{gem_version, gemspec_name};
use crate::template::Template;

/// The variable `gem` itself reads the key from.
pub(super) const GEM_KEY: &str = "GEM_HOST_API_KEY";

struct Resolved {
    host: String,
    name: String,
    /// The version as RubyGems writes it (`1.3.0.pre.rc.1`).
    version: String,
    /// The files to push, relative to the repository: the globs of `files`, or the one gem
    /// `build = "gem"` writes.
    files: Files,
}

enum Files {
    Built(String),
    Globs(Vec<String>),
}

fn resolve(
    step: &PublishStep,
    project: &crate::project::Project,
    root: &std::path::Path,
    version: &str,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let PublishStep::Gem {
        path,
        files,
        registry,
        package,
        ..
    } = step
    else {
        unreachable!("a gem publish step");
    };
    let host = match registry {
        Some(registry) => render(registry)?,
        None => RUBYGEMS_HOST.to_owned(),
    };
    if !(host.starts_with("https://") || host.starts_with("http://")) {
        return Err(
            StepError::new(format!("`{host}` is not a RubyGems host URL"))
                .with_hint("write the host's root, e.g. `registry = \"https://rubygems.org\"`"),
        );
    }
    let folder = package_folder(root, project, path.as_ref().map(render).transpose()?)?;
    let name = match package {
        Some(package) => render(package)?,
        None => gemspec_name(&folder)?,
    };
    let version = gem_version(version);
    let files = if files.is_empty() {
        let file = relative_to(root, &folder.join(format!("{name}-{version}.gem")));
        Files::Built(file.display().to_string())
    } else {
        let globs = files.iter().map(render).collect::<Result<Vec<_>, _>>()?;
        for glob in &globs {
            super::pypi::glob_inside(root, glob)?;
        }
        Files::Globs(globs)
    };
    Ok(Resolved {
        host,
        name,
        version,
        files,
    })
}

impl Resolved {
    /// The files as they are now, each with the platform its name says (`ruby` when none).
    fn found(&self, root: &std::path::Path) -> Result<Vec<(String, String)>, StepError> {
        let files = match &self.files {
            Files::Built(file) => {
                inside(root, file, "the gem")?;
                if !root.join(file).is_file() {
                    return Err(StepError::new(format!("there is no `{file}` to push"))
                        .with_hint("build it in a step before this one (`build = \"gem\"`)"));
                }
                vec![file.clone()]
            }
            Files::Globs(globs) => {
                let mut files = Vec::new();
                for path in crate::kinds::commit::expand_globs(root, globs)? {
                    let text = path.display().to_string();
                    inside(root, &text, "the gem to push")?;
                    if !files.contains(&text) {
                        files.push(text);
                    }
                }
                if files.is_empty() {
                    return Err(
                        StepError::new(format!("no file matches {}", globs.join(", "))).with_hint(
                            "build the gem in a step before this one (`build = \"gem\"`)",
                        ),
                    );
                }
                files
            }
        };
        files
            .into_iter()
            .map(|file| {
                let platform = self.platform(&file)?;
                Ok((file, platform))
            })
            .collect()
    }

    /// The platform a file named `NAME-VERSION[-PLATFORM].gem` is for; an error when it is not
    /// this gem at this version.
    fn platform(&self, file: &str) -> Result<String, StepError> {
        let base = std::path::Path::new(file)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = format!("{}-{}", self.name, self.version);
        let rest = base
            .strip_prefix(&stem)
            .and_then(|rest| rest.strip_suffix(".gem"));
        match rest {
            Some("") => Ok("ruby".to_owned()),
            Some(platform) if platform.len() > 1 && platform.starts_with('-') => {
                Ok(platform[1..].to_owned())
            }
            _ => Err(StepError::new(format!(
                "`{file}` is not {} {}'s gem: its name should be `{stem}.gem` (or `{stem}-PLATFORM.gem`)",
                self.name, self.version
            ))
            .with_hint("build the gem after the version bump, or point `files` at this release's gem")),
        }
    }

    fn argv(&self, file: &str) -> Vec<String> {
        // `--host=URL`, and the file as `./FILE` (gem drops what follows `--`): nothing from
        // relman.toml reads as an option.
        let file = if file.starts_with('/') {
            file.to_owned()
        } else {
            format!("./{file}")
        };
        vec![
            "gem".to_owned(),
            "push".to_owned(),
            format!("--host={}", self.host),
            file,
        ]
    }
}

/// The variables a key is read from, first found first: `token-env`, then `GEM_HOST_API_KEY`
/// (once, when `token-env` names it).
pub(super) fn token_names(step: &PublishStep) -> Vec<&str> {
    match step {
        PublishStep::Gem {
            token_env: Some(name),
            ..
        } if name != GEM_KEY => vec![name.as_str(), GEM_KEY],
        _ => vec![GEM_KEY],
    }
}

/// The key the step sends, when a variable holds one (else `gem` reads its credentials file).
fn token(step: &PublishStep, env: &crate::environment::Environment) -> Option<Secret> {
    first_secret(env, &token_names(step)).map(|(_, secret)| secret)
}

pub(super) fn preview(
    step: &PublishStep,
    _info: &StepInfo<'_>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let version = cx
        .variables
        .get_key("version")
        .unwrap_or_default()
        .to_owned();
    let resolved = resolve(step, cx.project, &cx.project.root, &version, &|template| {
        cx.render_strict(template)
    })?;
    cx.sim.changed_anything = true;
    let shown = match &resolved.files {
        Files::Built(file) => vec![file.clone()],
        Files::Globs(globs) => globs.clone(),
    };
    let mut effects: Vec<Effect> = shown
        .iter()
        .map(|file| Effect::Command {
            argv: resolved.argv(file),
            cwd: None,
            shell: false,
        })
        .collect();
    effects.push(Effect::Note {
        text: format!(
            "pushes {} {} to {} unless the host lists it already (`gem` has no dry run: the file is the one there when the step runs)",
            resolved.name, resolved.version, resolved.host
        ),
    });
    // Which key `gem` will use is the plan's credential note (`tokens::GemLogin`).
    effects.extend(wait_note(cx.project, cx.variables));
    Ok(effects)
}

/// Whether the host lists the gem's version at `platform`.
fn listed(
    cx: &RunCx<'_>,
    resolved: &Resolved,
    platform: &str,
    token: Option<Secret>,
) -> Result<bool, StepError> {
    let client = crate::clients::http(cx.project, cx.env);
    let looking = |error| {
        crate::clients::failed(
            &format!("cannot look for {} {}", resolved.name, resolved.version),
            error,
        )
    };
    RegistryVersion::gem(&resolved.host, &resolved.name, &resolved.version, token)
        .map(|check| check.platform(platform))
        .and_then(|check| check.visible(&client))
        .map_err(looking)
}

pub(super) fn execute(
    step: &PublishStep,
    info: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let root = cx.root().to_owned();
    let version = cx.plan.version.clone();
    let resolved = resolve(step, cx.project, &root, &version, &|template| {
        cx.render(template)
    })?;
    let found = resolved.found(&root)?;
    let token = token(step, cx.env);
    let mut missing = Vec::new();
    for (file, platform) in &found {
        if !listed(cx, &resolved, platform, token.clone())? {
            missing.push((file.clone(), platform.clone()));
        }
    }
    if missing.is_empty() {
        finish(cx, &resolved.name, &resolved.version, &resolved.host, true);
        return Ok(Outcome::Done);
    }
    let key = format!("{}-{}", resolved.name, resolved.version);
    upload_once(cx, key, |cx| {
        for (file, platform) in &missing {
            push(step, info, cx, &resolved, file, platform)?;
        }
        Ok(())
    })?;
    // A dependent published next resolves this version on the host.
    if has_dependents(cx.project, &cx.plan.variables) {
        let registry = RegistryRef::Gem(resolved.host.clone());
        if let Some(reason) = wait_visible(
            cx,
            info,
            &registry,
            &resolved.name,
            &resolved.version,
            token,
        )? {
            return Ok(Outcome::Paused(format!(
                "{} {} was pushed, but the host does not list it yet, and a package of this release depends on it: {reason}",
                resolved.name, resolved.version
            )));
        }
    }
    finish(cx, &resolved.name, &resolved.version, &resolved.host, false);
    Ok(Outcome::Done)
}

/// `gem push` of one file; an error unless the host lists it afterwards.
fn push(
    step: &PublishStep,
    info: &StepInfo<'_>,
    cx: &mut RunCx<'_>,
    resolved: &Resolved,
    file: &str,
    platform: &str,
) -> Result<(), StepError> {
    let mut env = Vec::new();
    // `gem` reads the key from its own environment: handed over, never written.
    if let Some((_, key)) = first_secret(cx.env, &token_names(step)) {
        env.push((GEM_KEY.to_owned(), key.expose().to_owned()));
    }
    let root: PathBuf = cx.root().to_owned();
    let ran = run_command(&resolved.argv(file), &root, &env, info.timeout, |line| {
        cx.output(line);
    });
    if let Err(error) = ran {
        // A push the host took before `gem` failed (a lost answer, a repush refused) is pushed.
        if !listed(cx, resolved, platform, token(step, cx.env))? {
            return Err(error);
        }
        cx.output(&format!(
            "gem push failed, but {} lists {} {}: it is pushed",
            resolved.host, resolved.name, resolved.version
        ));
    }
    Ok(())
}

pub(super) fn published(step: &PublishStep, cx: &mut RunCx<'_>) -> Result<bool, StepError> {
    let root = cx.root().to_owned();
    let version = cx.plan.version.clone();
    let resolved = resolve(step, cx.project, &root, &version, &|template| {
        cx.render(template)
    })?;
    // The gem `build` writes is for the `ruby` platform, there or not; globs need their files.
    let platforms: Vec<String> = match &resolved.files {
        Files::Built(_) => vec!["ruby".to_owned()],
        Files::Globs(_) => match resolved.found(&root) {
            Ok(found) => found.into_iter().map(|(_, platform)| platform).collect(),
            Err(_) => return Ok(false),
        },
    };
    let token = token(step, cx.env);
    for platform in &platforms {
        if !listed(cx, &resolved, platform, token.clone())? {
            return Ok(false);
        }
    }
    finish(cx, &resolved.name, &resolved.version, &resolved.host, true);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved() -> Resolved {
        Resolved {
            host: "--config-file=/etc/x".to_owned(),
            name: "greeter".to_owned(),
            version: "1.3.0.pre.rc.1".to_owned(),
            files: Files::Globs(Vec::new()),
        }
    }

    #[test]
    fn a_file_names_its_platform_or_is_refused() {
        let resolved = resolved();
        assert_eq!(
            resolved.platform("pkg/greeter-1.3.0.pre.rc.1.gem").unwrap(),
            "ruby"
        );
        assert_eq!(
            resolved
                .platform("greeter-1.3.0.pre.rc.1-x86_64-linux.gem")
                .unwrap(),
            "x86_64-linux"
        );
        // Built before the bump, or another gem whose name starts the same.
        let old = resolved.platform("greeter-1.2.3.gem").unwrap_err();
        assert!(
            old.message.contains("is not greeter 1.3.0.pre.rc.1's gem"),
            "{}",
            old.message
        );
        assert!(resolved.platform("greeter-1.3.0.pre.rc.1-.gem").is_err());
        assert!(resolved.platform("greeter-1.3.0.pre.rc.10.gem").is_err());
    }

    #[test]
    fn no_host_or_file_reads_as_an_option() {
        let argv = resolved().argv("--key=x.gem");
        assert_eq!(argv[2..], ["--host=--config-file=/etc/x", "./--key=x.gem"]);
    }
}
