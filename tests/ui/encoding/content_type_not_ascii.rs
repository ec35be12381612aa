//! `content_type` is sent as a header value, which holds ASCII only: write `charset="utf-8"`, not a name in another script.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", body = "json", content_type = "application/json; profile=\"café\"")]
struct Acme {
    client_id: String,
}

fn main() {}
