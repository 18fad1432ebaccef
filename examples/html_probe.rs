fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let t0 = std::time::Instant::now();
        let t = threadr::format::load(&bytes, &path, None).unwrap();
        let roots = t.roots.len();
        let maxd = t.comments.iter().map(|c| c.depth).max().unwrap_or(0);
        println!(
            "{path}: {:?} comments={} top={roots} depth={maxd} key={} title={:?} warn={:?}",
            t0.elapsed(),
            t.comments.len(),
            t.key,
            t.title,
            t.warnings
        );
        println!(
            "  article: {:?}",
            t.body.plain_text().chars().take(300).collect::<String>()
        );
        for c in t.comments.iter().take(4) {
            println!(
                "  [{}] {:?} {:?} {:?} {:?}",
                c.depth,
                c.author,
                c.created,
                c.url,
                c.body.plain_text().chars().take(80).collect::<String>()
            );
        }
    }
}
