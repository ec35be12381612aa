//! The README's main command: a token from each bundled provider through the
//! public API, against the loopback sandbox. No credentials, no network beyond
//! loopback.
//!
//! Run with `cargo run -p quickstart`.
#![allow(clippy::print_stdout, reason = "an example reports on standard output")]

use oauth_core::{CustomUrl, Error, HttpClient, Secret, TokenCache, TokenEndpoint};
use oauth_providers::{Daftra, EzzyDoc, MyZeePay, OnDayZero, Sohar};
use oauth_sandbox::Sandbox;
use oauth_sandbox::credentials::{
    API_TOKEN, BUSINESS_ID, CLIENT_ID, CLIENT_SECRET, PASSWORD, USER_EMAIL, USERNAME,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let client = HttpClient::new()?;

    println!("Tokens from the sandbox, one per bundled provider:\n");
    println!(
        "{:<10}  {:<6}  {:<16}  access token",
        "provider", "type", "expires in"
    );
    for provider in bundled(&sandbox, CLIENT_SECRET, API_TOKEN)? {
        let token = provider.fetch_token(&client).await?;
        let lifetime = token
            .lifetime()
            .map_or_else(|| String::from("unknown"), |lifetime| lifetime.to_string());
        println!(
            "{:<10}  {:<6}  {lifetime:<16}  {}",
            provider.provider_name(),
            token.token_type(),
            redacted(token.access_token()),
        );
    }

    println!("\nA token cache in front of sohar, asked by 1000 tasks at once:\n");
    let sohar = Sohar::new(CLIENT_ID, CLIENT_SECRET).with_base_url(&sandbox.sohar.uri())?;
    let cache: TokenCache<CustomUrl<Sohar>> = TokenCache::new(sohar, client.clone());
    let before = sandbox.sohar.request_count();
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
    let sent = sandbox.sohar.request_count() - before;
    println!("{served} callers served, {sent} token request sent");

    println!("\nThe same requests with a wrong secret, as each provider reports it:\n");
    let wrong = "not-the-secret";
    for provider in bundled(&sandbox, wrong, wrong)? {
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

/// Every bundled provider pointed at the sandbox, with these secrets and the sandbox's other credentials.
fn bundled(
    sandbox: &Sandbox,
    client_secret: &str,
    api_token: &str,
) -> Result<Vec<Box<dyn TokenEndpoint>>, Error> {
    Ok(vec![
        Box::new(
            EzzyDoc::new(CLIENT_ID, client_secret).with_base_url(&sandbox.ezzydoc_base_url())?,
        ),
        Box::new(
            MyZeePay::new(CLIENT_ID, client_secret, USERNAME, PASSWORD)
                .with_server(sandbox.myzeepay.uri()),
        ),
        Box::new(
            OnDayZero::new(api_token, USER_EMAIL)
                .with_business_id(BUSINESS_ID)
                .with_base_url(&sandbox.ondayzero.uri())?,
        ),
        // Daftra's tenant origin is part of its URL template: the sandbox is just another tenant.
        Box::new(Daftra::new(
            sandbox.daftra.uri(),
            CLIENT_ID,
            client_secret,
            USERNAME,
            PASSWORD,
        )),
        Box::new(Sohar::new(CLIENT_ID, client_secret).with_base_url(&sandbox.sohar.uri())?),
    ])
}

/// The token's length and nothing of its value.
fn redacted(token: &Secret) -> String {
    format!("{token} ({} bytes)", token.len())
}
