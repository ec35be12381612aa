//! A secret is known by its type: an alias of `Secret`, or a type of yours whose `Param` says SECRET.
use oauth_core::{Param, ParamValue, Secret, TokenEndpoint};

type ClientSecret = Secret;

struct ApiKey(Secret);

impl Param for ApiKey {
    const SECRET: bool = true;

    fn to_param(&self) -> Option<ParamValue<'_>> {
        Some(ParamValue::Secret(&self.0))
    }
}

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    client_secret: ClientSecret,
    #[token(bearer)]
    api_key: ApiKey,
    #[token(query, not_secret)]
    page_token: Option<String>,
}

fn main() {
    let _ = Acme::new("id", "secret", ApiKey(Secret::new("key")));
}
