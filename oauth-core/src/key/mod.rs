//! Private keys that sign assertions: parsed once, redacted everywhere, never quoted in an error.

mod der;
mod jwk;
mod pem;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use ring::digest;
use ring::error::KeyRejected;
use ring::rand::SystemRandom;
use ring::signature::{
    self, ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair,
    EcdsaSigningAlgorithm, Ed25519KeyPair, RsaKeyPair,
};
use secrecy::zeroize::Zeroizing;

/// A JWS algorithm a [`PrivateKey`] signs with (RFC 7518 section 3, RFC 8037).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256; the default for RSA keys.
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS with SHA-256 and MGF1 with SHA-256.
    Ps256,
    /// ECDSA on P-256 with SHA-256; the only algorithm of P-256 keys.
    Es256,
    /// ECDSA on P-384 with SHA-384; the only algorithm of P-384 keys.
    Es384,
    /// Ed25519; the only algorithm of Ed25519 keys.
    EdDsa,
}

impl Algorithm {
    const ALL: [Self; 7] = [
        Self::Rs256,
        Self::Rs384,
        Self::Rs512,
        Self::Ps256,
        Self::Es256,
        Self::Es384,
        Self::EdDsa,
    ];

    /// The name in a JWS header's `alg`: `RS256`, `ES256`, `EdDSA`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::EdDsa => "EdDSA",
        }
    }

    fn is_rsa(self) -> bool {
        matches!(self, Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Algorithm {
    type Err = KeyError;

    fn from_str(name: &str) -> Result<Self, KeyError> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name() == name)
            .ok_or(KeyError::UnknownAlgorithm)
    }
}

/// Why a private key cannot be used. Every message is fixed text: none quotes the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not a PEM private key, a JWK or a service account key file.
    #[error("the private key is malformed: {0}")]
    Malformed(&'static str),
    /// A JWK member the key needs is missing or is not base64url.
    #[error("the private key's JWK has no valid `{0}` member")]
    JwkMember(&'static str),
    /// The key is encrypted with a passphrase.
    #[error(
        "the private key is encrypted; decrypt it first (`openssl pkcs8 -in key.pem -out plain.pem`)"
    )]
    Encrypted,
    /// A kind of key this crate cannot sign with.
    #[error("unsupported private key: {0}")]
    Unsupported(&'static str),
    /// The key is well-formed but not a usable key.
    #[error("the private key was rejected: {0}")]
    Rejected(&'static str),
    /// The algorithm asked for does not sign with this kind of key.
    #[error("{algorithm} does not sign with {key} keys")]
    AlgorithmMismatch {
        /// The algorithm asked for.
        algorithm: Algorithm,
        /// The kind of key: "RSA", "P-256", "P-384", "Ed25519".
        key: &'static str,
    },
    /// An `alg` name that is not one of the supported JWS algorithms.
    #[error("unknown JWS algorithm; expected RS256, RS384, RS512, PS256, ES256, ES384 or EdDSA")]
    UnknownAlgorithm,
    /// The system's random generator failed while signing.
    #[error("the assertion could not be signed: the system random generator failed")]
    SigningFailed,
    /// A `client_secret_jwt` secret shorter than HS256's hash: RFC 7518
    /// section 3.2 requires a key of at least 32 bytes.
    #[error(
        "client_secret_jwt signs HS256, which needs a client secret of at least {minimum} bytes (RFC 7518 section 3.2); this one is shorter"
    )]
    SecretTooShort {
        /// The fewest bytes accepted.
        minimum: usize,
    },
}

/// The parsed key, in the form ring signs with.
enum Pair {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl Pair {
    /// The kind of key, as errors name it.
    fn kind(&self, algorithm: Algorithm) -> &'static str {
        match (self, algorithm) {
            (Self::Rsa(_), _) => "RSA",
            (Self::Ecdsa(_), Algorithm::Es384) => "P-384",
            (Self::Ecdsa(_), _) => "P-256",
            (Self::Ed25519(_), _) => "Ed25519",
        }
    }
}

/// A private key that signs JWT assertions: RSA (2048 bits or more), P-256,
/// P-384 or Ed25519.
///
/// Read from PEM (PKCS#8, PKCS#1 or SEC1), from a JWK, or from a service
/// account key file; parsed and checked once, when it is read. It is a
/// credential: `Debug` shows only its algorithm and key id, `Display` prints
/// `[redacted]`, no error quotes it, and every buffer this crate copies the
/// key material into is zeroed when dropped. (The parsed key lives inside
/// *ring*, which does not zero its own memory.) Cloning shares the parsed key.
///
/// ```
/// use oauth_core::{Algorithm, PrivateKey};
///
/// let key = PrivateKey::generate(Algorithm::Es256)?.with_key_id("key-1");
/// assert_eq!(key.algorithm(), Algorithm::Es256);
/// assert_eq!(key.to_string(), "[redacted]");
/// assert_eq!(format!("{key:?}"), r#"PrivateKey { algorithm: Es256, key_id: Some("key-1"), .. }"#);
/// # Ok::<(), oauth_core::KeyError>(())
/// ```
#[derive(Clone)]
pub struct PrivateKey {
    pair: Arc<Pair>,
    algorithm: Algorithm,
    key_id: Option<String>,
    /// SHA-256 of the public key's thumbprint and the secret number (RSA's
    /// `d`, the EC scalar, the Ed25519 seed): a secret that names the key, in
    /// whatever form it was read, for store identities, where a randomized
    /// signature would differ every time.
    digest: Zeroizing<[u8; 32]>,
}

impl PrivateKey {
    /// Reads a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`). Other
    /// sections (certificates, EC parameters) are skipped; `\n` escapes, as in
    /// an environment variable, are read as line breaks.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let (form, der) = pem::decode(pem)?;
        let key = match form {
            pem::Form::Pkcs8 => Self::from_pkcs8(&der)?,
            pem::Form::Pkcs1 => RsaKeyPair::from_der(&der)
                .map(|pair| Self::new(Pair::Rsa(pair), Algorithm::Rs256))
                .map_err(rejected)?,
            pem::Form::Sec1 => Self::from_sec1(&der).map(|(key, _)| key)?,
        };
        let structure = match form {
            pem::Form::Pkcs8 => der::pkcs8_private_key(&der),
            pem::Form::Pkcs1 | pem::Form::Sec1 => Some(&der[..]),
        };
        Ok(key.named_in(structure, &der))
    }

    /// Reads a private JWK (RFC 7517): `kty` `RSA` (with its CRT members),
    /// `EC` (`crv` `P-256` or `P-384`) or `OKP` (`crv` `Ed25519`). Its `kid`
    /// becomes the key id and its `alg`, if any, the algorithm.
    pub fn from_jwk(jwk: &str) -> Result<Self, KeyError> {
        let mut object = jwk::parse_object(jwk)?;
        let key = jwk::read(&object);
        jwk::wipe(&mut object);
        key
    }

    /// A new random key, for proofs of possession: ES256, ES384 or EdDSA.
    pub fn generate(algorithm: Algorithm) -> Result<Self, KeyError> {
        Self::generate_pkcs8(algorithm).map(|(key, _)| key)
    }

    /// A new random key and the PKCS#8 document it was generated as, for a key that must travel.
    pub(crate) fn generate_pkcs8(
        algorithm: Algorithm,
    ) -> Result<(Self, Zeroizing<Vec<u8>>), KeyError> {
        let random = SystemRandom::new();
        let document = match algorithm {
            Algorithm::Es256 | Algorithm::Es384 => {
                EcdsaKeyPair::generate_pkcs8(ecdsa_signing(algorithm), &random)
            }
            Algorithm::EdDsa => Ed25519KeyPair::generate_pkcs8(&random),
            _ => {
                return Err(KeyError::Unsupported(
                    "generating RSA keys; read one instead",
                ));
            }
        };
        let document = document.map_err(|_| KeyError::SigningFailed)?;
        let pkcs8 = Zeroizing::new(document.as_ref().to_vec());
        Ok((Self::from_pkcs8_document(&pkcs8)?, pkcs8))
    }

    /// Reads a PEM key (PKCS#8 or SEC1) with the PKCS#8 document it amounts
    /// to, for a key that must travel; PKCS#1 has no such document.
    pub(crate) fn from_pem_pkcs8(pem: &str) -> Result<(Self, Zeroizing<Vec<u8>>), KeyError> {
        let (form, der) = pem::decode(pem)?;
        match form {
            pem::Form::Pkcs8 => Ok((Self::from_pkcs8_document(&der)?, der)),
            pem::Form::Sec1 => {
                let (key, pkcs8) = Self::from_sec1(&der)?;
                Ok((key.named_in(Some(&der), &der), pkcs8))
            }
            pem::Form::Pkcs1 => Err(KeyError::Unsupported(
                "PKCS#1 RSA keys here; use a PKCS#8 or SEC1 key",
            )),
        }
    }

    /// Reads a PKCS#8 document, named by the secret number in it.
    pub(crate) fn from_pkcs8_document(der: &[u8]) -> Result<Self, KeyError> {
        Self::from_pkcs8(der).map(|key| key.named_in(der::pkcs8_private_key(der), der))
    }

    /// The same key with this id, sent as the `kid` header of every assertion it signs.
    #[must_use]
    pub fn with_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// The same key signing with `algorithm`: RS256 (the default), RS384,
    /// RS512 or PS256 for an RSA key; an EC or Ed25519 key has one algorithm.
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Result<Self, KeyError> {
        let fits = match &*self.pair {
            Pair::Rsa(_) => algorithm.is_rsa(),
            Pair::Ecdsa(_) | Pair::Ed25519(_) => algorithm == self.algorithm,
        };
        if !fits {
            return Err(KeyError::AlgorithmMismatch {
                algorithm,
                key: self.pair.kind(self.algorithm),
            });
        }
        self.algorithm = algorithm;
        Ok(self)
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The key id sent as `kid`, if the key has one.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The public half as a JWK (RFC 7517), with the members RFC 7638 names
    /// for its kind of key; no `kid`, `alg` or private member.
    pub fn public_jwk(&self) -> serde_json::Value {
        serde_json::Value::Object(jwk::public(&self.pair, self.algorithm))
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key, base64url-encoded.
    pub fn thumbprint(&self) -> String {
        jwk::thumbprint(&jwk::public(&self.pair, self.algorithm))
    }

    /// Signs `message` with the key's algorithm; the signature as a JWS carries it.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let random = SystemRandom::new();
        match &*self.pair {
            Pair::Rsa(pair) => {
                let padding: &'static dyn signature::RsaEncoding = match self.algorithm {
                    Algorithm::Rs384 => &signature::RSA_PKCS1_SHA384,
                    Algorithm::Rs512 => &signature::RSA_PKCS1_SHA512,
                    Algorithm::Ps256 => &signature::RSA_PSS_SHA256,
                    _ => &signature::RSA_PKCS1_SHA256,
                };
                let mut signature = vec![0; pair.public().modulus_len()];
                pair.sign(padding, &random, message, &mut signature)
                    .map_err(|_| KeyError::SigningFailed)?;
                Ok(signature)
            }
            Pair::Ecdsa(pair) => pair
                .sign(&random, message)
                .map(|signature| signature.as_ref().to_vec())
                .map_err(|_| KeyError::SigningFailed),
            Pair::Ed25519(pair) => Ok(pair.sign(message).as_ref().to_vec()),
        }
    }

    /// A digest of the key material that names this key and only it; a secret.
    pub(crate) fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    fn new(pair: Pair, algorithm: Algorithm) -> Self {
        Self {
            pair: Arc::new(pair),
            algorithm,
            key_id: None,
            digest: Zeroizing::new([0; 32]),
        }
    }

    /// The same key, named by its public key and `secret`, its secret number
    /// without leading zero bytes: the same bytes from PEM, DER or a JWK.
    fn named_by(mut self, secret: &[u8]) -> Self {
        let mut digest = digest::Context::new(&digest::SHA256);
        digest.update(b"oauth-core private key name v1\0");
        digest.update(self.thumbprint().as_bytes());
        digest.update(b"\0");
        digest.update(secret);
        self.digest.copy_from_slice(digest.finish().as_ref());
        self
    }

    /// Named by the secret number in `structure`, the DER the key was read
    /// from; by all of `der` should ring take a key this reader cannot follow.
    fn named_in(self, structure: Option<&[u8]>, der: &[u8]) -> Self {
        let kind = match &*self.pair {
            Pair::Rsa(_) => der::Kind::Rsa,
            Pair::Ecdsa(_) => der::Kind::Ec,
            Pair::Ed25519(_) => der::Kind::Ed25519,
        };
        let secret = structure.and_then(|structure| der::secret(kind, structure));
        self.named_by(secret.unwrap_or(der))
    }

    /// A PKCS#8 document holds any kind of key: each parser refuses the others' as the wrong algorithm.
    fn from_pkcs8(der: &[u8]) -> Result<Self, KeyError> {
        let random = SystemRandom::new();
        let attempts = [
            RsaKeyPair::from_pkcs8(der).map(|pair| Self::new(Pair::Rsa(pair), Algorithm::Rs256)),
            ecdsa_from_pkcs8(der, Algorithm::Es256, &random),
            ecdsa_from_pkcs8(der, Algorithm::Es384, &random),
            Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                .map(|pair| Self::new(Pair::Ed25519(pair), Algorithm::EdDsa)),
        ];
        let mut reason = None;
        for attempt in attempts {
            match attempt {
                Ok(key) => return Ok(key),
                Err(error) if is_wrong_algorithm(&error) => {}
                Err(error) => reason = reason.or(Some(error)),
            }
        }
        Err(reason.map_or(
            KeyError::Unsupported("the key is not RSA, P-256, P-384 or Ed25519"),
            rejected,
        ))
    }

    /// A SEC1 key, with the PKCS#8 document ring read it from.
    fn from_sec1(der: &[u8]) -> Result<(Self, Zeroizing<Vec<u8>>), KeyError> {
        let random = SystemRandom::new();
        let mut reason = None;
        for algorithm in [Algorithm::Es256, Algorithm::Es384] {
            let pkcs8 = der::pkcs8_from_sec1(algorithm, der)?;
            match ecdsa_from_pkcs8(&pkcs8, algorithm, &random) {
                Ok(key) => return Ok((key, pkcs8)),
                Err(error) if is_wrong_algorithm(&error) => {}
                Err(error) => reason = reason.or(Some(error)),
            }
        }
        Err(reason.map_or(
            KeyError::Unsupported("EC keys on curves other than P-256 and P-384"),
            rejected,
        ))
    }
}

fn ecdsa_signing(algorithm: Algorithm) -> &'static EcdsaSigningAlgorithm {
    if algorithm == Algorithm::Es384 {
        &ECDSA_P384_SHA384_FIXED_SIGNING
    } else {
        &ECDSA_P256_SHA256_FIXED_SIGNING
    }
}

fn ecdsa_from_pkcs8(
    der: &[u8],
    algorithm: Algorithm,
    random: &SystemRandom,
) -> Result<PrivateKey, KeyRejected> {
    EcdsaKeyPair::from_pkcs8(ecdsa_signing(algorithm), der, random)
        .map(|pair| PrivateKey::new(Pair::Ecdsa(pair), algorithm))
}

fn is_wrong_algorithm(error: &KeyRejected) -> bool {
    error.to_string() == "WrongAlgorithm"
}

/// ring's reason for refusing a key, in words; ring's reasons never hold key material.
fn rejected(error: KeyRejected) -> KeyError {
    KeyError::Rejected(match error.to_string().as_str() {
        "TooSmall" => "RSA keys need 2048 bits at least",
        "TooLarge" => "the key is larger than supported",
        "InvalidEncoding" => "its DER encoding is not valid",
        "PublicKeyIsMissing" => "it does not include its public key",
        "InconsistentComponents" | "InvalidComponent" => "its components do not make one key",
        "VersionNotSupported" => "its PKCS#8 version is not supported",
        "WrongAlgorithm" => "it is not a key for the expected algorithm",
        _ => "it is not a usable key",
    })
}

impl FromStr for PrivateKey {
    type Err = KeyError;

    /// PEM, a JWK, or a service account key file (whose `private_key_id` becomes the key id).
    fn from_str(text: &str) -> Result<Self, KeyError> {
        if !text.trim_start().starts_with('{') {
            return Self::from_pem(text);
        }
        let mut object = jwk::parse_object(text)?;
        let key = if object.contains_key("private_key") {
            crate::service_account::private_key(&object)
        } else {
            jwk::read(&object)
        };
        jwk::wipe(&mut object);
        key
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", &self.algorithm)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    fn member(jwk: &serde_json::Value, name: &str) -> Vec<u8> {
        let text = jwk.get(name).and_then(serde_json::Value::as_str);
        URL_SAFE_NO_PAD
            .decode(text.unwrap_or_default())
            .unwrap_or_default()
    }

    #[test]
    fn generated_keys_sign_and_verify_with_their_public_jwk() -> Result<(), KeyError> {
        let cases: [(Algorithm, &dyn signature::VerificationAlgorithm); 3] = [
            (Algorithm::Es256, &signature::ECDSA_P256_SHA256_FIXED),
            (Algorithm::Es384, &signature::ECDSA_P384_SHA384_FIXED),
            (Algorithm::EdDsa, &signature::ED25519),
        ];
        for (algorithm, verification) in cases {
            let key = PrivateKey::generate(algorithm)?;
            let signature = key.sign(b"message")?;
            let jwk = key.public_jwk();
            let public = match algorithm {
                Algorithm::EdDsa => member(&jwk, "x"),
                _ => [vec![4], member(&jwk, "x"), member(&jwk, "y")].concat(),
            };
            let public = signature::UnparsedPublicKey::new(verification, public);
            assert!(public.verify(b"message", &signature).is_ok(), "{algorithm}");
            assert_eq!(key.thumbprint().len(), 43, "a base64url SHA-256");
        }
        Ok(())
    }

    #[test]
    fn an_algorithm_must_fit_the_key() -> Result<(), KeyError> {
        let key = PrivateKey::generate(Algorithm::Es256)?;
        assert_eq!(
            key.clone().with_algorithm(Algorithm::Rs256).err(),
            Some(KeyError::AlgorithmMismatch {
                algorithm: Algorithm::Rs256,
                key: "P-256"
            })
        );
        assert_eq!(
            key.with_algorithm(Algorithm::Es256)?.algorithm(),
            Algorithm::Es256
        );
        assert_eq!(
            PrivateKey::generate(Algorithm::Rs256).err(),
            Some(KeyError::Unsupported(
                "generating RSA keys; read one instead"
            ))
        );
        Ok(())
    }

    #[test]
    fn algorithms_round_trip_through_their_names() {
        for algorithm in Algorithm::ALL {
            assert_eq!(algorithm.name().parse::<Algorithm>(), Ok(algorithm));
        }
        assert_eq!(
            "HS256".parse::<Algorithm>(),
            Err(KeyError::UnknownAlgorithm)
        );
    }
}
