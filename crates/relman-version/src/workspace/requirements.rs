//! How a requirement on a package of the same repository follows that package's new version, as
//! each ecosystem's own tool has it:
//!
//! - Cargo, as `cargo set-version` (cargo-edit) rewrites path requirements: every comparator
//!   keeps its operator and its precision and takes the new version's numbers (`0.4.16` →
//!   `0.4.17`, `=0.4.16` → `=0.4.17`, `0.4` → `0.5`, `1.*` → `2.*`); `>`, `>=`, `<`, `<=` are not
//!   rewritten (cargo-edit refuses them).
//! - npm, as `changeset version` does: [`npm::satisfies`] and the range kept in its form
//!   (`^1.2.0` → `^1.3.0`).
//! - Go: a sibling module's `require` names the new version (`v1.3.0`).

use serde::{Deserialize, Serialize};

use super::Ecosystem;

/// A requirement rewritten: in `manifest` (relative to the root), the requirement on
/// `dependency` goes from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementChange {
    pub manifest: std::path::PathBuf,
    pub ecosystem: Ecosystem,
    /// The dependency's name as the manifest names it (a Go module: its module path).
    pub dependency: String,
    pub from: String,
    pub to: String,
}

/// Why a requirement cannot follow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the requirement `{requirement}` cannot be rewritten for {version}: {reason}")]
pub struct RequirementError {
    pub requirement: String,
    pub version: String,
    pub reason: String,
}

/// A comparator of a Cargo requirement: operator and numbers given (its pre-release is replaced
/// by the new version's).
struct Comparator {
    op: &'static str,
    numbers: Vec<String>,
}

fn parse_cargo_comparator(text: &str) -> Option<Comparator> {
    let text = text.trim();
    let (op, rest) = ["=", "^", "~", ">=", "<=", ">", "<"]
        .iter()
        .find_map(|op| text.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("", text));
    let rest = rest.trim();
    let core = rest.split_once('-').map_or(rest, |(core, _)| core);
    let numbers: Vec<String> = core.split('.').map(str::to_owned).collect();
    if numbers.is_empty()
        || numbers.len() > 3
        || numbers.iter().enumerate().any(|(index, part)| {
            !(part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty()
                || (index > 0 && matches!(part.as_str(), "*" | "x" | "X")))
        })
    {
        return None;
    }
    Some(Comparator { op, numbers })
}

/// The requirement `cargo set-version` writes for `requirement` when the crate it names moves to
/// `version`; `Ok(None)` when it stays as written.
pub fn cargo_upgrade(
    requirement: &str,
    version: &semver::Version,
) -> Result<Option<String>, RequirementError> {
    let error = |reason: &str| RequirementError {
        requirement: requirement.to_owned(),
        version: version.to_string(),
        reason: reason.to_owned(),
    };
    if requirement.trim().is_empty() || requirement.trim() == "*" {
        return Ok(None);
    }
    let mut rewritten = Vec::new();
    for part in requirement.split(',') {
        let comparator =
            parse_cargo_comparator(part).ok_or_else(|| error("it is not a Cargo requirement"))?;
        if matches!(comparator.op, ">=" | "<=" | ">" | "<") {
            return Err(error(
                "a range with `>`, `>=`, `<` or `<=` is not rewritten (cargo-edit refuses it too); edit it by hand",
            ));
        }
        let wildcard = comparator
            .numbers
            .iter()
            .any(|part| matches!(part.as_str(), "*" | "x" | "X"));
        let new_parts = [version.major, version.minor, version.patch];
        let mut text = String::from(if comparator.op == "^" {
            "^"
        } else {
            comparator.op
        });
        let mut numbers = Vec::new();
        for (index, part) in comparator.numbers.iter().enumerate() {
            if matches!(part.as_str(), "*" | "x" | "X") {
                numbers.push("*".to_owned());
            } else {
                numbers.push(new_parts[index].to_string());
            }
        }
        text.push_str(&numbers.join("."));
        if !wildcard && !version.pre.is_empty() {
            text.push('-');
            text.push_str(version.pre.as_str());
        }
        rewritten.push(text);
    }
    let text = rewritten.join(", ");
    let normalized = requirement
        .split(',')
        .map(|part| part.trim().replace(' ', ""))
        .collect::<Vec<_>>()
        .join(", ");
    Ok((text != normalized || text != requirement).then_some(text))
}

/// A semantic version as npm and Cargo read it (one leading `v` allowed).
pub fn parse_semver(text: &str) -> Result<semver::Version, semver::Error> {
    semver::Version::parse(text.trim().trim_start_matches('v'))
}

/// The requirement of a Go `require` line for a sibling module released at `version`.
pub fn go_require(version: &str) -> String {
    format!("v{}", version.trim_start_matches('v'))
}

/// Whether `ecosystem` rewrites requirements that still allow the new version (Cargo and Go do,
/// npm only ranges the version leaves).
pub fn always_rewritten(ecosystem: Ecosystem) -> bool {
    matches!(ecosystem, Ecosystem::Cargo | Ecosystem::Go)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upgrade(requirement: &str, version: &str) -> Option<String> {
        cargo_upgrade(requirement, &semver::Version::parse(version).unwrap()).unwrap()
    }

    #[test]
    fn cargo_edit_rules() {
        assert_eq!(upgrade("0.4.16", "0.4.17").as_deref(), Some("0.4.17"));
        assert_eq!(upgrade("=0.4.16", "0.4.17").as_deref(), Some("=0.4.17"));
        assert_eq!(upgrade("^0.4.16", "0.5.0").as_deref(), Some("^0.5.0"));
        assert_eq!(upgrade("~1.2", "1.3.0").as_deref(), Some("~1.3"));
        assert_eq!(upgrade("0.4", "0.4.17"), None);
        assert_eq!(upgrade("0.4", "0.5.0").as_deref(), Some("0.5"));
        assert_eq!(upgrade("1.*", "2.0.0").as_deref(), Some("2.*"));
        assert_eq!(
            upgrade("1.0.0", "1.1.0-rc.1").as_deref(),
            Some("1.1.0-rc.1")
        );
        assert_eq!(upgrade("= 1.0.0", "1.0.0").as_deref(), Some("=1.0.0"));
        assert_eq!(upgrade("*", "2.0.0"), None);
        assert!(cargo_upgrade(">=1.0, <2.0", &semver::Version::new(2, 0, 0)).is_err());
    }
}
