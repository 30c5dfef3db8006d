//! `if = "..."` conditions: minijinja expressions over the release's variables. A condition that
//! needs a value only known once earlier steps have run (`steps.ID.NAME`, `release_url` …) is
//! evaluated when its step's turn comes.

use minijinja::{Environment, UndefinedBehavior, Value};

use crate::kinds::StepError;

/// What a condition says at plan time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    True,
    False,
    /// Depends on values that exist only at run time.
    AtRunTime,
}

/// Names whose values appear only while the release runs.
const RUN_TIME: &[&str] = &["steps", "release_url", "pr_number", "pr_url"];

/// Evaluates `source` against `context` (see `plan::variables::condition_context`).
pub fn evaluate(source: &str, context: &Value) -> Result<Condition, StepError> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    let expression = environment
        .compile_expression(source)
        .map_err(|error| StepError::new(format!("`if = \"{source}\"`: {error}")))?;
    let undefined = |detail: &str| {
        if RUN_TIME.iter().any(|name| mentions(source, name)) {
            Ok(Condition::AtRunTime)
        } else {
            Err(StepError::new(format!("`if = \"{source}\"` uses a value that does not exist: {detail}"))
                .with_hint("conditions can use the template variables, `args.NAME`, `env.NAME`, `is_prerelease`, `is_final`, `has_changelog` and `has_forge_token`"))
        }
    };
    match expression.eval(context) {
        // Strict mode still lets a bare unknown name through as undefined.
        Ok(value) if value.is_undefined() => undefined("undefined value"),
        Ok(value) => Ok(if value.is_true() {
            Condition::True
        } else {
            Condition::False
        }),
        Err(error) if error.kind() == minijinja::ErrorKind::UndefinedError => {
            undefined(error.detail().unwrap_or("undefined value"))
        }
        Err(error) => Err(StepError::new(format!("`if = \"{source}\"`: {error}"))),
    }
}

/// Evaluates at run time, when every value exists.
pub fn evaluate_now(source: &str, context: &Value) -> Result<bool, StepError> {
    match evaluate(source, context)? {
        Condition::True => Ok(true),
        Condition::False => Ok(false),
        Condition::AtRunTime => Err(StepError::new(format!(
            "`if = \"{source}\"` uses a value no earlier step produced"
        ))),
    }
}

fn mentions(source: &str, name: &str) -> bool {
    source.match_indices(name).any(|(index, _)| {
        let before = source[..index].chars().next_back();
        let after = source[index + name.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(json: serde_json::Value) -> Value {
        Value::from(minijinja::value::Serde(&json))
    }

    #[test]
    fn booleans_and_comparisons() {
        let cx = context(
            serde_json::json!({"is_prerelease": true, "args": {"docker": true, "kind": "final"}}),
        );
        assert_eq!(evaluate("is_prerelease", &cx).unwrap(), Condition::True);
        assert_eq!(
            evaluate("not is_prerelease", &cx).unwrap(),
            Condition::False
        );
        assert_eq!(
            evaluate("args.docker and args.kind == 'final'", &cx).unwrap(),
            Condition::True
        );
    }

    #[test]
    fn run_time_values_defer_and_unknown_names_are_errors() {
        let cx = context(serde_json::json!({"args": {}}));
        assert_eq!(evaluate("steps.bug.id", &cx).unwrap(), Condition::AtRunTime);
        let error = evaluate("is_prerelase", &cx).unwrap_err();
        assert!(
            error.message.contains("does not exist"),
            "{}",
            error.message
        );
    }
}
