//! relman's fuzz targets: what arrives with a clone (relman.toml, version files, changelogs,
//! towncrier configs and templates, commit messages, tag names) and what relman wrote and reads
//! back (the journal), each given arbitrary bytes. A target panics only on a real bug: a crash of
//! the code under test, or a broken invariant it asserts (a version that does not survive being
//! rendered and parsed again, a bump that does not go up, a tag that does not give back the
//! version it was made from).
//!
//! The same functions run under libFuzzer (`fuzz_targets/`, `cargo +nightly fuzz run NAME`) and
//! under the stable mutation loop (`src/bin/fuzz-stable.rs`); `tests/regressions.rs` replays every
//! input kept in `regressions/NAME/` and `seeds/NAME/`.

use std::path::Path;
use std::sync::OnceLock;

use relman_engine::config::Config;
use relman_version::bump::{BumpOptions, Impact, Level, bump};
use relman_version::changelog::document::{Document, Format};
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::changelog::template::ChangelogTemplate;
use relman_version::changelog::towncrier;
use relman_version::date::Date;
use relman_version::scheme::Scheme;
use relman_version::tag_format::TagFormat;

/// A fuzz target: it takes any bytes, and panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target, by name.
pub const TARGETS: [(&str, Target); 8] = [
    ("config", config),
    ("versions", versions),
    ("tag_formats", tag_formats),
    ("conventional", conventional),
    ("changelog", changelog),
    ("towncrier", towncrier),
    ("journal", journal),
    ("condition", condition),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, target)| *target)
}

/// `relman.toml` bytes: read (UTF-8 checked, with its position), parsed, validated; a valid one
/// is rendered as the runbook `relman docs` prints.
pub fn config(data: &[u8]) {
    if let Ok(config) = Config::from_bytes(Path::new("relman.toml"), data) {
        let _ = relman_engine::docs::render(&config, None);
        let _ = serde_json::to_string(&config.workflows);
    }
}

const SCHEMES: [&str; 8] = [
    "semver",
    "pep440",
    "calver:YYYY.0M.MICRO",
    "calver:YY.MM",
    "calver:YYYY.0W.MICRO",
    "calver:0Y.0M.0D",
    "calver:YYYY-0M-0D",
    "calver:YYYY.MM.DD.MICRO",
];

const LEVELS: [Level; 14] = [
    Level::Major,
    Level::Minor,
    Level::Patch,
    Level::Premajor,
    Level::Preminor,
    Level::Prepatch,
    Level::Prerelease,
    Level::Alpha,
    Level::Beta,
    Level::Rc,
    Level::Release,
    Level::Dev,
    Level::Post,
    Level::Auto,
];

/// A version in every scheme (or, on a first line `calver:…`, in that scheme): parsed, rendered
/// and parsed again to the same version; every level bumps it to a greater one.
pub fn versions(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (schemes, version): (Vec<Scheme>, &str) = match text.split_once('\n') {
        Some((scheme, version)) if scheme.starts_with("calver:") => {
            match scheme.parse::<Scheme>() {
                Ok(scheme) => (vec![scheme], version),
                Err(_) => return,
            }
        }
        _ => (
            SCHEMES.iter().map(|name| name.parse().unwrap()).collect(),
            &text,
        ),
    };
    let today = Date::new(2024, 6, 15).unwrap();
    for scheme in schemes {
        let Ok(current) = scheme.parse(version) else {
            continue;
        };
        let rendered = current.to_string();
        let again = scheme
            .parse(&rendered)
            .unwrap_or_else(|error| panic!("`{version}` renders as `{rendered}`: {error}"));
        assert_eq!(again, current, "`{version}` → `{rendered}` in {scheme}");
        assert_eq!(again.to_string(), rendered);
        for label in [None, Some("rc"), Some("b")] {
            let mut options = BumpOptions::new(today);
            options.pre_label = label.map(str::to_owned);
            options.impact = Impact::Minor;
            for level in &LEVELS {
                if let Ok(Some(next)) = bump(&current, level, &options) {
                    // The oracles' one way down: a new pre-release cycle of the same release
                    // with a lower label (npm's `prerelease`, Poetry's `pre*`).
                    let release =
                        |v: &relman_version::version::Version| (v.major(), v.minor(), v.patch());
                    let restarts = current.is_prerelease()
                        && next.is_prerelease()
                        && release(&current) == release(&next);
                    assert!(
                        next > current || restarts,
                        "{level} on {current} gave {next}"
                    );
                }
            }
        }
    }
}

/// `FORMAT\nVERSION\nTAG`: a tag format read; a version rendered as a tag gives itself back; any
/// tag is read without a panic.
pub fn tag_formats(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(3, '\n');
    let (Some(format), version, tag) = (lines.next(), lines.next(), lines.next()) else {
        return;
    };
    let Ok(format) = TagFormat::parse(format) else {
        return;
    };
    if let Some(version) = version.filter(|version| !version.is_empty()) {
        let tag = format.render(version);
        assert_eq!(
            format.extract(&tag),
            Some(version),
            "`{tag}` from `{format}`"
        );
    }
    if let Some(tag) = tag {
        let _ = format.extract(tag);
        for scheme in ["semver", "pep440"] {
            let _ = format.version_of(tag, &scheme.parse().unwrap());
        }
    }
}

/// A commit message: read as a Conventional Commit (or not), every part of it asked for, and
/// rendered into release notes.
pub fn conventional(data: &[u8]) {
    let commit = relman_version::conventional::parse(data);
    let _ = (
        commit.kind(),
        commit.subject(),
        commit.commit_type(),
        commit.scope(),
    );
    let _ = (
        commit.description(),
        commit.pr_number(),
        commit.is_breaking(),
    );
    let _ = (
        commit.breaking_description(),
        commit.is_merge(),
        commit.is_revert(),
    );
    let _ = (commit.impact(), commit.body(), commit.reverted_commit());
    for footer in commit.footers() {
        let _ = format!("{footer:?}");
    }
    let mut notes = ReleaseNotes::new("1.2.3", "v1.2.3", "2024-06-15", NotesOptions::default());
    notes.push("0123456789abcdef0123456789abcdef01234567", &commit);
    let _ = relman_version::changelog::markdown::render_section(&notes, None);
}

/// A changelog file in every format: its versions, each version's section, where a new section
/// goes, and the file with one inserted (which must hold it). A first line `{% …` or `{{ …` is
/// rendered as a changelog template instead.
pub fn changelog(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if text.starts_with("{%") || text.starts_with("{{") {
        if let Ok(template) = ChangelogTemplate::from_source("CHANGELOG.md.j2", text.as_ref()) {
            let notes = ReleaseNotes::new("1.2.3", "v1.2.3", "2024-06-15", NotesOptions::default())
                .with_previous("1.2.2", "v1.2.2");
            let _ = template.render(&notes, None);
        }
        return;
    }
    let section = "## 9.9.9 - 2024-06-15\n\n- a change\n";
    for format in [Format::Markdown, Format::Rst] {
        let document = Document::with_format(&text, format);
        for version in document.versions() {
            let _ = document.find_section(&version);
        }
        let _ = document.find_section("9.9.9");
        for marker in [None, Some("<!-- towncrier release notes start -->")] {
            let at = document.insertion_point(marker);
            assert!(at <= text.len() && text.is_char_boundary(at), "{at}");
            let inserted = document.insert_section(section, marker);
            // (In a file with CRLF line endings, the section gets them too.)
            let inserted = inserted.replace("\r\n", "\n");
            assert!(
                inserted.contains(section.trim_end()),
                "the section was lost"
            );
        }
    }
}

/// A folder for the towncrier target's template file, made once per process.
fn scratch() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("relman-fuzz-{}", std::process::id()));
        fs_err::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

/// `CONFIG\0TEMPLATE\0FRAGMENT`: a towncrier configuration read, with a template file of its
/// own when one is given, then one release rendered from one fragment of each type.
pub fn towncrier(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let config = parts.next().unwrap_or_default();
    let template = parts.next();
    let fragment = parts.next().unwrap_or("A change.");
    let dir = scratch();
    let config_file = dir.join("towncrier.toml");
    let mut config_text = config.to_owned();
    if let Some(template) = template {
        fs_err::write(dir.join("template.md.j2"), template).expect("write the template");
        config_text = format!("[tool.towncrier]\ntemplate = \"template.md.j2\"\n{config}");
    }
    let Ok(config) = towncrier::TowncrierConfig::from_toml(dir, config_file, &config_text, None)
    else {
        return;
    };
    let sections = config
        .sections
        .iter()
        .map(|section| towncrier::SectionFragments {
            section: section.clone(),
            fragments: config
                .types
                .iter()
                .enumerate()
                .map(|(index, kind)| towncrier::Fragment {
                    path: dir.join(format!("{index}.{}", kind.key)),
                    issue: index.to_string(),
                    kind: kind.key.clone(),
                    counter: "0".to_owned(),
                    content: fragment.to_owned(),
                })
                .collect(),
        })
        .collect();
    let fragments = towncrier::Fragments { sections };
    let Ok(notes) = towncrier::arrange(&config, &fragments) else {
        return;
    };
    let version = towncrier::VersionData {
        name: "app".to_owned(),
        version: "1.2.3".to_owned(),
        date: "2024-06-15".to_owned(),
    };
    let _ = towncrier::render(&config, &notes, &version);
}

/// A journal's text: loaded or refused, never a panic.
pub fn journal(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = relman_engine::journal::parse(Path::new("journal.json"), text);
    }
}

/// An `if` expression, evaluated over the variables a plan has.
pub fn condition(data: &[u8]) {
    static CONTEXT: OnceLock<minijinja::Value> = OnceLock::new();
    let context = CONTEXT.get_or_init(|| {
        minijinja::Value::from(minijinja::value::Serde(serde_json::json!({
            // Typed as the plan types them: numbers for the version's parts, booleans and
            // whole numbers for arguments, environment values and outputs that read so.
            "version": "1.2.3", "previous_version": "1.2.2", "major": 1, "minor": 2,
            "patch": 3, "pre": "", "tag": "v1.2.3", "branch": "main", "date": "2024-06-15",
            "is_prerelease": false, "is_final": true, "has_changelog": true,
            "has_forge_token": false, "args": { "bump": "minor", "docker": true, "count": 3 },
            "env": { "CI": true, "NAME": "x" }, "project": "app",
            "steps": { "pr": { "number": 12, "url": "https://example.invalid/pr/12" } },
        })))
    });
    let text = String::from_utf8_lossy(data);
    let _ = relman_engine::plan::evaluate(&text, context);
}
