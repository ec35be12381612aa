//! Reading the `exp` claim of a JWT access token, for providers whose response gives no lifetime.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::body::Key;

/// JWT segments are unpadded base64url, but some issuers pad them anyway.
const SEGMENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded claims that fit on the stack.
const CLAIMS_ON_STACK: usize = 512;

/// When the token expires according to its `exp` claim, if it is a JWT that has one.
///
/// The signature is not checked: the client only schedules a refresh with it,
/// the resource server is the one that must verify the token.
pub(crate) fn expiry(token: &str) -> Option<SystemTime> {
    let (_header, rest) = token.split_once('.')?;
    let (payload, signature) = rest.split_once('.')?;
    if signature.contains('.') {
        return None;
    }
    // The claims of a token's usual size decode on the stack; longer ones need the heap.
    let mut stack = [0; CLAIMS_ON_STACK];
    let heap;
    let claims = match SEGMENT.decode_slice(payload, &mut stack) {
        Ok(length) => stack.get(..length)?,
        Err(base64::DecodeSliceError::OutputSliceTooSmall) => {
            heap = SEGMENT.decode(payload).ok()?;
            heap.as_slice()
        }
        Err(base64::DecodeSliceError::DecodeError(_)) => return None,
    };
    let exp = serde_json::from_slice::<ExpClaim>(claims).ok()?.0?;
    let since_epoch = Duration::try_from_secs_f64(exp).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(since_epoch)
}

/// The `exp` claim of a claims object; every other claim is skipped unread.
struct ExpClaim(Option<f64>);

impl<'de> serde::Deserialize<'de> for ExpClaim {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClaimsVisitor;

        impl<'de> Visitor<'de> for ClaimsVisitor {
            type Value = ExpClaim;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a JWT claims object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut claims: A) -> Result<ExpClaim, A::Error> {
                let mut exp = None;
                while let Some(Key(name)) = claims.next_key()? {
                    if name == "exp" {
                        exp = claims.next_value::<Option<f64>>()?;
                    } else {
                        claims.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(ExpClaim(exp))
            }
        }

        deserializer.deserialize_map(ClaimsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            engine.encode(r#"{"alg":"none"}"#),
            engine.encode(claims)
        )
    }

    #[test]
    fn reads_exp_as_seconds_since_the_epoch() {
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(expiry(&jwt(r#"{"exp":1700000000}"#)), Some(expected));
    }

    #[test]
    fn long_claims_are_read_too() {
        let padding = "x".repeat(4 * CLAIMS_ON_STACK);
        let claims = format!(r#"{{"pad":"{padding}","exp":1700000000}}"#);
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(expiry(&jwt(&claims)), Some(expected));
    }

    #[test]
    fn anything_else_has_no_expiry() {
        assert_eq!(expiry("opaque-token"), None);
        assert_eq!(expiry(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(expiry(&jwt(r#"{"exp":-5}"#)), None);
        assert_eq!(expiry("a.%%%.c"), None);
        assert_eq!(expiry(&format!("{}.extra", jwt(r#"{"exp":1}"#))), None);
        assert_eq!(expiry("a.b"), None);
    }
}
