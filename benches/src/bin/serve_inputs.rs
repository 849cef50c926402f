//! Writes the benchmark scenario for the decision service's load test
//! (`benches/serve/load.sh`) into a folder: the policy, the N-node estate
//! and the fixed change on the deep target.

#![expect(
    clippy::print_stdout,
    reason = "the paths written are this tool's output"
)]

use changegate_benches::{POLICY, change_json, deep_target, estate_json};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), n) = (args.next(), args.next()) else {
        return Err("usage: serve_inputs DIR [N]".to_owned());
    };
    let n: usize = n
        .as_deref()
        .unwrap_or("10000")
        .parse()
        .map_err(|_| "N is a number of nodes".to_owned())?;
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))
    };
    write("policy.gate", POLICY)?;
    write("estate.json", &estate_json(n))?;
    write("change.json", &change_json(deep_target(n)))?;
    println!("{}", dir.display());
    Ok(())
}
