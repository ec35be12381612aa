//! Every assertion attribute: the three JWT-era client authentications and the JWT bearer grant.
use oauth_core::{Algorithm, PrivateKey, Secret, TokenEndpoint};

/// `private_key_jwt` with a declared lifetime and audience, and a refresh that signs too.
#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "private_key_jwt")]
#[token(param(grant_type = "client_credentials"), refresh(grant))]
#[token(assertion(lifetime = 120, claims(aud = "https://auth.example.com/")))]
pub struct KeyClient {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

/// `client_secret_jwt`: the secret signs and is not sent.
#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "client_secret_jwt")]
pub struct SecretClient {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

/// `tls_client_auth`: only the client id.
#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "tls_client_auth")]
pub struct CertificateClient {
    client_id: String,
}

/// The JWT bearer grant with claims from fields and constants.
#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(assertion(grant, lifetime = 3600, claims(iss = "robot", target = true)))]
pub struct Robot {
    #[token(claim)]
    scope: Option<String>,
    #[token(claim = "sub", default = "user")]
    subject: String,
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {
    let key = PrivateKey::generate(Algorithm::Es256).unwrap();
    let body = |request: oauth_core::TokenRequest| String::from_utf8(request.body().unwrap().to_vec()).unwrap();
    let client = body(KeyClient::new("id", key.clone()).build_request().unwrap());
    assert!(client.contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"));
    let refresh = KeyClient::new("id", key.clone()).build_refresh_request(&Secret::new("r")).unwrap().unwrap();
    assert!(body(refresh).contains("client_assertion="));
    let secret = body(SecretClient::new("id", "secret").build_request().unwrap());
    assert!(secret.contains("client_assertion=") && !secret.contains("client_secret"));
    assert_eq!(body(CertificateClient::new("id").build_request().unwrap()), "client_id=id");
    let grant = body(Robot::new(key).with_scope("read").build_request().unwrap());
    assert!(grant.starts_with("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
}
