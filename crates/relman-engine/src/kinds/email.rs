//! `email = "to@example.org"`: a message over SMTP (`RELMAN_SMTP_URL`).

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailStep {
    pub to: Vec<Template>,
    pub cc: Vec<Template>,
    pub subject: Template,
    pub body: Template,
    pub from: Option<Template>,
}
