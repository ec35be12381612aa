//! A tenant's whole origin as the first template part (Daftra's `{{subdomain}}`).
use oauth_core::{Secret, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "{origin}/api", path = "/token", body = "json")]
struct SelfHosted {
    #[token(url)]
    origin: String,
    #[token(secret)]
    password: Secret,
}

fn main() {
    let request = SelfHosted::new("https://erp.example.com", "pw").build_request().unwrap();
    assert_eq!(request.url().as_str(), "https://erp.example.com/api/token");
    assert!(SelfHosted::new("https://erp.example.com/evil", "pw").build_request().is_err());
}
