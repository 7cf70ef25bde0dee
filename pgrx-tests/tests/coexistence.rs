//! pg_lens beside other extensions in one backend.

use std::process::Command;

/// A library marked STATIC_TLS needs room in the static TLS block that glibc reserves for
/// libraries loaded later (about 1.6 KB, shared with every other such extension): loaded
/// after PostGIS or pgaudit it could fail with "cannot allocate memory in static TLS block".
#[test]
fn the_library_needs_no_static_tls() {
    let out = Command::new("pg_config").arg("--pkglibdir").output().expect("pg_config");
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let lib = format!("{dir}/pg_lens.so");
    let dynamic = Command::new("readelf").args(["-dW", &lib]).output().expect("readelf (binutils)");
    let text = String::from_utf8_lossy(&dynamic.stdout);
    assert!(dynamic.status.success() && text.contains("FLAGS"), "{lib}: {text}");
    assert!(!text.contains("STATIC_TLS"), "{lib} asks for static TLS:\n{text}");
}
