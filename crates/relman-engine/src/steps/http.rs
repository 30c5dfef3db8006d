//! `http = "POST https://..."`: any request, with headers, a JSON or raw body, an expected
//! status, and `save` of JSON pointers from the response into step outputs.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpStep {
    pub method: String,
    pub url: Template,
    pub headers: Vec<(String, Template)>,
    /// A JSON body whose strings are templates.
    pub json: Option<serde_json::Value>,
    pub body: Option<Template>,
    /// Default: any 2xx.
    pub expect: Option<u16>,
    /// Output name → JSON pointer into the response body.
    pub save: Vec<(String, String)>,
    pub idempotent: bool,
}
