//! Service account key files: the JSON a cloud console issues for a robot account, turned into a provider.

use std::fmt;

use secrecy::zeroize::Zeroizing;
use serde_json::{Map, Value};

use crate::{
    CustomUrl, Error, FieldMetadata, FromSettings, KeyError, PrivateKey, SettingSource,
    TokenEndpoint,
};

/// A service account's JSON key file: `client_email`, `private_key` (PEM),
/// `private_key_id` and `token_uri`, among others.
///
/// [`provider`](Self::provider) builds any provider declared with the JWT
/// bearer grant from it in one call: each field takes the key file's entry of
/// the same name (`client_email`, `client_id`, `project_id`...), the
/// `private_key` field takes the key with `private_key_id` as its `kid`, and the
/// provider is pointed at `token_uri`. The file's text is kept in a buffer that
/// is zeroed on drop, and `Debug` shows only the account's email.
///
/// ```
/// use oauth_core::{PrivateKey, ServiceAccountKey, TokenEndpoint};
///
/// /// A cloud's service accounts: an RS256 assertion for the JWT bearer grant.
/// #[derive(TokenEndpoint)]
/// #[token(base_url = "https://oauth2.cloud.example", path = "/token", assertion(grant))]
/// struct CloudServiceAccount {
///     #[token(claim = "iss")]
///     client_email: String,
///     #[token(claim, default = "https://www.cloud.example/auth/platform")]
///     scope: String,
///     #[token(private_key)]
///     private_key: PrivateKey,
/// }
///
/// # fn run(key_file: &str) -> Result<(), oauth_core::Error> {
/// // `key_file`: the JSON, from wherever the deployment keeps its secrets.
/// let provider = ServiceAccountKey::from_json(key_file)?.provider::<CloudServiceAccount>()?;
/// # Ok(())
/// # }
/// ```
pub struct ServiceAccountKey {
    json: Zeroizing<String>,
    entries: Map<String, Value>,
    private_key: PrivateKey,
}

impl ServiceAccountKey {
    /// Reads a key file's JSON; its `client_email` and `private_key` must be there.
    pub fn from_json(json: &str) -> Result<Self, KeyError> {
        let mut entries = match serde_json::from_str(json) {
            Ok(Value::Object(entries)) => entries,
            _ => return Err(KeyError::Malformed("the key file is not a JSON object")),
        };
        let private_key = private_key(&entries);
        // The PEM stays only in `json`, whose buffer is wiped on drop.
        if let Some(Value::String(pem)) = entries.get_mut("private_key") {
            secrecy::zeroize::Zeroize::zeroize(pem);
        }
        let private_key = private_key?;
        if !matches!(entries.get("client_email"), Some(Value::String(_))) {
            return Err(KeyError::Malformed("the key file has no `client_email`"));
        }
        Ok(Self {
            json: Zeroizing::new(json.to_owned()),
            entries,
            private_key,
        })
    }

    /// The account's email, the `iss` of its assertions.
    pub fn client_email(&self) -> &str {
        self.entry("client_email").unwrap_or_default()
    }

    /// The account's key, with `private_key_id` as its key id.
    pub fn private_key(&self) -> &PrivateKey {
        &self.private_key
    }

    /// The token endpoint the key file names, if it names one.
    pub fn token_uri(&self) -> Option<&str> {
        self.entry("token_uri")
    }

    /// The provider `P` with its fields read from the key file by name, pointed at `token_uri`.
    ///
    /// A required field the file has no entry for is a
    /// [`MissingSetting`](crate::ConfigError::MissingSetting) error; give it a
    /// `default` or make it an `Option`.
    pub fn provider<P: FromSettings + TokenEndpoint>(&self) -> Result<CustomUrl<P>, Error> {
        let provider = P::from_settings(&mut KeyFileSettings(self))?;
        match self.token_uri() {
            Some(token_uri) => provider.with_token_url(token_uri),
            None => Ok(CustomUrl::declared(provider)),
        }
    }

    fn entry(&self, name: &str) -> Option<&str> {
        self.entries.get(name).and_then(Value::as_str)
    }
}

impl fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email())
            .field("private_key", &self.private_key)
            .finish_non_exhaustive()
    }
}

/// A key file as the settings of a provider: each field named like one of its entries.
struct KeyFileSettings<'k>(&'k ServiceAccountKey);

impl SettingSource for KeyFileSettings<'_> {
    fn get(&mut self, field: &FieldMetadata) -> Result<Option<String>, Error> {
        // The whole file, so the key keeps its `private_key_id`; the setting's text is wiped after parsing.
        if field.name == "private_key" {
            return Ok(Some(self.0.json.to_string()));
        }
        Ok(self.0.entry(field.name).map(str::to_owned))
    }

    fn describe(&self, field: &FieldMetadata) -> String {
        format!("`{}` in the service account key file", field.name)
    }
}

/// The key of a parsed key file: `private_key` in PEM, `private_key_id` as its id.
pub(crate) fn private_key(entries: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    let Some(Value::String(pem)) = entries.get("private_key") else {
        return Err(KeyError::Malformed("the key file has no `private_key`"));
    };
    let key = PrivateKey::from_pem(pem)?;
    Ok(match entries.get("private_key_id") {
        Some(Value::String(id)) => key.with_key_id(id.as_str()),
        _ => key,
    })
}
