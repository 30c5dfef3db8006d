//! `build = "python" | "npm" | "cargo" | "gem"`: the release's artifacts, built by the ecosystem's own
//! tool, and checked to be this release's. A `run = "python -m build"` step cannot tell that
//! the wheel it wrote carries the old version (a version file the bump left out); this kind
//! knows the file names the tool writes for `{version}` and fails, naming what it found
//! instead, when they are not there. The plan shows the command and the files it expects.
//!
//! - `python`: `python3 -m build --outdir OUT` (`isolation = false` adds `--no-isolation`, for
//!   a build backend installed beforehand): `OUT/NAME-VERSION.tar.gz` and
//!   `OUT/NAME-VERSION-*.whl`, NAME from `[project] name` normalised (PEP 625), VERSION in
//!   PEP 440's normal form.
//! - `npm`: `npm pack --pack-destination OUT`: `OUT/NAME-VERSION.tgz` (`@scope/name` →
//!   `scope-name`).
//! - `cargo`: `cargo package --allow-dirty --package NAME` (the bump is often not committed
//!   yet): `TARGET/package/NAME-VERSION.crate`, TARGET being `CARGO_TARGET_DIR` or the
//!   workspace's `target`.
//! - `gem`: `gem build NAME.gemspec` (the one gemspec in the folder): `NAME-VERSION.gem` beside
//!   it (a pre-release `1.3.0-rc.1` is RubyGems' `1.3.0.pre.rc.1`).
//!
//! `path` is the package's folder (default the repository's top; in a run of several packages,
//! each package's own folder); `out` the folder the artifacts go to (default `dist` in it; not
//! for cargo). Building again is harmless, so a resume builds again (no probe).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, Options, PACKAGE_PATH, Reported};
use crate::core::paths::{inside, package_folder};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
    run_command,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Python,
    Npm,
    Cargo,
    Gem,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildStep {
    pub ecosystem: Ecosystem,
    pub path: Option<Template>,
    pub out: Option<Template>,
    /// Python only: build in an isolated environment (the default), as `build` does.
    pub isolation: bool,
}

const ECOSYSTEMS: &[&str] = &["python", "npm", "cargo", "gem"];

impl Kind for BuildStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["path", "out"],
        values: ECOSYSTEMS,
        options: &[
            PACKAGE_PATH,
            OptionSpec::string("out").about(
                "Where the artifacts go, in the package's folder (default `dist`; not for cargo, which writes into its target directory).",
            ),
            OptionSpec::flag("isolation").about(
                "On `build = \"python\"`: `false` builds with the backend already installed (`--no-isolation`).",
            ),
        ],
        outputs: &["files"],
        per_package: true,
        ..KindSpec::new(
            "build",
            "build the release's artifacts with the ecosystem's tool and check they carry its version",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("build").ok_or(Reported)?;
        let ecosystem = match options.one_of(&value, "build", ECOSYSTEMS)? {
            "python" => Ecosystem::Python,
            "npm" => Ecosystem::Npm,
            "cargo" => Ecosystem::Cargo,
            _ => Ecosystem::Gem,
        };
        let out = options.template("out")?;
        if ecosystem == Ecosystem::Cargo && out.is_some() {
            return Err(options.error_hint(
                options.whole(),
                "`build = \"cargo\"` writes into cargo's target directory: `out` does not apply",
                "remove `out`; set `CARGO_TARGET_DIR` to move cargo's target directory",
            ));
        }
        if ecosystem == Ecosystem::Gem && out.is_some() {
            return Err(options.error_hint(
                options.whole(),
                "`build = \"gem\"` writes the gem beside its gemspec: `out` does not apply",
                "remove `out`",
            ));
        }
        let isolation = options.flag("isolation");
        if ecosystem != Ecosystem::Python && isolation.is_some() {
            return Err(options.error_hint(
                options.whole(),
                "`isolation` is an option of `build = \"python\"` only",
                "remove `isolation`",
            ));
        }
        Ok(BuildStep {
            ecosystem,
            path: options.template("path")?,
            out,
            isolation: isolation.unwrap_or(true),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("path", &self.path)
            .opt("out", &self.out)
            .list()
    }

    fn describe(&self, _variables: &Variables) -> String {
        format!("build the {} artifacts", self.name())
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let folder = self
            .path
            .as_ref()
            .map_or_else(|| "the package's folder".to_owned(), show_code);
        Explained::new(format!(
            "Build the {} artifacts in {folder} and check that they carry the release's version.",
            self.name()
        ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let version = version(cx.variables);
        let root = cx.project.root.clone();
        let build = self.resolve(&root, cx.project, &|template| cx.render_strict(template))?;
        let expected = build.expected(&version, &environment(cx.env));
        Ok(vec![
            Effect::Command {
                argv: build.argv.clone(),
                cwd: relative(&root, &build.folder),
                shell: false,
            },
            Effect::Note {
                text: format!("expects {}", shown(&root, &expected)),
            },
        ])
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let version = version(&cx.variables());
        let root = cx.root().to_path_buf();
        let build = self.resolve(&root, cx.project, &|template| cx.render(template))?;
        let env = environment(cx.env);
        let expected = build.expected(&version, &env);
        if let Some(out) = &build.out {
            fs_err::create_dir_all(out).map_err(|error| StepError::new(error.to_string()))?;
        }
        run_command(&build.argv, &build.folder, &env, step.timeout, |line| {
            cx.output(line);
        })?;
        let mut files = Vec::new();
        for artifact in &expected {
            match artifact.find()? {
                Some(found) => files.push(found),
                None => {
                    return Err(StepError::new(format!(
                        "`{}` did not write {}{}",
                        shell_words::join(&build.argv),
                        relative_text(&root, &artifact.shown()),
                        artifact.others(&root)
                    ))
                    .with_hint(format!(
                        "the package does not hold version {version}: add the file that holds it to `version-files` so that `bump` writes it"
                    )));
                }
            }
        }
        let files: Vec<String> = files
            .iter()
            .map(|file| relative_text(&root, file))
            .collect();
        cx.output(&format!("built {}", files.join(", ")));
        cx.set_output("files", files.join(" "));
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::NotDone)
    }
}

/// What a build step runs, where, and where its artifacts go.
struct Resolved {
    ecosystem: Ecosystem,
    /// The work tree's top.
    root: PathBuf,
    folder: PathBuf,
    argv: Vec<String>,
    /// The artifacts' folder (python, npm); cargo's is its target directory.
    out: Option<PathBuf>,
    /// The package's name as its manifest says.
    name: String,
}

/// One artifact the build must write: an exact file, or a file name with one `*`.
struct Artifact {
    folder: PathBuf,
    prefix: String,
    suffix: Option<String>,
}

impl BuildStep {
    fn name(&self) -> &'static str {
        match self.ecosystem {
            Ecosystem::Python => "Python",
            Ecosystem::Npm => "npm",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Gem => "gem",
        }
    }

    fn resolve(
        &self,
        root: &Path,
        project: &crate::project::Project,
        render: &dyn Fn(&Template) -> Result<String, StepError>,
    ) -> Result<Resolved, StepError> {
        let folder = package_folder(root, project, self.path.as_ref().map(render).transpose()?)?;
        let out = match &self.out {
            Some(out) => {
                let out = render(out)?;
                let within = folder.strip_prefix(root).unwrap_or(Path::new(""));
                Some(inside(
                    root,
                    &within.join(out).to_string_lossy(),
                    "the artifacts' folder",
                )?)
            }
            None => Some(folder.join("dist")),
        };
        let out_arg = |out: &Option<PathBuf>| {
            out.as_ref()
                .map(|out| out.display().to_string())
                .unwrap_or_default()
        };
        Ok(match self.ecosystem {
            Ecosystem::Python => {
                let name = plain_name(python_name(&folder)?, "pyproject.toml")?;
                let mut argv: Vec<String> = ["python3", "-m", "build"].map(String::from).into();
                argv.push(format!("--outdir={}", out_arg(&out)));
                if !self.isolation {
                    argv.push("--no-isolation".to_owned());
                }
                Resolved {
                    ecosystem: Ecosystem::Python,
                    root: root.to_path_buf(),
                    folder,
                    argv,
                    out,
                    name,
                }
            }
            Ecosystem::Npm => {
                // (`@scope/name` is flattened to `scope-name` in the file name.)
                let name = json_name(&folder)?;
                let argv = vec![
                    "npm".to_owned(),
                    "pack".to_owned(),
                    format!("--pack-destination={}", out_arg(&out)),
                ];
                Resolved {
                    ecosystem: Ecosystem::Npm,
                    root: root.to_path_buf(),
                    folder,
                    argv,
                    out,
                    name,
                }
            }
            Ecosystem::Gem => {
                let name = gemspec_name(&folder)?;
                let argv = vec![
                    "gem".to_owned(),
                    "build".to_owned(),
                    // `./`: a file named like an option (`--output=….gemspec`) is still a file.
                    format!("./{name}.gemspec"),
                ];
                Resolved {
                    ecosystem: Ecosystem::Gem,
                    root: root.to_path_buf(),
                    folder,
                    argv,
                    out: None,
                    name,
                }
            }
            Ecosystem::Cargo => {
                let name = plain_name(cargo_name(&folder)?, "Cargo.toml")?;
                let argv = vec![
                    "cargo".to_owned(),
                    "package".to_owned(),
                    "--allow-dirty".to_owned(),
                    format!("--package={name}"),
                ];
                Resolved {
                    ecosystem: Ecosystem::Cargo,
                    root: root.to_path_buf(),
                    folder,
                    argv,
                    out: None,
                    name,
                }
            }
        })
    }
}

impl Resolved {
    /// The files the tool writes for `version`.
    fn expected(&self, version: &str, env: &[(String, String)]) -> Vec<Artifact> {
        let exact = |folder: &Path, file: String| Artifact {
            folder: folder.to_path_buf(),
            prefix: file,
            suffix: None,
        };
        match self.ecosystem {
            Ecosystem::Python => {
                let out = self.out.clone().unwrap_or_default();
                let stem = format!("{}-{}", self.name, pep440(version));
                vec![
                    exact(&out, format!("{stem}.tar.gz")),
                    Artifact {
                        folder: out,
                        prefix: format!("{stem}-"),
                        suffix: Some(".whl".to_owned()),
                    },
                ]
            }
            Ecosystem::Npm => {
                let flat = self.name.trim_start_matches('@').replace('/', "-");
                let out = self.out.clone().unwrap_or_default();
                vec![exact(&out, format!("{flat}-{version}.tgz"))]
            }
            Ecosystem::Gem => vec![exact(
                &self.folder,
                format!("{}-{}.gem", self.name, gem_version(version)),
            )],
            Ecosystem::Cargo => {
                let target = cargo_target(&self.root, &self.folder, env);
                vec![exact(
                    &target.join("package"),
                    format!("{}-{version}.crate", self.name),
                )]
            }
        }
    }
}

impl Artifact {
    fn shown(&self) -> PathBuf {
        match &self.suffix {
            Some(suffix) => self.folder.join(format!("{}*{suffix}", self.prefix)),
            None => self.folder.join(&self.prefix),
        }
    }

    fn find(&self) -> Result<Option<PathBuf>, StepError> {
        let Some(suffix) = &self.suffix else {
            let path = self.folder.join(&self.prefix);
            return Ok(path.is_file().then_some(path));
        };
        Ok(self.names().into_iter().find_map(|name| {
            (name.starts_with(&self.prefix) && name.ends_with(suffix.as_str()))
                .then(|| self.folder.join(name))
        }))
    }

    /// What the folder holds instead, for the error.
    fn others(&self, root: &Path) -> String {
        let names = self.names();
        if names.is_empty() {
            return String::new();
        }
        let shown: Vec<String> = names
            .iter()
            .take(8)
            .map(|name| relative_text(root, &self.folder.join(name)))
            .collect();
        format!("; the folder holds {}", shown.join(", "))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs_err::read_dir(&self.folder)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|entry| entry.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// The environment relman runs in, handed to the tool (a test's variables are not the
/// process's).
fn environment(env: &crate::environment::Environment) -> Vec<(String, String)> {
    env.vars()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

fn version(variables: &Variables) -> String {
    variables.get_key("version").unwrap_or_default().to_owned()
}

/// `version` in PEP 440's normal form, as build tools write it into file names.
fn pep440(version: &str) -> String {
    relman_version::scheme::Scheme::Pep440
        .parse(version)
        .map_or_else(|_| version.to_owned(), |parsed| parsed.to_string())
}

fn manifest_text(folder: &Path, file: &str) -> Result<String, StepError> {
    relman_version::files::read_text_bounded(
        &folder.join(file),
        relman_version::files::bounded::MAX_VERSION_FILE,
    )
    .map_err(|error| {
        StepError::new(format!("cannot read the package's `{file}`: {error}"))
            .with_hint(format!("point `path` at the folder holding `{file}`"))
    })
}

/// `[project] name`, normalised as sdists and wheels spell it (PEP 625).
fn python_name(folder: &Path) -> Result<String, StepError> {
    let text = manifest_text(folder, "pyproject.toml")?;
    let value: toml::Table = toml::from_str(&text)
        .map_err(|error| StepError::new(format!("`pyproject.toml` is not TOML: {error}")))?;
    let name = value
        .get("project")
        .and_then(|project| project.get("name"))
        .and_then(toml::Value::as_str)
        .ok_or_else(|| StepError::new("`pyproject.toml` has no `[project] name`"))?;
    let mut normal = String::new();
    for character in name.chars() {
        if matches!(character, '-' | '_' | '.') {
            if !normal.ends_with('_') {
                normal.push('_');
            }
        } else {
            normal.push(character.to_ascii_lowercase());
        }
    }
    Ok(normal)
}

/// A version as RubyGems writes it: a pre-release `1.3.0-rc.1` is `1.3.0.pre.rc.1` (what
/// `Gem::Version` makes of it, in the gem's file name and on the registry).
pub(crate) fn gem_version(version: &str) -> String {
    version.replacen('-', ".pre.", 1)
}

/// The gem's name: the stem of the one `NAME.gemspec` in `folder` (the name its `spec.name`
/// gives, by RubyGems' convention).
pub(crate) fn gemspec_name(folder: &Path) -> Result<String, StepError> {
    let names = relman_version::files::gemspecs(folder);
    match names.as_slice() {
        [name] => Ok(name.clone()),
        [] => Err(
            StepError::new(format!("`{}` holds no `.gemspec`", folder.display()))
                .with_hint("point `path` at the gem's folder"),
        ),
        _ => Err(StepError::new(format!(
            "`{}` holds several gemspecs ({})",
            folder.display(),
            names.join(", ")
        ))
        .with_hint("one `build` step per gem, each with `path` at a folder holding one gemspec")),
    }
}

/// A package name as a file name's part: no folder separator, no leading dot (a manifest
/// arrives with the clone, and the name says which file the build must have written).
fn plain_name(name: String, manifest: &str) -> Result<String, StepError> {
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\', '\0']) {
        return Err(StepError::new(format!(
            "`{manifest}` names the package `{}`, which is no package name",
            name.escape_debug()
        ))
        .with_hint("a package's name has no `/`, `\\` or leading `.`"));
    }
    Ok(name)
}

fn json_name(folder: &Path) -> Result<String, StepError> {
    let text = manifest_text(folder, "package.json")?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| StepError::new(format!("`package.json` is not JSON: {error}")))?;
    value["name"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| StepError::new("`package.json` has no `name`"))
}

fn cargo_name(folder: &Path) -> Result<String, StepError> {
    let text = manifest_text(folder, "Cargo.toml")?;
    let value: toml::Table = toml::from_str(&text)
        .map_err(|error| StepError::new(format!("`Cargo.toml` is not TOML: {error}")))?;
    value
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            StepError::new("`Cargo.toml` has no `[package] name`")
                .with_hint("point `path` at the crate's folder")
        })
}

/// Cargo's target directory for the crate in `folder`: `CARGO_TARGET_DIR` (or
/// `CARGO_BUILD_TARGET_DIR`), else `target` in the workspace's folder (the nearest folder up to
/// the repository's top whose `Cargo.toml` has `[workspace]`), else in the crate's. Found
/// without running cargo: the plan runs nothing of the repository's (a `rust-toolchain.toml`
/// could name any program as cargo).
fn cargo_target(root: &Path, folder: &Path, env: &[(String, String)]) -> PathBuf {
    let named = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .iter()
        .find_map(|name| env.iter().find(|(known, _)| known == name))
        .map(|(_, value)| PathBuf::from(value));
    if let Some(named) = named {
        return if named.is_absolute() {
            named
        } else {
            folder.join(named)
        };
    }
    let workspace = folder
        .ancestors()
        .take_while(|ancestor| ancestor.starts_with(root))
        .find(|ancestor| {
            manifest_text(ancestor, "Cargo.toml")
                .ok()
                .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
                .is_some_and(|manifest| manifest.contains_key("workspace"))
        })
        .unwrap_or(folder);
    workspace.join("target")
}

fn relative(root: &Path, path: &Path) -> Option<PathBuf> {
    path.strip_prefix(root)
        .ok()
        .filter(|within| !within.as_os_str().is_empty())
        .map(Path::to_path_buf)
}

fn relative_text(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn shown(root: &Path, expected: &[Artifact]) -> String {
    let files: Vec<String> = expected
        .iter()
        .map(|artifact| format!("`{}`", relative_text(root, &artifact.shown())))
        .collect();
    files.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_use_the_normal_forms_build_tools_write() {
        assert_eq!(pep440("1.3.0-rc.1"), "1.3.0rc1");
        assert_eq!(pep440("2.0.0.dev0"), "2.0.0.dev0");
        assert_eq!(pep440("v1.2"), "1.2");
        let folder = tempfile::tempdir().unwrap();
        fs_err::write(
            folder.path().join("pyproject.toml"),
            "[project]\nname = \"Zope.Interface--Extra\"\n",
        )
        .unwrap();
        assert_eq!(python_name(folder.path()).unwrap(), "zope_interface_extra");
        // A name that would lead the expected file elsewhere is refused.
        for name in ["../../etc/passwd", "..", "a\\b", ""] {
            assert!(plain_name(name.to_owned(), "Cargo.toml").is_err(), "{name}");
        }
        assert_eq!(
            plain_name("acme_widget".to_owned(), "Cargo.toml").unwrap(),
            "acme_widget"
        );
    }

    #[test]
    fn cargo_writes_into_the_workspace_target_unless_told_otherwise() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        fs_err::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"crates/a\"]\n",
        )
        .unwrap();
        let member = root.join("crates/a");
        fs_err::create_dir_all(&member).unwrap();
        fs_err::write(member.join("Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(cargo_target(root, &member, &[]), root.join("target"));
        let env = [("CARGO_TARGET_DIR".to_owned(), "/tmp/t".to_owned())];
        assert_eq!(cargo_target(root, &member, &env), PathBuf::from("/tmp/t"));
        // A lone crate: its own `target`.
        fs_err::write(root.join("Cargo.toml"), "[package]\nname = \"top\"\n").unwrap();
        assert_eq!(cargo_target(root, &member, &[]), member.join("target"));
    }
}
