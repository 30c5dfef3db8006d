//! Links into a forge's web pages (compare views, commits, pull requests, tags), derived from a git
//! remote URL or given explicitly.
//!
//! A remote URL in any of git's spellings (`https://host/o/r.git`, `git@host:o/r.git`,
//! `ssh://git@host:22/o/r`) maps to the web base `https://host/o/r`. Credentials in the URL are
//! dropped, and redacted from error messages. github.com, gitlab.com, codeberg.org and gitea.com
//! are known; a self-hosted forge is recognised when its first host label names it
//! (`github.example.com`, `gitlab.example.com`, `gitea.…`, `forgejo.…`), and any other host must be
//! given explicitly (GitHub Enterprise on `git.example.com`: `&[("git.example.com", ForgeKind::GitHub)]`).
//!
//! The `write_*` methods append to a `fmt::Write` so the Markdown renderer makes no intermediate
//! strings on its hot path.

use std::fmt::{self, Write};
use std::str::FromStr;

/// The forges relman knows how to link into; they differ in their URL layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForgeKind {
    GitHub,
    GitLab,
    /// Gitea and Forgejo (Codeberg).
    Gitea,
}

impl ForgeKind {
    pub fn name(self) -> &'static str {
        match self {
            ForgeKind::GitHub => "github",
            ForgeKind::GitLab => "gitlab",
            ForgeKind::Gitea => "gitea",
        }
    }
}

impl FromStr for ForgeKind {
    type Err = LinkError;

    fn from_str(name: &str) -> Result<ForgeKind, LinkError> {
        match name.to_ascii_lowercase().as_str() {
            "github" => Ok(ForgeKind::GitHub),
            "gitlab" => Ok(ForgeKind::GitLab),
            "gitea" | "forgejo" | "codeberg" => Ok(ForgeKind::Gitea),
            _ => Err(LinkError::UnknownKind {
                name: name.to_owned(),
            }),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("remote url `{url}` is not a network url relman can link to")]
    NotNetwork { url: String },
    #[error("remote url `{url}` has no `owner/name` repository path")]
    NoRepository { url: String },
    #[error("cannot tell which forge `{host}` runs (remote url `{url}`)")]
    UnknownHost { url: String, host: String },
    #[error("unknown forge type `{name}`")]
    UnknownKind { name: String },
}

impl LinkError {
    pub fn hint(&self) -> Option<String> {
        match self {
            LinkError::UnknownHost { host, .. } => Some(format!(
                "name it in relman.toml: `[forge] type = \"github\"` (or `gitlab`, `gitea`) for `{host}`"
            )),
            LinkError::UnknownKind { .. } => {
                Some("forge types are `github`, `gitlab` and `gitea`".to_owned())
            }
            LinkError::NotNetwork { .. } | LinkError::NoRepository { .. } => Some(
                "set `[forge] repo = \"owner/name\"` in relman.toml, or point the remote at the forge"
                    .to_owned(),
            ),
        }
    }
}

/// One repository's web pages on a forge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forge {
    kind: ForgeKind,
    /// `https://host/owner/name`, without a trailing slash.
    web_url: String,
    /// Where `owner/name` starts in `web_url`.
    repo_start: usize,
}

impl Forge {
    /// A forge from its web base URL (`https://github.com/owner/name`).
    pub fn new(kind: ForgeKind, web_url: &str) -> Forge {
        let web_url = web_url.trim_end_matches('/').to_owned();
        let after_scheme = web_url.find("://").map_or(0, |at| at + 3);
        let repo_start = web_url[after_scheme..]
            .find('/')
            .map_or(web_url.len(), |at| after_scheme + at + 1);
        Forge {
            kind,
            web_url,
            repo_start,
        }
    }

    /// The forge a git remote URL points at. `hosts` names the kinds of self-hosted forges whose
    /// host names do not say it (matched without regard to case).
    pub fn from_remote_url(url: &str, hosts: &[(&str, ForgeKind)]) -> Result<Forge, LinkError> {
        let remote = RemoteUrl::parse(url.trim())
            .ok_or_else(|| LinkError::NotNetwork { url: redact(url) })?;
        let path = remote
            .path
            .trim_matches('/')
            .trim_end_matches(".git")
            .trim_end_matches('/');
        let segments = path.split('/').filter(|s| !s.is_empty()).count();
        if segments < 2 || path.split('/').any(str::is_empty) {
            return Err(LinkError::NoRepository { url: redact(url) });
        }
        let host = remote.host.to_ascii_lowercase();
        let kind = hosts
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(&host))
            .map(|&(_, kind)| kind)
            .or_else(|| kind_from_host(&host))
            .ok_or_else(|| LinkError::UnknownHost {
                url: redact(url),
                host: host.clone(),
            })?;
        let port = remote
            .port
            .map(|port| format!(":{port}"))
            .unwrap_or_default();
        Ok(Forge::new(
            kind,
            &format!("{}://{host}{port}/{path}", remote.web_scheme),
        ))
    }

    pub fn kind(&self) -> ForgeKind {
        self.kind
    }

    /// `https://host/owner/name`.
    pub fn web_url(&self) -> &str {
        &self.web_url
    }

    /// `owner/name` (`group/subgroup/name` on GitLab).
    pub fn repo(&self) -> &str {
        &self.web_url[self.repo_start..]
    }

    /// What changed between two tags: `…/compare/v1.0.0...v1.1.0`.
    pub fn write_compare_url(&self, out: &mut impl Write, from: &str, to: &str) -> fmt::Result {
        out.write_str(&self.web_url)?;
        out.write_str(match self.kind {
            ForgeKind::GitLab => "/-/compare/",
            ForgeKind::GitHub | ForgeKind::Gitea => "/compare/",
        })?;
        write_path_part(out, from)?;
        out.write_str("...")?;
        write_path_part(out, to)
    }

    pub fn write_commit_url(&self, out: &mut impl Write, sha: &str) -> fmt::Result {
        out.write_str(&self.web_url)?;
        out.write_str(match self.kind {
            ForgeKind::GitLab => "/-/commit/",
            ForgeKind::GitHub | ForgeKind::Gitea => "/commit/",
        })?;
        out.write_str(sha)
    }

    /// A pull request (GitHub, Gitea) or merge request (GitLab).
    pub fn write_pr_url(&self, out: &mut impl Write, number: u64) -> fmt::Result {
        out.write_str(&self.web_url)?;
        out.write_str(match self.kind {
            ForgeKind::GitHub => "/pull/",
            ForgeKind::GitLab => "/-/merge_requests/",
            ForgeKind::Gitea => "/pulls/",
        })?;
        write!(out, "{number}")
    }

    /// The files at a tag.
    pub fn write_tag_url(&self, out: &mut impl Write, tag: &str) -> fmt::Result {
        out.write_str(&self.web_url)?;
        out.write_str(match self.kind {
            ForgeKind::GitHub => "/tree/",
            ForgeKind::GitLab => "/-/tree/",
            ForgeKind::Gitea => "/src/tag/",
        })?;
        write_path_part(out, tag)
    }

    pub fn compare_url(&self, from: &str, to: &str) -> String {
        build(|out| self.write_compare_url(out, from, to))
    }

    pub fn commit_url(&self, sha: &str) -> String {
        build(|out| self.write_commit_url(out, sha))
    }

    pub fn pr_url(&self, number: u64) -> String {
        build(|out| self.write_pr_url(out, number))
    }

    pub fn tag_url(&self, tag: &str) -> String {
        build(|out| self.write_tag_url(out, tag))
    }
}

fn build(write: impl FnOnce(&mut String) -> fmt::Result) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write(&mut out);
    out
}

/// A ref name inside a URL path: the few characters that would end the path or break a Markdown
/// link are escaped; `/` stays, as forges expect it in tag names.
fn write_path_part(out: &mut impl Write, part: &str) -> fmt::Result {
    if !part.bytes().any(needs_escape) {
        return out.write_str(part);
    }
    for byte in part.bytes() {
        if needs_escape(byte) {
            write!(out, "%{byte:02X}")?;
        } else {
            out.write_char(char::from(byte))?;
        }
    }
    Ok(())
}

fn needs_escape(byte: u8) -> bool {
    matches!(byte, b' ' | b'#' | b'?' | b'%' | b'(' | b')' | b'<' | b'>')
        || !byte.is_ascii()
        || byte.is_ascii_control()
}

fn kind_from_host(host: &str) -> Option<ForgeKind> {
    match host {
        "github.com" | "www.github.com" => return Some(ForgeKind::GitHub),
        "gitlab.com" => return Some(ForgeKind::GitLab),
        "codeberg.org" | "gitea.com" => return Some(ForgeKind::Gitea),
        _ => {}
    }
    let label = host.split('.').next()?;
    if label.contains("github") {
        Some(ForgeKind::GitHub)
    } else if label.contains("gitlab") {
        Some(ForgeKind::GitLab)
    } else if label.contains("gitea") || label.contains("forgejo") {
        Some(ForgeKind::Gitea)
    } else {
        None
    }
}

struct RemoteUrl<'u> {
    web_scheme: &'static str,
    host: &'u str,
    /// Kept only for http(s) remotes: an ssh port is not the web server's.
    port: Option<&'u str>,
    path: &'u str,
}

impl<'u> RemoteUrl<'u> {
    fn parse(url: &'u str) -> Option<RemoteUrl<'u>> {
        if let Some((scheme, rest)) = url.split_once("://") {
            let web_scheme = match scheme.to_ascii_lowercase().as_str() {
                "http" => "http",
                "https" | "ssh" | "git" | "git+ssh" | "ssh+git" => "https",
                _ => return None,
            };
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let authority = authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host);
            let (host, port) = match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
                    (host, (!port.is_empty()).then_some(port))
                }
                _ => (authority, None),
            };
            let port = if web_scheme == "http" || scheme.eq_ignore_ascii_case("https") {
                port
            } else {
                None
            };
            return (!host.is_empty()).then_some(RemoteUrl {
                web_scheme,
                host,
                port,
                path,
            });
        }
        // scp-like `[user@]host:path`; a colon after a slash means a local path.
        let (authority, path) = url.split_once(':')?;
        if authority.contains('/') || path.starts_with("//") {
            return None;
        }
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        // `C:` is a Windows drive, not a host.
        (host.len() > 1).then_some(RemoteUrl {
            web_scheme: "https",
            host,
            port: None,
            path,
        })
    }
}

/// The URL with any `user:password@` replaced, so that tokens never reach an error message.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web(url: &str) -> String {
        Forge::from_remote_url(url, &[])
            .unwrap()
            .web_url()
            .to_owned()
    }

    #[test]
    fn remote_spellings_map_to_one_web_url() {
        for url in [
            "https://github.com/o/r",
            "https://github.com/o/r.git",
            "https://github.com/o/r/",
            "https://x-access-token:secret@github.com/o/r.git",
            "git@github.com:o/r.git",
            "git@github.com:o/r",
            "github.com:o/r.git",
            "ssh://git@github.com/o/r",
            "ssh://git@github.com:22/o/r.git",
            "git://github.com/o/r.git",
            "  https://GitHub.com/o/r.git\n",
        ] {
            assert_eq!(web(url), "https://github.com/o/r", "{url}");
        }
    }

    #[test]
    fn ports_and_schemes_of_web_remotes_are_kept() {
        assert_eq!(
            web("http://gitea.local:3000/o/r.git"),
            "http://gitea.local:3000/o/r"
        );
        assert_eq!(
            web("https://gitlab.example.com:8443/g/sub/r.git"),
            "https://gitlab.example.com:8443/g/sub/r"
        );
    }

    #[test]
    fn kinds_from_hosts() {
        let kind = |url| Forge::from_remote_url(url, &[]).unwrap().kind();
        assert_eq!(kind("git@gitlab.com:g/sub/r.git"), ForgeKind::GitLab);
        assert_eq!(kind("https://codeberg.org/o/r"), ForgeKind::Gitea);
        assert_eq!(kind("https://gitea.com/o/r"), ForgeKind::Gitea);
        assert_eq!(kind("git@github.example.com:o/r.git"), ForgeKind::GitHub);
        assert_eq!(kind("https://forgejo.example.org/o/r"), ForgeKind::Gitea);
        let enterprise = Forge::from_remote_url(
            "git@git.corp.example:o/r.git",
            &[("GIT.corp.example", ForgeKind::GitHub)],
        )
        .unwrap();
        assert_eq!(enterprise.kind(), ForgeKind::GitHub);
        assert_eq!(enterprise.web_url(), "https://git.corp.example/o/r");
    }

    #[test]
    fn gitlab_subgroups_are_the_repository() {
        let forge = Forge::from_remote_url("git@gitlab.com:group/sub/r.git", &[]).unwrap();
        assert_eq!(forge.repo(), "group/sub/r");
        assert_eq!(
            forge.pr_url(7),
            "https://gitlab.com/group/sub/r/-/merge_requests/7"
        );
    }

    #[test]
    fn urls_per_forge() {
        let github = Forge::new(ForgeKind::GitHub, "https://github.com/o/r/");
        assert_eq!(github.repo(), "o/r");
        assert_eq!(
            github.compare_url("v1.0.0", "v1.1.0"),
            "https://github.com/o/r/compare/v1.0.0...v1.1.0"
        );
        assert_eq!(
            github.commit_url("abc"),
            "https://github.com/o/r/commit/abc"
        );
        assert_eq!(github.pr_url(12), "https://github.com/o/r/pull/12");
        assert_eq!(
            github.tag_url("v1.0.0"),
            "https://github.com/o/r/tree/v1.0.0"
        );

        let gitlab = Forge::new(ForgeKind::GitLab, "https://gitlab.com/g/r");
        assert_eq!(
            gitlab.compare_url("v1", "v2"),
            "https://gitlab.com/g/r/-/compare/v1...v2"
        );
        assert_eq!(
            gitlab.commit_url("abc"),
            "https://gitlab.com/g/r/-/commit/abc"
        );
        assert_eq!(gitlab.tag_url("v1"), "https://gitlab.com/g/r/-/tree/v1");

        let gitea = Forge::new(ForgeKind::Gitea, "https://codeberg.org/o/r");
        assert_eq!(gitea.pr_url(3), "https://codeberg.org/o/r/pulls/3");
        assert_eq!(
            gitea.compare_url("a", "b"),
            "https://codeberg.org/o/r/compare/a...b"
        );
        assert_eq!(gitea.tag_url("v1"), "https://codeberg.org/o/r/src/tag/v1");
    }

    #[test]
    fn tags_with_odd_characters_are_escaped() {
        let github = Forge::new(ForgeKind::GitHub, "https://github.com/o/r");
        assert_eq!(
            github.compare_url("pkg/v1.0 (old)", "pkg/v1.1#x"),
            "https://github.com/o/r/compare/pkg/v1.0%20%28old%29...pkg/v1.1%23x"
        );
    }

    #[test]
    fn errors_redact_credentials_and_hint() {
        let err =
            Forge::from_remote_url("https://user:tok3n@git.corp.example/o/r.git", &[]).unwrap_err();
        let message = err.to_string();
        assert!(!message.contains("tok3n"), "{message}");
        assert_eq!(
            message,
            "cannot tell which forge `git.corp.example` runs (remote url `https://***@git.corp.example/o/r.git`)"
        );
        assert!(err.hint().unwrap().contains("[forge] type"));

        for url in [
            "/srv/git/r.git",
            "file:///srv/git/r.git",
            "../r",
            "C:\\repos\\r",
            "C:/repos/r",
        ] {
            assert!(
                matches!(
                    Forge::from_remote_url(url, &[]),
                    Err(LinkError::NotNetwork { .. })
                ),
                "{url}"
            );
        }
        for url in [
            "https://github.com/o",
            "git@github.com:r.git",
            "https://github.com/",
        ] {
            assert!(
                matches!(
                    Forge::from_remote_url(url, &[]),
                    Err(LinkError::NoRepository { .. })
                ),
                "{url}"
            );
        }
    }

    #[test]
    fn kind_names() {
        assert_eq!("GitHub".parse::<ForgeKind>().unwrap(), ForgeKind::GitHub);
        assert_eq!("forgejo".parse::<ForgeKind>().unwrap(), ForgeKind::Gitea);
        assert_eq!(ForgeKind::GitLab.name(), "gitlab");
        assert!("bitbucket".parse::<ForgeKind>().is_err());
    }
}
