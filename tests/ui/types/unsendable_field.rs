//! A field type must be a request parameter (String, Secret, integer, bool, Option of one) or implement `Param`.
use oauth_core::TokenEndpoint;

struct Region {
    code: u8,
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    region: Region,
}

fn main() {}
