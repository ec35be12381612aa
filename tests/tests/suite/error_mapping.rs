//! `error(...)`: where a rejection body keeps its code and description,
//! specified by parsing the error bodies providers send.

use oauth_core::{Error, TokenEndpoint};
use oauth_tests::wire;

const JSON: Option<&str> = Some("application/json");

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Standard {
    client_id: String,
}

#[test]
fn rfc_6749_error_and_error_description_by_default() {
    let body = r#"{"error": "invalid_client", "error_description": "Unknown client"}"#;
    let error = wire::parse(&Standard::new("id"), 401, JSON, body).unwrap_err();
    let Error::Rejected(rejection) = &error else {
        panic!("expected a rejection, got {error:?}");
    };
    assert_eq!(rejection.status.as_u16(), 401);
    assert_eq!(rejection.provider, "standard");
    assert_eq!(rejection.code.as_deref(), Some("invalid_client"));
    assert_eq!(rejection.description.as_deref(), Some("Unknown client"));
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", name = "acme")]
#[token(error(code = "error.code", description = "error.message"))]
struct Nested {
    client_id: String,
}

#[test]
fn declared_paths_read_a_nested_error() {
    let body = r#"{"error": {"code": "E42", "message": "Client disabled"}}"#;
    let error = wire::parse(&Nested::new("id"), 400, JSON, body).unwrap_err();
    let rejection = error.provider_error().expect("a provider error");
    assert_eq!(rejection.provider, "acme");
    assert_eq!(rejection.code.as_deref(), Some("E42"));
    assert_eq!(rejection.description.as_deref(), Some("Client disabled"));
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    error(description = "reason")
)]
struct DescriptionOnly {
    client_id: String,
}

#[test]
fn declaring_one_part_keeps_the_default_for_the_other() {
    let body = r#"{"error": "invalid_grant", "reason": "Code expired"}"#;
    let error = wire::parse(&DescriptionOnly::new("id"), 400, JSON, body).unwrap_err();
    let rejection = error.provider_error().expect("a provider error");
    assert_eq!(rejection.code.as_deref(), Some("invalid_grant"));
    assert_eq!(rejection.description.as_deref(), Some("Code expired"));
}
