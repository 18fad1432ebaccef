//! Any bytes, read as `threadr FILE` reads them (format detected).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| threadr::fuzzing::reader(None, data));
