//! Properties over arbitrary input: parsing never panics, and filling URL
//! templates never sends a request to another host or path.

use oauth_core::{Secret, TokenEndpoint};
use oauth_providers::Daftra;
use oauth_tests::placeholder::bundled_providers;
use oauth_tests::wire;
use proptest::prelude::*;

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

/// JSON objects shaped like token responses, with every field of any type.
fn token_like_json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
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
        let object: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        serde_json::Value::Object(object).to_string()
    })
}

/// Mostly characters a URL part may hold, mixed with the ones that would move it.
fn url_part() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-zA-Z0-9._~-]{1,12}", 2 => "[a-zA-Z0-9._~/?#@:%\\ -]{0,12}", 1 => ".{0,30}"]
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
    fn template_parts_never_change_host_or_path(tenant in url_part(), region in url_part()) {
        let provider = Regional::new(tenant.clone(), region.clone(), "id", "secret");
        if let Ok(request) = provider.build_request() {
            let url = request.url();
            let expected_host = format!("{}.auth.example.com", tenant.to_ascii_lowercase());
            prop_assert_eq!(url.host_str(), Some(expected_host.as_str()));
            prop_assert_eq!(url.path(), format!("/{region}/oauth/token"));
            prop_assert_eq!(url.query(), None);
            prop_assert_eq!(url.port(), None);
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
