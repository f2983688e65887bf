//! The value model: Go's dynamic types as Helm templates see them.
//!
//! Helm data is `map[string]interface{}` trees decoded from YAML/JSON, plus a
//! few Go structs (`.Capabilities`, `.Files`). We keep the Go type of every
//! value because it is observable: `%T`, `typeOf`, comparison rules
//! (`eq 1.0 1` fails) and number formatting (`1e+06`) all depend on it.
//! `Ty` and `Sig` name Go parameter and function types: the function map
//! and the methods of the Go objects in the template context declare them.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The concrete integer type of a Go integer value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntTy {
    /// Go `int`: template literals, `len`, range indexes.
    Int,
    /// Go `int64`: `--set` integers and most Sprig math.
    Int64,
    /// Go `int32` (`rune`): character constants reach functions as int.
    Int32,
    /// Go `uint8` (`byte`): elements of `[]byte`.
    Uint8,
    /// Go `uint64`: `semver.Version` segments. Values above `i64::MAX`
    /// cannot be represented.
    Uint64,
    /// Go `uint32`: only made by converting a constant for a `uint32` parameter.
    Uint32,
}

impl IntTy {
    pub fn name(self) -> &'static str {
        match self {
            IntTy::Int => "int",
            IntTy::Int64 => "int64",
            IntTy::Int32 => "int32",
            IntTy::Uint8 => "uint8",
            IntTy::Uint64 => "uint64",
            IntTy::Uint32 => "uint32",
        }
    }
}

/// Element type of a Go slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemTy {
    /// `[]interface {}`
    Iface,
    /// `[]string`
    String,
    /// `[]int`
    Int,
    /// `[]uint8` (`[]byte`)
    Byte,
    /// `[][]interface {}` (Sprig's `chunk`)
    IfaceList,
}

/// The Go type of a map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapTy {
    /// `map[string]interface {}`
    Iface,
    /// `common.Values`, Helm's named map type for `.` and `.Values`.
    Values,
    /// `map[string]string`
    String,
}

/// A Go parameter type, as function signatures declare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface {}`
    Any,
    String,
    Int,
    Int64,
    Float64,
    Bool,
    /// `[]interface {}`
    List,
    /// `map[string]interface {}`
    Map,
    /// `common.Values`
    Values,
    /// `[]string`
    StrList,
    /// `reflect.Value`: Go builtins receive values unconverted.
    Reflect,
    /// `time.Time`, a struct: Sprig's date functions.
    Time,
    /// `uint32` (`derivePassword`'s counter).
    Uint32,
    /// A named Go struct type such as `sprig.certificate`; accepts an
    /// `Object` whose `type_name` is exactly this.
    Struct(&'static str),
    /// A parameter of the inner type whose function reads a Go string's
    /// bytes: a string held as bytes (`bytestr`) reaches it unconverted.
    Raw(&'static Ty),
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::String => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float64 => "float64",
            Ty::Bool => "bool",
            Ty::List => "[]interface {}",
            Ty::Map => "map[string]interface {}",
            Ty::Values => "common.Values",
            Ty::StrList => "[]string",
            Ty::Reflect => "reflect.Value",
            Ty::Time => "time.Time",
            Ty::Uint32 => "uint32",
            Ty::Struct(name) => name,
            Ty::Raw(t) => t.name(),
        }
    }

    /// Go's `canBeNil` for the parameter type.
    pub fn can_be_nil(self) -> bool {
        matches!(
            self.base(),
            Ty::Any | Ty::List | Ty::Map | Ty::Values | Ty::StrList | Ty::Reflect
        )
    }

    /// The Go type, without the `Raw` marker.
    pub fn base(self) -> Ty {
        match self {
            Ty::Raw(t) => *t,
            t => t,
        }
    }
}

/// A Go function signature: fixed parameters, then an optional variadic one.
#[derive(Debug)]
pub struct Sig {
    pub params: &'static [Ty],
    pub variadic: Option<Ty>,
}

impl Sig {
    pub const fn new(params: &'static [Ty], variadic: Option<Ty>) -> Sig {
        Sig { params, variadic }
    }
    /// Number of parameters as Go's `Type.NumIn` counts them.
    pub fn num_in(&self) -> usize {
        self.params.len() + usize::from(self.variadic.is_some())
    }
}

pub type Map = BTreeMap<String, Value>;

/// A Go map is a reference: every copy of a `Value::Map` shares one map, so
/// Sprig's `set`, `unset` and `merge` change it for all holders (`$a :=
/// .Values.x` then `set $a ...` changes `.Values.x`). Borrows are kept
/// short: never across template execution or another map's mutation.
pub type MapRef = Rc<RefCell<Map>>;

/// A Go value. Maps are `BTreeMap`s because Go sorts map keys whenever it
/// prints or ranges over them.
#[derive(Clone)]
pub enum Value {
    /// A nil interface (`<nil>`).
    Nil,
    Bool(bool),
    Int(i64, IntTy),
    Float(f64),
    Complex(f64, f64),
    String(Rc<str>),
    List(Rc<Vec<Value>>, ElemTy),
    Map(MapRef, MapTy),
    Object(Rc<dyn Object>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }
    pub fn string(s: String) -> Value {
        Value::String(Rc::from(s))
    }
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntTy::Int)
    }
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntTy::Int64)
    }
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Rc::new(v), ElemTy::Iface)
    }
    /// The bytes of a `[]byte`'s elements (each an `Int`; any other reads
    /// as 0).
    pub fn byte_list(items: &[Value]) -> Vec<u8> {
        items
            .iter()
            .map(|v| match v {
                Value::Int(i, _) => *i as u8,
                _ => 0,
            })
            .collect()
    }
    pub fn map(m: Map) -> Value {
        Value::typed_map(m, MapTy::Iface)
    }
    /// A new map of the given Go type.
    pub fn typed_map(m: Map, t: MapTy) -> Value {
        Value::Map(Rc::new(RefCell::new(m)), t)
    }
    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }

    /// Go's `%T` / Sprig's `typeOf`.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_, t) => t.name().into(),
            Value::Float(_) => "float64".into(),
            Value::Complex(..) => "complex128".into(),
            Value::String(_) => "string".into(),
            Value::List(_, e) => match e {
                ElemTy::Iface => "[]interface {}".into(),
                ElemTy::String => "[]string".into(),
                ElemTy::Int => "[]int".into(),
                ElemTy::Byte => "[]uint8".into(),
                ElemTy::IfaceList => "[][]interface {}".into(),
            },
            Value::Map(_, t) => match t {
                MapTy::Iface => "map[string]interface {}".into(),
                MapTy::Values => "common.Values".into(),
                MapTy::String => "map[string]string".into(),
            },
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// Go's reflect.Kind name (Sprig's `kindOf`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, t) => t.name(),
            Value::Float(_) => "float64",
            Value::Complex(..) => "complex128",
            Value::String(_) => "string",
            Value::List(..) => "slice",
            Value::Map(..) => "map",
            Value::Object(o) => o.kind_name(),
        }
    }

    /// Go template truthiness (`text/template.IsTrue`).
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(r, i) => *r != 0.0 || *i != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l, _) => !l.is_empty(),
            Value::Map(m, _) => !m.borrow().is_empty(),
            Value::Object(o) => o.truth(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<Ref<'_, Map>> {
        match self {
            Value::Map(m, _) => Some(m.borrow()),
            _ => None,
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }
}

/// Go structs and named types that Helm puts in the template context
/// (`.Files`, `.Capabilities`, ...). Fields are looked up by exact name;
/// methods are called with already evaluated arguments. `Any` lets library
/// functions take their own objects back (`dateModify` receives a time.Time).
pub trait Object: std::any::Any {
    /// Go type name as `%T` prints it, e.g. `*common.Capabilities`.
    fn type_name(&self) -> &str;
    fn kind_name(&self) -> &'static str {
        "struct"
    }
    /// An exported struct field or map entry.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// Signature of a method, if the type has one with that name.
    fn method(&self, _name: &str) -> Option<&'static Sig> {
        None
    }
    /// Call a method found by `method`.
    fn call(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!("no method {name}"))
    }
    /// `%v` formatting.
    fn format(&self) -> String;
    /// Entries in sorted key order, for Go map types that `range` and
    /// `len` can walk; `None` for structs.
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }
    /// Elements in order, for Go slice types (`common.VersionSet`) that
    /// `range`, `len` and the serializers walk like a list.
    fn elements(&self) -> Option<Vec<Value>> {
        None
    }
    /// A value held in a compact form until a template uses it (a file's
    /// bytes): its ordinary form, built when it is passed to a function.
    fn materialize(&self) -> Option<Value> {
        None
    }
    /// A Go struct's fields in declaration order, unexported ones too
    /// (fmt prints them): `%v`, `%+v`, `%#v` and the other verbs walk them.
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        None
    }
    /// What `encoding/json` marshals: keys after json tags and
    /// `omitempty`, in declaration order (toJson, and toYaml through JSON).
    fn json_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        None
    }
    /// What `{{ x }}` prints when text/template's printValue differs from
    /// `%v`: it follows a pointer, and an addressable value whose pointer
    /// has a String method prints through it.
    fn template_text(&self) -> Option<String> {
        None
    }
    fn truth(&self) -> bool {
        true
    }
}

/// Follow a dotted path (`a.b[0].c`) through maps and lists.
pub fn value_at(root: &Value, path: &str) -> Option<Value> {
    let mut cur = root.clone();
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            let next = match &cur {
                Value::Map(m, _) => m.borrow().get(key).cloned()?,
                _ => return None,
            };
            cur = next;
        }
        for idx in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = idx.trim_end_matches(']').parse().ok()?;
            let next = match &cur {
                Value::List(l, _) => l.get(n).cloned()?,
                _ => return None,
            };
            cur = next;
        }
    }
    Some(cur)
}

/// Helm's `MergeMaps(a, b)` for user values files: `b` wins; nested maps
/// merge, anything else is replaced.
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let mut out = a.clone();
    for (k, v) in b.iter() {
        if let (Value::Map(bv, _), Some(Value::Map(av, _))) = (v, out.get(k)) {
            let merged = merge_maps(&av.borrow(), &bv.borrow());
            out.insert(k.clone(), Value::map(merged));
            continue;
        }
        out.insert(k.clone(), v.clone());
    }
    out
}
