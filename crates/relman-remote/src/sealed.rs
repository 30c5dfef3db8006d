//! Values that held a secret, stored so that they can be rebuilt without storing the secret.
//!
//! A journal keeps a step's output masked (`session-****`), so a release resumed in a new process
//! cannot hand the value itself to a later step. A [`Sealed`] value is the text cut where each
//! secret stood, each cut naming the environment variable whose value it was and the form it took
//! (as is, JSON-escaped, percent-encoded): `["session-", $DEPLOY_TOKEN as is]`. Resuming rebuilds
//! the value from the variable as it is set then ([`unseal`]). A text that holds a secret relman
//! does not know by a variable (a password written into a URL) cannot be sealed: [`seal`] says
//! so, and the value is lost with the process that produced it.

use serde::{Deserialize, Serialize};

use crate::secret::{MASK, Redactor, SecretForm};

/// A piece of a sealed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SealedPart {
    /// Text as it was (holding no secret).
    Text(String),
    /// Where the value of the environment variable `var` stood, in `form`.
    Secret { var: String, form: SecretForm },
}

/// A value cut where its secrets stood.
pub type Sealed = Vec<SealedPart>;

/// The value with each secret the redactor knows by its variable cut out, or `None` when the
/// masked text would still hide something no variable holds (a URL's password, a secret query
/// value, a secret known by value only).
pub fn seal(redactor: &Redactor, value: &str) -> Option<Sealed> {
    let mut parts = vec![SealedPart::Text(value.to_owned())];
    for (text, var, form) in redactor.named() {
        let mut cut = Vec::with_capacity(parts.len());
        for part in parts {
            let SealedPart::Text(whole) = part else {
                cut.push(part);
                continue;
            };
            let mut pieces = whole.split(text.as_str());
            if let Some(first) = pieces.next() {
                push_text(&mut cut, first);
            }
            for piece in pieces {
                cut.push(SealedPart::Secret {
                    var: var.clone(),
                    form: *form,
                });
                push_text(&mut cut, piece);
            }
        }
        parts = cut;
    }
    let shown: String = parts
        .iter()
        .map(|part| match part {
            SealedPart::Text(text) => text.as_str(),
            SealedPart::Secret { .. } => MASK,
        })
        .collect();
    (redactor.redact(&shown) == shown).then_some(parts)
}

fn push_text(parts: &mut Vec<SealedPart>, text: &str) {
    if !text.is_empty() {
        parts.push(SealedPart::Text(text.to_owned()));
    }
}

/// The value rebuilt with each variable's value as `lookup` gives it now; `Err` names the first
/// variable that has none.
pub fn unseal(
    sealed: &[SealedPart],
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, &str> {
    let mut value = String::new();
    for part in sealed {
        match part {
            SealedPart::Text(text) => value.push_str(text),
            SealedPart::Secret { var, form } => match lookup(var).filter(|v| !v.is_empty()) {
                Some(secret) => value.push_str(&form.encode(&secret)),
                None => return Err(var),
            },
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        let mut redactor = Redactor::new();
        redactor.add_variable("DEPLOY_TOKEN", "tok/en\"31415");
        redactor
    }

    fn lookup(name: &str) -> Option<String> {
        (name == "DEPLOY_TOKEN").then(|| "tok/en\"31415".to_owned())
    }

    #[test]
    fn a_value_holding_a_secret_in_each_form_is_rebuilt_from_the_variable() {
        let value = "a tok/en\"31415 b {\"t\":\"tok/en\\\"31415\"} c https://h/?x=tok%2Fen%2231415";
        let sealed = seal(&redactor(), value).expect("every secret is known by its variable");
        let stored = serde_json::to_string(&sealed).unwrap();
        assert!(!stored.contains("31415"), "{stored}");
        assert!(stored.contains("DEPLOY_TOKEN"), "{stored}");
        let sealed: Sealed = serde_json::from_str(&stored).unwrap();
        assert_eq!(unseal(&sealed, lookup).unwrap(), value);
    }

    #[test]
    fn a_missing_variable_is_named() {
        let sealed = seal(&redactor(), "x tok/en\"31415").unwrap();
        assert_eq!(unseal(&sealed, |_| None), Err("DEPLOY_TOKEN"));
        assert_eq!(
            unseal(&sealed, |_| Some(String::new())),
            Err("DEPLOY_TOKEN")
        );
    }

    #[test]
    fn a_password_no_variable_holds_cannot_be_sealed() {
        assert_eq!(seal(&redactor(), "https://me:hunter22@example.com/"), None);
        let mut by_value = redactor();
        by_value.add_value("known-by-value-only");
        assert_eq!(seal(&by_value, "x known-by-value-only"), None);
    }

    #[test]
    fn a_value_with_no_secret_is_one_text() {
        assert_eq!(
            seal(&redactor(), "plain"),
            Some(vec![SealedPart::Text("plain".to_owned())])
        );
        assert_eq!(
            seal(&redactor(), "https://****@example.com/ tok/en\"31415").map(|s| s.len()),
            Some(2)
        );
    }
}
