//! How the sandbox mints tokens and remembers the refresh tokens it issued.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

static ISSUED: AtomicU64 = AtomicU64::new(1);

/// A fresh opaque token, unique within the process: `<prefix>-<n>`.
pub fn opaque_token(prefix: &str) -> String {
    format!("{prefix}-{}", ISSUED.fetch_add(1, Ordering::Relaxed))
}

/// A fresh unsigned JWT whose `exp` lies `lifetime` from now.
pub fn jwt(subject: &str, lifetime: Duration) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let claims = serde_json::json!({
        "sub": subject,
        "iat": now,
        "exp": now + lifetime.as_secs(),
        "jti": ISSUED.fetch_add(1, Ordering::Relaxed),
    });
    format!(
        "{}.{}.sandbox-signature",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The refresh tokens an emulated provider has issued and not yet redeemed.
#[derive(Debug, Default)]
pub struct RefreshTokens {
    live: Mutex<HashSet<String>>,
}

impl RefreshTokens {
    /// Issues a new refresh token.
    pub fn issue(&self, prefix: &str) -> String {
        let token = opaque_token(prefix);
        self.with_live(|live| live.insert(token.clone()));
        token
    }

    /// Redeems a refresh token once: rotation makes the old one worthless.
    pub fn redeem(&self, token: &str) -> bool {
        self.with_live(|live| live.remove(token))
    }

    /// Forgets every refresh token, as a provider does when it revokes a grant.
    pub fn revoke_all(&self) {
        self.with_live(|live| {
            live.clear();
            true
        });
    }

    fn with_live(&self, change: impl FnOnce(&mut HashSet<String>) -> bool) -> bool {
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        change(&mut live)
    }
}
