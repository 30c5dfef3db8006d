//! New news fragments, named as `towncrier create ISSUE.TYPE` names them: the news file's `.md` or
//! `.rst` extension appended, `.1`, `.2`… when the name is taken, and `+` followed by eight random
//! hex digits for an orphan fragment when no issue is given.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;

use super::config::{Section, TowncrierConfig};
use super::error::TowncrierError;

/// The text towncrier puts in a fragment created without any.
pub const DEFAULT_FRAGMENT_CONTENT: &str = "Add your info here";

/// The section new fragments go to: the only one, else the first without a sub-folder, else the
/// first.
fn default_section(config: &TowncrierConfig) -> Section {
    config
        .sections
        .iter()
        .find(|section| config.sections.len() == 1 || section.path.is_empty())
        .or_else(|| config.sections.first())
        .cloned()
        .unwrap_or(Section {
            name: String::new(),
            path: String::new(),
        })
}

/// `.md` or `.rst` as the news file ends (its own spelling), when `create_add_extension` is on.
fn extension(config: &TowncrierConfig) -> String {
    if !config.create_add_extension {
        return String::new();
    }
    match std::path::Path::new(&config.filename)
        .extension()
        .and_then(|extension| extension.to_str())
    {
        Some(extension)
            if extension.eq_ignore_ascii_case("md") || extension.eq_ignore_ascii_case("rst") =>
        {
            format!(".{extension}")
        }
        _ => String::new(),
    }
}

fn random_hex() -> String {
    // Eight hex digits, as towncrier's `os.urandom(4).hex()`; std's randomly keyed hasher is
    // random enough to keep two orphan names apart.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:08x}", hasher.finish() as u32)
}

/// The file `relman fragment new KIND [ID]` creates: checked against the configured types, in the
/// default section's folder, not yet existing. Without `id` the fragment is an orphan.
pub fn new_fragment_path(
    config: &TowncrierConfig,
    kind: &str,
    id: Option<&str>,
) -> Result<PathBuf, TowncrierError> {
    if config.fragment_type(kind).is_none() {
        return Err(TowncrierError::UnknownFragmentType {
            kind: kind.to_owned(),
            valid: config.type_keys(),
        });
    }
    let issue = match id {
        None | Some("") if config.orphan_prefix.is_empty() => {
            return Err(TowncrierError::InvalidFragmentId {
                id: String::new(),
                reason: "orphan fragments are turned off (`orphan_prefix` is empty): give an issue",
            });
        }
        None | Some("") => format!("{}{}", config.orphan_prefix, random_hex()),
        Some(id) if !config.orphan_prefix.is_empty() && id == config.orphan_prefix => {
            format!("{id}{}", random_hex())
        }
        Some(id) => id.to_owned(),
    };
    if issue.contains('.') {
        return Err(TowncrierError::InvalidFragmentId {
            id: issue,
            reason: "it must not contain `.`, which separates the issue from the type",
        });
    }
    if issue.contains(['/', '\\']) || issue.trim().is_empty() {
        return Err(TowncrierError::InvalidFragmentId {
            id: issue,
            reason: "it must be a plain name, not a path",
        });
    }
    let folder = config.section_dir(&default_section(config));
    let extension = extension(config);
    let mut path = folder.join(format!("{issue}.{kind}{extension}"));
    let mut retry = 0;
    while path.exists() {
        retry += 1;
        path = folder.join(format!("{issue}.{kind}.{retry}{extension}"));
    }
    Ok(path)
}

/// A fragment's file text: `text` with a final newline when `create_eof_newline` asks for one.
pub fn fragment_content(config: &TowncrierConfig, text: &str) -> String {
    if config.create_eof_newline && !text.is_empty() && !text.ends_with('\n') {
        format!("{text}\n")
    } else {
        text.to_owned()
    }
}

/// Creates the fragment (and its folder) and returns its path.
pub fn create_fragment(
    config: &TowncrierConfig,
    kind: &str,
    id: Option<&str>,
    text: &str,
) -> Result<PathBuf, TowncrierError> {
    let path = new_fragment_path(config, kind, id)?;
    if let Some(folder) = path.parent() {
        fs_err::create_dir_all(folder)?;
    }
    fs_err::write(&path, fragment_content(config, text))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_towncrier_create() {
        let dir = tempfile::tempdir().unwrap();
        let config = TowncrierConfig::with_defaults(dir.path(), "changes", "CHANGELOG.md");
        let first = create_fragment(&config, "feature", Some("12"), "Added x").unwrap();
        assert_eq!(first, dir.path().join("changes/12.feature.md"));
        assert_eq!(fs_err::read_to_string(&first).unwrap(), "Added x\n");
        let second = new_fragment_path(&config, "feature", Some("12")).unwrap();
        assert_eq!(second, dir.path().join("changes/12.feature.1.md"));

        let orphan = new_fragment_path(&config, "bugfix", None).unwrap();
        let name = orphan.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with('+')
                && name.ends_with(".bugfix.md")
                && name.len() == "+12345678.bugfix.md".len(),
            "{name}"
        );
    }

    #[test]
    fn unknown_types_and_dotted_ids_are_refused() {
        let config =
            TowncrierConfig::with_defaults(std::path::Path::new("/p"), "changes", "NEWS.rst");
        let error = new_fragment_path(&config, "feat", Some("1")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown fragment type `feat`: the valid types are `feature`, `bugfix`, `doc`, `removal`, `misc`"
        );
        assert!(error.hint().is_some());
        let error = new_fragment_path(&config, "feature", Some("1.2")).unwrap_err();
        assert!(
            error.to_string().contains("must not contain `.`"),
            "{error}"
        );
    }
}
