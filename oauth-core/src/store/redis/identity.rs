//! Which Redis keys hold a provider's entry, and the key that seals it: both
//! derived from the provider's whole configuration, so different credentials
//! never share an entry and no key name reveals a secret.

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::{Secret, TokenRequest};

/// Separates this derivation from any other use of the same secrets.
const SALT: &[u8] = b"oauth-core redis token store v1";
/// How many bytes of the derived id name the entry: 128 bits, written as hex.
const ID_BYTES: usize = 16;

/// The names of one provider configuration's entry, its lease and its channel, and its sealing key.
pub(crate) struct Identity {
    pub(crate) entry: String,
    pub(crate) lease: String,
    pub(crate) channel: String,
    pub(crate) seal_key: Zeroizing<[u8; 32]>,
}

impl Identity {
    /// Derives everything from the provider's name and its token request, which
    /// carries every setting (URL, parameters, headers, credentials); an explicit
    /// key replaces the sealing key derived from those credentials and is mixed
    /// into the name, so stores with different keys do not overwrite each other.
    pub(crate) fn derive(
        prefix: &str,
        provider: &str,
        request: &TokenRequest,
        explicit_key: Option<&Secret>,
    ) -> Self {
        let material = Zeroizing::new(configuration_material(provider, request, explicit_key));
        let derived = Hkdf::<Sha256>::new(Some(SALT), &material);
        let mut id = [0_u8; ID_BYTES];
        let mut seal_key = Zeroizing::new([0_u8; 32]);
        // Both lengths are far below HKDF-SHA256's limit of 8160 bytes.
        let _ = derived.expand(b"entry name", &mut id);
        let _ = match explicit_key {
            None => derived.expand(b"entry seal", &mut *seal_key),
            Some(key) => Hkdf::<Sha256>::new(Some(SALT), key.expose_secret().as_bytes())
                .expand(b"explicit seal", &mut *seal_key),
        };
        let entry = format!("{prefix}:{provider}:{}", hex(&id));
        Self {
            lease: format!("{entry}:lease"),
            channel: format!("{entry}:renewed"),
            entry,
            seal_key,
        }
    }
}

/// Every part of the configuration, each length-prefixed so no two configurations run together.
fn configuration_material(
    provider: &str,
    request: &TokenRequest,
    explicit_key: Option<&Secret>,
) -> Vec<u8> {
    let mut material = Vec::with_capacity(512);
    let mut part = |bytes: &[u8]| {
        material.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        material.extend_from_slice(bytes);
    };
    part(provider.as_bytes());
    part(request.method().as_str().as_bytes());
    part(request.url().as_str().as_bytes());
    for (name, value) in request.headers() {
        part(name.as_str().as_bytes());
        part(value.as_bytes());
    }
    part(request.body().unwrap_or_default());
    if let Some(key) = explicit_key {
        part(key.expose_secret().as_bytes());
    }
    material
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;

    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;
    use url::Url;

    use crate::ParamValue;
    use crate::request::{BodyEncoding, RequestBuilder};

    type Outcome = Result<(), url::ParseError>;

    fn derive(secret: &str, url: &str, key: Option<&str>) -> Result<Identity, url::ParseError> {
        let mut builder =
            RequestBuilder::new(Method::POST, Url::parse(url)?, BodyEncoding::Form, None);
        builder.body_param("client_id", Some(ParamValue::Text("id".into())));
        let secret = Secret::new(secret);
        builder.body_param("client_secret", Some(ParamValue::Secret(&secret)));
        let key = key.map(Secret::new);
        Ok(Identity::derive(
            "oauth-token",
            "acme",
            &builder.finish(),
            key.as_ref(),
        ))
    }

    #[test]
    fn the_same_configuration_names_the_same_entry_with_the_same_key() -> Outcome {
        let one = derive("canary-secret", "https://a.example/token", None)?;
        let two = derive("canary-secret", "https://a.example/token", None)?;
        assert_eq!(one.entry, two.entry);
        assert_eq!(*one.seal_key, *two.seal_key);
        assert!(one.entry.starts_with("oauth-token:acme:"));
        assert_eq!(one.entry.len(), "oauth-token:acme:".len() + 2 * ID_BYTES);
        assert_eq!(one.lease, format!("{}:lease", one.entry));
        assert!(!one.entry.contains("canary"));
        Ok(())
    }

    #[test]
    fn any_difference_in_configuration_or_key_separates_entries() -> Outcome {
        let url = "https://a.example/token";
        let entries = [
            derive("canary-secret", url, None)?,
            derive("canary-secret2", url, None)?,
            derive("canary-secret", "https://b.example/token", None)?,
            derive("canary-secret", url, Some("k1"))?,
            derive("canary-secret", url, Some("k2"))?,
        ];
        for (index, left) in entries.iter().enumerate() {
            for right in entries.iter().skip(index + 1) {
                assert_ne!(left.entry, right.entry);
                assert_ne!(*left.seal_key, *right.seal_key);
            }
        }
        Ok(())
    }
}
