//! How a provider authenticates: `client_auth`, `bearer`, and the credentials
//! every field named like one must be typed as, specified by the requests built
//! and by what never shows a secret.

use base64::Engine as _;
use oauth_core::{FromSettings, Param, ParamValue, Secret, TokenEndpoint};

#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "basic"
)]
#[token(param(grant_type = "client_credentials"))]
struct Basic {
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
}

#[test]
fn basic_sends_the_form_encoded_credentials_base64_encoded() {
    let request = Basic::new("my id", "s3:cret")
        .with_scope("read")
        .build_request()
        .unwrap();
    let authorization = &request.headers()["authorization"];
    // RFC 6749 section 2.3.1: each part form-urlencoded, then joined and base64-encoded.
    let expected = base64::engine::general_purpose::STANDARD.encode("my+id:s3%3Acret");
    assert_eq!(authorization, format!("Basic {expected}").as_str());
    assert!(authorization.is_sensitive());
    assert_eq!(
        request.body(),
        Some(&b"scope=read&grant_type=client_credentials"[..])
    );
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct InBody {
    client_id: String,
    client_secret: Secret,
}

#[test]
fn by_default_the_credentials_travel_in_the_body() {
    let request = InBody::new("id", "secret").build_request().unwrap();
    assert!(request.headers().get("authorization").is_none());
    assert_eq!(
        request.body(),
        Some(&b"client_id=id&client_secret=secret"[..])
    );
}

#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://api.example.com", path = "/token")]
struct Bearer {
    #[token(bearer)]
    api_token: Secret,
    user_email: String,
}

#[test]
fn a_bearer_field_is_a_sensitive_authorization_header() {
    let request = Bearer::new("dz_key", "me@example.com")
        .build_request()
        .unwrap();
    let authorization = &request.headers()["authorization"];
    assert_eq!(authorization, "Bearer dz_key");
    assert!(authorization.is_sensitive());
    assert_eq!(request.body(), Some(&b"user_email=me%40example.com"[..]));
}

#[test]
fn credentials_never_show_in_debug() {
    let basic = format!("{:?}", Basic::new("id", "basic-secret"));
    let bearer = format!("{:?}", Bearer::new("bearer-secret", "me@example.com"));
    let request = format!(
        "{:?}",
        Basic::new("id", "basic-secret").build_request().unwrap()
    );
    for shown in [basic, bearer, request] {
        assert!(!shown.contains("-secret"), "{shown}");
    }
}

type ClientSecret = Secret;

/// A credential type of the user's own: a secret because its `Param` says so.
struct ApiKey(Secret);

impl Param for ApiKey {
    const SECRET: bool = true;

    fn to_param(&self) -> Option<ParamValue<'_>> {
        Some(ParamValue::Secret(&self.0))
    }
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    client_auth = "basic"
)]
struct ByType {
    client_id: String,
    client_secret: ClientSecret,
    #[token(header = "x-api-key")]
    api_key: ApiKey,
    #[token(query, not_secret)]
    page_token: Option<String>,
}

#[test]
fn a_secret_is_known_by_its_type_alias_or_own_type_included() {
    let provider = ByType::new("id", "secret", ApiKey(Secret::new("key"))).with_page_token("p2");
    let request = provider.build_request().unwrap();
    assert!(request.headers()["x-api-key"].is_sensitive());
    assert!(request.headers()["authorization"].is_sensitive());
    assert_eq!(request.url().query(), Some("page_token=p2"));
    let secret: Vec<(&str, bool)> = ByType::METADATA
        .fields
        .iter()
        .map(|field| (field.name, field.secret))
        .collect();
    assert_eq!(
        secret,
        [
            ("client_id", false),
            ("client_secret", true),
            ("api_key", true),
            ("page_token", false)
        ]
    );
}
