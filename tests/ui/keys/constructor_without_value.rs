//! `constructor = false` leaves out the generated `new` and setters; the key takes that value.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", constructor)]
struct Acme {
    client_id: String,
}

fn main() {}
