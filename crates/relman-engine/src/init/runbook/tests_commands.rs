//! Drafting small runbooks: commands (`sed`, diffs, git, `gh`, `curl`, publishing) and the
//! steps they become.

use super::tests::{drafted, drafted_with, facts};
use super::{ProjectFacts, draft};

// Commands of real runbooks (`docs/runbook-import.md`, "Commands").

fn with_version_file(path: &str) -> ProjectFacts {
    ProjectFacts {
        version_files: vec![path.to_owned()],
        ..facts()
    }
}

#[test]
fn a_sed_that_writes_the_version_is_an_edit_or_the_bump() {
    let text = "# Release\n\n```bash\nsed -i \"\" \\\n  \"s/APP_VERSION=.*/APP_VERSION=$RELEASE_VERSION/g\" \\\n  app.properties\nsed -i 's|image: acme/demo:[^\"]*\"|image: acme/demo:v$VERSION\"|' chart/values.yaml deploy/values.yaml\nsed -i \"s/^version = .*/version = $RELEASE_VERSION/\" setup.cfg\ngit tag vX.Y.Z\nsed -i \"\" \"s/APP_VERSION=.*/APP_VERSION=$NEXT_VERSION/g\" setup.cfg\nsed -i \"s/\\(demo:\\)[0-9.]*/\\1$RELEASE_VERSION/g\" `find . -name README.md`\n```\n";
    let toml = drafted_with(text, &with_version_file("setup.cfg"));
    for expected in [
        // BSD's `-i ""`, continued over lines.
        "edit = \"app.properties\"\npattern = \"APP_VERSION={value}\"\nvalue = \"{version}\"\n",
        // Several files, another delimiter, a literal text after the value.
        "edit = \"chart/values.yaml\"\npattern = 'image: acme/demo:{value}\"'\nvalue = \"v{version}\"\n",
        "edit = \"deploy/values.yaml\"\npattern = 'image: acme/demo:{value}\"'\n",
        // A version file: the bump writes it (and its next version after the release is the
        // dev bump).
        "bump = \"{args.bump}\"\n",
        "bump = \"dev\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    // Groups and files from `find`: more than one place, left to the shell.
    assert!(
        toml.contains("run = 'sed -i \"s/\\(demo:\\)[0-9.]*/\\1{version}/g\" `find"),
        "{toml}"
    );
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
}

#[test]
fn a_sed_edit_is_drafted_only_for_a_file_that_holds_its_place_once() {
    let root = tempfile::tempdir().unwrap();
    fs_err::write(root.path().join("Makefile"), "LATEST=v1.0.0\nall:\n").unwrap();
    fs_err::write(root.path().join("twice.env"), "LATEST=1\nLATEST=2\n").unwrap();
    let facts = ProjectFacts {
        root: Some(root.path().to_owned()),
        ..facts()
    };
    let toml = drafted_with(
        "# Release\n\n```\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' Makefile\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' twice.env\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' missing.txt\n```\n",
        &facts,
    );
    assert!(
        toml.contains(
            "edit = \"Makefile\"\npattern = \"LATEST={value}\"\nvalue = \"v{version}\"\n"
        ),
        "{toml}"
    );
    assert_eq!(toml.matches("edit =").count(), 1, "{toml}");
    assert_eq!(toml.matches("run =").count(), 2, "{toml}");
}

#[test]
fn short_flags_together_and_and_lists_keep_each_command_right() {
    let toml = drafted(
        "# Release\n\n```\ngit commit -am \"Prepare version $RELEASE_VERSION.\"\ngit tag -am \"Version $RELEASE_VERSION\" $RELEASE_VERSION\ngit push && git push --tags\nmake test && make dist\n```\n",
    );
    for expected in [
        "commit = \"Prepare version {version}.\"\n",
        "tag = \"{tag}\"\nmessage = \"Version {version}\"\n",
        "push = \"branch\"\n",
        "push = \"tag\"\n",
        "run = \"make test && make dist\"\nshell = true\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("remote = \"&&\""), "{toml}");
    assert!(!toml.contains("tag = \"Version"), "{toml}");
}

#[test]
fn commands_that_show_something_and_output_in_a_block_are_no_steps() {
    let toml = drafted(
        "# Release\n\n```\n$ git show -q --pretty=%s%n%b HEAD\nMerge pull request #12 from acme/release-next\n$ git describe HEAD\nv1.2.3\n$ ls bin/releases\n$ git log --oneline v1.2.2..main\n```\n\nAdd this to the changelog:\n\n```\nTBD\n===\nUnreleased changes. Release notes have not yet been written.\n-----BEGIN PGP SIGNATURE-----\n<div class=\"banner\">\ntitle: \"Demo\"\n- uses: actions/upload-artifact@v4\n```\n",
    );
    assert!(!toml.contains("run ="), "{toml}");
    assert!(
        toml.contains("→ this only shows something to a person: no release step"),
        "{toml}"
    );
}

#[test]
fn the_version_file_read_by_the_shell_is_the_version_and_own_go_modules_follow_the_bump() {
    let toml = drafted(
        "# Release\n\n```\ngo mod edit -require \"github.com/acme/demo/pkg/api@v$(< VERSION)\" pkg/client/go.mod\ngo mod edit -require \"github.com/other/lib@v1.4.0\"\ngit tag -s v$(cat VERSION) -m v$(cat VERSION)\n```\n",
    );
    assert!(
        toml.contains("→ relman's `bump` rewrites a sibling module's `require` line"),
        "{toml}"
    );
    assert!(
        toml.contains("run = 'go mod edit -require \"github.com/other/lib@v1.4.0\"'"),
        "{toml}"
    );
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
    assert!(
        toml.contains("tag = \"{tag}\"\nmessage = \"v{version}\"\nsign = true\n"),
        "{toml}"
    );
}

#[test]
fn a_diff_that_puts_the_version_in_a_file_is_an_edit() {
    let toml = drafted_with(
        "# Release\n\n1. Update the site's config:\n\n   ```diff\n   --- a/site/_config.yml\n   +++ b/site/_config.yml\n   @@ -1,3 +1,3 @@\n    title: Demo\n   -latest-release: 1.2.2\n   +latest-release: 1.2.3\n   -download: \"https://example.org/demo-1.2.2.tar.gz\"\n   +download: \"https://example.org/demo-1.2.3.tar.gz\"\n   -image: acme/demo:1.2.0\n   +image: acme/demo:1.3.0\n   ```\n\n2. Update the changelog:\n\n   ```diff\n   --- CHANGES.md\n   +++ CHANGES.md\n   -## HEAD\n   +## 1.2.3 / 2018-01-25\n   ```\n\n   ```diff\n   --- VERSION\n   +++ VERSION\n   -demo 1.2.2\n   +demo 1.2.3\n   ```\n",
        &with_version_file("VERSION"),
    );
    for expected in [
        "# RELEASE.md:11: +latest-release: 1.2.3\n[[workflow.release.step]]\nedit = \"site/_config.yml\"\npattern = \"latest-release: {value}\"\nvalue = \"{version}\"\n",
        "edit = \"site/_config.yml\"\npattern = 'download: \"https://example.org/demo-{value}.tar.gz\"'\nvalue = \"{version}\"\n",
        "edit = \"site/_config.yml\"\npattern = \"image: acme/demo:{value}\"\nvalue = \"{version}\"\n",
        // The version file: the bump writes it.
        "# RELEASE.md:31: +demo 1.2.3\n[[workflow.release.step]]\nbump = \"{args.bump}\"\n",
        // A heading renamed with a date is no version's place: a note.
        "# RELEASE.md:20: (note) 4 lines of `diff`",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert_eq!(toml.matches("edit =").count(), 3, "{toml}");
}

#[test]
fn a_publish_dry_run_before_the_publish_is_its_plan_and_gh_release_options_are_read() {
    let toml = drafted(
        "# Release\n\n- Run `cargo publish --dry-run` to make sure it works.\n- Run `cargo package`.\n- Run `npm publish --dry-run`.\n\n```\ngh auth login\ngit co -b release-X.Y.Z\ngh release create vX.Y.Z dist/demo-X.Y.Z.tar.gz --notes-file NOTES.md --prerelease -R acme/other\ngh release edit vX.Y.Z --draft=false\ncargo publish\n```\n\n```text\ngo 1.22.0\n```\n\nMail the announcement in:\n\n```\ndoc/announce/release-<VERSION>.rst\n```\n",
    );
    for expected in [
        "→ the `publish = \"cargo\"` step below runs its dry run in `relman plan`, before any step",
        "check = \"credentials\"\n",
        "branch = \"release-{version}\"\n",
        // The edit that publishes it adds to the release made just before (one of each kind),
        // and keeps no notes: the step writes its own.
        "release = \"publish\"\nnotes = \"{file:NOTES.md}\"\nprerelease = true\nrepo = \"acme/other\"\nassets = [\"dist/demo-{version}.tar.gz\"]\n\n",
        "publish = \"cargo\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    // The npm dry run has no npm publish after it: it stays.
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
    assert!(toml.contains("run = \"npm publish --dry-run\"\n"), "{toml}");
}

#[test]
fn shell_named_branches_amends_and_edits_of_several_packages_stay_with_the_shell() {
    let text = "# Release\n\n```\ngit checkout -b hotfix upstream/main\ngit checkout upstream/main -b picks\ngit checkout -b release-M.N vM.N.0\ngit co -b ${BASE_TAG}-stable ${BASE_TAG}.0\ngit checkout -b 1.2-stable v1.2.0\ngit commit -a -v --amend\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' Makefile\n```\n";
    let toml = drafted(text);
    assert!(
        toml.contains("branch = \"hotfix\"\nfrom = \"main\"\n"),
        "{toml}"
    );
    for expected in [
        "branch = \"picks\"\nfrom = \"main\"\n",
        "run = \"git checkout -b release-M.N vM.N.0\"\n",
        "run = \"git co -b ${{BASE_TAG}}-stable ${{BASE_TAG}}.0\"\nshell = true\n",
        "run = \"git checkout -b 1.2-stable v1.2.0\"\n",
        "run = \"git commit -a -v --amend\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("commit = "), "{toml}");
    assert!(toml.contains("edit = \"Makefile\""), "{toml}");
    let several = ProjectFacts {
        several_packages: true,
        ..facts()
    };
    let toml = drafted_with(text, &several);
    assert!(!toml.contains("edit ="), "{toml}");
    assert!(
        toml.contains("run = \"sed -i 's/LATEST=.*/LATEST=v1.2.3/' Makefile\"\n"),
        "{toml}"
    );
}

#[test]
fn a_merge_into_the_current_branch_is_a_switch_and_a_merge_back() {
    let toml = drafted(
        "# Release\n\n```\ngit checkout main\ngit checkout -b release-X.Y.Z\ngit commit -m \"Release X.Y.Z\"\ngit checkout main\ngit merge --ff-only release-X.Y.Z\ngit merge --no-ff -S -m \"Merge\" fix-branch\ngit merge upstream/main\n```\n",
    );
    assert!(
        toml.contains("switch = \"release-{version}\"\n\n# RELEASE.md:8 (same line)\n[[workflow.release.step]]\nmerge = \"main\"\nff-only = true\n"),
        "{toml}"
    );
    // Signed, or a remote's branch: the shell's.
    assert!(
        toml.contains("run = 'git merge --no-ff -S -m \"Merge\" fix-branch'"),
        "{toml}"
    );
    assert!(
        toml.contains("run = \"git merge upstream/main\"\n"),
        "{toml}"
    );
    // Where the steps do not say which branch is checked out, the merge is not guessed.
    let toml = drafted("# Release\n\n```\ngit merge --ff-only release\n```\n");
    assert!(
        toml.contains("run = \"git merge --ff-only release\"\n"),
        "{toml}"
    );
}

#[test]
fn a_pushed_release_branch_is_no_tag_and_names_a_person_works_out_stay_run() {
    let toml = drafted(
        "# Release\n\n```\ngit checkout -b release-x.x.x\ngit push origin release-<major>.<minor>\ngit push origin \"v1.2.3\" \"pkg/api/v1.2.3\"\ngit tag MAJOR.{MINOR+1}.0.dev0\ngit push upstream MAJOR.{MINOR+1}.0.dev0\n```\n",
    );
    for expected in [
        "branch = \"release-{version}\"\n",
        "# RELEASE.md:5: git push origin release-<major>.<minor>\n[[workflow.release.step]]\npush = \"branch\"\n",
        "# RELEASE.md:6: git push origin \"v1.2.3\" \"pkg/api/v1.2.3\"\n[[workflow.release.step]]\npush = \"tag\"\n",
        "run = \"git tag MAJOR.{{MINOR+1}}.0.dev0\"\n",
        "run = \"git push upstream MAJOR.{{MINOR+1}}.0.dev0\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}

#[test]
fn commands_after_one_another_on_a_line_are_each_read() {
    let toml = drafted(
        "# Release\n\n1. Create a tag and push it: `git tag vX.Y.Z; git push origin tag vX.Y.Z`.\n2. Build:\n\n   ```\n   for f in a b; do make $f; done\n   ```\n",
    );
    let tag = toml.find("tag = \"{tag}\"\n").expect(&toml);
    let push = toml.find("push = \"tag\"\n").expect(&toml);
    assert!(tag < push, "{toml}");
    assert!(!toml.contains(";\""), "{toml}");
    assert!(!toml.contains("push = [\"branch\""), "{toml}");
    assert!(
        toml.contains("run = \"for f in a b; do make $f; done\"\nshell = true\n"),
        "{toml}"
    );
}

#[test]
fn a_message_to_a_slack_webhook_is_a_slack_or_http_step_and_its_url_stays_secret() {
    let toml = drafted(
        "# Release\n\n```\ncurl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Released X.Y.Z\"}' $SLACK_WEBHOOK_URL\ncurl -d '{\"channel\":\"#dev\",\"text\":\"demo X.Y.Z is out\"}' \"${RELEASE_HOOK_SLACK}\"\ncurl --data '{\"text\":\"Released X.Y.Z\"}' https://hooks.slack.com/services/T000/B000/XXXX\n```\n",
    );
    for expected in [
        "http = \"POST {env.SLACK_WEBHOOK_URL}\"\njson = { text = \"Released {version}\" }\n",
        "slack = \"#dev\"\nmessage = \"demo {version} is out\"\nwebhook-env = \"RELEASE_HOOK_SLACK\"\n",
        "# the webhook's URL is a secret: relman reads it from `SLACK_WEBHOOK_URL`, set it there\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("T000/B000"), "{toml}");
    assert!(!toml.contains("run ="), "{toml}");
}

#[test]
fn a_secret_placeholder_before_a_command_is_left_to_the_environment_and_addresses_are_no_commands()
{
    let toml = drafted(
        "# Release\n\n```\nGITHUB_TOKEN=<token> scripts/notes.sh X.Y.Z\nPACKAGECLOUD_TOKEN=\"<token>\" script/packagecloud.rb\nscm:git:file:///tmp/remote/git-repo\n```\n",
    );
    for expected in [
        "run = \"scripts/notes.sh {version}\"\n",
        "run = \"script/packagecloud.rb\"\n",
        "→ the command reads `GITHUB_TOKEN` from the environment relman runs in",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(
        !toml.contains("run = 'PACKAGECLOUD") && !toml.contains("run = \"GITHUB"),
        "{toml}"
    );
    assert_eq!(toml.matches("run =").count(), 2, "{toml}");
}

#[test]
fn building_the_artifacts_with_the_ecosystems_tool_is_a_build_step() {
    let toml = drafted(
        "# Release\n\n```sh\npython3 -m build --no-isolation --outdir wheelhouse\ntwine upload wheelhouse/*\nnpm pack\ngem build acme.gemspec\ncargo package\ncargo package -p acme-core\n```\n",
    );
    for expected in [
        "build = \"python\"\nout = \"wheelhouse\"\nisolation = false\n",
        "publish = \"pypi\"\nfiles = [\"wheelhouse/*\"]\n",
        "build = \"npm\"\n",
        "build = \"gem\"\n",
        "build = \"cargo\"\n",
        // A crate of the workspace named by `-p`: which folder is not known here.
        "run = \"cargo package -p acme-core\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}

#[test]
fn gem_push_is_a_gem_publish_step() {
    let toml = drafted(
        "# Release\n\n```sh\ngem build acme.gemspec\ngem push acme-X.Y.Z.gem\n```\n\nOr, from Bundler's folder, to our own host:\n\n```sh\ngem push --host https://gems.acme.test pkg/acme-<version>.gem\n```\n",
    );
    for expected in [
        // The gem `build = "gem"` writes: the step's default, named nowhere.
        "# RELEASE.md:5: gem push acme-X.Y.Z.gem\n[[workflow.release.step]]\npublish = \"gem\"\n\n",
        "publish = \"gem\"\nregistry = \"https://gems.acme.test\"\nfiles = [\"pkg/acme-{version}.gem\"]\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("run = \"gem push"), "{toml}");
}

#[test]
fn a_build_whose_manifest_is_not_at_the_top_stays_a_command() {
    let root = tempfile::tempdir().unwrap();
    fs_err::write(root.path().join("package.json"), "{\"name\": \"acme\"}\n").unwrap();
    let facts = ProjectFacts {
        root: Some(root.path().to_owned()),
        ..facts()
    };
    let draft = draft(
        "RELEASE.md",
        "# Release\n\n```sh\npython -m build\nnpm pack\ngem build acme.gemspec\n```\n",
        &facts,
    );
    let toml = draft.workflows_toml();
    for expected in [
        "run = \"python -m build\"\n",
        "build = \"npm\"\n",
        "run = \"gem build acme.gemspec\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}

#[test]
fn a_script_named_for_setting_the_version_is_the_bump_and_other_scripts_stay_run() {
    let toml = drafted(
        "# Release\n\n* Run `python3 tools/set_version.py X.Y.Z`\n* `git commit -am \"Release X.Y.Z\"`\n\
         * `git tag -as $VER_NUM -m $VER_NUM`\n* `git push origin $VER_NUM`\n\
         * `./scripts/bump-version.sh --dev X.Y.Z+1.dev0`\n* `./scripts/release.sh X.Y.Z`\n\
         * `python3 tools/set_version.py`\n",
    );
    for expected in [
        "bump = \"{args.bump}\"\n",
        "tag = \"{tag}\"\nmessage = \"{version}\"\nsign = true\n",
        "push = \"tag\"\n",
        "bump = \"dev\"\n",
        "run = \"./scripts/release.sh {version}\"\n",
        "run = \"python3 tools/set_version.py\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}

#[test]
fn pulling_the_releases_image_checks_it_is_in_the_registry() {
    let toml = drafted(
        "# Release\n\n```\ndocker pull ghcr.io/acme/demo:X.Y.Z\ndocker run --rm ghcr.io/acme/demo:v1.x.0 --version\n\
         docker run ghcr.io/acme/demo:vX.Y.Z serve\ndocker pull ghcr.io/acme/demo:latest\n```\n",
    );
    for tag in ["{version}", "v{version}"] {
        let verify =
            format!("verify = \"oci\"\nimage = \"ghcr.io/acme/demo\"\ntags = [\"{tag}\"]\n");
        assert!(toml.contains(&verify), "{verify}\n---\n{toml}");
    }
    assert_eq!(toml.matches("run = ").count(), 2, "{toml}");
}

#[test]
fn a_diff_before_anything_changed_is_a_clean_tree_and_after_a_change_a_review() {
    let toml = drafted(
        "# Release\n\n* `git diff`\n* `./scripts/set_version.sh X.Y.Z`\n* Check the diff with `git diff`\n\
         * `git commit -am \"Release X.Y.Z\"`\n",
    );
    let clean = toml.find("check = \"clean\"").unwrap_or(usize::MAX);
    let bump = toml.find("bump = ").unwrap_or_default();
    assert!(clean < bump, "{toml}");
    assert!(
        toml.contains("manual = \"Review the changes: `git diff`\"\n"),
        "{toml}"
    );
}

#[test]
fn a_mail_written_out_in_a_block_is_no_commands() {
    let toml = drafted(
        "# Release\n\nSend the announcement:\n\n```text\nHello,\n\ndemo v1.2.3 is now out!\n\n\
         Thanks to everyone who helped!\n```\n",
    );
    assert!(!toml.contains("run ="), "{toml}");
}
