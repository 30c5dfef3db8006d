//! Validation of one step table: which kind it is, whether every option belongs to that kind,
//! the options every step shares (`name`, `id`, `if`, `timeout`, `retries`, `interval`, `dir`,
//! `clone`), and then the kind's own options, which the kind reads itself (`Kind::parse`).

use std::ops::Range;

use indexmap::IndexMap;
use toml::Spanned;

use super::step_raw::{self, StepConfig};
use super::validate::{Cx, Scope, backticked};
use crate::core::KindSpec;
use crate::core::options::{Checker, OptionValue, Options};
use crate::kinds::{self, StepDef, StepKind};
use crate::template::{Suggestion, Template};

/// Every key present in the step, with the span to point at (the step's own span for keys whose
/// values carry none): the keys whose values keep their place first, each group in the order of
/// the step keys.
fn present_keys(step: &StepConfig, whole: &Range<usize>) -> Vec<(&'static str, Range<usize>)> {
    let mut keys: Vec<(usize, bool, &'static str, Range<usize>)> = step
        .values
        .iter()
        .map(|(key, value)| {
            let position = step_raw::key_names()
                .iter()
                .position(|known| known == key)
                .unwrap_or(usize::MAX);
            let span = value.span();
            (
                position,
                span.is_none(),
                *key,
                span.unwrap_or_else(|| whole.clone()),
            )
        })
        .collect();
    keys.sort_by_key(|(position, plain, _, _)| (*plain, *position));
    keys.into_iter()
        .map(|(_, _, key, span)| (key, span))
        .collect()
}

/// Decides the kind: exactly one key of a kind that does not yield, or else exactly one key of a
/// git kind (which yields) whose options explain the other git keys present (`branch` +
/// `switch = false`).
fn decide_kind(
    cx: &mut Cx<'_>,
    number: usize,
    keys: &[(&'static str, Range<usize>)],
    whole: &Range<usize>,
) -> Option<&'static KindSpec> {
    let mut primary: Vec<&(&str, Range<usize>)> = keys
        .iter()
        .filter(|(key, _)| {
            kinds::SPECS
                .iter()
                .any(|spec| !spec.yields && spec.key == *key)
        })
        .collect();
    // Point at the second kind key as the user wrote them, and name them in that order.
    primary.sort_by_key(|(_, span)| span.start);
    match primary.as_slice() {
        [(key, _)] => return kinds::spec(key),
        [] => {}
        [_, (_, span), ..] => {
            let names: Vec<String> = primary.iter().map(|(key, _)| (*key).to_owned()).collect();
            cx.error_hint(
                span.clone(),
                format!(
                    "step {number} has more than one kind: {}",
                    backticked(&names)
                ),
                "a step does one thing; split it into one step per kind",
            );
            return None;
        }
    }
    let git: Vec<&'static KindSpec> = kinds::SPECS
        .iter()
        .copied()
        .filter(|spec| spec.yields && keys.iter().any(|(key, _)| *key == spec.key))
        .collect();
    let explaining: Vec<&'static KindSpec> = git
        .iter()
        .copied()
        .filter(|spec| {
            git.iter()
                .all(|other| other.key == spec.key || spec.takes(other.key))
        })
        .collect();
    match (git.as_slice(), explaining.as_slice()) {
        ([], _) => {
            let kinds: Vec<String> = kinds::listed().map(|spec| spec.key.to_owned()).collect();
            cx.error_hint(
                whole.clone(),
                format!("step {number} has no kind key"),
                format!("add one of {}", backticked(&kinds)),
            );
            None
        }
        (_, [spec]) => Some(spec),
        _ => {
            let names: Vec<String> = git.iter().map(|spec| spec.key.to_owned()).collect();
            cx.error_hint(
                whole.clone(),
                format!(
                    "step {number} has more than one kind: {}",
                    backticked(&names)
                ),
                "a step does one thing; split it into one step per kind",
            );
            None
        }
    }
}

pub(super) fn validate_step(
    cx: &mut Cx<'_>,
    number: usize,
    raw: Spanned<StepConfig>,
    scope: &mut Scope,
) -> Option<StepDef> {
    let whole = raw.span();
    let step = raw.into_inner();
    let keys = present_keys(&step, &whole);
    let spec = decide_kind(cx, number, &keys, &whole)?;
    let errors_before = cx.errors.len();
    for (key, span) in &keys {
        if *key == spec.key || spec.takes(key) {
            continue;
        }
        let suggestion = Suggestion::closest(key, spec.all_options());
        let owners: Vec<String> = kinds::listed()
            .filter(|other| other.options.iter().any(|option| option.key == *key))
            .map(|other| format!("`{}`", other.key))
            .collect();
        let hint = if owners.is_empty() {
            format!("a `{}` step takes {}", spec.key, list(spec.all_options()))
        } else {
            format!(
                "`{key}` is an option of {} steps; a `{}` step takes {}",
                owners.join(", "),
                spec.key,
                list(spec.all_options())
            )
        };
        cx.error_hint(
            span.clone(),
            format!(
                "`{key}` is not an option of a `{}` step{suggestion}",
                spec.key
            ),
            hint,
        );
    }
    if cx.errors.len() > errors_before {
        return None;
    }
    let line = cx.line_of(whole.start);
    let mut values: IndexMap<&'static str, OptionValue> = step.values.into_iter().collect();
    // The common options are taken out first; what is left is the kind's own table. On a
    // `release` step, `name` is the release title and stays with the kind.
    let name = if spec.owns_name {
        None
    } else {
        take_string(&mut values, "name")
    };
    let (id, condition, timeout, interval) = (
        take_string(&mut values, "id"),
        take_string(&mut values, "if"),
        take_string(&mut values, "timeout"),
        take_string(&mut values, "interval"),
    );
    let retries = match values.shift_remove("retries") {
        Some(OptionValue::U32(retries)) => Some(retries),
        _ => None,
    };
    let (dir, clone) = (
        take_string(&mut values, "dir"),
        take_string(&mut values, "clone"),
    );
    let kind = {
        let mut checker = TemplateChecker {
            cx: &mut *cx,
            scope: &*scope,
        };
        let mut options = Options::new(spec.key, values, whole.clone(), &mut checker);
        StepKind::parse(spec.key, &mut options)?.ok()?
    };
    let timeout = timeout.and_then(|value| match super::parse_duration(value.get_ref()) {
        Some(duration) => Some(duration),
        None => {
            cx.error_hint(
                value.span(),
                format!("`timeout = \"{}\"` is not a duration", value.get_ref()),
                "write it like `90s`, `30m` or `1h30m`",
            );
            None
        }
    });
    let interval = interval.and_then(|value| match super::parse_duration(value.get_ref()) {
        Some(duration) if !duration.is_zero() => Some(duration),
        _ => {
            cx.error_hint(
                value.span(),
                format!("`interval = \"{}\"` is not a duration", value.get_ref()),
                "write it like `500ms`, `10s` or `1m`",
            );
            None
        }
    });
    if let Some(condition) = &condition {
        let environment = minijinja::Environment::new();
        if let Err(error) = environment.compile_expression(condition.get_ref()) {
            cx.error_hint(
                condition.span(),
                format!(
                    "`if = \"{}\"` is not a valid expression: {}",
                    condition.get_ref(),
                    error.detail().unwrap_or("syntax error")
                ),
                "conditions are minijinja expressions, e.g. `is_prerelease` or `args.docker == \"yes\"`",
            );
        }
    }
    let dir = dir.and_then(|value| cx.template(&value, scope));
    let clone = clone.and_then(|value| cx.template(&value, scope));
    // A name is shown with its placeholders filled (`Promote {version}`): check them now, keep
    // the text as written (the docs show it so).
    let name = name.and_then(|value| {
        cx.template(&value, scope)?;
        Some(value.into_inner())
    });
    if let Some(id) = &id {
        if scope.outputs.contains_key(id.get_ref()) {
            cx.error(
                id.span(),
                format!(
                    "step id `{}` is used twice in workflow `{}`",
                    id.get_ref(),
                    scope.workflow
                ),
            );
        }
        scope
            .outputs
            .insert(id.get_ref().clone(), (number, kind.outputs()));
        scope.later_ids.remove(id.get_ref());
    }
    Some(StepDef {
        number,
        line,
        name,
        id: id.map(Spanned::into_inner),
        condition: condition.map(Spanned::into_inner),
        timeout,
        interval,
        retries: retries.unwrap_or(0),
        dir,
        clone,
        kind,
    })
}

fn list(options: impl Iterator<Item = &'static str>) -> String {
    options
        .map(|option| format!("`{option}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn take_string(
    values: &mut IndexMap<&'static str, OptionValue>,
    key: &str,
) -> Option<Spanned<String>> {
    match values.shift_remove(key)? {
        OptionValue::String(value) => Some(value),
        _ => None,
    }
}

/// Checks a kind's templates against what the workflow provides, and reports at the file's
/// line and column.
struct TemplateChecker<'c, 'a> {
    cx: &'c mut Cx<'a>,
    scope: &'c Scope,
}

impl Checker for TemplateChecker<'_, '_> {
    fn error(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        match hint {
            Some(hint) => self.cx.error_hint(span, message, hint),
            None => self.cx.error(span, message),
        }
    }

    fn template(&mut self, text: &str, span: Range<usize>) -> Option<Template> {
        self.cx.template_text(text, span, self.scope)
    }
}
