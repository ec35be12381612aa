//! `oauth-token list`: every provider's settings, as a table or as JSON.

use clap::ArgMatches;
use oauth_core::{FieldMetadata, ProviderMetadata};
use oauth_providers::BUNDLED;
use serde_json::{Value, json};

use crate::command::{self, JSON};
use crate::failure::Failure;

pub(crate) fn run(arguments: &ArgMatches) -> Result<(), Failure> {
    if arguments.get_flag(JSON) {
        let providers: Vec<Value> = BUNDLED
            .iter()
            .map(|bundled| provider_json(&bundled.metadata))
            .collect();
        crate::print(&format!("{}\n", Value::Array(providers)))
    } else {
        crate::print(&table())
    }
}

/// One row of the table: how a setting is given, and what it is.
struct Row {
    flag: String,
    env: String,
    kind: String,
    doc: String,
}

impl Row {
    fn of(metadata: &ProviderMetadata, field: &FieldMetadata) -> Self {
        let flag = if field.secret {
            format!("--{} PATH", command::file_flag(field))
        } else {
            format!("--{} VALUE", command::flag(field))
        };
        let presence = match (field.required, field.default) {
            (true, _) => "required",
            (false, Some(_)) => "defaulted",
            (false, None) => "optional",
        };
        let secret = if field.secret { ", secret" } else { "" };
        let doc = match field.default {
            // A secret's default is not for printing.
            Some(default) if !field.secret => format!("{} [default: {default}]", field.doc),
            _ => field.doc.to_owned(),
        };
        Self {
            flag,
            env: metadata.env_var(field),
            kind: format!("{presence}{secret}"),
            doc,
        }
    }

    fn base_url(metadata: &ProviderMetadata) -> Self {
        Self {
            flag: format!("--{} URL", command::BASE_URL),
            env: command::base_url_env(metadata),
            kind: String::from("optional"),
            doc: String::from("Replaces the declared base URL (http:// only for loopback)."),
        }
    }
}

fn table() -> String {
    let providers: Vec<(&str, Vec<Row>)> = BUNDLED
        .iter()
        .map(|bundled| {
            let metadata = &bundled.metadata;
            let mut rows: Vec<Row> = metadata
                .fields
                .iter()
                .map(|field| Row::of(metadata, field))
                .collect();
            rows.push(Row::base_url(metadata));
            (metadata.name, rows)
        })
        .collect();
    let rows = || providers.iter().flat_map(|(_, rows)| rows);
    let flag_width = rows().map(|row| row.flag.len()).max().unwrap_or_default();
    let env_width = rows().map(|row| row.env.len()).max().unwrap_or_default();
    let kind_width = rows().map(|row| row.kind.len()).max().unwrap_or_default();
    let mut table = String::new();
    for (name, rows) in &providers {
        table.push_str(name);
        table.push('\n');
        for row in rows {
            let line = format!(
                "  {:flag_width$}  {:env_width$}  {:kind_width$}  {}",
                row.flag, row.env, row.kind, row.doc
            );
            table.push_str(line.trim_end());
            table.push('\n');
        }
    }
    table.push_str(
        "\nA secret's variable holds the value itself; its --<field>-file flag names \
         a file holding it ('-' for standard input).\n",
    );
    table
}

fn provider_json(metadata: &ProviderMetadata) -> Value {
    let settings: Vec<Value> = metadata
        .fields
        .iter()
        .map(|field| {
            let flag = if field.secret {
                command::file_flag(field)
            } else {
                command::flag(field)
            };
            json!({
                "name": field.name,
                "flag": format!("--{flag}"),
                "env": metadata.env_var(field),
                "secret": field.secret,
                "required": field.required,
                "defaulted": field.default.is_some(),
                "default": field.default.filter(|_| !field.secret),
                "doc": field.doc,
            })
        })
        .collect();
    json!({
        "name": metadata.name,
        "settings": settings,
        "base_url": {
            "flag": format!("--{}", command::BASE_URL),
            "env": command::base_url_env(metadata),
        },
    })
}
