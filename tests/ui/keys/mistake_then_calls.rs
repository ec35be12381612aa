//! A broken declaration reports only its mistakes: calls to `new`, the setters and `from_env` still resolve.
use oauth_core::{FromSettings, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", bdy = "json")]
struct Acme {
    client_id: String,
    #[token(defualt = "read")]
    scope: String,
    audience: Option<String>,
}

fn build() {
    let acme = Acme::new("id").with_scope("write").with_audience("api");
    let _ = acme.build_request();
    let _ = Acme::from_env();
}

fn main() {}
