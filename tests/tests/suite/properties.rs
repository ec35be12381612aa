//! Properties over arbitrary input, each with its other half: parsing never
//! panics, and every documented success body is read; URL templates never send
//! a request elsewhere, and every well-formed value is accepted; errors never
//! show a request's secret, and always show what the provider said. A property
//! that only checks what was accepted would pass against code that accepts
//! nothing.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use oauth_core::reqwest::StatusCode;
use oauth_core::reqwest::header::HeaderMap;
use oauth_core::{Error, Secret, TokenEndpoint, TokenResponse};
use oauth_providers::{Daftra, Sohar};
use oauth_tests::placeholder::bundled_providers;
use oauth_tests::wire;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(String::from("application/json")),
        Just(String::from("text/plain")),
        Just(String::from("text/json; charset=utf-8")),
        Just(String::from("application/x-www-form-urlencoded")),
        "[ -~]{0,40}",
    ]
}

/// The content types a JSON token response is served under.
fn json_content_type() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "",
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "text/json",
        "application/vnd.acme.token+json",
        "text/plain",
        "text/plain; charset=utf-8",
    ])
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ]
}

/// JSON objects shaped like token responses, with every field of any type.
fn token_like_json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![json_leaf(), any::<f64>().prop_map(Value::from)];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    });
    let names = prop::sample::select(vec![
        "access_token",
        "token",
        "token_type",
        "expires_in",
        "refresh_token",
        "scope",
        "service_status",
        "error",
        "error_description",
        "message",
        "detail",
        "status",
    ]);
    prop::collection::vec((names, value), 0..8).prop_map(|fields| {
        let object: Map<String, Value> = fields
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        Value::Object(object).to_string()
    })
}

/// Fields no provider maps, which every provider keeps as extras (no floats:
/// serde_json reads some back a rounding away from how it wrote them).
fn extras() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map("x_[a-z]{1,8}", json_leaf(), 0..4)
        .prop_map(|map| map.into_iter().collect())
}

/// A bundled provider's documented success body.
fn documented_success(
    provider: &str,
    token: &str,
    lifetime: u32,
    refresh: &str,
    extras: &Map<String, Value>,
) -> Value {
    let mut body = match provider {
        "ezzydoc" => json!({
            "service_status": {"invoice_id": 0, "message": "Success", "status": 0},
            "token": token,
        }),
        "ondayzero" => json!({
            "access_token": token, "expires_in": lifetime, "token_type": "Bearer",
            "refresh_token": refresh, "scope": null,
        }),
        _ => json!({
            "token_type": "Bearer", "expires_in": lifetime, "access_token": token,
            "refresh_token": refresh,
        }),
    };
    if let Value::Object(object) = &mut body {
        object.extend(extras.clone());
    }
    body
}

/// Mostly characters a URL part may hold, mixed with the ones that would move it.
fn url_part() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-zA-Z0-9._~-]{1,12}", 2 => "[a-zA-Z0-9._~/?#@:%\\ -]{0,12}", 1 => ".{0,30}"]
}

/// The documented rule for a template part: one host label or path segment of
/// letters, digits, `-._~`, not a dot segment.
fn is_well_formed_part(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && !part.contains("..")
        && part
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~".contains(&byte))
        // A label opening with xn-- is punycode, which must also decode.
        && !part
            .split('.')
            .any(|label| label.to_ascii_lowercase().starts_with("xn--"))
}

/// Strings shaped like origins, often with something appended that must be refused.
fn origin_like() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["https://", "http://", "ftp://", "https:", ""]);
    let host = prop::sample::select(vec![
        "acme.daftra.com",
        "127.0.0.1",
        "localhost",
        "[::1]",
        "evil.example",
        "a@b.example",
    ]);
    let port = prop::sample::select(vec!["", ":8443", ":0", ":99999"]);
    let tail = "[/?#@a-z.:]{0,10}";
    (scheme, host, port, tail)
        .prop_map(|(scheme, host, port, tail)| format!("{scheme}{host}{port}{tail}"))
}

/// Well-formed origins (an https host, or http on a loopback host, with or
/// without a port), each with the host and the URL a request to it must have.
fn origin() -> impl Strategy<Value = (String, String, String)> {
    let label = "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?"
        .prop_filter("a punycode label must decode", |label| {
            !label.starts_with("xn--")
        });
    let https = (label, "(\\.[a-z0-9]{1,8}){0,2}\\.[a-z]{2,6}")
        .prop_map(|(label, rest)| ("https", format!("{label}{rest}")));
    let loopback = prop::sample::select(vec!["127.0.0.1", "127.3.2.1", "localhost", "[::1]"])
        .prop_map(|host| ("http", host.to_owned()));
    (prop_oneof![https, loopback], prop::option::of(1_u16..)).prop_map(|((scheme, host), port)| {
        let default_port = if scheme == "https" { 443 } else { 80 };
        let origin = match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        };
        let url_origin = match port {
            Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
            _ => format!("{scheme}://{host}"),
        };
        (origin, host, format!("{url_origin}/api2/api2/oauth/token"))
    })
}

/// An RFC 3339 date-time, sometimes out of range, and chrono's reading of it.
fn rfc3339() -> impl Strategy<Value = String> {
    let date = (1960_u32..=9999, 0_u32..=13, 1_u32..=31);
    let time = (
        0_u32..=24,
        0_u32..=59,
        0_u32..=59,
        prop::option::of("[0-9]{1,9}"),
    );
    let offset = prop_oneof![
        Just(String::from("Z")),
        (prop::sample::select(vec!['+', '-']), 0_u32..=23, 0_u32..=59)
            .prop_map(|(sign, hours, minutes)| format!("{sign}{hours:02}:{minutes:02}")),
    ];
    (date, time, offset).prop_map(
        |((year, month, day), (hour, minute, second, fraction), offset)| {
            let fraction = fraction
                .map(|digits| format!(".{digits}"))
                .unwrap_or_default();
            format!(
                "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
            )
        },
    )
}

fn form_encoded(value: &str) -> String {
    let pair = serde_urlencoded::to_string([("v", value)]).unwrap_or_default();
    pair.trim_start_matches("v=").to_owned()
}

proptest! {
    #[test]
    fn parsing_arbitrary_bytes_never_panics(
        status in 100_u16..600,
        content_type in content_type(),
        body in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        for provider in bundled_providers() {
            let _ = wire::parse_bytes(provider.as_ref(), status, &[("content-type", &content_type)], &body);
        }
    }

    #[test]
    fn parsing_token_like_json_never_panics(status in prop::sample::select(vec![200_u16, 201, 400, 401, 422, 500]), body in token_like_json()) {
        for provider in bundled_providers() {
            let _ = wire::parse_bytes(provider.as_ref(), status, &[("content-type", "application/json")], body.as_bytes());
        }
    }

    #[test]
    fn every_documented_success_body_is_read(
        token in "\\PC{1,40}",
        lifetime in 1_u32..1_000_000_000,
        refresh in "[!-~]{1,40}",
        extras in extras(),
        content_type in json_content_type(),
    ) {
        for provider in bundled_providers() {
            let name = provider.provider_name();
            let body = documented_success(name, &token, lifetime, &refresh, &extras).to_string();
            let parsed = wire::parse_bytes(provider.as_ref(), 200, &[("content-type", content_type)], body.as_bytes());
            prop_assert!(parsed.is_ok(), "{} refused {} as {:?}: {:?}", name, body, content_type, parsed);
            let parsed = parsed.unwrap();
            prop_assert_eq!(parsed.access_token().expose_secret(), token.as_str());
            for (key, value) in &extras {
                prop_assert_eq!(parsed.extras().get(key), Some(value), "{}", name);
            }
            if name != "ezzydoc" {
                let remaining = parsed.expires_in().unwrap_or_default();
                prop_assert!(remaining <= Duration::from_secs(lifetime.into()));
                prop_assert!(remaining + Duration::from_secs(60) > Duration::from_secs(lifetime.into()));
                prop_assert_eq!(parsed.refresh_token().map(Secret::expose_secret), Some(refresh.as_str()));
            }
        }
    }

    #[test]
    fn rfc3339_expiries_read_as_an_independent_reader_reads_them(text in rfc3339()) {
        let expected = chrono::DateTime::parse_from_rfc3339(&text)
            .ok()
            .and_then(|at| Some(SystemTime::UNIX_EPOCH + Duration::new(
                u64::try_from(at.timestamp()).ok()?,
                at.timestamp_subsec_nanos(),
            )));
        let body = json!({"access_token": "a", "expires_at": text}).to_string();
        let parsed = wire::parse(&Absolute::new("id"), 200, Some("application/json"), &body);
        match expected {
            Some(expected) => prop_assert_eq!(parsed.map(|token| token.expires_at()).ok(), Some(Some(expected)), "{}", text),
            None => prop_assert!(matches!(parsed, Err(Error::MalformedResponse(_))), "{} read as {:?}", text, parsed),
        }
    }

    #[test]
    fn every_error_body_reads_as_its_code_and_description(
        code in "[a-z_]{1,20}",
        description in "\\PC{0,30}[!-~]\\PC{0,30}",
        status in prop::sample::select(vec![400_u16, 401, 403, 429, 500, 503]),
    ) {
        let body = json!({"error": code, "error_description": description}).to_string();
        let error = wire::parse(&Sohar::new("id", "secret"), status, Some("application/json"), &body).unwrap_err();
        let rejection = error.provider_error().cloned();
        prop_assert!(matches!(error, Error::Rejected(_)), "{:?}", error);
        let rejection = rejection.unwrap();
        prop_assert_eq!(rejection.code.as_deref(), Some(code.as_str()));
        prop_assert_eq!(rejection.description.as_deref(), Some(description.trim()));
        let shown = error.to_string();
        prop_assert!(shown.ends_with(&format!(": {code}: {}", description.trim())), "{}", shown);
    }

    #[test]
    fn indexed_paths_read_the_element_they_name(
        errors in prop::collection::vec(("[A-Z_]{1,12}", "[a-zA-Z ]{0,10}[a-zA-Z]"), 2..6),
    ) {
        let body = json!({
            "errors": errors.iter().map(|(code, detail)| json!({"code": code, "detail": detail})).collect::<Vec<_>>(),
        })
        .to_string();
        let error = wire::parse(&Indexed::new("id"), 401, Some("application/json"), &body).unwrap_err();
        let rejection = error.provider_error().unwrap();
        prop_assert_eq!(rejection.code.as_deref(), Some(errors[1].0.as_str()));
        let details: Vec<&str> = errors.iter().map(|(_, detail)| detail.trim()).collect();
        prop_assert_eq!(rejection.description.clone(), Some(details.join("; ")));
    }

    #[test]
    fn an_echoed_secret_never_shows_and_the_rest_of_the_message_does(
        secret in "S3C[!-~ ]{4,16}",
        before in "[a-z][a-z ]{0,12}",
        form in 0_usize..4,
    ) {
        let sohar = Sohar::new("id", secret.clone());
        let request = sohar.build_request().unwrap();
        let echo = match form {
            0 => secret.clone(),
            1 => form_encoded(&secret),
            2 => {
                let json = serde_json::to_string(&secret).unwrap();
                json[1..json.len() - 1].to_owned()
            }
            _ => base64::engine::general_purpose::STANDARD_NO_PAD.encode(&secret),
        };
        let body = json!({"error": "invalid_client", "error_description": format!("{before} {echo} is wrong")}).to_string();
        let headers = HeaderMap::new();
        let response = TokenResponse::new(StatusCode::UNAUTHORIZED, &headers, body.as_bytes())
            .with_scrubber(request.scrubber());
        let shown = sohar.parse_response(&response).unwrap_err().to_string();
        prop_assert!(!shown.contains(&secret) && !shown.contains(&echo), "{}", shown);
        let expected = format!(": invalid_client: {before} [redacted] is wrong");
        prop_assert!(shown.ends_with(&expected), "{}", shown);
    }

    #[test]
    fn template_parts_fill_their_place_and_well_formed_ones_are_accepted(tenant in url_part(), region in url_part()) {
        let provider = Regional::new(tenant.clone(), region.clone(), "id", "secret");
        match provider.build_request() {
            Ok(request) => {
                let url = request.url();
                let expected_host = format!("{}.auth.example.com", tenant.to_ascii_lowercase());
                prop_assert_eq!(url.host_str(), Some(expected_host.as_str()));
                prop_assert_eq!(url.path(), format!("/{region}/oauth/token"));
                prop_assert_eq!(url.query(), None);
                prop_assert_eq!(url.port(), None);
            }
            Err(error) => {
                prop_assert!(
                    !(is_well_formed_part(&tenant) && is_well_formed_part(&region)),
                    "{:?} and {:?} were refused: {}", tenant, region, error
                );
                prop_assert!(matches!(error, Error::Config(_)), "{:?}", error);
            }
        }
    }

    #[test]
    fn an_origin_part_never_adds_a_path_or_credentials(subdomain in origin_like()) {
        let provider = Daftra::new(subdomain.clone(), "id", "secret", "user", "password");
        if let Ok(request) = provider.build_request() {
            let url = request.url();
            prop_assert_eq!(url.path(), "/api2/api2/oauth/token");
            prop_assert_eq!(url.query(), None);
            prop_assert_eq!(url.username(), "");
            prop_assert!(url.scheme() == "https" || oauth_core::is_loopback(url));
            let scheme_prefix = format!("{}://", url.scheme());
            prop_assert!(subdomain.starts_with(&scheme_prefix));
        }
    }

    #[test]
    fn every_well_formed_origin_is_accepted((origin, host, url) in origin(), trailing_slash in any::<bool>()) {
        let subdomain = if trailing_slash { format!("{origin}/") } else { origin.clone() };
        let request = Daftra::new(subdomain, "id", "secret", "user", "password").build_request();
        prop_assert!(request.is_ok(), "{} was refused: {:?}", origin, request);
        let request = request.unwrap();
        prop_assert_eq!(request.url().as_str(), url.as_str());
        prop_assert_eq!(request.url().host_str(), Some(host.as_str()));
    }
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://{tenant}.auth.example.com/{region}",
    path = "/oauth/token"
)]
struct Regional {
    #[token(url)]
    tenant: String,
    #[token(url)]
    region: String,
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    response(expires_at = "expires_at")
)]
struct Absolute {
    client_id: String,
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    error(code = "errors.1.code", description = "errors")
)]
struct Indexed {
    client_id: String,
}
