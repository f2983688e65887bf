//! The compiled schema: one [`Node`] per (sub)schema with its keywords
//! resolved to node indexes, as `compile` builds it and `validate` walks
//! it (santhosh-tekuri/jsonschema's `Schema`). Its own file so that the
//! validator needs nothing of the compiler.

use std::collections::HashMap;

use regex::Regex as CompiledRegex;

use super::json::{J, Num};
use crate::go::fmt::go_quote;

#[derive(Clone, Debug)]
pub enum Items {
    One(usize),
    Many(Vec<usize>),
}

#[derive(Clone, Debug)]
pub enum Additional {
    Bool(bool),
    Schema(usize),
}

#[derive(Clone, Debug)]
pub enum Dep {
    Props(Vec<String>),
    Schema(usize),
}

/// One compiled (sub)schema.
#[derive(Clone, Debug, Default)]
pub struct Node {
    pub loc: String,
    pub draft: u32,
    pub resource: usize,
    pub boolean: Option<bool>,
    pub types: Vec<&'static str>,
    pub const_: Option<J>,
    pub enum_: Option<Vec<J>>,
    pub format: Option<String>,
    pub ref_: Option<usize>,
    pub recursive_ref: Option<usize>,
    pub dynamic_ref: Option<(usize, String)>,
    pub recursive_anchor: bool,
    pub dynamic_anchor: Option<String>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub required: Vec<String>,
    pub dependencies: Vec<(String, Dep)>,
    pub properties: Vec<(String, usize)>,
    pub pattern_properties: Vec<(Regex, usize)>,
    pub additional_properties: Option<Additional>,
    pub property_names: Option<usize>,
    pub dependent_schemas: Vec<(String, usize)>,
    pub dependent_required: Vec<(String, Vec<String>)>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub items: Option<Items>,
    pub additional_items: Option<Additional>,
    pub prefix_items: Vec<usize>,
    pub items2020: Option<usize>,
    pub contains: Option<usize>,
    pub min_contains: Option<usize>,
    pub max_contains: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<(Regex, String)>,
    pub minimum: Option<Num>,
    pub maximum: Option<Num>,
    pub exclusive_minimum: Option<Num>,
    pub exclusive_maximum: Option<Num>,
    pub multiple_of: Option<Num>,
    pub not: Option<usize>,
    pub all_of: Vec<usize>,
    pub any_of: Vec<usize>,
    pub one_of: Vec<usize>,
    pub if_: Option<usize>,
    pub then_: Option<usize>,
    pub else_: Option<usize>,
    pub unevaluated_properties: Option<usize>,
    pub unevaluated_items: Option<usize>,
    pub all_props_evaluated: bool,
    pub all_items_evaluated: bool,
    pub num_items_evaluated: usize,
}

/// A schema resource (document root or embedded `$id`).
#[derive(Clone, Debug, Default)]
pub struct Resource {
    pub url: String,
    pub root: Option<usize>,
    pub dynamic_anchors: HashMap<String, usize>,
}

/// All compiled schemas of one validation.
pub struct Compiled {
    pub nodes: Vec<Node>,
    pub resources: Vec<Resource>,
    pub root: usize,
}

/// A schema regex: its syntax is checked when the schema is compiled (a
/// cheap parse), the matcher is built on first use, since most patterns of
/// a large schema never see a value.
#[derive(Debug)]
pub struct Regex {
    pat: String,
    re: std::sync::OnceLock<Option<Matcher>>,
}

/// regex-lite compiles about ten times faster, which matters because a
/// schema's patterns are compiled on every run; it lacks Unicode classes,
/// so those patterns use the full engine.
#[derive(Debug, Clone)]
enum Matcher {
    Lite(regex_lite::Regex),
    Full(CompiledRegex),
}

impl Clone for Regex {
    fn clone(&self) -> Regex {
        Regex {
            pat: self.pat.clone(),
            re: self.re.clone(),
        }
    }
}

impl Regex {
    pub fn is_match(&self, s: &str) -> bool {
        let m = self
            .re
            .get_or_init(|| match regex_lite::Regex::new(&self.pat) {
                Ok(r) => Some(Matcher::Lite(r)),
                Err(_) => CompiledRegex::new(&self.pat).ok().map(Matcher::Full),
            });
        match m {
            Some(Matcher::Lite(r)) => r.is_match(s),
            Some(Matcher::Full(r)) => r.is_match(s),
            None => false,
        }
    }
}

pub(super) fn compile_regex(pat: &str, loc: &str) -> Result<Regex, String> {
    regex_syntax::Parser::new().parse(pat).map_err(|_| {
        format!(
            "{} is not valid 'regex': invalid regex {}",
            go_quote(loc),
            go_quote(pat)
        )
    })?;
    Ok(Regex {
        pat: pat.to_string(),
        re: std::sync::OnceLock::new(),
    })
}
