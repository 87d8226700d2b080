//! Link settings of the `vigie` binary.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // Release builds on Linux pack their relative relocations (DT_RELR, glibc 2.36 and later):
    // a position-independent binary of this size otherwise carries megabytes of relocation
    // entries that are read at every start and stay resident. A linker without the option
    // ignores it with a warning.
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if linux && release {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
