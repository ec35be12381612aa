//! A field typed as a secret cannot fill a URL part, which ends up in logs; send it in the body or a header.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://{tenant}.auth.example.com", path = "/token")]
struct Acme {
    #[token(url)]
    tenant: Secret,
    client_id: String,
}

fn main() {}
