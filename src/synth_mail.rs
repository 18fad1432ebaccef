//! A synthetic mailing-list thread as an mbox, for benchmarks and tests of the mail reader.
//!
//! Deterministic (a seeded LCG). The messages are written shuffled; one message is left
//! out (its replies must hang under its nearest known ancestor); every seventh reply has
//! only `References`; replies quote their parent after an `On … wrote:` line, some carry a
//! patch, all a signature. The generator keeps the tree it meant, so a test can check the
//! reader against it. No IO, no parsing.

use std::fmt::Write as _;

/// References kept per message besides the root (mail clients cut long chains too).
const MAX_REFERENCES: usize = 10;

/// A generated mbox and the tree it encodes.
#[derive(Debug, Clone)]
pub struct SynthMbox {
    /// The mbox text.
    pub mbox: String,
    /// Message-ID (without brackets) of message `i`, in generation order (0 is the root).
    pub ids: Vec<String>,
    /// The message left out of the file.
    pub missing: usize,
    /// For each message in the file, the message the reader must put it under: its parent,
    /// or the parent's parent when the parent is the missing one. `None` for the root and
    /// for the missing message.
    pub expected_parent: Vec<Option<usize>>,
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the", "lock", "is", "held", "across", "the", "call", "so", "this", "cannot", "race", "with",
    "reclaim", "but", "please", "check", "the", "error", "path", "again", "Zoë", "naïve", "résumé",
];

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s.push('.');
    s
}

/// A `Date:` value (`14 Nov 2023 22:13:20 +0000`) for seconds since the epoch.
fn rfc5322_date(secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{day} {} {year} {:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Generates `messages` messages (at least 3) in one thread.
#[must_use]
pub fn mbox_thread(messages: usize, seed: u64) -> SynthMbox {
    let n = messages.max(3);
    let mut rng = Lcg(seed ^ 0x9e37_79b9_7f4a_7c15);
    let ids: Vec<String> = (0..n)
        .map(|i| format!("synth-{seed}-{i}@lists.example.org"))
        .collect();
    // Parents: mostly recent messages (long chains) with some fan-out near the top.
    let parent: Vec<Option<usize>> = (0..n)
        .map(|i| match i {
            0 => None,
            _ if rng.below(4) == 0 => Some(rng.below(i.min(20))),
            _ => Some(i - 1 - rng.below(i.min(8))),
        })
        .collect();
    let missing = n / 3;
    let expected_parent: Vec<Option<usize>> = (0..n)
        .map(|i| match parent[i] {
            _ if i == missing => None,
            Some(p) if p == missing => parent[p],
            p => p,
        })
        .collect();
    let bodies: Vec<String> = (0..n)
        .map(|i| {
            let mut s = sentence(&mut rng, 12);
            s.push(' ');
            s.push_str(&sentence(&mut rng, 10));
            if i % 5 == 0 {
                s.push_str("\n\n");
                s.push_str(&sentence(&mut rng, 8));
            }
            s
        })
        .collect();

    let mut order: Vec<usize> = (0..n).filter(|&i| i != missing).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut mbox = String::with_capacity(n * 700);
    for &i in &order {
        let date = 1_700_000_000 + i as i64 * 60;
        let _ = writeln!(mbox, "From mailer@example.org Thu Jan  1 00:00:00 1970");
        let _ = writeln!(mbox, "From: Person {} <p{}@example.org>", i % 97, i % 97);
        let _ = writeln!(mbox, "Date: {}", rfc5322_date(date));
        let subject = if i == 0 { "" } else { "Re: " };
        let _ = writeln!(
            mbox,
            "Subject: {subject}[PATCH] synth: make the lock cheaper"
        );
        let _ = writeln!(mbox, "Message-ID: <{}>", ids[i]);
        if let Some(p) = parent[i] {
            let mut chain = vec![p];
            while let Some(up) = parent[*chain.last().unwrap_or(&0)] {
                chain.push(up);
            }
            chain.reverse(); // root first
            let keep: Vec<usize> = if chain.len() > MAX_REFERENCES + 1 {
                std::iter::once(chain[0])
                    .chain(chain[chain.len() - MAX_REFERENCES..].iter().copied())
                    .collect()
            } else {
                chain
            };
            let refs: Vec<String> = keep.iter().map(|r| format!("<{}>", ids[*r])).collect();
            let _ = writeln!(mbox, "References: {}", refs.join("\n "));
            if i % 7 != 0 {
                let _ = writeln!(mbox, "In-Reply-To: <{}>", ids[p]);
            }
        }
        let _ = writeln!(mbox, "Content-Type: text/plain; charset=utf-8\n");
        if let Some(p) = parent[i] {
            let _ = writeln!(mbox, "On Thu, Person {} wrote:", p % 97);
            for line in bodies[p].lines() {
                let _ = writeln!(mbox, "> {line}");
            }
            mbox.push('\n');
        }
        let _ = writeln!(mbox, "{}", bodies[i]);
        if i % 50 == 0 {
            let _ = writeln!(
                mbox,
                "---\n lock.c | 2 +-\n\ndiff --git a/lock.c b/lock.c\n--- a/lock.c\n+++ b/lock.c\n@@ -1 +1 @@\n-\tspin_lock(&l);\n+\tmutex_lock(&m);"
            );
        }
        let _ = writeln!(mbox, "\n-- \nPerson {}\n", i % 97);
    }
    SynthMbox {
        mbox,
        ids,
        missing,
        expected_parent,
    }
}
