//! The test-only keys under `tests/keys/` (made by `tests/keys/generate.sh`,
//! never used anywhere real), and a JWS verifier independent of the runtime:
//! *ring*'s verification with the public keys that script wrote.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde_json::Value;

/// A 2048-bit RSA key, PKCS#8.
pub const RSA_PKCS8: &str = include_str!("../keys/rsa.pkcs8.pem");
/// The same RSA key, PKCS#1.
pub const RSA_PKCS1: &str = include_str!("../keys/rsa.pkcs1.pem");
/// The same RSA key as a private JWK, `kid` `test-rsa`.
pub const RSA_JWK: &str = include_str!("../keys/rsa.jwk.json");
/// The RSA key's public JWK.
pub const RSA_PUBLIC: &str = include_str!("../keys/rsa.public.jwk.json");
/// Another RSA key: the wrong one.
pub const OTHER_RSA_PKCS8: &str = include_str!("../keys/other-rsa.pkcs8.pem");
/// The other RSA key as a private JWK.
pub const OTHER_RSA_JWK: &str = include_str!("../keys/other-rsa.jwk.json");
/// A 1024-bit RSA key, too small to sign with.
pub const RSA_1024_PKCS8: &str = include_str!("../keys/rsa1024.pkcs8.pem");
/// A P-256 key, SEC1 after an `EC PARAMETERS` section, as `openssl ecparam -genkey` writes it.
pub const P256_SEC1: &str = include_str!("../keys/p256.sec1.pem");
/// The same P-256 key, PKCS#8.
pub const P256_PKCS8: &str = include_str!("../keys/p256.pkcs8.pem");
/// The same P-256 key as a private JWK, `kid` `test-p256`.
pub const P256_JWK: &str = include_str!("../keys/p256.jwk.json");
/// The P-256 key's public JWK.
pub const P256_PUBLIC: &str = include_str!("../keys/p256.public.jwk.json");
/// A P-384 key, SEC1.
pub const P384_SEC1: &str = include_str!("../keys/p384.sec1.pem");
/// The same P-384 key, PKCS#8.
pub const P384_PKCS8: &str = include_str!("../keys/p384.pkcs8.pem");
/// The same P-384 key as a private JWK, `kid` `test-p384`.
pub const P384_JWK: &str = include_str!("../keys/p384.jwk.json");
/// The P-384 key's public JWK.
pub const P384_PUBLIC: &str = include_str!("../keys/p384.public.jwk.json");
/// An Ed25519 key, PKCS#8.
pub const ED25519_PKCS8: &str = include_str!("../keys/ed25519.pkcs8.pem");
/// The same Ed25519 key as a private JWK, `kid` `test-ed25519`.
pub const ED25519_JWK: &str = include_str!("../keys/ed25519.jwk.json");
/// The Ed25519 key's public JWK.
pub const ED25519_PUBLIC: &str = include_str!("../keys/ed25519.public.jwk.json");
/// The P-256 key, encrypted with the passphrase `test-only`.
pub const ENCRYPTED_PKCS8: &str = include_str!("../keys/encrypted.pkcs8.pem");
/// A service account key file holding the RSA key, `private_key_id` `test-service-account-key`.
pub const SERVICE_ACCOUNT: &str = include_str!("../keys/service-account.json");

/// The lines of a PEM's base64 body: any of them appearing somewhere is the key leaking.
pub fn pem_body_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("-----"))
        .collect()
}

/// How a test verifies an assertion's signature.
#[derive(Clone, Debug)]
pub enum Verifier {
    /// With a public JWK.
    Public(Value),
    /// HS256 with a shared secret.
    Secret(String),
}

impl Verifier {
    /// A verifier for one of the public JWK fixtures.
    pub fn public(jwk: &str) -> Self {
        Self::Public(serde_json::from_str(jwk).unwrap_or_default())
    }
}

/// The header and claims of a compact JWS whose signature `verifier` accepts.
pub fn verify(jwt: &str, verifier: &Verifier) -> Result<(Value, Value), String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err(format!("a JWS has three parts, not {}", parts.len()));
    };
    let header_json = decode_json(header)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "the signature is not base64url")?;
    let signed = format!("{header}.{claims}");
    let algorithm = header_json["alg"].as_str().unwrap_or_default();
    let verified = match verifier {
        Verifier::Secret(secret) if algorithm == "HS256" => {
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
            ring::hmac::verify(&key, signed.as_bytes(), &signature).is_ok()
        }
        Verifier::Public(jwk) => verify_public(jwk, algorithm, signed.as_bytes(), &signature)?,
        Verifier::Secret(_) => return Err(format!("{algorithm} is not HS256")),
    };
    if !verified {
        return Err("the signature does not verify".into());
    }
    Ok((header_json, decode_json(claims)?))
}

fn verify_public(
    jwk: &Value,
    algorithm: &str,
    signed: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let member = |name: &str| {
        URL_SAFE_NO_PAD
            .decode(jwk[name].as_str().unwrap_or_default())
            .map_err(|_| format!("the public JWK's `{name}` is not base64url"))
    };
    let rsa = |params: &'static signature::RsaParameters| -> Result<bool, String> {
        let public = RsaPublicKeyComponents {
            n: member("n")?,
            e: member("e")?,
        };
        Ok(public.verify(params, signed, signature).is_ok())
    };
    let point =
        || -> Result<Vec<u8>, String> { Ok([vec![4], member("x")?, member("y")?].concat()) };
    match algorithm {
        "RS256" => rsa(&signature::RSA_PKCS1_2048_8192_SHA256),
        "RS384" => rsa(&signature::RSA_PKCS1_2048_8192_SHA384),
        "RS512" => rsa(&signature::RSA_PKCS1_2048_8192_SHA512),
        "PS256" => rsa(&signature::RSA_PSS_2048_8192_SHA256),
        "ES256" => Ok(
            UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point()?)
                .verify(signed, signature)
                .is_ok(),
        ),
        "ES384" => Ok(
            UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, point()?)
                .verify(signed, signature)
                .is_ok(),
        ),
        "EdDSA" => Ok(UnparsedPublicKey::new(&signature::ED25519, member("x")?)
            .verify(signed, signature)
            .is_ok()),
        other => Err(format!("unexpected algorithm {other:?}")),
    }
}

fn decode_json(segment: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| "a JWS segment is not base64url")?;
    serde_json::from_slice(&bytes).map_err(|error| format!("a JWS segment is not JSON: {error}"))
}
