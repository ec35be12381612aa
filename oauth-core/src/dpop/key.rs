//! The key pair a DPoP-bound token proves possession of: generated once per
//! token lineage, kept with the token, portable through a sealed store entry.

use std::fmt;
use std::sync::Arc;

use secrecy::zeroize::Zeroizing;
use serde_json::Value;

use crate::{Algorithm, KeyError, PrivateKey};

/// The private key of a DPoP binding (RFC 9449): ES256 (the default), ES384 or EdDSA.
///
/// A provider declared with `#[token(dpop)]` generates one for each new
/// token; the token keeps it ([`Token::dpop_key`](crate::Token::dpop_key)),
/// refreshes reuse it, and a shared store carries it inside the sealed entry.
/// It is a credential: `Debug` shows only its algorithm and public thumbprint,
/// `Display` prints `[redacted]`, and its private material is zeroed on drop.
/// Cloning shares it.
///
/// ```
/// use oauth_core::{Algorithm, DpopKey};
///
/// let key = DpopKey::generate(Algorithm::Es256)?;
/// assert_eq!(key.public_jwk()["kty"], "EC");
/// assert!(key.public_jwk().get("d").is_none(), "never the private part");
/// assert_eq!(key.to_string(), "[redacted]");
/// # Ok::<(), oauth_core::KeyError>(())
/// ```
#[derive(Clone)]
pub struct DpopKey {
    inner: Arc<Inner>,
}

struct Inner {
    key: PrivateKey,
    /// The private key as PKCS#8, the form it travels in through a sealed store entry.
    #[cfg(feature = "redis")]
    pkcs8: Zeroizing<Vec<u8>>,
    public_jwk: Value,
    thumbprint: String,
}

impl DpopKey {
    /// A new random key: ES256, ES384 or EdDSA.
    pub fn generate(algorithm: Algorithm) -> Result<Self, KeyError> {
        let (key, pkcs8) = PrivateKey::generate_pkcs8(algorithm)?;
        Self::new(key, pkcs8)
    }

    /// Reads a P-256, P-384 or Ed25519 private key from PEM (PKCS#8 or SEC1),
    /// to restore a token persisted with its key, or to pin a registered key.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let (key, pkcs8) = PrivateKey::from_pem_pkcs8(pem)?;
        Self::new(key, pkcs8)
    }

    /// Reads the PKCS#8 document a sealed store entry carries.
    #[cfg(feature = "redis")]
    pub(crate) fn from_pkcs8(der: &[u8]) -> Result<Self, KeyError> {
        let key = PrivateKey::from_pkcs8_document(der)?;
        Self::new(key, Zeroizing::new(der.to_vec()))
    }

    /// The key, keeping its PKCS#8 document only where a shared store may need it.
    fn new(key: PrivateKey, pkcs8: Zeroizing<Vec<u8>>) -> Result<Self, KeyError> {
        if !matches!(
            key.algorithm(),
            Algorithm::Es256 | Algorithm::Es384 | Algorithm::EdDsa
        ) {
            return Err(KeyError::Unsupported(
                "RSA keys for DPoP; use a P-256, P-384 or Ed25519 key",
            ));
        }
        let public_jwk = key.public_jwk();
        let thumbprint = key.thumbprint();
        #[cfg(not(feature = "redis"))]
        drop(pkcs8);
        Ok(Self {
            inner: Arc::new(Inner {
                key,
                #[cfg(feature = "redis")]
                pkcs8,
                public_jwk,
                thumbprint,
            }),
        })
    }

    /// The algorithm of the proofs it signs, their `alg`.
    pub fn algorithm(&self) -> Algorithm {
        self.inner.key.algorithm()
    }

    /// The public key as a JWK, sent in every proof's `jwk` header; no private member.
    pub fn public_jwk(&self) -> &Value {
        &self.inner.public_jwk
    }

    /// The RFC 7638 thumbprint of the public key: the `jkt` a bound token's `cnf` names.
    pub fn thumbprint(&self) -> &str {
        &self.inner.thumbprint
    }

    /// Signs a proof's header and claims.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.inner.key.sign(message)
    }

    /// The private key as PKCS#8, for sealing only.
    #[cfg(feature = "redis")]
    pub(crate) fn pkcs8(&self) -> &[u8] {
        &self.inner.pkcs8
    }
}

impl fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DpopKey")
            .field("algorithm", &self.algorithm())
            .field("thumbprint", &self.thumbprint())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for DpopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "redis")]
    #[test]
    fn a_key_travels_as_pkcs8_and_comes_back_the_same() -> Result<(), KeyError> {
        for algorithm in [Algorithm::Es256, Algorithm::Es384, Algorithm::EdDsa] {
            let key = DpopKey::generate(algorithm)?;
            let back = DpopKey::from_pkcs8(key.pkcs8())?;
            assert_eq!(back.thumbprint(), key.thumbprint());
            assert_eq!(back.algorithm(), algorithm);
        }
        Ok(())
    }

    #[test]
    fn rsa_keys_are_refused() {
        assert_eq!(
            DpopKey::generate(Algorithm::Rs256).err(),
            Some(KeyError::Unsupported(
                "generating RSA keys; read one instead"
            ))
        );
    }
}
