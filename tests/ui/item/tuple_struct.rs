//! Tuple fields have no names to send; name them.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme(String, Secret);

fn main() {}
