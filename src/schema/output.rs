//! Error kinds, their English messages and the indented tree, worded as
//! santhosh-tekuri/jsonschema v6 prints them (numbers go through
//! golang.org/x/text's English printer: `1,500`, `1.5×10⁰⁶`).

use super::json::J;
use crate::go::fmt::{float_v, go_quote};

/// What went wrong at one node of the error tree.
#[derive(Clone, Debug)]
pub enum Kind {
    /// The root: `jsonschema validation failed with '<url>'`.
    Schema(String),
    Group,
    Not,
    AllOf,
    AnyOf,
    /// Indexes of the first two matching subschemas, or none matched.
    OneOf(Option<(usize, usize)>),
    FalseSchema,
    RefCycle {
        url: String,
        kw1: String,
        kw2: String,
    },
    Type {
        got: &'static str,
        want: Vec<&'static str>,
    },
    Enum(Vec<J>),
    Const(J),
    Format {
        got: J,
        want: String,
        err: String,
    },
    /// A `$ref` (or `$dynamicRef`, `$recursiveRef`) whose target failed.
    Reference,
    MinProperties(usize, usize),
    MaxProperties(usize, usize),
    MinItems(usize, usize),
    MaxItems(usize, usize),
    AdditionalItems(usize),
    Required(Vec<String>),
    Dependency(String, Vec<String>),
    AdditionalProperties(Vec<String>),
    PropertyNames(String),
    UniqueItems(usize, usize),
    Contains,
    MinContains(Vec<usize>, usize),
    MaxContains(Vec<usize>, usize),
    MinLength(usize, usize),
    MaxLength(usize, usize),
    Pattern(String, String),
    Minimum(f64, f64),
    Maximum(f64, f64),
    ExclusiveMinimum(f64, f64),
    ExclusiveMaximum(f64, f64),
    MultipleOf(f64, f64),
    InvalidJson(String),
    /// pchart's own: validation nested deeper than it follows.
    TooDeep,
}

/// One node of the error tree.
#[derive(Clone, Debug)]
pub struct VErr {
    /// Instance location, as tokens.
    pub loc: Vec<String>,
    pub kind: Kind,
    pub causes: Vec<VErr>,
}

/// Go's `quote` in the jsonschema package: `%q` with `'` as delimiter.
pub fn quote(s: &str) -> String {
    let q = go_quote(s);
    let inner = &q[1..q.len() - 1];
    let inner = inner.replace("\\\"", "\"").replace('\'', "\\'");
    format!("'{inner}'")
}

fn join_quoted(v: &[String]) -> String {
    v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
}

/// `display` in the kind package: `fmt.Sprintf("%v")` of a primitive.
fn display(v: &J) -> String {
    match v {
        J::Str(s) => quote(s),
        J::Arr(_) | J::Obj(_) => "value".into(),
        J::Null => "<nil>".into(),
        J::Bool(b) => b.to_string(),
        J::Num(n) => n.text.clone(),
        J::Invalid(t) => t.clone(),
    }
}

/// Inserts English thousands separators into a run of digits.
fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `p.Sprintf("%d", n)` with the English printer.
pub fn int_en(n: usize) -> String {
    group(&n.to_string())
}

/// `p.Sprintf("%v", f)` of a float64 with the English printer: Go's
/// shortest `%g`, digit grouping, and `×10ⁿ` for exponents.
pub fn float_en(f: f64) -> String {
    let s = float_v(f);
    let (sign, body) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (mant, exp) = match body.find('e') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i..]),
        None => (mant, ""),
    };
    let mut out = format!("{sign}{}{frac}", group(int));
    if let Some(e) = exp {
        let (neg, digits) = match e.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, e.trim_start_matches('+')),
        };
        out.push_str("×10");
        if neg {
            out.push('⁻');
        }
        for c in digits.chars() {
            out.push(match c {
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                _ => '⁹',
            });
        }
    }
    out
}

fn list_ints(v: &[usize]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Kind {
    /// The English message of this kind.
    pub fn message(&self) -> String {
        match self {
            Kind::Schema(url) => format!("jsonschema validation failed with {}", quote(url)),
            Kind::Group | Kind::Reference => "validation failed".into(),
            Kind::Not => "'not' failed".into(),
            Kind::AllOf => "'allOf' failed".into(),
            Kind::AnyOf => "'anyOf' failed".into(),
            Kind::OneOf(None) => "'oneOf' failed, none matched".into(),
            Kind::OneOf(Some((a, b))) => format!(
                "'oneOf' failed, subschemas {}, {} matched",
                int_en(*a),
                int_en(*b)
            ),
            Kind::FalseSchema => "false schema".into(),
            Kind::RefCycle { url, kw1, kw2 } => format!(
                "both {kw1} and {kw2} resolve to {} causing reference cycle",
                go_quote(url)
            ),
            Kind::Type { got, want } => format!("got {got}, want {}", want.join(" or ")),
            Kind::Enum(want) => {
                if want.iter().any(|w| matches!(w, J::Arr(_) | J::Obj(_))) {
                    "'enum' failed".into()
                } else if want.len() == 1 {
                    format!("value must be {}", display(&want[0]))
                } else {
                    let items: Vec<String> = want.iter().map(display).collect();
                    format!("value must be one of {}", items.join(", "))
                }
            }
            Kind::Const(want) => match want {
                J::Arr(_) | J::Obj(_) => "'const' failed".into(),
                w => format!("value must be {}", display(w)),
            },
            Kind::Format { got, want, err } => {
                format!("{} is not valid {want}: {err}", display(got))
            }
            Kind::MinProperties(g, w) => {
                format!("minProperties: got {}, want {}", int_en(*g), int_en(*w))
            }
            Kind::MaxProperties(g, w) => {
                format!("maxProperties: got {}, want {}", int_en(*g), int_en(*w))
            }
            Kind::MinItems(g, w) => format!("minItems: got {}, want {}", int_en(*g), int_en(*w)),
            Kind::MaxItems(g, w) => format!("maxItems: got {}, want {}", int_en(*g), int_en(*w)),
            Kind::AdditionalItems(n) => {
                format!("last {} additionalItem(s) not allowed", int_en(*n))
            }
            Kind::Required(m) if m.len() == 1 => format!("missing property {}", quote(&m[0])),
            Kind::Required(m) => format!("missing properties {}", join_quoted(m)),
            Kind::Dependency(p, m) => format!(
                "properties {} required, if {} exists",
                join_quoted(m),
                quote(p)
            ),
            Kind::AdditionalProperties(p) => {
                format!("additional properties {} not allowed", join_quoted(p))
            }
            Kind::PropertyNames(p) => format!("invalid propertyName {}", quote(p)),
            Kind::UniqueItems(a, b) => {
                format!("items at {} and {} are equal", int_en(*a), int_en(*b))
            }
            Kind::Contains => "no items match contains schema".into(),
            Kind::MinContains(got, want) if got.is_empty() => format!(
                "min {} items required to match contains schema, but none matched",
                int_en(*want)
            ),
            Kind::MinContains(got, want) => format!(
                "min {} items required to match contains schema, but matched {} items at {}",
                int_en(*want),
                int_en(got.len()),
                list_ints(got)
            ),
            Kind::MaxContains(got, want) => format!(
                "max {} items required to match contains schema, but matched {} items at {}",
                int_en(*want),
                int_en(got.len()),
                list_ints(got)
            ),
            Kind::MinLength(g, w) => format!("minLength: got {}, want {}", int_en(*g), int_en(*w)),
            Kind::MaxLength(g, w) => format!("maxLength: got {}, want {}", int_en(*g), int_en(*w)),
            Kind::Pattern(got, want) => {
                format!("{} does not match pattern {}", quote(got), quote(want))
            }
            Kind::Minimum(g, w) => format!("minimum: got {}, want {}", float_en(*g), float_en(*w)),
            Kind::Maximum(g, w) => format!("maximum: got {}, want {}", float_en(*g), float_en(*w)),
            Kind::ExclusiveMinimum(g, w) => format!(
                "exclusiveMinimum: got {}, want {}",
                float_en(*g),
                float_en(*w)
            ),
            Kind::ExclusiveMaximum(g, w) => format!(
                "exclusiveMaximum: got {}, want {}",
                float_en(*g),
                float_en(*w)
            ),
            Kind::MultipleOf(g, w) => {
                format!("multipleOf: got {}, want {}", float_en(*g), float_en(*w))
            }
            Kind::InvalidJson(t) => format!("invalid jsonType {t}"),
            Kind::TooDeep => "values or schema nested too deeply to validate".into(),
        }
    }
}

/// A JSON pointer from tokens (`~` and `/` escaped).
pub fn json_ptr(tokens: &[String]) -> String {
    let mut s = String::new();
    for t in tokens {
        s.push('/');
        s.push_str(&t.replace('~', "~0").replace('/', "~1"));
    }
    s
}

impl VErr {
    /// A `$ref` error with a single cause is not shown; its cause is.
    fn skip(&self) -> bool {
        self.causes.len() == 1 && matches!(self.kind, Kind::Reference)
    }

    /// Visits the shown nodes in order with their depth (the root is 0).
    pub fn walk(&self, depth: usize, f: &mut dyn FnMut(&VErr, usize)) {
        let mut d = depth;
        if !self.skip() {
            f(self, depth);
            d += 1;
        }
        for c in &self.causes {
            c.walk(d, f);
        }
    }

    /// `ValidationError.Error()`.
    pub fn to_text(&self) -> String {
        let mut sb = String::new();
        self.walk(0, &mut |e, depth| {
            if depth > 0 {
                sb.push('\n');
                for _ in 0..depth - 1 {
                    sb.push_str("  ");
                }
                sb.push_str("- ");
            }
            if matches!(e.kind, Kind::Schema(_)) {
                sb.push_str(&e.kind.message());
            } else {
                sb.push_str(&format!(
                    "at {}: {}",
                    quote(&json_ptr(&e.loc)),
                    e.kind.message()
                ));
            }
        });
        sb
    }
}
