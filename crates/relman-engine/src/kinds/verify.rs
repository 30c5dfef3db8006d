//! `verify = "pypi" | "oci" | "helm" | "url"`: check that what was published is really there,
//! polling with backoff until `timeout`, then pausing.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verify", rename_all = "kebab-case")]
pub enum VerifyStep {
    Pypi {
        package: Template,
        /// A pip-style index URL; default `https://pypi.org/simple/`.
        index: Option<Template>,
        /// Globs that must all match a file of `{version}`.
        files: Vec<Template>,
    },
    Oci {
        image: Template,
        tags: Vec<Template>,
        platforms: Vec<Template>,
        /// A tag every tag must name the same image as (a promotion: `alpha` is `{version}`).
        #[serde(default)]
        same_as: Option<Template>,
        username_env: Option<String>,
        password_env: Option<String>,
    },
    Helm {
        repo: Template,
        chart: Template,
    },
    Url {
        url: Template,
        status: Option<u16>,
        contains: Option<Template>,
    },
}

impl VerifyStep {
    pub(crate) fn collect_templates<'a>(&'a self, all: &mut Vec<(&'static str, &'a Template)>) {
        match self {
            VerifyStep::Pypi {
                package,
                index,
                files,
            } => {
                all.push(("package", package));
                all.extend(index.iter().map(|value| ("index", value)));
                all.extend(files.iter().map(|value| ("files", value)));
            }
            VerifyStep::Oci {
                image,
                tags,
                platforms,
                same_as,
                ..
            } => {
                all.push(("image", image));
                all.extend(tags.iter().map(|value| ("tags", value)));
                all.extend(platforms.iter().map(|value| ("platforms", value)));
                all.extend(same_as.iter().map(|value| ("same-as", value)));
            }
            VerifyStep::Helm { repo, chart } => {
                all.push(("repo", repo));
                all.push(("chart", chart));
            }
            VerifyStep::Url { url, contains, .. } => {
                all.push(("url", url));
                all.extend(contains.iter().map(|value| ("contains", value)));
            }
        }
    }
}
