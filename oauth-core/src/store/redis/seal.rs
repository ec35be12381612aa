//! The shared entry at rest: a token sealed with AES-256-GCM, bound to its
//! key's name and its version.

use std::time::{Duration, SystemTime};

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use crate::{Secret, Token};

/// The envelope's first byte; a reader skips envelopes of another format.
const FORMAT: u8 = 1;
const NONCE_BYTES: usize = 12;

/// Seals and opens entries with one key; the associated data names the entry
/// and its version, so an envelope copied under another key or version does not open.
pub(crate) struct Sealer {
    cipher: Aes256Gcm,
    entry_name: Vec<u8>,
}

/// Why an envelope did not open; none of them says anything about the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Unreadable {
    #[error("it is not in this version's format")]
    Format,
    #[error("it was sealed with another key or altered")]
    Authentication,
    #[error("its content is not a token")]
    Content,
}

/// An entry could not be sealed: the system's randomness failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no randomness for a nonce")]
pub(crate) struct SealFailed;

/// The token as sealed: every field, the expiry in milliseconds since the
/// epoch, and the DPoP key as base64url PKCS#8, for every process to prove it.
/// Its credentials are zeroed when it is dropped.
#[derive(Serialize, Deserialize)]
struct Plain {
    access_token: String,
    token_type: String,
    expires_at_ms: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
    extras: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dpop_key: Option<String>,
}

impl Sealer {
    pub(crate) fn new(key: &[u8; 32], entry_name: &str) -> Self {
        Self {
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key)),
            entry_name: entry_name.as_bytes().to_vec(),
        }
    }

    fn associated_data(&self, version: u64) -> Vec<u8> {
        let mut data = self.entry_name.clone();
        data.extend_from_slice(&version.to_be_bytes());
        data
    }

    /// The envelope: format byte, random nonce, ciphertext and tag.
    pub(crate) fn seal(&self, token: &Token, version: u64) -> Result<Vec<u8>, SealFailed> {
        let mut nonce = [0_u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|_| SealFailed)?;
        let plain = Plain::from_token(token);
        let mut buffer = Zeroizing::new(serde_json::to_vec(&plain).map_err(|_| SealFailed)?);
        // Only a message beyond 64 GiB fails to encrypt.
        self.cipher
            .encrypt_in_place(
                &Nonce::from(nonce),
                &self.associated_data(version),
                &mut *buffer,
            )
            .map_err(|_| SealFailed)?;
        let mut envelope = Vec::with_capacity(1 + NONCE_BYTES + buffer.len());
        envelope.push(FORMAT);
        envelope.extend_from_slice(&nonce);
        envelope.extend_from_slice(&buffer);
        Ok(envelope)
    }

    /// The token in `envelope`, if it was sealed with this key for this entry at `version`.
    pub(crate) fn open(&self, envelope: &[u8], version: u64) -> Result<Token, Unreadable> {
        let Some((&FORMAT, rest)) = envelope.split_first() else {
            return Err(Unreadable::Format);
        };
        let (nonce, ciphertext) = rest
            .split_at_checked(NONCE_BYTES)
            .ok_or(Unreadable::Format)?;
        let nonce = <[u8; NONCE_BYTES]>::try_from(nonce).map_err(|_| Unreadable::Format)?;
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        self.cipher
            .decrypt_in_place(
                &Nonce::from(nonce),
                &self.associated_data(version),
                &mut *buffer,
            )
            .map_err(|_| Unreadable::Authentication)?;
        let plain: Plain = serde_json::from_slice(&buffer).map_err(|_| Unreadable::Content)?;
        plain.into_token()
    }
}

impl Plain {
    fn from_token(token: &Token) -> Self {
        Self {
            access_token: token.access_token().expose_secret().to_owned(),
            token_type: token.token_type().to_owned(),
            expires_at_ms: token.expires_at().map(millis_since_epoch),
            refresh_token: token
                .refresh_token()
                .map(|refresh| refresh.expose_secret().to_owned()),
            scope: token.scope().map(str::to_owned),
            extras: token.extras().clone(),
            dpop_key: dpop_key(token),
        }
    }

    fn into_token(mut self) -> Result<Token, Unreadable> {
        let mut token = Token::new(Secret::new(std::mem::take(&mut self.access_token)))
            .with_token_type(std::mem::take(&mut self.token_type))
            .with_extras(std::mem::take(&mut self.extras));
        if let Some(at) = self
            .expires_at_ms
            .and_then(|ms| SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(ms)))
        {
            token = token.with_expires_at(at);
        }
        if let Some(refresh_token) = self.refresh_token.take() {
            token = token.with_refresh_token(Secret::new(refresh_token));
        }
        if let Some(scope) = self.scope.take() {
            token = token.with_scope(scope);
        }
        #[cfg(feature = "jwt")]
        if let Some(encoded) = &self.dpop_key {
            use base64::Engine as _;

            let pkcs8 = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(encoded)
                .map(Zeroizing::new)
                .map_err(|_| Unreadable::Content)?;
            let key = crate::DpopKey::from_pkcs8(&pkcs8).map_err(|_| Unreadable::Content)?;
            token = token.with_dpop_key(key);
        }
        Ok(token)
    }
}

/// The token's DPoP key as sealed; none without the `jwt` feature, which makes no proofs.
fn dpop_key(token: &Token) -> Option<String> {
    #[cfg(feature = "jwt")]
    {
        use base64::Engine as _;

        token
            .dpop_key()
            .map(|key| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.pkcs8()))
    }
    #[cfg(not(feature = "jwt"))]
    {
        let _ = token;
        None
    }
}

impl Drop for Plain {
    fn drop(&mut self) {
        self.access_token.zeroize();
        self.refresh_token.zeroize();
        self.dpop_key.zeroize();
    }
}

fn millis_since_epoch(at: SystemTime) -> u64 {
    let since = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    const KEY: [u8; 32] = [7; 32];

    fn token() -> Token {
        let mut extras = Map::new();
        extras.insert("account".into(), Value::from(42));
        Token::new("canary-access-token")
            .with_token_type("bearer")
            .with_expires_at(SystemTime::UNIX_EPOCH + Duration::from_millis(1_900_000_000_123))
            .with_refresh_token("canary-refresh-token")
            .with_scope("read write")
            .with_extras(extras)
    }

    #[test]
    fn every_field_survives_sealing() -> Outcome {
        let sealer = Sealer::new(&KEY, "entry");
        let opened = sealer.open(&sealer.seal(&token(), 3)?, 3)?;
        assert_eq!(opened.access_token().expose_secret(), "canary-access-token");
        assert_eq!(opened.token_type(), "bearer");
        assert_eq!(opened.expires_at(), token().expires_at());
        assert_eq!(
            opened.refresh_token().map(Secret::expose_secret),
            Some("canary-refresh-token")
        );
        assert_eq!(opened.scope(), Some("read write"));
        assert_eq!(opened.extra::<u32>("account")?, Some(42));
        Ok(())
    }

    #[test]
    fn the_envelope_shows_no_token_and_differs_every_time() -> Outcome {
        let sealer = Sealer::new(&KEY, "entry");
        let first = sealer.seal(&token(), 1)?;
        let second = sealer.seal(&token(), 1)?;
        assert_ne!(first, second);
        for canary in ["canary-access-token", "canary-refresh-token", "read write"] {
            assert!(
                !first
                    .windows(canary.len())
                    .any(|window| window == canary.as_bytes())
            );
        }
        Ok(())
    }

    #[cfg(feature = "jwt")]
    #[test]
    fn the_dpop_key_travels_sealed_with_its_token() -> Outcome {
        use base64::Engine as _;

        let key = crate::DpopKey::generate(crate::Algorithm::Es256)?;
        let sealer = Sealer::new(&KEY, "entry");
        let envelope = sealer.seal(&token().with_dpop_key(key.clone()), 1)?;
        let opened = sealer.open(&envelope, 1)?;
        let thumbprint = opened.dpop_key().map(crate::DpopKey::thumbprint);
        assert_eq!(thumbprint, Some(key.thumbprint()));
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.pkcs8());
        // The middle of the document holds the private scalar; its ends are fixed structure.
        for secret in [key.pkcs8(), encoded.as_bytes()] {
            let middle = secret.len() / 2;
            let window = secret.get(middle - 8..middle + 8).unwrap_or(secret);
            assert!(!envelope.windows(window.len()).any(|part| part == window));
        }
        assert!(
            sealer
                .open(&sealer.seal(&token(), 2)?, 2)?
                .dpop_key()
                .is_none()
        );
        Ok(())
    }

    #[test]
    fn another_key_entry_or_version_or_a_flipped_bit_does_not_open() -> Outcome {
        let sealer = Sealer::new(&KEY, "entry");
        let envelope = sealer.seal(&token(), 5)?;
        let other_key = Sealer::new(&[8; 32], "entry");
        let other_entry = Sealer::new(&KEY, "another entry");
        let refused = Some(Unreadable::Authentication);
        assert_eq!(other_key.open(&envelope, 5).err(), refused);
        assert_eq!(other_entry.open(&envelope, 5).err(), refused);
        assert_eq!(sealer.open(&envelope, 6).err(), refused);
        for index in 1..envelope.len() {
            let mut altered = envelope.clone();
            if let Some(byte) = altered.get_mut(index) {
                *byte ^= 1;
            }
            assert!(
                sealer.open(&altered, 5).is_err(),
                "bit flipped at {index} went unnoticed"
            );
        }
        Ok(())
    }

    #[test]
    fn foreign_bytes_do_not_open() -> Outcome {
        let sealer = Sealer::new(&KEY, "entry");
        assert_eq!(sealer.open(b"", 1).err(), Some(Unreadable::Format));
        assert_eq!(
            sealer.open(&[FORMAT, 1, 2], 1).err(),
            Some(Unreadable::Format)
        );
        let plain_json = b"{\"access_token\":\"x\"}";
        assert_eq!(sealer.open(plain_json, 1).err(), Some(Unreadable::Format));
        let mut not_a_token = vec![FORMAT];
        not_a_token.extend_from_slice(&[0; NONCE_BYTES]);
        let mut buffer = b"[1,2,3]".to_vec();
        sealer
            .cipher
            .encrypt_in_place(
                &Nonce::from([0; NONCE_BYTES]),
                &sealer.associated_data(1),
                &mut buffer,
            )
            .map_err(|_| "encrypting")?;
        not_a_token.extend_from_slice(&buffer);
        assert_eq!(
            sealer.open(&not_a_token, 1).err(),
            Some(Unreadable::Content)
        );
        Ok(())
    }
}
