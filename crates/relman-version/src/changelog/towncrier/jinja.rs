//! What Jinja does that minijinja does differently, for towncrier templates written for Jinja:
//! `int` with a `none` default, `map` handing keyword arguments to the filter it maps, and a list
//! a template starts empty and appends to (aiohttp's template sorts a fragment's references into
//! issue numbers, commit hashes and the rest that way).
//!
//! minijinja's lists are immutable, so an empty list literal set to a name (`{% set refs = [] %}`)
//! is made a Python list instead: a sequence with `append`. Any other list stays immutable and an
//! `append` on it is an error that says so.

use std::sync::{Arc, Mutex, PoisonError};

use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Rest, Value, ValueOrKwargs};
use minijinja::{Environment, Error, ErrorKind, State};
use regex::Regex;

/// The function the rewritten templates call for an empty list.
const NEW_LIST: &str = "__relman_python_list";

/// Registers the filters and the list function on `environment`.
pub(crate) fn add_python_behaviour(environment: &mut Environment<'_>) {
    environment.add_filter("int", jinja_int);
    environment.add_filter("map", jinja_map);
    environment.add_function(NEW_LIST, || Value::from_object(PythonList::default()));
}

/// `source` with each `set NAME = []` made a list that can be appended to.
pub(crate) fn mutable_empty_lists(source: &str) -> String {
    static SET_EMPTY: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let pattern = SET_EMPTY.get_or_init(|| {
        Regex::new(r"(\{%[-+]?\s*set\s+[A-Za-z_][A-Za-z0-9_]*\s*=\s*)\[\s*\](\s*[-+]?%\})")
            .expect("invariant: the pattern is valid")
    });
    pattern
        .replace_all(source, format!("${{1}}{NEW_LIST}()${{2}}").as_str())
        .into_owned()
}

/// A Python list: a sequence a template can `append` to.
#[derive(Debug, Default)]
struct PythonList(Mutex<Vec<Value>>);

impl PythonList {
    fn items(&self) -> std::sync::MutexGuard<'_, Vec<Value>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Object for PythonList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = usize::try_from(key.clone()).ok()?;
        self.items().get(index).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.items().clone())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.items().len())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match (method, args) {
            ("append", [item]) => {
                self.items().push(item.clone());
                Ok(Value::from(()))
            }
            ("append", _) => Err(Error::new(
                ErrorKind::InvalidOperation,
                "`append` takes one item",
            )),
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

/// Jinja's `int(value, default=0, base=10)`: a value that is no number gives `default`, `none`
/// included. aiohttp's template tells issue numbers from commit hashes with
/// `map('int', default=None) | select('integer')`; minijinja's own filter reads a `none` default
/// as no default and stops on the first hash.
fn jinja_int(
    state: &State<'_, '_>,
    value: &Value,
    args: Rest<Value>,
    kwargs: Kwargs,
) -> Result<Value, Error> {
    if args.len() > 2 {
        return Err(Error::new(
            ErrorKind::TooManyArguments,
            "`int` takes a default and a base",
        ));
    }
    let default = match args.first() {
        Some(default) => Some(default.clone()),
        None if kwargs.has("default") => Some(kwargs.get::<Value>("default")?),
        None => None,
    };
    let base = match args.get(1) {
        Some(base) => Some(u32::try_from(base.clone())?),
        None => kwargs.get::<Option<u32>>("base")?,
    };
    kwargs.assert_all_used()?;
    if value.is_none() || value.is_undefined() {
        return Ok(default.unwrap_or_else(|| Value::from(0)));
    }
    let no_keywords = Kwargs::from_iter(std::iter::empty::<(&str, Value)>());
    match minijinja::filters::int(state, value, None, base, no_keywords) {
        Ok(number) => Ok(number),
        Err(error) => default.ok_or(error),
    }
}

/// Jinja's `map('filter', …)` hands its keyword arguments to the filter (`map('int',
/// default=None)`); minijinja's drops them. Mapping by attribute is minijinja's own.
fn jinja_map(
    state: &mut State<'_, '_>,
    value: Value,
    args: Rest<ValueOrKwargs>,
) -> Result<Value, Error> {
    let values = args.into_values();
    let (positional, kwargs): (&[Value], Kwargs) = minijinja::value::from_args(&values)?;
    let filter = positional.first().and_then(Value::as_str);
    let Some(filter) = filter.filter(|_| !kwargs.has("attribute") && kwargs.args().count() > 0)
    else {
        let args = Rest(values.iter().cloned().map(ValueOrKwargs::from).collect());
        return minijinja::filters::map(state, value, args).map(Value::from);
    };
    let mut mapped = Vec::new();
    for item in value.try_iter()? {
        let mut call = vec![item];
        call.extend(positional[1..].iter().cloned());
        call.push(Value::from(kwargs.clone()));
        mapped.push(state.apply_filter(filter, &call)?);
    }
    Ok(Value::from(mapped))
}
