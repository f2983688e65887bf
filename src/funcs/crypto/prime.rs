//! Random primes for RSA keys (`genPrivateKey`, `genCA`, `genSignedCert`).
//!
//! The `rsa` crate's key generation spends nearly all its time in
//! num-bigint-dig's Montgomery exponentiation, 3-4x slower than Go's
//! crypto/rsa; charts that make a few 4096-bit keys took seconds. Here the
//! Miller-Rabin exponentiations run on fixed-width 64-bit limbs
//! (Montgomery multiplication, CIOS, 4-bit windows). Template keys are
//! regenerated on every render, so constant time is not needed.
//!
//! Most candidates are composite and fail the first Miller-Rabin round, so
//! the search is cheap where it can be: a sieve over a whole window of
//! candidates removes those with a small factor, the first round uses base
//! 2 (a doubling instead of a multiplication per exponent bit), and a prime
//! gets the number of rounds FIPS 186-5 (appendix C.1) asks of random
//! candidates, as Go's crypto/rsa does, not a fixed, larger number.

use rand_core::{OsRng, RngCore};
use rsa::BigUint;

/// Odd primes below 2^18 (a sieve of Eratosthenes), for sieving candidates
/// before any exponentiation.
fn small_primes() -> &'static [u32] {
    const LIMIT: usize = 1 << 18;
    static P: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let mut composite = vec![false; LIMIT];
        let mut out = Vec::new();
        for n in (3..LIMIT).step_by(2) {
            if composite[n] {
                continue;
            }
            out.push(n as u32);
            for m in (n * n..LIMIT).step_by(2 * n) {
                composite[m] = true;
            }
        }
        out
    })
}

/// The sieve's bound for `bits`-bit candidates. Raising the bound B leaves
/// a share of about 1.12 / ln B of the odd candidates for an
/// exponentiation, which costs about bits^3, but costs a remainder per small
/// prime (about bits each) once per window. Timed here (2026-12-07) a
/// 2048-bit exponentiation takes about 4 ms and a 1024-bit one 0.6 ms; the
/// bounds below are where one more doubling of B stops paying.
fn sieve_bound(bits: usize) -> u32 {
    match bits {
        0..=600 => 1 << 13,
        601..=1200 => 1 << 16,
        _ => 1 << 18,
    }
}

/// Miller-Rabin rounds for a random `bits`-bit candidate, for a chance of a
/// composite passing below 2^-112 (FIPS 186-5, table C.1; the values Go's
/// crypto/rsa uses for its random primes).
fn rounds_for(bits: usize) -> usize {
    match bits {
        3747.. => 3,
        1345.. => 4,
        476.. => 5,
        400.. => 6,
        347.. => 7,
        308.. => 8,
        55.. => 27,
        _ => 34,
    }
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

    /// 2x mod n, in place (x < n): doubling is the same in Montgomery form.
    fn double(&self, x: &mut [u64]) {
        let mut top = 0u64;
        for w in x.iter_mut() {
            let next = (*w << 1) | top;
            top = *w >> 63;
            *w = next;
        }
        if top != 0 || geq(x, &self.n) {
            sub_in_place(x, &self.n);
        }
    }

    /// 2^exp in Montgomery form: a squaring per exponent bit and a doubling
    /// per set bit, with no multiplications.
    fn pow2(&self, exp: &BigUint) -> Vec<u64> {
        let k = self.n.len();
        let mut t = vec![0u64; 2 * k + 2];
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; k];
        let bytes = exp.to_bytes_be();
        let bits = bytes
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
            .skip_while(|&bit| !bit);
        for bit in bits {
            self.sqr(&acc, &mut tmp, &mut t);
            std::mem::swap(&mut acc, &mut tmp);
            if bit {
                self.double(&mut acc);
            }
        }
        acc
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
        let mut x = if round == 0 {
            m.pow2(&d)
        } else {
            m.pow(&limbs(&a, k), &d)
        };
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

/// x mod q for a small q, 32 bits at a time so the division stays in 64
/// bits.
fn rem_small(words: &[u64], q: u64) -> u64 {
    words.iter().rev().fold(0u64, |r, &w| {
        let r = ((r << 32) | (w >> 32)) % q;
        ((r << 32) | (w & 0xffff_ffff)) % q
    })
}

/// Marks `struck[i]` when a prime in `primes` divides start + 2i.
fn strike(start: &[u64], primes: &[u32], struck: &mut [bool]) {
    struck.fill(false);
    for &q in primes {
        let q = q as usize;
        let r = rem_small(start, q as u64) as usize;
        // start + 2i = 0 (mod q): 2i = q - r, or that plus q when odd.
        let mut d = (q - r) % q;
        if d % 2 == 1 {
            d += q;
        }
        let mut i = d / 2;
        while i < struck.len() {
            struck[i] = true;
            i += q;
        }
    }
}

/// A random prime of exactly `bits` bits with its top two bits set (so a
/// product of two has exactly twice the bits, as Go arranges), and
/// p mod e != 1 for e = 65537. Candidates are a random odd start plus 0, 2,
/// 4, ... in a window; one pass per small prime q strikes out every
/// candidate q divides, so only those with no small factor get an
/// exponentiation.
pub fn random_prime(bits: usize) -> BigUint {
    // Candidates per window: the gap between primes of 2048 bits averages
    // 1420, so a window rarely runs out.
    const WINDOW: usize = 1 << 13;
    let bound = sieve_bound(bits);
    // A candidate is at least 2^(bits-1): a small prime below that never
    // equals one, so striking its multiples never strikes a prime.
    let below = if bits > 32 {
        u64::from(bound)
    } else {
        u64::from(bound).min(1u64 << (bits - 1))
    };
    let all = small_primes();
    let primes = &all[..all.partition_point(|&q| u64::from(q) < below)];
    let nbytes = bits.div_ceil(8);
    let rounds = rounds_for(bits);
    let mut struck = vec![false; WINDOW];
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
        strike(&words, primes, &mut struck);
        let rem_e = rem_small(&words, 65537);
        for (i, &s) in struck.iter().enumerate() {
            let d = 2 * i as u64;
            if s || (rem_e + d) % 65537 == 1 {
                continue;
            }
            let p = &start + BigUint::from(d);
            if p.bits() != bits {
                break;
            }
            if probably_prime(&p, rounds) {
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
    fn pow2_matches_modpow() {
        for bits in [64usize, 521, 1024, 2048] {
            let mut bytes = vec![0u8; bits / 8 + 1];
            OsRng.fill_bytes(&mut bytes);
            // The top bit of the top limb set: doubling overflows the limbs.
            let mut n = BigUint::from_bytes_be(&bytes) | BigUint::from(1u32);
            n |= BigUint::from(1u32) << (bits.div_ceil(64) * 64 - 1);
            OsRng.fill_bytes(&mut bytes);
            let exp = BigUint::from_bytes_be(&bytes);
            let m = Mont::new(&n);
            let k = m.n.len();
            let got = m.pow2(&exp);
            let mut one = vec![0u64; k];
            one[0] = 1;
            let (mut out, mut t) = (vec![0u64; k], vec![0u64; k + 2]);
            m.mul(&got, &one, &mut out, &mut t);
            let want = BigUint::from(2u32).modpow(&exp, &n);
            assert_eq!(to_biguint(&out), want, "{bits} bits");
        }
    }

    #[test]
    fn strike_marks_exactly_the_multiples_of_small_primes() {
        let primes: Vec<u32> = small_primes().iter().copied().take(500).collect();
        let mut bytes = [0u8; 64];
        OsRng.fill_bytes(&mut bytes);
        let start = BigUint::from_bytes_be(&bytes) | BigUint::from(1u32);
        let mut struck = vec![false; 4096];
        strike(&limbs(&start, 8), &primes, &mut struck);
        for (i, &s) in struck.iter().enumerate() {
            let c = &start + BigUint::from(2 * i as u64);
            let divisible = primes
                .iter()
                .any(|&q| (&c % BigUint::from(q)) == BigUint::from(0u32));
            assert_eq!(s, divisible, "candidate {i}");
        }
        assert_eq!(
            rem_small(&limbs(&start, 8), 65537),
            limbs(&(&start % BigUint::from(65537u32)), 1)[0]
        );
    }

    #[test]
    fn small_primes_and_rounds() {
        let p = small_primes();
        assert_eq!(&p[..6], &[3, 5, 7, 11, 13, 17]);
        // pi(2^18) = 23000, less the even prime 2.
        assert_eq!(p.len(), 22999);
        assert_eq!(rounds_for(1024), 5);
        assert_eq!(rounds_for(2048), 4);
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
