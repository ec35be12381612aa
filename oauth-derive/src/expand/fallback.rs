//! What is emitted beside errors: every item the derive promises, with bodies
//! that never run, so a broken declaration shows only its real mistakes and
//! not a cascade of missing impls and functions.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Runtime, constructor, settings};
use crate::ast::Provider;

pub(super) fn expand(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    // An impl for a type with type parameters would bring its own errors (Send, Sync); say nothing more.
    if provider.has_type_parameters() {
        return TokenStream::new();
    }
    let Runtime { krate, private } = runtime;
    let input = provider.input;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let built = provider.has_named_fields().then(|| {
        let constructor = constructor::expand(provider, runtime);
        let settings = settings::expand(provider, runtime);
        quote! {
            #constructor
            #settings
        }
    });
    quote! {
        #[allow(unreachable_code)]
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::TokenEndpoint for #ident #ty_generics #where_clause {
                fn provider_name(&self) -> &'static str {
                    ::core::unreachable!()
                }

                fn base_url(&self) -> ::core::result::Result<#private::Url, #krate::Error> {
                    ::core::unreachable!()
                }

                fn token_path(&self) -> &str {
                    ::core::unreachable!()
                }

                fn build_request_to(
                    &self,
                    _: #private::Url,
                ) -> ::core::result::Result<#krate::TokenRequest, #krate::Error> {
                    ::core::unreachable!()
                }

                fn parse_response(
                    &self,
                    _: &#krate::TokenResponse<'_>,
                ) -> ::core::result::Result<#krate::Token, #krate::Error> {
                    ::core::unreachable!()
                }
            }

            #built
        };
    }
}
