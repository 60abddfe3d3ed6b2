//! Builds the web console and the field app with npm, so that a plain `cargo build` in a
//! fresh clone embeds them. Set RONDA_SKIP_WEB_BUILD=1 to reuse an existing web/dist.

use std::path::Path;
use std::process::Command;

fn main() {
    // Read at run time: a build script compiled in another checkout that shares the
    // target directory would otherwise keep that checkout's path.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let web = Path::new(&manifest).join("../../web");
    for input in [
        "src",
        "public",
        "index.html",
        "app",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "build",
        "tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=RONDA_SKIP_WEB_BUILD");

    let dist = web.join("dist");
    if std::env::var("RONDA_SKIP_WEB_BUILD").is_ok_and(|v| v == "1") {
        if !dist.exists() {
            std::fs::create_dir_all(&dist).expect("create web/dist");
            println!(
                "cargo:warning=RONDA_SKIP_WEB_BUILD=1 and web/dist is missing: the binary serves no web pages"
            );
        }
        return;
    }
    if !web.join("node_modules").exists() {
        run_npm(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    run_npm(&web, &["run", "build"]);
}

fn run_npm(dir: &Path, args: &[&str]) {
    let status = Command::new("npm").args(args).current_dir(dir).status().unwrap_or_else(|error| {
        panic!("could not run npm ({error}): install Node.js 20 and npm, or set RONDA_SKIP_WEB_BUILD=1 with a built web/dist")
    });
    assert!(
        status.success(),
        "npm {} failed in {} with {status}",
        args.join(" "),
        dir.display()
    );
}
