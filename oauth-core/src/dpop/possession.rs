//! Which key a token request proves possession of, and the token it binds:
//! a new key for a new grant, the token's own key for its refresh.

use http::HeaderValue;

#[cfg(feature = "jwt")]
use crate::{DpopKey, RequestContext};
use crate::{Error, Token, TokenEndpoint, TokenRequest};

/// The header a proof travels in: `DPoP`.
pub const PROOF_HEADER: http::HeaderName = http::HeaderName::from_static("dpop");

/// The DPoP key of one token exchange; none when the provider sends no proofs.
#[derive(Clone, Default)]
pub(crate) struct Possession {
    #[cfg(feature = "jwt")]
    key: Option<DpopKey>,
}

impl Possession {
    /// A new key, when the provider proves possession: a new grant starts a new lineage.
    pub(crate) fn for_grant<P: TokenEndpoint + ?Sized>(provider: &P) -> Result<Self, Error> {
        #[cfg(feature = "jwt")]
        if let Some(algorithm) = provider.dpop() {
            let key = DpopKey::generate(algorithm)?;
            return Ok(Self { key: Some(key) });
        }
        let _ = provider;
        Ok(Self::default())
    }

    /// The key `lineage` is bound to, so the refreshed token stays bound to it;
    /// a new one when the provider proves possession and no token says which.
    pub(crate) fn for_renewal<P: TokenEndpoint + ?Sized>(
        provider: &P,
        lineage: Option<&Token>,
    ) -> Result<Self, Error> {
        #[cfg(feature = "jwt")]
        if let Some(key) = lineage.and_then(Token::dpop_key) {
            return Ok(Self {
                key: Some(key.clone()),
            });
        }
        let _ = lineage;
        Self::for_grant(provider)
    }

    /// Whether requests carry a proof, so a server may ask for a nonce.
    pub(crate) fn proves(&self) -> bool {
        #[cfg(feature = "jwt")]
        return self.key.is_some();
        #[cfg(not(feature = "jwt"))]
        false
    }

    /// The `DPoP` header for `request`, with the server's `nonce` if it gave one.
    pub(crate) fn proof(
        &self,
        request: &TokenRequest,
        nonce: Option<&str>,
    ) -> Result<Option<HeaderValue>, Error> {
        #[cfg(feature = "jwt")]
        if let Some(key) = &self.key {
            let context = RequestContext::system();
            let proof = key.proof(request.method(), request.url(), None, nonce, &context)?;
            return sensitive(proof.expose_secret()).map(Some);
        }
        let _ = (request, nonce);
        Ok(None)
    }

    /// `token` bound to the key its request proved; a Bearer token keeps the key for its refreshes.
    pub(crate) fn bind(&self, token: Token) -> Token {
        #[cfg(feature = "jwt")]
        if let Some(key) = &self.key {
            return token.with_dpop_key(key.clone());
        }
        token
    }
}

/// A header value that carries a credential, marked so that HTTP libraries do not print it.
#[cfg(feature = "jwt")]
pub(crate) fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut value =
        HeaderValue::from_str(value).map_err(|_| crate::ConfigError::InvalidHeaderValue {
            header: PROOF_HEADER.as_str().to_owned(),
        })?;
    value.set_sensitive(true);
    Ok(value)
}
