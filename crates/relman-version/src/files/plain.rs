//! Plain version files (`VERSION`, `version.txt`): the whole file is the version. Surrounding
//! whitespace, including the trailing newline or its absence, is kept as it was.

use super::text::Location;

pub(super) fn locate(text: &str) -> Vec<Location> {
    let leading = text.len() - text.trim_start().len();
    let value = text.trim();
    if value.is_empty() {
        return Vec::new();
    }
    vec![Location::new(
        leading..leading + value.len(),
        "the whole file",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_whole_file() {
        let text = "\n 1.2.3 \r\n";
        assert_eq!(&text[locate(text)[0].span.clone()], "1.2.3");
        assert!(locate(" \n").is_empty());
    }
}
