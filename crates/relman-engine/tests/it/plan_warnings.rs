//! What a plan says beside its steps: a workflow that acts on a release made already.

use crate::remote_support::Fixture;

/// A workflow without a `bump` acts on the version in the files; when that version is tagged
/// already, the plan says its steps make no new release (a post-release workflow is fine, a
/// workflow meant to release is not misread), and says nothing when the version is new.
#[test]
fn a_workflow_without_a_bump_on_a_tagged_version_says_it_makes_no_new_release() {
    let fixture = Fixture::new(
        "[project]\nname = \"app\"\ntag = \"v{version}\"\nscheme = \"semver\"\nversion-files = [\"VERSION\"]\n\n[[workflow.announce.step]]\nmanual = \"Tell the team about {version}\"\n",
    );
    let plan = fixture.plan("announce");
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    fixture.repo.tag("v1.2.3");
    let plan = fixture.plan("announce");
    assert_eq!(
        plan.warnings,
        [
            "1.2.3 has its release tag `v1.2.3` already and no `bump` of this workflow writes a new version: its steps act on that release (to make a new one, add `bump = \"{args.bump}\"` before them)"
        ]
    );
}
