//! Every generated file is what the Rust types generate now: a change to a
//! shape that was not followed by `make generate` fails here.

#[test]
fn generated_files_are_fresh() {
    let root = changegate_codegen::repo_root();
    let mut stale = Vec::new();
    for (path, text) in changegate_codegen::outputs().unwrap() {
        match std::fs::read_to_string(root.join(&path)) {
            Ok(old) if old == text => {}
            Ok(_) => stale.push(format!("{} is stale", path.display())),
            Err(e) => stale.push(format!("{} cannot be read: {e}", path.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun `make generate` and commit the result",
        stale.join("\n")
    );
}
