//! The signed JWT assertion: its claims, its signer, the body parameters that
//! carry it, and the context-taking methods that build it at a given time.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{Runtime, local, param_of};
use crate::ast::{Provider, Role};
use crate::attr::ClientAuth;

/// The statements that sign the assertion, run before the request takes
/// `url`, and those that put it in the body: the grant's parameters, or the
/// client authentication's. Nothing when the provider signs none (`grant`
/// false for a refresh, which authenticates but does not repeat the grant).
pub(super) fn assertion(
    provider: &Provider<'_>,
    runtime: &Runtime<'_>,
    url: &Ident,
    grant: bool,
) -> (TokenStream, TokenStream) {
    let Runtime { krate, private } = runtime;
    let Some(assertion) = &provider.assertion else {
        return (quote!(), quote!());
    };
    if assertion.grant != grant {
        return (quote!(), quote!());
    }
    let signer = match (provider.client_auth, provider.private_key()) {
        (ClientAuth::ClientSecretJwt, _) if !grant => {
            let secret = optional_param(provider, runtime, "client_secret");
            quote!(#private::Signer::ClientSecret(#secret))
        }
        (_, Some(key)) => {
            let (ident, ty) = (key.ident, key.ty);
            let key = quote_spanned!(ty.span()=> <#ty as #private::PrivateKeyField>::private_key(&self.#ident));
            quote!(#private::Signer::Key(#key))
        }
        (_, None) => return (quote!(), quote!()),
    };
    let claims = claims(provider, runtime, grant);
    let lifetime = match assertion.lifetime {
        Some(seconds) => quote!(::core::time::Duration::from_secs(#seconds)),
        None => quote!(#krate::DEFAULT_LIFETIME),
    };
    let context = local("context");
    let sign = quote! {
        let __assertion = {
            let mut __claims = #private::Claims::new();
            #claims
            __claims.sign(#lifetime, #signer, &#url, #context)?
        };
    };
    let (kind, kind_value, carrier) = if grant {
        ("grant_type", quote!(#krate::JWT_BEARER_GRANT), "assertion")
    } else {
        let kind = quote!(#krate::CLIENT_ASSERTION_TYPE);
        ("client_assertion_type", kind, "client_assertion")
    };
    let params = quote! {
        __request.body_param(#kind, #krate::Param::to_param(#kind_value));
        __request.body_param(#carrier, #krate::Param::to_param(&__assertion));
    };
    (sign, params)
}

/// The declared claims, after a client assertion's `iss` and `sub`.
fn claims(provider: &Provider<'_>, runtime: &Runtime<'_>, grant: bool) -> TokenStream {
    let krate = runtime.krate;
    let client = (!grant).then(|| {
        let client_id = optional_param(provider, runtime, "client_id");
        quote!(__claims.client(#client_id)?;)
    });
    let constants = provider
        .assertion
        .iter()
        .flat_map(|assertion| &assertion.claims)
        .map(|constant| {
            let name = crate::ast::unraw(&constant.name);
            let value = &constant.value;
            quote!(__claims.claim(#name, #krate::Param::to_param(&#value));)
        });
    let fields = provider.fields.iter().filter_map(|field| {
        let Role::Claim(name) = &field.role else {
            return None;
        };
        let value = param_of(runtime, field);
        Some(quote!(__claims.claim(#name, #value);))
    });
    quote! {
        #client
        #(#constants)*
        #(#fields)*
    }
}

/// The value of the field `name`, or `None` when the struct has no such field.
fn optional_param(provider: &Provider<'_>, runtime: &Runtime<'_>, name: &str) -> TokenStream {
    provider.field(name).map_or_else(
        || quote!(::core::option::Option::None),
        |field| param_of(runtime, field),
    )
}

/// `build_request_to` with `body`; when the provider signs, `body` goes into
/// `build_request_in` instead, and `build_request_to` calls it at the system's time.
pub(super) fn build_request_methods(
    provider: &Provider<'_>,
    runtime: &Runtime<'_>,
    body: &TokenStream,
) -> TokenStream {
    let Runtime { krate, private } = runtime;
    let (url, context) = (local("token_url"), local("context"));
    let signature = quote! {
        fn build_request_to(
            &self,
            #url: #private::Url,
        ) -> ::core::result::Result<#krate::TokenRequest, #krate::Error>
    };
    if provider.assertion.is_none() {
        return quote!(#signature { #body });
    }
    quote! {
        #signature {
            #krate::TokenEndpoint::build_request_in(self, #url, &#krate::RequestContext::system())
        }

        fn build_request_in(
            &self,
            #url: #private::Url,
            #context: &#krate::RequestContext<'_>,
        ) -> ::core::result::Result<#krate::TokenRequest, #krate::Error> {
            #body
        }
    }
}

/// The same for the refresh request, which signs only to authenticate the client.
pub(super) fn build_refresh_request_methods(
    provider: &Provider<'_>,
    runtime: &Runtime<'_>,
    body: &TokenStream,
) -> TokenStream {
    let Runtime { krate, private } = runtime;
    let (url, token, context) = (
        local("refresh_url"),
        local("refresh_token"),
        local("context"),
    );
    let output =
        quote!(::core::result::Result<::core::option::Option<#krate::TokenRequest>, #krate::Error>);
    let signature = quote! {
        fn build_refresh_request_to(
            &self,
            #url: #private::Url,
            #token: &#krate::Secret,
        ) -> #output
    };
    if !provider.client_auth.signs() {
        return quote!(#signature { #body });
    }
    quote! {
        #signature {
            #krate::TokenEndpoint::build_refresh_request_in(
                self, #url, #token, &#krate::RequestContext::system(),
            )
        }

        fn build_refresh_request_in(
            &self,
            #url: #private::Url,
            #token: &#krate::Secret,
            #context: &#krate::RequestContext<'_>,
        ) -> #output {
            #body
        }
    }
}
