//! `homebrew = "Formula/NAME.rb"`: point a Homebrew formula at the release, in a tap checkout
//! (`dir`, cloned from `clone` when missing): its `url`, the `sha256` of what that URL serves
//! (downloaded when the step runs, or computed from a local `file` of the repository, such as the
//! tarball a build step made), and its `version` when given and the formula has one.
//!
//! Only the values' bytes change: the formula's main `url` (the least indented one, so a
//! `resource`'s is left alone), the `sha256 "…"` that follows it at the same indentation (never
//! the bottle block's), and `version "…"`. A later `commit` in the same `dir` stages it.

use std::path::{Path, PathBuf};

use relman_remote::RequestDescription;
use relman_version::files::write_atomic;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clients::{self, failed};
use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::paths::{inside, relative_to};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomebrewStep {
    pub formula: Template,
    pub url: Template,
    /// A file of the repository whose SHA-256 is the formula's (else the URL is downloaded).
    pub file: Option<Template>,
    pub version: Option<Template>,
}

const FILE: &str = "On `homebrew`: a file of the repository (the release tarball) whose SHA-256 the formula gets, instead of downloading `url`.";

impl Kind for HomebrewStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["homebrew", "file"],
        options: &[
            OptionSpec::string("url"),
            OptionSpec::string("file").about(FILE),
            OptionSpec::string("version"),
        ],
        in_checkout: true,
        plans_its_files: true,
        outputs: &["sha256", "url"],
        ..KindSpec::new(
            "homebrew",
            "point a Homebrew formula at the release: url, sha256, version",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(HomebrewStep {
            formula: options.required("homebrew", "\"Formula/{project}.rb\"")?,
            url: options.required(
                "url",
                "\"https://github.com/OWNER/REPO/archive/refs/tags/{tag}.tar.gz\"",
            )?,
            file: options.template("file")?,
            version: options.template("version")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("homebrew", &self.formula)
            .one("url", &self.url)
            .opt("file", &self.file)
            .opt("version", &self.version)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        format!("update formula {}", self.formula.render_partial(variables))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Point the Homebrew formula {} at {}.",
            show_code(&self.formula),
            show_code(&self.url)
        ))
        .detail(match &self.file {
            Some(file) => format!("Its sha256 is that of {}.", show_code(file)),
            None => "Its sha256 is that of the file the URL serves, downloaded when the step runs."
                .to_owned(),
        })
        .detail_if(
            self.version.is_some(),
            format!(
                "Its version: {}.",
                self.version.as_ref().map(show_code).unwrap_or_default()
            ),
        )
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        if let Some(file) = &self.file
            && let Ok(file) = cx.render_strict(file)
        {
            inside(&cx.project.root, &file, "the tarball")?;
        }
        // The formula is a file a later `commit` in that work tree takes.
        cx.sim.changed_anything = true;
        cx.sim.touch(PathBuf::from(cx.render(&self.formula)));
        let url = cx.render(&self.url);
        let client = clients::http(cx.project, cx.env);
        let mut effects = vec![Effect::Note {
            text: format!(
                "set the `url` of `{}` to {url}, its `sha256` to that of {}{}",
                cx.render(&self.formula),
                self.file.as_ref().map_or_else(
                    || "the download".to_owned(),
                    |file| format!("`{}`", cx.render(file))
                ),
                self.version
                    .as_ref()
                    .map(|version| format!(", its `version` to {}", cx.render(version)))
                    .unwrap_or_default()
            ),
        }];
        if self.file.is_none() {
            effects.push(clients::http_effect(
                &client.render(&RequestDescription::get(url)),
                &clients::redactor(cx.project, cx.env),
            ));
        }
        Ok(effects)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let (root, relative) = self.target(cx)?;
        let url = cx.render(&self.url)?;
        check_ruby_string(&url)?;
        let sha256 = match cx.context_value("sha256") {
            Some(sha) => sha.to_owned(),
            None => {
                let sha = self.checksum(cx, &url, step.timeout)?;
                cx.set_context("sha256", sha.clone());
                cx.save()?;
                sha
            }
        };
        let version = self
            .version
            .as_ref()
            .map(|version| cx.render(version))
            .transpose()?;
        if let Some(version) = &version {
            check_ruby_string(version)?;
        }
        let path = root.join(&relative);
        let before = relman_version::files::read_text_bounded(
            &path,
            relman_version::files::bounded::MAX_VERSION_FILE,
        )
        .map_err(|error| StepError::new(format!("cannot read the formula: {error}")))?;
        let after =
            edit_formula(&before, &url, &sha256, version.as_deref()).map_err(|message| {
                StepError::new(format!("`{}`: {message}", relative.display())).with_hint(
                    "the formula needs a `url \"…\"` line and a `sha256 \"…\"` line after it",
                )
            })?;
        cx.set_output("sha256", sha256.clone());
        cx.set_output("url", url.clone());
        if after == before {
            cx.output(&format!("{} points at {url} already", relative.display()));
            return Ok(Outcome::Done);
        }
        cx.push_undo(Undo::restore_file(
            relative_to(&cx.project.root, &path),
            Some(before),
            Some(after.as_bytes()),
        ));
        cx.record_changed(std::slice::from_ref(&relative));
        cx.save()?;
        write_atomic(&path, after.as_bytes())?;
        cx.output(&format!("{}: {url} ({sha256})", relative.display()));
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(sha256) = cx.context_value("sha256").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        let (root, relative) = self.target(cx)?;
        let url = cx.render(&self.url)?;
        let version = self
            .version
            .as_ref()
            .map(|version| cx.render(version))
            .transpose()?;
        let text = relman_version::files::read_text_bounded(
            &root.join(&relative),
            relman_version::files::bounded::MAX_VERSION_FILE,
        )
        .unwrap_or_default();
        Ok(
            match edit_formula(&text, &url, &sha256, version.as_deref()) {
                Ok(after) if after == text => {
                    cx.set_output("sha256", sha256);
                    cx.set_output("url", url);
                    Probe::Done
                }
                _ => Probe::NotDone,
            },
        )
    }
}

impl HomebrewStep {
    /// The tap's work tree (resolved) and the formula in it.
    fn target(&self, cx: &RunCx<'_>) -> Result<(PathBuf, PathBuf), StepError> {
        let relative = cx.render(&self.formula)?;
        let full = inside(cx.root(), &relative, "the formula")?;
        let root = fs_err::canonicalize(cx.root())
            .map_err(|error| StepError::new(format!("cannot read the tap: {error}")))?;
        let relative = full
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .unwrap_or(full.clone());
        Ok((root, relative))
    }

    /// The SHA-256 of the local file, or of what the URL serves.
    fn checksum(
        &self,
        cx: &mut RunCx<'_>,
        url: &str,
        timeout: Option<std::time::Duration>,
    ) -> Result<String, StepError> {
        let path = match &self.file {
            Some(file) => inside(&cx.project.root, &cx.render(file)?, "the tarball")?,
            None => {
                let folder = tempfile::tempdir().map_err(|error| {
                    StepError::new(format!("cannot make a place to download to: {error}"))
                })?;
                let path = folder.path().join("download");
                clients::http_with_timeout(cx.project, cx.env, timeout)
                    .download(&RequestDescription::get(url), &path)
                    .map_err(|error| failed(&format!("cannot download {url}"), error))?;
                let sha = sha256_of(&path)?;
                cx.output(&format!("downloaded {url}: sha256 {sha}"));
                return Ok(sha);
            }
        };
        sha256_of(&path)
    }
}

/// A value written inside a formula's double-quoted Ruby string: no quote, backslash, line
/// break or `#{` (Ruby would run what is inside it when brew loads the formula).
fn check_ruby_string(value: &str) -> Result<(), StepError> {
    if value.contains(['"', '\\', '\n', '\r']) || value.contains("#{") {
        return Err(
            StepError::new(format!("`{value}` cannot be written in a formula")).with_hint(
                "a formula's values are Ruby strings: no quotes, backslashes, line breaks or `#{`",
            ),
        );
    }
    Ok(())
}

/// Streamed, from a regular file only: a tarball may be large, and a link to a device must not
/// be read for ever.
fn sha256_of(path: &Path) -> Result<String, StepError> {
    let cannot = |error: std::io::Error| {
        StepError::new(format!("cannot read the tarball: {error}"))
            .with_hint("build it in a step before this one")
    };
    let mut input = relman_version::files::bounded::open_regular(path).map_err(cannot)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut input, &mut hasher).map_err(cannot)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// The formula with its main `url`, the `sha256` after it and (when given and present) its
/// `version` set; only the quoted values change.
pub fn edit_formula(
    text: &str,
    url: &str,
    sha256: &str,
    version: Option<&str>,
) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let value_of = |line: &str, key: &str| -> Option<(usize, usize)> {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(key)?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let open = line.find('"')?;
        let close = open + 1 + line[open + 1..].find('"')?;
        // Nothing but spaces between the key and its string.
        line[indent(line) + key.len()..open]
            .trim()
            .is_empty()
            .then_some((open + 1, close))
    };
    let url_line = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| value_of(line, "url").is_some())
        .min_by_key(|(index, line)| (indent(line), *index))
        .map(|(index, _)| index)
        .ok_or("no `url \"…\"` line")?;
    let level = indent(lines[url_line]);
    let sha_line = lines[url_line + 1..]
        .iter()
        .position(|line| indent(line) == level && value_of(line, "sha256").is_some())
        .map(|offset| url_line + 1 + offset)
        .ok_or("no `sha256 \"…\"` line after the `url`")?;
    let version_line = lines
        .iter()
        .position(|line| indent(line) == level && value_of(line, "version").is_some());
    let mut out: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
    let mut set = |index: usize, key: &str, value: &str| {
        if let Some((start, end)) = value_of(lines[index], key) {
            out[index] = format!("{}{value}{}", &lines[index][..start], &lines[index][end..]);
        }
    };
    set(url_line, "url", url);
    set(sha_line, "sha256", sha256);
    if let (Some(index), Some(version)) = (version_line, version) {
        set(index, "version", version);
    }
    Ok(out.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMULA: &str = "class Greeter < Formula\n  desc \"Greets\"\n  homepage \"https://example.org\"\n  url \"https://example.org/greeter-1.0.tar.gz\"\n  sha256 \"aaaa\"\n  license \"MIT\"\n\n  bottle do\n    sha256 cellar: :any, arm64_sonoma: \"bbbb\"\n  end\n\n  resource \"dep\" do\n    url \"https://example.org/dep.tar.gz\"\n    sha256 \"cccc\"\n  end\nend\n";

    #[test]
    fn values_that_would_be_ruby_code_are_refused() {
        for bad in ["https://x/#{system('id')}", "a\"b", "a\nb"] {
            assert!(check_ruby_string(bad).is_err(), "{bad}");
        }
        assert!(check_ruby_string("https://example.org/a-1.0.tar.gz#sha").is_ok());
    }

    #[test]
    fn only_the_main_url_and_its_sha_change() {
        let after = edit_formula(
            FORMULA,
            "https://example.org/greeter-2.0.tar.gz",
            "dddd",
            Some("2.0"),
        )
        .unwrap();
        assert_eq!(
            after,
            FORMULA.replace("greeter-1.0", "greeter-2.0").replacen(
                "sha256 \"aaaa\"",
                "sha256 \"dddd\"",
                1
            )
        );
        assert!(edit_formula("class X\nend\n", "u", "s", None).is_err());
    }
}
