//! An origin part's default is https:// (plain http:// only to this machine): default = "https://erp.example.com".
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = "{origin}/api", path = "/token")]
struct Acme {
    #[token(url, default = "http://erp.example.com")]
    origin: String,
    client_id: String,
}

fn main() {}
