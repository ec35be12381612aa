//! `codes` names integer statuses, so `equals` must be an integer.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    success(field = "status", equals = "ok", codes = ["OK", "FAILED"])
)]
struct Acme {
    client_id: String,
}

fn main() {}
