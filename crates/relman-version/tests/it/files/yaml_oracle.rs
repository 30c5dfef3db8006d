//! relman's YAML locator against a real YAML parser: `tests/data/files/yaml-oracle/expected.json`
//! records what PyYAML finds in each fixture (see `generate.py` there), and every key must be
//! read the same way here, in LF and CRLF files: the same text on the same line, "not a string"
//! for what is not a one-line scalar, and "not found" for lookalike keys inside block scalars,
//! multi-line strings and flow collections.

use serde_json::Value;

use relman_version::files::{self, FileError, VersionFileSpec};

use super::data;

fn dotted(path: &[Value]) -> String {
    let segments: Vec<String> = path
        .iter()
        .map(|segment| format!("\"{}\"", segment.as_str().unwrap()))
        .collect();
    segments.join(".")
}

#[test]
fn locator_agrees_with_pyyaml() {
    let folder = data("yaml-oracle");
    let expected: Value =
        serde_json::from_str(&fs_err::read_to_string(folder.join("expected.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for (file, entries) in expected.as_object().unwrap() {
        let text = fs_err::read_to_string(folder.join(file)).unwrap();
        for crlf in [false, true] {
            let root = tempfile::tempdir().unwrap();
            let content = if crlf {
                text.replace('\n', "\r\n")
            } else {
                text.clone()
            };
            super::write(root.path(), file, content.as_bytes());
            for entry in entries.as_array().unwrap() {
                let key = dotted(entry["path"].as_array().unwrap());
                let kind = entry["kind"].as_str().unwrap();
                let spec = VersionFileSpec::key(file, &key).unwrap();
                let result = files::read(root.path(), &[spec]);
                let context = format!("{file} {key} (crlf: {crlf}): {result:?}");
                match kind {
                    "scalar" => {
                        let want_value = entry["value"].as_str().unwrap();
                        let want_line = entry["line"].as_u64().unwrap() as usize;
                        let (value, line) = match &result {
                            Ok(found) => (found[0].value.as_str(), found[0].line),
                            Err(FileError::NotAVersion { value, line, .. }) => {
                                (value.as_str(), *line)
                            }
                            Err(_) => panic!("{context}"),
                        };
                        assert_eq!((value, line), (want_value, want_line), "{context}");
                    }
                    "mapping" | "other" => {
                        assert!(
                            matches!(result, Err(FileError::NotAString { .. })),
                            "{context}"
                        );
                    }
                    "unsupported" | "absent" => {
                        assert!(
                            matches!(result, Err(FileError::KeyMissing { .. })),
                            "{context}"
                        );
                    }
                    other => panic!("unknown kind {other}"),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} keys checked");
}
