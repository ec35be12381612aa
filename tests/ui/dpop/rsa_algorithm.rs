//! DPoP keys are generated for each token, as ES256, ES384 or EdDSA: `dpop = "ES256"`, or `dpop` alone.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", dpop = "RS256")]
struct Acme {
    client_id: String,
}

fn main() {}
