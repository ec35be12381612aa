//! Every `{part}` in base_url must name a field of the struct.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://{tenant}.example.com", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
