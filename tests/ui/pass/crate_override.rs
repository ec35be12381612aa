//! `crate = "..."` for a crate that re-exports the runtime under another path.
mod reexport {
    pub use oauth_core::*;
}

use reexport::TokenEndpoint;

#[derive(TokenEndpoint)]
#[token(crate = "reexport", base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
}

fn main() {}
