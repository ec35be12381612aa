use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A credential: a client secret, password, API key, access or refresh token.
///
/// `Debug` and `Display` print `[redacted]`, the memory is zeroed on drop, and
/// the value is not `Serialize`: the only way to read it is
/// [`expose_secret`](Secret::expose_secret), so every place that reads it says so.
///
/// ```
/// use oauth_core::Secret;
///
/// let secret = Secret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "[redacted]");
/// assert_eq!(secret.expose_secret(), "s3cr3t");
/// ```
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The credential itself. Call it only where the value must leave the process.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// The number of bytes in the credential, which is safe to show.
    pub fn len(&self) -> usize {
        self.expose_secret().len()
    }

    /// Whether the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.expose_secret().is_empty()
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Self::new(self.expose_secret())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(value))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(secret.to_string(), "[redacted]");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some([redacted])");
        assert_eq!(secret.clone().expose_secret(), "hunter2");
        assert_eq!(secret.len(), 7);
    }
}
