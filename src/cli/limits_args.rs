//! Resource-limit flags shared by `render`, `eval` and `lint`: pchart runs
//! in pre-commit hooks and CI on files anyone can change, so every input
//! is bounded. Defaults are far above what real charts need.

use clap::Args;

use pchart::template::exec::Limits;

#[derive(Args, Debug, Clone)]
pub struct LimitsArgs {
    /// Largest total template output (all templates of the render), in
    /// bytes; K/M/G (KiB/MiB/GiB) suffixes allowed.
    #[arg(long, value_name = "BYTES", default_value = "256M", value_parser = parse_size, help_heading = "Limits")]
    pub max_output: u64,
    /// Most template execution steps (actions, commands, loop iterations).
    // The executor's default (a few seconds of execution), defined there.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_steps, help_heading = "Limits")]
    pub max_steps: u64,
    /// Most YAML nodes produced by expanding aliases (`*ref`), per document.
    #[arg(long, value_name = "N", default_value_t = pchart::yaml::read::DEFAULT_MAX_ALIAS_NODES, help_heading = "Limits")]
    pub max_alias_nodes: u64,
    /// Largest values file (`-f`), `--set-file` file or standard input,
    /// in bytes; K/M/G suffixes allowed. Chart files keep Helm's limits
    /// (5 MiB a file, 100 MiB a chart).
    #[arg(long, value_name = "BYTES", default_value = "16M", value_parser = parse_size, help_heading = "Limits")]
    pub max_input_size: u64,
}

impl LimitsArgs {
    /// Install the reader limits (process-wide) and return the executor's.
    pub fn apply(&self) -> Limits {
        pchart::input::set_max_input_size(self.max_input_size);
        pchart::yaml::read::set_max_alias_nodes(self.max_alias_nodes);
        Limits {
            max_output: usize::try_from(self.max_output).unwrap_or(usize::MAX),
            max_steps: self.max_steps,
        }
    }
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
    use super::parse_size;

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
}
