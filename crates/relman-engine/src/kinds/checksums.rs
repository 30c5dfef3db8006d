//! `checksums = "dist/*"`: a `SHA256SUMS` file for the matching artifacts, optionally signed.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
    Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecksumsStep {
    pub pattern: Template,
    /// Write a detached, armored signature next to it.
    pub sign: bool,
    /// The output file; default `SHA256SUMS` in the folder of the pattern.
    pub output: Option<Template>,
}

impl Kind for ChecksumsStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["checksums", "output"],
        options: &[OptionSpec::flag("sign"), OptionSpec::string("output")],
        in_checkout: true,
        outputs: &["file"],
        ..KindSpec::new(
            "checksums",
            "write a SHA256SUMS file for the matching artifacts",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(ChecksumsStep {
            pattern: options.required("checksums", "\"dist/*\"")?,
            sign: options.flag("sign").unwrap_or(false),
            output: options.template("output")?,
        })
    }

    fn needs(&self) -> Vec<Need> {
        if self.sign {
            vec![Need::Signing {
                forced: true,
                config: "",
            }]
        } else {
            Vec::new()
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("checksums", &self.pattern)
            .opt("output", &self.output)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("checksums of {}", render(&self.pattern))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Write SHA-256 checksums of {} to {}.",
            show_code(&self.pattern),
            self.output
                .as_ref()
                .map_or_else(|| "`SHA256SUMS` beside them".to_owned(), show_code)
        ))
        .detail_if(self.sign, "Signed with a detached, armored signature.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let pattern = cx.render(&self.pattern);
        let output = self.output_path(&pattern, |template| Ok(cx.render(template)))?;
        let mut text = format!(
            "write {} with the SHA-256 of every file matching `{pattern}`",
            output.display()
        );
        if self.sign {
            text.push_str(&format!(", signed into {}.asc", output.display()));
        }
        Ok(vec![Effect::Note { text }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let pattern = cx.render(&self.pattern)?;
        let output = self.output_path(&pattern, |template| cx.render(template))?;
        let root = cx.root().to_owned();
        let files = super::commit::expand_globs(&root, std::slice::from_ref(&pattern))?;
        let files: Vec<PathBuf> = files.into_iter().filter(|file| *file != output).collect();
        if files.is_empty() {
            return Err(StepError::new(format!("no file matches `{pattern}`"))
                .with_hint("build the artifacts before this step"));
        }
        let base = output
            .parent()
            .map(|parent| root.join(parent))
            .unwrap_or_else(|| root.clone());
        let mut sums = String::new();
        for file in &files {
            // Streamed, from regular files only: an artifact may be large, and a link to a
            // device must not be read for ever.
            let mut input = relman_version::files::bounded::open_regular(&root.join(file))
                .map_err(|error| StepError::new(error.to_string()))?;
            let mut hasher = Sha256::new();
            std::io::copy(&mut input, &mut hasher).map_err(|error| {
                StepError::new(format!("cannot read `{}`: {error}", file.display()))
            })?;
            let digest = hasher.finalize();
            let name = root.join(file);
            let name = name.strip_prefix(&base).unwrap_or(file);
            let hex: String = digest.iter().fold(String::new(), |mut out, byte| {
                let _ = write!(out, "{byte:02x}");
                out
            });
            let _ = writeln!(sums, "{hex}  {}", name.display());
        }
        let target = root.join(&output);
        let bounded = relman_version::files::bounded::MAX_CHANGELOG;
        let previous = relman_version::files::read_text_bounded(&target, bounded).ok();
        cx.push_undo(Undo::restore_file(
            output.clone(),
            previous,
            Some(sums.as_bytes()),
        ));
        cx.save()?;
        relman_version::files::write_atomic(&target, sums.as_bytes())?;
        if self.sign {
            let signature = PathBuf::from(format!("{}.asc", target.display()));
            let argv = gpg_sign_argv(cx.repo(), &signature, &target)?;
            let signature_path = PathBuf::from(format!("{}.asc", output.display()));
            // What gpg writes is known once it wrote it: recorded then.
            cx.push_undo(Undo::RestoreFile {
                path: signature_path.clone(),
                content: None,
                written: None,
            });
            crate::core::run_command(&argv, &root, &[], None, |line| cx.output(line))?;
            cx.record_written(&signature_path);
        }
        cx.output(&format!(
            "{} lists {}",
            output.display(),
            relman_version::words::counted(files.len(), "file", "files")
        ));
        cx.set_output("file", output.display().to_string());
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::NotDone)
    }
}

impl ChecksumsStep {
    fn output_path(
        &self,
        pattern: &str,
        render: impl Fn(&Template) -> Result<String, StepError>,
    ) -> Result<PathBuf, StepError> {
        Ok(match &self.output {
            Some(output) => PathBuf::from(render(output)?),
            None => {
                let folder = pattern.rsplit_once('/').map_or("", |(folder, _)| folder);
                PathBuf::from(folder).join("SHA256SUMS")
            }
        })
    }
}

/// `gpg --detach-sign` as git would sign: with git's gpg program and, when git signs with
/// OpenPGP, its `user.signingKey` (not whichever key gpg picks by default).
fn gpg_sign_argv(
    repo: &relman_git::Repository,
    signature: &std::path::Path,
    target: &std::path::Path,
) -> Result<Vec<String>, StepError> {
    let program = match repo.config_get("gpg.openpgp.program")? {
        Some(program) => program,
        None => repo
            .config_get("gpg.program")?
            .unwrap_or_else(|| "gpg".to_owned()),
    };
    let mut argv: Vec<String> = [&program, "--batch", "--yes", "--armor", "--detach-sign"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let openpgp = repo
        .config_get("gpg.format")?
        .is_none_or(|format| format == "openpgp");
    if openpgp && let Some(key) = repo.config_get("user.signingkey")? {
        argv.extend(["--local-user".to_owned(), key]);
    }
    argv.extend([
        "--output".to_owned(),
        signature.display().to_string(),
        target.display().to_string(),
    ]);
    Ok(argv)
}
