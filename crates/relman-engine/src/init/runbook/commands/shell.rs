//! A shell line cut into the commands it runs one after the other (`a && b`, `a; b`), where the
//! shell would cut it: outside quotes and `$( )`.

/// The commands of an `&&` list (or a `;` sequence), cut where the shell would (outside quotes
/// and `$( )`).
pub(super) fn and_list(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quote, mut depth, mut start) = (None, 0usize, 0);
    let bytes = line.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match (quote, byte) {
            (Some(open), _) if byte == open => quote = None,
            (Some(b'"'), b'\\') => index += 1,
            (Some(_), _) => {}
            (None, b'\'' | b'"' | b'`') => quote = Some(byte),
            (None, b'\\') => index += 1,
            (None, b'(') => depth += 1,
            (None, b')') => depth = depth.saturating_sub(1),
            (None, b'&') if depth == 0 && bytes.get(index + 1) == Some(&b'&') => {
                parts.push(line[start..index].trim());
                index += 1;
                start = index + 1;
            }
            // `git tag v1.2.3; git push origin v1.2.3`: one command after the other.
            (None, b';') if depth == 0 => {
                parts.push(line[start..index].trim());
                start = index + 1;
            }
            (None, _) => {}
        }
        index += 1;
    }
    parts.push(line[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}
