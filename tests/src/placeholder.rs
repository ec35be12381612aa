//! The bundled providers with placeholder credentials, for suites that only parse.

use oauth_core::TokenEndpoint;
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};

/// Every bundled provider, configured with values that are never sent anywhere.
pub fn bundled_providers() -> Vec<Box<dyn TokenEndpoint>> {
    vec![
        Box::new(EzzyDoc::new("id", "secret")),
        Box::new(MyZeePay::new("id", "secret", "user", "password")),
        Box::new(OnDayZero::new("dz_token", "me@example.com")),
        Box::new(Daftra::new(
            "https://acme.daftra.com",
            "id",
            "secret",
            "user",
            "password",
        )),
        Box::new(Sohar::new("id", "secret")),
    ]
}
