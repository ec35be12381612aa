//! One token exchange, as data in and data out: the request is checked and
//! turned into an [`HttpRequest`], the response is capped and parsed. The
//! async and blocking paths share every step but the sending.
//!
//! A provider that proves possession of a DPoP key sends its proof with every
//! request; asked for a nonce, the exchange builds the request again with it
//! and sends it once more.

use std::time::SystemTime;

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use tracing::Instrument as _;

use crate::dpop::possession::{PROOF_HEADER, Possession};
use crate::dpop::{Nonces, token_endpoint_retry};
use crate::endpoint_url::check_endpoint_url;
use crate::error::{MalformedResponse, Problem, RequestKind, TransportError};
use crate::transport::{BlockingTransport, HttpRequest, HttpResponse, Transport, TransportFailure};
use crate::{Error, Scrubber, Secret, Token, TokenEndpoint, TokenRequest, TokenResponse};

/// A request ready to send, with what is needed to read its answer.
struct Prepared {
    request: HttpRequest,
    kind: RequestKind,
    span: tracing::Span,
    /// The request's secret values, struck from whatever the provider answers.
    scrubber: Scrubber,
}

/// Which request an exchange sends.
#[derive(Clone, Copy)]
enum Grant<'a> {
    /// The provider's token request.
    Token,
    /// The provider's refresh request, with this refresh token.
    Refresh(&'a Secret),
}

/// What an exchange needs to build its request again, with a server's nonce.
struct Plan<'a, P: ?Sized> {
    provider: &'a P,
    grant: Grant<'a>,
    possession: Possession,
    nonces: &'a Nonces,
}

/// A token exchange about to be sent: its first request, built and checked.
pub(crate) struct Exchange<'a, P: ?Sized> {
    plan: Plan<'a, P>,
    first: Prepared,
}

/// What an exchange does once a response is read.
enum After {
    /// Sends this request: the server asked for a proof with its nonce. Rare, so boxed.
    Send(Box<Prepared>),
    /// Ends with this outcome.
    Finish(Result<Token, Error>),
}

impl<'a, P: TokenEndpoint + ?Sized> Exchange<'a, P> {
    /// The token request, proving a new DPoP key when the provider uses DPoP.
    pub(crate) fn token(provider: &'a P, nonces: &'a Nonces) -> Result<Self, Error> {
        let possession = Possession::for_grant(provider)?;
        let plan = Plan {
            provider,
            grant: Grant::Token,
            possession,
            nonces,
        };
        let request = provider.build_request()?;
        let first = plan.prepare(RequestKind::Token, request, nonces.token_endpoint())?;
        Ok(Self { plan, first })
    }

    /// The refresh request, proving the key `lineage` is bound to; `Ok(None)`
    /// when the provider declares no refresh.
    pub(crate) fn refresh(
        provider: &'a P,
        refresh_token: &'a Secret,
        lineage: Option<&Token>,
        nonces: &'a Nonces,
    ) -> Result<Option<Self>, Error> {
        let Some(request) = provider.build_refresh_request(refresh_token)? else {
            return Ok(None);
        };
        let possession = Possession::for_renewal(provider, lineage)?;
        let plan = Plan {
            provider,
            grant: Grant::Refresh(refresh_token),
            possession,
            nonces,
        };
        let first = plan.prepare(RequestKind::Refresh, request, nonces.token_endpoint())?;
        Ok(Some(Self { plan, first }))
    }

    /// Sends the exchange with an async transport and reads the answer.
    pub(crate) async fn send(self, transport: &dyn Transport) -> Result<Token, Error> {
        let Self {
            plan,
            first: mut prepared,
        } = self;
        let mut retried = false;
        loop {
            let limit = transport.max_response_bytes();
            let outcome = transport
                .send(prepared.request, limit)
                .instrument(prepared.span.clone())
                .await;
            let after = {
                let _entered = prepared.span.enter();
                plan.conclude(prepared.kind, outcome, limit, &prepared.scrubber, retried)
            };
            match after {
                After::Send(again) => prepared = *again,
                After::Finish(outcome) => return outcome,
            }
            retried = true;
        }
    }

    /// Sends the exchange on this thread and reads the answer.
    pub(crate) fn send_blocking(self, transport: &dyn BlockingTransport) -> Result<Token, Error> {
        let Self {
            plan,
            first: mut prepared,
        } = self;
        let mut retried = false;
        loop {
            let _entered = prepared.span.clone().entered();
            let limit = transport.max_response_bytes();
            let outcome = transport.send(prepared.request, limit);
            match plan.conclude(prepared.kind, outcome, limit, &prepared.scrubber, retried) {
                After::Send(again) => prepared = *again,
                After::Finish(outcome) => return outcome,
            }
            retried = true;
        }
    }
}

impl<P: TokenEndpoint + ?Sized> Plan<'_, P> {
    /// Checks `request`, adds its proof, and readies it to send.
    fn prepare(
        &self,
        kind: RequestKind,
        mut request: TokenRequest,
        nonce: Option<String>,
    ) -> Result<Prepared, Error> {
        check_endpoint_url(request.url(), "token URL")?;
        let proof = self.possession.proof(&request, nonce.as_deref())?;
        let scrubber = request.take_scrubber();
        // Fields name the provider and the request, never a credential or a body.
        let span = tracing::debug_span!(
            "oauth_token_request",
            provider = self.provider.provider_name(),
            request = %kind
        );
        let mut request = request.into_http()?;
        if let Some(proof) = proof {
            request.headers_mut().insert(PROOF_HEADER, proof);
        }
        Ok(Prepared {
            request,
            kind,
            span,
            scrubber,
        })
    }

    /// The same request built again, with `nonce` in its proof; `None` if the provider no longer builds it.
    fn rebuild(&self, nonce: String) -> Result<Option<Prepared>, Error> {
        let built = match self.grant {
            Grant::Token => Some((RequestKind::Token, self.provider.build_request()?)),
            Grant::Refresh(refresh_token) => self
                .provider
                .build_refresh_request(refresh_token)?
                .map(|request| (RequestKind::Refresh, request)),
        };
        built
            .map(|(kind, request)| self.prepare(kind, request, Some(nonce)))
            .transpose()
    }

    /// Reads the transport's outcome; a first refusal that asks for a DPoP nonce is built and sent again with it.
    fn conclude(
        &self,
        kind: RequestKind,
        outcome: Result<HttpResponse, TransportFailure>,
        limit: usize,
        scrubber: &Scrubber,
        retried: bool,
    ) -> After {
        let name = self.provider.provider_name();
        let response = match outcome {
            Ok(response) => response,
            Err(failure) => {
                let error = Error::Transport(TransportError::new(name, kind, failure));
                return self.finish(Err(error));
            }
        };
        let outcome = read(self.provider, &response, limit, scrubber);
        if !self.possession.proves() {
            return self.finish(outcome);
        }
        self.nonces.observe_token_endpoint(response.headers());
        let Some(nonce) = token_endpoint_retry(&outcome, response.headers()).filter(|_| !retried)
        else {
            return self.finish(outcome);
        };
        tracing::debug!("the token endpoint asked for a DPoP nonce; sending once more with it");
        match self.rebuild(nonce) {
            Ok(Some(again)) => After::Send(Box::new(again)),
            Ok(None) => self.finish(outcome),
            Err(error) => self.finish(Err(error)),
        }
    }

    /// Ends the exchange: logs the outcome and binds a token to the key its request proved.
    fn finish(&self, outcome: Result<Token, Error>) -> After {
        report(&outcome);
        After::Finish(outcome.map(|token| self.possession.bind(token)))
    }
}

/// Reads a response: a body over `limit`, or the provider's answer.
fn read<P: TokenEndpoint + ?Sized>(
    provider: &P,
    response: &HttpResponse,
    limit: usize,
    scrubber: &Scrubber,
) -> Result<Token, Error> {
    let received_at = SystemTime::now();
    let (status, headers, body) = (response.status(), response.headers(), response.body());
    // Provider text, so scrubbed before it reaches a log line or an error; only then, as it costs.
    let content_type = || {
        headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|content_type| scrubber.scrub(content_type).into_owned())
    };
    if tracing::enabled!(tracing::Level::TRACE) {
        tracing::trace!(
            status = status.as_u16(),
            content_type = content_type().as_deref(),
            bytes = body.len(),
            "response read"
        );
    }
    let declared_length = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if body.len() > limit || declared_length.is_some_and(|length| length > limit as u64) {
        return Err(Error::MalformedResponse(MalformedResponse {
            provider: provider.provider_name(),
            status,
            content_type: content_type(),
            problem: Problem::TooLarge { limit },
        }));
    }
    provider.parse_response(
        &TokenResponse::new(status, headers, body)
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
