//! Hostile and broken responses against every bundled provider's parser: each
//! gives a token where the input is valid and a typed error otherwise, never a
//! panic, and no error message quotes a credential the body carried.

use oauth_core::{Error, Problem, Token, TokenEndpoint};
use oauth_providers::Sohar;
use oauth_tests::placeholder::bundled_providers;
use oauth_tests::wire;

/// A credential value planted in bodies, which no error may repeat.
const CANARY: &str = "CANARY-0f3c9";

/// What a standard (RFC 6749) provider makes of a response.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Token,
    Rejected,
    ReportedFailure,
    Malformed(&'static str),
}

struct Case {
    name: &'static str,
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    /// What Sohar (a plain RFC 6749 shape) must make of it.
    expected: Outcome,
}

fn case(
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: impl Into<Vec<u8>>,
    expected: Outcome,
) -> Case {
    Case {
        name,
        status,
        headers: vec![("content-type", content_type)],
        body: body.into(),
        expected,
    }
}

fn token_body(extra: &str) -> String {
    format!(r#"{{"access_token": "{CANARY}-access", "token_type": "Bearer"{extra}}}"#)
}

fn corpus() -> Vec<Case> {
    use Outcome::{Malformed, Rejected, ReportedFailure, Token};
    let json = "application/json";
    let deeply_nested = format!(
        r#"{{"access_token": "a", "x": {}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let many_keys = format!(
        "{{{} \"access_token\": \"a\"}}",
        (0..20_000)
            .map(|i| format!("\"k{i}\": {i},"))
            .collect::<String>()
    );
    let gzip = vec![
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x56, 0x4a, 0x4c,
    ];
    vec![
        case(
            "html error page served with 200",
            200,
            "text/html",
            format!("<html><body>{CANARY}</body></html>"),
            Malformed("content type"),
        ),
        case("empty body", 200, json, "", Malformed("syntax")),
        case(
            "empty body, no content type",
            200,
            "",
            "",
            Malformed("syntax"),
        ),
        case("whitespace only", 200, json, "  \n\t ", Malformed("syntax")),
        case(
            "truncated JSON",
            200,
            json,
            format!(r#"{{"access_token": "{CANARY}"#),
            Malformed("syntax"),
        ),
        case(
            "a JSON array",
            200,
            json,
            format!(r#"["{CANARY}"]"#),
            Malformed("object"),
        ),
        case(
            "a JSON string",
            200,
            json,
            format!(r#""{CANARY}""#),
            Malformed("object"),
        ),
        case("a JSON number", 200, json, "42", Malformed("object")),
        case("JSON null", 200, json, "null", Malformed("object")),
        case(
            "access_token is a number",
            200,
            json,
            r#"{"access_token": 12345}"#,
            Malformed("type"),
        ),
        case(
            "access_token is an object",
            200,
            json,
            format!(r#"{{"access_token": {{"value": "{CANARY}"}}}}"#),
            Malformed("type"),
        ),
        case(
            "access_token is null",
            200,
            json,
            r#"{"access_token": null}"#,
            Malformed("missing"),
        ),
        case(
            "access_token is empty",
            200,
            json,
            r#"{"access_token": ""}"#,
            Malformed("empty"),
        ),
        case(
            "no access_token but a refresh token",
            200,
            json,
            format!(r#"{{"refresh_token": "{CANARY}"}}"#),
            Malformed("missing"),
        ),
        case(
            "negative expires_in",
            200,
            json,
            token_body(r#", "expires_in": -3600"#),
            Malformed("lifetime"),
        ),
        case(
            "huge expires_in",
            200,
            json,
            token_body(r#", "expires_in": 1e300"#),
            Malformed("lifetime"),
        ),
        case(
            "u64::MAX expires_in",
            200,
            json,
            token_body(r#", "expires_in": 18446744073709551615"#),
            Malformed("lifetime"),
        ),
        case(
            "fractional expires_in",
            200,
            json,
            token_body(r#", "expires_in": 0.5"#),
            Token,
        ),
        case(
            "expires_in as text",
            200,
            json,
            token_body(r#", "expires_in": "soon""#),
            Malformed("lifetime"),
        ),
        case(
            "expires_in as a boolean",
            200,
            json,
            token_body(r#", "expires_in": true"#),
            Malformed("lifetime"),
        ),
        case(
            "expires_in as a numeric string",
            200,
            json,
            token_body(r#", "expires_in": " 3600 ""#),
            Token,
        ),
        case(
            "NaN is not JSON",
            200,
            json,
            token_body(r#", "expires_in": NaN"#),
            Malformed("syntax"),
        ),
        case(
            "token_type is a number",
            200,
            json,
            r#"{"access_token": "a", "token_type": 1}"#,
            Malformed("type"),
        ),
        case(
            "scope is an object",
            200,
            json,
            r#"{"access_token": "a", "scope": {"read": true}}"#,
            Malformed("type"),
        ),
        case(
            "scope array with a number",
            200,
            json,
            r#"{"access_token": "a", "scope": ["read", 1]}"#,
            Malformed("type"),
        ),
        case(
            "refresh_token is a number",
            200,
            json,
            r#"{"access_token": "a", "refresh_token": 7}"#,
            Malformed("type"),
        ),
        case(
            "invalid UTF-8 in a string",
            200,
            json,
            b"{\"access_token\": \"\xff\xfe\"}".to_vec(),
            Malformed("syntax"),
        ),
        case(
            "UTF-8 BOM before valid JSON",
            200,
            json,
            format!("\u{feff}{}", token_body("")),
            Token,
        ),
        case(
            "duplicated keys, the last wins",
            200,
            json,
            r#"{"access_token": "first", "access_token": "second"}"#,
            Token,
        ),
        case(
            "deeply nested JSON",
            200,
            json,
            deeply_nested,
            Malformed("syntax"),
        ),
        case("twenty thousand keys", 200, json, many_keys, Token),
        case(
            "trailing garbage",
            200,
            json,
            format!("{} <script>", token_body("")),
            Malformed("syntax"),
        ),
        case(
            "a wrong content type",
            200,
            "image/png",
            token_body(""),
            Malformed("content type"),
        ),
        case(
            "gzip without Content-Encoding",
            200,
            json,
            gzip,
            Malformed("syntax"),
        ),
        case(
            "NUL and control characters in values",
            200,
            json,
            "{\"access_token\": \"a\\u0000b\\u001b\"}",
            Token,
        ),
        case(
            "a form body labelled text/plain",
            200,
            "text/plain",
            "access_token=abc&token_type=bearer",
            Token,
        ),
        case(
            "garbage labelled text/plain",
            200,
            "text/plain",
            format!("garbage {CANARY}"),
            Malformed("missing"),
        ),
        case(
            "an error in a 200",
            200,
            json,
            format!(r#"{{"error": "invalid_grant", "refresh_token": "{CANARY}"}}"#),
            ReportedFailure,
        ),
        case("204 No Content", 204, "", "", Malformed("syntax")),
        case(
            "a 500 HTML page",
            500,
            "text/html",
            "<html><h1>500</h1></html>",
            Rejected,
        ),
        case(
            "a 401 whose body leaks a token",
            401,
            json,
            format!(r#"{{"message": "nope", "access_token": "{CANARY}"}}"#),
            Rejected,
        ),
        case(
            "a 400 with a form error body",
            400,
            "application/x-www-form-urlencoded",
            "error=invalid_client",
            Rejected,
        ),
        case("a redirect", 302, "text/html", "moved", Rejected),
        Case {
            name: "429 with Retry-After",
            status: 429,
            headers: vec![("content-type", json), ("retry-after", "120")],
            body: br#"{"error": "rate_limited"}"#.to_vec(),
            expected: Rejected,
        },
    ]
}

fn outcome(result: &Result<Token, Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Token,
        Err(Error::Rejected(_)) => Outcome::Rejected,
        Err(Error::ReportedFailure(_)) => Outcome::ReportedFailure,
        Err(Error::MalformedResponse(malformed)) => Outcome::Malformed(match &malformed.problem {
            Problem::UnexpectedContentType => "content type",
            Problem::Syntax { .. } => "syntax",
            Problem::NotAnObject => "object",
            Problem::MissingField(_) => "missing",
            Problem::WrongType { .. } => "type",
            Problem::EmptyField(_) => "empty",
            Problem::InvalidLifetime(_) => "lifetime",
            other => panic!("unexpected problem {other:?}"),
        }),
        Err(other) => panic!("a parser returned {other:?}"),
    }
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(corpus().len() >= 30);
}

#[test]
fn every_bundled_parser_returns_a_typed_result_and_quotes_no_credential() {
    for case in corpus() {
        for provider in bundled_providers() {
            let result =
                wire::parse_bytes(provider.as_ref(), case.status, &case.headers, &case.body);
            let _ = outcome(&result);
            if let Err(error) = &result {
                let shown = format!("{error} {error:?}");
                assert!(
                    !shown.contains(CANARY),
                    "{} / {}: {shown}",
                    case.name,
                    provider.provider_name()
                );
                assert!(
                    error.to_string().len() < 400,
                    "{}: an error message stays short",
                    case.name
                );
            }
        }
    }
}

#[test]
fn a_standard_provider_reads_each_case_as_expected() {
    let sohar = Sohar::new("id", "secret");
    for case in corpus() {
        let result = wire::parse_bytes(&sohar, case.status, &case.headers, &case.body);
        assert_eq!(outcome(&result), case.expected, "{}: {result:?}", case.name);
    }
}

#[test]
fn the_valid_cases_mean_what_they_say() {
    let sohar = Sohar::new("id", "secret");
    let parse = |body: &str| wire::parse(&sohar, 200, Some("application/json"), body).unwrap();
    assert_eq!(
        parse(r#"{"access_token": "first", "access_token": "second"}"#)
            .access_token()
            .expose_secret(),
        "second"
    );
    assert_eq!(
        parse("{\"access_token\": \"a\\u0000b\"}")
            .access_token()
            .expose_secret(),
        "a\0b"
    );
    let fractional = parse(r#"{"access_token": "a", "expires_in": 0.5}"#);
    assert!(fractional.expires_in().unwrap() <= std::time::Duration::from_millis(500));
    let retry = wire::parse_bytes(&sohar, 429, &[("retry-after", "120")], b"{}").unwrap_err();
    assert_eq!(
        retry.provider_error().unwrap().retry_after,
        Some(std::time::Duration::from_secs(120))
    );
}

#[test]
fn retry_after_as_an_http_date() {
    let sohar = Sohar::new("id", "secret");
    let in_a_minute =
        httpdate::fmt_http_date(std::time::SystemTime::now() + std::time::Duration::from_secs(90));
    let error = wire::parse_bytes(&sohar, 503, &[("retry-after", &in_a_minute)], b"").unwrap_err();
    let delay = error.provider_error().unwrap().retry_after.unwrap();
    assert!(delay.as_secs() > 80 && delay.as_secs() <= 90, "{delay:?}");
    let past = wire::parse_bytes(
        &sohar,
        503,
        &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
        b"",
    )
    .unwrap_err();
    assert_eq!(
        past.provider_error().unwrap().retry_after,
        Some(std::time::Duration::ZERO)
    );
}
