//! Data formats in templates: Helm's `toYaml` `toYamlPretty` `fromYaml`
//! `fromYamlArray` `toJson` `fromJson` `fromJsonArray` `toToml` `fromToml`
//! (and `must*` forms), Sprig's `toPrettyJson` `toRawJson` `mustFromJson`.
//!
//! Helm's non-`must` readers never fail: a parse error lands in the result
//! (`.Error` of the map, or the only item of the list), and the writers
//! return an empty string.

use super::util::plain;
use crate::template::exec::FuncErr;
use crate::template::funcs::FuncMap;
use crate::value::{Map, Sig, Ty, Value};
use crate::yaml::toml::{self, TomlError};
use crate::yaml::{self, JsonTarget};

const ANY1: Sig = Sig::new(&[Ty::Any], None);
const STR1: Sig = Sig::new(&[Ty::String], None);

fn text(a: &[Value]) -> &str {
    a.first().and_then(Value::as_str).unwrap_or_default()
}

fn error_map(msg: String) -> Value {
    let mut m = Map::new();
    m.insert("Error".into(), Value::string(msg));
    Value::map(m)
}

pub fn register(m: &mut FuncMap) {
    m.insert(
        "toYaml",
        plain(&ANY1, |_, a| {
            Ok(Value::string(yaml::to_yaml(&a[0]).unwrap_or_default()))
        }),
    );
    m.insert(
        "mustToYaml",
        plain(&ANY1, |_, a| {
            yaml::to_yaml(&a[0])
                .map(Value::string)
                .map_err(FuncErr::Msg)
        }),
    );
    m.insert(
        "toYamlPretty",
        plain(&ANY1, |_, a| {
            Ok(Value::string(
                yaml::to_yaml_pretty(&a[0]).unwrap_or_default(),
            ))
        }),
    );
    m.insert(
        "fromYaml",
        plain(&STR1, |_, a| {
            Ok(yaml::parse_document(text(a)).unwrap_or_else(|e| error_map(e.message)))
        }),
    );
    m.insert(
        "fromYamlArray",
        plain(&STR1, |_, a| {
            Ok(yaml::parse_array(text(a))
                .unwrap_or_else(|e| Value::list(vec![Value::string(e.message)])))
        }),
    );
    m.insert(
        "toJson",
        plain(&ANY1, |_, a| Ok(Value::string(yaml::to_json(&a[0])))),
    );
    m.insert(
        "mustToJson",
        plain(&ANY1, |_, a| {
            yaml::json::marshal(&a[0], true, false)
                .map(Value::string)
                .map_err(FuncErr::Msg)
        }),
    );
    m.insert(
        "toPrettyJson",
        plain(&ANY1, |_, a| Ok(Value::string(yaml::to_pretty_json(&a[0])))),
    );
    m.insert(
        "mustToPrettyJson",
        plain(&ANY1, |_, a| {
            yaml::json::marshal(&a[0], true, true)
                .map(Value::string)
                .map_err(FuncErr::Msg)
        }),
    );
    m.insert(
        "toRawJson",
        plain(&ANY1, |_, a| Ok(Value::string(yaml::to_raw_json(&a[0])))),
    );
    m.insert(
        "mustToRawJson",
        plain(&ANY1, |_, a| {
            yaml::json::marshal(&a[0], false, false)
                .map(Value::string)
                .map_err(FuncErr::Msg)
        }),
    );
    m.insert(
        "fromJson",
        plain(&STR1, |_, a| {
            Ok(yaml::parse_json(text(a), JsonTarget::Map).unwrap_or_else(error_map))
        }),
    );
    m.insert(
        "fromJsonArray",
        plain(&STR1, |_, a| {
            Ok(yaml::parse_json(text(a), JsonTarget::Array)
                .unwrap_or_else(|e| Value::list(vec![Value::string(e)])))
        }),
    );
    m.insert(
        "mustFromJson",
        plain(&STR1, |_, a| {
            yaml::parse_json(text(a), JsonTarget::Any).map_err(FuncErr::Msg)
        }),
    );
    m.insert(
        "toToml",
        plain(&ANY1, |_, a| match toml::to_toml(&a[0]) {
            Ok(s) | Err(TomlError::Encode(s)) => Ok(Value::string(s)),
            Err(TomlError::Panic(p)) => Err(FuncErr::Msg(p)),
        }),
    );
    m.insert(
        "mustToToml",
        plain(&ANY1, |_, a| {
            toml::to_toml(&a[0])
                .map(Value::string)
                .map_err(|(TomlError::Encode(e) | TomlError::Panic(e))| FuncErr::Msg(e))
        }),
    );
    m.insert(
        "fromToml",
        plain(&STR1, |_, a| {
            Ok(toml::parse_toml(text(a)).unwrap_or_else(error_map))
        }),
    );
}
