//! Fetches a token from each bundled provider through the public API, against
//! the embedded sandbox: no credentials, no network beyond loopback.
//!
//! Run with `cargo run --example quickstart`.
#![allow(clippy::print_stdout, reason = "an example reports on standard output")]

use std::time::Duration;

use oauth_core::{Error, HttpClient, Secret, TokenCache, TokenEndpoint};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};
use oauth_tests::sandbox::{Sandbox, credentials::*};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let sandbox = Sandbox::start().await;
    let client = HttpClient::new()?;

    println!("Tokens from the sandbox, one per bundled provider:\n");
    println!(
        "{:<10}  {:<10}  {:<12}  access token",
        "provider", "type", "expires in"
    );
    for provider in sandbox.providers()? {
        let token = provider.fetch_token(&client).await?;
        println!(
            "{:<10}  {:<10}  {:<12}  {}",
            provider.provider_name(),
            token.token_type(),
            token
                .expires_in()
                .map_or_else(|| String::from("unknown"), human),
            redacted(token.access_token()),
        );
    }

    println!("\nA token cache in front of sohar, asked by 1000 tasks at once:\n");
    let before = sandbox
        .sohar
        .received_requests()
        .await
        .unwrap_or_default()
        .len();
    let cache = TokenCache::new(
        sandbox.sohar(Sohar::new(CLIENT_ID, CLIENT_SECRET))?,
        client.clone(),
    );
    let callers: Vec<_> = (0..1000)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.token().await })
        })
        .collect();
    let mut served = 0;
    for caller in callers {
        if matches!(caller.await, Ok(Ok(_))) {
            served += 1;
        }
    }
    let upstream = sandbox
        .sohar
        .received_requests()
        .await
        .unwrap_or_default()
        .len()
        - before;
    println!("{served} callers served, {upstream} token request sent");

    println!("\nThe same requests with a wrong secret, as each provider reports it:\n");
    let wrong = "not-the-secret";
    let refused: Vec<Box<dyn TokenEndpoint>> = vec![
        Box::new(sandbox.ezzydoc(EzzyDoc::new(CLIENT_ID, wrong))?),
        Box::new(
            MyZeePay::new(CLIENT_ID, wrong, USERNAME, PASSWORD)
                .with_server(sandbox.myzeepay_server()),
        ),
        Box::new(sandbox.ondayzero(OnDayZero::new(wrong, USER_EMAIL))?),
        Box::new(Daftra::new(
            sandbox.daftra_subdomain(),
            CLIENT_ID,
            wrong,
            USERNAME,
            PASSWORD,
        )),
        Box::new(sandbox.sohar(Sohar::new(CLIENT_ID, wrong))?),
    ];
    for provider in refused {
        match provider.fetch_token(&client).await {
            Ok(_) => println!(
                "{:<10}  unexpectedly issued a token",
                provider.provider_name()
            ),
            Err(error) => println!("{:<10}  {error}", provider.provider_name()),
        }
    }
    Ok(())
}

/// The token's length and nothing of its value.
fn redacted(token: &Secret) -> String {
    format!("{token} ({} bytes)", token.len())
}

fn human(duration: Duration) -> String {
    // Round up: a lifetime of 3600 s read a few milliseconds later is still "60 min".
    let seconds = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    match seconds {
        0..=119 => format!("{seconds} s"),
        120..=7199 => format!("{} min", seconds / 60),
        7200..=172_799 => format!("{} h", seconds / 3600),
        _ => format!("{} days", seconds / 86_400),
    }
}
