//! `Accept`: every token request asks for JSON unless its provider declares
//! otherwise, so a server that offers several representations answers in one
//! the parser reads.

use oauth_core::{Error, HttpClient, TokenEndpoint, TokenResponse};
use oauth_providers::Sohar;
use oauth_tests::raw_server::RawServer;
use oauth_tests::sandbox::{Sandbox, credentials};

#[tokio::test]
async fn every_bundled_provider_gets_json_from_a_server_that_prefers_text() {
    let sandbox = Sandbox::start_negotiating().await;
    let client = HttpClient::new().unwrap();
    let providers = sandbox.providers().unwrap();
    assert_eq!(providers.len(), 5);
    for provider in providers {
        let token = provider.fetch_token(&client).await;
        assert!(token.is_ok(), "{}: {token:?}", provider.provider_name());
    }
}

#[tokio::test]
async fn the_same_server_answers_text_to_a_request_that_does_not_ask() {
    let sandbox = Sandbox::start_negotiating().await;
    let sohar = sandbox
        .sohar(Sohar::new(
            credentials::CLIENT_ID,
            credentials::CLIENT_SECRET,
        ))
        .unwrap();
    let mut request = sohar.build_request().unwrap().into_reqwest();
    request.headers_mut().remove("accept");
    let response = HttpClient::new()
        .unwrap()
        .reqwest()
        .execute(request)
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.bytes().await.unwrap();
    assert_eq!(
        headers["content-type"].to_str().unwrap(),
        "text/plain; charset=utf-8"
    );
    let error = sohar
        .parse_response(&TokenResponse::new(status, &headers, &body))
        .unwrap_err();
    assert!(matches!(error, Error::MalformedResponse(_)), "{error:?}");
}

#[tokio::test]
async fn one_accept_header_on_the_wire_the_declared_one_replacing_the_default() {
    #[derive(TokenEndpoint)]
    #[token(
        base_url = "https://api.example.com",
        path = "/token",
        header(accept = "application/vnd.example+json", x_api_version = "2")
    )]
    struct Declared {
        client_id: String,
    }

    let token = r#"{"access_token": "a"}"#;
    let client = HttpClient::new().unwrap();

    let server = RawServer::start(200, "application/json", token).await;
    let sohar = Sohar::new("id", "secret")
        .with_base_url(&server.uri())
        .unwrap();
    sohar.fetch_token(&client).await.unwrap();
    assert_eq!(
        server.single_request().header_values("accept"),
        ["application/json"]
    );

    let server = RawServer::start(200, "application/vnd.example+json", token).await;
    let declared = Declared::new("id").with_base_url(&server.uri()).unwrap();
    declared.fetch_token(&client).await.unwrap();
    let request = server.single_request();
    assert_eq!(
        request.header_values("accept"),
        ["application/vnd.example+json"],
        "{}",
        request.head
    );
    assert_eq!(request.header_values("x-api-version"), ["2"]);
}
