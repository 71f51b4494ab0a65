//! Embeds every file under templates/ and static/ in the binary, so the server needs no files
//! beside it and adding a page needs no list to edit.
use std::fmt::Write;
use std::path::Path;

fn collect(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    // Read at run time: `env!` would bake in the folder the build script was compiled in, and
    // a build script reused from another checkout (a shared or copied target folder) would
    // then embed that checkout's files.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let mut code = String::new();
    for (name, dir, kind) in [
        ("TEMPLATES", "templates", "include_str"),
        ("STATIC_FILES", "static", "include_bytes"),
    ] {
        let base = root.join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &base, &mut files);
        let ty = if kind == "include_str" {
            "&str"
        } else {
            "&[u8]"
        };
        writeln!(code, "pub static {name}: &[(&str, {ty})] = &[").unwrap();
        for f in &files {
            println!("cargo:rerun-if-changed={}", base.join(f).display());
            writeln!(
                code,
                "    ({f:?}, {kind}!({:?})),",
                base.join(f).display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
}
