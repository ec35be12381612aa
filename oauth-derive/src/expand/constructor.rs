//! `new(...)` taking the required fields, and a `with_<field>` setter for each other one.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Lit;

use super::Runtime;
use crate::ast::{Field, Provider};

pub(super) fn expand(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    if !provider.constructor {
        return quote!();
    }
    let input = provider.input;
    let ident = &input.ident;
    let vis = &input.vis;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let required: Vec<&Field<'_>> = provider.fields.iter().filter(|f| f.is_required()).collect();
    let arguments = required.iter().map(|field| {
        let (name, ty) = (field.ident, field.ty);
        quote!(#name: impl ::core::convert::Into<#ty>)
    });
    let initializers = provider
        .fields
        .iter()
        .map(|field| initializer(runtime, field));
    let new_doc = new_doc(&ident.to_string(), &required);
    let setters = provider
        .fields
        .iter()
        .filter(|field| !field.is_required())
        .map(|field| setter(vis, field));
    quote! {
        #[automatically_derived]
        // A provider need not call every setter it is given.
        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #new_doc]
            #[allow(clippy::too_many_arguments)]
            #vis fn new(#(#arguments),*) -> Self {
                Self { #(#initializers),* }
            }

            #(#setters)*
        }
    }
}

fn new_doc(ident: &str, required: &[&Field<'_>]) -> String {
    let names: Vec<String> = required
        .iter()
        .map(|field| format!("`{}`", field.name))
        .collect();
    if names.is_empty() {
        format!("Creates `{ident}`; every field starts unset or at its default.")
    } else {
        format!(
            "Creates `{ident}` from {}; the other fields start unset or at their default.",
            names.join(", ")
        )
    }
}

/// How `new` and `FromSettings` fill a field that is not given.
pub(super) fn default_value(runtime: &Runtime<'_>, field: &Field<'_>) -> TokenStream {
    let private = &runtime.private;
    let ty = field.ty;
    match field.usable_default() {
        Some(Lit::Str(text)) => {
            quote_spanned!(text.span()=> <#ty as #private::DefaultText>::from_default(#text))
        }
        Some(literal) => {
            quote_spanned!(literal.span()=> <#ty as #private::DefaultLiteral>::from_default(#literal))
        }
        None if field.option_of.is_some() => quote!(::core::option::Option::None),
        // Only beside an error about this field's `default`, which is the one to show.
        None => quote!(::core::unreachable!()),
    }
}

fn initializer(runtime: &Runtime<'_>, field: &Field<'_>) -> TokenStream {
    let name = field.ident;
    if field.is_required() {
        quote!(#name: ::core::convert::Into::into(#name))
    } else {
        let value = default_value(runtime, field);
        quote!(#name: #value)
    }
}

fn setter(vis: &syn::Visibility, field: &Field<'_>) -> TokenStream {
    let name = field.ident;
    let setter = format_ident!("with_{}", field.name);
    let docs = if field.docs.is_empty() {
        let doc = format!("Sets `{}`.", field.name);
        quote!(#[doc = #doc])
    } else {
        let docs = &field.docs;
        quote!(#(#docs)*)
    };
    let (ty, value) = match field.option_of {
        Some(inner) => (
            inner,
            quote!(::core::option::Option::Some(::core::convert::Into::into(#name))),
        ),
        None => (field.ty, quote!(::core::convert::Into::into(#name))),
    };
    quote! {
        #docs
        #[must_use]
        #vis fn #setter(mut self, #name: impl ::core::convert::Into<#ty>) -> Self {
            self.#name = #value;
            self
        }
    }
}
