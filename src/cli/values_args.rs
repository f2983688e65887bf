//! The value flags shared by `render`, `eval` and `lint`: `-f` files merged
//! in order (`-f -` reads stdin), as Helm's `values.Options` does.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;

use pchart::template::value::{Map, Value};
use pchart::values::coalesce::merge_maps;

#[derive(Args, Debug, Clone, Default)]
pub struct ValuesArgs {
    /// Values file (YAML), merged in order; `-` reads standard input.
    #[arg(long = "values", short = 'f', value_name = "FILE")]
    pub values: Vec<PathBuf>,
}

/// Read one values file (or stdin for `-`) into a map.
fn read_values_file(path: &PathBuf) -> Result<Map, String> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("<stdin>: {e}"))?;
        s
    } else {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("{}: {}", path.display(), pchart::chart::io_reason(&e)))?;
        String::from_utf8(bytes)
            .map_err(|_| format!("{}: file is not valid UTF-8", path.display()))?
    };
    let v = pchart::yaml::parse_values(&text).map_err(|e| {
        format!(
            "{}:{}:{}: failed to parse {}: {}",
            path.display(),
            e.line,
            e.column,
            path.display(),
            e.message
        )
    })?;
    Ok(v.as_map().map(|m| m.clone()).unwrap_or_default())
}

impl ValuesArgs {
    /// The user's values: every file merged in order.
    pub fn load(&self) -> Result<Value, String> {
        let mut base = Map::new();
        for f in &self.values {
            base = merge_maps(&base, &read_values_file(f)?);
        }
        Ok(Value::map(base))
    }
}
