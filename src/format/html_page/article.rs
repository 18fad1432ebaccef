//! The article of a web page: title, author, date, canonical URL and the post's own text,
//! without navigation, sidebars, share buttons, forms, comments or footer.
//!
//! Used by the HTML page reader for every page, and meant for any other caller that has a
//! page and wants its article (a linked page fetched on request). No IO.

use scraper::{ElementRef, Html};

use super::dom::{self, Lazy, attr, first, selector};
use crate::model::{Body, Timestamp};

/// What a page says about its article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Article {
    /// The title (`h1.entry-title`, `og:title`, `<title>`...).
    pub title: Option<String>,
    /// The author (`meta[name=author]`, the byline...).
    pub author: Option<String>,
    /// When it was published.
    pub created: Option<Timestamp>,
    /// The canonical URL (`link[rel=canonical]`, `og:url`), else the base URL given.
    pub url: Option<String>,
    /// The article's text, links made absolute.
    pub body: Body,
}

static TITLE: Lazy = Lazy::new(|| {
    selector("h1.entry-title, h1.post-title, .entry-header h1, h1[itemprop=headline], article h1")
});
static OG_TITLE: Lazy =
    Lazy::new(|| selector("meta[property='og:title'], meta[name='twitter:title']"));
static H1: Lazy = Lazy::new(|| selector("h1"));
static DOC_TITLE: Lazy = Lazy::new(|| selector("title"));
static CANONICAL: Lazy = Lazy::new(|| selector("link[rel~=canonical][href]"));
static OG_URL: Lazy = Lazy::new(|| selector("meta[property='og:url'][content]"));
static AUTHOR_META: Lazy =
    Lazy::new(|| selector("meta[name=author][content], meta[property='article:author'][content]"));
static AUTHOR: Lazy = Lazy::new(|| {
    selector(
        ".entry-meta .author .fn, .entry-meta .author a, .byline .author, .post-author .fn, \
         .author-info .author-title, a[rel~=author], [itemprop=author] [itemprop=name], \
         .author-name, .meta-author a, .byline-author a, .author__box__top span",
    )
});
static DATE_META: Lazy = Lazy::new(|| {
    selector(
        "meta[property='article:published_time'][content], meta[itemprop=datePublished][content]",
    )
});
static DATE: Lazy = Lazy::new(|| {
    selector(
        "time.entry-date[datetime], .entry-meta time[datetime], article time[datetime], time[itemprop=datePublished]",
    )
});
/// Where a post's own text is, most specific first.
static SPECIFIC: [&Lazy; 4] = [
    &ARTICLE_CONTENT,
    &ENTRY_CONTENT,
    &POST_CONTENT,
    &ARTICLE_BODY,
];
/// Where it may be when no specific container says so, after the densest paragraphs.
static GENERAL: [&Lazy; 5] = [&ARTICLE_EL, &MAIN, &ROLE_MAIN, &CONTENT_ID, &BODY];
static PARAGRAPH: Lazy = Lazy::new(|| selector("p"));
static ARTICLE_CONTENT: Lazy = Lazy::new(|| selector("article .entry-content"));
static ENTRY_CONTENT: Lazy = Lazy::new(|| selector(".entry-content"));
static POST_CONTENT: Lazy = Lazy::new(|| {
    selector(".post-content, .post-body, .article-content, .article-body, .entry-body")
});
static ARTICLE_BODY: Lazy = Lazy::new(|| selector("[itemprop=articleBody]"));
static ARTICLE_EL: Lazy = Lazy::new(|| selector("article"));
static MAIN: Lazy = Lazy::new(|| selector("main"));
static ROLE_MAIN: Lazy = Lazy::new(|| selector("[role=main]"));
static CONTENT_ID: Lazy = Lazy::new(|| selector("#content"));
static BODY: Lazy = Lazy::new(|| selector("body"));
/// Never part of the article: page furniture and the comment section.
static FURNITURE: Lazy = Lazy::new(|| {
    selector(
        "nav, aside, footer, form, header, .sidebar, #sidebar, .widget, .widget-area, \
         .sharedaddy, .share, .sharing, .social-share, .share-buttons, .jp-relatedposts, \
         .related-posts, .navigation, .post-navigation, .nav-links, .comments-area, #comments, \
         .comment-list, .commentlist, #respond, .comment-respond, .screen-reader-text, \
         .skip-link, .breadcrumbs, .entry-title, .entry-meta, [aria-hidden=true], [hidden], \
         .dialog, .modal, .popup, [role=dialog], .cookie-notice, #cookie-notice, \
         .dpsp-shortcode-wrapper, .dpsp-content-wrapper, .jump-buttons, .wprm-recipe-link, \
         [style*='display:none'], [style*='display: none'], a[rel~=prev], a[rel~=next], \
         .abh_box, .saboxplugin-wrap, .m-a-box, .pp-multiple-authors-boxes-wrapper, \
         .author-box, .author__box, .author-bio, .about-author, .wp-block-post-author, \
         .heateor_sss_sharing_container, .addtoany_share_save_container, .a2a_kit, \
         .shared-counts-wrap, .swp_social_panel, .essb_links, .mashsb-container, \
         .sharethis-inline-share-buttons, .addthis_tool, .addthis_inline_share_toolbox, \
         .rp4wp-related-posts, #jp-relatedposts, .yarpp-related, .crp_related, \
         .related-post, .jetpack_subscription_widget, .wp-block-jetpack-subscriptions, \
         .mc4wp-form, .formkit-form, .wprm-recipe-cta, .wprm-call-to-action",
    )
});

/// The comment section: nothing of the article is in it, and on a big page it is nearly
/// all the elements, so the article's searches do not walk into it.
static COMMENTS: Lazy =
    Lazy::new(|| selector("#comments, .comments-area, .comment-list, .commentlist"));

/// The page's elements outside its comment section, in document order.
fn outside_comments(doc: &Html) -> Vec<ElementRef<'_>> {
    dom::own_elements(doc.tree.root(), &|e| COMMENTS.matches(&e))
}

/// The text of the first of `page` matching `sel`, when it has any.
fn content_of(page: &[ElementRef<'_>], sel: &scraper::Selector) -> Option<String> {
    let text = dom::text(first(page, sel)?);
    (!text.is_empty()).then_some(text)
}

/// An author link's text without the words around the name ("View all posts by Ada",
/// "Posts by Ada", "By Ada").
fn without_byline_words(author: String) -> String {
    for prefix in ["view all posts by ", "posts by ", "by "] {
        if author.len() > prefix.len()
            && author.is_char_boundary(prefix.len())
            && author[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return author[prefix.len()..].trim().to_string();
        }
    }
    author
}

/// `Post title | Site` to `Post title`.
fn without_site_name(title: &str) -> String {
    match title.rsplit_once(" | ") {
        Some((post, _)) if post.chars().count() >= 8 => post.to_string(),
        _ => title.to_string(),
    }
}

fn clean_title(t: &str) -> Option<String> {
    let t = dom::collapse(t);
    (!t.is_empty()).then_some(t)
}

/// The page's canonical URL, else `base_url`.
fn canonical_url(page: &[ElementRef<'_>], base_url: Option<&str>) -> Option<String> {
    first(page, &CANONICAL)
        .and_then(|e| attr(e, "href"))
        .or_else(|| first(page, &OG_URL).and_then(|e| attr(e, "content")))
        .map(|u| dom::resolve(base_url, &u))
        .filter(|u| u.contains("://"))
        .or_else(|| base_url.map(str::to_string))
}

/// Reads the article of a parsed page. `base_url` is where the page came from, when known
/// (links are made absolute against the canonical URL, else against it).
#[must_use]
pub fn article_of(doc: &Html, base_url: Option<&str>) -> Article {
    let page = outside_comments(doc);
    let url = canonical_url(&page, base_url);
    let title = content_of(&page, &TITLE)
        .or_else(|| first(&page, &OG_TITLE).and_then(|e| attr(e, "content")))
        .or_else(|| first(&page, &DOC_TITLE).map(|t| without_site_name(&dom::text(t))))
        .or_else(|| content_of(&page, &H1))
        .and_then(|t| clean_title(&t));
    // A meta author may be a profile URL (`article:author` is, on Facebook's model): then
    // the byline names the author.
    let author = first(&page, &AUTHOR_META)
        .and_then(|e| attr(e, "content"))
        .filter(|a| !a.contains("://"))
        .or_else(|| {
            page.iter()
                .filter(|e| AUTHOR.matches(e))
                .map(|e| without_byline_words(dom::text(*e)))
                .find(|a| !a.is_empty() && !a.contains("://"))
        });
    let created = first(&page, &DATE_META)
        .and_then(|e| attr(e, "content"))
        .or_else(|| first(&page, &DATE).and_then(|e| attr(e, "datetime")))
        .map(|d| Timestamp::parse(&d));
    let usable = |e: &&ElementRef<'_>| !in_furniture(**e) && !dom::text(**e).is_empty();
    let matching =
        |sel: &scraper::Selector| page.iter().filter(|e| sel.matches(e)).find(usable).copied();
    let root = SPECIFIC
        .iter()
        .find_map(|sel| matching(sel))
        .or_else(|| densest(doc, &page))
        .or_else(|| GENERAL.iter().find_map(|sel| matching(sel)));
    let mut body = root.map_or_else(Body::default, |root| body_without_furniture(root));
    dom::resolve_links(&mut body, url.as_deref().or(base_url));
    Article {
        title,
        author,
        created,
        url,
        body,
    }
}

/// Whether the element is inside page furniture or the comments.
fn in_furniture(el: ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| FURNITURE.matches(&a))
}

/// The element holding the most paragraph text (its own `p` children count fully, its
/// grandchildren three quarters), the way readability tools find an article without markup for it.
fn densest<'a>(doc: &'a Html, page: &[ElementRef<'a>]) -> Option<ElementRef<'a>> {
    let mut score: std::collections::HashMap<ego_tree::NodeId, usize> =
        std::collections::HashMap::new();
    for &p in page.iter().filter(|e| PARAGRAPH.matches(e)) {
        if in_furniture(p) {
            continue;
        }
        let len = dom::text(p).len();
        if len < 25 {
            continue;
        }
        let mut up = p.ancestors().filter_map(ElementRef::wrap);
        if let Some(parent) = up.next() {
            *score.entry(parent.id()).or_default() += len;
            if let Some(grand) = up.next() {
                *score.entry(grand.id()).or_default() += len * 3 / 4;
            }
        }
    }
    let (best, _) = score
        .into_iter()
        .max_by_key(|(id, s)| (*s, std::cmp::Reverse(*id)))?;
    doc.tree.get(best).and_then(ElementRef::wrap)
}

fn body_without_furniture(root: ElementRef<'_>) -> Body {
    dom::body(*root, &|e| FURNITURE.matches(&e), false)
}

/// The article of an HTML page: title, author, date, canonical URL and text, without the
/// page's furniture or comments. `base_url` is where the page came from, when known.
#[must_use]
pub fn extract_article(html: &str, base_url: Option<&str>) -> Article {
    let (doc, _) = super::depth::parse(html);
    article_of(&doc, base_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Ignored | Site</title>
<link rel="canonical" href="https://blog.example/2024/a-post/">
<meta property="og:title" content="OG title">
<meta name="author" content="Ada Writer">
<meta property="article:published_time" content="2024-03-01T10:00:00+00:00">
</head><body><header><nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
<main><article><h1 class="entry-title">The real title</h1>
<div class="entry-meta">by Ada</div>
<div class="entry-content"><p>First <a href="/other">para</a>.</p>
<ul><li>one</li><li>two</li></ul>
<div class="sharedaddy">Share this: Twitter</div></div></article>
<div id="comments" class="comments-area"><ol class="comment-list"><li>c</li></ol>
<form id="commentform"><textarea>Leave a reply</textarea></form></div></main>
<aside class="sidebar">Recent posts</aside><footer>© 2024</footer></body></html>"#;

    #[test]
    fn article_fields_and_text_without_furniture() {
        let a = extract_article(PAGE, None);
        assert_eq!(a.title.as_deref(), Some("The real title"));
        assert_eq!(a.author.as_deref(), Some("Ada Writer"));
        assert_eq!(a.created, Some(Timestamp::parse("2024-03-01T10:00:00Z")));
        assert_eq!(a.url.as_deref(), Some("https://blog.example/2024/a-post/"));
        let text = a.body.plain_text();
        assert!(text.starts_with("First para."), "{text}");
        for junk in [
            "Home",
            "Share",
            "Recent",
            "©",
            "Leave",
            "by Ada",
            "real title",
        ] {
            assert!(!text.contains(junk), "{junk} in {text}");
        }
        assert_eq!(a.body.links[0].url, "https://blog.example/other");
    }

    /// A post in the shape of the plugins' markup: an author box (Starbox), share buttons
    /// (Super Socializer), related posts (Related Posts for WP, Jetpack), a recipe card's
    /// newsletter call to action, a hidden Pinterest image, previous/next links.
    const PLUGINS: &str = r##"<html><head>
<meta property="article:author" content="https://social.example/ada-page/">
</head><body><article><header><ul class=meta><li class="meta-date">May 2</li>
<li class="meta-author"><span class="fn"><a href="/author/ada/" rel="author">Ada</a></span></li>
</ul></header><div class="post-inner">
<div class="dpsp-post-pinterest-image-hidden" style="display: none;"><img alt="Pin me"></div>
<p>First paragraph of the post, long enough to count as text.<img alt="Pin caption again"></p>
<p><img src="photo.jpg" alt="a photo of the cake"></p>
<p>Second paragraph of the post, also long enough to be text.</p>
<div class="wprm-recipe"><p class="wprm-recipe-cta"><span>WANT MORE?</span> Subscribe to our
<a href="/news">newsletter</a>.</p><p>Recipe step one, with all of its words.</p>
<div class="wprm-call-to-action"><span>Tried this? Tag us.</span></div></div>
<div class="abh_box"><ul class="abh_tabs"><li><a href="#abh_about">Author</a></li></ul>
<section class="vcard author"><h4>Ada</h4><p>Ada writes here.</p></section>
<div>Latest posts by Ada (see all)</div></div>
<div class="heateor_sss_sharing_container"><div>Spread the news:</div></div>
<div class="rp4wp-related-posts"><h3>RELATED ARTICLES</h3><ul><li><a href="/old">Old</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p>Another post of ours.</p></div>
<div class="author__box"><div class="author__box__top">About the Author - <span>Ada B</span></div>
<p>Bio.</p></div>
<div class="post__control"><a href="/p" rel="prev">PREVIOUS ARTICLE</a><a href="/n" rel="next">NEXT ARTICLE</a></div>
</div></article></body></html>"##;

    #[test]
    fn plugin_furniture_and_images_leave_only_the_post() {
        let a = extract_article(PLUGINS, None);
        assert_eq!(
            a.body.plain_text(),
            "First paragraph of the post, long enough to count as text.\n\n\
             Second paragraph of the post, also long enough to be text.\n\n\
             Recipe step one, with all of its words."
        );
    }

    #[test]
    fn bylines_of_the_common_themes() {
        // A profile URL in the meta is not a name: the byline's author link is.
        assert_eq!(
            extract_article(PLUGINS, None).author.as_deref(),
            Some("Ada")
        );
        let page = |byline: &str| {
            format!(
                "<html><body><article>{byline}<div class=entry-content><p>T.</p></div></article></body></html>"
            )
        };
        let a = extract_article(
            &page(
                "<div class=byline><div class=byline-author> <a href='/author/ed/'>Ed</a> \
                 <div class=byline-date>December 20, 2016</div></div></div>",
            ),
            None,
        );
        assert_eq!(a.author.as_deref(), Some("Ed"));
        let a = extract_article(
            &page(
                "<div class=author__box><div class=author__box__top>About the Author - <span>Flo Ion</span></div></div>",
            ),
            None,
        );
        assert_eq!(a.author.as_deref(), Some("Flo Ion"));
        assert_eq!(a.body.plain_text(), "T.");
    }

    #[test]
    fn falls_back_to_og_title_then_title_and_base_url() {
        let a = extract_article(
            "<html><head><title> Only  title </title></head><body><p>x <a href='p2'>n</a></p></body></html>",
            Some("https://h.example/dir/page"),
        );
        assert_eq!(a.title.as_deref(), Some("Only title"));
        assert_eq!(a.url.as_deref(), Some("https://h.example/dir/page"));
        assert_eq!(a.body.links[0].url, "https://h.example/dir/p2");
    }

    #[test]
    fn nothing_of_the_article_is_taken_from_the_comments() {
        let page = "<html><head></head><body><article class=post><div class=entry-content>\
                    <p>The post.</p></div></article><div id=comments><h1>Comments</h1>\
                    <ol class=comment-list><li class=comment><article class=comment-body>\
                    <a rel=author href='/u'>Commenter</a><time datetime='2022-05-01T09:10:00Z'>\
                    May 1</time><p>A long enough comment paragraph to be dense text.</p>\
                    </article></li></ol></div></body></html>";
        let a = extract_article(page, None);
        assert_eq!(a.created, None);
        assert_eq!(a.author, None);
        assert_eq!(a.title, None);
        assert_eq!(a.body.plain_text(), "The post.");
    }

    #[test]
    fn author_boxes_and_author_links_give_the_bare_name() {
        let page = |meta: &str| {
            format!(
                "<html><body><article><div class=entry-content><p>Text.</p>\
                 <div class=dpsp-shortcode-wrapper><ul><li><a href='https://fb.example/sharer'>\
                 Share It!</a></li></ul></div><div class=jump-buttons>\
                 <a class=wprm-recipe-link href='#r'>RECIPE</a></div></div>{meta}</article></body></html>"
            )
        };
        let boxed = page(
            "<div class=author-info><h3 class=author-title>Ada Writer</h3><p>Bio. \
             <a rel=author href='/a/'>View all posts by Ada Writer</a></p></div>",
        );
        let a = extract_article(&boxed, None);
        assert_eq!(a.author.as_deref(), Some("Ada Writer"));
        assert_eq!(a.body.plain_text(), "Text.");
        for link in [
            "View all posts by Ada Writer",
            "Posts by Ada Writer",
            "by Ada Writer",
        ] {
            let a = extract_article(&page(&format!("<a rel=author href='/a/'>{link}</a>")), None);
            assert_eq!(a.author.as_deref(), Some("Ada Writer"), "{link}");
        }
        let a = extract_article(&page("<a rel=author href='/a/'>Byron</a>"), None);
        assert_eq!(a.author.as_deref(), Some("Byron"));
    }
}
