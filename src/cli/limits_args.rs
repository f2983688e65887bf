//! Resource-limit flags shared by `render`, `eval` and `lint`; the limits,
//! their defaults and why they are a process setting are in
//! `pchart::limits`.

use std::fmt;

use clap::Args;

use pchart::limits::Limits;

#[derive(Args, Debug, Clone)]
pub struct LimitsArgs {
    /// Largest total template output (all templates of the render), in
    /// bytes; K/M/G (KiB/MiB/GiB) suffixes allowed.
    #[arg(long, value_name = "BYTES", default_value_t = Size(Limits::DEFAULT.max_output), value_parser = parse_size_arg, help_heading = "Limits")]
    pub max_output: Size,
    /// Most template execution steps (actions, commands, loop iterations).
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_steps, help_heading = "Limits")]
    pub max_steps: u64,
    /// Most YAML nodes produced by expanding aliases (`*ref`), per document.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_alias_nodes, help_heading = "Limits")]
    pub max_alias_nodes: u64,
    /// Largest values file (`-f`), `--set-file` file or standard input,
    /// in bytes; K/M/G suffixes allowed. Chart files keep Helm's limits
    /// (5 MiB a file, 100 MiB a chart).
    #[arg(long, value_name = "BYTES", default_value_t = Size(Limits::DEFAULT.max_input_size), value_parser = parse_size_arg, help_heading = "Limits")]
    pub max_input_size: Size,
}

impl LimitsArgs {
    /// Install the run's limits; called once, before any input is read.
    pub fn install(&self) {
        pchart::limits::install(Limits {
            max_input_size: self.max_input_size.0,
            max_alias_nodes: self.max_alias_nodes,
            max_steps: self.max_steps,
            max_output: self.max_output.0,
        });
    }
}

/// A size in bytes, shown (in `--help` defaults) with the largest binary
/// suffix that divides it: `256M`, as `parse_size` reads it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        for (shift, suffix) in [(30, 'G'), (20, 'M'), (10, 'K')] {
            if n != 0 && n.is_multiple_of(1u64 << shift) {
                return write!(f, "{}{suffix}", n >> shift);
            }
        }
        write!(f, "{n}")
    }
}

fn parse_size_arg(s: &str) -> Result<Size, String> {
    parse_size(s).map(Size)
}

/// `1048576`, `64K`, `16M`, `2G` (binary multiples; `KiB`/`MiB`/`GiB` and
/// a trailing `B` are accepted too).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (num, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 1048576, 64K, 16M, 2G)"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{s:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::{Size, parse_size};

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert!(parse_size("x").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn sizes_show_as_they_parse() {
        assert_eq!(Size(256 << 20).to_string(), "256M");
        assert_eq!(Size(16 << 20).to_string(), "16M");
        assert_eq!(Size(2 << 30).to_string(), "2G");
        assert_eq!(Size(1536).to_string(), "1536");
        assert_eq!(Size(0).to_string(), "0");
        for n in [256 << 20, 16 << 20, 64 << 10, 1536, 0] {
            assert_eq!(parse_size(&Size(n).to_string()), Ok(n));
        }
    }
}
