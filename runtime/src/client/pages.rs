//! Paginated listings walked as streams.

use super::Error;

/// Where a paginated listing goes on from.
#[derive(Debug, Clone)]
pub enum Cursor<P> {
    /// Parameters of the next page to ask for.
    Params(P),
    /// The `next` link the last page gave.
    Link(String),
}

/// Walks a listing page by page from `first`: `page` fetches the page at a cursor and answers its
/// items and the cursor of the next page, if any.
pub fn walk<'a, P, T, E, F, Fut>(first: P, mut page: F) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    P: 'a,
    T: 'a,
    E: 'a,
    F: FnMut(Cursor<P>) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<Cursor<P>>), Error<E>>> + 'a,
{
    let pages = futures_util::stream::try_unfold(Some(Cursor::Params(first)), move |cursor| {
        let fetch = cursor.map(&mut page);
        async move {
            let Some(fetch) = fetch else { return Ok::<_, Error<E>>(None) };
            let (items, next) = fetch.await?;
            Ok(Some((futures_util::stream::iter(items.into_iter().map(Ok)), next)))
        }
    });
    futures_util::TryStreamExt::try_flatten(pages)
}
