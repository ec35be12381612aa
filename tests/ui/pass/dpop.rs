//! DPoP-bound tokens: `dpop` alone (ES256) or with an algorithm, in any case, beside any client authentication.
use oauth_core::{Algorithm, PrivateKey, Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop)]
#[token(param(grant_type = "client_credentials"), refresh(grant))]
struct PublicClient {
    client_id: String,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop = "EdDSA")]
#[token(client_auth = "private_key_jwt")]
struct KeyClient {
    client_id: String,
    #[token(private_key)]
    key: PrivateKey,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop = "es384")]
#[token(client_auth = "basic")]
struct BasicClient {
    client_id: String,
    client_secret: Secret,
}

fn main() {
    assert_eq!(PublicClient::new("id").dpop(), Some(Algorithm::Es256));
    let secret = Secret::new("secret");
    assert_eq!(BasicClient::new("id", secret).dpop(), Some(Algorithm::Es384));
    let _ = KeyClient::dpop;
}
