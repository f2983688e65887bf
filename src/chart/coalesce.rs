//! Helm's value coalescing (pkg/chart/common/util/coalesce.go): user values
//! over chart defaults, recursively into subcharts, with `global` values
//! copied down, and a user `null` deleting a default.
//!
//! "Coalesce" (`merge == false`) lets a null remove the key; "merge" keeps
//! nulls (Helm uses it while processing dependencies).

use super::Chart;
use crate::value::{Map, Value};

pub const GLOBAL_KEY: &str = "global";

/// A copy of a table's entries (values inside stay shared).
fn table(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m, _) => Some(m.borrow().clone()),
        _ => None,
    }
}

fn map_value(m: Map) -> Value {
    Value::map(m)
}

/// `CoalesceValues(chart, vals)`: the values a chart renders with.
pub fn coalesce_values(chart: &Chart, user: &Value) -> Result<Value, String> {
    let dest = table(user).unwrap_or_default();
    coalesce(chart, dest, false).map(map_value)
}

/// `MergeValues(chart, vals)`: like [`coalesce_values`] but nulls are kept.
pub fn merge_values(chart: &Chart, user: &Value) -> Result<Value, String> {
    let dest = table(user).unwrap_or_default();
    coalesce(chart, dest, true).map(map_value)
}

fn coalesce(chart: &Chart, dest: Map, merge: bool) -> Result<Map, String> {
    let dest = coalesce_chart_values(chart, dest, merge);
    coalesce_deps(chart, dest, merge)
}

/// A key naming a subchart always merges (keeps nulls) below it.
fn child_merge(chart: &Chart, key: &str, merge: bool) -> bool {
    merge || chart.dependencies.iter().any(|d| d.name == key)
}

/// `coalesceValues`: the chart's defaults under `v`. When coalescing (not
/// merging), a default that is null is not copied and nulls inside copied
/// default tables are dropped (Helm v4.2: chart nils must not shadow
/// globals or print as `%!s(<nil>)`); a user's null deletes the default.
fn coalesce_chart_values(chart: &Chart, mut v: Map, merge: bool) -> Map {
    let Some(defaults) = table(&chart.values) else {
        return v;
    };
    for (key, val) in defaults.iter() {
        match v.get(key) {
            Some(Value::Nil) if !merge => {
                v.remove(key);
            }
            Some(Value::Map(dest, _)) => {
                if let Some(src) = table(val) {
                    let merge = child_merge(chart, key, merge);
                    let src = if merge { src } else { without_nils(&src) };
                    let merged = coalesce_tables(dest.borrow().clone(), src, merge);
                    v.insert(key.clone(), map_value(merged));
                }
            }
            Some(_) => {}
            None if !merge && val.is_nil() => {}
            None => {
                let val = match table(val) {
                    Some(m) if !merge => map_value(without_nils(&m)),
                    _ => val.clone(),
                };
                v.insert(key.clone(), val);
            }
        }
    }
    v
}

/// Helm's `cleanNilValues`, on a copy: null entries removed from a table
/// and from the tables inside it (not from lists).
fn without_nils(m: &Map) -> Map {
    m.iter()
        .filter(|(_, v)| !v.is_nil())
        .map(|(k, v)| match v {
            Value::Map(inner, _) => (k.clone(), map_value(without_nils(&inner.borrow()))),
            _ => (k.clone(), v.clone()),
        })
        .collect()
}

fn coalesce_deps(chart: &Chart, mut dest: Map, merge: bool) -> Result<Map, String> {
    for sub in &chart.dependencies {
        let sub_map = match dest.get(&sub.name) {
            None => Map::new(),
            Some(Value::Map(m, _)) => m.borrow().clone(),
            Some(other) => {
                return Err(format!(
                    "type mismatch on {}: %!t({}={})",
                    sub.name,
                    other.type_name(),
                    crate::go::fmt::sprint_one(other)
                ));
            }
        };
        let with_globals = coalesce_globals(sub_map, &dest);
        let merged = coalesce(sub, with_globals, merge)?;
        dest.insert(sub.name.clone(), map_value(merged));
    }
    Ok(dest)
}

/// Copy the parent's `global` table into a subchart's values; the
/// subchart's own globals win for scalars, tables merge top-down.
fn coalesce_globals(mut dest: Map, src: &Map) -> Map {
    let mut dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m, _)) => m.borrow().clone(),
        Some(_) => return dest,
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m, _)) => m.borrow().clone(),
        Some(_) => return dest,
    };
    for (key, val) in sg {
        match &val {
            Value::Map(vv, _) => match dg.get(&key) {
                None => {
                    dg.insert(key, val.clone());
                }
                Some(Value::Map(d, _)) => {
                    let merged = coalesce_tables(vv.borrow().clone(), d.borrow().clone(), true);
                    dg.insert(key, map_value(merged));
                }
                Some(_) => {}
            },
            _ => {
                if !matches!(dg.get(&key), Some(Value::Map(..))) {
                    dg.insert(key, val);
                }
            }
        }
    }
    dest.insert(GLOBAL_KEY.into(), map_value(dg));
    dest
}

/// `coalesceTablesFullKey(dst, src)`: `dst` has priority, nested tables
/// merge. When coalescing, a null in `dst` deletes the key only where `src`
/// had a value there: a null over a chart null, or for a key the chart does
/// not have, stays (Helm v4.2, recorded).
pub fn coalesce_tables(mut dst: Map, src: Map, merge: bool) -> Map {
    for (key, val) in src {
        match dst.get(&key) {
            Some(Value::Nil) => {
                if !merge && !val.is_nil() {
                    dst.remove(&key);
                }
            }
            None => {
                dst.insert(key, val);
            }
            Some(Value::Map(d, _)) => {
                if let Value::Map(s, _) = &val {
                    let merged = coalesce_tables(d.borrow().clone(), s.borrow().clone(), merge);
                    dst.insert(key, map_value(merged));
                }
            }
            Some(_) => {}
        }
    }
    dst
}

/// Helm's `MergeTables(dst, src)`: `dst` wins; nested tables merge.
pub fn merge_tables(mut dst: Map, src: &Map) -> Map {
    for (key, val) in src.iter() {
        match (dst.get(key), val) {
            (None, _) => {
                dst.insert(key.clone(), val.clone());
            }
            (Some(Value::Map(d, _)), Value::Map(s, _)) => {
                let merged = merge_tables(d.borrow().clone(), &s.borrow());
                dst.insert(key.clone(), map_value(merged));
            }
            _ => {}
        }
    }
    dst
}
