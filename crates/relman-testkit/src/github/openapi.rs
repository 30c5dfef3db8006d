//! The contract check of the fake GitHub: the subset of GitHub's published OpenAPI description
//! (npm `@octokit/openapi`, extracted by `scripts/github-openapi-subset.sh` into
//! `openapi/github-subset.json`) and a validator for the JSON-schema features it uses (`type`,
//! `nullable`, `required`, `properties`, `additionalProperties`, `items`, `enum`, `allOf`, `oneOf`,
//! `anyOf`, `format: date-time`). The fake validates every request it receives and every response
//! it sends, so the client and the fake cannot drift away from GitHub together.
//!
//! `oneOf` is checked as "at least one alternative matches": GitHub's description has overlapping
//! alternatives (a label given as a string or as an object with a name) that a strict "exactly
//! one" would reject.
//!
//! It also builds example objects from a schema (every required property with a neutral value),
//! which the fake overlays with its own values: its responses carry every field GitHub promises.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

const SUBSET: &str = include_str!("../../openapi/github-subset.json");
const MAX_DEPTH: usize = 24;

/// One operation of the subset.
#[derive(Debug)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: String,
    segments: Vec<String>,
    parameters: Vec<Parameter>,
    request_body: Option<RequestBody>,
    responses: HashMap<u16, Option<Value>>,
}

#[derive(Debug)]
struct Parameter {
    name: String,
    location: String,
    required: bool,
    schema: Value,
}

#[derive(Debug)]
struct RequestBody {
    content_type: String,
    required: bool,
    schema: Value,
}

/// The operations relman uses and the schemas they reference.
#[derive(Debug)]
pub struct Subset {
    operations: Vec<Operation>,
    schemas: Map<String, Value>,
    /// `package@version` of the description it was taken from.
    pub source: String,
}

/// The subset committed with the test kit.
pub fn subset() -> &'static Subset {
    static SUBSET_CELL: OnceLock<Subset> = OnceLock::new();
    SUBSET_CELL.get_or_init(|| Subset::parse(SUBSET).expect("openapi/github-subset.json is valid"))
}

impl Subset {
    fn parse(text: &str) -> Result<Self, String> {
        let root: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        let source = format!(
            "{}@{}",
            root["source"]["package"].as_str().unwrap_or("?"),
            root["source"]["version"].as_str().unwrap_or("?")
        );
        let schemas = root["components"]["schemas"]
            .as_object()
            .cloned()
            .ok_or("no components.schemas")?;
        let mut operations = Vec::new();
        for operation in root["operations"].as_array().ok_or("no operations")? {
            let text = |key: &str| operation[key].as_str().unwrap_or_default().to_owned();
            let path = text("path");
            let parameters = operation["parameters"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|parameter| Parameter {
                            name: parameter["name"].as_str().unwrap_or_default().to_owned(),
                            location: parameter["in"].as_str().unwrap_or_default().to_owned(),
                            required: parameter["required"].as_bool().unwrap_or(false),
                            schema: parameter["schema"].clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let request_body = operation["requestBody"]
                .as_object()
                .map(|body| RequestBody {
                    content_type: body["contentType"].as_str().unwrap_or_default().to_owned(),
                    required: body["required"].as_bool().unwrap_or(false),
                    schema: body["schema"].clone(),
                });
            let responses = operation["responses"]
                .as_object()
                .map(|responses| {
                    responses
                        .iter()
                        .filter_map(|(status, response)| {
                            let schema = response["schema"].clone();
                            Some((status.parse().ok()?, (!schema.is_null()).then_some(schema)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            operations.push(Operation {
                method: text("method"),
                segments: path
                    .trim_start_matches('/')
                    .split('/')
                    .map(str::to_owned)
                    .collect(),
                path,
                operation_id: text("operationId"),
                parameters,
                request_body,
                responses,
            });
        }
        Ok(Self {
            operations,
            schemas,
            source,
        })
    }

    /// The operation a request is for, with its path parameters (still percent-encoded): the one
    /// whose literal segments match most (`/releases/tags/{tag}` before `/releases/{release_id}`).
    pub fn find(&self, method: &str, path: &str) -> Option<(&Operation, HashMap<String, String>)> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut best: Option<(usize, &Operation, HashMap<String, String>)> = None;
        for operation in self.operations.iter().filter(|op| op.method == method) {
            if operation.segments.len() != segments.len() {
                continue;
            }
            let mut params = HashMap::new();
            let mut literals = 0;
            let matched = operation
                .segments
                .iter()
                .zip(&segments)
                .all(|(template, actual)| {
                    if let Some(name) = template.strip_prefix('{').and_then(|t| t.strip_suffix('}'))
                    {
                        params.insert(name.to_owned(), (*actual).to_owned());
                        !actual.is_empty()
                    } else {
                        literals += 1;
                        template == actual
                    }
                });
            if matched && best.as_ref().is_none_or(|(score, ..)| literals > *score) {
                best = Some((literals, operation, params));
            }
        }
        best.map(|(_, operation, params)| (operation, params))
    }

    /// Problems with a request: unknown or invalid query parameters, a body that does not fit.
    pub fn check_request(
        &self,
        operation: &Operation,
        query: &[(String, String)],
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, value) in query {
            match operation
                .parameters
                .iter()
                .find(|p| p.location == "query" && &p.name == name)
            {
                None => problems.push(format!("unknown query parameter `{name}`")),
                Some(parameter) => {
                    // Query values use GitHub's search syntax (`created=>=2024-01-01T00:00:00Z`)
                    // where the description says `format: date-time`: formats are not checked.
                    let mut schema = parameter.schema.clone();
                    if let Some(rules) = schema.as_object_mut() {
                        rules.remove("format");
                    }
                    let typed = query_value(&schema, value);
                    for problem in self.validate(&schema, &typed) {
                        problems.push(format!("query parameter `{name}`: {problem}"));
                    }
                }
            }
        }
        for parameter in operation
            .parameters
            .iter()
            .filter(|p| p.location == "query" && p.required)
        {
            if !query.iter().any(|(name, _)| name == &parameter.name) {
                problems.push(format!("missing query parameter `{}`", parameter.name));
            }
        }
        match &operation.request_body {
            None if !body.is_empty() => {
                problems.push("a body was sent to an operation that takes none".into());
            }
            None => {}
            Some(expected) if expected.content_type == "application/json" => {
                if body.is_empty() {
                    if expected.required {
                        problems.push("the JSON body is missing".into());
                    }
                } else {
                    if !content_type.is_some_and(|ct| ct.starts_with("application/json")) {
                        problems.push(format!(
                            "content type `{}` instead of application/json",
                            content_type.unwrap_or("none")
                        ));
                    }
                    match serde_json::from_slice::<Value>(body) {
                        Ok(value) => problems.extend(
                            self.validate(&expected.schema, &value)
                                .into_iter()
                                .map(|problem| format!("request body: {problem}")),
                        ),
                        Err(error) => problems.push(format!("request body is not JSON: {error}")),
                    }
                }
            }
            Some(_) if content_type.is_none() => {
                problems.push("a raw body without a content type".into());
            }
            Some(_) => {}
        }
        problems
    }

    /// Problems with a response: an undocumented success status, a body that does not fit.
    pub fn check_response(&self, operation: &Operation, status: u16, body: &[u8]) -> Vec<String> {
        let schema = match operation.responses.get(&status) {
            Some(schema) => schema.clone(),
            None if status >= 400 => Some(if status == 422 {
                ref_to("validation-error")
            } else {
                ref_to("basic-error")
            }),
            None => return vec![format!("status {status} is not documented")],
        };
        let Some(schema) = schema else {
            return Vec::new();
        };
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => self
                .validate(&schema, &value)
                .into_iter()
                .map(|problem| format!("response {status}: {problem}"))
                .collect(),
            Err(error) => vec![format!("response {status} is not JSON: {error}")],
        }
    }

    /// Every way `value` does not fit `schema`, each prefixed with its JSON pointer.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        self.check(schema, value, "", 0, &mut problems);
        problems
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..MAX_DEPTH {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let name = reference.trim_start_matches("#/components/schemas/");
                    schema = self.schemas.get(name).unwrap_or(&Value::Null);
                }
                None => break,
            }
        }
        schema
    }

    fn check(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        depth: usize,
        problems: &mut Vec<String>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        let Some(rules) = schema.as_object() else {
            return;
        };
        let here = if at.is_empty() { "/" } else { at };
        if value.is_null() && rules.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if let Some(all) = rules.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.check(part, value, at, depth + 1, problems);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = rules.get(key).and_then(Value::as_array) {
                let fits = alternatives.iter().any(|alternative| {
                    let mut scratch = Vec::new();
                    self.check(alternative, value, at, depth + 1, &mut scratch);
                    scratch.is_empty()
                });
                if !fits {
                    problems.push(format!(
                        "`{here}`: fits none of the {key} alternatives: {value}"
                    ));
                }
            }
        }
        if let Some(expected) = rules.get("type").and_then(Value::as_str) {
            let fits = match expected {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "null" => value.is_null(),
                _ => true,
            };
            if !fits {
                problems.push(format!(
                    "`{here}`: expected {expected}, got {}",
                    kind(value)
                ));
                return;
            }
        }
        if let Some(allowed) = rules.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            problems.push(format!(
                "`{here}`: {value} is not one of {}",
                Value::Array(allowed.clone())
            ));
        }
        if rules.get("format").and_then(Value::as_str) == Some("date-time")
            && let Some(text) = value.as_str()
            && !looks_like_date_time(text)
        {
            problems.push(format!("`{here}`: `{text}` is not a date-time"));
        }
        if let Some(object) = value.as_object() {
            let properties = rules.get("properties").and_then(Value::as_object);
            if let Some(required) = rules.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !object.contains_key(name) {
                        problems.push(format!("`{here}`: missing required `{name}`"));
                    }
                }
            }
            for (name, item) in object {
                let pointer = format!("{at}/{name}");
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => self.check(property, item, &pointer, depth + 1, problems),
                    None => match rules.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            problems.push(format!("`{here}`: unexpected property `{name}`"));
                        }
                        Some(extra @ Value::Object(_)) => {
                            self.check(extra, item, &pointer, depth + 1, problems);
                        }
                        _ => {}
                    },
                }
            }
        }
        if let (Some(items), Some(array)) = (rules.get("items"), value.as_array()) {
            for (index, item) in array.iter().enumerate() {
                self.check(items, item, &format!("{at}/{index}"), depth + 1, problems);
            }
        }
    }

    /// An example of a component schema: every required property with a neutral value.
    pub fn example(&self, name: &str) -> Value {
        self.example_of(&ref_to(name), 0)
    }

    fn example_of(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        let Some(rules) = schema.as_object() else {
            return Value::Null;
        };
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(all) = rules.get("allOf").and_then(Value::as_array) {
            let mut merged = Value::Object(Map::new());
            for part in all {
                overlay(&mut merged, self.example_of(part, depth + 1));
            }
            return merged;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = rules
                .get(key)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            {
                return self.example_of(first, depth + 1);
            }
        }
        if let Some(first) = rules
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return first.clone();
        }
        match rules.get("type").and_then(Value::as_str) {
            Some("string") => Value::String(match rules.get("format").and_then(Value::as_str) {
                Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
                Some("uri") => "https://example.invalid/".to_owned(),
                Some("email") => "octocat@example.invalid".to_owned(),
                _ => String::new(),
            }),
            Some("integer" | "number") => Value::from(0),
            Some("boolean") => Value::Bool(false),
            Some("array") => Value::Array(Vec::new()),
            _ => {
                let mut object = Map::new();
                let properties = rules.get("properties").and_then(Value::as_object);
                for name in rules
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
                    let resolved = self.resolve(property);
                    let value = if resolved.get("nullable").and_then(Value::as_bool) == Some(true) {
                        Value::Null
                    } else {
                        self.example_of(property, depth + 1)
                    };
                    object.insert(name.to_owned(), value);
                }
                Value::Object(object)
            }
        }
    }
}

fn ref_to(name: &str) -> Value {
    serde_json::json!({"$ref": format!("#/components/schemas/{name}")})
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn looks_like_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && (text.ends_with('Z') || text.ends_with('z') || bytes[bytes.len() - 3] == b':')
}

/// A query value typed as its schema says (`per_page=100` is the integer 100).
fn query_value(schema: &Value, value: &str) -> Value {
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => value
            .parse::<i64>()
            .map_or_else(|_| Value::String(value.to_owned()), Value::from),
        Some("boolean") => match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(value.to_owned()),
        },
        _ => Value::String(value.to_owned()),
    }
}

/// Deep-merges `patch` into `base` (objects merge key by key; anything else replaces).
pub fn overlay(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(&key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        overlay(existing, value);
                    }
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, patch) => *base = patch,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_subset_has_every_operation_relman_uses() {
        let subset = subset();
        assert!(subset.source.starts_with("@octokit/openapi@"));
        let (operation, params) = subset.find("GET", "/repos/o/r/releases/tags/v1.0").unwrap();
        assert_eq!(operation.operation_id, "repos/get-release-by-tag");
        assert_eq!(params["tag"], "v1.0");
        let (operation, _) = subset.find("GET", "/repos/o/r/releases/12/assets").unwrap();
        assert_eq!(operation.operation_id, "repos/list-release-assets");
        let (operation, _) = subset
            .find("DELETE", "/repos/o/r/releases/assets/3")
            .unwrap();
        assert_eq!(operation.operation_id, "repos/delete-release-asset");
        let (operation, _) = subset.find("GET", "/user").unwrap();
        assert_eq!(operation.operation_id, "users/get-authenticated");
        assert!(subset.find("GET", "/users/octocat").is_none());
    }

    #[test]
    fn examples_validate_against_their_schemas() {
        let subset = subset();
        for name in [
            "release",
            "release-asset",
            "pull-request",
            "workflow-run",
            "check-run",
            "milestone",
            "issue",
            "artifact",
            "full-repository",
        ] {
            let example = subset.example(name);
            assert_eq!(
                subset.validate(&ref_to(name), &example),
                Vec::<String>::new(),
                "{name}"
            );
        }
    }

    #[test]
    fn violations_are_named_by_pointer() {
        let subset = subset();
        let mut release = subset.example("release");
        release["draft"] = json!("yes");
        release["assets"] = json!([{"id": 1}]);
        release.as_object_mut().unwrap().remove("tag_name");
        let problems = subset.validate(&ref_to("release"), &release);
        assert!(
            problems.contains(&"`/`: missing required `tag_name`".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"`/draft`: expected boolean, got string".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("`/assets/0`: missing required `name`")),
            "{problems:?}"
        );
    }

    #[test]
    fn responses_are_checked_by_status() {
        let subset = subset();
        let (operation, _) = subset.find("POST", "/repos/o/r/releases").unwrap();
        let mut release = subset.example("release");
        release["id"] = json!("7");
        let problems = subset.check_response(operation, 201, release.to_string().as_bytes());
        assert_eq!(
            problems,
            ["response 201: `/id`: expected integer, got string"]
        );
        assert_eq!(
            subset.check_response(operation, 200, b"{}"),
            ["status 200 is not documented"]
        );
        let not_found = json!({"message": "Not Found", "documentation_url": "x"}).to_string();
        assert!(
            subset
                .check_response(operation, 404, not_found.as_bytes())
                .is_empty()
        );
    }

    #[test]
    fn requests_are_checked() {
        let subset = subset();
        let (operation, _) = subset.find("POST", "/repos/o/r/releases").unwrap();
        let problems = subset.check_request(
            operation,
            &[],
            Some("application/json"),
            br#"{"draft": true}"#,
        );
        assert_eq!(problems, ["request body: `/`: missing required `tag_name`"]);
        let (operation, _) = subset.find("GET", "/repos/o/r/pulls").unwrap();
        let query = [
            ("state".to_owned(), "opened".to_owned()),
            ("perpage".to_owned(), "1".to_owned()),
        ];
        let problems = subset.check_request(operation, &query, None, b"");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("query parameter `state`: `/`: \"opened\" is not one of"));
        assert_eq!(problems[1], "unknown query parameter `perpage`");
    }
}
