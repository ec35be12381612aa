//! Signed JWT assertions (RFC 7523): for client authentication (`private_key_jwt`,
//! `client_secret_jwt`) and for the JWT bearer grant. A new one for every request.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use serde_json::{Map, Value};
use url::Url;

use crate::{ConfigError, Error, KeyError, ParamValue, PrivateKey, RequestContext, Secret};

/// `client_assertion_type` of a JWT client assertion (RFC 7523 section 2.2).
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// `grant_type` of the JWT bearer grant (RFC 7523 section 2.1).
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// How long an assertion is valid when the provider does not say: RFC 7523 asks for a short window.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(60);

/// The shortest client secret HS256 signs with: its hash's size (RFC 7518 section 3.2).
pub const HS256_MIN_SECRET_BYTES: usize = 32;

/// What signs an assertion.
#[doc(hidden)]
#[derive(Debug)]
pub enum Signer<'a> {
    /// A private key, with its own algorithm (`private_key_jwt`, the JWT bearer grant).
    Key(&'a PrivateKey),
    /// HS256 over the client secret (`client_secret_jwt`); `None` when the secret is unset.
    ClientSecret(Option<ParamValue<'a>>),
}

/// The claims of one assertion before signing; generated code adds the declared ones.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Claims {
    claims: Map<String, Value>,
}

impl Claims {
    /// No claims yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client assertion's `iss` and `sub`: the client id (RFC 7523 section 3).
    pub fn client(&mut self, client_id: Option<ParamValue<'_>>) -> Result<(), Error> {
        let Some(client_id) = client_id else {
            return Err(missing("client_id"));
        };
        self.claim("iss", Some(client_id.clone()));
        self.claim("sub", Some(client_id));
        Ok(())
    }

    /// Adds a claim; `None` leaves it out.
    pub fn claim(&mut self, name: &str, value: Option<ParamValue<'_>>) {
        let Some(value) = value else { return };
        let value = match value {
            ParamValue::Number(number) => Value::Number(number),
            ParamValue::Bool(flag) => Value::Bool(flag),
            text => Value::String(text.as_text().into_owned()),
        };
        self.claims.insert(name.to_owned(), value);
    }

    /// Signs the claims, completed with `aud` (the endpoint `url`, unless
    /// declared), `iat` and `exp` from the context's time, and a fresh `jti`.
    pub fn sign(
        mut self,
        lifetime: Duration,
        signer: Signer<'_>,
        url: &Url,
        context: &RequestContext<'_>,
    ) -> Result<Secret, Error> {
        if let Signer::ClientSecret(Some(secret)) = &signer
            && secret.as_text().len() < HS256_MIN_SECRET_BYTES
        {
            return Err(KeyError::SecretTooShort {
                minimum: HS256_MIN_SECRET_BYTES,
            }
            .into());
        }
        let issued_at = seconds_since_epoch(context.now());
        self.claims
            .entry("aud")
            .or_insert_with(|| Value::from(url.as_str()));
        self.claims.insert("iat".into(), issued_at.into());
        let expires_at = issued_at.saturating_add(lifetime.as_secs());
        self.claims.insert("exp".into(), expires_at.into());
        self.claims
            .insert("jti".into(), context.unique_id()?.into());

        let mut header = Map::new();
        let algorithm = match &signer {
            Signer::Key(key) => key.algorithm().name(),
            Signer::ClientSecret(_) => "HS256",
        };
        header.insert("alg".into(), algorithm.into());
        header.insert("typ".into(), "JWT".into());
        if let Signer::Key(key) = &signer
            && let Some(key_id) = key.key_id()
        {
            header.insert("kid".into(), key_id.into());
        }
        compact_jws(header, self.claims, |signing_input| match signer {
            // ECDSA and PSS signatures are randomized; naming the key needs the same bytes each time.
            Signer::Key(key) if context.is_identity() => Ok(key.digest().to_vec()),
            Signer::Key(key) => Ok(key.sign(signing_input)?),
            Signer::ClientSecret(None) => Err(missing("client_secret")),
            Signer::ClientSecret(Some(secret)) => {
                let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_text().as_bytes());
                Ok(hmac::sign(&key, signing_input).as_ref().to_vec())
            }
        })
    }
}

/// A compact JWS: the header and claims as base64url JSON, then what `sign` makes of those two.
pub(crate) fn compact_jws(
    header: Map<String, Value>,
    claims: Map<String, Value>,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, Error>,
) -> Result<Secret, Error> {
    let mut jwt = URL_SAFE_NO_PAD.encode(Value::Object(header).to_string());
    jwt.push('.');
    jwt.push_str(&URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string()));
    let signature = sign(jwt.as_bytes())?;
    jwt.push('.');
    jwt.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(Secret::new(jwt))
}

/// A JWT's `NumericDate`: whole seconds since the epoch, 0 for a clock set before it.
pub(crate) fn seconds_since_epoch(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

fn missing(name: &str) -> Error {
    ConfigError::MissingSetting {
        name: name.to_owned(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Algorithm;

    fn decode(segment: &str) -> Value {
        let bytes = URL_SAFE_NO_PAD.decode(segment).unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or_default()
    }

    /// Header, claims and signature; empty strings when the JWT has not three parts.
    fn parts(jwt: &Secret) -> [String; 3] {
        let parts: Vec<String> = jwt.expose_secret().split('.').map(str::to_owned).collect();
        parts.try_into().unwrap_or_default()
    }

    #[test]
    fn completes_the_claims_from_the_context() -> Result<(), Box<dyn std::error::Error>> {
        let key = PrivateKey::generate(Algorithm::Es256)?.with_key_id("k1");
        let ids = || String::from("jti-1");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut claims = Claims::new();
        claims.client(Some(ParamValue::Text("client".into())))?;
        claims.claim("count", Some(ParamValue::Number(3.into())));
        claims.claim("absent", None);
        let url = Url::parse("https://auth.example.com/token")?;
        let jwt = claims.sign(
            DEFAULT_LIFETIME,
            Signer::Key(&key),
            &url,
            &RequestContext::new(now, &ids),
        )?;
        let [header, claims, _] = parts(&jwt);
        assert_eq!(
            decode(&header),
            serde_json::json!({"alg": "ES256", "typ": "JWT", "kid": "k1"})
        );
        assert_eq!(
            decode(&claims),
            serde_json::json!({
                "iss": "client", "sub": "client", "aud": "https://auth.example.com/token",
                "count": 3, "iat": 1_700_000_000, "exp": 1_700_000_060, "jti": "jti-1"
            })
        );
        Ok(())
    }

    #[test]
    fn the_identity_context_builds_the_same_assertion_for_the_same_key()
    -> Result<(), Box<dyn std::error::Error>> {
        let key = PrivateKey::generate(Algorithm::Es256)?;
        let other = PrivateKey::generate(Algorithm::Es256)?;
        let url = Url::parse("https://auth.example.com/token")?;
        let sign = |key: &PrivateKey| {
            Claims::new().sign(
                DEFAULT_LIFETIME,
                Signer::Key(key),
                &url,
                &RequestContext::identity(),
            )
        };
        let (first, second) = (sign(&key)?, sign(&key)?);
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert_ne!(first.expose_secret(), sign(&other)?.expose_secret());
        Ok(())
    }

    #[test]
    fn hs256_is_an_hmac_over_the_client_secret() -> Result<(), Box<dyn std::error::Error>> {
        let secret = Secret::new("a-shared-secret-of-32-bytes-long");
        let ids = || String::from("jti");
        let context = RequestContext::new(SystemTime::UNIX_EPOCH, &ids);
        let url = Url::parse("https://auth.example.com/token")?;
        let jwt = Claims::new().sign(
            DEFAULT_LIFETIME,
            Signer::ClientSecret(Some(ParamValue::Secret(&secret))),
            &url,
            &context,
        )?;
        let [header, claims, signature] = parts(&jwt);
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"a-shared-secret-of-32-bytes-long");
        let signed = format!("{header}.{claims}");
        let signature = URL_SAFE_NO_PAD.decode(signature)?;
        assert!(hmac::verify(&key, signed.as_bytes(), &signature).is_ok());
        assert_eq!(decode(&header).get("alg"), Some(&Value::from("HS256")));

        let unset =
            Claims::new().sign(DEFAULT_LIFETIME, Signer::ClientSecret(None), &url, &context);
        assert!(matches!(
            unset,
            Err(Error::Config(ConfigError::MissingSetting { name })) if name == "client_secret"
        ));
        Ok(())
    }

    #[test]
    fn hs256_refuses_a_secret_shorter_than_its_hash() -> Result<(), Box<dyn std::error::Error>> {
        let ids = || String::from("jti");
        let context = RequestContext::new(SystemTime::UNIX_EPOCH, &ids);
        let url = Url::parse("https://auth.example.com/token")?;
        let sign = |secret: &str| {
            let secret = Secret::new(secret);
            Claims::new().sign(
                DEFAULT_LIFETIME,
                Signer::ClientSecret(Some(ParamValue::Secret(&secret))),
                &url,
                &context,
            )
        };
        let short = sign("canary-31-bytes-secret-for-hs25");
        assert!(matches!(
            &short,
            Err(Error::Config(ConfigError::Key(KeyError::SecretTooShort {
                minimum: 32
            })))
        ));
        assert!(!format!("{short:?}").contains("canary"));
        assert!(sign("canary-32-bytes-secret-for-hs256").is_ok());
        Ok(())
    }
}
