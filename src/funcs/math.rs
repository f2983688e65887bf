//! Sprig's integer and float math: `add` `sub` `mul` `div` `mod` `max` `min`
//! `biggest`, the `*f` float variants, `ceil` `floor` `round`, `seq` `until`
//! `untilStep`, `randInt`.
//!
//! Integer math converts every argument with cast's `ToInt64` and wraps on
//! overflow like Go's int64. The `*f` functions go through
//! shopspring/decimal: each float becomes its shortest decimal, the
//! arithmetic is exact (division rounds to 16 places) and the result is
//! converted back to the nearest float64, so `addf 0.1 0.2` is `0.3`.

use std::rc::Rc;

use num_bigint::BigInt;

use super::convert::{to_float64, to_int64};
use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{ElemTy, Sig, Ty, Value};

const ANY1: Sig = Sig::new(&[Ty::Any], None);
const ANY2: Sig = Sig::new(&[Ty::Any, Ty::Any], None);
const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const ANY1V: Sig = Sig::new(&[Ty::Any], Some(Ty::Any));
const INT1: Sig = Sig::new(&[Ty::Int], None);
const INT2: Sig = Sig::new(&[Ty::Int, Ty::Int], None);
const INT3: Sig = Sig::new(&[Ty::Int, Ty::Int, Ty::Int], None);
const INTV: Sig = Sig::new(&[], Some(Ty::Int));
const ROUND: Sig = Sig::new(&[Ty::Any, Ty::Int], Some(Ty::Float64));

/// Longest list `until`/`untilStep`/`seq` build. Go would try to allocate
/// any size (and loop forever when the counter wraps); we stop with an
/// error instead.
const MAX_SEQ_LEN: usize = 4_000_000;

/// shopspring/decimal's `DivisionPrecision`: digits kept after the point.
const DIVISION_PRECISION: i64 = 16;

pub fn register(m: &mut FuncMap) {
    m.insert(
        "add",
        plain(&ANYV, |_, a| Ok(int_fold(0, a, i64::wrapping_add))),
    );
    m.insert(
        "add1",
        plain(&ANY1, |_, a| {
            Ok(Value::int64(to_int64(&a[0]).wrapping_add(1)))
        }),
    );
    m.insert(
        "sub",
        plain(&ANY2, |_, a| {
            Ok(Value::int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
        }),
    );
    m.insert(
        "mul",
        plain(&ANY1V, |_, a| {
            Ok(int_fold(to_int64(&a[0]), &a[1..], i64::wrapping_mul))
        }),
    );
    m.insert("div", plain(&ANY2, |_, a| int_div(a, i64::wrapping_div)));
    m.insert("mod", plain(&ANY2, |_, a| int_div(a, i64::wrapping_rem)));
    m.insert("max", plain(&ANY1V, |_, a| Ok(int_pick(a, i64::max))));
    m.insert("biggest", plain(&ANY1V, |_, a| Ok(int_pick(a, i64::max))));
    m.insert("min", plain(&ANY1V, |_, a| Ok(int_pick(a, i64::min))));
    m.insert("maxf", plain(&ANY1V, |_, a| Ok(float_pick(a, go_max))));
    m.insert("minf", plain(&ANY1V, |_, a| Ok(float_pick(a, go_min))));
    m.insert(
        "ceil",
        plain(&ANY1, |_, a| Ok(Value::Float(to_float64(&a[0]).ceil()))),
    );
    m.insert(
        "floor",
        plain(&ANY1, |_, a| Ok(Value::Float(to_float64(&a[0]).floor()))),
    );
    m.insert("round", plain(&ROUND, round));
    m.insert("randInt", plain(&INT2, rand_int));
    m.insert(
        "until",
        plain(&INT1, |_, a| {
            let n = int_arg(&a[0]);
            let step = if n < 0 { -1 } else { 1 };
            int_list(until_step(0, n, step)?)
        }),
    );
    m.insert(
        "untilStep",
        plain(&INT3, |_, a| {
            int_list(until_step(int_arg(&a[0]), int_arg(&a[1]), int_arg(&a[2]))?)
        }),
    );
    m.insert("seq", plain(&INTV, seq));
    m.insert(
        "addf",
        plain(&ANYV, |_, a| decimal_op(&Value::Float(0.0), a, Dec::add)),
    );
    m.insert(
        "add1f",
        plain(&ANY1, |_, a| decimal_op(&a[0], &[Value::int(1)], Dec::add)),
    );
    m.insert(
        "subf",
        plain(&ANY1V, |_, a| decimal_op(&a[0], &a[1..], Dec::sub)),
    );
    m.insert(
        "mulf",
        plain(&ANY1V, |_, a| decimal_op(&a[0], &a[1..], Dec::mul)),
    );
    m.insert(
        "divf",
        plain(&ANY1V, |_, a| decimal_op(&a[0], &a[1..], Dec::div)),
    );
}

/// An argument the executor already converted to Go `int`.
fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        _ => 0,
    }
}

fn int_fold(init: i64, args: &[Value], f: fn(i64, i64) -> i64) -> Value {
    Value::int64(args.iter().fold(init, |acc, v| f(acc, to_int64(v))))
}

/// `div` and `mod`: Go panics on a zero divisor; MinInt64 / -1 wraps.
fn int_div(a: &[Value], f: fn(i64, i64) -> i64) -> Result<Value, FuncErr> {
    let (x, y) = (to_int64(&a[0]), to_int64(&a[1]));
    if y == 0 {
        return Err(FuncErr::msg("runtime error: integer divide by zero"));
    }
    Ok(Value::int64(f(x, y)))
}

fn int_pick(a: &[Value], f: fn(i64, i64) -> i64) -> Value {
    int_fold(to_int64(&a[0]), &a[1..], f)
}

fn float_pick(a: &[Value], f: fn(f64, f64) -> f64) -> Value {
    let first = to_float64(&a[0]);
    Value::Float(a[1..].iter().fold(first, |acc, v| f(acc, to_float64(v))))
}

/// Go's `math.Max`: +Inf wins over NaN, NaN over numbers, +0 over -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() { y } else { x }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: -Inf wins over NaN, NaN over numbers, -0 over +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() { x } else { y }
    } else if x < y {
        x
    } else {
        y
    }
}

/// Sprig's `round a places [roundOn]`: round up when the fractional part
/// of `a*10^places` is at least `roundOn` (0.5), else down. The fraction
/// keeps the sign, so negative numbers always round down (`-1.4` -> `-2`).
fn round(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let round_on = match a.get(2) {
        Some(Value::Float(f)) => *f,
        _ => 0.5,
    };
    let val = to_float64(&a[0]);
    let pow = go_pow10(int_arg(&a[1]));
    let digit = pow * val;
    let r = if digit.fract() >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

/// Go's `math.Pow(10, y)` for integral `y`: repeated squaring of the
/// mantissa with the binary exponent kept apart, so results in the
/// subnormal range round like Go's instead of collapsing to 0 or Inf.
fn go_pow10(y: i64) -> f64 {
    match y {
        0 => return 1.0,
        1 => return 10.0,
        // |y| >= 2^63: Go's overflow/underflow shortcut.
        i64::MIN => return 0.0,
        _ => {}
    }
    let (mut a1, mut ae) = (1.0f64, 0i64);
    // 10 = 0.625 * 2^4
    let (mut x1, mut xe) = (0.625f64, 4i64);
    let mut i = y.unsigned_abs();
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// `frac * 2^exp` rounded once, like Go's `math.Ldexp`, for a normal,
/// finite, non-zero `frac`.
fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    // frac = m * 2^k with m in [1, 2).
    let bits = frac.to_bits();
    let k = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1023 << 52));
    let e = exp.saturating_add(k);
    if e > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    if e >= -1022 {
        return m * pow2(e);
    }
    if e < -1075 {
        return 0.0f64.copysign(frac);
    }
    // Subnormal result: scale exactly into the normal range, then let one
    // multiplication by the smallest subnormal do the single rounding.
    m * pow2(e + 1074) * f64::from_bits(1)
}

/// 2^e for e in the normal exponent range.
fn pow2(e: i64) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// Go's `rand.Intn(max-min) + min`; Intn panics unless its bound is > 0.
fn rand_int(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let (min, max) = (int_arg(&a[0]), int_arg(&a[1]));
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err(FuncErr::msg("invalid argument to Intn"));
    }
    let r = ((u128::from(random_u64()) * n as u128) >> 64) as i64;
    Ok(Value::int(r.wrapping_add(min)))
}

/// A random number from the standard library's per-process random hash
/// keys; `randInt` needs no reproducibility or cryptographic strength.
fn random_u64() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(0u8)
}

/// Sprig's `untilStep`: counts from `start` towards `stop` (exclusive);
/// a step of the wrong sign or zero gives an empty list.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncErr> {
    let mut v = Vec::new();
    let down = stop < start;
    if (down && step >= 0) || (!down && step <= 0) {
        return Ok(v);
    }
    let mut i = start;
    while (down && i > stop) || (!down && i < stop) {
        if v.len() >= MAX_SEQ_LEN {
            return Err(FuncErr::msg(format!(
                "sequence longer than {MAX_SEQ_LEN} elements"
            )));
        }
        v.push(i);
        match i.checked_add(step) {
            Some(n) => i = n,
            // Go's counter would wrap and keep going until memory runs out.
            None => {
                return Err(FuncErr::msg(format!(
                    "sequence longer than {MAX_SEQ_LEN} elements"
                )));
            }
        }
    }
    Ok(v)
}

fn int_list(v: Vec<i64>) -> Result<Value, FuncErr> {
    Ok(Value::List(
        Rc::new(v.into_iter().map(Value::int).collect()),
        ElemTy::Int,
    ))
}

/// Sprig's `seq`, modelled on Unix seq: `seq end` counts from 1, `seq
/// start end` and `seq start step end` include `end`; the numbers are
/// joined with spaces.
fn seq(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let p: Vec<i64> = a.iter().map(int_arg).collect();
    let nums = match p[..] {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let inc = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(inc), inc)?
        }
        [start, step, end] => {
            let inc = if end < start { -1 } else { 1 };
            if end < start && step > 0 {
                Vec::new()
            } else {
                until_step(start, end.wrapping_add(inc), step)?
            }
        }
        _ => Vec::new(),
    };
    let words: Vec<String> = nums.iter().map(i64::to_string).collect();
    Ok(Value::string(words.join(" ")))
}

/// Sprig's `execDecimalOp`: fold `rest` into `first` with decimal
/// arithmetic and return the nearest float64.
fn decimal_op(
    first: &Value,
    rest: &[Value],
    f: fn(Dec, Dec) -> Result<Dec, FuncErr>,
) -> Result<Value, FuncErr> {
    let mut acc = Dec::from_f64(to_float64(first))?;
    for x in rest {
        acc = f(acc, Dec::from_f64(to_float64(x))?)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

/// An exact decimal `coef * 10^exp`, as shopspring/decimal keeps it.
#[derive(Clone, Debug)]
struct Dec {
    coef: BigInt,
    exp: i64,
}

impl Dec {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as
    /// `f`; NaN and infinities panic in Go.
    fn from_f64(f: f64) -> Result<Dec, FuncErr> {
        if !f.is_finite() {
            let shown = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(FuncErr::msg(format!(
                "Cannot create a Decimal from {shown}"
            )));
        }
        // Rust's `{:e}` prints the shortest round-trip digits: `1.25e-3`.
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let frac_digits = mant.split_once('.').map_or(0, |(_, fr)| fr.len() as i64);
        let digits: String = mant.chars().filter(|&c| c != '.').collect();
        let coef = digits.parse::<BigInt>().unwrap_or_default();
        Ok(Dec {
            coef,
            exp: exp - frac_digits,
        })
    }

    /// `Decimal.Float64`: the float64 nearest to the exact value.
    fn to_f64(&self) -> f64 {
        format!("{}e{}", self.coef, self.exp).parse().unwrap_or(0.0)
    }

    /// Both coefficients scaled to the smaller exponent.
    fn aligned(a: Dec, b: Dec) -> (BigInt, BigInt, i64) {
        let e = a.exp.min(b.exp);
        (scale(a.coef, a.exp - e), scale(b.coef, b.exp - e), e)
    }

    fn add(a: Dec, b: Dec) -> Result<Dec, FuncErr> {
        let (x, y, exp) = Dec::aligned(a, b);
        Ok(Dec { coef: x + y, exp })
    }

    fn sub(a: Dec, b: Dec) -> Result<Dec, FuncErr> {
        let (x, y, exp) = Dec::aligned(a, b);
        Ok(Dec { coef: x - y, exp })
    }

    fn mul(a: Dec, b: Dec) -> Result<Dec, FuncErr> {
        Ok(Dec {
            coef: a.coef * b.coef,
            exp: a.exp + b.exp,
        })
    }

    /// `Decimal.Div`: the quotient rounded half away from zero to
    /// `DIVISION_PRECISION` places after the point.
    fn div(a: Dec, b: Dec) -> Result<Dec, FuncErr> {
        use num_bigint::Sign;
        if b.coef.sign() == Sign::NoSign {
            return Err(FuncErr::msg("decimal division by 0"));
        }
        // a/b * 10^P = (ca * 10^(ea-eb+P)) / cb
        let k = a.exp - b.exp + DIVISION_PRECISION;
        let (num, den) = if k >= 0 {
            (scale(a.coef, k), b.coef)
        } else {
            (a.coef, scale(b.coef, -k))
        };
        let q = &num / &den;
        let r = &num - &q * &den;
        let twice: BigInt = r.magnitude().clone().into();
        let twice = twice * 2;
        let den_abs: BigInt = den.magnitude().clone().into();
        let q = if twice >= den_abs {
            if (num.sign() == Sign::Minus) != (den.sign() == Sign::Minus) {
                q - 1
            } else {
                q + 1
            }
        } else {
            q
        };
        Ok(Dec {
            coef: q,
            exp: -DIVISION_PRECISION,
        })
    }
}

fn scale(c: BigInt, by: i64) -> BigInt {
    c * BigInt::from(10u8).pow(by as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(a: f64, b: f64, f: fn(Dec, Dec) -> Result<Dec, FuncErr>) -> f64 {
        let r = f(Dec::from_f64(a).unwrap(), Dec::from_f64(b).unwrap());
        r.unwrap().to_f64()
    }

    #[test]
    fn decimal_math() {
        assert_eq!(op(0.1, 0.2, Dec::add), 0.3);
        assert_eq!(op(1.0, 0.9, Dec::sub), 0.1);
        assert_eq!(op(1.1, 1.1, Dec::mul), 1.21);
        assert_eq!(op(2.0, 3.0, Dec::div), 0.6666666666666667);
        assert_eq!(op(-5e-17, 1.0, Dec::div), -1e-16);
        assert_eq!(op(1e-17, 1.0, Dec::div), 0.0);
        assert!(Dec::div(Dec::from_f64(1.0).unwrap(), Dec::from_f64(0.0).unwrap()).is_err());
    }

    #[test]
    fn pow10_like_go() {
        assert_eq!(go_pow10(2), 100.0);
        assert_eq!(go_pow10(-2), 0.01);
        assert_eq!(go_pow10(-310), 1e-310);
        assert_eq!(go_pow10(-400), 0.0);
        assert_eq!(go_pow10(400), f64::INFINITY);
    }

    #[test]
    fn until_step_bounds() {
        assert_eq!(until_step(0, 10, 3).unwrap(), vec![0, 3, 6, 9]);
        assert_eq!(until_step(3, -3, -2).unwrap(), vec![3, 1, -1]);
        assert!(until_step(0, 10, 0).unwrap().is_empty());
        assert!(until_step(0, i64::MAX, 1).is_err());
        // Go's counter would wrap and loop forever.
        assert!(until_step(i64::MAX - 1, i64::MAX, 5).is_err());
    }
}
