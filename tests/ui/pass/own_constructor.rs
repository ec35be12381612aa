//! `constructor = false` and `settings = false`: a provider that writes its own `new` and `FromSettings`.
use oauth_core::{Error, FromSettings, ProviderMetadata, Secret, SettingSource, TokenEndpoint};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token", constructor = false, settings = false)]
struct Acme {
    client_id: String,
    client_secret: Secret,
}

impl Acme {
    fn new(client_id: &str) -> Self {
        Self { client_id: client_id.to_owned(), client_secret: Secret::new("from a vault") }
    }
}

impl FromSettings for Acme {
    const METADATA: ProviderMetadata = Sohar::METADATA;

    fn from_settings(_: &mut dyn SettingSource) -> Result<Self, Error> {
        Ok(Self::new("from settings"))
    }
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Sohar {
    client_id: String,
}

fn main() {
    let _ = Acme::new("id");
}
