//! A default must convert into the field type.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    #[token(default = "ten")]
    retries: u8,
}

fn main() {}
