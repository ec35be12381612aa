//! The inherent items the derive emits, `new` and `with_<field>`, and the
//! switches that leave them (and `FromSettings`) to the user.

use oauth_core::{
    Error, FieldMetadata, FromSettings, ProviderMetadata, Secret, SettingSource, TokenEndpoint,
};

#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
struct Acme {
    client_id: String,
    client_secret: Secret,
    /// The scopes, space-separated.
    scope: Option<String>,
    #[token(default = "client_credentials")]
    grant_type: String,
}

#[test]
fn new_takes_required_fields_in_order_and_setters_the_rest() {
    let request = Acme::new(String::from("id"), "secret")
        .with_scope("read")
        .with_grant_type("password")
        .build_request()
        .unwrap();
    assert_eq!(
        request.body(),
        Some(&b"client_id=id&client_secret=secret&scope=read&grant_type=password"[..])
    );
}

/// A provider whose credentials come from elsewhere: its own `new`, its own settings.
#[derive(TokenEndpoint)]
#[token(base_url = "https://auth.example.com", path = "/token")]
#[token(constructor = false, settings = false)]
struct Vaulted {
    client_id: String,
    client_secret: Secret,
}

impl Vaulted {
    fn new(client_id: &str) -> Self {
        Self {
            client_id: client_id.to_owned(),
            client_secret: Secret::new("from-the-vault"),
        }
    }
}

impl FromSettings for Vaulted {
    const METADATA: ProviderMetadata = <Acme as FromSettings>::METADATA;

    fn from_settings(source: &mut dyn SettingSource) -> Result<Self, Error> {
        let field = &Self::METADATA.fields[0];
        Ok(Self::new(&source.get(field)?.unwrap_or_default()))
    }
}

struct One(&'static str);

impl SettingSource for One {
    fn get(&mut self, _: &FieldMetadata) -> Result<Option<String>, Error> {
        Ok(Some(self.0.to_owned()))
    }

    fn describe(&self, field: &FieldMetadata) -> String {
        field.name.to_owned()
    }
}

#[test]
fn switched_off_items_are_the_user_s_own() {
    let request = Vaulted::new("id").build_request().unwrap();
    assert_eq!(
        request.body(),
        Some(&b"client_id=id&client_secret=from-the-vault"[..])
    );
    let vaulted = Vaulted::from_settings(&mut One("from-settings")).unwrap();
    assert_eq!(
        vaulted.build_request().unwrap().body(),
        Some(&b"client_id=from-settings&client_secret=from-the-vault"[..])
    );
}
