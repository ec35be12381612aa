//! One token exchange, as data in and data out: the request is checked and
//! turned into an [`HttpRequest`], the response is capped and parsed. The
//! async and blocking paths share every step but the sending.

use std::time::SystemTime;

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use tracing::Instrument as _;

use crate::endpoint_url::check_endpoint_url;
use crate::error::{MalformedResponse, Problem, RequestKind, TransportError};
use crate::transport::{BlockingTransport, HttpRequest, HttpResponse, Transport, TransportFailure};
use crate::{Error, Scrubber, Secret, Token, TokenEndpoint, TokenRequest, TokenResponse};

/// A request ready to send, with what is needed to read its answer.
pub(crate) struct Prepared {
    request: HttpRequest,
    kind: RequestKind,
    span: tracing::Span,
    /// The request's secret values, struck from whatever the provider answers.
    scrubber: Scrubber,
}

/// Builds and checks the token request.
pub(crate) fn prepare_token<P: TokenEndpoint + ?Sized>(provider: &P) -> Result<Prepared, Error> {
    prepare_request(provider, RequestKind::Token, provider.build_request()?)
}

/// Builds and checks the refresh request; `Ok(None)` when the provider declares no refresh.
pub(crate) fn prepare_refresh<P: TokenEndpoint + ?Sized>(
    provider: &P,
    refresh_token: &Secret,
) -> Result<Option<Prepared>, Error> {
    provider
        .build_refresh_request(refresh_token)?
        .map(|request| prepare_request(provider, RequestKind::Refresh, request))
        .transpose()
}

fn prepare_request<P: TokenEndpoint + ?Sized>(
    provider: &P,
    kind: RequestKind,
    mut request: TokenRequest,
) -> Result<Prepared, Error> {
    check_endpoint_url(request.url(), "token URL")?;
    let scrubber = request.take_scrubber();
    // Fields name the provider and the request, never a credential or a body.
    let span = tracing::debug_span!(
        "oauth_token_request",
        provider = provider.provider_name(),
        request = %kind
    );
    Ok(Prepared {
        request: request.into_http()?,
        kind,
        span,
        scrubber,
    })
}

/// Reads the transport's outcome: a failure, a body over `limit`, or the provider's answer.
pub(crate) fn finish<P: TokenEndpoint + ?Sized>(
    provider: &P,
    kind: RequestKind,
    outcome: Result<HttpResponse, TransportFailure>,
    limit: usize,
    scrubber: &Scrubber,
) -> Result<Token, Error> {
    let received_at = SystemTime::now();
    let name = provider.provider_name();
    let response =
        outcome.map_err(|failure| Error::Transport(TransportError::new(name, kind, failure)))?;
    let (parts, body) = response.into_parts();
    // Provider text, so scrubbed before it reaches a log line or an error; only then, as it costs.
    let content_type = || {
        parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|content_type| scrubber.scrub(content_type).into_owned())
    };
    if tracing::enabled!(tracing::Level::TRACE) {
        tracing::trace!(
            status = parts.status.as_u16(),
            content_type = content_type().as_deref(),
            bytes = body.len(),
            "response read"
        );
    }
    let declared_length = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if body.len() > limit || declared_length.is_some_and(|length| length > limit as u64) {
        return Err(Error::MalformedResponse(MalformedResponse {
            provider: name,
            status: parts.status,
            content_type: content_type(),
            problem: Problem::TooLarge { limit },
        }));
    }
    provider.parse_response(
        &TokenResponse::new(parts.status, &parts.headers, &body)
            .with_received_at(received_at)
            .with_scrubber(scrubber),
    )
}

fn report(outcome: &Result<Token, Error>) {
    match outcome {
        Ok(token) => tracing::debug!(
            token_type = token.token_type(),
            expires_in_secs = token.expires_in().map(|lifetime| lifetime.as_secs()),
            refresh_token = token.refresh_token().is_some(),
            "token received"
        ),
        Err(error) => tracing::debug!(error = %error, "token request failed"),
    }
}

/// Sends a prepared request with an async transport and reads the answer.
pub(crate) async fn send<P: TokenEndpoint + ?Sized>(
    transport: &dyn Transport,
    provider: &P,
    prepared: Prepared,
) -> Result<Token, Error> {
    let limit = transport.max_response_bytes();
    let outcome = transport
        .send(prepared.request, limit)
        .instrument(prepared.span.clone())
        .await;
    let _entered = prepared.span.enter();
    let token = finish(provider, prepared.kind, outcome, limit, &prepared.scrubber);
    report(&token);
    token
}

/// Sends a prepared request on this thread and reads the answer.
pub(crate) fn send_blocking<P: TokenEndpoint + ?Sized>(
    transport: &dyn BlockingTransport,
    provider: &P,
    prepared: Prepared,
) -> Result<Token, Error> {
    let _entered = prepared.span.enter();
    let limit = transport.max_response_bytes();
    let outcome = transport.send(prepared.request, limit);
    let token = finish(provider, prepared.kind, outcome, limit, &prepared.scrubber);
    report(&token);
    token
}
