//! The project's CI, played by the test: what the `tag.yml`, `build.yml` and `promote.yml`
//! workflows do when relman dispatches them (hooks of the fake GitHub run as each run completes),
//! publishing to the real registry and to a static site standing in for the Helm repositories
//! (stable and alpha), the releases bucket and the docs website. Every public address of the
//! example is pointed at these.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex, PoisonError};

use relman_testkit::github::{CompletedRun, FakeWorkflow};
use relman_testkit::services::RegistryClient;
use relman_testkit::static_site::{SiteFiles, StaticSite};

use crate::world::World;

/// The images the build publishes and the promotion retags.
pub const IMAGES: [&str; 2] = ["cortexlabs/operator", "cortexlabs/manager"];
/// Who the tag pipeline tags as.
pub const BOT: &str = "cortex-bot <bot@cortex.dev>";

/// The chart versions of each channel's Helm repository (`stable`, `alpha`).
type Charts = Arc<Mutex<BTreeMap<String, Vec<String>>>>;

/// The site and what CI published on it.
#[derive(Debug)]
pub struct Ci {
    pub site: StaticSite,
    charts: Charts,
}

impl Ci {
    /// Starts the site, points the example's public addresses at it, declares the three
    /// workflows on the fake GitHub with what each does, and publishes 0.3.0 as the last release
    /// did (its images, alpha on them, its chart in both repositories, its docs).
    pub fn install(world: &mut World) -> Ci {
        let site = StaticSite::start();
        world.add_rewrite(
            "https://charts.cortex.dev",
            &format!("{}/charts", site.url()),
        );
        world.add_rewrite(
            "https://cortex-public.s3.amazonaws.com",
            &format!("{}/bucket", site.url()),
        );
        world.add_rewrite("https://docs.cortex.dev", &format!("{}/docs", site.url()));
        let registry = world.registry.as_ref().expect("the registry runs").client();
        let charts = Charts::default();
        let remote = world.repo.remote_path().to_owned();
        let slug = world.slug.clone();
        let github = &world.github;
        github.link_git(&slug, &remote);
        for file in ["tag.yml", "build.yml", "promote.yml"] {
            github.add_workflow(
                &slug,
                file,
                FakeWorkflow {
                    polls: 0,
                    conclusion: "success".to_owned(),
                    artifacts: Vec::new(),
                },
            );
        }
        {
            let remote = remote.clone();
            github.on_run_completed(&slug, "tag.yml", move |run| tag_pipeline(&remote, run));
        }
        {
            let (registry, files, charts) = (registry.clone(), site.files(), Arc::clone(&charts));
            github.on_run_completed(&slug, "build.yml", move |run| {
                build_pipeline(&remote, &registry, &files, &charts, run)
            });
        }
        {
            let (registry, files, charts) = (registry.clone(), site.files(), Arc::clone(&charts));
            github.on_run_completed(&slug, "promote.yml", move |run| {
                promote(&registry, &files, &charts, run)
            });
        }
        publish(&registry, &site.files(), &charts, "0.3.0").expect("publish 0.3.0");
        promote_to(&registry, &site.files(), &charts, "0.3.0", "alpha").expect("promote 0.3.0");
        Ci { site, charts }
    }

    /// The chart versions a channel's repository lists, oldest first.
    pub fn charts(&self, channel: &str) -> Vec<String> {
        lock(&self.charts).get(channel).cloned().unwrap_or_default()
    }

    /// The files of the site.
    pub fn files(&self) -> SiteFiles {
        self.site.files()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn input<'a>(run: &'a CompletedRun, name: &str) -> Result<&'a str, String> {
    run.inputs[name].as_str().ok_or_else(|| {
        format!(
            "`{}` was dispatched without the input `{name}`",
            run.workflow
        )
    })
}

/// git in the bare remote, with a fixed bot identity and date and no user config.
fn git(remote: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("--git-dir")
        .arg(remote)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "cortex-bot")
        .env("GIT_COMMITTER_EMAIL", "bot@cortex.dev")
        .env("GIT_COMMITTER_DATE", "1767225600 +0000")
        .output()
        .map_err(|error| format!("git {args:?}: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(format!(
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// `tag.yml`: tags the commit with the version, as the runbook's tag pipeline does.
fn tag_pipeline(remote: &Path, run: &CompletedRun) -> Result<(), String> {
    let (version, commit) = (input(run, "version")?, input(run, "commit")?);
    git(
        remote,
        &[
            "tag",
            "-a",
            version,
            "-m",
            &format!("Release {version}"),
            commit,
        ],
    )
    .map(drop)
}

/// `build.yml` on a tag: the official build, versioned by the tag it runs on.
fn build_pipeline(
    remote: &Path,
    registry: &RegistryClient,
    files: &SiteFiles,
    charts: &Charts,
    run: &CompletedRun,
) -> Result<(), String> {
    let version = run
        .git_ref
        .strip_prefix('v')
        .ok_or_else(|| format!("the build ran on `{}`, not a release tag", run.git_ref))?;
    let tagged = git(
        remote,
        &["rev-parse", &format!("{}^{{commit}}", run.git_ref)],
    )?;
    if tagged != run.sha {
        return Err(format!("{} is not at the built commit", run.git_ref));
    }
    publish(registry, files, charts, version)
}

/// What a build of `version` publishes: both images, the chart, the CLI, the docs.
fn publish(
    registry: &RegistryClient,
    files: &SiteFiles,
    charts: &Charts,
    version: &str,
) -> Result<(), String> {
    for image in IMAGES {
        registry
            .push_image(image, version, "linux/amd64")
            .map_err(|error| error.to_string())?;
    }
    add_chart(files, charts, "stable", version);
    files.put(
        &format!("/bucket/{version}/cli/linux/cortex"),
        "application/octet-stream",
        format!("cortex CLI {version} for linux\n").into_bytes(),
    );
    let minor = version.rsplit_once('.').map_or(version, |(minor, _)| minor);
    files.put(
        &format!("/docs/v/{minor}/"),
        "text/html",
        format!("<html><head><title>Cortex {version} documentation</title></head></html>\n")
            .into_bytes(),
    );
    Ok(())
}

/// `promote.yml`: the channel's tags and chart repository get the version.
fn promote(
    registry: &RegistryClient,
    files: &SiteFiles,
    charts: &Charts,
    run: &CompletedRun,
) -> Result<(), String> {
    promote_to(
        registry,
        files,
        charts,
        input(run, "version")?,
        input(run, "channel")?,
    )
}

fn promote_to(
    registry: &RegistryClient,
    files: &SiteFiles,
    charts: &Charts,
    version: &str,
    channel: &str,
) -> Result<(), String> {
    for image in IMAGES {
        registry
            .retag(image, version, channel)
            .map_err(|error| error.to_string())?;
    }
    add_chart(files, charts, channel, version);
    Ok(())
}

/// Adds the chart at `version` to a channel's repository and rewrites its `index.yaml` as
/// `helm repo index` does (newest first).
fn add_chart(files: &SiteFiles, charts: &Charts, channel: &str, version: &str) {
    let mut charts = lock(charts);
    let versions = charts.entry(channel.to_owned()).or_default();
    if !versions.iter().any(|known| known == version) {
        versions.push(version.to_owned());
    }
    let folder = if channel == "stable" {
        "/charts".to_owned()
    } else {
        format!("/charts/{channel}")
    };
    let mut index = String::from("apiVersion: v1\nentries:\n  cortex:\n");
    for version in versions.iter().rev() {
        index.push_str(&format!(
            "  - apiVersion: v2\n    appVersion: {version}\n    created: \"2026-01-01T00:00:00Z\"\n    description: Deploy machine learning models to a cluster\n    name: cortex\n    type: application\n    urls:\n    - https://charts.cortex.dev{folder}/cortex-{version}.tgz\n    version: {version}\n"
        ));
    }
    index.push_str("generated: \"2026-01-01T00:00:00Z\"\n");
    files.put(
        &format!("{folder}/index.yaml"),
        "application/x-yaml",
        index.into_bytes(),
    );
}
