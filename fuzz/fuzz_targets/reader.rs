//! Every reader of `threadr::fuzzing::targets()` (each `--input-format`): the first byte
//! picks the reader, the rest is its input, so one binary covers readers added later.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let targets = threadr::fuzzing::targets();
    if let Some((&pick, rest)) = data.split_first() {
        let target = &targets[usize::from(pick) % targets.len()];
        (target.run)(target.format, rest);
    }
});
