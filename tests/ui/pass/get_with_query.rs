//! A GET token endpoint: no body, every parameter in the query.
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", method = "GET", param(grant_type = "client_credentials"))]
struct Legacy {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

fn main() {
    let request = Legacy::new("id", "secret").build_request().unwrap();
    assert_eq!(request.method().as_str(), "GET");
    assert_eq!(request.body(), None);
    assert!(request.headers().get("content-type").is_none());
    assert_eq!(
        request.url().query(),
        Some("client_id=id&client_secret=secret&grant_type=client_credentials")
    );
}
