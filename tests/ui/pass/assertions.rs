//! Every assertion attribute: the JWT client authentications, the JWT bearer grant with claims, and certificates.
use oauth_core::{PrivateKey, Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "private_key_jwt")]
#[token(param(grant_type = "client_credentials"), refresh(grant))]
#[token(assertion(lifetime = 120, claims(aud = "https://auth.example.com/")))]
struct KeyClient {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "client_secret_jwt")]
struct SecretClient {
    client_id: String,
    client_secret: Secret,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", client_auth = "tls_client_auth")]
struct CertificateClient {
    client_id: String,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(assertion(grant, lifetime = 3600, claims(iss = "robot", target = true)))]
struct Robot {
    #[token(claim)]
    scope: Option<String>,
    #[token(claim = "sub", default = "user")]
    subject: String,
    #[token(private_key)]
    key: PrivateKey,
}

fn main() {}
