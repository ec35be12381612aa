//! The PEM armor around a private key's DER (RFC 7468), read into buffers that are zeroed on drop.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::zeroize::Zeroizing;

use super::KeyError;

/// The DER structures a PEM private key comes in.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `PRIVATE KEY`: PKCS#8, any kind of key.
    Pkcs8,
    /// `RSA PRIVATE KEY`: PKCS#1.
    Pkcs1,
    /// `EC PRIVATE KEY`: SEC1.
    Sec1,
}

/// The first private key section of `text`, decoded; other sections are skipped.
pub(super) fn decode(text: &str) -> Result<(Form, Zeroizing<Vec<u8>>), KeyError> {
    // A key pasted into an environment variable often has `\n` escapes for its line breaks.
    let unescaped = (!text.contains('\n') && text.contains("\\n"))
        .then(|| Zeroizing::new(text.replace("\\n", "\n")));
    let text = unescaped.as_deref().map_or(text, String::as_str);
    let mut lines = text.lines().map(str::trim);
    let mut found_public = false;
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        else {
            continue;
        };
        let form = match label {
            "PRIVATE KEY" => Form::Pkcs8,
            "RSA PRIVATE KEY" => Form::Pkcs1,
            "EC PRIVATE KEY" => Form::Sec1,
            "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
            other => {
                found_public |= other.ends_with("PUBLIC KEY") || other == "CERTIFICATE";
                continue;
            }
        };
        return Ok((form, body(&mut lines, label, text.len())?));
    }
    Err(if found_public {
        KeyError::Unsupported("the PEM holds a public key or a certificate, not a private key")
    } else {
        KeyError::Malformed("no PEM private key section (-----BEGIN PRIVATE KEY-----)")
    })
}

/// The base64 lines up to the section's END line, decoded.
fn body<'a>(
    lines: &mut impl Iterator<Item = &'a str>,
    label: &str,
    capacity: usize,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let end = format!("-----END {label}-----");
    // Sized once up front: a buffer that grew would leave copies of the key behind.
    let mut encoded = Zeroizing::new(String::with_capacity(capacity));
    for line in lines {
        if line == end {
            return STANDARD
                .decode(encoded.as_bytes())
                .map(Zeroizing::new)
                .map_err(|_| KeyError::Malformed("the PEM body is not valid base64"));
        }
        if line.contains(':') {
            // RFC 1421 headers only ever precede a key encrypted the legacy OpenSSL way.
            return Err(if line.contains("ENCRYPTED") {
                KeyError::Encrypted
            } else {
                KeyError::Malformed("the PEM body has headers")
            });
        }
        encoded.push_str(line);
    }
    Err(KeyError::Malformed("the PEM section has no END line"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Result<Form, KeyError> {
        decode(text).map(|(form, _)| form)
    }

    #[test]
    fn finds_the_private_key_among_other_sections() {
        let text = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n\
                    -----BEGIN EC PRIVATE KEY-----\r\nAAEC\r\nAw==\r\n-----END EC PRIVATE KEY-----\n";
        let (found, der) = decode(text).unwrap_or((Form::Pkcs8, Zeroizing::new(Vec::new())));
        assert_eq!(found, Form::Sec1);
        assert_eq!(*der, [0, 1, 2, 3]);
        let escaped = r"-----BEGIN RSA PRIVATE KEY-----\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(
            form(escaped),
            Ok(Form::Pkcs1),
            "`\\n` escapes are line breaks"
        );
    }

    #[test]
    fn says_what_is_wrong_without_quoting_the_key() {
        let cases = [
            (
                "",
                KeyError::Malformed("no PEM private key section (-----BEGIN PRIVATE KEY-----)"),
            ),
            (
                "-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----",
                KeyError::Unsupported(
                    "the PEM holds a public key or a certificate, not a private key",
                ),
            ),
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAEC\n",
                KeyError::Encrypted,
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAEC\n-----END RSA PRIVATE KEY-----",
                KeyError::Encrypted,
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAA!C\n-----END PRIVATE KEY-----",
                KeyError::Malformed("the PEM body is not valid base64"),
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAEC\n",
                KeyError::Malformed("the PEM section has no END line"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(form(text), Err(expected), "{text:?}");
        }
    }
}
