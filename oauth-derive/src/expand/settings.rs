//! `FromSettings`: the provider's metadata, and building it from named settings.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Lit;
use syn::spanned::Spanned;

use super::constructor::default_value;
use super::{Runtime, local};
use crate::ast::{Field, Provider};

/// Left out when switched off, and for structs with lifetimes, whose fields may borrow.
pub(super) fn expand(provider: &Provider<'_>, runtime: &Runtime<'_>) -> TokenStream {
    if !provider.settings || provider.has_generics() {
        return quote!();
    }
    let Runtime { krate, private } = runtime;
    let ident = &provider.input.ident;
    let name = &provider.name;
    let metadata = provider.fields.iter().map(|field| {
        let field_name = &field.name;
        let ty = field.ty;
        let required = field.is_required();
        let doc = field.summary();
        let default = match default_text(field) {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        let secret = if field.is_private_key() {
            quote!(true)
        } else {
            quote!(<#ty as #krate::Param>::SECRET)
        };
        quote!(#private::field_metadata(#field_name, #secret, #required, #default, #doc))
    });
    let source = local("source");
    let readers = provider.fields.iter().enumerate().map(|(index, field)| {
        let member = field.ident;
        let value_type = field.option_of.unwrap_or(field.ty);
        let parse = quote_spanned!(value_type.span()=>
            |__text: &str| (&&&#private::Setting::<#value_type>::new()).parse_setting(__text)
        );
        let read = if field.is_required() {
            quote!(#private::required(#source, &__FIELDS[#index], #parse)?)
        } else if field.option_of.is_some() {
            quote!(#private::read(#source, &__FIELDS[#index], #parse)?)
        } else {
            let default = default_value(runtime, field);
            quote! {
                match #private::read(#source, &__FIELDS[#index], #parse)? {
                    ::core::option::Option::Some(__value) => __value,
                    ::core::option::Option::None => #default,
                }
            }
        };
        quote!(#member: #read)
    });
    quote! {
        #[automatically_derived]
        impl #krate::FromSettings for #ident {
            const METADATA: #krate::ProviderMetadata =
                #private::provider_metadata(#name, &[#(#metadata),*]);

            fn from_settings(
                #source: &mut dyn #krate::SettingSource,
            ) -> ::core::result::Result<Self, #krate::Error> {
                #[allow(unused_imports)]
                use #private::{CannotParseSetting as _, ExplainParseSetting as _, ParseSetting as _};
                const __FIELDS: &[#krate::FieldMetadata] = <#ident as #krate::FromSettings>::METADATA.fields;
                ::core::result::Result::Ok(Self { #(#readers),* })
            }
        }
    }
}

/// The declared default as the user wrote it, for tools that list settings.
fn default_text(field: &Field<'_>) -> Option<String> {
    match field.usable_default()? {
        Lit::Str(text) => Some(text.value()),
        Lit::Int(number) => Some(number.base10_digits().to_owned()),
        Lit::Bool(flag) => Some(flag.value.to_string()),
        _ => None,
    }
}
