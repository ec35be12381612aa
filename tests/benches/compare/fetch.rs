//! A whole token fetch on loopback against one minimal HTTP server: the derived
//! provider (async on reqwest, and blocking on ureq), the same request by hand
//! with reqwest and serde, and the `oauth2` crate's client-credentials
//! exchange. Each side keeps one client (keep-alive).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use oauth_core::reqwest::Url;
use oauth_core::{HttpClient, Secret, TokenEndpoint};
use tokio::runtime::Runtime;

use crate::hand_written;
use crate::ratios::{Ratios, Target};

const BODY: &str = r#"{"access_token":"access-0123456789abcdef0123456789abcdef","token_type":"Bearer","expires_in":3600}"#;

/// A client-credentials provider with the credentials in a form body, as the other two sides send them.
#[derive(TokenEndpoint)]
#[token(
    base_url = "https://auth.example.com",
    path = "/token",
    param(grant_type = "client_credentials")
)]
struct ClientCredentials {
    client_id: String,
    #[token(secret)]
    client_secret: Secret,
}

/// Starts (once) a server that answers every request with the same static body.
fn server() -> SocketAddr {
    static ADDRESS: OnceLock<SocketAddr> = OnceLock::new();
    *ADDRESS.get_or_init(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let address = listener.local_addr().expect("address");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    tokio::spawn(async move {
                        let service = service_fn(|_request| async {
                            Ok::<_, Infallible>(
                                hyper::Response::builder()
                                    .header("content-type", "application/json")
                                    .body(Full::new(Bytes::from_static(BODY.as_bytes())))
                                    .expect("response"),
                            )
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        address
    })
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn base_url() -> String {
    format!("http://{}", server())
}

const TOKEN: &str = "access-0123456789abcdef0123456789abcdef";

fn derived_provider() -> oauth_core::CustomUrl<ClientCredentials> {
    ClientCredentials::new("client-id", "client-secret")
        .with_base_url(&base_url())
        .expect("url")
}

fn reqwest_client() -> oauth_core::reqwest::Client {
    oauth_core::reqwest::Client::builder()
        .redirect(oauth_core::reqwest::redirect::Policy::none())
        .connect_timeout(HttpClient::DEFAULT_CONNECT_TIMEOUT)
        .timeout(HttpClient::DEFAULT_TIMEOUT)
        .build()
        .expect("client")
}

/// The hand-written fetch: one reqwest request, the body read whole, the plain serde reader.
async fn hand_written_fetch(
    client: &oauth_core::reqwest::Client,
    url: &Url,
) -> Result<hand_written::StandardToken, String> {
    let request = hand_written::client_credentials_request(url, "client-id", "client-secret");
    let response = client
        .execute(request)
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(|error| error.to_string())?;
    hand_written::parse_standard(status, &body)
}

fn oauth2_client() -> (
    oauth2::reqwest::Client,
    oauth2::basic::BasicClient<
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointSet,
    >,
) {
    use oauth2::basic::BasicClient;
    use oauth2::{AuthType, ClientId, ClientSecret, TokenUrl};

    let http = oauth2::reqwest::Client::builder()
        .redirect(oauth2::reqwest::redirect::Policy::none())
        .connect_timeout(HttpClient::DEFAULT_CONNECT_TIMEOUT)
        .timeout(HttpClient::DEFAULT_TIMEOUT)
        .build()
        .expect("client");
    let client = BasicClient::new(ClientId::new(String::from("client-id")))
        .set_client_secret(ClientSecret::new(String::from("client-secret")))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::new(format!("{}/token", base_url())).expect("url"));
    (http, client)
}

/// Interleaved ratios of whole round trips, every side on its own runtime and client.
pub fn ratios(ratios: &mut Ratios) {
    if !ratios.wants("fetch/") {
        return;
    }
    let runtime = runtime();
    let client = HttpClient::new().expect("client");
    let provider = derived_provider();
    let derived = || {
        runtime
            .block_on(provider.fetch_token(&client))
            .is_ok_and(|token| black_box(token).access_token().expose_secret() == TOKEN)
    };
    let reqwest = reqwest_client();
    let url = Url::parse(&format!("{}/token", base_url())).expect("url");
    ratios.compare(
        "fetch/vs hand-written reqwest",
        Target::AtMost(1.02),
        derived,
        || {
            runtime
                .block_on(hand_written_fetch(&reqwest, &url))
                .is_ok_and(|token| black_box(token).access_token == TOKEN)
        },
    );
    let (http, oauth2) = oauth2_client();
    ratios.compare("fetch/vs oauth2", Target::AtMost(0.95), derived, || {
        use oauth2::TokenResponse;
        runtime
            .block_on(oauth2.exchange_client_credentials().request_async(&http))
            .is_ok_and(|token| black_box(token).access_token().secret() == TOKEN)
    });
}

// A loopback round trip varies with scheduling: many samples make the median stable.
#[divan::bench(sample_count = 1000)]
fn derived(bencher: Bencher<'_, '_>) {
    let runtime = runtime();
    let client = HttpClient::new().expect("client");
    let provider = derived_provider();
    let token = runtime
        .block_on(provider.fetch_token(&client))
        .expect("token");
    assert_eq!(token.access_token().expose_secret(), TOKEN);
    bencher.bench_local(|| {
        runtime
            .block_on(provider.fetch_token(&client))
            .map(black_box)
            .is_ok()
    });
}

#[divan::bench(sample_count = 1000)]
fn derived_blocking(bencher: Bencher<'_, '_>) {
    let client = oauth_core::blocking::HttpClient::new();
    let provider = derived_provider();
    let token = provider.fetch_token_blocking(&client).expect("token");
    assert_eq!(token.access_token().expose_secret(), TOKEN);
    bencher.bench_local(|| {
        provider
            .fetch_token_blocking(&client)
            .map(black_box)
            .is_ok()
    });
}

#[divan::bench(sample_count = 1000)]
fn hand_written_reqwest(bencher: Bencher<'_, '_>) {
    let runtime = runtime();
    let client = reqwest_client();
    let url = Url::parse(&format!("{}/token", base_url())).expect("url");
    let token = runtime
        .block_on(hand_written_fetch(&client, &url))
        .expect("token");
    assert_eq!(token.access_token, TOKEN);
    bencher.bench_local(|| {
        runtime
            .block_on(hand_written_fetch(&client, &url))
            .map(black_box)
            .is_ok()
    });
}

#[divan::bench(sample_count = 1000)]
fn oauth2_crate(bencher: Bencher<'_, '_>) {
    use oauth2::TokenResponse;

    let runtime = runtime();
    let (http, client) = oauth2_client();
    let fetch = || client.exchange_client_credentials().request_async(&http);
    let token = runtime.block_on(fetch()).expect("token");
    assert_eq!(token.access_token().secret(), TOKEN);
    bencher.bench_local(|| runtime.block_on(fetch()).map(black_box).is_ok());
}
