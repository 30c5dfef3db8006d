//! `verify = "helm"`: a chart repository's `index.yaml` lists the chart at the version.
//!
//! `index.yaml` files are written by Go YAML (helm, chart-releaser, ChartMuseum): block style, one
//! mapping per chart version under `entries.<chart>`. Popular repositories' indexes run to tens of
//! megabytes, so rather than building a YAML tree this module scans the lines once, following
//! indentation: `entries:` at the top, the chart's key under it, then the `version:` key of each
//! list item at the item's own level (a dependency's `version:` sits deeper and is ignored).
//! Indentation of sequences under their key (`- ` at the key's column or further in) and quoted
//! scalars are handled; an index written as JSON (also valid YAML) is read with serde_json.
//!
//! A repository in an OCI registry (`oci://ghcr.io/org/charts`) has no index: [`oci_chart`] turns
//! the step into an image check of `ghcr.io/org/charts/CHART:VERSION`, the tag `helm push` writes
//! (with `+` spelled `_`, as OCI tags cannot hold `+`).

use super::oci::OciVerify;
use super::{VerifyError, check_http_error, join_url, split_userinfo};
use crate::http::{Credential, HttpClient, RequestDescription};
use crate::secret::Secret;
use crate::wait::Poll;

/// A resolved `verify = "helm"` step.
#[derive(Debug, Clone)]
pub struct HelmVerify {
    repo: String,
    credential: Option<Credential>,
    chart: String,
    version: String,
}

/// The chart version found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmFound {
    pub version: String,
}

impl HelmVerify {
    /// `repo` is the repository URL (the folder holding `index.yaml`), possibly with
    /// `user:password@`.
    pub fn new(repo: &str, chart: &str, version: &str) -> Result<Self, VerifyError> {
        if repo.starts_with("oci://") {
            return Err(VerifyError::Invalid {
                option: "repo",
                value: repo.to_owned(),
                reason: "an `oci://` repository has no index.yaml: check it with `oci_chart`"
                    .to_owned(),
            });
        }
        let (repo, credential) = split_userinfo(repo)?;
        if chart.trim().is_empty() {
            return Err(VerifyError::Invalid {
                option: "chart",
                value: chart.to_owned(),
                reason: "empty chart name".to_owned(),
            });
        }
        Ok(Self {
            repo,
            credential,
            chart: chart.to_owned(),
            version: version.to_owned(),
        })
    }

    pub fn index_url(&self) -> String {
        if self.repo.ends_with("index.yaml") {
            self.repo.clone()
        } else {
            join_url(&self.repo, "index.yaml")
        }
    }

    pub fn request(&self) -> RequestDescription {
        RequestDescription::get(self.index_url())
    }

    pub fn describe(&self) -> String {
        format!(
            "verify chart {} {} in {}",
            self.chart,
            self.version,
            self.index_url()
        )
    }

    pub fn check(&self, client: &HttpClient) -> Result<Poll<HelmFound>, VerifyError> {
        let client = match &self.credential {
            Some(credential) => client.clone().with_credential(credential.clone()),
            None => client.clone(),
        };
        match client.execute(&self.request()) {
            Ok(response) => self.evaluate(&response.text(), response.url()),
            Err(error) => {
                check_http_error(error, || format!("{} is not there yet", self.index_url()))
            }
        }
    }

    /// Judges the text of an `index.yaml` fetched from `url`.
    pub fn evaluate(&self, index: &str, url: &str) -> Result<Poll<HelmFound>, VerifyError> {
        let versions = match chart_versions(index, &self.chart) {
            Ok(versions) => versions,
            Err(reason) => {
                return Err(VerifyError::UnexpectedResponse {
                    url: url.to_owned(),
                    reason,
                });
            }
        };
        let wanted = self.version.trim_start_matches('v');
        if let Some(found) = versions
            .iter()
            .find(|v| v.trim_start_matches('v') == wanted)
        {
            return Ok(Poll::Ready(HelmFound {
                version: found.clone(),
            }));
        }
        match versions.len() {
            0 => Ok(Poll::Pending(format!(
                "{url} lists no chart `{}` yet",
                self.chart
            ))),
            count => {
                let newest: Vec<&str> = versions.iter().take(5).map(String::as_str).collect();
                Ok(Poll::Pending(format!(
                    "{url} lists `{}` at {count} versions ({}{}), not {} yet",
                    self.chart,
                    newest.join(", "),
                    if count > 5 { ", …" } else { "" },
                    self.version
                )))
            }
        }
    }
}

/// The check of a chart in an OCI registry: `repo` is `oci://REGISTRY/PATH`, the chart is the
/// image `REGISTRY/PATH/CHART` tagged with the version.
pub fn oci_chart(
    repo: &str,
    chart: &str,
    version: &str,
    login: Option<(String, Secret)>,
) -> Result<OciVerify, VerifyError> {
    let Some(path) = repo.strip_prefix("oci://") else {
        return Err(VerifyError::Invalid {
            option: "repo",
            value: repo.to_owned(),
            reason: "an OCI chart repository starts with `oci://`".to_owned(),
        });
    };
    let image = format!("{}/{chart}", path.trim_end_matches('/'));
    OciVerify::new(&image, &[version.replace('+', "_")], &[], login)
}

/// Every `version` of `chart` in an index, in file order. An index without `entries` is an error;
/// a chart that is absent gives an empty list.
pub fn chart_versions(index: &str, chart: &str) -> Result<Vec<String>, String> {
    if index.trim_start().starts_with('{') {
        return json_chart_versions(index, chart);
    }
    let lines: Vec<Line<'_>> = index.lines().filter_map(Line::parse).collect();
    let entries = lines
        .iter()
        .position(|line| line.indent == 0 && line.key() == Some("entries"))
        .ok_or("not a Helm repository index: no top-level `entries`")?;
    let block = block_after(&lines, entries, 0);
    let Some(key_indent) = block.first().map(|line| line.indent) else {
        return Ok(Vec::new());
    };
    let Some(chart_at) = block
        .iter()
        .position(|line| line.indent == key_indent && line.key() == Some(chart))
    else {
        return Ok(Vec::new());
    };
    let items = block_after(block, chart_at, key_indent);
    let mut versions = Vec::new();
    let mut item_key_column = None;
    let dash_indent = items
        .iter()
        .find(|line| line.text.starts_with('-'))
        .map(|line| line.indent);
    for (index, line) in items.iter().enumerate() {
        if Some(line.indent) == dash_indent && line.text.starts_with('-') {
            let rest = line.text[1..].trim_start();
            item_key_column = if rest.is_empty() {
                items.get(index + 1).map(|next| next.indent)
            } else {
                Some(line.indent + (line.text.len() - rest.len()))
            };
            if let Some(value) = Line::key_value(rest).filter(|(key, _)| *key == "version") {
                versions.push(unquote(value.1));
            }
            continue;
        }
        if Some(line.indent) == item_key_column
            && let Some(("version", value)) = Line::key_value(line.text)
        {
            versions.push(unquote(value));
        }
    }
    Ok(versions)
}

fn json_chart_versions(index: &str, chart: &str) -> Result<Vec<String>, String> {
    let value: serde_json::Value = serde_json::from_str(index)
        .map_err(|error| format!("not a Helm repository index: {error}"))?;
    let entries = value
        .get("entries")
        .ok_or("not a Helm repository index: no `entries`")?;
    Ok(entries
        .get(chart)
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.get("version"))
                .map(|version| match version {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default())
}

/// A non-blank, non-comment line: its indentation and the text after it.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

impl<'a> Line<'a> {
    fn parse(raw: &'a str) -> Option<Self> {
        let text = raw.trim_end();
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            return None;
        }
        Some(Self {
            indent: text.len() - trimmed.len(),
            text: trimmed,
        })
    }

    /// The key of a `key: value` or `key:` line, unquoted.
    fn key(&self) -> Option<&'a str> {
        Self::key_value(self.text).map(|(key, _)| key)
    }

    fn key_value(text: &'a str) -> Option<(&'a str, &'a str)> {
        let (key, value) = if let Some(quote @ ('"' | '\'')) = text.chars().next() {
            let end = text[1..].find(quote)? + 1;
            let after = text[end + 1..].strip_prefix(':')?;
            (&text[1..end], after)
        } else {
            let colon = text
                .find(": ")
                .or_else(|| text.ends_with(':').then(|| text.len() - 1))?;
            (&text[..colon], &text[colon + 1..])
        };
        Some((key, value.trim()))
    }
}

/// The lines after `lines[at]` that are indented deeper than `indent` (its block), allowing a
/// sequence to start at the same column as its key, as Go YAML writes it.
fn block_after<'s, 'a>(lines: &'s [Line<'a>], at: usize, indent: usize) -> &'s [Line<'a>] {
    let rest = &lines[at + 1..];
    let end = rest
        .iter()
        .position(|line| {
            line.indent < indent || (line.indent == indent && !line.text.starts_with('-'))
        })
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A scalar without its quotes or a trailing comment.
fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote)
            && let Some(end) = inner.find(quote)
        {
            return inner[..end].to_owned();
        }
    }
    value.split(" #").next().unwrap_or(value).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELM_INDEX: &str = r#"apiVersion: v1
entries:
  nginx:
  - annotations:
      category: Infrastructure
    apiVersion: v2
    appVersion: 1.25.3
    created: "2023-11-01T12:00:00.000000000Z"
    dependencies:
    - name: common
      repository: oci://registry-1.docker.io/bitnamicharts
      version: 2.x.x
    description: |-
      NGINX Open Source is a web server.
      version: 9.9.9 is not a key here
    digest: 0f1e
    name: nginx
    urls:
    - https://charts.test/nginx-15.4.0.tgz
    version: 15.4.0
  - apiVersion: v2
    name: nginx
    version: "15.3.5"
  redis:
  - name: redis
    version: 18.0.0
generated: "2023-11-01T12:00:00Z"
"#;

    #[test]
    fn versions_of_one_chart_only_at_item_level() {
        assert_eq!(
            chart_versions(HELM_INDEX, "nginx").unwrap(),
            ["15.4.0", "15.3.5"]
        );
        assert_eq!(chart_versions(HELM_INDEX, "redis").unwrap(), ["18.0.0"]);
        assert!(chart_versions(HELM_INDEX, "common").unwrap().is_empty());
    }

    #[test]
    fn indented_sequences_and_dash_only_lines() {
        let index = "entries:\n    'my-chart':\n        -\n            name: my-chart\n            version: '0.2.0' # newest\n        - version: 0.1.0\n          name: my-chart\n";
        assert_eq!(
            chart_versions(index, "my-chart").unwrap(),
            ["0.2.0", "0.1.0"]
        );
    }

    #[test]
    fn json_indexes_and_bad_documents() {
        let json =
            r#"{"apiVersion":"v1","entries":{"app":[{"version":"1.0.0"},{"version":"0.9.0"}]}}"#;
        assert_eq!(chart_versions(json, "app").unwrap(), ["1.0.0", "0.9.0"]);
        assert!(chart_versions("<html>404</html>", "app").is_err());
        assert!(
            chart_versions("apiVersion: v1\nentries: {}\n", "app")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn oci_repositories_become_image_checks() {
        let verify = oci_chart("oci://ghcr.io/org/charts/", "app", "1.2.3+build.4", None).unwrap();
        assert_eq!(
            verify.requests()[0].url,
            "https://ghcr.io/v2/org/charts/app/manifests/1.2.3_build.4"
        );
        assert!(HelmVerify::new("oci://ghcr.io/org/charts", "app", "1.0.0").is_err());
        assert!(oci_chart("https://charts.test", "app", "1.0.0", None).is_err());
    }

    #[test]
    fn evaluate_says_what_is_there() {
        let verify = HelmVerify::new("https://charts.test/", "nginx", "15.5.0").unwrap();
        assert_eq!(verify.index_url(), "https://charts.test/index.yaml");
        let Ok(Poll::Pending(reason)) =
            verify.evaluate(HELM_INDEX, "https://charts.test/index.yaml")
        else {
            panic!()
        };
        assert_eq!(
            reason,
            "https://charts.test/index.yaml lists `nginx` at 2 versions (15.4.0, 15.3.5), not 15.5.0 yet"
        );
        let verify = HelmVerify::new("https://charts.test", "nginx", "v15.3.5").unwrap();
        let found = verify.evaluate(HELM_INDEX, "u");
        assert!(
            matches!(&found, Ok(Poll::Ready(HelmFound { version })) if version == "15.3.5"),
            "{found:?}"
        );
    }
}
