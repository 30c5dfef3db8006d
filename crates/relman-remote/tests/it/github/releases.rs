//! Releases and assets: create or reuse (drafts found through the list), publish, notes, the
//! pre-release flag, uploads with content type, replacing an asset on resume.

use relman_remote::github::{NewRelease, ReleaseUpdate};
use relman_testkit::http_server::Fault;

use super::setup;

fn draft(tag: &str) -> NewRelease {
    NewRelease {
        tag_name: tag.to_owned(),
        target_commitish: Some(super::SHA.to_owned()),
        name: Some(format!("Release {tag}")),
        body: Some("* fixed things".to_owned()),
        draft: true,
        prerelease: false,
    }
}

#[test]
fn a_draft_is_created_once_and_found_again_on_resume() {
    let s = setup();
    let (created, was_created) = s.github.ensure_release(&s.repo, &draft("v1.0.0")).unwrap();
    assert!(was_created);
    assert!(created.draft);
    // GitHub's tag endpoint does not see drafts: the probe must still find it.
    let found = s.github.release_by_tag(&s.repo, "v1.0.0").unwrap().unwrap();
    assert_eq!(found.id, created.id);
    let (again, was_created) = s.github.ensure_release(&s.repo, &draft("v1.0.0")).unwrap();
    assert!(!was_created);
    assert_eq!(again.id, created.id);
    let releases = s.fake.releases("octo/app");
    assert_eq!(releases.len(), 1);
    assert_eq!(releases[0].body.as_deref(), Some("* fixed things"));
    assert_eq!(releases[0].target, super::SHA);
    let paths: Vec<String> = s
        .fake
        .api()
        .requests()
        .iter()
        .map(relman_testkit::http_server::RecordedRequest::line)
        .collect();
    assert!(paths.contains(&"GET /api/v3/repos/octo/app/releases/tags/v1.0.0".to_owned()));
}

#[test]
fn a_draft_deep_in_the_list_is_found_across_pages() {
    let s = setup();
    s.fake.add_release("octo/app", "v2.0.0", true, None);
    for minor in 0..8 {
        s.fake
            .add_release("octo/app", &format!("v1.{minor}.0"), false, None);
    }
    let found = s.github.release_by_tag(&s.repo, "v2.0.0").unwrap().unwrap();
    assert!(found.draft);
    let pages = s
        .fake
        .api()
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v3/repos/octo/app/releases")
        .count();
    assert_eq!(pages, 3, "9 releases in pages of 3");
    assert_eq!(s.github.release_by_tag(&s.repo, "v9.9.9").unwrap(), None);
    assert_eq!(s.github.releases(&s.repo).unwrap().len(), 9);
}

#[test]
fn a_release_that_exists_can_keep_the_notes_people_edited() {
    let s = setup();
    let (draft_release, _) = s.github.ensure_release(&s.repo, &draft("v1.2.0")).unwrap();
    s.github
        .update_release(
            &s.repo,
            draft_release.id,
            &ReleaseUpdate {
                body: Some("* fixed things\n\nThanks, testers!".to_owned()),
                ..ReleaseUpdate::default()
            },
        )
        .send()
        .unwrap();
    let publish = NewRelease {
        draft: false,
        ..draft("v1.2.0")
    };
    let (published, created) = s
        .github
        .ensure_release_keeping_notes(&s.repo, &publish)
        .unwrap();
    assert!(!created);
    assert!(!published.draft);
    assert_eq!(
        published.body.as_deref(),
        Some("* fixed things\n\nThanks, testers!")
    );
    // A release it creates gets the wanted notes.
    let (fresh, created) = s
        .github
        .ensure_release_keeping_notes(&s.repo, &draft("v1.3.0"))
        .unwrap();
    assert!(created);
    assert_eq!(fresh.body.as_deref(), Some("* fixed things"));
}

#[test]
fn publishing_a_draft_and_aligning_notes() {
    let s = setup();
    let (release, _) = s.github.ensure_release(&s.repo, &draft("v1.1.0")).unwrap();
    let published = s
        .github
        .publish_release(&s.repo, release.id)
        .send()
        .unwrap();
    assert!(!published.draft);
    let wanted = NewRelease {
        body: Some("* better notes".to_owned()),
        prerelease: true,
        draft: true,
        ..draft("v1.1.0")
    };
    let (aligned, created) = s.github.ensure_release(&s.repo, &wanted).unwrap();
    assert!(!created);
    assert!(
        !aligned.draft,
        "a published release is never turned back into a draft"
    );
    assert!(aligned.prerelease);
    assert_eq!(aligned.body.as_deref(), Some("* better notes"));
    let updated = s
        .github
        .update_release(
            &s.repo,
            release.id,
            &ReleaseUpdate {
                name: Some("Renamed".to_owned()),
                ..ReleaseUpdate::default()
            },
        )
        .send()
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Renamed"));
    s.github.delete_release(&s.repo, release.id).send().unwrap();
    assert!(s.fake.releases("octo/app").is_empty());
}

#[test]
fn a_second_release_for_a_published_tag_is_refused_with_githubs_words() {
    let s = setup();
    s.fake.add_release("octo/app", "v1.0.0", false, None);
    let error = s
        .github
        .create_release(&s.repo, &draft("v1.0.0"))
        .send()
        .unwrap_err();
    assert_eq!(error.status(), Some(422));
    assert_eq!(
        error.to_string(),
        format!(
            "POST {}/repos/octo/app/releases answered 422 Unprocessable Entity: \
             Validation Failed: Release `tag_name` already_exists",
            s.fake.api_url()
        )
    );
    let (existing, created) = s.github.ensure_release(&s.repo, &draft("v1.0.0")).unwrap();
    assert!(!created);
    assert_eq!(existing.tag_name, "v1.0.0");
}

#[test]
fn assets_upload_with_their_type_and_are_replaced_on_resume() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let wheel = dir.path().join("app-1.0-py3-none-any.whl");
    fs_err::write(&wheel, b"old wheel").unwrap();
    let (release, _) = s.github.ensure_release(&s.repo, &draft("v1.0.0")).unwrap();
    let asset = s
        .github
        .replace_asset(&s.repo, &release, &wheel, None)
        .unwrap();
    assert_eq!(asset.name, "app-1.0-py3-none-any.whl");
    assert_eq!(asset.content_type, "application/zip");
    assert_eq!(asset.size, 9);
    // A resumed run uploads the rebuilt file again: the old asset is replaced, not duplicated.
    fs_err::write(&wheel, b"new wheel!").unwrap();
    s.fake.api().fail_next_on("/api/uploads", Fault::BadGateway);
    s.github
        .replace_asset(&s.repo, &release, &wheel, None)
        .unwrap();
    let assets = &s.fake.releases("octo/app")[0].assets;
    assert_eq!(assets.len(), 1);
    assert_eq!(
        assets[0],
        (
            "app-1.0-py3-none-any.whl".to_owned(),
            "application/zip".to_owned(),
            b"new wheel!".to_vec()
        )
    );
    let upload = s
        .fake
        .api()
        .requests()
        .into_iter()
        .rfind(|r| r.path.starts_with("/api/uploads"))
        .unwrap();
    assert_eq!(
        upload.query_param("name").as_deref(),
        Some("app-1.0-py3-none-any.whl")
    );
    assert_eq!(upload.header("content-length"), Some("10"));
    assert_eq!(
        s.github.release_assets(&s.repo, release.id).unwrap().len(),
        1
    );
}

#[test]
fn a_plan_renders_the_release_request_without_the_token() {
    let s = setup();
    let rendered = s
        .github
        .create_release(&s.repo, &draft("v1.0.0"))
        .render()
        .to_string();
    assert!(
        rendered.starts_with(&format!(
            "POST {}/repos/octo/app/releases\n",
            s.fake.api_url()
        )),
        "{rendered}"
    );
    assert!(rendered.contains("Authorization: ****"), "{rendered}");
    assert!(rendered.contains("\"tag_name\": \"v1.0.0\""), "{rendered}");
    assert!(!rendered.contains(relman_testkit::github::FakeGitHub::TOKEN));
    assert_eq!(s.fake.api().request_count(), 0, "rendering sends nothing");
}

/// GitHub's generated notes: the pull requests merged since the previous release, by title, and
/// a compare link; nothing is created.
#[test]
fn generated_notes_list_the_pull_requests_merged_since_the_previous_release() {
    let s = setup();
    let old = s
        .fake
        .add_pull_request("octo/app", "old", "main", "Old work");
    s.fake.merge_pull_request("octo/app", old);
    s.fake
        .set_now(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000));
    s.fake.add_release("octo/app", "v1.0.0", false, None);
    s.fake
        .set_now(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_100));
    let new = s
        .fake
        .add_pull_request("octo/app", "retry", "main", "Retry on resets");
    s.fake.merge_pull_request("octo/app", new);
    let notes = s
        .github
        .generate_release_notes(
            &s.repo,
            &relman_remote::github::NotesRequest {
                tag_name: "v1.1.0".to_owned(),
                target_commitish: Some(super::SHA.to_owned()),
                previous_tag_name: Some("v1.0.0".to_owned()),
                configuration_file_path: None,
            },
        )
        .send()
        .unwrap();
    assert_eq!(notes.name, "v1.1.0");
    assert!(
        notes
            .body
            .starts_with("## What's Changed\n* Retry on resets by @octocat in "),
        "{}",
        notes.body
    );
    assert!(!notes.body.contains("Old work"), "{}", notes.body);
    assert!(
        notes.body.ends_with("/octo/app/compare/v1.0.0...v1.1.0"),
        "{}",
        notes.body
    );
    assert_eq!(s.fake.releases("octo/app").len(), 1);
    assert!(s.fake.violations().is_empty(), "{:?}", s.fake.violations());
}
