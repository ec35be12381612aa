//! The minimal impl emitted beside errors, so the user sees their mistake and not a cascade of missing-trait errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub(crate) fn expand(input: &DeriveInput, krate: &syn::Path) -> TokenStream {
    // An impl for a type with type parameters would bring its own errors (Send, Sync); say nothing more.
    if input.generics.type_params().next().is_some()
        || input.generics.const_params().next().is_some()
    {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::TokenEndpoint for #ident #ty_generics #where_clause {
                fn provider_name(&self) -> &'static str {
                    ::core::unreachable!()
                }

                fn base_url(&self) -> ::core::result::Result<#krate::__private::Url, #krate::Error> {
                    ::core::unreachable!()
                }

                fn token_path(&self) -> &str {
                    ::core::unreachable!()
                }

                fn build_request_to(
                    &self,
                    _: #krate::__private::Url,
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
        };
    }
}
