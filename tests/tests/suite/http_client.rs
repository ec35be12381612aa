//! `HttpClient`'s builder options against real loopback servers: mutual TLS
//! against a rustls server that requires a client certificate, with
//! `client_auth = "tls_client_auth"` on both clients, a private root, and a
//! proxy. Certificates are generated per run with rcgen.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth_core::{ConfigError, Error, HttpClient, TokenEndpoint, blocking};
use oauth_providers::Sohar;
use oauth_tests::sandbox::credentials::{CLIENT_ID, CLIENT_SECRET};
use oauth_tests::thread_server::{Received, Reply, Stream, ThreadServer, Wrapped};
use oauth_tests::wire;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection, StreamOwned};

/// A client certificate and its key, PEM.
struct ClientIdentity {
    pem: String,
    key_pem: String,
}

/// A test CA, a server certificate for 127.0.0.1 and two client certificates
/// it signed (DNS names `client.test` and `intruder.test`), all PEM.
struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
    client: ClientIdentity,
    intruder: ClientIdentity,
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

    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server_chain: vec![server_cert.der().clone()],
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        client: client_identity(&ca, "client.test"),
        intruder: client_identity(&ca, "intruder.test"),
    }
}

fn client_identity(ca: &Issuer<'_, KeyPair>, dns_name: &str) -> ClientIdentity {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![dns_name.to_owned()]).unwrap();
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    ClientIdentity {
        pem: params.signed_by(&key, ca).unwrap().pem(),
        key_pem: key.serialize_pem(),
    }
}

/// An HTTPS token server that completes no handshake without a client
/// certificate signed by the CA, and answers each request with `handler`.
fn mutual_tls_server(
    pki: &Pki,
    handler: impl Fn(&Received) -> Reply + Send + Sync + 'static,
) -> ThreadServer {
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
            let peer_certificate = stream
                .conn
                .peer_certificates()
                .and_then(|chain| chain.first())
                .map(|leaf| leaf.to_vec());
            Ok(Wrapped {
                stream: Box::new(stream) as Box<dyn Stream>,
                peer_certificate,
            })
        },
        handler,
    )
}

fn token_reply(prefix: &str) -> Reply {
    Reply::json(&serde_json::json!({
        "access_token": wire::opaque_token(prefix),
        "token_type": "Bearer",
        "expires_in": 3600,
    }))
}

fn sohar_at(url: &str) -> oauth_core::CustomUrl<Sohar> {
    Sohar::new(CLIENT_ID, CLIENT_SECRET)
        .with_base_url(url)
        .unwrap()
}

#[tokio::test]
async fn mutual_tls_is_refused_without_the_client_identity_and_accepted_with_it() {
    let pki = pki();
    let server = mutual_tls_server(&pki, |_| token_reply("mtls"));
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
        .identity(pki.client.pem.as_bytes(), pki.client.key_pem.as_bytes())
        .build()
        .unwrap();
    let token = provider.fetch_token(&with).await.unwrap();
    assert!(token.access_token().expose_secret().starts_with("mtls-"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_server_signed_by_an_unknown_root_is_refused() {
    let pki = pki();
    let server = mutual_tls_server(&pki, |_| token_reply("mtls"));
    let provider = sohar_at(&format!("https://127.0.0.1:{}", server.port()));
    let client = HttpClient::builder()
        .identity(pki.client.pem.as_bytes(), pki.client.key_pem.as_bytes())
        .build()
        .unwrap();
    let error = provider.fetch_token(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

/// A client that authenticates with its TLS certificate alone: only its id goes in the body.
#[derive(Debug, TokenEndpoint)]
#[token(
    base_url = "https://mtls.auth.example.com",
    path = "/token",
    client_auth = "tls_client_auth"
)]
#[token(param(grant_type = "client_credentials"))]
struct CertificateClient {
    client_id: String,
}

/// The server's registrations: a client id and the DNS name its certificate
/// must carry (RFC 8705 section 2.1.2, `tls_client_auth_san_dns`).
const REGISTERED: (&str, &str) = ("billing", "client.test");

/// A `tls_client_auth` token server (RFC 8705 section 2.1): TLS checks the
/// chain, then the request's `client_id` must name the client whose DNS name
/// the presented certificate carries. Records every form body it reads.
fn tls_client_auth_server(
    pki: &Pki,
    bodies: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
) -> ThreadServer {
    mutual_tls_server(pki, move |request| {
        let body: BTreeMap<String, String> =
            serde_urlencoded::from_bytes(&request.body).unwrap_or_default();
        let registered = body.get("client_id").map(String::as_str) == Some(REGISTERED.0);
        bodies.lock().unwrap().push(body);
        let certified = request
            .peer_certificate
            .as_deref()
            .is_some_and(|leaf| names(leaf, REGISTERED.1));
        if registered && certified {
            token_reply("mtls")
        } else {
            Reply::status(401)
                .header("content-type", "application/json")
                .body(br#"{"error":"invalid_client"}"#.to_vec())
        }
    })
}

/// Whether the certificate `der` is issued to `dns_name` (a SAN entry).
fn names(der: &[u8], dns_name: &str) -> bool {
    let der = CertificateDer::from(der);
    let (Ok(certificate), Ok(name)) = (
        webpki::EndEntityCert::try_from(&der),
        ServerName::try_from(dns_name),
    ) else {
        return false;
    };
    certificate.verify_is_valid_for_subject_name(&name).is_ok()
}

fn only_the_client_id() -> BTreeMap<String, String> {
    wire::fields([
        ("client_id", "billing"),
        ("grant_type", "client_credentials"),
    ])
}

fn certificate_client(server: &ThreadServer) -> oauth_core::CustomUrl<CertificateClient> {
    CertificateClient::new(REGISTERED.0)
        .with_base_url(&format!("https://127.0.0.1:{}", server.port()))
        .unwrap()
}

fn is_invalid_client(error: &Error) -> bool {
    matches!(error, Error::Rejected(_))
        && error
            .provider_error()
            .and_then(|provider| provider.code.as_deref())
            == Some("invalid_client")
}

#[tokio::test]
async fn tls_client_auth_is_refused_without_the_certificate_and_sends_only_the_client_id_with_it() {
    let pki = pki();
    let bodies = Arc::default();
    let server = tls_client_auth_server(&pki, Arc::clone(&bodies));
    let provider = certificate_client(&server);
    let client = |identity: Option<&ClientIdentity>| {
        let builder = HttpClient::builder().add_root_certificate(pki.ca_pem.as_bytes());
        match identity {
            Some(identity) => {
                builder.identity(identity.pem.as_bytes(), identity.key_pem.as_bytes())
            }
            None => builder,
        }
        .build()
        .unwrap()
    };

    let error = provider.fetch_token(&client(None)).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.requests(), 0, "no request got past the handshake");

    let token = provider
        .fetch_token(&client(Some(&pki.client)))
        .await
        .unwrap();
    assert!(token.access_token().expose_secret().starts_with("mtls-"));
    assert_eq!(*bodies.lock().unwrap(), [only_the_client_id()]);

    // Another client's certificate from the same CA passes TLS but does not name this client.
    let error = provider
        .fetch_token(&client(Some(&pki.intruder)))
        .await
        .unwrap_err();
    assert!(is_invalid_client(&error), "{error:?}");
}

#[test]
fn tls_client_auth_through_the_blocking_client() {
    let pki = pki();
    let bodies = Arc::default();
    let server = tls_client_auth_server(&pki, Arc::clone(&bodies));
    let provider = certificate_client(&server);
    let client = |identity: Option<&ClientIdentity>| {
        let builder = blocking::HttpClient::builder().only_root_certificates(pki.ca_pem.as_bytes());
        match identity {
            Some(identity) => {
                builder.identity(identity.pem.as_bytes(), identity.key_pem.as_bytes())
            }
            None => builder,
        }
        .build()
        .unwrap()
    };

    let error = provider.fetch_token_blocking(&client(None)).unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.requests(), 0, "no request got past the handshake");

    let token = provider
        .fetch_token_blocking(&client(Some(&pki.client)))
        .unwrap();
    assert!(token.access_token().expose_secret().starts_with("mtls-"));
    assert_eq!(*bodies.lock().unwrap(), [only_the_client_id()]);

    let error = provider
        .fetch_token_blocking(&client(Some(&pki.intruder)))
        .unwrap_err();
    assert!(is_invalid_client(&error), "{error:?}");
}

#[test]
fn the_blocking_client_trusts_only_the_roots_it_is_given() {
    let (pki, other) = (pki(), pki());
    let server = mutual_tls_server(&pki, |_| token_reply("mtls"));
    let provider = sohar_at(&format!("https://127.0.0.1:{}", server.port()));
    let identity = (pki.client.pem.as_bytes(), pki.client.key_pem.as_bytes());
    let web_roots = blocking::HttpClient::builder()
        .identity(identity.0, identity.1)
        .build()
        .unwrap();
    let error = provider.fetch_token_blocking(&web_roots).unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    let other_root = blocking::HttpClient::builder()
        .only_root_certificates(other.ca_pem.as_bytes())
        .identity(identity.0, identity.1)
        .build()
        .unwrap();
    let error = provider.fetch_token_blocking(&other_root).unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(server.requests(), 0);
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

    let blocking =
        blocking::HttpClient::builder().identity(b"not a certificate", b"canary-private-key");
    assert!(!format!("{blocking:?}").contains("canary"));
    let error = blocking.build().unwrap_err();
    assert!(
        matches!(error, Error::Config(ConfigError::HttpClient { .. })),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("canary"));
    let error = blocking::HttpClient::builder()
        .only_root_certificates(b"not a certificate")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(ConfigError::HttpClient { .. })),
        "{error:?}"
    );
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
