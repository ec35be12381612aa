//! HTTP syntax checked at compile time, so a declaration that every request
//! would fail on does not compile: media types, header names and values, and
//! the defaults of URL template parts.

/// Whether `text` is an RFC 9110 token: the characters of header names and media types.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// Whether `text` can be a header value: no line break or other control character.
pub(crate) fn is_header_value(text: &str) -> bool {
    text.bytes()
        .all(|byte| byte == b'\t' || (byte >= b' ' && byte != 0x7f))
}

/// `text` up to the first character a header value cannot hold.
pub(crate) fn clean_header_value(text: &str) -> &str {
    text.split(|c: char| c != '\t' && c.is_control())
        .next()
        .unwrap_or_default()
        .trim_end()
}

/// Whether `text` is a media type: `type/subtype`, then `; name=value`
/// parameters (RFC 9110 section 8.3.1).
pub(crate) fn is_media_type(text: &str) -> bool {
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim_end();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let is_parameter = |parameter: &str| {
        parameter
            .trim()
            .split_once('=')
            .is_some_and(|(name, value)| {
                is_token(name) && (is_token(value) || is_quoted_string(value))
            })
    };
    is_token(kind) && is_token(subtype) && parts.all(is_parameter)
}

fn is_quoted_string(text: &str) -> bool {
    text.len() >= 2 && text.starts_with('"') && text.ends_with('"') && is_header_value(text)
}

/// The media type someone who wrote `text` most likely meant.
pub(crate) fn guess_media_type(text: &str) -> String {
    let lower = text.trim().to_ascii_lowercase();
    let known = match lower.as_str() {
        "json" => Some("application/json"),
        "form" | "urlencoded" | "form-urlencoded" | "x-www-form-urlencoded" => {
            Some("application/x-www-form-urlencoded")
        }
        "text" | "plain" | "txt" => Some("text/plain"),
        "xml" => Some("application/xml"),
        _ => None,
    };
    match known {
        Some(known) => known.to_owned(),
        None if is_token(&lower) && !lower.contains('/') => format!("application/{lower}"),
        None => lower
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|word| is_token(word))
            .take(2)
            .collect::<Vec<_>>()
            .join("/"),
    }
}

/// What is wrong with `text` as a whole origin, `https://host[:port]`, if anything.
pub(crate) fn origin_problem(text: &str) -> Option<&'static str> {
    let Some((scheme, authority)) = text.trim_end_matches('/').split_once("://") else {
        return Some("is not an origin such as \"https://tenant.example.com\"");
    };
    let authority_byte = |byte: u8| byte.is_ascii_alphanumeric() || b"-.:[]".contains(&byte);
    if authority.is_empty() || !authority.bytes().all(authority_byte) {
        return Some("is scheme://host[:port], with no path, query, fragment or user info");
    }
    match scheme {
        "https" => None,
        "http" if is_loopback_authority(authority) => None,
        "http" => Some("uses plain http:// to a host that is not this machine"),
        _ => Some("must use https://"),
    }
}

/// Whether `host[:port]` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
fn is_loopback_authority(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What is wrong with `text` as one host label or path segment, if anything.
pub(crate) fn url_part_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        Some("is empty")
    } else if text == "." || text.contains("..") {
        Some("contains a dot segment")
    } else if !text
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte))
    {
        Some("may hold only letters, digits, '-', '.', '_' and '~'")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_type_slash_subtype_with_parameters() {
        for good in [
            "text/plain",
            "application/json; charset=utf-8",
            "application/vnd.api+json",
            "text/plain;format=\"a b\"",
        ] {
            assert!(is_media_type(good), "{good}");
        }
        for bad in ["json", "", "text/", "/json", "text/plain; charset", "a b/c"] {
            assert!(!is_media_type(bad), "{bad}");
        }
        assert_eq!(guess_media_type("json"), "application/json");
        assert_eq!(
            guess_media_type("form"),
            "application/x-www-form-urlencoded"
        );
        assert_eq!(guess_media_type("yaml"), "application/yaml");
        assert_eq!(guess_media_type("text plain"), "text/plain");
    }

    #[test]
    fn header_values_refuse_line_breaks() {
        assert!(is_header_value("acme/1.0 (linux)"));
        assert!(!is_header_value("a\r\nx-injected: 1"));
        assert!(!is_header_value("a\0"));
        assert_eq!(clean_header_value("acme/1.0\r\nx-injected: 1"), "acme/1.0");
    }

    #[test]
    fn origins_are_https_or_loopback_http() {
        assert_eq!(origin_problem("https://acme.example.com"), None);
        assert_eq!(origin_problem("https://acme.example.com:8443/"), None);
        assert_eq!(origin_problem("http://127.0.0.1:8080"), None);
        assert_eq!(origin_problem("http://[::1]:8080"), None);
        assert!(origin_problem("http://acme.example.com").is_some());
        assert!(origin_problem("https://acme.example.com/api").is_some());
        assert!(origin_problem("acme.example.com").is_some());
        assert!(origin_problem("ftp://acme.example.com").is_some());
    }

    #[test]
    fn url_parts_are_one_label_or_segment() {
        assert_eq!(url_part_problem("eu-west-1"), None);
        assert!(url_part_problem("").is_some());
        assert!(url_part_problem("..").is_some());
        assert!(url_part_problem("a/b").is_some());
    }
}
