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

/// Echoed credentials: a client secret and a password with characters every
/// encoding changes, and an API token that fits in a header.
mod echoed {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use oauth_core::reqwest::StatusCode;
    use oauth_core::reqwest::header::{HeaderMap, HeaderValue};
    use oauth_core::{Error, HttpClient, TokenEndpoint, TokenResponse};
    use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    pub(super) const CLIENT_SECRET: &str = "ECHO-s3c/r+t é\"&= x\\y";
    pub(super) const PASSWORD: &str = "ECHO-pa55 w0rd%2F<é>";
    pub(super) const API_TOKEN: &str = "dz_ECHO-api/+=\"tok en";

    /// Every bundled provider with the echo credentials, at `base_url`, and the secrets it sends.
    pub(super) fn providers(base_url: &str) -> Vec<(Box<dyn TokenEndpoint>, Vec<&'static str>)> {
        let both = vec![CLIENT_SECRET, PASSWORD];
        vec![
            (
                Box::new(
                    EzzyDoc::new("id", CLIENT_SECRET)
                        .with_base_url(base_url)
                        .unwrap(),
                ),
                vec![CLIENT_SECRET],
            ),
            (
                Box::new(
                    MyZeePay::new("id", CLIENT_SECRET, "user", PASSWORD).with_server(base_url),
                ),
                both.clone(),
            ),
            (
                Box::new(
                    OnDayZero::new(API_TOKEN, "me@example.com")
                        .with_base_url(base_url)
                        .unwrap(),
                ),
                vec![API_TOKEN],
            ),
            (
                Box::new(Daftra::new(base_url, "id", CLIENT_SECRET, "user", PASSWORD)),
                both,
            ),
            (
                Box::new(
                    Sohar::new("id", CLIENT_SECRET)
                        .with_base_url(base_url)
                        .unwrap(),
                ),
                vec![CLIENT_SECRET],
            ),
        ]
    }

    /// The forms a secret travels or comes back in, computed here independently of the runtime.
    pub(super) fn forms(secret: &str) -> Vec<String> {
        let form = serde_urlencoded::to_string([("v", secret)]).unwrap();
        let form = form.trim_start_matches("v=").to_owned();
        let json = serde_json::to_string(secret).unwrap();
        let json = json[1..json.len() - 1].to_owned();
        let php_json: String = json
            .replace('/', "\\/")
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    format!("\\u{:04x}", u32::from(c))
                }
            })
            .collect();
        let lowercase_hex = |encoded: &str| {
            let mut out = String::new();
            let mut hex_left = 0;
            for c in encoded.chars() {
                out.push(if hex_left > 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                });
                hex_left = if c == '%' { 2 } else { hex_left.max(1) - 1 };
            }
            out
        };
        vec![
            secret.to_owned(),
            lowercase_hex(&form),
            form.replace('+', "%20"),
            form.clone(),
            json,
            php_json,
            STANDARD.encode(secret),
            STANDARD_NO_PAD.encode(secret),
            URL_SAFE.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
        ]
    }

    /// Fails if any form of one of `secrets`, or any eight characters of one, shows in `text`.
    pub(super) fn assert_no_echo(place: &str, text: &str, secrets: &[&str]) {
        for secret in secrets {
            for form in forms(secret) {
                let chars: Vec<char> = form.chars().collect();
                for window in chars.windows(8.min(chars.len())) {
                    let fragment: String = window.iter().collect();
                    assert!(
                        !text.contains(&fragment),
                        "{place}: {fragment:?}, from the form {form:?} of a secret, shows in {text}"
                    );
                }
            }
        }
        assert!(!text.contains("ECHO"), "{place}: {text}");
    }

    /// The responses that quote `echo` in every field an error reads.
    fn bodies(echo: &str) -> Vec<(&'static str, u16, String, String)> {
        let json = |value: serde_json::Value| value.to_string();
        let quoted = serde_json::json!({
            "error": echo, "error_description": echo, "message": echo, "detail": echo,
        });
        let form = serde_urlencoded::to_string([
            ("error", "invalid_client"),
            ("error_description", echo),
            ("message", echo),
            ("detail", echo),
        ])
        .unwrap();
        let mut bodies = vec![
            (
                "code and description",
                400,
                "application/json".into(),
                json(quoted.clone()),
            ),
            (
                "a form error body",
                400,
                "application/x-www-form-urlencoded".into(),
                form,
            ),
            (
                "an unrecognised shape, quoted in an excerpt",
                400,
                "application/json".into(),
                json(serde_json::json!({"note": echo, "deep": [{"echo": echo}]})),
            ),
            (
                "a plain-text excerpt",
                502,
                "text/plain".into(),
                format!("upstream said: {echo}"),
            ),
            (
                "a plain-text assignment",
                400,
                "text/html".into(),
                format!("<p>client_secret={echo} password: {echo}</p>"),
            ),
            (
                "a failure in a 200",
                200,
                "application/json".into(),
                json(quoted),
            ),
            (
                "a status failure in a 200",
                200,
                "application/json".into(),
                json(
                    serde_json::json!({"service_status": {"status": 1, "message": echo}, "token": ""}),
                ),
            ),
        ];
        if HeaderValue::from_str(echo).is_ok() {
            bodies.push((
                "a content type",
                200,
                format!("text/html; note={echo}"),
                String::new(),
            ));
        }
        bodies
    }

    #[test]
    fn no_form_of_a_request_secret_survives_in_any_error_field() {
        for (provider, secrets) in providers("https://auth.example.com") {
            let request = provider.build_request().unwrap();
            for secret in &secrets {
                for echo in forms(secret) {
                    for (case, status, content_type, body) in bodies(&echo) {
                        let mut headers = HeaderMap::new();
                        if let Ok(value) = HeaderValue::from_str(&content_type) {
                            headers.insert("content-type", value);
                        }
                        let response = TokenResponse::new(
                            StatusCode::from_u16(status).unwrap(),
                            &headers,
                            body.as_bytes(),
                        )
                        .with_scrubber(request.scrubber());
                        let error = provider.parse_response(&response).unwrap_err();
                        let place = format!("{} / {case} / {echo:?}", provider.provider_name());
                        assert_no_echo(&place, &format!("{error} {error:?}"), &secrets);
                    }
                }
            }
        }
    }

    #[test]
    fn what_the_provider_said_stays_readable_around_the_secret() {
        let sohar = Sohar::new("id", CLIENT_SECRET);
        let request = sohar.build_request().unwrap();
        let body = serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("client_secret {CLIENT_SECRET} is not valid"),
        })
        .to_string();
        let headers = HeaderMap::new();
        let response = TokenResponse::new(StatusCode::UNAUTHORIZED, &headers, body.as_bytes())
            .with_scrubber(request.scrubber());
        assert_eq!(
            sohar.parse_response(&response).unwrap_err().to_string(),
            "sohar rejected the token request with HTTP 401 Unauthorized: invalid_client: client_secret [redacted] is not valid"
        );
    }

    /// Answers 401 with everything the request carried, as a careless provider's debug output does.
    fn echo_everything(request: &Request) -> ResponseTemplate {
        let received = format!(
            "body {} query {} authorization {}",
            String::from_utf8_lossy(&request.body),
            request.url.query().unwrap_or_default(),
            oauth_tests::wire::header(request, "authorization").unwrap_or_default()
        );
        ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": received,
            "message": received,
            "detail": [{"msg": received}],
        }))
    }

    #[tokio::test]
    async fn a_provider_echoing_the_request_on_the_wire_is_scrubbed_end_to_end() {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(echo_everything)
            .mount(&server)
            .await;
        let client = HttpClient::new().unwrap();
        for (provider, secrets) in providers(&server.uri()) {
            let error = provider.fetch_token(&client).await.unwrap_err();
            let name = provider.provider_name();
            assert!(matches!(error, Error::Rejected(_)), "{name}: {error:?}");
            assert!(error.to_string().contains("[redacted]"), "{name}: {error}");
            assert_no_echo(name, &format!("{error} {error:?}"), &secrets);
        }

        let myzeepay =
            MyZeePay::new("id", CLIENT_SECRET, "user", PASSWORD).with_server(server.uri());
        let refresh_token = oauth_core::Secret::new("ECHO-refresh/+token");
        let error = client.refresh(&myzeepay, &refresh_token).await.unwrap_err();
        let shown = format!("{error} {error:?}");
        for form in forms(refresh_token.expose_secret()) {
            assert!(
                !shown.contains(&form),
                "the refresh token as {form:?}: {shown}"
            );
        }
    }
}

#[test]
fn error_codes_stay_visible_in_excerpts() {
    let sohar = Sohar::new("id", "secret");
    for (body, visible) in [
        (
            r#"{"errorCode": "E0000004", "errorSummary": "Authentication failed", "errorCauses": []}"#,
            &["E0000004", "Authentication failed"][..],
        ),
        (
            r#"{"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED", "detail": "Not Authorized"}]}"#,
            &["AUTHENTICATION_ERROR", "UNAUTHORIZED", "Not Authorized"],
        ),
        (
            r#"{"error": {"code": 401, "message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED"}}"#,
            &["401", "UNAUTHENTICATED"],
        ),
        (
            r#"{"code": "invalid_key", "access_token": "CANARY-0f3c9-token", "id_token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."}"#,
            &["invalid_key"],
        ),
    ] {
        let error = wire::parse(&sohar, 401, Some("application/json"), body).unwrap_err();
        let shown = error.to_string();
        for text in visible {
            assert!(shown.contains(text), "{text} is hidden: {shown}");
        }
        assert!(!shown.contains(CANARY) && !shown.contains("eyJ"), "{shown}");
    }
}

#[tokio::test]
async fn a_post_without_a_body_says_content_length_0_on_the_wire() {
    use oauth_tests::raw_server::RawServer;

    #[derive(TokenEndpoint)]
    #[token(base_url = "https://auth.example.com", path = "/token", body = "none")]
    struct QueryOnly {
        client_id: String,
    }
    #[derive(TokenEndpoint)]
    #[token(base_url = "https://auth.example.com", path = "/token", method = "GET")]
    struct ByGet {
        client_id: String,
    }

    let token = r#"{"access_token": "a", "token_type": "Bearer"}"#;
    let client = oauth_core::HttpClient::new().unwrap();

    let server = RawServer::start(200, "application/json", token).await;
    let provider = QueryOnly::new("id").with_base_url(&server.uri()).unwrap();
    provider.fetch_token(&client).await.unwrap();
    let request = server.single_request();
    assert_eq!(request.request_line(), "POST /token?client_id=id HTTP/1.1");
    assert_eq!(
        request.header_values("content-length"),
        ["0"],
        "{}",
        request.head
    );
    assert!(request.body.is_empty());

    let server = RawServer::start(200, "application/json", token).await;
    let provider = ByGet::new("id").with_base_url(&server.uri()).unwrap();
    provider.fetch_token(&client).await.unwrap();
    let request = server.single_request();
    assert!(request.request_line().starts_with("GET /token?"));
    assert!(
        request.header_values("content-length").is_empty(),
        "{}",
        request.head
    );

    let server = RawServer::start(200, "application/json", token).await;
    let provider = Sohar::new("id", "secret")
        .with_base_url(&server.uri())
        .unwrap();
    provider.fetch_token(&client).await.unwrap();
    let request = server.single_request();
    let length = request.body.len().to_string();
    assert_eq!(request.header_values("content-length"), [length.as_str()]);
}
