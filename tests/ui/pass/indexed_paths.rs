//! Response paths index arrays with a digit segment: `errors.0.code`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(response(access_token = "data.tokens.0.value"), error(code = "errors.0.code", description = "errors.0.detail"))]
struct Acme {
    client_id: String,
}

fn main() {}
