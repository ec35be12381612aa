//! Providers that authenticate with keys instead of shared secrets, declared
//! from their public documentation, each tested against a loopback server
//! that verifies what they sign and answers as the provider documents.

use std::time::Duration;

use oauth_core::{HttpClient, PrivateKey, Secret, ServiceAccountKey, TokenEndpoint};
use oauth_tests::assertion_server::{AssertionServer, Carrier, Expected};
use oauth_tests::keys::{self, Verifier};
use oauth_tests::wire;
use serde_json::json;

/// Google Cloud service accounts: the JWT bearer grant, RS256, `kid` the key file's `private_key_id`.
#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://oauth2.googleapis.com", path = "/token")]
#[token(assertion(grant, lifetime = 3600))]
struct GoogleServiceAccount {
    #[token(claim = "iss")]
    client_email: String,
    #[token(claim, default = "https://www.googleapis.com/auth/cloud-platform")]
    scope: String,
    #[token(claim = "sub")]
    subject: Option<String>,
    #[token(private_key)]
    private_key: PrivateKey,
}

/// Okta service apps: client credentials with `private_key_jwt`, `aud` the token URL.
#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://{org}.okta.com/oauth2/default/v1", path = "/token")]
#[token(
    client_auth = "private_key_jwt",
    param(grant_type = "client_credentials")
)]
struct Okta {
    #[token(url)]
    org: String,
    client_id: String,
    scope: String,
    #[token(private_key)]
    key: PrivateKey,
}

/// Keycloak clients authenticated by "Signed JWT with Client Secret" (`client_secret_jwt`).
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "{origin}/realms/{realm}/protocol/openid-connect",
    path = "/token"
)]
#[token(
    client_auth = "client_secret_jwt",
    param(grant_type = "client_credentials")
)]
struct KeycloakSignedSecret {
    #[token(url)]
    origin: String,
    #[token(url)]
    realm: String,
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

/// Salesforce's JWT bearer flow: `iss` the consumer key, `sub` the user, `aud` the login host, 3 minutes.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://login.salesforce.com",
    path = "/services/oauth2/token"
)]
#[token(assertion(grant, lifetime = 180, claims(aud = "https://login.salesforce.com")))]
struct SalesforceJwtBearer {
    #[token(claim = "iss")]
    consumer_key: String,
    #[token(claim = "sub")]
    username: String,
    #[token(private_key)]
    key: PrivateKey,
}

#[tokio::test]
async fn google_service_account_from_its_key_file() {
    let mut expected = Expected::new(
        Carrier::Grant,
        Verifier::public(keys::RSA_PUBLIC),
        json!({
            "iss": "robot@test-project.iam.example.com",
            "scope": "https://www.googleapis.com/auth/cloud-platform",
        }),
    );
    expected.kid = Some("test-service-account-key".into());
    expected.max_lifetime = Duration::from_secs(3600);
    expected.success = json!({"expires_in": 3599, "token_type": "Bearer"});
    let server = AssertionServer::start("/token", expected).await;
    let key_file =
        keys::SERVICE_ACCOUNT.replace("https://oauth2.example.com/token", &server.token_url);

    let provider = ServiceAccountKey::from_json(&key_file)
        .unwrap()
        .provider::<GoogleServiceAccount>()
        .unwrap();
    let token = provider
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert_eq!(token.token_type(), "Bearer");
    assert!(token.expires_in().unwrap() > Duration::from_secs(3500));
    let claims = &server.accepted()[0];
    assert_eq!(
        claims["aud"],
        server.token_url.as_str(),
        "aud is the key file's token_uri"
    );
    assert!(
        !claims.contains_key("sub"),
        "no delegation unless a subject is set"
    );
}

#[tokio::test]
async fn okta_with_private_key_jwt() {
    let mut expected = Expected::new(
        Carrier::ClientAssertion,
        Verifier::public(keys::P256_PUBLIC),
        json!({"iss": "0oa-client", "sub": "0oa-client"}),
    );
    expected.kid = Some("test-p256".into());
    expected.params = wire::fields([
        ("grant_type", "client_credentials"),
        ("scope", "okta.users.read"),
    ]);
    expected.success =
        json!({"token_type": "Bearer", "expires_in": 3600, "scope": "okta.users.read"});
    let server = AssertionServer::start("/token", expected).await;
    let key = PrivateKey::from_jwk(keys::P256_JWK).unwrap();
    let okta = Okta::new("acme", "0oa-client", "okta.users.read", key);
    assert_eq!(
        okta.token_url().unwrap().as_str(),
        "https://acme.okta.com/oauth2/default/v1/token"
    );
    let token = okta
        .with_base_url(&server.server.uri())
        .unwrap()
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert_eq!(token.scope(), Some("okta.users.read"));
}

#[tokio::test]
async fn keycloak_with_client_secret_jwt() {
    let path = "/realms/acme/protocol/openid-connect/token";
    let secret = "keycloak-client-secret-32-bytes!";
    let mut expected = Expected::new(
        Carrier::ClientAssertion,
        Verifier::Secret(secret.into()),
        json!({"iss": "billing", "sub": "billing"}),
    );
    expected.success = json!({
        "expires_in": 300, "refresh_expires_in": 0,
        "token_type": "Bearer", "not-before-policy": 0, "scope": "profile email",
    });
    let server = AssertionServer::start(path, expected).await;
    let keycloak = KeycloakSignedSecret::new(server.server.uri(), "acme", "billing", secret);
    let token = keycloak
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert_eq!(token.extra::<u64>("refresh_expires_in").unwrap(), Some(0));
    let request = server.server.received_requests().await.unwrap();
    let body = wire::form_fields(&request[0]).unwrap();
    assert!(
        !body.contains_key("client_secret"),
        "the secret signs, it is not sent"
    );
}

#[tokio::test]
async fn salesforce_jwt_bearer_flow() {
    let mut expected = Expected::new(
        Carrier::Grant,
        Verifier::public(keys::RSA_PUBLIC),
        json!({
            "iss": "3MVG9-consumer-key", "sub": "integration@acme.example",
            "aud": "https://login.salesforce.com",
        }),
    );
    expected.max_lifetime = Duration::from_secs(180);
    expected.success = json!({
        "scope": "api", "instance_url": "https://acme.my.salesforce.com",
        "id": "https://login.salesforce.com/id/00D/005", "token_type": "Bearer",
    });
    let server = AssertionServer::start("/services/oauth2/token", expected).await;
    let key = PrivateKey::from_pem(keys::RSA_PKCS1).unwrap();
    let salesforce =
        SalesforceJwtBearer::new("3MVG9-consumer-key", "integration@acme.example", key)
            .with_base_url(&server.server.uri())
            .unwrap();
    let token = salesforce
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();
    assert_eq!(token.expires_in(), None, "Salesforce gives no lifetime");
    assert_eq!(
        token.extra::<String>("instance_url").unwrap().as_deref(),
        Some("https://acme.my.salesforce.com")
    );
}
