//! `response(...)` and `success(...)`: where a success body keeps the token's
//! parts, and when a 2xx body is a success at all, specified by parsing the
//! bodies providers send.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oauth_core::{Error, TokenEndpoint};
use oauth_tests::wire;

const JSON: Option<&str> = Some("application/json");

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(response(
    access_token = "data.token",
    token_type = "data.kind",
    expires_in = "data.ttl",
    refresh_token = "data.refresh",
    scope = "data.scopes"
))]
struct Nested {
    client_id: String,
}

#[test]
fn nested_paths_find_each_part_and_the_rest_stays_as_extras() {
    let body = r#"{"data": {"token": "abc", "kind": "mac", "ttl": 60, "refresh": "r1", "scopes": "read write"}, "account": 42}"#;
    let token = wire::parse(&Nested::new("id"), 200, JSON, body).unwrap();
    assert_eq!(token.access_token().expose_secret(), "abc");
    assert_eq!(token.token_type(), "mac");
    let lifetime = token.expires_in().unwrap();
    assert!(lifetime <= Duration::from_secs(60) && lifetime > Duration::from_secs(50));
    assert_eq!(token.refresh_token().unwrap().expose_secret(), "r1");
    assert_eq!(token.scopes().collect::<Vec<_>>(), ["read", "write"]);
    assert_eq!(token.extra::<u32>("account").unwrap(), Some(42));
}

#[test]
fn a_missing_access_token_is_a_malformed_response() {
    let error = wire::parse(&Nested::new("id"), 200, JSON, r#"{"data": {}}"#).unwrap_err();
    assert!(matches!(error, Error::MalformedResponse(_)), "{error:?}");
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    response(expires_at = "expires_on")
)]
struct Absolute {
    client_id: String,
}

#[test]
fn expires_at_is_an_absolute_expiry() {
    let in_an_hour = SystemTime::now() + Duration::from_secs(3600);
    let seconds = in_an_hour.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let body = format!(r#"{{"access_token": "abc", "expires_on": {seconds}}}"#);
    let token = wire::parse(&Absolute::new("id"), 200, JSON, &body).unwrap();
    let expires_at = token
        .expires_at()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap();
    assert_eq!(expires_at.as_secs(), seconds);
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    response(format = "form")
)]
struct FormAnswer {
    client_id: String,
}

#[test]
fn a_declared_format_overrides_the_content_type() {
    let body = "access_token=abc&token_type=bearer&expires_in=60";
    let token = wire::parse(&FormAnswer::new("id"), 200, Some("text/html"), body).unwrap();
    assert_eq!(token.access_token().expose_secret(), "abc");
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    response(access_token = "token", expiry_from_jwt)
)]
struct Jwt {
    client_id: String,
}

#[test]
fn expiry_from_jwt_reads_the_access_token_s_exp_claim() {
    let jwt = wire::jwt("user", Duration::from_secs(900));
    let body = format!(r#"{{"token": "{jwt}"}}"#);
    let token = wire::parse(&Jwt::new("id"), 200, JSON, &body).unwrap();
    let expires_at = token
        .expires_at()
        .unwrap()
        .duration_since(UNIX_EPOCH)
        .unwrap();
    assert_eq!(Some(expires_at.as_secs()), wire::jwt_expiry(&jwt));
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    response(access_token = "token")
)]
#[token(success(field = "status.code", equals = 0, message = "status.message", codes = ["OK", "FAILED", "LOCKED"]))]
struct StatusCoded {
    client_id: String,
}

#[test]
fn an_integer_success_condition_names_the_failure_by_its_code() {
    let ok = r#"{"status": {"code": 0}, "token": "abc"}"#;
    assert!(wire::parse(&StatusCoded::new("id"), 200, JSON, ok).is_ok());
    let locked = r#"{"status": {"code": 2, "message": "account locked"}}"#;
    let error = wire::parse(&StatusCoded::new("id"), 200, JSON, locked).unwrap_err();
    let Error::ReportedFailure(failure) = &error else {
        panic!("expected a reported failure, got {error:?}");
    };
    assert_eq!(failure.code.as_deref(), Some("LOCKED"));
    assert_eq!(failure.description.as_deref(), Some("account locked"));
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    success(field = "ok", equals = true, message = "error")
)]
struct Flagged {
    client_id: String,
}

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    success(field = "result", equals = "ok")
)]
struct Worded {
    client_id: String,
}

#[test]
fn boolean_and_text_success_conditions() {
    let failed = r#"{"ok": false, "error": "invalid_code"}"#;
    let error = wire::parse(&Flagged::new("id"), 200, JSON, failed).unwrap_err();
    assert!(matches!(error, Error::ReportedFailure(_)), "{error:?}");
    let ok = r#"{"ok": true, "access_token": "abc"}"#;
    assert!(wire::parse(&Flagged::new("id"), 200, JSON, ok).is_ok());
    let denied = r#"{"result": "denied"}"#;
    let error = wire::parse(&Worded::new("id"), 200, JSON, denied).unwrap_err();
    assert!(matches!(error, Error::ReportedFailure(_)), "{error:?}");
    let ok = r#"{"result": "ok", "access_token": "abc"}"#;
    assert!(wire::parse(&Worded::new("id"), 200, JSON, ok).is_ok());
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(response(
    access_token = "tokens.1.value",
    refresh_token = "tokens.01.refresh",
    expires_at = "tokens.1.expiry.at",
    token_type = "kind"
))]
#[token(success(field = "checks.0.state", equals = "ok"))]
struct Indexed {
    client_id: String,
}

#[test]
fn indexed_paths_read_array_items_and_leave_the_rest_as_extras() {
    let body = r#"{
        "tokens": [{"value": "first"}, {"value": "second", "refresh": "r2", "expiry": {"at": 4102444800, "zone": "UTC"}, "kept": [1.5, null]}],
        "checks": [{"state": "ok", "by": "gateway"}, {"state": "late"}],
        "kind": "MAC",
        "account": {"id": 42}
    }"#;
    let token = wire::parse(&Indexed::new("id"), 200, JSON, body).unwrap();
    assert_eq!(token.access_token().expose_secret(), "second");
    assert_eq!(
        token.refresh_token().map(|token| token.expose_secret()),
        Some("r2"),
        "`01` and `1` name the same array item"
    );
    assert_eq!(
        token.expires_at(),
        Some(UNIX_EPOCH + Duration::from_secs(4_102_444_800))
    );
    assert_eq!(token.token_type(), "MAC");
    assert_eq!(
        serde_json::Value::Object(token.extras().clone()),
        serde_json::json!({
            "tokens": [{"value": "first"}, {"expiry": {"zone": "UTC"}, "kept": [1.5, null]}],
            "checks": [{"state": "ok", "by": "gateway"}, {"state": "late"}],
            "account": {"id": 42}
        }),
        "mapped fields leave the extras at any depth; the success field stays"
    );
    assert_eq!(
        token.extra::<String>("checks.0.by").unwrap().as_deref(),
        Some("gateway")
    );
    assert_eq!(token.extra::<String>("tokens.1.value").unwrap(), None);

    let failed = body.replace(r#""state": "ok""#, r#""state": "down""#);
    let error = wire::parse(&Indexed::new("id"), 200, JSON, &failed).unwrap_err();
    assert!(matches!(error, Error::ReportedFailure(_)), "{error:?}");
}

#[test]
fn extras_are_parsed_once_they_are_read_and_refused_values_refuse_the_body() {
    let token = wire::parse(
        &Nested::new("id"),
        200,
        JSON,
        r#"{"data": {"token": "abc"}, "huge": 1e400}"#,
    );
    assert!(
        matches!(&token, Err(Error::MalformedResponse(malformed)) if malformed.problem.to_string().contains("not valid JSON")),
        "an extra a parse refuses is refused with the body, as when the body was parsed whole: {token:?}"
    );
    let deep = format!(
        r#"{{"data": {{"token": "abc"}}, "deep": {}{}}}"#,
        "[".repeat(126),
        "]".repeat(126)
    );
    let token = wire::parse(&Nested::new("id"), 200, JSON, &deep).unwrap();
    assert_eq!(token.extras().len(), 2);
}
