//! Sprig's dict functions (`dict`, `get`, `set`, `merge`, `dig`, ...).
//!
//! Go maps are references: `set`, `unset` and `merge` change the map they
//! are given, and every variable or parent map holding it sees the change
//! (`Value::Map` shares one `RefCell`). `dict`, `pick`, `omit` and
//! `deepCopy` make new maps. Parameters typed `map[string]interface {}`
//! accept `.Values` too; a nil map reads as empty.

use std::rc::Rc;

use super::convert::strval;
use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{ElemTy, Map, MapRef, MapTy, Sig, Ty, Value};

const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const ANY1: Sig = Sig::new(&[Ty::Any], None);
const MAP1: Sig = Sig::new(&[Ty::Map], None);
const MAP_STR: Sig = Sig::new(&[Ty::Map, Ty::String], None);
const MAP_STR_ANY: Sig = Sig::new(&[Ty::Map, Ty::String, Ty::Any], None);
const MAP_STRV: Sig = Sig::new(&[Ty::Map], Some(Ty::String));
const MAP_MAPV: Sig = Sig::new(&[Ty::Map], Some(Ty::Map));
const STR_MAPV: Sig = Sig::new(&[Ty::String], Some(Ty::Map));
const MAPV: Sig = Sig::new(&[], Some(Ty::Map));

/// Recursion limit for merging and copying: only a map that contains itself
/// (built with `set`) gets this deep, and Go would overflow its stack on it.
const MAX_DEPTH: usize = 1000;

pub fn register(m: &mut FuncMap) {
    m.insert("dict", plain(&ANYV, dict));
    m.insert("get", plain(&MAP_STR, get));
    m.insert("set", plain(&MAP_STR_ANY, set));
    m.insert("unset", plain(&MAP_STR, unset));
    m.insert("hasKey", plain(&MAP_STR, has_key));
    m.insert("pluck", plain(&STR_MAPV, pluck));
    m.insert("keys", plain(&MAPV, keys));
    m.insert("values", plain(&MAP1, values));
    m.insert("pick", plain(&MAP_STRV, pick));
    m.insert("omit", plain(&MAP_STRV, omit));
    m.insert(
        "merge",
        plain(&MAP_MAPV, |_, a| swallow(merge_all(a, false))),
    );
    m.insert("mustMerge", plain(&MAP_MAPV, |_, a| merge_all(a, false)));
    m.insert(
        "mergeOverwrite",
        plain(&MAP_MAPV, |_, a| swallow(merge_all(a, true))),
    );
    m.insert(
        "mustMergeOverwrite",
        plain(&MAP_MAPV, |_, a| merge_all(a, true)),
    );
    m.insert("dig", plain(&ANYV, dig));
    m.insert("deepCopy", plain(&ANY1, deep_copy));
    m.insert("mustDeepCopy", plain(&ANY1, deep_copy));
}

/// The map behind a `map[string]interface {}` argument; `None` for nil.
fn map_arg(v: &Value) -> Option<&MapRef> {
    match v {
        Value::Map(m, _) => Some(m),
        _ => None,
    }
}

/// A function result typed `map[string]interface {}` that shares `m`.
fn as_iface(m: &MapRef) -> Value {
    Value::Map(m.clone(), MapTy::Iface)
}

fn lookup(v: &Value, key: &str) -> Option<Value> {
    map_arg(v).and_then(|m| m.borrow().get(key).cloned())
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn dict(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut m = Map::new();
    for pair in a.chunks(2) {
        let v = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(strval(&pair[0]), v);
    }
    Ok(Value::map(m))
}

fn get(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(lookup(&a[0], str_arg(&a[1])).unwrap_or_else(|| Value::str("")))
}

fn set(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let Some(m) = map_arg(&a[0]) else {
        return Err(FuncErr::msg("assignment to entry in nil map"));
    };
    m.borrow_mut()
        .insert(str_arg(&a[1]).to_string(), a[2].clone());
    Ok(as_iface(m))
}

fn unset(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let Some(m) = map_arg(&a[0]) else {
        // Deleting from a nil map is a no-op that returns the nil map.
        return Ok(Value::empty_map());
    };
    m.borrow_mut().remove(str_arg(&a[1]));
    Ok(as_iface(m))
}

fn has_key(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(Value::Bool(lookup(&a[0], str_arg(&a[1])).is_some()))
}

fn pluck(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let key = str_arg(&a[0]);
    Ok(Value::list(
        a[1..].iter().filter_map(|d| lookup(d, key)).collect(),
    ))
}

/// Keys of all given maps, in sorted order per map (Go's is random).
fn keys(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut out = Vec::new();
    for m in a.iter().filter_map(map_arg) {
        out.extend(m.borrow().keys().map(|k| Value::str(k)));
    }
    Ok(Value::List(Rc::new(out), ElemTy::String))
}

fn values(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let out = map_arg(&a[0]).map_or_else(Vec::new, |m| m.borrow().values().cloned().collect());
    Ok(Value::list(out))
}

fn pick(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut out = Map::new();
    for k in &a[1..] {
        let k = str_arg(k);
        if let Some(v) = lookup(&a[0], k) {
            out.insert(k.to_string(), v);
        }
    }
    Ok(Value::map(out))
}

fn omit(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let drop: Vec<&str> = a[1..].iter().map(str_arg).collect();
    let out = map_arg(&a[0]).map_or_else(Map::new, |m| {
        m.borrow()
            .iter()
            .filter(|(k, _)| !drop.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    });
    Ok(Value::map(out))
}

/// `merge` and `mergeOverwrite` turn a failure into an empty string.
fn swallow(r: Result<Value, FuncErr>) -> Result<Value, FuncErr> {
    Ok(r.unwrap_or_else(|_| Value::str("")))
}

/// `merge DST SRC...`: mergo's Merge (or MergeWithOverride) of each source
/// into DST in turn, changing DST in place. A nil DST becomes a new map.
fn merge_all(a: &[Value], overwrite: bool) -> Result<Value, FuncErr> {
    let dst = match map_arg(&a[0]) {
        Some(m) => m.clone(),
        None => Rc::new(std::cell::RefCell::new(Map::new())),
    };
    for src in a[1..].iter().filter_map(map_arg) {
        merge_into(&dst, src, overwrite, 0)?;
    }
    Ok(as_iface(&dst))
}

/// mergo's `deepMerge` for two `map[string]interface {}`, reduced to its
/// outcomes:
/// - a nil source value is skipped, or stored as nil when overwriting;
/// - map into map merges recursively, in place (so aliases of the inner
///   destination map see it) and keeps the destination map unless it is
///   still empty afterwards;
/// - otherwise (lists are never merged) the source value is stored when
///   overwriting or when the destination entry is missing or empty.
///
/// Values are stored by reference, like Go, so a source sub-map moved into
/// DST stays shared with the source.
fn merge_into(dst: &MapRef, src: &MapRef, overwrite: bool, depth: usize) -> Result<(), FuncErr> {
    if depth > MAX_DEPTH {
        return Err(FuncErr::msg("merge: maps nested too deeply"));
    }
    // Snapshot: `src` may be `dst` itself or contain it.
    let entries: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, sv) in entries {
        let dv = dst.borrow().get(&k).cloned();
        if sv.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(k, Value::Nil);
            }
            continue;
        }
        if let (Value::Map(sm, _), Some(Value::Map(dm, _))) = (&sv, &dv) {
            merge_into(dm, sm, overwrite, depth + 1)?;
            if !dm.borrow().is_empty() {
                continue;
            }
        }
        if overwrite || dv.as_ref().is_none_or(mergo_empty) {
            dst.borrow_mut().insert(k, sv);
        }
    }
    Ok(())
}

/// mergo's `isEmptyValue` on an interface, looking through to the value.
fn mergo_empty(v: &Value) -> bool {
    match v {
        Value::Object(_) | Value::Complex(..) => false,
        other => !other.truth(),
    }
}

/// `dig KEY... DEFAULT DICT`: walks nested `map[string]interface {}` maps.
/// Go type-asserts each step, so a non-map step (including `.Values`
/// itself, a `common.Values`) fails with an interface conversion panic.
fn dig(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let [keys @ .., def, last] = a else {
        return Err(FuncErr::msg("dig needs at least three arguments"));
    };
    if keys.is_empty() {
        return Err(FuncErr::msg("dig needs at least three arguments"));
    }
    let mut cur = assert_map(last)?;
    let keys: Vec<&str> = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| conversion_error(k, "string")))
        .collect::<Result<_, _>>()?;
    for (i, k) in keys.iter().enumerate() {
        let Some(step) = cur.borrow().get(*k).cloned() else {
            return Ok(def.clone());
        };
        if i + 1 == keys.len() {
            return Ok(step);
        }
        let next = assert_map(&step)?;
        cur = next;
    }
    Ok(def.clone())
}

/// Go's `x.(map[string]interface {})`.
fn assert_map(v: &Value) -> Result<MapRef, FuncErr> {
    match v {
        Value::Map(m, MapTy::Iface) => Ok(m.clone()),
        other => Err(conversion_error(other, "map[string]interface {}")),
    }
}

fn conversion_error(v: &Value, want: &str) -> FuncErr {
    let got = if v.is_nil() {
        "nil".to_string()
    } else {
        v.type_name()
    };
    FuncErr::msg(format!(
        "interface conversion: interface {{}} is {got}, not {want}"
    ))
}

/// copystructure's `Copy`: new maps and slices all the way down, keeping
/// every Go type; nil has no type to copy.
fn deep_copy(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    if a[0].is_nil() {
        return Err(FuncErr::msg(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    copy_value(&a[0], 0)
}

fn copy_value(v: &Value, depth: usize) -> Result<Value, FuncErr> {
    if depth > MAX_DEPTH {
        return Err(FuncErr::msg("deepCopy: values nested too deeply"));
    }
    Ok(match v {
        Value::Map(m, t) => {
            let mut out = Map::new();
            for (k, x) in m.borrow().iter() {
                out.insert(k.clone(), copy_value(x, depth + 1)?);
            }
            Value::typed_map(out, *t)
        }
        Value::List(l, e) => Value::List(
            Rc::new(
                l.iter()
                    .map(|x| copy_value(x, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            *e,
        ),
        other => other.clone(),
    })
}
