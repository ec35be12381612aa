//! EzzyDoc against its seed (000_feda7d8266e9be5f.txt): JSON request, token under
//! `token`, failures inside a 200 via `service_status`, expiry from the JWT.

use std::time::{Duration, SystemTime};

use oauth_core::{Error, HttpClient, TokenEndpoint};
use oauth_providers::EzzyDoc;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET};
use oauth_tests::sandbox::{EZZYDOC_PREFIX, Sandbox};
use oauth_tests::wire;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client() -> HttpClient {
    HttpClient::new().expect("the default client builds")
}

#[tokio::test]
async fn sends_the_documented_json_request() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox
        .ezzydoc(EzzyDoc::new(CLIENT_ID, CLIENT_SECRET))
        .unwrap();
    provider.fetch_token(&client()).await.unwrap();

    let request = wire::single_request(&sandbox.ezzydoc).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), format!("{EZZYDOC_PREFIX}/oauth/token"));
    assert_eq!(
        wire::header(&request, "content-type"),
        Some("application/json")
    );
    assert_eq!(wire::header(&request, "authorization"), None);
    assert_eq!(
        wire::json_fields(&request),
        Some(wire::fields([
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
        ]))
    );
}

#[test]
fn the_default_url_is_the_published_server() {
    let request = EzzyDoc::new("id", "secret").build_request().unwrap();
    assert_eq!(
        request.url().as_str(),
        "https://app.ezzydoc.com/EzzyService.svc/Rest/oauth/token"
    );
}

#[tokio::test]
async fn the_token_comes_from_token_and_expires_at_its_jwt_exp() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox
        .ezzydoc(EzzyDoc::new(CLIENT_ID, CLIENT_SECRET))
        .unwrap();
    let token = provider.fetch_token(&client()).await.unwrap();

    let exp =
        wire::jwt_expiry(token.access_token().expose_secret()).expect("the sandbox issues a JWT");
    assert_eq!(
        token.expires_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(exp))
    );
    assert!(token.expires_in().unwrap() > Duration::from_secs(364 * 24 * 3600));
    assert!(token.is_bearer());
    assert!(token.refresh_token().is_none());
    assert_eq!(token.extras()["service_status"]["status"], 0);
}

#[tokio::test]
async fn wrong_credentials_are_a_failure_reported_in_a_200() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox.ezzydoc(EzzyDoc::new(CLIENT_ID, "wrong")).unwrap();
    let error = provider.fetch_token(&client()).await.unwrap_err();

    let Error::ReportedFailure(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.status.as_u16(), 200);
    assert_eq!(failure.code.as_deref(), Some("FAILED"));
    assert_eq!(
        failure.description.as_deref(),
        Some("Invalid client credentials.")
    );
    assert_eq!(
        error.to_string(),
        "ezzydoc reported a failure in its token response: FAILED: Invalid client credentials."
    );
}

#[tokio::test]
async fn a_grant_type_it_does_not_permit_is_not_permitted() {
    let sandbox = Sandbox::start().await;
    let provider = sandbox
        .ezzydoc(EzzyDoc::new(CLIENT_ID, CLIENT_SECRET).with_grant_type("password"))
        .unwrap();
    let error = provider.fetch_token(&client()).await.unwrap_err();
    assert_eq!(
        error.provider_error().unwrap().code.as_deref(),
        Some("NOT_PERMITTED")
    );
}

#[test]
fn every_documented_service_status_is_understood() {
    let provider = EzzyDoc::new("id", "secret");
    for (status, name) in [(1, "FAILED"), (2, "NO_MORE_INVOICES"), (3, "NOT_PERMITTED")] {
        let body = format!(
            r#"{{"service_status": {{"invoice_id": 7, "message": "why", "status": {status}}}, "token": ""}}"#
        );
        let error = wire::parse(&provider, 200, Some("application/json"), &body).unwrap_err();
        let Error::ReportedFailure(failure) = error else {
            panic!("{error:?}")
        };
        assert_eq!(
            (failure.code.as_deref(), failure.description.as_deref()),
            (Some(name), Some("why"))
        );
    }
    let unknown = r#"{"service_status": {"status": 9}, "token": ""}"#;
    let error = wire::parse(&provider, 200, None, unknown).unwrap_err();
    assert_eq!(error.provider_error().unwrap().code.as_deref(), Some("9"));
}

#[test]
fn success_is_understood_in_every_documented_content_type() {
    let provider = EzzyDoc::new("id", "secret");
    let body =
        r#"{"service_status": {"invoice_id": 0, "message": "", "status": 0}, "token": "opaque"}"#;
    for content_type in [
        "application/json",
        "text/json",
        "text/plain",
        "text/plain; charset=utf-8",
    ] {
        let token = wire::parse(&provider, 200, Some(content_type), body)
            .unwrap_or_else(|error| panic!("{content_type}: {error}"));
        assert_eq!(token.access_token().expose_secret(), "opaque");
        assert_eq!(
            token.expires_at(),
            None,
            "an opaque token has no known expiry"
        );
    }
}

#[test]
fn a_body_without_service_status_is_malformed_not_a_token() {
    let error = wire::parse(
        &EzzyDoc::new("id", "secret"),
        200,
        None,
        r#"{"token": "t"}"#,
    )
    .unwrap_err();
    assert!(matches!(error, Error::MalformedResponse(_)), "{error:?}");
    assert!(
        error.to_string().contains("service_status.status"),
        "{error}"
    );
}

#[tokio::test]
async fn documented_400_and_500_are_rejections() {
    for status in [400, 500] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let provider = EzzyDoc::new(CLIENT_ID, CLIENT_SECRET)
            .with_base_url(&format!("{}{EZZYDOC_PREFIX}", server.uri()))
            .unwrap();
        let error = provider.fetch_token(&client()).await.unwrap_err();
        let Error::Rejected(rejection) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(rejection.status.as_u16(), status);
        assert_eq!(
            (&rejection.code, &rejection.description, &rejection.excerpt),
            (&None, &None, &None)
        );
    }
}
