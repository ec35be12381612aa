//! Code generation from the checked model: the `TokenEndpoint` impl, the
//! constructor and setters, `FromSettings`, and the type checks. When the
//! declaration has errors, the same items are emitted with empty bodies beside
//! them, so the user sees their mistakes and nothing that follows from them.

mod assertion;
mod checks;
mod constructor;
mod fallback;
mod request;
mod response;
mod routes;
mod settings;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr};

use crate::ast::{Field, Provider};
use crate::attr::DpopAlgorithm;
use crate::errors::Errors;
use crate::template::Piece;
use crate::valid;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::new();
    let provider = Provider::from_input(input, &mut errors);
    valid::check(&provider, &mut errors);
    let runtime = Runtime::new(&provider.krate);
    let checks = checks::expand(&provider, &runtime);
    let items = match errors.finish() {
        Ok(()) => expand(&provider, &runtime),
        Err(error) => {
            let mut tokens = error.into_compile_error();
            tokens.extend(fallback::expand(&provider, &runtime));
            tokens
        }
    };
    quote! {
        #items
        #checks
    }
}

/// Paths into the runtime crate.
pub(crate) struct Runtime<'p> {
    krate: &'p syn::Path,
    private: TokenStream,
}

impl<'p> Runtime<'p> {
    fn new(krate: &'p syn::Path) -> Self {
        let module = private_module();
        Self {
            krate,
            private: quote!(#krate::#module),
        }
    }
}

/// The runtime's hidden module for generated code, named with this version:
/// a derive and a runtime of different versions fail to build instead of misbehaving.
fn private_module() -> Ident {
    format_ident!(
        "__private_{}",
        env!("CARGO_PKG_VERSION").replace(['.', '-', '+'], "_")
    )
}

/// A local name in generated code that user code cannot see or shadow.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

fn expand(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    let Runtime { krate, private } = runtime;
    let input = provider.input;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = &provider.name;
    let token_path = &provider.path;
    let base_url = endpoint_url(provider, runtime, None);
    let token_url = endpoint_url(provider, runtime, token_path.as_ref());
    let build_request = request::build_request(provider, runtime);
    let build_request = assertion::build_request_methods(provider, runtime, &build_request);
    let parse_response = response::parse_response(provider, runtime);
    let refresh = request::refresh(provider, runtime);
    let dpop = dpop(provider, runtime);
    let constructor = constructor::expand(provider, runtime);
    let settings = settings::expand(provider, runtime);
    let response = local("response");
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::TokenEndpoint for #ident #ty_generics #where_clause {
                fn provider_name(&self) -> &'static str {
                    #name
                }

                fn base_url(&self) -> ::core::result::Result<#private::Url, #krate::Error> {
                    #base_url
                }

                fn token_path(&self) -> &str {
                    #token_path
                }

                fn token_url(&self) -> ::core::result::Result<#private::Url, #krate::Error> {
                    #token_url
                }

                #build_request

                fn parse_response(
                    &self,
                    #response: &#krate::TokenResponse<'_>,
                ) -> ::core::result::Result<#krate::Token, #krate::Error> {
                    #parse_response
                }

                #refresh

                #dpop
            }

            #constructor

            #settings
        };
    }
}

/// `dpop()`, when the provider declares `#[token(dpop)]`.
fn dpop(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    let krate = runtime.krate;
    let Some(algorithm) = provider.dpop else {
        return quote!();
    };
    let variant = match algorithm {
        DpopAlgorithm::Es256 => quote!(Es256),
        DpopAlgorithm::Es384 => quote!(Es384),
        DpopAlgorithm::EdDsa => quote!(EdDsa),
    };
    quote! {
        fn dpop(&self) -> ::core::option::Option<#krate::Algorithm> {
            ::core::option::Option::Some(#krate::Algorithm::#variant)
        }
    }
}

/// `<FieldType as Param>::to_param(&self.field)`, spanned on the type so a type that cannot be sent is reported there.
fn param_of(runtime: &Runtime<'_>, field: &Field<'_>) -> TokenStream {
    let krate = runtime.krate;
    let ident = field.ident;
    let ty = field.ty;
    quote_spanned!(ty.span()=> <#ty as #krate::Param>::to_param(&self.#ident))
}

/// The URL a template produces, followed by `path` when given: parsed once per
/// process when the template is fixed; otherwise filled on each call and parsed
/// once per distinct filled text.
fn endpoint_url(
    provider: &Provider<'_>,
    runtime: &Runtime<'_>,
    path: Option<&LitStr>,
) -> TokenStream {
    let private = &runtime.private;
    let krate = runtime.krate;
    let pieces = provider
        .base_url
        .as_ref()
        .map_or(&[][..], |base_url| base_url.pieces.as_slice());
    if let [Piece::Literal(fixed)] = pieces {
        let (url, what) = match path {
            Some(path) => (
                format!("{}{}", fixed.trim_end_matches('/'), path.value()),
                "token URL",
            ),
            None => (fixed.clone(), "base URL"),
        };
        return quote! {
            static __URL: ::std::sync::OnceLock<::core::result::Result<#private::Url, #krate::Error>> =
                ::std::sync::OnceLock::new();
            #private::fixed_url(&__URL, #url, #what)
        };
    }
    let finish = match path {
        Some(path) => quote!(__template.finish_with_path(#path, &__RESOLVED)),
        None => quote!(__template.finish(&__RESOLVED)),
    };
    let pieces = pieces.iter().map(|piece| match piece {
        Piece::Literal(text) => quote!(__template.literal(#text);),
        Piece::Origin(name) | Piece::Part(name) => {
            let method = if matches!(piece, Piece::Origin(_)) {
                format_ident!("origin")
            } else {
                format_ident!("part")
            };
            let value = provider.field(name).map_or_else(
                || quote!(::core::option::Option::None),
                |field| param_of(runtime, field),
            );
            quote!(__template.#method(#name, #value)?;)
        }
    });
    quote! {
        static __RESOLVED: #private::ResolvedUrls = #private::ResolvedUrls::new();
        let mut __template = #private::UrlTemplate::new();
        #(#pieces)*
        #finish
    }
}
