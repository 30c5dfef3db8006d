//! `if = "..."` conditions: minijinja expressions over the release's variables, which must give
//! a boolean. Numbers are numbers (`patch == 0`) and booleans booleans: `major`, `minor` and
//! `patch` always, and an argument, environment value or step output that reads `true`,
//! `false` or a whole number ([`typed`]). A condition that needs a value only known once earlier
//! steps have run (`steps.ID.NAME`, `release_url` …) is evaluated when its step's turn comes.
//! [`check`] finds, without a release, an expression that does not parse, does not give a
//! boolean, or mixes types.

use minijinja::value::ValueKind;
use minijinja::{Environment, UndefinedBehavior, Value};

use crate::config::Workflow;
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
        Ok(value) if value.kind() == ValueKind::Bool => Ok(if value.is_true() {
            Condition::True
        } else {
            Condition::False
        }),
        Ok(value) => Err(not_boolean(source, &value)),
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

fn not_boolean(source: &str, value: &Value) -> StepError {
    // The kind only: the value may be an environment value.
    StepError::new(format!(
        "`if = \"{source}\"` is not a boolean expression: it gives {}",
        match value.kind() {
            ValueKind::String => "a string",
            ValueKind::Number => "a number",
            ValueKind::Seq => "a list",
            ValueKind::Map => "a map",
            ValueKind::None => "none",
            _ => "a value that is neither true nor false",
        }
    ))
    .with_hint("compare it: `args.commits != \"\"`, `patch == 0`, `env.PUBLISH == true`")
}

/// A value as conditions see it: `true` and `false` are booleans, a whole number is a number,
/// anything else a string.
pub fn typed(value: &str) -> serde_json::Value {
    match value {
        "true" => serde_json::Value::Bool(true),
        "false" => serde_json::Value::Bool(false),
        _ => {
            let digits = value.strip_prefix('-').unwrap_or(value);
            let whole = !digits.is_empty()
                && digits.len() <= 18
                && digits.bytes().all(|byte| byte.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'));
            match value.parse::<i64>() {
                Ok(number) if whole => serde_json::Value::from(number),
                _ => serde_json::Value::String(value.to_owned()),
            }
        }
    }
}

/// Finds what is wrong with `source` whatever the release: it does not parse, it mixes types,
/// or it gives something other than a boolean. It is evaluated against stand-ins of every
/// variable of its type (the flags both false and true); a value it cannot know (an argument
/// without a default, the environment, a step's output) is not held against it.
pub fn check(source: &str, workflow: &Workflow) -> Result<(), StepError> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    let expression = environment
        .compile_expression(source)
        .map_err(|error| StepError::new(format!("`if = \"{source}\"`: {error}")))?;
    for flag in [false, true] {
        let mut context = serde_json::Map::new();
        for name in STRINGS {
            context.insert((*name).to_owned(), serde_json::Value::from(""));
        }
        for name in ["major", "minor", "patch"] {
            context.insert(name.to_owned(), serde_json::Value::from(0));
        }
        for name in FLAGS {
            context.insert((*name).to_owned(), serde_json::Value::Bool(flag));
        }
        let args: serde_json::Map<String, serde_json::Value> = workflow
            .args
            .iter()
            .filter_map(|arg| Some((arg.name.clone(), typed(arg.default.as_deref()?))))
            .collect();
        context.insert("args".to_owned(), serde_json::Value::Object(args));
        context.insert(
            "env".to_owned(),
            serde_json::Value::Object(Default::default()),
        );
        let context = Value::from(minijinja::value::Serde(&context));
        match expression.eval(&context) {
            Ok(value) if value.is_undefined() || value.kind() == ValueKind::Bool => {}
            Ok(value) => return Err(not_boolean(source, &value)),
            Err(error) if error.kind() == minijinja::ErrorKind::UndefinedError => {}
            Err(error) => {
                return Err(StepError::new(format!("`if = \"{source}\"`: {error}"))
                    .with_hint("compare values of one type: numbers with numbers (`patch == 0`), strings with strings (`args.bump == \"minor\"`)"));
            }
        }
    }
    Ok(())
}

/// The string variables of a release, as conditions see them.
const STRINGS: &[&str] = &[
    "version",
    "pre",
    "tag",
    "previous_version",
    "previous_tag",
    "dev_version",
    "branch",
    "remote",
    "sha",
    "short_sha",
    "date",
    "describe",
    "changelog",
    "project",
    "repo",
];

/// The flags conditions see.
const FLAGS: &[&str] = &[
    "is_prerelease",
    "is_final",
    "has_changelog",
    "has_forge_token",
];

pub(super) fn mentions(source: &str, name: &str) -> bool {
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
    fn numbers_compare_as_numbers_and_a_string_is_not_a_condition() {
        let cx = context(serde_json::json!({"patch": 0, "args": {"commits": "a1b2c3"}}));
        assert_eq!(evaluate("patch == 0", &cx).unwrap(), Condition::True);
        let error = evaluate("args.commits", &cx).unwrap_err();
        assert!(
            error
                .message
                .contains("is not a boolean expression: it gives a string"),
            "{}",
            error.message
        );
        assert_eq!(typed("0"), serde_json::json!(0));
        assert_eq!(typed("12"), serde_json::json!(12));
        assert_eq!(typed("007"), serde_json::json!("007"));
        assert_eq!(typed("true"), serde_json::json!(true));
        assert_eq!(typed("1.2"), serde_json::json!("1.2"));
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
