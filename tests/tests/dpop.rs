//! DPoP (RFC 9449), `#[token(dpop)]`: against a loopback authorization server
//! and resource server that verify every proof on their own (signature with
//! the embedded key, `typ`, `alg`, `htm`, `htu`, `iat`, unique `jti`, `ath`,
//! the token's key binding) and demand their nonces. A binary of its own: its
//! tests log into one process-wide subscriber that one of them reads.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use oauth_core::http::Method;
use oauth_core::{
    Algorithm, DpopKey, Error, HttpClient, RedisStore, RequestContext, Token, TokenCache,
    TokenEndpoint, TokenSource,
};
use oauth_tests::captured_logs::CapturedLogs;
use oauth_tests::dpop_server::{Behaviour, DpopServers, Outcome, thumbprint};
use oauth_tests::keys::{self, pem_body_lines};
use oauth_tests::redis_server::RedisServer;

/// A client-credentials API whose tokens are bound to a key, as RFC 9449 describes.
#[derive(Debug, TokenEndpoint)]
#[token(base_url = "https://auth.bank.example", path = "/token", dpop)]
#[token(param(grant_type = "client_credentials"), refresh(grant, send = ["client_id"]))]
struct Bank {
    client_id: String,
}

/// The same with Ed25519 proofs.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.bank.example",
    path = "/token",
    dpop = "EdDSA"
)]
#[token(param(grant_type = "client_credentials"))]
struct EdwardsBank {
    client_id: String,
}

/// The same with P-384 proofs.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://auth.bank.example",
    path = "/token",
    dpop = "ES384"
)]
#[token(param(grant_type = "client_credentials"))]
struct P384Bank {
    client_id: String,
}

/// Every test's TRACE logs, in one subscriber installed before any test logs:
/// a subscriber scoped to one test could find its call sites already cached
/// as uninteresting by another test logging beside it.
fn logs() -> &'static CapturedLogs {
    static LOGS: OnceLock<CapturedLogs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = CapturedLogs::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(captured.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        captured
    })
}

fn bank(servers: &DpopServers) -> oauth_core::CustomUrl<Bank> {
    Bank::new("bank-client")
        .with_base_url(&servers.auth.uri())
        .unwrap()
}

fn thumbprint_of(token: &Token) -> String {
    token
        .dpop_key()
        .expect("a DPoP provider's token keeps its key")
        .thumbprint()
        .to_owned()
}

/// The `cnf.jkt` the server bound the token to.
fn bound_jkt(token: &Token) -> String {
    token.extra::<String>("cnf.jkt").unwrap().unwrap()
}

#[tokio::test]
async fn a_token_request_proves_a_new_key_and_is_sent_again_once_with_the_nonce() {
    logs();
    let servers = DpopServers::start().await;
    let token = bank(&servers)
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap();

    assert!(token.is_dpop(), "{token:?}");
    assert_eq!(token.token_type(), "DPoP");
    let key = token.dpop_key().unwrap();
    assert_eq!(key.algorithm(), Algorithm::Es256);
    assert_eq!(bound_jkt(&token), key.thumbprint());
    assert_eq!(
        thumbprint(key.public_jwk()).as_deref(),
        Some(key.thumbprint())
    );

    let seen = servers.token_requests();
    let outcomes: Vec<&Outcome> = seen.iter().map(|seen| &seen.outcome).collect();
    assert_eq!(
        outcomes,
        [&Outcome::NonceDemanded, &Outcome::Accepted],
        "{seen:?}"
    );
    assert_eq!(seen[0].nonce, None);
    assert_eq!(seen[1].nonce.as_deref(), Some("as-nonce-0"));
    assert_eq!(seen[0].jkt, seen[1].jkt, "the retry proves the same key");
}

#[tokio::test]
async fn each_algorithm_makes_proofs_the_server_verifies() {
    logs();
    let servers = DpopServers::start().await;
    let client = HttpClient::new().unwrap();
    let uri = servers.auth.uri();
    let edwards = EdwardsBank::new("bank-client").with_base_url(&uri).unwrap();
    let p384 = P384Bank::new("bank-client").with_base_url(&uri).unwrap();
    let tokens = [
        edwards.fetch_token(&client).await.unwrap(),
        p384.fetch_token(&client).await.unwrap(),
    ];
    let algorithms: Vec<Algorithm> = tokens
        .iter()
        .map(|token| token.dpop_key().unwrap().algorithm())
        .collect();
    assert_eq!(algorithms, [Algorithm::EdDsa, Algorithm::Es384]);
    for token in &tokens {
        assert_eq!(bound_jkt(token), thumbprint_of(token));
    }
    assert_ne!(
        thumbprint_of(&tokens[0]),
        thumbprint_of(&tokens[1]),
        "a new key per grant"
    );
}

#[tokio::test]
async fn a_refresh_proves_the_key_the_token_is_bound_to() {
    logs();
    let servers = DpopServers::start().await;
    let client = HttpClient::new().unwrap();
    let bank = bank(&servers);
    let first = bank.fetch_token(&client).await.unwrap();
    let renewed = bank.renew_token(&client, &first).await.unwrap().unwrap();

    assert_eq!(thumbprint_of(&renewed), thumbprint_of(&first));
    assert_eq!(bound_jkt(&renewed), thumbprint_of(&first));
    assert_ne!(
        renewed.access_token().expose_secret(),
        first.access_token().expose_secret()
    );
    let accepted: Vec<_> = servers
        .token_requests()
        .into_iter()
        .filter(|seen| seen.outcome == Outcome::Accepted)
        .collect();
    assert_eq!(accepted.len(), 2);
    assert_eq!(accepted[1].grant_type, "refresh_token");
    assert_eq!(accepted[1].jkt, accepted[0].jkt);

    // A new grant starts a new lineage with a new key.
    let again = bank.fetch_token(&client).await.unwrap();
    assert_ne!(thumbprint_of(&again), thumbprint_of(&first));
}

#[tokio::test]
async fn a_second_nonce_refusal_is_the_providers_typed_error() {
    logs();
    let servers = DpopServers::start().await;
    servers.behave(Behaviour {
        rotate_every_time: true,
        ..Behaviour::default()
    });
    let error = bank(&servers)
        .fetch_token(&HttpClient::new().unwrap())
        .await
        .unwrap_err();
    let Error::Rejected(refusal) = &error else {
        panic!("expected the provider's refusal, got {error:?}");
    };
    assert_eq!(refusal.status.as_u16(), 400);
    assert_eq!(refusal.code.as_deref(), Some("use_dpop_nonce"));
    assert_eq!(servers.token_requests().len(), 2, "one retry, no more");
}

#[tokio::test]
async fn the_cache_remembers_nonces_refreshes_with_the_same_key_and_sends_authorized_requests() {
    logs();
    let servers = DpopServers::start().await;
    let http = HttpClient::new().unwrap();
    let cache = TokenCache::new(bank(&servers), http.clone());
    let url = format!("{}/api/accounts?page=2#top", servers.api.uri());

    let response = cache
        .send_authorized(http.reqwest().get(&url))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    let token = cache.token().await.unwrap();
    assert_eq!(body["jkt"], thumbprint_of(&token));
    let resource = servers.resource_requests();
    let outcomes: Vec<&Outcome> = resource.iter().map(|seen| &seen.outcome).collect();
    assert_eq!(
        outcomes,
        [&Outcome::NonceDemanded, &Outcome::Accepted],
        "{resource:?}"
    );
    assert!(
        resource
            .iter()
            .all(|seen| seen.scheme == "DPoP" && seen.proof)
    );
    assert_eq!(resource[1].nonce.as_deref(), Some("rs-nonce-0"));

    // A renewal refreshes with the same key, and the remembered nonce needs no new demand.
    cache.invalidate();
    let renewed = cache.token().await.unwrap();
    assert_eq!(thumbprint_of(&renewed), thumbprint_of(&token));
    assert_eq!(bound_jkt(&renewed), thumbprint_of(&token));
    let seen = servers.token_requests();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(
        (seen[2].grant_type.as_str(), &seen[2].outcome),
        ("refresh_token", &Outcome::Accepted)
    );

    // The resource server's nonce is remembered too; a POST proves its own method.
    let response = cache
        .send_authorized(
            http.reqwest()
                .post(format!("{}/api/transfers", servers.api.uri())),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(servers.resource_requests().len(), 3, "accepted at once");

    // A rotated nonce costs one more round trip, once.
    servers.rotate_token_nonce();
    cache.invalidate();
    cache.token().await.unwrap();
    let outcomes: Vec<Outcome> = servers
        .token_requests()
        .into_iter()
        .map(|seen| seen.outcome)
        .collect();
    assert_eq!(outcomes[3..], [Outcome::NonceDemanded, Outcome::Accepted]);
}

#[tokio::test]
async fn a_bearer_token_issued_despite_the_proof_is_used_as_bearer() {
    logs();
    let servers = DpopServers::start().await;
    servers.behave(Behaviour {
        issue_bearer: true,
        ..Behaviour::default()
    });
    let http = HttpClient::new().unwrap();
    let cache = TokenCache::new(bank(&servers), http.clone());
    let token = cache.token().await.unwrap();
    assert!(!token.is_dpop() && token.is_bearer());
    assert!(
        token.dpop_key().is_some(),
        "kept for the refreshes it proves"
    );
    let context = RequestContext::system();
    let url = "https://api.example.com/".parse().unwrap();
    assert!(
        token
            .dpop_proof(&Method::GET, &url, None, &context)
            .unwrap()
            .is_none()
    );

    let response = cache
        .send_authorized(
            http.reqwest()
                .get(format!("{}/api/accounts", servers.api.uri())),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = servers.resource_requests();
    assert_eq!((seen[0].scheme.as_str(), seen[0].proof), ("Bearer", false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_cache_proves_its_key_too() {
    logs();
    let servers = DpopServers::start().await;
    let provider = bank(&servers);
    let token = tokio::task::spawn_blocking(move || {
        let cache = oauth_core::blocking::TokenCache::new(
            provider,
            oauth_core::blocking::HttpClient::new(),
        );
        let first = cache.token().unwrap();
        cache.invalidate();
        let renewed = cache.token().unwrap();
        assert_eq!(thumbprint_of(&renewed), thumbprint_of(&first));
        renewed
    })
    .await
    .unwrap();
    assert_eq!(bound_jkt(&token), thumbprint_of(&token));
    let grants: Vec<String> = servers
        .token_requests()
        .into_iter()
        .filter(|seen| seen.outcome == Outcome::Accepted)
        .map(|seen| seen.grant_type)
        .collect();
    assert_eq!(grants, ["client_credentials", "refresh_token"]);
}

#[tokio::test]
async fn a_proof_for_another_http_client_is_bound_to_its_request() {
    logs();
    let servers = DpopServers::start().await;
    let http = HttpClient::new().unwrap();
    let token = bank(&servers).fetch_token(&http).await.unwrap();
    let url: oauth_core::reqwest::Url = format!("{}/api/statements", servers.api.uri())
        .parse()
        .unwrap();
    let send = |nonce: Option<&str>| {
        let proof = token
            .dpop_proof(&Method::GET, &url, nonce, &RequestContext::system())
            .unwrap()
            .unwrap();
        http.reqwest()
            .get(url.clone())
            .header(
                "authorization",
                format!("DPoP {}", token.access_token().expose_secret()),
            )
            .header("dpop", proof.expose_secret())
            .send()
    };
    let challenged = send(None).await.unwrap();
    assert_eq!(challenged.status(), 401);
    let nonce = oauth_core::dpop::resource_retry(challenged.status(), challenged.headers())
        .unwrap()
        .to_owned();
    assert_eq!(send(Some(&nonce)).await.unwrap().status(), 200);
}

/// The test key's private material in every form it could leak in.
fn key_canaries() -> Vec<String> {
    use base64::Engine as _;

    let mut canaries: Vec<String> = pem_body_lines(keys::P256_PKCS8)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let jwk: serde_json::Value = serde_json::from_str(keys::P256_JWK).unwrap();
    canaries.push(jwk["d"].as_str().unwrap().to_owned());
    let der = base64::engine::general_purpose::STANDARD
        .decode(pem_body_lines(keys::P256_PKCS8).concat())
        .unwrap();
    canaries.push(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der));
    canaries
}

fn assert_no_canary(text: &str, what: &str) {
    for canary in key_canaries() {
        assert!(
            !text.contains(&canary),
            "the DPoP key's {canary:?} is in {what}: {text}"
        );
    }
}

/// A token persisted earlier with the test key, its access token expired, so the first use refreshes it.
fn persisted_token(servers: &DpopServers) -> (Token, DpopKey) {
    let key = DpopKey::from_pem(keys::P256_PKCS8).unwrap();
    servers.register_refresh_token("persisted-refresh-token", key.thumbprint());
    let token = Token::new("expired-access-token")
        .with_token_type("DPoP")
        .with_refresh_token("persisted-refresh-token")
        .with_expires_at(SystemTime::now() - Duration::from_secs(1))
        .with_dpop_key(key.clone());
    (token, key)
}

#[tokio::test]
async fn the_dpop_key_never_appears_in_debug_errors_or_trace_logs() {
    let servers = DpopServers::start().await;
    let captured = logs();

    let (token, key) = persisted_token(&servers);
    let http = HttpClient::new().unwrap();
    let cache = TokenCache::builder(bank(&servers), http.clone()).build_with(token);
    let url = format!("{}/api/accounts", servers.api.uri());
    assert_eq!(
        cache
            .send_authorized(http.reqwest().get(&url))
            .await
            .unwrap()
            .status(),
        200
    );
    let renewed = cache.token().await.unwrap();
    assert_eq!(
        thumbprint_of(&renewed),
        key.thumbprint(),
        "the persisted key is the one proved"
    );

    // A refusal: the refresh token is bound to the test key, the proof is made with another.
    let stranger = Token::new("x")
        .with_refresh_token("persisted-refresh-token")
        .with_dpop_key(DpopKey::generate(Algorithm::Es256).unwrap());
    let error = bank(&servers)
        .renew_token(&http, &stranger)
        .await
        .unwrap_err();
    assert_eq!(
        error.provider_error().unwrap().code.as_deref(),
        Some("invalid_grant")
    );

    let shown = [
        format!("{key:?}"),
        key.to_string(),
        format!("{renewed:?}"),
        format!("{cache:?}"),
        format!("{error:?}"),
        error.to_string(),
        format!("{:?}", cache.dpop_nonces()),
        captured.text(),
    ];
    assert!(
        captured.text().contains("oauth_token_request"),
        "TRACE logs were captured"
    );
    for text in &shown {
        assert_no_canary(text, "what the runtime shows");
    }
    assert_eq!(key.to_string(), "[redacted]");
}

#[tokio::test]
async fn through_redis_the_key_travels_sealed_and_another_process_proves_it() {
    logs();
    let redis = RedisServer::start();
    let servers = DpopServers::start().await;
    let http = HttpClient::new().unwrap();
    let store = || {
        Arc::new(
            RedisStore::builder(&redis.url())
                .build(&bank(&servers))
                .unwrap(),
        )
    };
    let (token, key) = persisted_token(&servers);
    let first = TokenCache::builder(bank(&servers), http.clone())
        .store(store())
        .build_with(token);
    let renewed = first.token().await.unwrap();
    assert_eq!(thumbprint_of(&renewed), key.thumbprint());

    // Another process adopts the stored token, key included, and proves it to the resource server.
    let other = TokenCache::builder(bank(&servers), http.clone())
        .store(store())
        .build();
    let adopted = other.token().await.unwrap();
    assert_eq!(
        adopted.access_token().expose_secret(),
        renewed.access_token().expose_secret()
    );
    assert_eq!(thumbprint_of(&adopted), key.thumbprint());
    let url = format!("{}/api/accounts", servers.api.uri());
    assert_eq!(
        other
            .send_authorized(http.reqwest().get(&url))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        servers.token_requests().len(),
        2,
        "the other process sent no token request"
    );

    let everything = redis.everything();
    assert!(!everything.is_empty(), "the entry is there to inspect");
    let mut canaries = key_canaries();
    canaries.extend(servers.issued_values());
    for (name, value) in &everything {
        for canary in &canaries {
            let needle = canary.as_bytes();
            let found = |haystack: &[u8]| haystack.windows(needle.len()).any(|part| part == needle);
            assert!(
                !found(name) && !found(value),
                "{canary:?} readable in Redis"
            );
        }
    }
}
