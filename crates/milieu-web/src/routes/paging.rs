//! Paging of every listing, page and API alike: one request ([`PageRequest`]: `page`, from 1,
//! and `per_page`, with the listing's default and at most [`MAX_PER_PAGE`]; the older `limit`
//! and `offset` of the organisation, people and tie listings are read as `per_page` and as the
//! page holding that row), one result ([`Paged`]) and one link scheme (`page=N`, keeping the
//! listing's filters).

/// Largest page the API serves.
pub(crate) const MAX_PER_PAGE: usize = 1000;

/// Which page of a listing to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl PageRequest {
    /// From a listing's query: `page` (a number from 1; anything else is the first page),
    /// `per_page` (default `default_per_page`, clamped to 1..=[`MAX_PER_PAGE`]) and the older
    /// `offset` (the page holding that row) when no page is given.
    pub fn new(
        page: Option<&str>,
        per_page: Option<usize>,
        offset: Option<usize>,
        default_per_page: usize,
    ) -> PageRequest {
        let per_page = per_page.unwrap_or(default_per_page).clamp(1, MAX_PER_PAGE);
        let page = match page.and_then(|p| p.trim().parse::<usize>().ok()) {
            Some(p) => p.max(1),
            None => offset.map_or(1, |o| o / per_page + 1),
        };
        PageRequest { page, per_page }
    }
}

/// The requested page of `items` (a page past the end shows the last one).
pub(crate) fn paged<T>(items: Vec<T>, request: &PageRequest) -> Paged<T> {
    let total = items.len();
    let per_page = request.per_page;
    let pages = total.div_ceil(per_page).max(1);
    let page = request.page.clamp(1, pages);
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
        per_page,
    }
}

pub(crate) struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
}

impl<T> Paged<T> {
    /// What a page shows under its table: rows `from`..=`to` of `total` and links to the
    /// previous and next pages of `base` with the listing's filters `params`.
    pub fn pager(&self, base: &str, params: &[(&str, Option<&str>)]) -> minijinja::Value {
        let first = (self.page - 1) * self.per_page;
        let link = |page: usize| {
            let mut q = query_string(params);
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(&format!("page={page}"));
            if self.per_page != 0 {
                q.push_str(&format!("&per_page={}", self.per_page));
            }
            format!("{base}?{q}")
        };
        minijinja::context! {
            from => if self.total == 0 { 0 } else { first + 1 },
            to => (first + self.per_page).min(self.total),
            total => self.total,
            page => self.page,
            pages => self.pages,
            prev => (self.page > 1).then(|| link(self.page - 1)),
            next => (self.page < self.pages).then(|| link(self.page + 1)),
        }
    }
}

/// A query string for paging links: the given pairs without empty values.
pub(crate) fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
        .map(|(k, v)| format!("{k}={}", crate::auth::url_encode(v).replace('/', "%2F")))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_and_the_older_offset_pick_the_same_rows() {
        let by_page = PageRequest::new(Some("3"), Some(10), None, 50);
        let by_offset = PageRequest::new(None, Some(10), Some(20), 50);
        assert_eq!(by_page, by_offset);
        let p = paged((0..45).collect(), &by_page);
        assert_eq!(p.items, (20..30).collect::<Vec<_>>());
        assert_eq!((p.page, p.pages, p.total), (3, 5, 45));
        // Past the end: the last page; nonsense: the first; sizes clamped.
        assert_eq!(
            paged(
                (0..45).collect::<Vec<_>>(),
                &PageRequest::new(Some("9"), Some(10), None, 50)
            )
            .items,
            (40..45).collect::<Vec<_>>()
        );
        assert_eq!(PageRequest::new(Some("x"), None, None, 50).page, 1);
        assert_eq!(PageRequest::new(None, Some(0), None, 50).per_page, 1);
        assert_eq!(
            PageRequest::new(None, Some(5000), None, 50).per_page,
            MAX_PER_PAGE
        );
    }

    #[test]
    fn pager_links_keep_the_filters_and_name_the_page() {
        let p = paged(
            (0..25).collect::<Vec<_>>(),
            &PageRequest::new(Some("2"), Some(10), None, 50),
        );
        let v = p.pager("/orgs", &[("q", Some("a/b")), ("kind", None)]);
        assert_eq!(v.get_attr("from").unwrap().to_string(), "11");
        assert_eq!(v.get_attr("to").unwrap().to_string(), "20");
        assert_eq!(
            v.get_attr("prev").unwrap().to_string(),
            "/orgs?q=a%2Fb&page=1&per_page=10"
        );
        assert_eq!(
            v.get_attr("next").unwrap().to_string(),
            "/orgs?q=a%2Fb&page=3&per_page=10"
        );
    }
}
