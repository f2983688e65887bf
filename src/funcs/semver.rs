//! Sprig's `semver` and `semverCompare` over [`crate::semver`].

use std::rc::Rc;

use super::util::plain;
use crate::semver::{Constraints, Version};
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{IntTy, Object, Sig, Ty, Value};

const STR1: Sig = Sig::new(&[Ty::String], None);
const STR2: Sig = Sig::new(&[Ty::String, Ty::String], None);
const NONE: Sig = Sig::new(&[], None);

pub fn register(m: &mut FuncMap) {
    m.insert("semver", plain(&STR1, semver));
    m.insert("semverCompare", plain(&STR2, semver_compare));
}

fn arg(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or_default()
}

/// `semver(v string) (*semver.Version, error)`.
fn semver(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let v = Version::parse(arg(a, 0)).map_err(|e| FuncErr::msg(e.to_string()))?;
    Ok(Value::Object(Rc::new(SemverObject(v))))
}

/// `semverCompare(constraint, version string) (bool, error)`: the
/// constraint is parsed first, so its error wins.
fn semver_compare(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let c = Constraints::parse(arg(a, 0)).map_err(|e| FuncErr::msg(e.to_string()))?;
    let v = Version::parse(arg(a, 1)).map_err(|e| FuncErr::msg(e.to_string()))?;
    Ok(Value::Bool(c.check(&v)))
}

/// `*semver.Version` as templates see it: accessor methods and `%v` as
/// `String()`.
struct SemverObject(Version);

/// Go's uint64 accessors. Segments beyond `i64::MAX` wrap (documented limit
/// of the value model).
fn uint64(n: u64) -> Value {
    Value::Int(n as i64, IntTy::Uint64)
}

impl Object for SemverObject {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }
    fn kind_name(&self) -> &'static str {
        "ptr"
    }
    fn method(&self, name: &str) -> Option<&'static Sig> {
        matches!(
            name,
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String"
        )
        .then_some(&NONE)
    }
    fn call(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        let v = &self.0;
        Ok(match name {
            "Major" => uint64(v.major()),
            "Minor" => uint64(v.minor()),
            "Patch" => uint64(v.patch()),
            "Prerelease" => Value::str(v.prerelease()),
            "Metadata" => Value::str(v.metadata()),
            "Original" => Value::str(v.original()),
            "String" => Value::string(v.to_string()),
            _ => return Err(format!("no method {name}")),
        })
    }
    fn format(&self) -> String {
        self.0.to_string()
    }
}
