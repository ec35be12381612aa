//! A caller's own request, sent with a [`TokenSource`]'s token: Bearer, or
//! DPoP with a proof of the request; retried once with a new token on 401,
//! and once with the resource server's nonce when it asks for one.

use http::StatusCode;
use http::header::{AUTHORIZATION, HeaderValue};

use crate::dpop::{Nonces, resource_retry};
use crate::error::{RequestKind, TransportError};
use crate::{Error, Token, TokenSource};

/// Sends `request` authorized with `source`'s token.
pub(crate) async fn send<S: TokenSource + ?Sized>(
    source: &S,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, Error> {
    let name = source.source_name();
    let (client, request) = request.build_split();
    let mut request = request.map_err(|error| failed(name, error))?;
    let fresh = Nonces::new();
    let nonces = source.dpop_nonces().unwrap_or(&fresh);
    let mut token = source.token().await?;
    let (mut nonce_retry, mut token_retry) = (true, true);
    loop {
        let spare = request.try_clone();
        let response = send_once(&client, request, &token, nonces, name).await?;
        let Some(spare) = spare.filter(|_| response.status() == StatusCode::UNAUTHORIZED) else {
            return Ok(response);
        };
        let challenged =
            token.is_dpop() && resource_retry(response.status(), response.headers()).is_some();
        if challenged && nonce_retry {
            nonce_retry = false;
        } else if token_retry {
            token_retry = false;
            source.invalidate_token(&token);
            token = source.token().await?;
        } else {
            return Ok(response);
        }
        request = spare;
    }
}

/// Sends `request` once with `token`, keeping any nonce the server gives.
async fn send_once(
    client: &reqwest::Client,
    mut request: reqwest::Request,
    token: &Token,
    nonces: &Nonces,
    name: &'static str,
) -> Result<reqwest::Response, Error> {
    authorize(&mut request, token, nonces)?;
    let url = request.url().clone();
    let response = client
        .execute(request)
        .await
        .map_err(|error| failed(name, error))?;
    if token.is_dpop() {
        nonces.observe_resource(&url, response.headers());
    }
    Ok(response)
}

/// Sets `Authorization`, and a `DPoP` proof for a DPoP-bound token.
fn authorize(request: &mut reqwest::Request, token: &Token, nonces: &Nonces) -> Result<(), Error> {
    let secret = token.access_token().expose_secret();
    #[cfg(feature = "jwt")]
    if token.is_dpop() {
        use crate::dpop::possession::{PROOF_HEADER, sensitive};

        let nonce = nonces.resource(request.url());
        let context = crate::RequestContext::system();
        let proof =
            token.dpop_proof(request.method(), request.url(), nonce.as_deref(), &context)?;
        if let Some(proof) = proof {
            let headers = request.headers_mut();
            headers.insert(AUTHORIZATION, credential(&format!("DPoP {secret}"))?);
            headers.insert(PROOF_HEADER, sensitive(proof.expose_secret())?);
            return Ok(());
        }
    }
    let _ = nonces;
    let value = credential(&format!("Bearer {secret}"))?;
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

/// An `Authorization` value, marked sensitive; the error does not quote it.
fn credential(value: &str) -> Result<HeaderValue, Error> {
    let mut value =
        HeaderValue::from_str(value).map_err(|_| crate::ConfigError::InvalidHeaderValue {
            header: AUTHORIZATION.as_str().to_owned(),
        })?;
    value.set_sensitive(true);
    Ok(value)
}

fn failed(name: &'static str, error: reqwest::Error) -> Error {
    let failure = crate::transport::reqwest::failure(error);
    Error::Transport(TransportError::new(name, RequestKind::Authorized, failure))
}
