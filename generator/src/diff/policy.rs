//! Deprecation and stability policy: when the removal of an operation (or a webhook) was
//! announced, it is planned, not a surprise.
//!
//! | the removed operation was | judged |
//! |---|---|
//! | `x-stability-level: alpha` or `beta` | planned: clients were told it may go |
//! | `deprecated`, with no sunset date | planned |
//! | `deprecated`, its sunset date passed (on or before the day of the review) | planned |
//! | `deprecated`, its sunset date still to come | breaks clients: removed before its announced sunset |
//!
//! The sunset is `x-sunset`, or the example of a documented `Sunset` response header.
//! | anything else (stable, not deprecated) | breaks clients |
//!
//! A parameter marked `deprecated` is planned when removed (judged where parameters are compared).
//!
//! A planned removal breaks nobody on the wire by default; `--fail-on planned` fails on it. Its
//! generated code is still gone, which the code judgement says as for any removal.

use crate::ir::Operation;

/// How the removal of `op` is judged on `today` (`YYYY-MM-DD`): `Some(why)` when it was announced
/// (planned), `None` when it breaks clients; and the words for the report. A webhook (`flipped`)
/// follows the same policy: its subscribers were told as callers are.
pub(crate) fn removal(op: &Operation, today: &str, flipped: bool) -> (Option<String>, String) {
    let fate = if flipped { "subscribers no longer receive it" } else { "calls to it fail" };
    let stability = op.lifecycle.stability.as_deref().map(str::to_ascii_lowercase);
    if let Some(level @ ("alpha" | "beta")) = stability.as_deref() {
        return (Some(format!("its stability level was `{level}`")), format!("removed, as its stability level `{level}` allowed ({fate})"));
    }
    let sunset = op.lifecycle.sunset.as_deref();
    match (op.deprecated, sunset.map(|s| (s, iso_date(s)))) {
        (true, None) => (Some("it was deprecated".into()), format!("removed after its deprecation ({fate})")),
        (true, Some((_, Some(date)))) if date.as_str() <= today => (Some(format!("its sunset {date} has passed")), format!("removed after its sunset {date} ({fate})")),
        (true, Some((_, Some(date)))) => (None, format!("removed before its announced sunset {date} ({fate})")),
        (true, Some((written, None))) => (None, format!("removed, deprecated with a sunset that is no date (`{written}`) ({fate})")),
        (false, _) => (None, format!("removed ({fate})")),
    }
}

/// A sunset as `YYYY-MM-DD`: an ISO 8601 date or date-time (`2025-06-30`, `2025-06-30T00:00:00Z`),
/// or an HTTP date as RFC 8594's `Sunset` header writes it (`Mon, 30 Jun 2025 23:59:59 GMT`).
pub(crate) fn iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(date) = text.get(..10) {
        let parts: Vec<&str> = date.split('-').collect();
        if let [y, m, d] = parts.as_slice() {
            if y.len() == 4 && m.len() == 2 && d.len() == 2 && digits(y) && digits(m) && digits(d) {
                return Some(date.to_owned());
            }
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, ..] = words.as_slice() else { return None };
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let month = MONTHS.iter().position(|m| month.eq_ignore_ascii_case(m))? + 1;
    (digits(day) && digits(year) && year.len() == 4 && day.len() <= 2).then(|| format!("{year}-{month:02}-{:0>2}", day))
}

/// Today's date in UTC, `YYYY-MM-DD`, from the system clock.
pub(crate) fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    civil(days as i64)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunsets_are_read_as_dates_in_either_form() {
        assert_eq!(iso_date("2025-06-30").as_deref(), Some("2025-06-30"));
        assert_eq!(iso_date("2025-06-30T12:00:00Z").as_deref(), Some("2025-06-30"));
        assert_eq!(iso_date("Mon, 30 Jun 2025 23:59:59 GMT").as_deref(), Some("2025-06-30"));
        assert_eq!(iso_date("Sat, 1 Feb 2020 00:00:00 GMT").as_deref(), Some("2020-02-01"));
        assert_eq!(iso_date("soon"), None);
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(20_000), "2024-10-04");
        assert!(today().as_str() > "2024-01-01");
    }
}
