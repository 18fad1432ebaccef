//! The threadr/1 body codec: decoding any text never panics and re-encoding is stable.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| threadr::fuzzing::markup_round_trip(data));
