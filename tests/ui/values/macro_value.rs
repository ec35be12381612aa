//! Attributes are read before macros expand: `base_url` takes a literal; pick a server at run time with `with_base_url`.
use oauth_core::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(base_url = env!("ACME_URL"), path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
