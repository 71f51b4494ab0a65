//! Paging of listings: one page of a list and the query string of its Next/Previous links.
//! Used by the events, matches and opportunities pages.

/// Page `page` (1-based) of `items`, `per_page` each, with the page count.
pub(crate) fn paged<T>(items: Vec<T>, page: Option<&str>, per_page: usize) -> Paged<T> {
    let total = items.len();
    let pages = total.div_ceil(per_page).max(1);
    let page = page
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let items = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Paged {
        items,
        total,
        page,
        pages,
    }
}

pub(crate) struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// A query string for paging links: the given pairs without empty values.
pub(crate) fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
        .map(|(k, v)| format!("{k}={}", crate::auth::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
