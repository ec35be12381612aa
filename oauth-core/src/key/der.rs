//! The DER structures of private keys: a SEC1 `ECPrivateKey` (RFC 5915)
//! wrapped in a PKCS#8 `PrivateKeyInfo` (RFC 5208), the form ring reads EC
//! keys in, and the secret number read back out of each structure.

use secrecy::zeroize::Zeroizing;

use super::{Algorithm, KeyError};

/// `AlgorithmIdentifier { id-ecPublicKey, prime256v1 }`, DER-encoded.
const P256: &[u8] = &[
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07,
];

/// `AlgorithmIdentifier { id-ecPublicKey, secp384r1 }`, DER-encoded.
const P384: &[u8] = &[
    0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04,
    0x00, 0x22,
];

/// `version INTEGER 0`.
const VERSION: &[u8] = &[0x02, 0x01, 0x00];

const INTEGER: u8 = 0x02;
const SEQUENCE: u8 = 0x30;
const OCTET_STRING: u8 = 0x04;

/// A kind of key, by the structure that holds its secret number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// PKCS#1 `RSAPrivateKey`: the private exponent `d`, its fourth integer.
    Rsa,
    /// SEC1 `ECPrivateKey`: the private scalar, its octet string.
    Ec,
    /// RFC 8410 `CurvePrivateKey`: an octet string holding the seed.
    Ed25519,
}

/// The `privateKey` octets of a PKCS#8 document: a PKCS#1, SEC1 or RFC 8410 structure.
pub(super) fn pkcs8_private_key(pkcs8: &[u8]) -> Option<&[u8]> {
    let (info, _) = element(pkcs8, SEQUENCE)?;
    let (_version, rest) = element(info, INTEGER)?;
    let (_algorithm, rest) = element(rest, SEQUENCE)?;
    element(rest, OCTET_STRING).map(|(key, _)| key)
}

/// The secret number in `structure`, without leading zero bytes, so DER's
/// sign byte and a JWK's fixed width give the same bytes.
pub(super) fn secret(kind: Kind, structure: &[u8]) -> Option<&[u8]> {
    let number = match kind {
        Kind::Rsa => {
            let (key, _) = element(structure, SEQUENCE)?;
            let mut rest = key;
            // version, n, e; then d.
            for _ in 0..3 {
                rest = element(rest, INTEGER)?.1;
            }
            element(rest, INTEGER)?.0
        }
        Kind::Ec => {
            let (key, _) = element(structure, SEQUENCE)?;
            let (_version, rest) = element(key, INTEGER)?;
            element(rest, OCTET_STRING)?.0
        }
        Kind::Ed25519 => element(structure, OCTET_STRING)?.0,
    };
    Some(significant(number))
}

/// A big-endian number without its leading zero bytes.
pub(super) fn significant(number: &[u8]) -> &[u8] {
    let zeros = number.iter().take_while(|byte| **byte == 0).count();
    number.get(zeros..).unwrap_or_default()
}

/// The content of the DER element at the start of `input` if its tag is
/// `tag`, and what follows it; `None` when it is not one well-formed element.
fn element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    if found != tag {
        return None;
    }
    let (length, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81..=0x84 => {
            let (bytes, rest) = rest.split_at_checked(usize::from(first & 0x7f))?;
            let length = bytes
                .iter()
                .fold(0_usize, |length, byte| (length << 8) | usize::from(*byte));
            (length, rest)
        }
        _ => return None,
    };
    rest.split_at_checked(length)
}

/// `sec1` wrapped as a PKCS#8 document for the curve of `algorithm` (ES256 or
/// ES384); ring then checks that the key is on that curve.
pub(super) fn pkcs8_from_sec1(
    algorithm: Algorithm,
    sec1: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let algorithm_id = if algorithm == Algorithm::Es384 {
        P384
    } else {
        P256
    };
    let content = VERSION.len() + algorithm_id.len() + header_len(sec1.len()) + sec1.len();
    if content > usize::from(u16::MAX) {
        return Err(KeyError::Malformed(
            "the EC key is far longer than any EC key",
        ));
    }
    let mut pkcs8 = Zeroizing::new(Vec::with_capacity(header_len(content) + content));
    push_header(&mut pkcs8, SEQUENCE, content);
    pkcs8.extend_from_slice(VERSION);
    pkcs8.extend_from_slice(algorithm_id);
    push_header(&mut pkcs8, OCTET_STRING, sec1.len());
    pkcs8.extend_from_slice(sec1);
    Ok(pkcs8)
}

/// The length of a DER tag and length for `len` bytes of content, at most 65535.
fn header_len(len: usize) -> usize {
    match len {
        0..0x80 => 2,
        0x80..0x100 => 3,
        _ => 4,
    }
}

fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    let [high, low] = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
    match len {
        0..0x80 => out.push(low),
        0x80..0x100 => out.extend_from_slice(&[0x81, low]),
        _ => out.extend_from_slice(&[0x82, high, low]),
    }
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;
    use ring::signature::{
        ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair,
    };

    use super::*;

    #[test]
    fn rewraps_the_sec1_key_inside_a_pkcs8_document_byte_for_byte() {
        let random = SystemRandom::new();
        let curves = [
            (Algorithm::Es256, &ECDSA_P256_SHA256_FIXED_SIGNING),
            (Algorithm::Es384, &ECDSA_P384_SHA384_FIXED_SIGNING),
        ];
        for (algorithm, signing) in curves {
            let document = EcdsaKeyPair::generate_pkcs8(signing, &random)
                .map(|document| document.as_ref().to_vec())
                .unwrap_or_default();
            // The generated document is SEQUENCE { version, algorithm, OCTET STRING { sec1 } }.
            let algorithm_id = if algorithm == Algorithm::Es384 {
                P384
            } else {
                P256
            };
            let octet_string = header_len(document.len()) + VERSION.len() + algorithm_id.len();
            let long_form = document.get(octet_string + 1) == Some(&0x81);
            let sec1 = document
                .get(octet_string + if long_form { 3 } else { 2 }..)
                .unwrap_or_default();
            let rewrapped = pkcs8_from_sec1(algorithm, sec1).map(|der| der.to_vec());
            assert_eq!(rewrapped, Ok(document), "{algorithm}");
        }
    }

    #[test]
    fn reads_the_secret_number_out_of_each_structure() {
        let random = SystemRandom::new();
        let document = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &random)
            .map(|document| document.as_ref().to_vec())
            .unwrap_or_default();
        let sec1 = pkcs8_private_key(&document).unwrap_or_default();
        let scalar = secret(Kind::Ec, sec1).unwrap_or_default();
        assert!((31..=32).contains(&scalar.len()), "{}", scalar.len());
        assert_eq!(
            pkcs8_from_sec1(Algorithm::Es256, sec1).map(|der| der.to_vec()),
            Ok(document),
            "the octets read are the SEC1 structure"
        );

        // RSAPrivateKey { 0, n = 0x00 0x99, e = 3, d = 0x00 0x80 0x01, ... }: the sign byte goes.
        let rsa = [
            0x30, 0x0f, 0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0x99, 0x02, 0x01, 0x03, 0x02, 0x03,
            0x00, 0x80, 0x01,
        ];
        assert_eq!(secret(Kind::Rsa, &rsa), Some(&[0x80, 0x01][..]));
        let seed = [0x04, 0x03, 0x00, 0x07, 0x08];
        assert_eq!(secret(Kind::Ed25519, &seed), Some(&[0x07, 0x08][..]));
    }

    #[test]
    fn malformed_structures_have_no_secret() {
        let cases: [&[u8]; 6] = [
            &[],
            &[0x30],
            &[0x30, 0x05, 0x02, 0x01],
            &[0x30, 0x85, 0, 0, 0, 0, 1],
            &[0x04, 0x02, 0x00],
            &[0x02, 0x01, 0x01],
        ];
        for case in cases {
            assert_eq!(secret(Kind::Rsa, case), None, "{case:?}");
            assert_eq!(secret(Kind::Ec, case), None, "{case:?}");
            assert_eq!(secret(Kind::Ed25519, case), None, "{case:?}");
        }
        assert_eq!(pkcs8_private_key(&[0x30, 0x03, 0x02, 0x01, 0x00]), None);
    }

    #[test]
    fn lengths_use_the_short_and_long_forms() {
        let mut out = Vec::new();
        push_header(&mut out, OCTET_STRING, 0x7f);
        push_header(&mut out, OCTET_STRING, 0x80);
        push_header(&mut out, OCTET_STRING, 0x1234);
        assert_eq!(out, [0x04, 0x7f, 0x04, 0x81, 0x80, 0x04, 0x82, 0x12, 0x34]);
    }
}
