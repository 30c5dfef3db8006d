//! Pattern files: the configured text with `{version}` must occur exactly once; only the part
//! standing for `{version}` is located (and later replaced).

use std::path::Path;

use super::FileError;
use super::spec::Pattern;
use super::text::{Location, line_of};

pub(super) fn locate(
    path: &Path,
    text: &str,
    pattern: &Pattern,
) -> Result<Vec<Location>, FileError> {
    let spans: Vec<_> = pattern
        .regex()
        .captures_iter(text)
        .filter_map(|captures| captures.get(1))
        .map(|version| version.range())
        .collect();
    match spans.as_slice() {
        [] => Err(FileError::PatternNoMatch {
            path: path.to_owned(),
            pattern: pattern.as_str().to_owned(),
        }),
        [span] => Ok(vec![Location::new(span.clone(), pattern.as_str())]),
        several => Err(FileError::PatternAmbiguous {
            path: path.to_owned(),
            pattern: pattern.as_str().to_owned(),
            lines: several
                .iter()
                .map(|span| line_of(text, span.start))
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{VersionFileKind, VersionFileSpec};
    use super::*;

    fn find<'t>(pattern: &str, text: &'t str) -> Result<&'t str, FileError> {
        let spec = VersionFileSpec::pattern("f", pattern).unwrap();
        let VersionFileKind::Pattern(pattern) = spec.kind() else {
            unreachable!()
        };
        let found = locate(Path::new("f"), text, pattern)?;
        Ok(&text[found[0].span.clone()])
    }

    #[test]
    fn only_the_placeholder_is_located() {
        assert_eq!(
            find(
                "__version__ = \"{version}\"",
                "x\n__version__ = \"1.2.3\"\n"
            )
            .unwrap(),
            "1.2.3"
        );
        assert_eq!(
            find("ver: [{version}]*", "ver: [1.0+local.1]*").unwrap(),
            "1.0+local.1"
        );
        assert_eq!(
            find("image: app:v{version}", "image: app:v2.0.0-rc.1 # c").unwrap(),
            "2.0.0-rc.1"
        );
    }

    #[test]
    fn zero_or_several_matches() {
        let error = find("VERSION=\"{version}\"", "MY_VERSION=\"1.0\"\n").unwrap_err();
        assert!(matches!(error, FileError::PatternNoMatch { .. }), "{error}");
        let error = find("v{version}", "v1.0\nv1.0\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the pattern `v{version}` matches `f` 2 times (lines 1, 2), expected exactly once"
        );
    }
}
