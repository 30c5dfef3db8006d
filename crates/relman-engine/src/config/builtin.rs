//! Workflows relman offers without configuration. They are written in `relman.toml` syntax and go
//! through the same validation as a user's file, so they cannot use anything a user could not.

use std::path::Path;
use std::sync::OnceLock;

use super::{Config, Workflow};

/// Names of the built-in workflows.
pub const NAMES: &[&str] = &["release"];

/// The built-in release: checks → bump → changelog (when there is one) → commit → annotated tag → push →
/// forge release (when a forge and a token are configured).
const RELEASE: &str = r#"
[workflow.release]
help = "Cut a release: bump, changelog, commit, tag, push, forge release"
args = [{ name = "bump", default = "auto", help = "a bump level (major, minor, patch, auto …) or a version" }]

[[workflow.release.step]]
check = "branch"

[[workflow.release.step]]
check = "clean"

[[workflow.release.step]]
check = "up-to-date"

[[workflow.release.step]]
check = "tag-available"

[[workflow.release.step]]
bump = "{args.bump}"

[[workflow.release.step]]
changelog = "update"
if = "has_changelog"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
release = "publish"
if = "has_forge_token"
"#;

fn builtin_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(Path::new("<built-in>"), RELEASE)
            .unwrap_or_else(|errors| panic!("the built-in workflows are invalid: {errors}"))
    })
}

/// The built-in workflow of that name.
pub fn workflow(name: &str) -> Option<Workflow> {
    builtin_config().workflows.get(name).cloned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_release_workflow_validates_and_has_every_stage() {
        let workflow = super::workflow("release").unwrap();
        let kinds: Vec<&str> = workflow.steps.iter().map(|step| step.kind.key()).collect();
        assert_eq!(
            kinds,
            [
                "check",
                "check",
                "check",
                "check",
                "bump",
                "changelog",
                "commit",
                "tag",
                "push",
                "release"
            ]
        );
    }
}
