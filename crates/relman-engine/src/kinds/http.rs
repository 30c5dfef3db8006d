//! `http = "POST https://..."`: any request, with headers, a JSON or raw body, an expected
//! status, `save` of JSON pointers from the response into step outputs, and `find`/`found`: a
//! look-up that finds what an earlier run created, so the request is sent once.

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
    /// The URL of a GET whose answer shows whether the effect is already there.
    #[serde(default)]
    pub find: Option<Template>,
    /// Output name → JSON pointer into `find`'s answer; all present means found.
    #[serde(default)]
    pub found: Vec<(String, String)>,
    pub idempotent: bool,
}
