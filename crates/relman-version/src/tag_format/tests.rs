//! Tag formats: rendering, reading back, errors, and guesses from real repositories' tags.

use super::*;

#[test]
fn render_and_extract() {
    let format = TagFormat::parse("v{version}").unwrap();
    assert_eq!(format.render("1.2.3"), "v1.2.3");
    assert_eq!(format.extract("v1.2.3"), Some("1.2.3"));
    assert_eq!(format.extract("1.2.3"), None);
    assert_eq!(format.extract("v"), None);
    let format = TagFormat::parse("mylib-{version}-final").unwrap();
    assert_eq!(format.render("2.0"), "mylib-2.0-final");
    assert_eq!(format.extract("mylib-2.0-final"), Some("2.0"));
    assert_eq!(format.extract("mylib-2.0"), None);
    assert_eq!(format.extract("mylib--final"), None);
    let bare = TagFormat::parse("{version}").unwrap();
    assert_eq!(bare.extract("anything"), Some("anything"));
    assert_eq!(bare.to_string(), "{version}");
}

#[test]
fn escaped_braces_are_literal() {
    let format = TagFormat::parse("{{v}}{version}").unwrap();
    assert_eq!(format.prefix(), "{v}");
    assert_eq!(format.render("1.0"), "{v}1.0");
    assert_eq!(format.to_string(), "{{v}}{version}");
    assert_eq!(TagFormat::parse(&format.to_string()).unwrap(), format);
}

#[test]
fn errors_say_what_is_wrong() {
    let cases = [
        ("v", "tag format `v` has no `{version}`"),
        (
            "{version}-{version}",
            "tag format `{version}-{version}` has `{version}` more than once",
        ),
        (
            "{project}-{version}",
            "tag format `{project}-{version}` has an unknown placeholder `{project}`",
        ),
        (
            "v{version",
            "tag format `v{version` has an unmatched `{` at byte 1",
        ),
        (
            "v}{version}",
            "tag format `v}{version}` has an unmatched `}` at byte 1",
        ),
        ("{{version}}", "tag format `{{version}}` has no `{version}`"),
        (
            "release {version}",
            "cannot make a git tag name: it contains a space",
        ),
        ("-{version}", "cannot start with `-`"),
        ("{version}.lock", "cannot end with"),
        ("a..b{version}", "it contains `..`"),
    ];
    for (format, message) in cases {
        let error = TagFormat::parse(format).unwrap_err();
        assert!(error.to_string().contains(message), "{format}: {error}");
        assert!(error.hint().is_some());
    }
}

#[test]
fn guess_from_existing_tags() {
    let semver = Scheme::Semver;
    let guess =
        |tags: &[&str], scheme: &Scheme| TagFormat::guess(tags.iter().copied(), scheme, None);
    let v = guess(
        &["v1.0.0", "v1.1.0", "1.0.0", "nightly", "v1.2.0-rc.1"],
        &semver,
    )
    .unwrap();
    assert_eq!(v.to_string(), "v{version}");
    let bare = guess(&["1.0.0", "1.1.0", "latest"], &semver).unwrap();
    assert_eq!(bare.to_string(), "{version}");
    let named = guess(&["lib2-v1.0.0", "lib2-v1.1.0", "other-v3.0.0"], &semver).unwrap();
    assert_eq!(named.to_string(), "lib2-v{version}");
    let tie = guess(&["a-1.0.0", "b-2.0.0"], &semver).unwrap();
    assert_eq!(tie.to_string(), "b-{version}");
    let own = TagFormat::guess(
        ["lib2-v1.0.0", "lib2-v1.1.0", "other-v3.0.0"],
        &semver,
        Some("other"),
    )
    .unwrap();
    assert_eq!(own.to_string(), "other-v{version}");
    assert_eq!(guess(&["nightly", "stable"], &semver), None);
    let gem = guess(
        &["v8.1.3.1", "v8.1.0.beta1", "v1", "v1.1.0_RC1"],
        &Scheme::Rubygems,
    )
    .unwrap();
    assert_eq!(gem.to_string(), "v{version}");
    let version = gem.version_of("v8.1.3.1", &Scheme::Rubygems).unwrap();
    assert_eq!(version.to_string(), "8.1.3.1");
    assert_eq!(gem.read("v1", &Scheme::Rubygems), TagRead::NotRelease);
    assert_eq!(
        gem.read("v1.1.0_RC1", &Scheme::Rubygems),
        TagRead::NotRelease
    );
    // PEP 440 reads `v1.0` by itself: the prefix still keeps the `v`.
    let pep = guess(&["v1.0", "v1.1rc1"], &Scheme::Pep440).unwrap();
    assert_eq!(pep.to_string(), "v{version}");
    let version = pep.version_of("v1.1rc1", &Scheme::Pep440).unwrap();
    assert_eq!(version.to_string(), "1.1rc1");
    assert_eq!(pep.version_of("v1.x", &Scheme::Pep440), None);
    let calver: Scheme = "calver:YYYY.0M.MICRO".parse().unwrap();
    assert_eq!(
        TagFormat::guess(["v1.0.0", "v1.2.3.4"], &semver, None)
            .unwrap()
            .to_string(),
        "v{version}",
        "a four-part tag never makes the format `v1.{{version}}`"
    );
    let guessed = guess(&["release-2024.06.0", "release-2024.07.1"], &calver).unwrap();
    assert_eq!(guessed.to_string(), "release-{version}");
}

mod real_tags {
    //! Tag layouts seen in real repositories.
    use super::*;
    use crate::tag_format::guess::is_own_prefix;

    fn guess(tags: &[&str], scheme: &Scheme, name: Option<&str>) -> String {
        TagFormat::guess(tags.iter().copied(), scheme, name)
            .unwrap()
            .to_string()
    }

    #[test]
    fn another_crate_s_tags_do_not_win_by_number() {
        // ripgrep: bare tags for the binary, `NAME-VERSION` for the library crates.
        let mut tags = vec!["0.10.0", "11.0.0", "14.1.0", "15.1.0"];
        let libraries: Vec<String> = (0..30).map(|n| format!("globset-0.4.{n}")).collect();
        tags.extend(libraries.iter().map(String::as_str));
        assert_eq!(guess(&tags, &Scheme::Semver, Some("ripgrep")), "{version}");
    }

    #[test]
    fn the_form_of_the_newest_release_wins() {
        // fzf: many old bare tags, the newer ones with a `v`.
        let mut tags: Vec<String> = (1..60).map(|n| format!("0.{n}.0")).collect();
        tags.extend((60..75).map(|n| format!("v0.{n}.0")));
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        assert_eq!(guess(&tags, &Scheme::Semver, Some("fzf")), "v{version}");
    }

    #[test]
    fn the_project_s_own_name_is_its_prefix() {
        let tags = ["jq-1.5", "jq-1.6", "jq-1.7.1", "jq-1.8.0"];
        assert_eq!(guess(&tags, &Scheme::Semver, Some("jq")), "jq-{version}");
        let tags = [
            "tracing-0.1.40",
            "tracing-subscriber-0.3.23",
            "tracing-core-0.1.33",
        ];
        assert_eq!(
            guess(&tags, &Scheme::Semver, Some("tracing")),
            "tracing-{version}"
        );
    }

    #[test]
    fn a_v_before_a_separator_is_the_project_s() {
        // rustls: `v/0.23.43` for the main crate, `rustls-post-quantum-v/0.2.4` for another.
        let tags = ["v/0.23.42", "v/0.23.43", "rustls-post-quantum-v/0.2.4"];
        assert_eq!(guess(&tags, &Scheme::Semver, Some("rustls")), "v/{version}");
        let own = TagFormat::guess_own(
            ["rustls-post-quantum-v/0.2.3", "rustls-post-quantum-v/0.2.4"],
            &Scheme::Semver,
            Some("rustls-post-quantum"),
        );
        assert_eq!(
            own.map(|format| format.to_string()).as_deref(),
            Some("rustls-post-quantum-v/{version}")
        );
        assert!(!is_own_prefix("rustls-post-quantum-v/", Some("rustls")));
    }

    #[test]
    fn reading_tags() {
        let format = TagFormat::parse("v{version}").unwrap();
        let semver = Scheme::Semver;
        let read = |tag: &str| format.read(tag, &semver);
        assert_eq!(
            read("v1.0"),
            TagRead::Release(semver.parse("1.0.0").unwrap())
        );
        assert_eq!(read("v1.2.3.4"), TagRead::NotRelease);
        assert_eq!(read("v1"), TagRead::NotRelease);
        assert_eq!(read("v2.3.x"), TagRead::NotRelease);
        assert_eq!(read("v01.2"), TagRead::NotRelease);
        assert_eq!(
            read("v25.07.1"),
            TagRead::Release(semver.parse("25.7.1").unwrap())
        );
        assert_eq!(
            read("v25.07"),
            TagRead::Release(semver.parse("25.7.0").unwrap())
        );
        assert_eq!(read("v1.0-rc1"), TagRead::NotRelease);
        assert_eq!(read("rpm-0.1"), TagRead::Other);
        let bare = TagFormat::parse("{version}").unwrap();
        assert_eq!(bare.read("globset-0.4.20", &semver), TagRead::NotRelease);
        assert_eq!(bare.read("-", &semver), TagRead::NotRelease);
        assert_eq!(
            bare.read("1.2.3.4", &Scheme::Pep440),
            TagRead::Release(Scheme::Pep440.parse("1.2.3.4").unwrap())
        );
    }

    #[test]
    fn a_maven_parent_s_tags_are_the_project_s() {
        let semver = Scheme::Semver;
        // okhttp, okio: maven-release-plugin tagged the root artifact `parent`.
        let okio = [
            "3.16.2",
            "parent-3.16.4",
            "parent-3.17.0",
            "okio-wasi-1.0.0",
        ];
        assert_eq!(guess(&okio, &semver, Some("okio")), "parent-{version}");
        // gson: the root artifact `gson-parent`.
        let gson = ["gson-2.1", "gson-parent-2.13.0", "gson-parent-2.14.0"];
        assert_eq!(guess(&gson, &semver, Some("gson")), "gson-parent-{version}");
        // commons-lang3: the artifact carries its major version, the tags do not; the final
        // `rel/` tags are newer than the release candidates.
        let lang = [
            "commons-lang-3.19.0-RC1",
            "rel/commons-lang-3.19.0",
            "commons-lang-3.20.0-RC1",
            "commons-lang-3.20.0-RC2",
            "rel/commons-lang-3.20.0",
        ];
        assert_eq!(
            guess(&lang, &semver, Some("commons-lang3")),
            "rel/commons-lang-{version}"
        );
        // Another project's `-parent`, or a digit-only difference, is no own prefix.
        assert!(!is_own_prefix("moshi-parent-", Some("gson")));
        assert!(!is_own_prefix("commons-lang3-", Some("commons-lang")));
    }
}
