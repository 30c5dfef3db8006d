//! `curl` in a runbook: a request to CircleCI's pipeline API is a `circleci` step, one to its
//! artifacts API the artifacts of that pipeline, a message to a Slack incoming webhook a `slack`
//! step (or an `http` step to the webhook's variable), any other request with a method or a body
//! an `http` step; a download stays a `run` step.

use std::sync::LazyLock;

use regex::Regex;

use super::{option_value, run};
use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::text::{literal, names_version, versioned};

/// `curl` to CircleCI's pipeline API is a `circleci` step; to its artifacts API, the artifacts
/// of the pipeline drafted before; any other request with a method is an `http` step.
pub(super) fn curl(words: &[String], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    if let Some(actions) = slack(words) {
        return actions;
    }
    let url = words
        .iter()
        .skip(1)
        .find(|word| word.starts_with("http://") || word.starts_with("https://"));
    let Some(url) = url else {
        return vec![run(line)];
    };
    static PIPELINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"circleci\.com/api/v2/project/([^/]+/[^/]+/[^/?]+)/pipeline")
            .expect("the CircleCI expression is valid")
    });
    if let Some(captures) = PIPELINE.captures(url) {
        let slug = &captures[1];
        let body = data(words);
        let mut pipeline = step("circleci", "pipeline");
        let json = body.and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok());
        let json = json.as_ref();
        if let Some(tag) = json
            .and_then(|json| json.get("tag"))
            .and_then(|v| v.as_str())
        {
            pipeline.set(
                "tag",
                if names_version(tag) {
                    "{tag}".to_owned()
                } else {
                    literal(tag)
                },
            );
        } else if let Some(branch) = json
            .and_then(|json| json.get("branch"))
            .and_then(|v| v.as_str())
        {
            pipeline.set("branch", literal(branch));
        }
        if let Some(parameters) = json
            .and_then(|json| json.get("parameters"))
            .and_then(json_to_toml)
        {
            pipeline.set("parameters", parameters);
        }
        pipeline.set("project", slug.to_owned());
        return vec![Action::Step(pipeline)];
    }
    if url.contains("circleci.com/api/") && url.contains("/artifacts") {
        return vec![Action::Amend {
            kind: "circleci",
            value: None,
            set: vec![("artifacts", "dist/".into())],
            what: "downloads the pipeline's artifacts into `dist/` (`artifacts` on the CircleCI step above)"
                .to_owned(),
        }];
    }
    let method = option_value(
        &words.iter().map(String::as_str).collect::<Vec<_>>(),
        &["-X", "--request"],
    );
    let body = data(words);
    let method = match (method, &body) {
        (Some(method), _) => method.to_ascii_uppercase(),
        (None, Some(_)) => "POST".to_owned(),
        (None, None) => return vec![run(line)],
    };
    let mut http = step("http", format!("{method} {}", literal(url)));
    if let Some(body) = body {
        match serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .as_ref()
            .and_then(json_to_toml)
        {
            Some(json) => http.set("json", json),
            None => http.set("body", versioned(&body)),
        }
    }
    let _ = scope;
    vec![Action::Step(http)]
}

/// A message posted to a Slack incoming webhook: the URL in a variable (`$SLACK_WEBHOOK_URL`)
/// or written out (`https://hooks.slack.com/services/…`, a secret that belongs in the
/// environment, not in relman.toml). With a channel in the message it is a `slack` step, else an
/// `http` step to the variable's URL; `None` for any other request.
fn slack(words: &[String]) -> Option<Vec<Action>> {
    static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$").expect("the variable expression is valid")
    });
    let (variable, written) = words.iter().skip(1).find_map(|word| {
        if let Some(captures) = VARIABLE.captures(word) {
            return Some((captures[1].to_owned(), false));
        }
        word.starts_with("https://hooks.slack.com/")
            .then(|| ("SLACK_WEBHOOK_URL".to_owned(), true))
    })?;
    let body = serde_json::from_str::<serde_json::Value>(&data(words)?).ok()?;
    let text = body.get("text")?.as_str()?;
    let slack_hook = written || variable.to_ascii_uppercase().contains("SLACK");
    if !slack_hook {
        return None;
    }
    let moved = written.then(|| {
        "the webhook's URL is a secret: relman reads it from `SLACK_WEBHOOK_URL`, set it there"
            .to_owned()
    });
    let step = match body.get("channel").and_then(|channel| channel.as_str()) {
        Some(channel) => {
            let mut slack = step("slack", literal(channel)).with("message", versioned(text));
            if variable != "SLACK_WEBHOOK_URL" {
                slack.set("webhook-env", variable);
            }
            slack
        }
        None => step("http", format!("POST {{env.{variable}}}")).with("json", json_to_toml(&body)?),
    };
    let step = match moved {
        Some(comment) => step.comment(comment),
        None => step,
    };
    Some(vec![Action::Step(step)])
}

/// The body of a curl command (`-d`, `--data`, `--data-raw`, `--data-binary`).
fn data(words: &[String]) -> Option<String> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    option_value(&words, &["-d", "--data", "--data-raw", "--data-binary"])
}

/// JSON to TOML, strings made templates; `null` has no TOML form.
fn json_to_toml(json: &serde_json::Value) -> Option<toml::Value> {
    Some(match json {
        serde_json::Value::Null => return None,
        serde_json::Value::Bool(flag) => toml::Value::Boolean(*flag),
        serde_json::Value::Number(number) => match number.as_i64() {
            Some(integer) => toml::Value::Integer(integer),
            None => toml::Value::Float(number.as_f64()?),
        },
        serde_json::Value::String(text) => toml::Value::String(versioned(text)),
        serde_json::Value::Array(items) => {
            toml::Value::Array(items.iter().filter_map(json_to_toml).collect())
        }
        serde_json::Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(key, value)| Some((key.clone(), json_to_toml(value)?)))
                .collect(),
        ),
    })
}
