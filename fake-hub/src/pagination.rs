//! Page-number pagination (`page`, `page_size`) with `next`/`previous` links: absolute URLs on the
//! host the client called, with the request's own query and only the page changed, as the hub's
//! listings document.

use dockerhub_server::Context;

use crate::context;

/// A page's position, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PageRequest {
    /// 1-based.
    pub page: usize,
    /// At least 1.
    pub size: usize,
}

/// Why page parameters are refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PageError {
    /// `page` below 1.
    #[error("must be a positive integer")]
    Page,
    /// `page_size` out of range.
    #[error("must be between 1 and {0}")]
    Size(usize),
}

impl PageError {
    /// The query parameter at fault.
    pub(crate) fn field(&self) -> &'static str {
        match self {
            PageError::Page => "query.page",
            PageError::Size(_) => "query.page_size",
        }
    }
}

/// A page number or size the spec types as any number (`type: number`): a whole one as itself, a
/// fraction as 0, which no page or size is. fake-hub guesses here: the hub's documentation says
/// nothing of `page=1.5`.
pub(crate) fn whole(value: Option<f64>) -> Option<i64> {
    value.map(|v| if v.fract() == 0.0 && v.abs() < 9.0e15 { v as i64 } else { 0 })
}

impl PageRequest {
    /// Checks `page` and `page_size` (defaults: 1 and `default_size`, at most `max_size`).
    pub(crate) fn checked(page: Option<i64>, size: Option<i64>, default_size: usize, max_size: usize) -> Result<Self, PageError> {
        let page = match page {
            None => 1,
            Some(p) if p >= 1 => usize::try_from(p).map_err(|_| PageError::Page)?,
            Some(_) => return Err(PageError::Page),
        };
        let size = match size {
            None => default_size,
            Some(s) if (1..=max_size as i64).contains(&s) => usize::try_from(s).map_err(|_| PageError::Size(max_size))?,
            Some(_) => return Err(PageError::Size(max_size)),
        };
        Ok(PageRequest { page, size })
    }

    /// Like [`PageRequest::checked`], but out-of-range values are brought into range (for listings
    /// that document no 400 answer).
    pub(crate) fn clamped(page: Option<i64>, size: Option<i64>, default_size: usize, max_size: usize) -> Self {
        let page = page.unwrap_or(1).clamp(1, i64::from(u32::MAX));
        let size = size.unwrap_or(default_size as i64).clamp(1, max_size as i64);
        PageRequest { page: usize::try_from(page).unwrap_or(1), size: usize::try_from(size).unwrap_or(default_size) }
    }
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Page<T> {
    /// How many items there are across all pages.
    pub count: usize,
    /// This page's items.
    pub items: Vec<T>,
    /// The next page's URL, if there is one.
    pub next: Option<String>,
    /// The previous page's URL, unless this is the first.
    pub previous: Option<String>,
}

/// Cuts `items` into the requested page, with links to the request's URL (`context`) with other pages.
pub(crate) fn paginate<T>(items: Vec<T>, request: PageRequest, context: &Context) -> Page<T> {
    let count = items.len();
    let start = (request.page - 1).saturating_mul(request.size);
    let end = start.saturating_add(request.size);
    let link = |page: usize| context::url_with(context, &[("page", page.to_string()), ("page_size", request.size.to_string())]);
    let next = (end < count).then(|| link(request.page + 1));
    let previous = (request.page > 1).then(|| link(request.page - 1));
    let items = items.into_iter().skip(start).take(request.size).collect();
    Page { count, items, next, previous }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_and_link() {
        let (parts, ()) = axum::http::Request::get("/v2/things").header("host", "hub.test").body(()).expect("request").into_parts();
        let context = Context::new(parts, &[]);
        let page = paginate((0..7).collect::<Vec<_>>(), PageRequest { page: 2, size: 3 }, &context);
        assert_eq!((page.count, page.items), (7, vec![3, 4, 5]));
        assert_eq!(page.next.as_deref(), Some("http://hub.test/v2/things?page=3&page_size=3"));
        assert_eq!(page.previous.as_deref(), Some("http://hub.test/v2/things?page=1&page_size=3"));
        let last = paginate((0..7).collect::<Vec<_>>(), PageRequest { page: 3, size: 3 }, &context);
        assert_eq!((last.items, last.next), (vec![6], None));
        let beyond = paginate((0..7).collect::<Vec<_>>(), PageRequest { page: usize::MAX, size: usize::MAX }, &context);
        assert!(beyond.items.is_empty());
    }

    #[test]
    fn page_parameters_are_checked_or_clamped() {
        assert_eq!(PageRequest::checked(None, None, 10, 100), Ok(PageRequest { page: 1, size: 10 }));
        assert_eq!(PageRequest::checked(Some(0), None, 10, 100), Err(PageError::Page));
        assert_eq!(PageRequest::checked(None, Some(101), 10, 100), Err(PageError::Size(100)));
        assert_eq!(PageRequest::clamped(Some(-4), Some(1000), 10, 100), PageRequest { page: 1, size: 100 });
    }
}
