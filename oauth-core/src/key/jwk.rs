//! JSON Web Keys (RFC 7517, RFC 7518 section 6, RFC 8037): private keys in, public keys and thumbprints out.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest;
use ring::rand::SystemRandom;
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RsaKeyPair};
use secrecy::zeroize::{Zeroize as _, Zeroizing};
use serde_json::{Map, Value};

use super::{Algorithm, KeyError, Pair, PrivateKey, ecdsa_signing, rejected};

/// The members that hold private key material, wiped once the key is read.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// `text` as a JSON object; the error says only that it is not one.
pub(super) fn parse_object(text: &str) -> Result<Map<String, Value>, KeyError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(KeyError::Malformed("not a JSON object")),
    }
}

/// Overwrites the private members of a parsed key, so no copy outlives the read.
pub(super) fn wipe(object: &mut Map<String, Value>) {
    for name in PRIVATE_MEMBERS.into_iter().chain(["private_key"]) {
        if let Some(Value::String(text)) = object.get_mut(name) {
            text.zeroize();
        }
    }
}

/// The private key a JWK object describes, with its `kid` and `alg`.
pub(super) fn read(jwk: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    if !jwk.contains_key("d") {
        return Err(KeyError::Unsupported(
            "a public JWK; signing needs the private key (`d`)",
        ));
    }
    let key = match text(jwk, "kty")? {
        "RSA" => rsa(jwk)?,
        "EC" => ecdsa(jwk)?,
        "OKP" => ed25519(jwk)?,
        _ => {
            return Err(KeyError::Unsupported(
                "JWK key types other than RSA, EC and OKP",
            ));
        }
    };
    let key = key.named_by(super::der::significant(&bytes(jwk, "d")?));
    let key = match jwk.get("alg") {
        None => key,
        Some(Value::String(alg)) => key.with_algorithm(alg.parse()?)?,
        Some(_) => return Err(KeyError::JwkMember("alg")),
    };
    Ok(match jwk.get("kid") {
        Some(Value::String(kid)) => key.with_key_id(kid.as_str()),
        _ => key,
    })
}

fn rsa(jwk: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    if jwk.contains_key("oth") {
        return Err(KeyError::Unsupported("multi-prime RSA keys"));
    }
    if !jwk.contains_key("p") {
        return Err(KeyError::Unsupported(
            "RSA JWKs without their CRT members (p, q, dp, dq, qi)",
        ));
    }
    let components = KeyPairComponents {
        public_key: PublicKeyComponents {
            n: bytes(jwk, "n")?,
            e: bytes(jwk, "e")?,
        },
        d: bytes(jwk, "d")?,
        p: bytes(jwk, "p")?,
        q: bytes(jwk, "q")?,
        dP: bytes(jwk, "dp")?,
        dQ: bytes(jwk, "dq")?,
        qInv: bytes(jwk, "qi")?,
    };
    RsaKeyPair::from_components(&components)
        .map(|pair| PrivateKey::new(Pair::Rsa(pair), Algorithm::Rs256))
        .map_err(rejected)
}

fn ecdsa(jwk: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    let algorithm = match text(jwk, "crv")? {
        "P-256" => Algorithm::Es256,
        "P-384" => Algorithm::Es384,
        _ => {
            return Err(KeyError::Unsupported(
                "EC curves other than P-256 and P-384",
            ));
        }
    };
    let point = [
        vec![0x04],
        bytes(jwk, "x")?.to_vec(),
        bytes(jwk, "y")?.to_vec(),
    ]
    .concat();
    let private = bytes(jwk, "d")?;
    let signing = ecdsa_signing(algorithm);
    EcdsaKeyPair::from_private_key_and_public_key(signing, &private, &point, &SystemRandom::new())
        .map(|pair| PrivateKey::new(Pair::Ecdsa(pair), algorithm))
        .map_err(rejected)
}

fn ed25519(jwk: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    if text(jwk, "crv")? != "Ed25519" {
        return Err(KeyError::Unsupported("OKP curves other than Ed25519"));
    }
    Ed25519KeyPair::from_seed_and_public_key(&bytes(jwk, "d")?, &bytes(jwk, "x")?)
        .map(|pair| PrivateKey::new(Pair::Ed25519(pair), Algorithm::EdDsa))
        .map_err(rejected)
}

fn text<'j>(jwk: &'j Map<String, Value>, name: &'static str) -> Result<&'j str, KeyError> {
    jwk.get(name)
        .and_then(Value::as_str)
        .ok_or(KeyError::JwkMember(name))
}

/// A base64url member, decoded into a buffer that is zeroed on drop.
fn bytes(jwk: &Map<String, Value>, name: &'static str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    URL_SAFE_NO_PAD
        .decode(text(jwk, name)?)
        .map(Zeroizing::new)
        .map_err(|_| KeyError::JwkMember(name))
}

/// The public JWK of a key: exactly the members RFC 7638 hashes, in its order.
pub(super) fn public(pair: &Pair, algorithm: Algorithm) -> Map<String, Value> {
    let encode = |bytes: &[u8]| Value::String(URL_SAFE_NO_PAD.encode(bytes));
    let mut jwk = Map::new();
    match pair {
        Pair::Rsa(pair) => {
            let components = PublicKeyComponents::<Vec<u8>>::from(pair.public());
            jwk.insert("e".into(), encode(&components.e));
            jwk.insert("kty".into(), "RSA".into());
            jwk.insert("n".into(), encode(&components.n));
        }
        Pair::Ecdsa(pair) => {
            // An uncompressed point: 0x04, then x and y of equal length.
            let point = pair.public_key().as_ref().get(1..).unwrap_or_default();
            let (x, y) = point.split_at(point.len() / 2);
            let curve = if algorithm == Algorithm::Es384 {
                "P-384"
            } else {
                "P-256"
            };
            jwk.insert("crv".into(), curve.into());
            jwk.insert("kty".into(), "EC".into());
            jwk.insert("x".into(), encode(x));
            jwk.insert("y".into(), encode(y));
        }
        Pair::Ed25519(pair) => {
            jwk.insert("crv".into(), "Ed25519".into());
            jwk.insert("kty".into(), "OKP".into());
            jwk.insert("x".into(), encode(pair.public_key().as_ref()));
        }
    }
    jwk
}

/// RFC 7638: SHA-256 over the required members, sorted, without whitespace.
pub(super) fn thumbprint(public: &Map<String, Value>) -> String {
    let mut members: Vec<(&String, &Value)> = public.iter().collect();
    members.sort_by_key(|(name, _)| *name);
    let canonical = members
        .iter()
        .map(|(name, value)| format!("{}:{value}", Value::from(name.as_str())))
        .collect::<Vec<_>>()
        .join(",");
    let digest = digest::digest(&digest::SHA256, format!("{{{canonical}}}").as_bytes());
    URL_SAFE_NO_PAD.encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_the_example_of_rfc_7638() {
        let example = serde_json::json!({
            "kty": "RSA",
            "e": "AQAB",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        });
        let Value::Object(example) = example else {
            return;
        };
        assert_eq!(
            thumbprint(&example),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn private_members_are_wiped_after_reading() -> Result<(), KeyError> {
        let mut object = parse_object(r#"{"kty":"OKP","crv":"Ed25519","d":"c2VjcmV0","x":"AA"}"#)?;
        wipe(&mut object);
        assert_eq!(object.get("d"), Some(&Value::from("")));
        assert_eq!(object.get("x"), Some(&Value::from("AA")));
        Ok(())
    }

    #[test]
    fn public_and_unknown_keys_are_refused_with_a_reason() {
        let cases = [
            ("[]", KeyError::Malformed("not a JSON object")),
            (
                r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
                KeyError::Unsupported("a public JWK; signing needs the private key (`d`)"),
            ),
            (
                r#"{"kty":"oct","k":"AA","d":"AA"}"#,
                KeyError::Unsupported("JWK key types other than RSA, EC and OKP"),
            ),
            (
                r#"{"kty":"EC","crv":"P-521","x":"AA","y":"AA","d":"AA"}"#,
                KeyError::Unsupported("EC curves other than P-256 and P-384"),
            ),
            (
                r#"{"kty":"EC","crv":"P-256","x":"AA","d":"AA"}"#,
                KeyError::JwkMember("y"),
            ),
            (
                r#"{"kty":"OKP","crv":"Ed25519","x":"!","d":"AA"}"#,
                KeyError::JwkMember("x"),
            ),
            (
                r#"{"kty":"RSA","n":"AA","e":"AQAB","d":"AA"}"#,
                KeyError::Unsupported("RSA JWKs without their CRT members (p, q, dp, dq, qi)"),
            ),
        ];
        for (text, expected) in cases {
            let key = parse_object(text).and_then(|object| read(&object));
            assert_eq!(key.err(), Some(expected), "{text}");
        }
    }
}
