//! `HttpClient`'s builder options against real loopback servers: mutual TLS
//! against a rustls server that requires a client certificate, a private
//! root, and a proxy. Certificates are generated per run with rcgen.

use std::sync::Arc;
use std::time::Duration;

use oauth_core::{ConfigError, Error, HttpClient, TokenEndpoint};
use oauth_providers::Sohar;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET};
use oauth_tests::thread_server::{Reply, Stream, ThreadServer};
use oauth_tests::wire;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection, StreamOwned};

/// A test CA, a server certificate for 127.0.0.1 and a client certificate, all PEM.
struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
    client_pem: String,
    client_key_pem: String,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "TokenEndpoint test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let mut server_params = CertificateParams::new(vec![String::from("127.0.0.1")]).unwrap();
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server_params.signed_by(&server_key, &ca).unwrap();

    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(vec![String::from("client.test")]).unwrap();
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client_params.signed_by(&client_key, &ca).unwrap();

    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server_chain: vec![server_cert.der().clone()],
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        client_pem: client_cert.pem(),
        client_key_pem: client_key.serialize_pem(),
    }
}

/// An HTTPS token server that completes no handshake without a client certificate signed by the CA.
fn mutual_tls_server(pki: &Pki) -> ThreadServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let verifier =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
            .build()
            .unwrap();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let config = Arc::new(config);
    ThreadServer::start_wrapped(
        move |tcp| {
            let connection =
                ServerConnection::new(Arc::clone(&config)).map_err(std::io::Error::other)?;
            let mut stream = StreamOwned::new(connection, tcp);
            while stream.conn.is_handshaking() {
                stream.conn.complete_io(&mut stream.sock)?;
            }
            Ok(Box::new(stream) as Box<dyn Stream>)
        },
        |_| {
            Reply::json(&serde_json::json!({
                "access_token": wire::opaque_token("mtls"),
                "token_type": "Bearer",
                "expires_in": 3600,
            }))
        },
    )
}

fn sohar_at(url: &str) -> oauth_core::CustomUrl<Sohar> {
    Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(url)
        .unwrap()
}

#[tokio::test]
async fn mutual_tls_is_refused_without_the_client_identity_and_accepted_with_it() {
    let pki = pki();
    let server = mutual_tls_server(&pki);
    let provider = sohar_at(&format!("https://127.0.0.1:{}", server.port()));

    let without = HttpClient::builder()
        .add_root_certificate(pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    let error = provider.fetch_token(&without).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.requests(), 0, "no request got past the handshake");

    let with = HttpClient::builder()
        .add_root_certificate(pki.ca_pem.as_bytes())
        .identity(pki.client_pem.as_bytes(), pki.client_key_pem.as_bytes())
        .build()
        .unwrap();
    let token = provider.fetch_token(&with).await.unwrap();
    assert!(token.access_token().expose_secret().starts_with("mtls-"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_server_signed_by_an_unknown_root_is_refused() {
    let pki = pki();
    let server = mutual_tls_server(&pki);
    let provider = sohar_at(&format!("https://127.0.0.1:{}", server.port()));
    let client = HttpClient::builder()
        .identity(pki.client_pem.as_bytes(), pki.client_key_pem.as_bytes())
        .build()
        .unwrap();
    let error = provider.fetch_token(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[test]
fn bad_key_material_is_a_configuration_error_that_quotes_none_of_it() {
    let error = HttpClient::builder()
        .identity(b"not a certificate", b"canary-private-key")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(ConfigError::HttpClient { .. })),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("canary"));

    let builder = HttpClient::builder()
        .proxy("http://user:canary-password@127.0.0.1:1")
        .identity(b"cert", b"canary-private-key");
    assert!(!format!("{builder:?}").contains("canary"));
}

#[tokio::test]
async fn requests_go_through_the_proxy() {
    // A proxy sees the absolute URL of a plain-HTTP request; this one answers it itself.
    let proxy = ThreadServer::start(|request| {
        assert!(request.target.starts_with("http://"), "{}", request.target);
        Reply::json(&serde_json::json!({"access_token": "via-proxy", "expires_in": 3600}))
    });
    let client = HttpClient::builder().proxy(proxy.uri()).build().unwrap();
    let token = sohar_at("http://127.0.0.1:9")
        .fetch_token(&client)
        .await
        .unwrap();
    assert_eq!(token.access_token().expose_secret(), "via-proxy");
    assert_eq!(proxy.requests(), 1);
}

/// On a paused clock the runtime jumps to the next timer whenever it waits on
/// I/O; a client built for such tests must leave no timer of its own to jump to
/// (the connection pool's idle timer once did, moving time 90 s per request).
#[tokio::test(start_paused = true)]
async fn without_timeouts_requests_leave_the_paused_clock_where_the_test_put_it() {
    // Wiremock keeps connections alive, so the pool holds one between requests.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "paused", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let provider = sohar_at(&server.uri());
    let client = HttpClient::builder().without_timeouts().build().unwrap();
    let start = tokio::time::Instant::now();
    provider.fetch_token(&client).await.unwrap();
    tokio::time::advance(Duration::from_secs(3300)).await;
    for _ in 0..3 {
        provider.fetch_token(&client).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_secs(3300));
}
