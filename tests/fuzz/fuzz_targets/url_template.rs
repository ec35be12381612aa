//! Any values in URL templates: the request goes to the declared host and path, or is refused.
//!
//! Input: the tenant, a newline, the region, a newline, an origin.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth_core::TokenEndpoint;
use oauth_providers::Daftra;

#[derive(TokenEndpoint)]
#[token(
    base_url = "https://{tenant}.auth.example.com/{region}",
    path = "/oauth/token"
)]
struct Regional {
    #[token(url)]
    tenant: String,
    #[token(url)]
    region: String,
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (tenant, region, origin) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );

    if let Ok(request) = Regional::new(tenant, region).build_request() {
        let url = request.url();
        assert_eq!(
            url.host_str(),
            Some(format!("{}.auth.example.com", tenant.to_ascii_lowercase()).as_str())
        );
        assert_eq!(url.path(), format!("/{region}/oauth/token"));
        assert_eq!(url.query(), None);
    }

    if let Ok(request) = Daftra::new(origin, "id", "secret", "user", "password").build_request() {
        let url = request.url();
        assert_eq!(url.path(), "/api2/api2/oauth/token");
        assert_eq!(url.query(), None);
        assert_eq!(url.username(), "");
        assert!(url.scheme() == "https" || oauth_core::is_loopback(url));
    }
});
