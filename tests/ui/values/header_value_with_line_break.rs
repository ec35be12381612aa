//! A header value holds no line break (it would end the header); remove the CR/LF.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(header(user_agent = "acme/1.0\r\nx-injected: 1"))]
struct Acme {
    client_id: String,
}

fn main() {}
