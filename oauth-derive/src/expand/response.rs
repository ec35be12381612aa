//! Parsing the response: the declared mapping as a constant the runtime reads,
//! with its paths compiled into matches on the body's keys (`routes.rs`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Lit;

use super::{Runtime, local, routes};
use crate::ast::{Provider, Success};
use crate::attr::{Format, ZeroLifetime};

pub(super) fn parse_response(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    let private = &runtime.private;
    let name = &provider.name;
    let response = &provider.response;
    let mut overrides = Vec::new();
    let paths = [
        ("access_token", &response.access_token),
        ("token_type", &response.token_type),
        ("expires_in", &response.expires_in),
        ("refresh_token", &response.refresh_token),
        ("scope", &response.scope),
        ("expires_at", &response.expires_at),
    ];
    for (member, path) in paths {
        if let Some(path) = path {
            let member = format_ident!("{member}");
            let path = field_path(path);
            overrides.push(quote!(#member: #path,));
        }
    }
    if let Some(header) = &response.access_token_header {
        let header = header.value().to_ascii_lowercase();
        overrides.push(quote!(access_token_header: ::core::option::Option::Some(#header),));
    }
    if let Some(issued_at) = &response.issued_at {
        let path = field_path(issued_at);
        overrides.push(quote!(issued_at: #path,));
    }
    if let Some(meaning) = response.zero_lifetime {
        let meaning = match meaning {
            ZeroLifetime::Expired => quote!(Expired),
            ZeroLifetime::Never => quote!(Never),
        };
        overrides.push(quote!(zero_lifetime: #private::ZeroLifetime::#meaning,));
    }
    if response.expiry_from_jwt {
        overrides.push(quote!(expiry_from_jwt: true,));
    }
    if let Some(format) = response.format {
        let format = match format {
            Format::Json => quote!(Json),
            Format::Form => quote!(Form),
        };
        overrides
            .push(quote!(format: ::core::option::Option::Some(#private::BodyFormat::#format),));
    }
    if let Some(success) = &response.success {
        let condition = success_condition(runtime, success);
        overrides.push(quote!(success: ::core::option::Option::Some(#condition),));
    }
    if response.error_code.is_some() || response.error_description.is_some() {
        let default = quote!(#private::ErrorShape::RFC6749);
        let code = response
            .error_code
            .as_deref()
            .map_or_else(|| quote!(#default.code), field_path);
        let description = response
            .error_description
            .as_deref()
            .map_or_else(|| quote!(#default.description), field_path);
        overrides.push(quote! {
            error: #private::ErrorShape { code: #code, description: #description },
        });
    }
    let (route_fns, routes) = routes::expand(response, private);
    overrides.push(quote!(routes: #routes,));
    let body = local("response");
    quote! {
        #route_fns
        const __SPEC: #private::ResponseSpec = #private::ResponseSpec {
            #(#overrides)*
            ..#private::ResponseSpec::RFC6749
        };
        #private::parse_response(&__SPEC, #name, #body)
    }
}

fn success_condition(runtime: &Runtime<'_>, success: &Success) -> TokenStream {
    let private = &runtime.private;
    let field = field_path(&success.field);
    let equals = match &success.equals {
        Lit::Str(text) => quote!(#private::Expected::Text(#text)),
        Lit::Bool(flag) => quote!(#private::Expected::Bool(#flag)),
        other => quote!(#private::Expected::Integer(#other)),
    };
    let message = match &success.message {
        Some(path) => {
            let path = field_path(path);
            quote!(::core::option::Option::Some(#path))
        }
        None => quote!(::core::option::Option::None),
    };
    let codes = &success.codes;
    quote! {
        #private::SuccessCondition {
            field: #field,
            equals: #equals,
            message: #message,
            code_names: &[#(#codes),*],
        }
    }
}

fn field_path(segments: &[String]) -> TokenStream {
    quote!(&[#(#segments),*])
}
