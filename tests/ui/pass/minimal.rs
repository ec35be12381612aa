//! The smallest provider: a base URL, a path, form-encoded fields (the RFC 6749 default).
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/oauth/token")]
struct Acme {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {
    let request = Acme::new("id", "secret").build_request().unwrap();
    assert_eq!(request.url().as_str(), "https://auth.example.com/oauth/token");
    assert_eq!(request.headers()["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(request.body(), Some(&b"client_id=id&client_secret=secret"[..]));
}
