//! The DPoP proof (RFC 9449 section 4.2): a JWT signed with the token's key,
//! bound to one HTTP request's method and URL, and to the access token it
//! accompanies. Pure: the time and the `jti` come from the [`RequestContext`].

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::Method;
use ring::digest;
use serde_json::Map;
use url::Url;

use crate::assertion::{compact_jws, seconds_since_epoch};
use crate::{DpopKey, Error, RequestContext, Secret};

/// The `typ` of every proof's header.
const PROOF_TYPE: &str = "dpop+jwt";

impl DpopKey {
    /// A DPoP proof for one request: header `typ` `dpop+jwt`, `alg` and the
    /// public `jwk`; claims `htm` (`method`), `htu` (`url` without its query and
    /// fragment), `iat` and `jti` from `context`, `nonce` when the server gave
    /// one and, with an `access_token`, `ath` (its SHA-256, base64url).
    ///
    /// Sent as the `DPoP` header; with an access token, beside `Authorization:
    /// DPoP <token>`. For requests made with another HTTP client.
    ///
    /// ```
    /// use oauth_core::http::Method;
    /// use oauth_core::{Algorithm, DpopKey, RequestContext, Secret};
    ///
    /// let key = DpopKey::generate(Algorithm::Es256)?;
    /// let url = "https://api.example.com/accounts?page=2".parse()?;
    /// let token = Secret::new("access-token");
    /// let proof = key.proof(&Method::GET, &url, Some(&token), None, &RequestContext::system())?;
    /// assert_eq!(proof.expose_secret().split('.').count(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn proof(
        &self,
        method: &Method,
        url: &Url,
        access_token: Option<&Secret>,
        nonce: Option<&str>,
        context: &RequestContext<'_>,
    ) -> Result<Secret, Error> {
        let mut header = Map::new();
        header.insert("typ".into(), PROOF_TYPE.into());
        header.insert("alg".into(), self.algorithm().name().into());
        header.insert("jwk".into(), self.public_jwk().clone());
        let mut claims = Map::new();
        claims.insert("jti".into(), context.unique_id()?.into());
        claims.insert("htm".into(), method.as_str().into());
        claims.insert("htu".into(), target_uri(url).into());
        claims.insert("iat".into(), seconds_since_epoch(context.now()).into());
        if let Some(nonce) = nonce {
            claims.insert("nonce".into(), nonce.into());
        }
        if let Some(access_token) = access_token {
            claims.insert("ath".into(), access_token_hash(access_token).into());
        }
        compact_jws(
            header,
            claims,
            |signing_input| Ok(self.sign(signing_input)?),
        )
    }
}

/// `htu`: the URL without its query and fragment (RFC 9449 section 4.2).
fn target_uri(url: &Url) -> String {
    let mut target = url.clone();
    target.set_query(None);
    target.set_fragment(None);
    target.into()
}

/// `ath`: the base64url SHA-256 of the access token's ASCII bytes.
fn access_token_hash(access_token: &Secret) -> String {
    let hash = digest::digest(&digest::SHA256, access_token.expose_secret().as_bytes());
    URL_SAFE_NO_PAD.encode(hash)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
    use serde_json::Value;

    use super::*;
    use crate::Algorithm;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    fn decode(segment: &str) -> Value {
        let bytes = URL_SAFE_NO_PAD.decode(segment).unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or_default()
    }

    fn member(jwk: &Value, name: &str) -> Vec<u8> {
        let text = jwk.get(name).and_then(Value::as_str).unwrap_or_default();
        URL_SAFE_NO_PAD.decode(text).unwrap_or_default()
    }

    #[test]
    fn the_proof_is_bound_to_the_request_and_the_token() -> Outcome {
        let key = DpopKey::generate(Algorithm::Es256)?;
        let ids = || String::from("proof-1");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let url = Url::parse("https://api.example.com/v1/items?page=2#top")?;
        let token = Secret::new("access-token");
        let context = RequestContext::new(now, &ids);
        let proof = key.proof(&Method::POST, &url, Some(&token), Some("n-1"), &context)?;
        let parts: Vec<&str> = proof.expose_secret().split('.').collect();
        let [header, claims, signature] = parts[..] else {
            return Err("a proof has three parts".into());
        };
        assert_eq!(
            decode(header),
            serde_json::json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.public_jwk()})
        );
        assert!(key.public_jwk().get("d").is_none());
        let expected_ath = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, b"access-token"));
        assert_eq!(
            decode(claims),
            serde_json::json!({
                "jti": "proof-1", "htm": "POST", "htu": "https://api.example.com/v1/items",
                "iat": 1_700_000_000, "nonce": "n-1", "ath": expected_ath,
            })
        );
        let jwk = key.public_jwk();
        let public = [vec![4], member(jwk, "x"), member(jwk, "y")].concat();
        let signed = format!("{header}.{claims}");
        let signature = URL_SAFE_NO_PAD.decode(signature)?;
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, public)
            .verify(signed.as_bytes(), &signature)
            .map_err(|_| "the proof's signature does not verify")?;
        Ok(())
    }

    #[test]
    fn a_token_request_proof_has_neither_ath_nor_nonce_unless_given() -> Outcome {
        let key = DpopKey::generate(Algorithm::EdDsa)?;
        let url = Url::parse("https://auth.example.com/token")?;
        let proof = key.proof(&Method::POST, &url, None, None, &RequestContext::system())?;
        let claims = decode(proof.expose_secret().split('.').nth(1).unwrap_or_default());
        assert!(claims.get("ath").is_none() && claims.get("nonce").is_none());
        let header = decode(proof.expose_secret().split('.').next().unwrap_or_default());
        assert_eq!(header.get("alg"), Some(&Value::from("EdDSA")));
        Ok(())
    }
}
