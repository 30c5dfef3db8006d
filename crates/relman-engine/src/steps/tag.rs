//! `tag = "{tag}"`: lightweight, annotated (`message`), or signed (`sign = true`, honouring the
//! user's `gpg.format` and `user.signingKey`).

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagStep {
    pub name: Template,
    pub message: Option<Template>,
    pub sign: bool,
}
