//! Versions never go backwards and never repeat, whatever the tags: random layouts of release
//! tags on `main` and on release branches never merged back, pre-releases, tags of other
//! packages and junk, then every level (and explicit versions) proposed on `main`. No proposal
//! may be a version a tag has, or below the last release; an explicit version that is one is
//! refused naming its tag.

use std::collections::BTreeSet;

use proptest::prelude::*;
use relman_engine::config::Config;
use relman_engine::project::{NextVersion, Project, ProjectError};
use relman_git::Repository;
use relman_testkit::TestRepo;
use relman_version::date::Date;
use relman_version::version::Version;

/// One tag of a layout.
#[derive(Debug, Clone)]
enum Tagged {
    /// A release `vMAJOR.MINOR.PATCH[-rc.N]` on main.
    Main(u64, u64, u64, Option<u64>),
    /// A branch from the latest main commit with a release tag on its own commit.
    Branch(u64, u64, u64),
    /// Not a release: another package's tag, a marker, junk.
    Other(&'static str),
}

fn tagged() -> impl Strategy<Value = Tagged> {
    prop_oneof![
        4 => (0u64..3, 0u64..4, 0u64..3, prop::option::weighted(0.3, 1u64..3))
            .prop_map(|(a, b, c, rc)| Tagged::Main(a, b, c, rc)),
        2 => (0u64..3, 0u64..4, 0u64..4).prop_map(|(a, b, c)| Tagged::Branch(a, b, c)),
        1 => prop::sample::select(vec!["globset-0.4.20", "-", "v2.x", "v1.2.3.4", "nightly", "v1"])
            .prop_map(Tagged::Other),
    ]
}

const LEVELS: [&str; 9] = [
    "auto",
    "patch",
    "minor",
    "major",
    "prerelease",
    "preminor",
    "release",
    "1.1.0",
    "2.0.0",
];

/// Builds the layout; returns the repository and the versions its release tags hold.
fn build(layout: &[Tagged]) -> (TestRepo, BTreeSet<Version>) {
    let repo = TestRepo::new();
    repo.commit("feat: start");
    let scheme = relman_version::scheme::Scheme::Semver;
    let mut versions = BTreeSet::new();
    let mut tags = BTreeSet::new();
    for (index, tag) in layout.iter().enumerate() {
        let name = match tag {
            Tagged::Main(a, b, c, rc) => match rc {
                Some(n) => format!("v{a}.{b}.{c}-rc.{n}"),
                None => format!("v{a}.{b}.{c}"),
            },
            Tagged::Branch(a, b, c) => format!("v{a}.{b}.{c}"),
            Tagged::Other(name) => (*name).to_owned(),
        };
        if !tags.insert(name.clone()) {
            continue;
        }
        match tag {
            Tagged::Branch(..) => {
                repo.git(&["switch", "--quiet", "-c", &format!("release-{index}")]);
                repo.commit_file("branch.txt", &name, &format!("fix: on {name}"));
                repo.git(&["update-ref", &format!("refs/tags/{name}"), "HEAD"]);
                repo.git(&["switch", "--quiet", "main"]);
            }
            _ => {
                repo.commit_file("main.txt", &name, &format!("feat: before {name}"));
                repo.git(&["update-ref", &format!("refs/tags/{name}"), "HEAD"]);
            }
        }
        if let Some(version) = name
            .strip_prefix('v')
            .and_then(|text| scheme.parse(text).ok())
        {
            versions.insert(version);
        }
    }
    repo.commit_file("main.txt", "head", "fix: unreleased");
    (repo, versions)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_plan_proposes_an_existing_version_or_one_below_the_last_release(
        layout in prop::collection::vec(tagged(), 1..7),
    ) {
        let (repo, taken) = build(&layout);
        let config = Config::parse(
            std::path::Path::new("relman.toml"),
            "[project]\nversion-files = []\n",
        )
        .unwrap();
        let git = Repository::discover(repo.path()).unwrap().with_envs(repo.env_vars());
        let project = Project::resolve(git, &config).unwrap();
        let history = project.history(false).unwrap();
        let current = project.current_version(history.previous.as_ref()).unwrap();
        let known = project.known_releases(true).unwrap();
        for level in LEVELS {
            let next = NextVersion {
                level,
                pre_label: None,
                impact: history.impact,
                today: Date::from_unix_seconds(1_704_067_200),
                allow_downgrade: false,
            };
            match project.propose(&current, &history, &next, &known) {
                Ok(proposal) => {
                    let Some(version) = proposal.version else { continue };
                    prop_assert!(!taken.contains(&version), "{level}: {version} exists: {layout:?}");
                    if let Some(last) = &history.previous {
                        prop_assert!(version > last.version, "{level}: {version} <= {}: {layout:?}", last.version);
                    }
                }
                Err(ProjectError::VersionTaken { version, tag, .. }) => {
                    prop_assert!(level.contains('.') || level == "release", "{level} refused: {version}");
                    prop_assert!(repo.git(&["tag", "--list", &tag]) == tag);
                }
                Err(ProjectError::VersionBelow { version, .. }) => {
                    prop_assert!(level.contains('.'), "{level} went below: {version}");
                }
                Err(error) => {
                    // A level that cannot apply (`release` of a final version) says so.
                    prop_assert!(
                        level == "release" || level == "prerelease" || level.contains('.'),
                        "{level}: {error}"
                    );
                }
            }
        }
    }
}

/// The first release on `main` whose initial version a release branch's tag holds already (the
/// property test's shrunk case): `auto` and the levels move on to a free version, an explicit
/// one is refused naming the tag.
#[test]
fn a_first_release_moves_past_a_version_a_branch_tag_holds() {
    let (repo, taken) = build(&[Tagged::Branch(0, 1, 0)]);
    let config = Config::parse(
        std::path::Path::new("relman.toml"),
        "[project]\nversion-files = []\n",
    )
    .unwrap();
    let git = Repository::discover(repo.path())
        .unwrap()
        .with_envs(repo.env_vars());
    let project = Project::resolve(git, &config).unwrap();
    let history = project.history(false).unwrap();
    let current = project.current_version(history.previous.as_ref()).unwrap();
    let known = project.known_releases(true).unwrap();
    for level in ["auto", "patch", "minor", "major", "0.1.0"] {
        let next = NextVersion {
            level,
            pre_label: None,
            impact: history.impact,
            today: Date::from_unix_seconds(1_704_067_200),
            allow_downgrade: false,
        };
        match project.propose(&current, &history, &next, &known) {
            Ok(proposal) => {
                let version = proposal.version.expect("a version");
                assert!(!taken.contains(&version), "{level}: {version} exists");
                assert!(level != "0.1.0", "the taken explicit version was proposed");
            }
            Err(ProjectError::VersionTaken { tag, .. }) => {
                assert_eq!((level, tag.as_str()), ("0.1.0", "v0.1.0"));
            }
            Err(error) => panic!("{level}: {error}"),
        }
    }
}
