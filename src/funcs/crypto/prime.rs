//! Random primes for RSA keys (`genPrivateKey`, `genCA`, `genSignedCert`).
//!
//! The `rsa` crate's key generation spends nearly all its time in
//! num-bigint-dig's Montgomery exponentiation, 3-4x slower than Go's
//! crypto/rsa; charts that make a few 4096-bit keys took seconds. Here the
//! Miller-Rabin exponentiations run on fixed-width 64-bit limbs
//! (Montgomery multiplication, CIOS, 4-bit windows). Template keys are
//! regenerated on every render, so constant time is not needed.

use rand_core::{OsRng, RngCore};
use rsa::BigUint;

/// Odd primes below 2^14, for sieving candidates before any exponentiation.
fn small_primes() -> &'static [u32] {
    static P: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        (3u32..1 << 14)
            .step_by(2)
            .filter(|&n| {
                (3..)
                    .step_by(2)
                    .take_while(|d| d * d <= n)
                    .all(|d| n % d != 0)
            })
            .collect()
    })
}

/// Arithmetic modulo an odd `n` in Montgomery form (R = 2^(64k)).
struct Mont {
    n: Vec<u64>,
    /// -n^-1 mod 2^64.
    n0inv: u64,
    /// R mod n: one in Montgomery form.
    one: Vec<u64>,
    /// R^2 mod n: converts into Montgomery form.
    r2: Vec<u64>,
}

fn limbs(x: &BigUint, k: usize) -> Vec<u64> {
    let mut out = vec![0u64; k];
    for (i, chunk) in x.to_bytes_le().chunks(8).enumerate().take(k) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        out[i] = u64::from_le_bytes(b);
    }
    out
}

#[cfg(test)]
fn to_biguint(x: &[u64]) -> BigUint {
    let bytes: Vec<u8> = x.iter().flat_map(|l| l.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

/// a >= b, both k limbs.
fn geq(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// a -= b in place (a >= b).
fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = 0u64;
    for i in 0..a.len() {
        let (d1, o1) = a[i].overflowing_sub(b[i]);
        let (d2, o2) = d1.overflowing_sub(borrow);
        a[i] = d2;
        borrow = u64::from(o1 || o2);
    }
}

impl Mont {
    fn new(n: &BigUint) -> Mont {
        let k = n.bits().div_ceil(64);
        let nl = limbs(n, k);
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(nl[0].wrapping_mul(inv)));
        }
        let r = BigUint::from(1u32) << (64 * k);
        let one = limbs(&(&r % n), k);
        let r2 = limbs(&((&r * &r) % n), k);
        Mont {
            n: nl,
            n0inv: inv.wrapping_neg(),
            one,
            r2,
        }
    }

    /// a * b / R mod n.
    fn mul(&self, a: &[u64], b: &[u64], out: &mut [u64], t: &mut [u64]) {
        let k = self.n.len();
        // Slices of known length: the loops below run without bounds checks.
        let (a, b, n, t) = (&a[..k], &b[..k], &self.n[..k], &mut t[..k + 2]);
        t.fill(0);
        for &ai in a {
            let mut c: u64 = 0;
            for (tj, &bj) in t[..k].iter_mut().zip(b) {
                let s = *tj as u128 + ai as u128 * bj as u128 + c as u128;
                *tj = s as u64;
                c = (s >> 64) as u64;
            }
            let s = t[k] as u128 + c as u128;
            t[k] = s as u64;
            t[k + 1] = (s >> 64) as u64;
            let m = t[0].wrapping_mul(self.n0inv);
            let s = t[0] as u128 + m as u128 * n[0] as u128;
            let mut c = (s >> 64) as u64;
            for j in 1..k {
                let s = t[j] as u128 + m as u128 * n[j] as u128 + c as u128;
                t[j - 1] = s as u64;
                c = (s >> 64) as u64;
            }
            let s = t[k] as u128 + c as u128;
            t[k - 1] = s as u64;
            t[k] = t[k + 1] + (s >> 64) as u64;
            t[k + 1] = 0;
        }
        out.copy_from_slice(&t[..k]);
        if t[k] != 0 || geq(out, n) {
            sub_in_place(out, n);
        }
    }

    /// a * a / R mod n: the full square first (each cross product once,
    /// doubled), then Montgomery reduction; a quarter fewer word products
    /// than `mul`, and squarings are most of an exponentiation.
    fn sqr(&self, a: &[u64], out: &mut [u64], t: &mut [u64]) {
        let k = self.n.len();
        let (a, n, t) = (&a[..k], &self.n[..k], &mut t[..2 * k + 1]);
        t.fill(0);
        for i in 0..k {
            let mut c = 0u64;
            for j in i + 1..k {
                let s = t[i + j] as u128 + a[i] as u128 * a[j] as u128 + c as u128;
                t[i + j] = s as u64;
                c = (s >> 64) as u64;
            }
            t[i + k] = c;
        }
        let mut top = 0u64;
        for x in t[..2 * k].iter_mut() {
            let next = (*x << 1) | top;
            top = *x >> 63;
            *x = next;
        }
        let mut c = 0u128;
        for i in 0..k {
            let sq = a[i] as u128 * a[i] as u128;
            let s = t[2 * i] as u128 + (sq as u64) as u128 + c;
            t[2 * i] = s as u64;
            let s = t[2 * i + 1] as u128 + (sq >> 64) + (s >> 64);
            t[2 * i + 1] = s as u64;
            c = s >> 64;
        }
        for i in 0..k {
            let m = t[i].wrapping_mul(self.n0inv);
            let mut c = 0u64;
            for j in 0..k {
                let s = t[i + j] as u128 + m as u128 * n[j] as u128 + c as u128;
                t[i + j] = s as u64;
                c = (s >> 64) as u64;
            }
            let mut idx = i + k;
            while c != 0 && idx <= 2 * k {
                let s = t[idx] as u128 + c as u128;
                t[idx] = s as u64;
                c = (s >> 64) as u64;
                idx += 1;
            }
        }
        out.copy_from_slice(&t[k..2 * k]);
        if t[2 * k] != 0 || geq(out, n) {
            sub_in_place(out, n);
        }
    }

    /// base^exp in Montgomery form, base given in ordinary form.
    fn pow(&self, base: &[u64], exp: &BigUint) -> Vec<u64> {
        let k = self.n.len();
        let mut t = vec![0u64; 2 * k + 2];
        let mut table = vec![self.one.clone()];
        let mut b = vec![0u64; k];
        self.mul(base, &self.r2, &mut b, &mut t);
        for i in 1..16 {
            let mut next = vec![0u64; k];
            self.mul(&table[i - 1], &b, &mut next, &mut t);
            table.push(next);
        }
        let bytes = exp.to_bytes_be();
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; k];
        for byte in bytes {
            for nib in [byte >> 4, byte & 15] {
                for _ in 0..4 {
                    self.sqr(&acc, &mut tmp, &mut t);
                    std::mem::swap(&mut acc, &mut tmp);
                }
                if nib != 0 {
                    self.mul(&acc, &table[nib as usize], &mut tmp, &mut t);
                    std::mem::swap(&mut acc, &mut tmp);
                }
            }
        }
        acc
    }
}

/// Miller-Rabin with `rounds` random bases (the first is 2).
fn probably_prime(n: &BigUint, rounds: usize) -> bool {
    let one = BigUint::from(1u32);
    let n1 = n - &one;
    let s = n1.trailing_zeros().unwrap_or(0);
    let d = &n1 >> s;
    let m = Mont::new(n);
    let k = m.n.len();
    let mut minus_one = m.n.clone();
    sub_in_place(&mut minus_one, &m.one);
    let mut t = vec![0u64; 2 * k + 2];
    let mut tmp = vec![0u64; k];
    for round in 0..rounds {
        let a = if round == 0 {
            BigUint::from(2u32)
        } else {
            let mut bytes = vec![0u8; (n.bits() / 8).max(1)];
            OsRng.fill_bytes(&mut bytes);
            BigUint::from_bytes_be(&bytes) % (&n1 - &one) + &one + &one
        };
        let mut x = m.pow(&limbs(&a, k), &d);
        if x == m.one || x == minus_one {
            continue;
        }
        let mut witness = true;
        for _ in 1..s {
            m.sqr(&x, &mut tmp, &mut t);
            std::mem::swap(&mut x, &mut tmp);
            if x == minus_one {
                witness = false;
                break;
            }
            if x == m.one {
                return false;
            }
        }
        if witness {
            return false;
        }
    }
    true
}

/// A random prime of exactly `bits` bits with its top two bits set (so a
/// product of two has exactly twice the bits, as Go arranges), and
/// p mod e != 1 for e = 65537. Candidates are a random odd start plus 0, 2,
/// 4, ...: the start's remainders by the small primes are computed once, so
/// sieving a candidate costs a few word divisions, and only candidates with
/// no small factor get an exponentiation.
pub fn random_prime(bits: usize) -> BigUint {
    let primes = small_primes();
    let nbytes = bits.div_ceil(8);
    loop {
        let mut bytes = vec![0u8; nbytes];
        OsRng.fill_bytes(&mut bytes);
        let extra = nbytes * 8 - bits;
        bytes[0] &= 0xffu8 >> extra;
        // The top two bits of the `bits`-bit number.
        if bits % 8 == 1 {
            bytes[0] |= 1;
            bytes[1] |= 0x80;
        } else {
            bytes[0] |= 0xc0u8 >> extra;
        }
        bytes[nbytes - 1] |= 1;
        let start = BigUint::from_bytes_be(&bytes);
        let words = limbs(&start, bits.div_ceil(64));
        let rem = |q: u64| {
            words.iter().rev().fold(0u64, |r, &w| {
                (((r as u128) << 64 | w as u128) % q as u128) as u64
            })
        };
        let rems: Vec<u64> = primes.iter().map(|&q| rem(u64::from(q))).collect();
        let rem_e = rem(65537);
        let mut delta = 0u64;
        while delta < 1 << 20 {
            let d = delta;
            delta += 2;
            let sieved = rems
                .iter()
                .zip(primes)
                .any(|(&r, &q)| (r + d).is_multiple_of(u64::from(q)));
            if sieved || (rem_e + d) % 65537 == 1 {
                continue;
            }
            let p = &start + BigUint::from(d);
            if p.bits() != bits {
                break;
            }
            if probably_prime(&p, 10) {
                return p;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn montgomery_pow_matches_modpow() {
        for bits in [64usize, 128, 521, 1024, 2048] {
            for _ in 0..3 {
                let mut bytes = vec![0u8; bits / 8 + 1];
                OsRng.fill_bytes(&mut bytes);
                let mut n = BigUint::from_bytes_be(&bytes) | BigUint::from(1u32);
                n |= BigUint::from(1u32) << bits;
                OsRng.fill_bytes(&mut bytes);
                let base = BigUint::from_bytes_be(&bytes) % &n;
                OsRng.fill_bytes(&mut bytes);
                let exp = BigUint::from_bytes_be(&bytes);
                let m = Mont::new(&n);
                let k = m.n.len();
                let got = m.pow(&limbs(&base, k), &exp);
                // Out of Montgomery form: multiply by 1.
                let mut one = vec![0u64; k];
                one[0] = 1;
                let mut out = vec![0u64; k];
                let mut t = vec![0u64; k + 2];
                m.mul(&got, &one, &mut out, &mut t);
                assert_eq!(to_biguint(&out), base.modpow(&exp, &n), "{bits} bits");
                // sqr agrees with mul on the same operand.
                let mut t2 = vec![0u64; 2 * k + 2];
                let (mut sq, mut ml) = (vec![0u64; k], vec![0u64; k]);
                m.sqr(&got, &mut sq, &mut t2);
                m.mul(&got, &got, &mut ml, &mut t2);
                assert_eq!(sq, ml, "{bits} bits");
            }
        }
    }

    #[test]
    fn known_primes_and_composites() {
        // 2^127 - 1 and 2^521 - 1 are prime; a Carmichael number and a
        // product of two primes are not.
        let m127 = (BigUint::from(1u32) << 127) - BigUint::from(1u32);
        let m521 = (BigUint::from(1u32) << 521) - BigUint::from(1u32);
        assert!(probably_prime(&m127, 10));
        assert!(probably_prime(&m521, 10));
        assert!(!probably_prime(&BigUint::from(561u32), 10));
        assert!(!probably_prime(&(&m127 * &m521), 10));
        let p = random_prime(256);
        assert_eq!(p.bits(), 256);
        assert!(probably_prime(&p, 20));
    }

    #[test]
    fn rsa_keys_have_exact_size_and_validate() {
        use rsa::traits::PublicKeyParts;
        for bits in [1024usize, 2048] {
            let p = random_prime(bits / 2);
            let q = random_prime(bits - bits / 2);
            let key = rsa::RsaPrivateKey::from_p_q(p, q, BigUint::from(65537u32)).unwrap();
            assert_eq!(key.n().bits(), bits);
            key.validate().unwrap();
        }
    }
}
