//! Token endpoint URLs: filling templates safely and enforcing the transport policy.

use std::fmt;
use std::net::IpAddr;
use std::sync::RwLock;

use url::Url;

use crate::inline_text::InlineText;
use crate::{ConfigError, Error, ParamValue};

/// Parses a base or token URL and applies the transport policy: `https://`, or
/// `http://` on a loopback host; no user info, query or fragment.
pub(crate) fn parse_endpoint_url(text: &str, what: &'static str) -> Result<Url, Error> {
    let url = Url::parse(text).map_err(|source| ConfigError::InvalidUrl { what, source })?;
    check_endpoint_url(&url, what)?;
    if url.query().is_some() {
        return Err(ConfigError::UnsupportedUrlPart {
            what,
            part: "a query",
        }
        .into());
    }
    Ok(url)
}

/// Checks a URL against the transport policy; the query is left to the request's own parameters.
pub(crate) fn check_endpoint_url(url: &Url, what: &'static str) -> Result<(), Error> {
    let secure = match url.scheme() {
        "https" => true,
        "http" => is_loopback(url),
        _ => false,
    };
    if !secure || url.host().is_none() {
        return Err(ConfigError::InsecureUrl {
            what,
            scheme: url.scheme().to_owned(),
        }
        .into());
    }
    let unsupported = if !url.username().is_empty() || url.password().is_some() {
        Some("user info")
    } else if url.fragment().is_some() {
        Some("a fragment")
    } else {
        None
    };
    match unsupported {
        Some(part) => Err(ConfigError::UnsupportedUrlPart { what, part }.into()),
        None => Ok(()),
    }
}

/// Whether the URL's host is on this machine: `localhost`, 127.0.0.0/8 or ::1.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Whether `host[:port]` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
fn is_loopback_authority(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Appends `path` to `base`, keeping any path the base already has.
pub(crate) fn join(base: &Url, path: &str) -> Result<Url, Error> {
    let mut joined = String::with_capacity(base.as_str().len() + path.len());
    joined.push_str(base.as_str().trim_end_matches('/'));
    joined.push_str(path);
    parse_endpoint_url(&joined, "token URL")
}

/// Room for a typical token URL on the stack: a hit in [`ResolvedUrls`] then allocates only the `Url` it clones.
type FilledText = InlineText<128>;

/// Fills a base URL template; generated code calls it piece by piece.
#[doc(hidden)]
#[derive(Default)]
pub struct UrlTemplate {
    filled: FilledText,
}

impl fmt::Debug for UrlTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UrlTemplate")
            .field("filled", &self.filled.as_str())
            .finish()
    }
}

impl UrlTemplate {
    /// An empty template.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a fixed part of the template.
    pub fn literal(&mut self, text: &str) {
        self.filled.push_str(text);
    }

    /// Appends a field that stands for the whole origin: `https://host[:port]`.
    pub fn origin(
        &mut self,
        field: &'static str,
        value: Option<ParamValue<'_>>,
    ) -> Result<(), Error> {
        let text = text_of(field, value.as_ref())?;
        let invalid = |reason| Error::from(ConfigError::InvalidTemplateValue { field, reason });
        // Checked as text, so the URL is parsed once, whole, by `finish`.
        let origin = text.trim_end_matches('/');
        let (scheme, authority) = match (
            origin.strip_prefix("https://"),
            origin.strip_prefix("http://"),
        ) {
            (Some(authority), _) => ("https", authority),
            (None, Some(authority)) => ("http", authority),
            (None, None) if origin.contains("://") => {
                return Err(invalid(
                    "an origin must use https:// (http:// only on loopback)",
                ));
            }
            (None, None) => {
                return Err(invalid(
                    "it is not an origin such as https://tenant.example.com",
                ));
            }
        };
        let authority_char = |byte: u8| {
            byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b':' | b'[' | b']')
        };
        if authority.is_empty() || !authority.bytes().all(authority_char) {
            return Err(invalid(
                "an origin is scheme://host[:port], with no path, query, fragment or user info",
            ));
        }
        if scheme == "http" && !is_loopback_authority(authority) {
            return Err(invalid(
                "an origin must use https:// (http:// only on loopback)",
            ));
        }
        self.filled.push_str(origin);
        Ok(())
    }

    /// Appends a field that fills one label or path segment: letters, digits, `-`, `.`, `_`, `~`.
    pub fn part(
        &mut self,
        field: &'static str,
        value: Option<ParamValue<'_>>,
    ) -> Result<(), Error> {
        let text = text_of(field, value.as_ref())?;
        let invalid = |reason| Error::from(ConfigError::InvalidTemplateValue { field, reason });
        if text.is_empty() {
            return Err(invalid("it is empty"));
        }
        if text.contains("..") || text == "." {
            return Err(invalid("it contains a dot segment"));
        }
        if !text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte))
        {
            return Err(invalid(
                "it may hold only letters, digits, '-', '.', '_' and '~'",
            ));
        }
        self.filled.push_str(&text);
        Ok(())
    }

    /// The filled template as a checked base URL, parsed once per distinct text in `resolved`.
    pub fn finish(self, resolved: &ResolvedUrls) -> Result<Url, Error> {
        resolved.get_or_parse(&self.filled, "base URL")
    }

    /// The filled template followed by `path`, as a checked token URL: one parse, not two.
    pub fn finish_with_path(mut self, path: &str, resolved: &ResolvedUrls) -> Result<Url, Error> {
        let filled = self.filled.as_bytes();
        let slashes = filled
            .iter()
            .rev()
            .take_while(|&&byte| byte == b'/')
            .count();
        self.filled.truncate(filled.len() - slashes);
        self.filled.push_str(path);
        resolved.get_or_parse(&self.filled, "token URL")
    }
}

/// The URLs one template was filled to, by their text: a provider whose fields
/// do not change parses its URL once, and a process serving several tenants
/// keeps the latest few. Generated code keeps one per template in a `static`.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct ResolvedUrls {
    entries: RwLock<Vec<(Box<str>, Url)>>,
}

impl ResolvedUrls {
    /// How many distinct URLs are kept; the oldest makes room for a new one.
    const CAPACITY: usize = 8;

    /// No URL resolved yet.
    pub const fn new() -> Self {
        Self {
            entries: RwLock::new(Vec::new()),
        }
    }

    /// The URL `filled` parses to, checked against the transport policy; only a valid URL is kept.
    fn get_or_parse(&self, filled: &FilledText, what: &'static str) -> Result<Url, Error> {
        let bytes = filled.as_bytes();
        // A lock poisoned by a panic elsewhere only costs the cache: the URL is parsed afresh.
        if let Ok(entries) = self.entries.read()
            && let Some((_, url)) = entries.iter().find(|(text, _)| text.as_bytes() == bytes)
        {
            return Ok(url.clone());
        }
        let text = filled.as_str();
        let url = parse_endpoint_url(&text, what)?;
        if let Ok(mut entries) = self.entries.write()
            && !entries.iter().any(|(kept, _)| kept.as_bytes() == bytes)
        {
            if entries.len() == Self::CAPACITY {
                entries.remove(0);
            }
            entries.push((text.into(), url.clone()));
        }
        Ok(url)
    }
}

fn text_of<'v>(
    field: &'static str,
    value: Option<&'v ParamValue<'_>>,
) -> Result<std::borrow::Cow<'v, str>, Error> {
    let invalid = |reason| Error::from(ConfigError::InvalidTemplateValue { field, reason });
    match value {
        None => Err(invalid("it has no value")),
        Some(value) if value.is_secret() => Err(invalid("it is a secret, and URLs end up in logs")),
        Some(value) => Ok(value.as_text()),
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn text(value: &str) -> Option<ParamValue<'_>> {
        Some(ParamValue::Text(Cow::Borrowed(value)))
    }

    fn filled_part(value: &str) -> Result<String, Error> {
        let mut template = UrlTemplate::new();
        template.literal("https://");
        template.part("tenant", text(value))?;
        template.literal(".example.com");
        template.finish(&ResolvedUrls::new()).map(String::from)
    }

    fn filled_origin(value: &str) -> Result<String, Error> {
        let mut template = UrlTemplate::new();
        template.origin("subdomain", text(value))?;
        template.literal("/api2");
        template.finish(&ResolvedUrls::new()).map(String::from)
    }

    #[test]
    fn parts_accept_labels_and_refuse_anything_that_moves_the_url() {
        assert_eq!(
            filled_part("acme-1").ok().as_deref(),
            Some("https://acme-1.example.com/")
        );
        for hostile in [
            "",
            "evil.com/",
            "a?b",
            "a#b",
            "user@evil",
            "..",
            "a b",
            "a\nb",
            "évil",
            "a:1",
        ] {
            assert!(filled_part(hostile).is_err(), "{hostile:?} was accepted");
        }
    }

    #[test]
    fn origins_must_be_bare_https_origins() {
        assert_eq!(
            filled_origin("https://acme.daftra.com").ok().as_deref(),
            Some("https://acme.daftra.com/api2")
        );
        assert_eq!(
            filled_origin("https://acme.daftra.com:8443/")
                .ok()
                .as_deref(),
            Some("https://acme.daftra.com:8443/api2")
        );
        assert_eq!(
            filled_origin("http://127.0.0.1:9").ok().as_deref(),
            Some("http://127.0.0.1:9/api2")
        );
        for hostile in [
            "acme.daftra.com",
            "http://acme.daftra.com",
            "https://acme.daftra.com/x",
            "https://acme.daftra.com?x=1",
            "https://user:pw@acme.daftra.com",
            "ftp://acme.daftra.com",
            "javascript:alert(1)",
        ] {
            assert!(filled_origin(hostile).is_err(), "{hostile:?} was accepted");
        }
    }

    #[test]
    fn http_is_accepted_only_on_loopback() {
        for accepted in [
            "https://example.com",
            "http://127.0.0.1:80",
            "http://[::1]:1",
            "http://localhost",
        ] {
            assert!(
                parse_endpoint_url(accepted, "base URL").is_ok(),
                "{accepted}"
            );
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "https://u:p@example.com",
        ] {
            assert!(
                parse_endpoint_url(refused, "base URL").is_err(),
                "{refused}"
            );
        }
    }

    fn token_url(resolved: &ResolvedUrls, origin: &str) -> Result<String, Error> {
        let mut template = UrlTemplate::new();
        template.origin("server", text(origin))?;
        template
            .finish_with_path("/oauth/token", resolved)
            .map(String::from)
    }

    #[test]
    fn resolved_urls_are_kept_by_their_text_and_only_when_valid() {
        let resolved = ResolvedUrls::new();
        for _ in 0..2 {
            for server in ["https://a.example.com/", "https://b.example.com"] {
                let host = server.trim_end_matches('/');
                assert_eq!(
                    token_url(&resolved, server).ok(),
                    Some(format!("{host}/oauth/token"))
                );
            }
        }
        assert!(token_url(&resolved, "https://[::1").is_err());
        let kept: Vec<String> = resolved
            .entries
            .read()
            .map(|entries| entries.iter().map(|(text, _)| text.to_string()).collect())
            .unwrap_or_default();
        assert_eq!(
            kept,
            [
                "https://a.example.com/oauth/token",
                "https://b.example.com/oauth/token"
            ]
        );
    }

    #[test]
    fn resolved_urls_keep_the_latest_few() {
        let resolved = ResolvedUrls::new();
        for tenant in 0..=ResolvedUrls::CAPACITY {
            let url = token_url(&resolved, &format!("https://t{tenant}.example.com"));
            assert_eq!(
                url.ok(),
                Some(format!("https://t{tenant}.example.com/oauth/token"))
            );
        }
        let kept = resolved.entries.read().map(|entries| entries.len()).ok();
        assert_eq!(kept, Some(ResolvedUrls::CAPACITY));
        let oldest_gone = resolved.entries.read().is_ok_and(|entries| {
            entries
                .iter()
                .all(|(text, _)| !text.starts_with("https://t0."))
        });
        assert!(oldest_gone);
    }

    #[test]
    fn join_keeps_the_base_path() {
        let base = parse_endpoint_url("https://app.example.com/Service.svc/Rest/", "base URL").ok();
        let joined = base.and_then(|base| join(&base, "/oauth/token").ok());
        assert_eq!(
            joined.as_ref().map(Url::as_str),
            Some("https://app.example.com/Service.svc/Rest/oauth/token")
        );
    }
}
