//! Counted nouns for messages: "1 commit", "2 commits", never "1 commit(s)".

/// `count` followed by the noun in the number it needs.
pub fn counted(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(0, "commit", "commits"), "0 commits");
        assert_eq!(counted(1, "commit", "commits"), "1 commit");
        assert_eq!(
            counted(2, "release section", "release sections"),
            "2 release sections"
        );
    }
}
