//! Defaults in the field's own type: a string for text, a number or boolean unquoted.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(default = "client_credentials")]
    grant_type: String,
    #[token(default = 3600)]
    lifetime: u32,
    #[token(default = true)]
    offline: bool,
}

fn main() {
    let _ = Acme::new().with_lifetime(60_u32);
}
